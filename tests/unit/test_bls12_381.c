/* BLS12-381 field tower, groups and pairing: algebraic identities on random
 * elements, independent re-computations (Frobenius against a^p, cyclotomic
 * squaring against squaring, the 64-byte reduction against Horner, the fast
 * subgroup checks and the G2 cofactor clearing against plain scalar
 * multiplications), constants against bls12_381_constants.json, and the
 * pairing against the e(G1, G2) known answers of pairing_vectors.json
 * (the library value and the literal draft value cubed), bilinearity,
 * e^r = 1 and multi-pairing checks across the Miller-loop batch size. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve/bls12_381_group.h"
#include "curve/bls12_381_h2c.h"
#include "test_bls_common.h"
#include "testutil.h"
#include "util/hex.h"

static const uint64_t R_LIMBS[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                                    0x73eda753299d7d48ULL};

/* "0x..." -> little-endian limbs (up to nl) */
static int parse_limbs(uint64_t *out, size_t nl, const char *s) {
    if (s == NULL) return 0;
    if (strncmp(s, "0x", 2) == 0) s += 2;
    memset(out, 0, nl * 8);
    size_t n = strlen(s);
    if (n > nl * 16) return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[n - 1 - i];
        int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (v < 0) return 0;
        out[i / 16] |= (uint64_t)v << (4 * (i % 16));
    }
    return 1;
}

static void rand_fp(bls_fp *r) {
    uint8_t b[64];
    ns_test_rand_bytes(b, sizeof b);
    bls_fp_from_be64_reduce(r, b);
}
static void rand_fp2(bls_fp2 *r) {
    rand_fp(&r->c0);
    rand_fp(&r->c1);
}
static void rand_fp6(bls_fp6 *r) {
    rand_fp2(&r->c0);
    rand_fp2(&r->c1);
    rand_fp2(&r->c2);
}
static void rand_fp12(bls_fp12 *r) {
    rand_fp6(&r->c0);
    rand_fp6(&r->c1);
}

static void fp12_pow(bls_fp12 *r, const bls_fp12 *a, const uint64_t *e, int nl) {
    bls_fp12 acc;
    bls_fp12_one(&acc);
    for (int i = nl * 64 - 1; i >= 0; i--) {
        bls_fp12_sqr(&acc, &acc);
        if ((e[i / 64] >> (i % 64)) & 1) bls_fp12_mul(&acc, &acc, a);
    }
    *r = acc;
}

/* f^((p^6 - 1)(p^2 + 1)): into the cyclotomic subgroup */
static void easy_part(bls_fp12 *r, const bls_fp12 *f) {
    bls_fp12 t, u;
    bls_fp12_inv_var(&t, f);
    bls_fp12_conj(&u, f);
    bls_fp12_mul(&t, &u, &t);
    bls_fp12_frobenius(&u, &t, 2);
    bls_fp12_mul(r, &u, &t);
}

