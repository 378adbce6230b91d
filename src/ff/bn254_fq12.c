/* BN254 Fq6 = Fq2[v]/(v^3 - (9+u)) and Fq12 = Fq6[w]/(w^2 - v), as in
 * snarkjs/ffjavascript, with Frobenius maps.
 * Formulas: Devegili, O hEigeartaigh, Scott, Dahab, "Multiplication and
 * squaring on pairing-friendly fields" (Karatsuba and CH-SQR2). */
#include <string.h>

#include "ff/bn254_field.h"

/* ---------------- Fq6 ---------------- */

void bn254_fq6_zero(bn254_fq6 *r) { memset(r, 0, sizeof *r); }

void bn254_fq6_one(bn254_fq6 *r) {
    memset(r, 0, sizeof *r);
    bn254_fq2_one(&r->c0);
}

void bn254_fq6_add(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq6 *b) {
    bn254_fq2_add(&r->c0, &a->c0, &b->c0);
    bn254_fq2_add(&r->c1, &a->c1, &b->c1);
    bn254_fq2_add(&r->c2, &a->c2, &b->c2);
}

void bn254_fq6_sub(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq6 *b) {
    bn254_fq2_sub(&r->c0, &a->c0, &b->c0);
    bn254_fq2_sub(&r->c1, &a->c1, &b->c1);
    bn254_fq2_sub(&r->c2, &a->c2, &b->c2);
}

void bn254_fq6_neg(bn254_fq6 *r, const bn254_fq6 *a) {
    bn254_fq2_neg(&r->c0, &a->c0);
    bn254_fq2_neg(&r->c1, &a->c1);
    bn254_fq2_neg(&r->c2, &a->c2);
}

int bn254_fq6_eq(const bn254_fq6 *a, const bn254_fq6 *b) {
    return bn254_fq2_eq(&a->c0, &b->c0) & bn254_fq2_eq(&a->c1, &b->c1) & bn254_fq2_eq(&a->c2, &b->c2);
}

int bn254_fq6_is_zero(const bn254_fq6 *a) {
    return bn254_fq2_is_zero(&a->c0) & bn254_fq2_is_zero(&a->c1) & bn254_fq2_is_zero(&a->c2);
}

