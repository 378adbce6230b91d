/* BN254 Fq, Fr and the Fq2/Fq6/Fq12 tower: constants re-derived at run time,
 * known answers computed with Python big integers, a reference multiplication
 * (shift-and-add, no Montgomery code) and algebraic identities. */
#include <string.h>

#include "ff/bn254_field.h"
#include "testutil.h"
#include "util/hex.h"

static void rand_fq(bn254_fq *r) {
    uint8_t b[32];
    do {
        ns_test_rand_bytes(b, 32);
        b[31] &= 0x3f;
    } while (!bn254_fq_from_le(r, b));
}

static void rand_fr(bn254_fr *r) {
    uint8_t b[32];
    do {
        ns_test_rand_bytes(b, 32);
        b[31] &= 0x3f;
    } while (!bn254_fr_from_le(r, b));
}

static void rand_fq2(bn254_fq2 *r) {
    rand_fq(&r->c0);
    rand_fq(&r->c1);
}
static void rand_fq6(bn254_fq6 *r) {
    rand_fq2(&r->c0);
    rand_fq2(&r->c1);
    rand_fq2(&r->c2);
}
static void rand_fq12(bn254_fq12 *r) {
    rand_fq6(&r->c0);
    rand_fq6(&r->c1);
}

static void fq_from_hex(bn254_fq *r, const char *hex) {
    uint8_t b[32];
    CHECK(ns_hex_decode(b, 32, hex) == 32);
    CHECK(bn254_fq_from_be(r, b));
}

static int fq_eq_hex(const bn254_fq *a, const char *hex) {
    uint8_t b[32], c[32];
    if (ns_hex_decode(b, 32, hex) != 32) return 0;
    bn254_fq_to_be(c, a);
    return memcmp(b, c, 32) == 0;
}

/* reference a*b mod p on canonical integers by shift-and-add (uses only mod-p add) */
static void ref_mulmod(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const ns_mont *m) {
    uint64_t acc[6] = {0};
    for (int bit = 255; bit >= 0; bit--) {
        ns_mont_add(acc, acc, acc, m);
        if ((b[bit / 64] >> (bit % 64)) & 1) ns_mont_add(acc, acc, a, m);
    }
    memcpy(r, acc, 32);
}

static void test_constants(void) {
    ns_mont m;
    ns_mont_init(&m, 4, bn254_fq_mont.p);
    CHECK(memcmp(&m, &bn254_fq_mont, sizeof m) == 0);
    ns_mont_init(&m, 4, bn254_fr_mont.p);
    CHECK(memcmp(&m, &bn254_fr_mont, sizeof m) == 0);
}