static void test_fp(void) {
    bls_fp a, b, c, t, u, one, zero;
    bls_fp_one(&one);
    bls_fp_zero(&zero);
    for (int it = 0; it < 200; it++) {
        rand_fp(&a);
        rand_fp(&b);
        /* sqrt */
        bls_fp_sqr(&c, &a);
        CHECK(bls_fp_sqrt_var(&t, &c));
        bls_fp_neg(&u, &t);
        CHECK(bls_fp_eq(&t, &a) || bls_fp_eq(&u, &a));
        CHECK(bls_fp_is_square_var(&c));
        bls_fp_neg(&c, &c); /* -a^2 is a non-square (p = 3 mod 4) */
        CHECK(!bls_fp_sqrt_var(&t, &c) && !bls_fp_is_square_var(&c));
        CHECK(bls_fp_sqrt_var(&t, &b) == bls_fp_is_square_var(&b));
        /* half, inverse */
        bls_fp_half(&t, &a);
        bls_fp_dbl(&t, &t);
        CHECK(bls_fp_eq(&t, &a));
        bls_fp_inv_var(&t, &a);
        bls_fp_mul(&t, &t, &a);
        CHECK(bls_fp_is_one(&t));
        /* signs: exactly one of a, -a is "largest"; parities differ */
        bls_fp_neg(&u, &a);
        CHECK(bls_fp_is_lex_largest(&a) != bls_fp_is_lex_largest(&u));
        CHECK(bls_fp_sgn0(&a) != bls_fp_sgn0(&u));
        /* 64-byte reduction against Horner over the bytes */
        uint8_t buf[64];
        ns_test_rand_bytes(buf, sizeof buf);
        if (it < 3) memset(buf, 0xff, sizeof buf);
        bls_fp_from_be64_reduce(&t, buf);
        bls_fp k256, acc, d;
        bls_fp_from_u64(&k256, 256);
        bls_fp_zero(&acc);
        for (int i = 0; i < 64; i++) {
            bls_fp_mul(&acc, &acc, &k256);
            bls_fp_from_u64(&d, buf[i]);
            bls_fp_add(&acc, &acc, &d);
        }
        CHECK(bls_fp_eq(&t, &acc));
    }
    /* windowed pow_var == plain square-and-multiply */
    for (int it = 0; it < 20; it++) {
        uint64_t e[6];
        bls_fp want, got;
        rand_fp(&a);
        for (int i = 0; i < 6; i++) e[i] = it < 6 ? (uint64_t)(it == i) * (uint64_t)(it + 1) : ns_test_rand64();
        if (it == 0) memset(e, 0, sizeof e);
        bls_fp_one(&want);
        for (int i = 383; i >= 0; i--) {
            bls_fp_sqr(&want, &want);
            if ((e[i / 64] >> (i % 64)) & 1) bls_fp_mul(&want, &want, &a);
        }
        bls_fp_pow_var(&got, &a, e, 6);
        CHECK_MSG(bls_fp_eq(&got, &want), "pow_var case %d", it);
    }
    /* mont.h 6-limb add/sub == the generic loops, including edge values */
    {
        bls_fp e[4];
        bls_fp_zero(&e[0]);
        bls_fp_one(&e[1]);
        bls_fp_neg(&e[2], &e[1]); /* p - 1 (Montgomery form of -1) */
        memcpy(e[3].l, bls_fp_mont.p, sizeof e[3].l);
        e[3].l[0] -= 1; /* raw p - 1 */
        for (int it = 0; it < 216; it++) {
            bls_fp x, y;
            uint64_t r1[6], r2[6];
            if (it < 16) {
                x = e[it & 3];
                y = e[it >> 2];
            } else {
                rand_fp(&x);
                rand_fp(&y);
            }
            ns_mont_add6(r1, x.l, y.l, bls_fp_mont.p);
            ns_mont_add(r2, x.l, y.l, &bls_fp_mont);
            CHECK(memcmp(r1, r2, sizeof r1) == 0);
            ns_mont_sub6(r1, x.l, y.l, bls_fp_mont.p);
            ns_mont_sub(r2, x.l, y.l, &bls_fp_mont);
            CHECK(memcmp(r1, r2, sizeof r1) == 0);
        }
    }
    CHECK(!bls_fp_is_lex_largest(&zero) && bls_fp_sgn0(&zero) == 0 && bls_fp_sgn0(&one) == 1);
    bls_fp_inv_var(&t, &zero);
    CHECK(bls_fp_is_zero(&t));
    /* canonical values: (p-1)/2 is not "largest", (p+1)/2 is */
    bls_fp_neg(&t, &one);
    bls_fp_half(&t, &t); /* (p-1)/2 */
    CHECK(!bls_fp_is_lex_largest(&t));
    bls_fp_add(&t, &t, &one);
    CHECK(bls_fp_is_lex_largest(&t));
}

