/* MSM, batch multiplication and constant-time multiplication on BN254 G1,
 * checked against naive double-and-add references built from the generic
 * Montgomery layer (ff/mont.h) and the Jacobian formulas; absolute values are
 * checked against ffjavascript in tests/compat/msm_diff.test.sh. */
#include <stdlib.h>
#include <string.h>

#include "curve/bn254_batchmul.h"
#include "curve/bn254_ctmul.h"
#include "curve/bn254_fast.h"
#include "curve/bn254_msm.h"
#include "ff/mont.h"
#include "testutil.h"

static ns_mont QM, RM;

static void rand_below(uint64_t out[4], const uint64_t *m) {
    do {
        for (int i = 0; i < 4; i++) out[i] = ns_test_rand64();
        out[3] &= 0x3fffffffffffffffULL;
    } while (out[3] > m[3] || (out[3] == m[3] && out[2] >= m[2]));
}

static void gen(bn254_g1 *g) {
    uint64_t one[NS_MONT_MAX_LIMBS] = {1}, two[NS_MONT_MAX_LIMBS] = {2}; /* sized for any n: no bounds false positive */
    ns_mont_to_mont(g->x.l, one, &QM);
    ns_mont_to_mont(g->y.l, two, &QM);
    ns_mont_to_mont(g->z.l, one, &QM);
}

/* independent reference: generic Montgomery field, affine-free naive
 * double-and-add with the variable-time Jacobian additions */
static void naive_mul(bn254_g1 *r, const bn254_g1 *p, const uint64_t k[4]) {
    bn254_g1 acc;
    memset(&acc, 0, sizeof acc);
    for (int i = 255; i >= 0; i--) {
        bn254x_g1_dbl(&acc, &acc);
        if ((k[i / 64] >> (i % 64)) & 1) bn254x_g1_add_var(&acc, &acc, p);
    }
    *r = acc;
}

static int g1_eq(const bn254_g1 *a, const bn254_g1 *b) {
    int ai = bn254x_is_zero_var(&a->z), bi = bn254x_is_zero_var(&b->z);
    if (ai || bi) return ai == bi;
    uint64_t za2[4], zb2[4], t1[4], t2[4];
    ns_mont_mul(za2, a->z.l, a->z.l, &QM);
    ns_mont_mul(zb2, b->z.l, b->z.l, &QM);
    ns_mont_mul(t1, a->x.l, zb2, &QM);
    ns_mont_mul(t2, b->x.l, za2, &QM);
    if (!ns_mont_eq_mask(t1, t2, &QM)) return 0;
    ns_mont_mul(za2, za2, a->z.l, &QM);
    ns_mont_mul(zb2, zb2, b->z.l, &QM);
    ns_mont_mul(t1, a->y.l, zb2, &QM);
    ns_mont_mul(t2, b->y.l, za2, &QM);
    return ns_mont_eq_mask(t1, t2, &QM) != 0;
}

static void to_affine(bn254_g1_affine *r, const bn254_g1 *a) {
    if (bn254x_is_zero_var(&a->z)) {
        memset(r, 0, sizeof *r);
        return;
    }
    uint64_t zi[4], zi2[4];
    ns_mont_inv(zi, a->z.l, &QM);
    ns_mont_mul(zi2, zi, zi, &QM);
    ns_mont_mul(r->x.l, a->x.l, zi2, &QM);
    ns_mont_mul(zi2, zi2, zi, &QM);
    ns_mont_mul(r->y.l, a->y.l, zi2, &QM);
}

static void from_aff(bn254_g1 *r, const bn254_g1_affine *a) {
    if (bn254x_g1_affine_is_inf(a))
        memset(r, 0, sizeof *r);
    else
        bn254x_g1_from_affine(r, a);
}

static void rand_point(bn254_g1_affine *out) {
    bn254_g1 g, p;
    uint64_t k[4];
    gen(&g);
    rand_below(k, RM.p);
    naive_mul(&p, &g, k);
    to_affine(out, &p);
}