static void test_fq_kat(void) {
    bn254_fq a, b, c;
    fq_from_hex(&a, "1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
    fq_from_hex(&b, "2fedcba0987654321fedcba0987654321fedcba0987654321fedcba098765432");
    bn254_fq_mul(&c, &a, &b);
    CHECK(fq_eq_hex(&c, "0fd2208cebf916d38657e1b97d38a7feeca06a4628f515307a303e239a184a40"));
    bn254_fq_inv(&c, &a);
    CHECK(fq_eq_hex(&c, "095d995fdf74f443555ea182a995ca84af8f32d16e1a26070063360add994601"));
    bn254_fq_inv_var(&c, &a);
    CHECK(fq_eq_hex(&c, "095d995fdf74f443555ea182a995ca84af8f32d16e1a26070063360add994601"));
    /* Fq2: (b + a u) / (a + b u) */
    bn254_fq2 x = {a, b}, y = {b, a}, z;
    bn254_fq2_inv(&z, &x);
    bn254_fq2_mul(&z, &z, &y);
    CHECK(fq_eq_hex(&z.c0, "27edcd40fa2b72fd2a9234dd39a38bbdb50dee47d59d304139c397dccef2ccc8"));
    CHECK(fq_eq_hex(&z.c1, "16683548b668612aff1b60afa397559c5222a65f7a63ed53c8cccfa0a53a8997"));
    /* small integers */
    bn254_fq_from_u64(&a, 7);
    bn254_fq_from_u64(&b, 6);
    bn254_fq_mul(&c, &a, &b);
    bn254_fq_from_u64(&a, 42);
    CHECK(bn254_fq_eq(&c, &a));
    /* q itself, q-1, and the isNegative threshold */
    uint8_t qb[32] = {0};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++) qb[8 * i + j] = (uint8_t)(bn254_fq_mont.p[i] >> (8 * j));
    CHECK(bn254_fq_from_le(&a, qb) == 0);
    CHECK(bn254_fq_from_lem(&a, qb) == 0);
    qb[0]--;
    CHECK(bn254_fq_from_le(&a, qb) == 1);
    CHECK(bn254_fq_is_negative(&a) == 1);
    bn254_fq_one(&b);
    CHECK(bn254_fq_is_negative(&b) == 0);
    fq_from_hex(&a, "183227397098d014dc2822db40c0ac2ecbc0b548b438e5469e10460b6c3e7ea3"); /* (q-1)/2 */
    CHECK(bn254_fq_is_negative(&a) == 0);
    bn254_fq_add(&a, &a, &b);
    CHECK(bn254_fq_is_negative(&a) == 1);
    /* LEM is the raw Montgomery representation */
    uint8_t lem[32];
    bn254_fq_one(&a);
    bn254_fq_to_lem(lem, &a);
    CHECK(bn254_fq_from_lem(&b, lem) && bn254_fq_eq(&a, &b));
    CHECK(lem[0] == 0x9d && lem[31] == 0x0e); /* R mod q = 0e0a77c1...c58f0d9d */
}

static void test_fq_random(int iters) {
    for (int i = 0; i < iters; i++) {
        bn254_fq a, b, c, d;
        rand_fq(&a);
        rand_fq(&b);
        uint64_t ca[4], cb[4], cc[4], ref[4];
        bn254_fq_to_canonical(ca, &a);
        bn254_fq_to_canonical(cb, &b);
        bn254_fq_mul(&c, &a, &b);
        bn254_fq_to_canonical(cc, &c);
        ref_mulmod(ref, ca, cb, &bn254_fq_mont);
        CHECK(memcmp(cc, ref, 32) == 0);
        bn254_fq_sqr(&d, &a);
        bn254_fq_mul(&c, &a, &a);
        CHECK(bn254_fq_eq(&c, &d));
        /* sqrt of a square */
        bn254_fq s;
        CHECK(bn254_fq_sqrt_var(&s, &d) == 1);
        bn254_fq_sqr(&s, &s);
        CHECK(bn254_fq_eq(&s, &d));
        CHECK(bn254_fq_legendre_var(&d) == 1);
        /* -1 is a non-residue (q = 3 mod 4): -a^2 has no root */
        bn254_fq_neg(&c, &d);
        CHECK(bn254_fq_sqrt_var(&s, &c) == 0);
        CHECK(bn254_fq_legendre_var(&c) == -1);
        /* inverse */
        bn254_fq_inv(&c, &a);
        bn254_fq_inv_var(&d, &a);
        CHECK(bn254_fq_eq(&c, &d));
        bn254_fq_mul(&c, &c, &a);
        bn254_fq_one(&d);
        CHECK(bn254_fq_eq(&c, &d));
        /* isNegative(a) xor isNegative(-a) for a != 0 */
        bn254_fq_neg(&c, &a);
        CHECK(bn254_fq_is_negative(&a) != bn254_fq_is_negative(&c));
        /* byte round trips */
        uint8_t buf[32];
        bn254_fq_to_be(buf, &a);
        CHECK(bn254_fq_from_be(&c, buf) && bn254_fq_eq(&c, &a));
        bn254_fq_to_le(buf, &a);
        CHECK(bn254_fq_from_le(&c, buf) && bn254_fq_eq(&c, &a));
        bn254_fq_to_lem(buf, &a);
        CHECK(bn254_fq_from_lem(&c, buf) && bn254_fq_eq(&c, &a));
    }
    bn254_fq z, t;
    bn254_fq_zero(&z);
    bn254_fq_inv(&t, &z);
    CHECK(bn254_fq_is_zero(&t));
    CHECK(bn254_fq_legendre_var(&z) == 0);
    CHECK(bn254_fq_sqrt_var(&t, &z) == 1 && bn254_fq_is_zero(&t));
}