static void test_fp2(void) {
    bls_fp2 a, b, c, t, u, xi;
    bls_fp_one(&xi.c0);
    bls_fp_one(&xi.c1);
    for (int it = 0; it < 200; it++) {
        rand_fp2(&a);
        rand_fp2(&b);
        bls_fp2_mul(&t, &a, &a);
        bls_fp2_sqr(&u, &a);
        CHECK(bls_fp2_eq(&t, &u));
        bls_fp2_mul(&t, &a, &b);
        bls_fp2_mul(&u, &b, &a);
        CHECK(bls_fp2_eq(&t, &u));
        /* conj is multiplicative, a * conj(a) in Fp */
        bls_fp2_conj(&c, &t);
        bls_fp2_conj(&t, &a);
        bls_fp2_conj(&u, &b);
        bls_fp2_mul(&t, &t, &u);
        CHECK(bls_fp2_eq(&c, &t));
        bls_fp2_conj(&t, &a);
        bls_fp2_mul(&t, &t, &a);
        CHECK(bls_fp_is_zero(&t.c1));
        bls_fp2_mul_by_xi(&t, &a);
        bls_fp2_mul(&u, &a, &xi);
        CHECK(bls_fp2_eq(&t, &u));
        bls_fp2_inv_var(&t, &a);
        bls_fp2_mul(&t, &t, &a);
        CHECK(bls_fp2_is_one(&t));
        /* sqrt */
        bls_fp2_sqr(&c, &a);
        CHECK(bls_fp2_sqrt_var(&t, &c));
        bls_fp2_neg(&u, &t);
        CHECK(bls_fp2_eq(&t, &a) || bls_fp2_eq(&u, &a));
        CHECK(bls_fp2_sqrt_var(&t, &b) == bls_fp2_is_square_var(&b));
        if (bls_fp2_sqrt_var(&t, &b)) {
            bls_fp2_sqr(&u, &t);
            CHECK(bls_fp2_eq(&u, &b));
        }
        /* a square times the non-square xi is a non-square */
        bls_fp2_mul_by_xi(&t, &c);
        CHECK(!bls_fp2_sqrt_var(&u, &t) && !bls_fp2_is_square_var(&t));
        /* sqrt of Fp elements embedded in Fp2 (c1 = 0 branch) */
        c = a;
        bls_fp_zero(&c.c1);
        CHECK(bls_fp2_sqrt_var(&t, &c));
        bls_fp2_sqr(&u, &t);
        CHECK(bls_fp2_eq(&u, &c));
        /* sgn0 and lex order of a and -a */
        bls_fp2_neg(&u, &a);
        CHECK(bls_fp2_sgn0(&a) != bls_fp2_sgn0(&u));
        CHECK(bls_fp2_is_lex_largest(&a) != bls_fp2_is_lex_largest(&u));
    }
}