static void test_field(void) {
    for (int i = 0; i < 2000; i++) {
        bn254_fq a, b, r1, r2;
        rand_below(a.l, QM.p);
        rand_below(b.l, QM.p);
        if (i == 0) memcpy(a.l, QM.pm2, sizeof a.l), a.l[0] += 1; /* q - 1 */
        if (i == 1) memset(&a, 0, sizeof a);
        if (i == 2) memcpy(b.l, QM.pm2, sizeof b.l), b.l[0] += 1, a = b;
        bn254x_mul(&r1, &a, &b);
        ns_mont_mul(r2.l, a.l, b.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_sqr(&r1, &a);
        ns_mont_mul(r2.l, a.l, a.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_sqr(&r1, &b);
        ns_mont_mul(r2.l, b.l, b.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_add(&r1, &a, &b);
        ns_mont_add(r2.l, a.l, b.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_sub(&r1, &a, &b);
        ns_mont_sub(r2.l, a.l, b.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_sub(&r1, &b, &a);
        ns_mont_sub(r2.l, b.l, a.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_neg(&r1, &a);
        ns_mont_neg(r2.l, a.l, &QM);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        if (i < 20) {
            bn254x_inv(&r1, &a);
            ns_mont_inv(r2.l, a.l, &QM);
            CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        }
        uint64_t c1[4], c2[4];
        rand_below(c1, RM.p);
        bn254x_fr_canonical(c2, c1);
        ns_mont_from_mont(c1, c1, &RM);
        CHECK(memcmp(c1, c2, sizeof c1) == 0);
    }
}

/* scalars that stress edge cases */
static void special_scalar(uint64_t k[4], int which) {
    memset(k, 0, 32);
    switch (which) {
    case 0: break;                       /* 0 */
    case 1: k[0] = 1; break;             /* 1 */
    case 2: k[0] = 2; break;             /* 2 (exceptional path) */
    case 3: memcpy(k, RM.p, 32); k[0] -= 1; break; /* r - 1 */
    case 4: memcpy(k, RM.p, 32); k[0] -= 2; break; /* r - 2 */
    case 5: memcpy(k, RM.p, 32); break;  /* r */
    case 6: memset(k, 0xff, 32); break;  /* 2^256 - 1 */
    case 7: k[0] = 63; break;
    case 8: k[0] = 64; break;
    case 9: k[0] = 65; break;            /* first odd non-exceptional */
    case 10: memcpy(k, RM.p, 32); k[0] -= 65; break;
    default: rand_below(k, RM.p); break;
    }
}

static void reduce_r(uint64_t k[4]) {
    for (int i = 0; i < 6; i++) {
        uint64_t t[4], borrow = 0;
        for (int l = 0; l < 4; l++) {
            unsigned __int128 d = (unsigned __int128)k[l] - RM.p[l] - borrow;
            t[l] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
        if (!borrow) memcpy(k, t, 32);
    }
}

static void test_ctmul(void) {
    bn254_g1 g, p, r1, r2;
    gen(&g);
    for (int it = 0; it < 24; it++) {
        uint64_t k[4], kr[4];
        special_scalar(k, it);
        p = g;
        if (it & 1) {
            bn254_g1_affine a;
            rand_point(&a);
            from_aff(&p, &a);
        }
        bn254_g1_mul(&r1, &p, k);
        memcpy(kr, k, 32);
        reduce_r(kr);
        naive_mul(&r2, &p, kr);
        CHECK_MSG(g1_eq(&r1, &r2), "ct mul scalar case %d", it);
    }
    /* infinity point */
    uint64_t k[4];
    special_scalar(k, 99);
    memset(&p, 0, sizeof p);
    bn254_g1_mul(&r1, &p, k);
    CHECK(bn254x_is_zero_var(&r1.z));
    /* Fr entry point: k_mont = k * R mod r */
    uint64_t km[4], kc[4];
    special_scalar(kc, 50);
    ns_mont_to_mont(km, kc, &RM);
    bn254_fr kf;
    memcpy(kf.l, km, 32);
    bn254_g1_mul_fr(&r1, &g, &kf);
    naive_mul(&r2, &g, kc);
    CHECK(g1_eq(&r1, &r2));
}

/* Random scalars on a few points: every combination of the recoding's end
 * corrections (|k1| even or odd; |k2| = 2h + low with h even or odd, low 0
 * or 1) occurs among 48 of them. */
static void test_batch_random(void) {
    enum { N = 3, K = 48 };
    bn254_g1_affine in[N], out[N];
    for (int i = 0; i < N; i++) rand_point(&in[i]);
    int bad = 0;
    for (int sc = 0; sc < K; sc++) {
        uint64_t k[4];
        rand_below(k, RM.p);
        bn254_g1_batch_mul(out, in, N, k, 1);
        for (int i = 0; i < N; i++) {
            bn254_g1 p, e, got;
            from_aff(&p, &in[i]);
            naive_mul(&e, &p, k);
            from_aff(&got, &out[i]);
            if (!g1_eq(&e, &got)) bad++;
        }
    }
    CHECK_MSG(bad == 0, "batch random scalars: %d wrong", bad);
}

static void test_batch(void) {
    size_t sizes[] = {0, 1, 2, 33, 70};
    bn254_g1_affine pool[8];
    for (int i = 0; i < 8; i++) rand_point(&pool[i]);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        bn254_g1_affine *in = calloc(n + 1, sizeof *in), *out = calloc(n + 1, sizeof *out);
        for (size_t i = 0; i < n; i++) {
            uint64_t c = ns_test_rand64() % 10;
            if (c == 0)
                memset(&in[i], 0, sizeof in[i]); /* infinity */
            else
                in[i] = pool[c % 8]; /* duplicates */
        }
        for (int sc = 0; sc < 13; sc++) {
            uint64_t k[4], kr[4];
            special_scalar(k, sc);
            memcpy(kr, k, 32);
            reduce_r(kr);
            int threads = 1 + (sc & 1);
            bn254_g1_batch_mul(out, in, n, k, threads);
            int bad = 0;
            for (size_t i = 0; i < n; i++) {
                bn254_g1 p, e, got;
                from_aff(&p, &in[i]);
                naive_mul(&e, &p, kr);
                from_aff(&got, &out[i]);
                if (!g1_eq(&e, &got)) bad++;
            }
            CHECK_MSG(bad == 0, "batch n=%zu scalar case %d: %d wrong", n, sc, bad);
        }
        /* in place, Fr entry point */
        if (n > 0) {
            uint64_t kc[4], km[4];
            special_scalar(kc, 77);
            ns_mont_to_mont(km, kc, &RM);
            bn254_fr kf;
            memcpy(kf.l, km, 32);
            bn254_g1_affine *copy = malloc(n * sizeof *copy);
            memcpy(copy, in, n * sizeof *copy);
            bn254_g1_batch_mul_fr(copy, copy, n, &kf, 2);
            int bad = 0;
            for (size_t i = 0; i < n; i++) {
                bn254_g1 p, e, got;
                from_aff(&p, &in[i]);
                naive_mul(&e, &p, kc);
                from_aff(&got, &copy[i]);
                if (!g1_eq(&e, &got)) bad++;
            }
            CHECK_MSG(bad == 0, "batch in-place fr n=%zu: %d wrong", n, bad);
            free(copy);
        }
        free(in);
        free(out);
    }
}

/* Short scalars (the MSM takes only the windows the largest one needs):
 * 64-bit random weights as zkey verify uses, 64-bit all-ones, 9-bit and
 * 8-bit values, against the naive sum. */
static void test_msm_short(void) {
    const size_t sizes[] = {5, 300, 2000};
    const int bits[] = {64, 64, 9, 8, 1};
    bn254_g1_affine pool[8];
    for (int i = 0; i < 8; i++) rand_point(&pool[i]);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        for (size_t bi = 0; bi < sizeof bits / sizeof bits[0]; bi++) {
            size_t n = sizes[si];
            bn254_g1_affine *pts = calloc(n, sizeof *pts);
            uint8_t *sc = calloc(n, 32);
            bn254_g1 e, t, p;
            memset(&e, 0, sizeof e);
            for (size_t i = 0; i < n; i++) {
                uint64_t k[4] = {ns_test_rand64(), 0, 0, 0};
                if (bits[bi] < 64) k[0] &= ((uint64_t)1 << bits[bi]) - 1;
                if (bi == 1) k[0] = ~(uint64_t)0;
                pts[i] = pool[ns_test_rand64() % 8];
                for (int b = 0; b < 8; b++) sc[32 * i + b] = (uint8_t)(k[0] >> (8 * b));
                from_aff(&p, &pts[i]);
                naive_mul(&t, &p, k);
                bn254x_g1_add_var(&e, &e, &t);
            }
            for (int threads = 1; threads <= 2; threads++) {
                bn254_g1 r;
                ns_error err;
                CHECK(bn254_g1_msm_var(&r, pts, sc, 32, n, threads, &err) == 0);
                CHECK_MSG(g1_eq(&r, &e), "msm short scalars n=%zu bits=%d threads=%d", n, bits[bi], threads);
            }
            free(pts);
            free(sc);
        }
    }
}

static void test_msm(void) {
    size_t sizes[] = {0, 1, 2, 3, 5, 17, 64, 300, 2000};
    bn254_g1_affine pool[16];
    for (int i = 0; i < 16; i++) rand_point(&pool[i]);
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        bn254_g1_affine *pts = calloc(n + 1, sizeof *pts);
        uint8_t *sc = calloc(n + 1, 32);
        bn254_fr *fr = calloc(n + 1, sizeof *fr);
        uint64_t(*kc)[4] = calloc(n + 1, sizeof *kc);
        for (size_t i = 0; i < n; i++) {
            uint64_t c = ns_test_rand64() % 12;
            if (c == 0)
                memset(&pts[i], 0, sizeof pts[i]);
            else
                pts[i] = pool[ns_test_rand64() % 16];
            special_scalar(kc[i], c == 1 ? 0 : c == 2 ? 6 : c == 3 ? 3 : c == 4 ? 1 : 99);
            for (int b = 0; b < 32; b++) sc[32 * i + b] = (uint8_t)(kc[i][b / 8] >> (8 * (b % 8)));
            uint64_t red[4];
            memcpy(red, kc[i], 32);
            reduce_r(red);
            ns_mont_to_mont(fr[i].l, red, &RM);
        }
        /* naive sum */
        bn254_g1 e, t, p;
        memset(&e, 0, sizeof e);
        for (size_t i = 0; i < n; i++) {
            uint64_t red[4];
            memcpy(red, kc[i], 32);
            reduce_r(red);
            from_aff(&p, &pts[i]);
            naive_mul(&t, &p, red);
            bn254x_g1_add_var(&e, &e, &t);
        }
        for (int threads = 1; threads <= 3; threads += 2) {
            bn254_g1 r;
            ns_error err;
            CHECK(bn254_g1_msm_var(&r, pts, sc, 32, n, threads, &err) == 0);
            CHECK_MSG(g1_eq(&r, &e), "msm bytes n=%zu threads=%d", n, threads);
            CHECK(bn254_g1_msm_fr_var(&r, pts, fr, n, threads, &err) == 0);
            CHECK_MSG(g1_eq(&r, &e), "msm fr n=%zu threads=%d", n, threads);
        }
        free(pts);
        free(sc);
        free(fr);
        free(kc);
    }
    /* all points equal, all scalars equal: buckets meet doublings */
    {
        size_t n = 50;
        bn254_g1_affine *pts = calloc(n, sizeof *pts);
        uint8_t *sc = calloc(n, 32);
        for (size_t i = 0; i < n; i++) {
            pts[i] = pool[0];
            sc[32 * i] = 5;
        }
        bn254_g1 r, e, p;
        uint64_t k[4] = {250, 0, 0, 0};
        from_aff(&p, &pool[0]);
        naive_mul(&e, &p, k);
        ns_error err;
        CHECK(bn254_g1_msm_var(&r, pts, sc, 32, n, 2, &err) == 0);
        CHECK(g1_eq(&r, &e));
        free(pts);
        free(sc);
    }
    /* P and -P in the same bucket cancel; P, -P, P leaves P */
    {
        bn254_g1_affine pts[3];
        uint8_t sc[96] = {0};
        pts[0] = pool[1];
        pts[1] = pool[1];
        bn254x_neg(&pts[1].y, &pool[1].y);
        pts[2] = pool[1];
        sc[0] = sc[32] = sc[64] = 5;
        bn254_g1 r, e, p;
        ns_error err;
        CHECK(bn254_g1_msm_var(&r, pts, sc, 32, 2, 1, &err) == 0);
        CHECK(bn254x_is_zero_var(&r.z));
        CHECK(bn254_g1_msm_var(&r, pts, sc, 32, 3, 1, &err) == 0);
        uint64_t k[4] = {5, 0, 0, 0};
        from_aff(&p, &pool[1]);
        naive_mul(&e, &p, k);
        CHECK(g1_eq(&r, &e));
    }
    /* distinct points (the affine bucket sums without exceptions), the first
     * (point, scalar) pair repeated three times: in every window the empty
     * bucket it fills then meets a doubling, so one bucket spills and is
     * summed on its own */
    {
        size_t n = 2100;
        CHECK(bn254_msm_window_bits(n) >= 9); /* >= 256 buckets: affine bucket sums */
        bn254_g1_affine *pts = malloc(n * sizeof *pts);
        uint8_t *sc = malloc(n * 32);
        bn254_g1 acc, e, t, p, r;
        gen(&acc);
        p = acc;
        memset(&e, 0, sizeof e);
        for (size_t i = 0; i < n; i++) {
            uint64_t k[4];
            if (i >= 1 && i <= 3) {
                pts[i] = pts[0];
                memcpy(sc + 32 * i, sc, 32);
                for (int l = 0; l < 4; l++) {
                    k[l] = 0;
                    for (int b = 7; b >= 0; b--) k[l] = k[l] << 8 | sc[8 * (size_t)l + (size_t)b];
                }
            } else {
                bn254x_g1_add_var(&acc, &acc, &acc);
                bn254x_g1_add_var(&acc, &acc, &p); /* p: the previous point (any) */
                to_affine(&pts[i], &acc);
                from_aff(&p, &pts[i]);
                rand_below(k, RM.p);
                for (int b = 0; b < 32; b++) sc[32 * i + b] = (uint8_t)(k[b / 8] >> (8 * (b % 8)));
            }
            from_aff(&p, &pts[i]);
            naive_mul(&t, &p, k);
            bn254x_g1_add_var(&e, &e, &t);
        }
        ns_error err;
        for (int threads = 1; threads <= 2; threads++) {
            CHECK(bn254_g1_msm_var(&r, pts, sc, 32, n, threads, &err) == 0);
            CHECK_MSG(g1_eq(&r, &e), "msm distinct + a repeated pair, threads=%d", threads);
        }
        free(pts);
        free(sc);
    }
    /* large n (window >= 10 bits: the batched-affine bucket path), points
     * from a pool so the reference is 16 multiplications by summed scalars */
    {
        size_t n = 24000;
        bn254_g1_affine *pts = malloc(n * sizeof *pts);
        uint8_t *sc = malloc(n * 32);
        uint64_t sum[16][4];
        memset(sum, 0, sizeof sum);
        for (size_t i = 0; i < n; i++) {
            unsigned c = (unsigned)(ns_test_rand64() % 17);
            uint64_t k[4];
            rand_below(k, RM.p);
            for (int b = 0; b < 32; b++) sc[32 * i + b] = (uint8_t)(k[b / 8] >> (8 * (b % 8)));
            if (c == 16) {
                memset(&pts[i], 0, sizeof pts[i]);
                continue;
            }
            pts[i] = pool[c];
            ns_mont_add(sum[c], sum[c], k, &RM); /* plain addition mod r */
        }
        bn254_g1 e, t, p, r;
        memset(&e, 0, sizeof e);
        for (int c = 0; c < 16; c++) {
            from_aff(&p, &pool[c]);
            naive_mul(&t, &p, sum[c]);
            bn254x_g1_add_var(&e, &e, &t);
        }
        ns_error err;
        CHECK(bn254_msm_window_bits(n) >= 10);
        CHECK(bn254_g1_msm_var(&r, pts, sc, 32, n, 2, &err) == 0);
        CHECK_MSG(g1_eq(&r, &e), "msm large n");
        free(pts);
        free(sc);
    }
    CHECK(bn254_msm_window_bits(1 << 16) >= 10);
    /* one point, small scalars (k_i = i mod 301 + 1): every bucket holds a
     * multiple of P, so the affine bucket-sum chains (run += bucket, tot +=
     * run, batched together) meet doublings and cancellations */
    {
        size_t n = 2100;
        CHECK(bn254_msm_window_bits(n) >= 9);
        bn254_g1_affine *pts = malloc(n * sizeof *pts);
        uint8_t *sc = calloc(n, 32);
        uint64_t total = 0;
        for (size_t i = 0; i < n; i++) {
            pts[i] = pool[2];
            uint64_t k = i % 301 + 1;
            sc[32 * i] = (uint8_t)k;
            sc[32 * i + 1] = (uint8_t)(k >> 8);
            total += k;
        }
        bn254_g1 e, p, r;
        uint64_t k[4] = {total, 0, 0, 0};
        from_aff(&p, &pool[2]);
        naive_mul(&e, &p, k);
        ns_error err;
        for (int threads = 1; threads <= 2; threads++) {
            CHECK(bn254_g1_msm_var(&r, pts, sc, 32, n, threads, &err) == 0);
            CHECK_MSG(g1_eq(&r, &e), "msm one point, small scalars, threads=%d", threads);
        }
        free(pts);
        free(sc);
    }
}

/* bn254_g1_sum_var against one-by-one Jacobian additions, on sums with
 * doublings (a point twice, also meeting at higher levels) and
 * cancellations (P and -P), odd and even counts. */
static void test_tree_sum(void) {
    bn254_g1 g, acc;
    bn254_g1_generator(&g);
    bn254_g1_affine pool[6];
    acc = g;
    for (int i = 0; i < 6; i++) {
        bn254_g1_to_affine_var(&pool[i], &acc);
        bn254_g1_add_var(&acc, &acc, &acc);
        bn254_g1_add_var(&acc, &acc, &g);
    }
    static const size_t sizes[] = {0, 1, 2, 3, 4, 5, 8, 33, 100};
    for (int pattern = 0; pattern < 3; pattern++)
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
            size_t n = sizes[si];
            bn254_g1_affine *p = malloc((n + 1) * sizeof *p);
            bn254_g1 want;
            bn254_g1_set_infinity(&want);
            for (size_t i = 0; i < n; i++) {
                if (pattern == 0) p[i] = pool[i % 6];                  /* distinct neighbours */
                else if (pattern == 1) p[i] = pool[(i / 2) % 2];       /* pairs: doublings, then equal sums */
                else p[i] = pool[(i / 2) % 3];                         /* pairs P, -P: cancellations */
                if (pattern == 2 && i % 2) bn254_g1_affine_neg(&p[i], &p[i]);
                bn254_g1_add_affine_var(&want, &want, &p[i]);
            }
            bn254_g1 got;
            CHECK(bn254_g1_sum_var(&got, p, n) == 0);
            bn254_g1_affine a, b;
            bn254_g1_to_affine_var(&a, &got);
            bn254_g1_to_affine_var(&b, &want);
            CHECK_MSG(memcmp(&a, &b, sizeof a) == 0 && bn254_g1_is_infinity(&got) == bn254_g1_is_infinity(&want),
                      "tree sum pattern %d n %zu", pattern, n);
            free(p);
        }
}

int main(void) {
    static const uint64_t q[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                  0x30644e72e131a029ULL};
    static const uint64_t r[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                  0x30644e72e131a029ULL};
    ns_mont_init(&QM, 4, q);
    ns_mont_init(&RM, 4, r);
    test_field();
    test_ctmul();
    test_batch();
    test_batch_random();
    test_msm();
    test_msm_short();
    test_tree_sum();
    return ns_test_report("bn254_msm");
}