static void test_fr(int iters) {
    for (int i = 0; i < iters; i++) {
        bn254_fr a, b, c, d;
        rand_fr(&a);
        rand_fr(&b);
        uint64_t ca[4], cb[4], cc[4], ref[4];
        bn254_fr_to_canonical(ca, &a);
        bn254_fr_to_canonical(cb, &b);
        bn254_fr_mul(&c, &a, &b);
        bn254_fr_to_canonical(cc, &c);
        ref_mulmod(ref, ca, cb, &bn254_fr_mont);
        CHECK(memcmp(cc, ref, 32) == 0);
        CHECK(bn254_fr_from_canonical(&d, ca) && bn254_fr_eq(&d, &a));
        bn254_fr_inv(&c, &a);
        bn254_fr_inv_var(&d, &a);
        CHECK(bn254_fr_eq(&c, &d));
        bn254_fr_mul(&c, &c, &a);
        bn254_fr_one(&d);
        CHECK(bn254_fr_eq(&c, &d));
        bn254_fr_sub(&c, &a, &b);
        bn254_fr_add(&c, &c, &b);
        CHECK(bn254_fr_eq(&c, &a));
        bn254_fr_neg(&c, &a);
        bn254_fr_add(&c, &c, &a);
        CHECK(bn254_fr_is_zero(&c));
        bn254_fr_sqr(&c, &a);
        bn254_fr_mul(&d, &a, &a);
        CHECK(bn254_fr_eq(&c, &d));
        uint8_t buf[32];
        bn254_fr_to_lem(buf, &a);
        CHECK(bn254_fr_from_lem(&c, buf) && bn254_fr_eq(&c, &a));
        bn254_fr_to_be(buf, &a);
        CHECK(bn254_fr_from_be(&c, buf) && bn254_fr_eq(&c, &a));
    }
    CHECK(bn254_fr_from_canonical(&(bn254_fr){{0}}, bn254_fr_mont.p) == 0);
    /* roots of unity: w28 = 5^t (r - 1 = 2^28 t), the note's decimal value, exact orders */
    bn254_fr w, five, t, one;
    uint64_t texp[4];
    memcpy(texp, bn254_fr_mont.p, 32);
    texp[0] -= 1;
    for (int i = 0; i < 28; i++) { /* texp >>= 1 */
        for (int k = 0; k < 3; k++) texp[k] = (texp[k] >> 1) | (texp[k + 1] << 63);
        texp[3] >>= 1;
    }
    bn254_fr_from_u64(&five, 5);
    bn254_fr_pow_var(&t, &five, texp, 256);
    bn254_fr_root_of_unity(&w, 28);
    CHECK(bn254_fr_eq(&t, &w));
    uint8_t wb[32];
    CHECK(ns_hex_decode(wb, 32, "2a3c09f0a58a7e8500e0a7eb8ef62abc402d111e41112ed49bd61b6e725b19f0") == 32);
    CHECK(bn254_fr_from_be(&t, wb) && bn254_fr_eq(&t, &w)); /* 191032190679...161904 */
    bn254_fr_one(&one);
    for (int k = 0; k <= 28; k++) {
        bn254_fr_root_of_unity(&w, k);
        t = w;
        for (int j = 0; j < k; j++) bn254_fr_sqr(&t, &t);
        CHECK(bn254_fr_eq(&t, &one));
        if (k > 0) {
            t = w;
            for (int j = 0; j < k - 1; j++) bn254_fr_sqr(&t, &t);
            CHECK(!bn254_fr_eq(&t, &one));
        }
    }
    bn254_fr_root_of_unity(&w, 1);
    bn254_fr_neg(&t, &one);
    CHECK(bn254_fr_eq(&w, &t));
}