static void test_fp6_fp12(void) {
    for (int it = 0; it < 30; it++) {
        bls_fp6 a, b, c, t, u;
        rand_fp6(&a);
        rand_fp6(&b);
        rand_fp6(&c);
        bls_fp6_mul(&t, &a, &b);
        bls_fp6_mul(&t, &t, &c);
        bls_fp6_mul(&u, &b, &c);
        bls_fp6_mul(&u, &a, &u);
        CHECK(bls_fp6_eq(&t, &u));
        bls_fp6_sqr(&t, &a);
        bls_fp6_mul(&u, &a, &a);
        CHECK(bls_fp6_eq(&t, &u));
        bls_fp6_inv_var(&t, &a);
        bls_fp6_mul(&t, &t, &a);
        bls_fp6_one(&u);
        CHECK(bls_fp6_eq(&t, &u));
        /* mul_by_v == multiplication by (0, 1, 0) */
        bls_fp6 v;
        bls_fp6_zero(&v);
        bls_fp2_one(&v.c1);
        bls_fp6_mul(&t, &a, &v);
        bls_fp6_mul_by_v(&u, &a);
        CHECK(bls_fp6_eq(&t, &u));

        bls_fp12 x, y, z, r1, r2;
        rand_fp12(&x);
        rand_fp12(&y);
        rand_fp12(&z);
        bls_fp12_mul(&r1, &x, &y);
        bls_fp12_mul(&r1, &r1, &z);
        bls_fp12_mul(&r2, &y, &z);
        bls_fp12_mul(&r2, &x, &r2);
        CHECK(bls_fp12_eq(&r1, &r2));
        bls_fp12_sqr(&r1, &x);
        bls_fp12_mul(&r2, &x, &x);
        CHECK(bls_fp12_eq(&r1, &r2));
        bls_fp12_inv_var(&r1, &x);
        bls_fp12_mul(&r1, &r1, &x);
        CHECK(bls_fp12_is_one(&r1));
        /* sparse line product == full product */
        bls_fp12 l;
        memset(&l, 0, sizeof l);
        rand_fp2(&l.c0.c0);
        rand_fp2(&l.c0.c1);
        rand_fp2(&l.c1.c1);
        bls_fp12_mul(&r1, &x, &l);
        bls_fp12_mul_by_014(&r2, &x, &l.c0.c0, &l.c0.c1, &l.c1.c1);
        CHECK(bls_fp12_eq(&r1, &r2));
        /* Frobenius: multiplicative, order 12, conj == frob^6 */
        bls_fp12_mul(&r1, &x, &y);
        bls_fp12_frobenius(&r1, &r1, 1);
        bls_fp12_frobenius(&r2, &x, 1);
        bls_fp12_frobenius(&z, &y, 1);
        bls_fp12_mul(&r2, &r2, &z);
        CHECK(bls_fp12_eq(&r1, &r2));
        bls_fp12_frobenius(&r1, &x, 12);
        CHECK(bls_fp12_eq(&r1, &x));
        bls_fp12_frobenius(&r1, &x, 6);
        bls_fp12_conj(&r2, &x);
        CHECK(bls_fp12_eq(&r1, &r2));
        /* cyclotomic squaring == squaring after the easy part */
        easy_part(&z, &x);
        bls_fp12_cyclotomic_sqr(&r1, &z);
        bls_fp12_sqr(&r2, &z);
        CHECK(bls_fp12_eq(&r1, &r2));
        /* in the cyclotomic subgroup, the inverse is the conjugate */
        bls_fp12_conj(&r1, &z);
        bls_fp12_mul(&r1, &r1, &z);
        CHECK(bls_fp12_is_one(&r1));
    }
    /* x^p by exponentiation == Frobenius (checks all gamma constants) */
    static const uint64_t P[6] = {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                                  0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};
    for (int it = 0; it < 2; it++) {
        bls_fp12 x, r1, r2;
        rand_fp12(&x);
        fp12_pow(&r1, &x, P, 6);
        bls_fp12_frobenius(&r2, &x, 1);
        CHECK_MSG(bls_fp12_eq(&r1, &r2), "Frobenius != x^p");
    }
}

