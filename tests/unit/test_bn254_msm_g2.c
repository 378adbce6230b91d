/* G2 constant-time multiplication, batch multiplication and MSM against the
 * group layer's variable-time wNAF multiplication (an independent
 * implementation), plus a G1 cross-check of our inlined arithmetic against
 * the group layer. */
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_ctmul.h"
#include "curve/bn254_msm.h"
#include "testutil.h"

static const uint64_t R_MOD[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                  0x30644e72e131a029ULL};

static void rand_scalar(uint64_t k[4]) {
    for (int i = 0; i < 4; i++) k[i] = ns_test_rand64();
    k[3] &= 0x0fffffffffffffffULL; /* < r */
}

static void rand_g2(bn254_g2_affine *a) {
    bn254_g2 g, p;
    uint64_t k[4];
    rand_scalar(k);
    bn254_g2_generator(&g);
    bn254_g2_mul_var(&p, &g, k);
    bn254_g2_to_affine_var(a, &p);
}

static void scalar_case(uint64_t k[4], int c) {
    memset(k, 0, 32);
    if (c == 0) return;
    if (c == 1) { k[0] = 1; return; }
    if (c == 2) { memcpy(k, R_MOD, 32); k[0] -= 1; return; }
    if (c == 3) { memcpy(k, R_MOD, 32); return; }
    rand_scalar(k);
}

static void test_g1_cross(void) {
    bn254_g1 g, a, b;
    bn254_g1_generator(&g);
    for (int c = 0; c < 8; c++) {
        uint64_t k[4];
        scalar_case(k, c);
        bn254_g1_mul(&a, &g, k);
        bn254_g1_mul_var(&b, &g, k);
        CHECK_MSG(bn254_g1_eq_var(&a, &b), "g1 ct vs group layer, case %d", c);
    }
    /* batch vs group layer */
    bn254_g1_affine in[5], out[5];
    for (int i = 0; i < 5; i++) {
        uint64_t k[4];
        rand_scalar(k);
        bn254_g1_mul_var(&a, &g, k);
        bn254_g1_to_affine_var(&in[i], &a);
    }
    memset(&in[2], 0, sizeof in[2]);
    uint64_t k[4];
    rand_scalar(k);
    bn254_g1_batch_mul(out, in, 5, k, 2);
    for (int i = 0; i < 5; i++) {
        bn254_g1 p, e;
        bn254_g1_from_affine(&p, &in[i]);
        if (i == 2) bn254_g1_set_infinity(&p);
        bn254_g1_mul_var(&e, &p, k);
        bn254_g1_affine ea;
        bn254_g1_to_affine_var(&ea, &e);
        CHECK_MSG(memcmp(&ea, &out[i], sizeof ea) == 0, "g1 batch vs group layer, point %d", i);
    }
}

static void test_g2_ct(void) {
    bn254_g2 g, a, b;
    bn254_g2_generator(&g);
    for (int c = 0; c < 8; c++) {
        uint64_t k[4];
        scalar_case(k, c);
        bn254_g2_mul(&a, &g, k);
        bn254_g2_mul_var(&b, &g, k);
        CHECK_MSG(bn254_g2_eq_var(&a, &b), "g2 ct, case %d", c);
    }
}

static void test_g2_batch(void) {
    size_t n = 9;
    bn254_g2_affine in[9], out[9];
    for (size_t i = 0; i < n; i++) rand_g2(&in[i]);
    memset(&in[3], 0, sizeof in[3]);
    in[5] = in[4];
    for (int c = 0; c < 5; c++) {
        uint64_t k[4];
        scalar_case(k, c);
        bn254_g2_batch_mul(out, in, n, k, 2);
        for (size_t i = 0; i < n; i++) {
            bn254_g2 p, e;
            if (bn254_g2_affine_is_infinity(&in[i]))
                bn254_g2_set_infinity(&p);
            else
                bn254_g2_from_affine(&p, &in[i]);
            bn254_g2_mul_var(&e, &p, k);
            bn254_g2_affine ea;
            bn254_g2_to_affine_var(&ea, &e);
            CHECK_MSG(memcmp(&ea, &out[i], sizeof ea) == 0, "g2 batch case %d point %zu", c, i);
        }
    }
}

static void test_g2_msm(void) {
    size_t sizes[] = {0, 1, 4, 40, 300};
    for (size_t si = 0; si < 5; si++) {
        size_t n = sizes[si];
        bn254_g2_affine *pts = calloc(n + 1, sizeof *pts);
        uint8_t *sc = calloc(n + 1, 32);
        bn254_fr *fr = calloc(n + 1, sizeof *fr);
        bn254_g2 e, t, p;
        bn254_g2_set_infinity(&e);
        for (size_t i = 0; i < n; i++) {
            if (i % 7 == 3)
                memset(&pts[i], 0, sizeof pts[i]);
            else if (i % 5 == 4)
                pts[i] = pts[i - 1];
            else
                rand_g2(&pts[i]);
            uint64_t k[4];
            scalar_case(k, (int)(i % 9));
            for (int b = 0; b < 32; b++) sc[32 * i + b] = (uint8_t)(k[b / 8] >> (8 * (b % 8)));
            bn254_fr_from_le(&fr[i], &sc[32 * i]); /* k < r except case 3 (= r) */
            if (i % 9 == 3) bn254_fr_zero(&fr[i]);
            if (bn254_g2_affine_is_infinity(&pts[i]))
                bn254_g2_set_infinity(&p);
            else
                bn254_g2_from_affine(&p, &pts[i]);
            bn254_g2_mul_var(&t, &p, k);
            bn254_g2_add_var(&e, &e, &t);
        }
        for (int th = 1; th <= 2; th++) {
            bn254_g2 r;
            ns_error err;
            CHECK(bn254_g2_msm_var(&r, pts, sc, 32, n, th, &err) == 0);
            CHECK_MSG(bn254_g2_eq_var(&r, &e), "g2 msm bytes n=%zu", n);
            CHECK(bn254_g2_msm_fr_var(&r, pts, fr, n, th, &err) == 0);
            CHECK_MSG(bn254_g2_eq_var(&r, &e), "g2 msm fr n=%zu", n);
        }
        free(pts);
        free(sc);
        free(fr);
    }
}

int main(void) {
    test_g1_cross();
    test_g2_ct();
    test_g2_batch();
    test_g2_msm();
    return ns_test_report("bn254_msm_g2");
}