static void fq12_pow_q(bn254_fq12 *r, const bn254_fq12 *a) {
    bn254_fq12 acc, base = *a;
    bn254_fq12_one(&acc);
    for (int bit = 253; bit >= 0; bit--) {
        bn254_fq12_sqr(&acc, &acc);
        if ((bn254_fq_mont.p[bit / 64] >> (bit % 64)) & 1) bn254_fq12_mul(&acc, &acc, &base);
    }
    *r = acc;
}

/* Fq2 products on edge values (0, 1, 2, -1, -2 and a random value in each
 * coordinate): the lazily reduced product (a0b0 - a1b1 + q^2 and the
 * Karatsuba middle term, reduced once each) against the schoolbook
 * formula on Fq products. */
/* The fast conversions out of Montgomery form (bn254_fq_to_canonical,
 * _to_be, _to_le: one product by the integer 1) against the generic
 * ff/mont.h ones, on 0, 1, q - 1 (as representations) and random values. */
static void test_fq_out_conversions(void) {
    ns_mont qm;
    ns_mont_init(&qm, 4, bn254_fq_mont.p);
    bn254_fq v[3 + 200];
    memset(v, 0, sizeof v);
    v[1].l[0] = 1;
    memcpy(v[2].l, bn254_fq_mont.p, 32);
    v[2].l[0] -= 1;
    for (int i = 3; i < 3 + 200; i++) rand_fq(&v[i]);
    int bad = 0;
    for (int i = 0; i < 3 + 200; i++) {
        uint8_t a[32], b[32];
        uint64_t c[4], d[4];
        bn254_fq_to_be(a, &v[i]);
        ns_mont_to_bytes_be(b, v[i].l, &qm);
        bad += memcmp(a, b, 32) != 0;
        bn254_fq_to_le(a, &v[i]);
        ns_mont_to_bytes_le(b, v[i].l, &qm);
        bad += memcmp(a, b, 32) != 0;
        bn254_fq_to_canonical(c, &v[i]);
        ns_mont_from_mont(d, v[i].l, &qm);
        bad += memcmp(c, d, 32) != 0;
    }
    CHECK_MSG(bad == 0, "fq conversions out of Montgomery form: %d wrong", bad);
}

static void test_fq2_mul_edges(void) {
    bn254_fq v[6];
    bn254_fq_zero(&v[0]);
    bn254_fq_one(&v[1]);
    bn254_fq_from_u64(&v[2], 2);
    bn254_fq_neg(&v[3], &v[1]);
    bn254_fq_neg(&v[4], &v[2]);
    rand_fq(&v[5]);
    int bad = 0;
    for (int i = 0; i < 6 * 6 * 6 * 6; i++) {
        bn254_fq2 a = {v[i % 6], v[(i / 6) % 6]}, b = {v[(i / 36) % 6], v[i / 216]}, c;
        bn254_fq t0, t1, e0, e1;
        bn254_fq2_mul(&c, &a, &b);
        bn254_fq_mul(&t0, &a.c0, &b.c0);
        bn254_fq_mul(&t1, &a.c1, &b.c1);
        bn254_fq_sub(&e0, &t0, &t1);
        bn254_fq_mul(&t0, &a.c0, &b.c1);
        bn254_fq_mul(&t1, &a.c1, &b.c0);
        bn254_fq_add(&e1, &t0, &t1);
        if (!bn254_fq_eq(&e0, &c.c0) || !bn254_fq_eq(&e1, &c.c1)) bad++;
    }
    CHECK_MSG(bad == 0, "fq2 mul edge values: %d wrong", bad);
}