static void test_constants(void) {
    json_t *j = load("drand/bls12_381_constants.json");
    if (!j) return;
    json_t *g1 = json_object_get(j, "g1_generator"), *g2 = json_object_get(j, "g2_generator");
    bls_g1 G1;
    bls_g2 G2;
    bls_g1_affine a1;
    bls_g2_affine a2;
    bls_fp x;
    bls_g1_generator(&G1);
    bls_g2_generator(&G2);
    bls_g1_to_affine_var(&a1, &G1);
    bls_g2_to_affine_var(&a2, &G2);
    CHECK(parse_fp(&x, json_string_value(json_object_get(g1, "x"))) && bls_fp_eq(&x, &a1.x));
    CHECK(parse_fp(&x, json_string_value(json_object_get(g1, "y"))) && bls_fp_eq(&x, &a1.y));
    json_t *gx = json_object_get(g2, "x"), *gy = json_object_get(g2, "y");
    CHECK(parse_fp(&x, json_string_value(json_object_get(gx, "c0"))) && bls_fp_eq(&x, &a2.x.c0));
    CHECK(parse_fp(&x, json_string_value(json_object_get(gx, "c1"))) && bls_fp_eq(&x, &a2.x.c1));
    CHECK(parse_fp(&x, json_string_value(json_object_get(gy, "c0"))) && bls_fp_eq(&x, &a2.y.c0));
    CHECK(parse_fp(&x, json_string_value(json_object_get(gy, "c1"))) && bls_fp_eq(&x, &a2.y.c1));
    CHECK(bls_g1_affine_on_curve_var(&a1) && bls_g2_affine_on_curve_var(&a2));
    /* p in the Montgomery descriptor */
    uint64_t p[6];
    CHECK(parse_limbs(p, 6, json_string_value(json_object_get(j, "p"))));
    CHECK(memcmp(p, bls_fp_mont.p, sizeof p) == 0 && bls_fp_mont.n == 6);
    /* r, and [r]G == O on both groups */
    uint64_t r[4];
    CHECK(parse_limbs(r, 4, json_string_value(json_object_get(j, "r"))) && memcmp(r, R_LIMBS, sizeof r) == 0);
    bls_g1 t1;
    bls_g2 t2;
    bls_g1_mul_var(&t1, &G1, r, 4);
    bls_g2_mul_var(&t2, &G2, r, 4);
    CHECK(bls_g1_is_infinity(&t1) && bls_g2_is_infinity(&t2));
    /* G2 cofactor clearing == [h_eff]P on points of E2 outside G2 */
    uint64_t heff[10];
    CHECK(parse_limbs(heff, 10, json_string_value(json_object_get(json_object_get(j, "h2c_G2"), "h_eff"))));
    for (int it = 0; it < 3; it++) {
        bls_fp2 u;
        bls_g2 q, c1, c2, ps, zq;
        rand_fp2(&u);
        bls_map_to_g2_var(&q, &u);
        CHECK(!bls_g2_in_subgroup_var(&q));
        bls_g2_clear_cofactor_var(&c1, &q);
        bls_g2_mul_var(&c2, &q, heff, 10);
        CHECK_MSG(bls_g2_eq_var(&c1, &c2), "clear_cofactor != [h_eff]P");
        CHECK(bls_g2_in_subgroup_var(&c1));
        /* psi^2 == psi o psi; on G2, psi == [z] */
        bls_g2_psi(&ps, &q);
        bls_g2_psi(&ps, &ps);
        bls_g2_psi2(&zq, &q);
        CHECK(bls_g2_eq_var(&ps, &zq));
        const uint64_t zabs = BLS_Z_ABS;
        bls_g2_psi(&ps, &c1);
        bls_g2_mul_var(&zq, &c1, &zabs, 1);
        bls_g2_neg(&zq, &zq);
        CHECK(bls_g2_eq_var(&ps, &zq));
    }
    /* SSWU exceptional case u = 0 (tv1 = 0): still a point of E */
    {
        bls_fp z1;
        bls_fp2 z2;
        bls_g1 q1;
        bls_g2 q2;
        bls_g1_affine aq1;
        bls_g2_affine aq2;
        bls_fp_zero(&z1);
        bls_fp2_zero(&z2);
        bls_map_to_g1_var(&q1, &z1);
        bls_map_to_g2_var(&q2, &z2);
        bls_g1_to_affine_var(&aq1, &q1);
        bls_g2_to_affine_var(&aq2, &q2);
        CHECK(!aq1.inf && bls_g1_affine_on_curve_var(&aq1));
        CHECK(!aq2.inf && bls_g2_affine_on_curve_var(&aq2));
    }
    /* G1: h_eff = 1 - z as in the JSON */
    uint64_t h1[1];
    CHECK(parse_limbs(h1, 1, "0xd201000000010001"));
    for (int it = 0; it < 3; it++) {
        bls_fp u;
        bls_g1 q, c1, c2;
        rand_fp(&u);
        bls_map_to_g1_var(&q, &u);
        CHECK(!bls_g1_in_subgroup_var(&q));
        bls_g1_clear_cofactor_var(&c1, &q);
        bls_g1_mul_var(&c2, &q, h1, 1);
        CHECK(bls_g1_eq_var(&c1, &c2) && bls_g1_in_subgroup_var(&c1));
        bls_g1_mul_var(&c2, &c1, r, 4);
        CHECK(bls_g1_is_infinity(&c2));
    }
    json_decref(j);
}

