/* The affine-bucket G2 MSM (src/curve/bn254_msm_g2.c), byte scalars with
 * two strides and Fr scalars, against a naive sum of wNAF multiplications:
 * random inputs of several sizes and thread counts, and the exact paths:
 * repeated points in one bucket (doubling), P next to -P (cancellation),
 * (0, 0) infinity entries, zero / one / r-1 / 2^256-1 scalars. */
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "curve/bn254_msm.h"
#include "testutil.h"

static void rand_g2(bn254_g2_affine *a) {
    bn254_g2 g, p;
    uint64_t k[4];
    for (int i = 0; i < 4; i++) k[i] = ns_test_rand64();
    k[3] &= 0x0fffffffffffffffULL;
    bn254_g2_generator(&g);
    bn254_g2_mul_var(&p, &g, k);
    bn254_g2_to_affine_var(a, &p);
}

static void naive(bn254_g2 *r, const bn254_g2_affine *pts, const uint8_t *sc, size_t n) {
    bn254_g2_set_infinity(r);
    for (size_t i = 0; i < n; i++) {
        if (bn254_fq2_is_zero(&pts[i].x) && bn254_fq2_is_zero(&pts[i].y)) continue;
        uint64_t k[4];
        for (int l = 0; l < 4; l++) {
            uint64_t v = 0;
            for (int b = 7; b >= 0; b--) v = v << 8 | sc[i * 32 + 8 * l + b];
            k[l] = v;
        }
        bn254_g2 p;
        bn254_g2_from_affine(&p, &pts[i]);
        bn254_g2_mul_var(&p, &p, k);
        bn254_g2_add_var(r, r, &p);
    }
}

/* mode 0: random; 1: few distinct points, many repeats and negations, with
 * equal scalars (forces doubling and cancellation inside buckets);
 * 2: special scalars and infinity entries; 3: P, -P pairs with equal
 * scalars (cancel to infinity inside a bucket tree, then infinity operands) */
static void run_case(size_t n, int mode, int threads) {
    bn254_g2_affine *pts = malloc(n * sizeof *pts);
    uint8_t *sc = malloc(n * 32);
    bn254_g2_affine base[3];
    for (int i = 0; i < 3; i++) rand_g2(&base[i]);
    static const uint8_t rm1[32] = {0x00, 0x00, 0x00, 0xf0, 0x93, 0xf5, 0xe1, 0x43, 0x91, 0x70, 0xb9,
                                    0x79, 0x48, 0xe8, 0x33, 0x28, 0x5d, 0x58, 0x81, 0x81, 0xb6, 0x45,
                                    0x50, 0xb8, 0x29, 0xa0, 0x31, 0xe1, 0x72, 0x4e, 0x64, 0x30};
    for (size_t i = 0; i < n; i++) {
        uint8_t *k = sc + i * 32;
        ns_test_rand_bytes(k, 32);
        if (mode == 0) {
            rand_g2(&pts[i]);
        } else if (mode == 1) {
            pts[i] = base[i % 3];
            if (i % 5 == 1) bn254_g2_affine_neg(&pts[i], &pts[i]);
            memset(k, 0, 32);
            k[0] = (uint8_t)(1 + i % 4);
            if (i % 7 == 0) k[31] = 0x10;
        } else if (mode == 3) {
            pts[i] = base[0];
            if (i & 1) bn254_g2_affine_neg(&pts[i], &pts[i]);
            memset(k, 0, 32);
            k[0] = (uint8_t)(1 + (i / 2) % 3);
            if (i % 11 == 10) k[0] = 9; /* an unpaired one now and then */
        } else {
            rand_g2(&pts[i]);
            switch (i % 6) {
            case 0: memset(k, 0, 32); break;
            case 1: memset(k, 0, 32); k[0] = 1; break;
            case 2: memcpy(k, rm1, 32); break;
            case 3: memset(k, 0xff, 32); break;
            case 4: memset(&pts[i], 0, sizeof pts[i]); break; /* (0, 0) */
            default: break;
            }
        }
    }
    bn254_g2 got, want;
    ns_error err;
    naive(&want, pts, sc, n);
    CHECK(bn254_g2_msm_var(&got, pts, sc, 32, n, threads, &err) == 0);
    CHECK_MSG(bn254_g2_eq_var(&got, &want), "n=%zu mode=%d threads=%d: differs from naive", n, mode, threads);
    /* the same scalars 48 bytes apart */
    uint8_t *wide = calloc(n + 1, 48);
    for (size_t i = 0; i < n; i++) memcpy(wide + 48 * i, sc + 32 * i, 32);
    CHECK(bn254_g2_msm_var(&got, pts, wide, 48, n, 3 - threads, &err) == 0);
    CHECK_MSG(bn254_g2_eq_var(&got, &want), "n=%zu mode=%d stride 48: differs from naive", n, mode);
    free(wide);
    free(pts);
    free(sc);
}

int main(void) {
    bn254_g2 r;
    ns_error err;
    CHECK(bn254_g2_msm_var(&r, NULL, NULL, 32, 0, 1, &err) == 0 && bn254_g2_is_infinity(&r));
    static const size_t sizes[] = {1, 2, 5, 37, 300};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        for (int mode = 0; mode < 4; mode++) run_case(sizes[i], mode, 1 + (int)(i % 2));
    run_case(1200, 1, 2);
    /* >= 128 buckets: the affine bucket-sum chains, on random points and
     * with cancellations to infinity */
    run_case(2500, 0, 2);
    run_case(2500, 3, 1);
    return ns_test_report("bn254_msm_g2_exact");
}