static void test_tower(int iters) {
    for (int i = 0; i < iters; i++) {
        bn254_fq2 a, b, c, d, e;
        rand_fq2(&a);
        rand_fq2(&b);
        /* schoolbook check of the Karatsuba product: (a0b0 - a1b1, a0b1 + a1b0) */
        bn254_fq t0, t1;
        bn254_fq2_mul(&c, &a, &b);
        bn254_fq_mul(&t0, &a.c0, &b.c0);
        bn254_fq_mul(&t1, &a.c1, &b.c1);
        bn254_fq_sub(&t0, &t0, &t1);
        CHECK(bn254_fq_eq(&t0, &c.c0));
        bn254_fq_mul(&t0, &a.c0, &b.c1);
        bn254_fq_mul(&t1, &a.c1, &b.c0);
        bn254_fq_add(&t0, &t0, &t1);
        CHECK(bn254_fq_eq(&t0, &c.c1));
        bn254_fq2_sqr(&c, &a);
        bn254_fq2_mul(&d, &a, &a);
        CHECK(bn254_fq2_eq(&c, &d));
        /* xi = 9 + u */
        bn254_fq2 xi;
        bn254_fq_from_u64(&xi.c0, 9);
        bn254_fq_one(&xi.c1);
        bn254_fq2_mul(&c, &a, &xi);
        bn254_fq2_mul_by_xi(&d, &a);
        CHECK(bn254_fq2_eq(&c, &d));
        bn254_fq2_inv(&c, &a);
        bn254_fq2_inv_var(&d, &a);
        CHECK(bn254_fq2_eq(&c, &d));
        bn254_fq2_mul(&c, &c, &a);
        bn254_fq2_one(&e);
        CHECK(bn254_fq2_eq(&c, &e));
        /* sqrt of a square, and of a non-square */
        bn254_fq2_sqr(&c, &a);
        CHECK(bn254_fq2_sqrt_var(&d, &c) == 1);
        bn254_fq2_sqr(&d, &d);
        CHECK(bn254_fq2_eq(&c, &d));
        bn254_fq2_mul(&c, &c, &xi); /* xi is a non-square in Fq2 */
        CHECK(bn254_fq2_sqrt_var(&d, &c) == 0);
        /* fq2 isNegative rule */
        bn254_fq2 y = a;
        bn254_fq_zero(&y.c1);
        CHECK(bn254_fq2_is_negative(&y) == bn254_fq_is_negative(&a.c0));
        CHECK(bn254_fq2_is_negative(&a) == bn254_fq_is_negative(&a.c1));

        bn254_fq6 x6, y6, z6, w6, o6;
        rand_fq6(&x6);
        rand_fq6(&y6);
        rand_fq6(&z6);
        /* (x+y)z == xz + yz, x^2 == x x, x x^-1 == 1 */
        bn254_fq6_add(&w6, &x6, &y6);
        bn254_fq6_mul(&w6, &w6, &z6);
        bn254_fq6 p1, p2;
        bn254_fq6_mul(&p1, &x6, &z6);
        bn254_fq6_mul(&p2, &y6, &z6);
        bn254_fq6_add(&p1, &p1, &p2);
        CHECK(bn254_fq6_eq(&w6, &p1));
        bn254_fq6_sqr(&w6, &x6);
        bn254_fq6_mul(&p1, &x6, &x6);
        CHECK(bn254_fq6_eq(&w6, &p1));
        bn254_fq6_inv(&w6, &x6);
        bn254_fq6_mul(&w6, &w6, &x6);
        bn254_fq6_one(&o6);
        CHECK(bn254_fq6_eq(&w6, &o6));
        /* v^3 == xi */
        bn254_fq6 v = {{{{0}}, {{0}}}, {{{0}}, {{0}}}, {{{0}}, {{0}}}};
        bn254_fq2_one(&v.c1);
        bn254_fq6_mul(&w6, &v, &v);
        bn254_fq6_mul(&w6, &w6, &v);
        bn254_fq6 xi6;
        bn254_fq6_zero(&xi6);
        xi6.c0 = xi;
        CHECK(bn254_fq6_eq(&w6, &xi6));
        /* sparse product */
        bn254_fq6 sp;
        bn254_fq6_zero(&sp);
        sp.c0 = a;
        sp.c1 = b;
        bn254_fq6_mul(&w6, &x6, &sp);
        bn254_fq6_mul_by_01(&p1, &x6, &a, &b);
        CHECK(bn254_fq6_eq(&w6, &p1));

        bn254_fq12 f, g, h, k, one;
        rand_fq12(&f);
        rand_fq12(&g);
        bn254_fq12_sqr(&h, &f);
        bn254_fq12_mul(&k, &f, &f);
        CHECK(bn254_fq12_eq(&h, &k));
        bn254_fq12_inv(&h, &f);
        bn254_fq12_mul(&h, &h, &f);
        CHECK(bn254_fq12_is_one(&h));
        bn254_fq12_inv_var(&h, &f);
        bn254_fq12_mul(&h, &h, &f);
        CHECK(bn254_fq12_is_one(&h));
        /* (fg)^-1 == f^-1 g^-1 */
        bn254_fq12_mul(&h, &f, &g);
        bn254_fq12_inv(&h, &h);
        bn254_fq12 fi, gi;
        bn254_fq12_inv(&fi, &f);
        bn254_fq12_inv(&gi, &g);
        bn254_fq12_mul(&k, &fi, &gi);
        CHECK(bn254_fq12_eq(&h, &k));
        /* w^2 == v */
        bn254_fq12 w12, v12;
        memset(&w12, 0, sizeof w12);
        bn254_fq2_one(&w12.c1.c0);
        memset(&v12, 0, sizeof v12);
        bn254_fq2_one(&v12.c0.c1);
        bn254_fq12_sqr(&h, &w12);
        CHECK(bn254_fq12_eq(&h, &v12));
        /* line-shaped sparse product */
        bn254_fq12 line;
        memset(&line, 0, sizeof line);
        bn254_fq2 l0, l1, l3;
        rand_fq2(&l0);
        rand_fq2(&l1);
        rand_fq2(&l3);
        line.c0.c0 = l0;
        line.c1.c0 = l1;
        line.c1.c1 = l3;
        bn254_fq12_mul(&h, &f, &line);
        bn254_fq12_mul_by_line(&k, &f, &l0, &l1, &l3);
        CHECK(bn254_fq12_eq(&h, &k));
        /* conj == frobenius^6; frobenius^n == power q^n; frob^12 == id */
        bn254_fq12_conj(&h, &f);
        bn254_fq12_frobenius(&k, &f, 6);
        CHECK(bn254_fq12_eq(&h, &k));
        bn254_fq12_frobenius(&k, &f, 12);
        CHECK(bn254_fq12_eq(&f, &k));
        if (i < 2) {
            fq12_pow_q(&h, &f);
            bn254_fq12_frobenius(&k, &f, 1);
            CHECK(bn254_fq12_eq(&h, &k));
            fq12_pow_q(&h, &h);
            bn254_fq12_frobenius(&k, &f, 2);
            CHECK(bn254_fq12_eq(&h, &k));
            fq12_pow_q(&h, &h);
            bn254_fq12_frobenius(&k, &f, 3);
            CHECK(bn254_fq12_eq(&h, &k));
        }
        bn254_fq12_one(&one);
        CHECK(bn254_fq12_is_one(&one));
        CHECK(!bn254_fq12_is_one(&f));
    }
}

int main(void) {
    test_constants();
    test_fq_kat();
    test_fq_random(300);
    test_fr(300);
    test_tower(40);
    test_fq2_mul_edges();
    test_fq_out_conversions();
    return ns_test_report("bn254_field");
}