static void test_group_laws(void) {
    bls_g1 G1, p, q, s, t, u;
    bls_g2 G2, p2, q2, s2, t2, u2;
    bls_g1_generator(&G1);
    bls_g2_generator(&G2);
    for (int it = 0; it < 10; it++) {
        uint64_t a = ns_test_rand64() >> 1, b = ns_test_rand64() >> 1, c = a + b;
        bls_g1_mul_var(&p, &G1, &a, 1);
        bls_g1_mul_var(&q, &G1, &b, 1);
        bls_g1_mul_var(&s, &G1, &c, 1);
        bls_g1_add_var(&t, &p, &q);
        CHECK(bls_g1_eq_var(&t, &s));
        bls_g1_add_var(&t, &p, &p);
        bls_g1_dbl(&u, &p);
        CHECK(bls_g1_eq_var(&t, &u));
        bls_g1_neg(&u, &p);
        bls_g1_add_var(&t, &p, &u);
        CHECK(bls_g1_is_infinity(&t));
        bls_g1_add_var(&t, &p, &q);
        bls_g1_add_var(&t, &t, &s);
        bls_g1_add_var(&u, &q, &s);
        bls_g1_add_var(&u, &p, &u);
        CHECK(bls_g1_eq_var(&t, &u));
        CHECK(bls_g1_in_subgroup_var(&p) && !bls_g1_eq_var(&p, &q));

        bls_g2_mul_var(&p2, &G2, &a, 1);
        bls_g2_mul_var(&q2, &G2, &b, 1);
        bls_g2_mul_var(&s2, &G2, &c, 1);
        bls_g2_add_var(&t2, &p2, &q2);
        CHECK(bls_g2_eq_var(&t2, &s2));
        bls_g2_add_var(&t2, &p2, &p2);
        bls_g2_dbl(&u2, &p2);
        CHECK(bls_g2_eq_var(&t2, &u2));
        bls_g2_neg(&u2, &p2);
        bls_g2_add_var(&t2, &p2, &u2);
        CHECK(bls_g2_is_infinity(&t2));
        CHECK(bls_g2_in_subgroup_var(&p2) && !bls_g2_eq_var(&p2, &q2));
    }
    bls_g1_set_infinity(&p);
    CHECK(bls_g1_in_subgroup_var(&p));
    bls_g1_add_var(&t, &p, &G1);
    CHECK(bls_g1_eq_var(&t, &G1));
}

static int fp12_from_json(bls_fp12 *r, json_t *coeffs) {
    bls_fp *c[12] = {&r->c0.c0.c0, &r->c0.c0.c1, &r->c0.c1.c0, &r->c0.c1.c1, &r->c0.c2.c0, &r->c0.c2.c1,
                     &r->c1.c0.c0, &r->c1.c0.c1, &r->c1.c1.c0, &r->c1.c1.c1, &r->c1.c2.c0, &r->c1.c2.c1};
    if (json_array_size(coeffs) != 12) return 0;
    for (size_t i = 0; i < 12; i++)
        if (!parse_fp(c[i], json_string_value(json_array_get(coeffs, i)))) return 0;
    return 1;
}