void bn254_fq6_mul(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq6 *b) {
    bn254_fq2 v0, v1, v2, s, t, c0, c1, c2;
    bn254_fq2_mul(&v0, &a->c0, &b->c0);
    bn254_fq2_mul(&v1, &a->c1, &b->c1);
    bn254_fq2_mul(&v2, &a->c2, &b->c2);
    /* c0 = v0 + xi((a1+a2)(b1+b2) - v1 - v2) */
    bn254_fq2_add(&s, &a->c1, &a->c2);
    bn254_fq2_add(&t, &b->c1, &b->c2);
    bn254_fq2_mul(&s, &s, &t);
    bn254_fq2_sub(&s, &s, &v1);
    bn254_fq2_sub(&s, &s, &v2);
    bn254_fq2_mul_by_xi(&s, &s);
    bn254_fq2_add(&c0, &s, &v0);
    /* c1 = (a0+a1)(b0+b1) - v0 - v1 + xi v2 */
    bn254_fq2_add(&s, &a->c0, &a->c1);
    bn254_fq2_add(&t, &b->c0, &b->c1);
    bn254_fq2_mul(&s, &s, &t);
    bn254_fq2_sub(&s, &s, &v0);
    bn254_fq2_sub(&s, &s, &v1);
    bn254_fq2_mul_by_xi(&t, &v2);
    bn254_fq2_add(&c1, &s, &t);
    /* c2 = (a0+a2)(b0+b2) - v0 - v2 + v1 */
    bn254_fq2_add(&s, &a->c0, &a->c2);
    bn254_fq2_add(&t, &b->c0, &b->c2);
    bn254_fq2_mul(&s, &s, &t);
    bn254_fq2_sub(&s, &s, &v0);
    bn254_fq2_sub(&s, &s, &v2);
    bn254_fq2_add(&c2, &s, &v1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* r = a * (b0 + b1 v)  (b2 = 0), 5 Fq2 multiplications */
void bn254_fq6_mul_by_01(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq2 *b0, const bn254_fq2 *b1) {
    bn254_fq2 v0, v1, s, t, c0, c1, c2;
    bn254_fq2_mul(&v0, &a->c0, b0);
    bn254_fq2_mul(&v1, &a->c1, b1);
    bn254_fq2_add(&s, &a->c1, &a->c2);
    bn254_fq2_mul(&s, &s, b1);
    bn254_fq2_sub(&s, &s, &v1);
    bn254_fq2_mul_by_xi(&s, &s);
    bn254_fq2_add(&c0, &s, &v0);
    bn254_fq2_add(&s, &a->c0, &a->c1);
    bn254_fq2_add(&t, b0, b1);
    bn254_fq2_mul(&s, &s, &t);
    bn254_fq2_sub(&s, &s, &v0);
    bn254_fq2_sub(&c1, &s, &v1);
    bn254_fq2_add(&s, &a->c0, &a->c2);
    bn254_fq2_mul(&s, &s, b0);
    bn254_fq2_sub(&s, &s, &v0);
    bn254_fq2_add(&c2, &s, &v1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* r = a * b with b in Fq2 */
void bn254_fq6_mul_fq2(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq2 *b) {
    bn254_fq2_mul(&r->c0, &a->c0, b);
    bn254_fq2_mul(&r->c1, &a->c1, b);
    bn254_fq2_mul(&r->c2, &a->c2, b);
}

/* r = a * v: (a0, a1, a2) -> (xi a2, a0, a1) */
void bn254_fq6_mul_by_v(bn254_fq6 *r, const bn254_fq6 *a) {
    bn254_fq2 t;
    bn254_fq2_mul_by_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/* CH-SQR2 */
void bn254_fq6_sqr(bn254_fq6 *r, const bn254_fq6 *a) {
    bn254_fq2 s0, s1, s2, s3, s4, t;
    bn254_fq2_sqr(&s0, &a->c0);
    bn254_fq2_mul(&s1, &a->c0, &a->c1);
    bn254_fq2_dbl(&s1, &s1);
    bn254_fq2_sub(&s2, &a->c0, &a->c1);
    bn254_fq2_add(&s2, &s2, &a->c2);
    bn254_fq2_sqr(&s2, &s2);
    bn254_fq2_mul(&s3, &a->c1, &a->c2);
    bn254_fq2_dbl(&s3, &s3);
    bn254_fq2_sqr(&s4, &a->c2);
    /* c2 = s1 + s2 + s3 - s0 - s4 */
    bn254_fq2_add(&t, &s1, &s2);
    bn254_fq2_add(&t, &t, &s3);
    bn254_fq2_sub(&t, &t, &s0);
    bn254_fq2_sub(&r->c2, &t, &s4);
    /* c0 = s0 + xi s3; c1 = s1 + xi s4 */
    bn254_fq2_mul_by_xi(&s3, &s3);
    bn254_fq2_add(&r->c0, &s0, &s3);
    bn254_fq2_mul_by_xi(&s4, &s4);
    bn254_fq2_add(&r->c1, &s1, &s4);
}

static void fq6_inv_with(bn254_fq6 *r, const bn254_fq6 *a, void (*inv2)(bn254_fq2 *, const bn254_fq2 *)) {
    bn254_fq2 A, B, C, F, t;
    /* A = a0^2 - xi a1 a2 */
    bn254_fq2_sqr(&A, &a->c0);
    bn254_fq2_mul(&t, &a->c1, &a->c2);
    bn254_fq2_mul_by_xi(&t, &t);
    bn254_fq2_sub(&A, &A, &t);
    /* B = xi a2^2 - a0 a1 */
    bn254_fq2_sqr(&B, &a->c2);
    bn254_fq2_mul_by_xi(&B, &B);
    bn254_fq2_mul(&t, &a->c0, &a->c1);
    bn254_fq2_sub(&B, &B, &t);
    /* C = a1^2 - a0 a2 */
    bn254_fq2_sqr(&C, &a->c1);
    bn254_fq2_mul(&t, &a->c0, &a->c2);
    bn254_fq2_sub(&C, &C, &t);
    /* F = a0 A + xi (a2 B + a1 C) */
    bn254_fq2_mul(&F, &a->c2, &B);
    bn254_fq2_mul(&t, &a->c1, &C);
    bn254_fq2_add(&F, &F, &t);
    bn254_fq2_mul_by_xi(&F, &F);
    bn254_fq2_mul(&t, &a->c0, &A);
    bn254_fq2_add(&F, &F, &t);
    inv2(&F, &F);
    bn254_fq2_mul(&r->c0, &A, &F);
    bn254_fq2_mul(&r->c1, &B, &F);
    bn254_fq2_mul(&r->c2, &C, &F);
}

void bn254_fq6_inv(bn254_fq6 *r, const bn254_fq6 *a) { fq6_inv_with(r, a, bn254_fq2_inv); }
void bn254_fq6_inv_var(bn254_fq6 *r, const bn254_fq6 *a) { fq6_inv_with(r, a, bn254_fq2_inv_var); }

/* ---------------- Fq12 ---------------- */

void bn254_fq12_one(bn254_fq12 *r) {
    memset(r, 0, sizeof *r);
    bn254_fq2_one(&r->c0.c0);
}

void bn254_fq12_mul(bn254_fq12 *r, const bn254_fq12 *a, const bn254_fq12 *b) {
    bn254_fq6 t0, t1, s, t;
    bn254_fq6_mul(&t0, &a->c0, &b->c0);
    bn254_fq6_mul(&t1, &a->c1, &b->c1);
    bn254_fq6_add(&s, &a->c0, &a->c1);
    bn254_fq6_add(&t, &b->c0, &b->c1);
    bn254_fq6_mul(&s, &s, &t);
    bn254_fq6_sub(&s, &s, &t0);
    bn254_fq6_sub(&r->c1, &s, &t1);
    bn254_fq6_mul_by_v(&t1, &t1);
    bn254_fq6_add(&r->c0, &t0, &t1);
}

/* Complex squaring: c0 = (a0 + a1)(a0 + v a1) - t - v t, c1 = 2t, t = a0 a1 */
void bn254_fq12_sqr(bn254_fq12 *r, const bn254_fq12 *a) {
    bn254_fq6 t, s, u, vt;
    bn254_fq6_mul(&t, &a->c0, &a->c1);
    bn254_fq6_add(&s, &a->c0, &a->c1);
    bn254_fq6_mul_by_v(&u, &a->c1);
    bn254_fq6_add(&u, &u, &a->c0);
    bn254_fq6_mul(&s, &s, &u);
    bn254_fq6_mul_by_v(&vt, &t);
    bn254_fq6_sub(&s, &s, &t);
    bn254_fq6_sub(&r->c0, &s, &vt);
    bn254_fq6_add(&r->c1, &t, &t);
}

/* r = a * (l0 + (l1 + l3 v) w): the sparse shape of a line evaluation. */
void bn254_fq12_mul_by_line(bn254_fq12 *r, const bn254_fq12 *a, const bn254_fq2 *l0, const bn254_fq2 *l1,
                            const bn254_fq2 *l3) {
    bn254_fq6 t0, t1, s;
    bn254_fq2 m;
    bn254_fq6_mul_fq2(&t0, &a->c0, l0);
    bn254_fq6_mul_by_01(&t1, &a->c1, l1, l3);
    bn254_fq6_add(&s, &a->c0, &a->c1);
    bn254_fq2_add(&m, l0, l1);
    bn254_fq6_mul_by_01(&s, &s, &m, l3);
    bn254_fq6_sub(&s, &s, &t0);
    bn254_fq6_sub(&r->c1, &s, &t1);
    bn254_fq6_mul_by_v(&t1, &t1);
    bn254_fq6_add(&r->c0, &t0, &t1);
}

static void fq12_inv_with(bn254_fq12 *r, const bn254_fq12 *a, void (*inv6)(bn254_fq6 *, const bn254_fq6 *)) {
    bn254_fq6 t0, t1;
    bn254_fq6_sqr(&t0, &a->c0);
    bn254_fq6_sqr(&t1, &a->c1);
    bn254_fq6_mul_by_v(&t1, &t1);
    bn254_fq6_sub(&t0, &t0, &t1);
    inv6(&t0, &t0);
    bn254_fq6_mul(&r->c0, &a->c0, &t0);
    bn254_fq6_mul(&t1, &a->c1, &t0);
    bn254_fq6_neg(&r->c1, &t1);
}

void bn254_fq12_inv(bn254_fq12 *r, const bn254_fq12 *a) { fq12_inv_with(r, a, bn254_fq6_inv); }
void bn254_fq12_inv_var(bn254_fq12 *r, const bn254_fq12 *a) { fq12_inv_with(r, a, bn254_fq6_inv_var); }

void bn254_fq12_conj(bn254_fq12 *r, const bn254_fq12 *a) {
    r->c0 = a->c0;
    bn254_fq6_neg(&r->c1, &a->c1);
}

int bn254_fq12_eq(const bn254_fq12 *a, const bn254_fq12 *b) {
    return bn254_fq6_eq(&a->c0, &b->c0) & bn254_fq6_eq(&a->c1, &b->c1);
}

int bn254_fq12_is_one(const bn254_fq12 *a) {
    bn254_fq12 one;
    bn254_fq12_one(&one);
    return bn254_fq12_eq(a, &one);
}

/* gamma[n-1][k-1] = xi^(k (q^n - 1) / 6), Montgomery form (Python big integers). */
static const bn254_fq2 GAMMA[3][5] = {
    {
        {{{0xaf9ba69633144907ULL, 0xca6b1d7387afb78aULL, 0x11bded5ef08a2087ULL, 0x02f34d751a1f3a7cULL}},
         {{0xa222ae234c492d72ULL, 0xd00f02a4565de15bULL, 0xdc2ff3a253dfc926ULL, 0x10a75716b3899551ULL}}},
        {{{0xb5773b104563ab30ULL, 0x347f91c8a9aa6454ULL, 0x7a007127242e0991ULL, 0x1956bcd8118214ecULL}},
         {{0x6e849f1ea0aa4757ULL, 0xaa1c7b6d89f89141ULL, 0xb6e713cdfae0ca3aULL, 0x26694fbb4e82ebc3ULL}}},
        {{{0xe4bbdd0c2936b629ULL, 0xbb30f162e133bacbULL, 0x31a9d1b6f9645366ULL, 0x253570bea500f8ddULL}},
         {{0xa1d77ce45ffe77c7ULL, 0x07affd117826d1dbULL, 0x6d16bd27bb7edc6bULL, 0x2c87200285defeccULL}}},
        {{{0x7361d77f843abe92ULL, 0xa5bb2bd3273411fbULL, 0x9c941f314b3e2399ULL, 0x15df9cddbb9fd3ecULL}},
         {{0x5dddfd154bd8c949ULL, 0x62cb29a5a4445b60ULL, 0x37bc870a0c7dd2b9ULL, 0x24830a9d3171f0fdULL}}},
        {{{0xc970692f41690fe7ULL, 0xe240342127694b0bULL, 0x32bee66b83c459e8ULL, 0x12aabced0ab08841ULL}},
         {{0x0d485d2340aebfa9ULL, 0x05193418ab2fcc57ULL, 0xd3b0a40b8a4910f5ULL, 0x2f21ebb535d2925aULL}}},
    },
    {
        {{{0xca8d800500fa1bf2ULL, 0xf0c5d61468b39769ULL, 0x0e201271ad0d4418ULL, 0x04290f65bad856e6ULL}}, {{0}}},
        {{{0x3350c88e13e80b9cULL, 0x7dce557cdb5e56b9ULL, 0x6001b4b8b615564aULL, 0x2682e617020217e0ULL}}, {{0}}},
        {{{0x68c3488912edefaaULL, 0x8d087f6872aabf4fULL, 0x51e1a24709081231ULL, 0x2259d6b14729c0faULL}}, {{0}}},
        {{{0x71930c11d782e155ULL, 0xa6bb947cffbe3323ULL, 0xaa303344d4741444ULL, 0x2c3b3f0d26594943ULL}}, {{0}}},
        {{{0x08cfc388c494f1abULL, 0x19b315148d1373d4ULL, 0x584e90fdcb6c0213ULL, 0x09e1685bdf2f8849ULL}}, {{0}}},
    },
    {
        {{{0x365316184e46d97dULL, 0x0af7129ed4c96d9fULL, 0x659da72fca1009b5ULL, 0x08116d8983a20d23ULL}},
         {{0xb1df4af7c39c1939ULL, 0x3d9f02878a73bf7fULL, 0x9b2220928caf0ae0ULL, 0x26684515eff054a6ULL}}},
        {{{0xc9af22f716ad6badULL, 0xb311782a4aa662b2ULL, 0x19eeaf64e248c7f4ULL, 0x20273e77e3439f82ULL}},
         {{0xacc02860f7ce93acULL, 0x3933d5817ba76b4cULL, 0x69e6188b446c8467ULL, 0x0a46036d4417cc55ULL}}},
        {{{0x5764af0aaf46471eULL, 0xdc50792e873e0fc1ULL, 0x86a673ff881d04f6ULL, 0x0b2eddb43c30a74cULL}},
         {{0x9a490f32787e8580ULL, 0x8fd16d7ff04af8b1ULL, 0x4b39888ec6027bf2ULL, 0x03dd2e705b52a15dULL}}},
        {{{0x448a93a57b6762dfULL, 0xbfd62df528fdeadfULL, 0xd858f5d00e9bd47aULL, 0x06b03d4d3476ec58ULL}},
         {{0x2b19daf4bcc936d1ULL, 0xa1a54e7a56f4299fULL, 0xb533eee05adeaef1ULL, 0x170c812b84dda0b2ULL}}},
        {{{0xe0bc4b2275cf559fULL, 0xc238b945c154e60fULL, 0x803982a5929a7d5eULL, 0x15ce052df7e4a37eULL}},
         {{0x2d28efbdbf3799a7ULL, 0x9b097e3c1ad60773ULL, 0x982d4113af4a535bULL, 0x24e18991e3056063ULL}}},
    },
};

/* gamma table access for the G2 endomorphism (psi) in the curve code */
const bn254_fq2 *bn254_fq12_frobenius_coeff(int n, int k) { return &GAMMA[n - 1][k - 1]; }

/* Write a = sum_{k=0..5} g_k w^k (w^2 = v): g0 = c0.c0, g2 = c0.c1, g4 = c0.c2,
 * g1 = c1.c0, g3 = c1.c1, g5 = c1.c2.  a^(q^n) maps g_k to
 * frob^n(g_k) * xi^(k (q^n - 1)/6). */
static void frob_n(bn254_fq12 *r, const bn254_fq12 *a, int n) {
    bn254_fq2 g[6];
    g[0] = a->c0.c0;
    g[2] = a->c0.c1;
    g[4] = a->c0.c2;
    g[1] = a->c1.c0;
    g[3] = a->c1.c1;
    g[5] = a->c1.c2;
    for (int k = 0; k < 6; k++) {
        if (n & 1) bn254_fq2_conj(&g[k], &g[k]);
        if (k) bn254_fq2_mul(&g[k], &g[k], &GAMMA[n - 1][k - 1]);
    }
    r->c0.c0 = g[0];
    r->c0.c1 = g[2];
    r->c0.c2 = g[4];
    r->c1.c0 = g[1];
    r->c1.c1 = g[3];
    r->c1.c2 = g[5];
}

void bn254_fq12_frobenius(bn254_fq12 *r, const bn254_fq12 *a, int power) {
    power %= 12;
    if (power < 0) power += 12;
    bn254_fq12 t = *a;
    while (power > 0) {
        int step = power >= 3 ? 3 : power;
        frob_n(&t, &t, step);
        power -= step;
    }
    *r = t;
}