static void test_pairing(void) {
    json_t *j = load("drand/pairing_vectors.json");
    bls_g1 G1, p;
    bls_g2 G2, q;
    bls_g1_affine a1, b1;
    bls_g2_affine a2, b2;
    bls_fp12 e, want, t, u;
    bls_g1_generator(&G1);
    bls_g2_generator(&G2);
    bls_g1_to_affine_var(&a1, &G1);
    bls_g2_to_affine_var(&a2, &G2);
    bls_pairing_var(&e, &a1, &a2);
    if (j) {
        CHECK(fp12_from_json(&want, json_object_get(json_object_get(j, "library_value"), "coeffs")));
        CHECK_MSG(bls_fp12_eq(&e, &want), "e(G1, G2) != library value");
        CHECK(fp12_from_json(&t, json_object_get(json_object_get(j, "draft_literal_value"), "coeffs")));
        bls_fp12_sqr(&u, &t);
        bls_fp12_mul(&u, &u, &t);
        CHECK_MSG(bls_fp12_eq(&u, &e), "e(G1, G2) != draft value cubed");
        json_decref(j);
    }
    CHECK(!bls_fp12_is_one(&e));
    /* e^r == 1 */
    fp12_pow(&t, &e, R_LIMBS, 4);
    CHECK(bls_fp12_is_one(&t));
    /* e(-P, Q) == e(P, -Q) == conj(e(P, Q)) */
    b1 = a1;
    bls_fp_neg(&b1.y, &b1.y);
    bls_pairing_var(&t, &b1, &a2);
    bls_fp12_conj(&u, &e);
    CHECK(bls_fp12_eq(&t, &u));
    b2 = a2;
    bls_fp2_neg(&b2.y, &b2.y);
    bls_pairing_var(&t, &a1, &b2);
    CHECK(bls_fp12_eq(&t, &u));
    /* bilinearity: e([a]G1, [b]G2) == e(G1, G2)^(ab) */
    for (int it = 0; it < 2; it++) {
        uint64_t a = ns_test_rand64(), b = ns_test_rand64();
        ns_u128 ab = (ns_u128)a * b;
        uint64_t abl[2] = {(uint64_t)ab, (uint64_t)(ab >> 64)};
        bls_g1_mul_var(&p, &G1, &a, 1);
        bls_g2_mul_var(&q, &G2, &b, 1);
        bls_g1_to_affine_var(&b1, &p);
        bls_g2_to_affine_var(&b2, &q);
        bls_pairing_var(&t, &b1, &b2);
        fp12_pow(&u, &e, abl, 2);
        CHECK_MSG(bls_fp12_eq(&t, &u), "bilinearity");
    }
    /* identity inputs contribute 1 */
    b1.inf = 1;
    bls_pairing_var(&t, &b1, &a2);
    CHECK(bls_fp12_is_one(&t));
    /* multi-pairing across the batch size: prod e([a_i]G1, [b_i]G2) * e(-[sum a_i b_i]G1, G2) == 1 */
    enum { NP = 11 };
    bls_g1_affine ps[NP];
    bls_g2_affine qs[NP];
    uint64_t sum = 0;
    for (int i = 0; i < NP - 1; i++) {
        uint64_t a = ns_test_rand64() >> 40, b = ns_test_rand64() >> 40;
        sum += a * b;
        bls_g1_mul_var(&p, &G1, &a, 1);
        bls_g2_mul_var(&q, &G2, &b, 1);
        bls_g1_to_affine_var(&ps[i], &p);
        bls_g2_to_affine_var(&qs[i], &q);
    }
    bls_g1_mul_var(&p, &G1, &sum, 1);
    bls_g1_neg(&p, &p);
    bls_g1_to_affine_var(&ps[NP - 1], &p);
    qs[NP - 1] = a2;
    CHECK(bls_pairing_check_var(ps, qs, NP));
    /* the prepared-line Miller loop gives the same value */
    {
        static bls_g2_prepared prep[NP];
        const bls_g2_prepared *pq[NP];
        bls_fp12 f1, f2;
        for (int i = 0; i < NP; i++) {
            bls_g2_prepare_var(&prep[i], &qs[i]);
            pq[i] = &prep[i];
        }
        bls_miller_loop_var(&f1, ps, qs, NP);
        bls_miller_loop_prepared_var(&f2, ps, pq, NP);
        CHECK(bls_fp12_eq(&f1, &f2));
        bls_miller_loop_var(&f1, ps + 2, qs + 2, 3);
        bls_miller_loop_prepared_var(&f2, ps + 2, pq + 2, 3);
        CHECK(bls_fp12_eq(&f1, &f2));
    }
    qs[3] = qs[4];
    CHECK(!bls_pairing_check_var(ps, qs, NP));
    CHECK(bls_pairing_check_var(ps, qs, 0));
}

int main(void) {
    test_fp();
    test_fp2();
    test_fp6_fp12();
    test_constants();
    test_group_laws();
    test_pairing();
    return ns_test_report("bls12_381");
}
