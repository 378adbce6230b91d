/* BN254 Fq2 = Fq[u]/(u^2 + 1), element c0 + c1*u (snarkjs order). */
#include <string.h>

#include "ff/bn254_field.h"
#include "ff/bn254_fq_fast.h"

/* Inlined Fq primitives (ff/bn254_fq_fast.h: MULX/ADX when the CPU has
 * them; the function-call versions cost a third of an Fq2 product). */
#define FMUL(r, a, b) bn254x_mul((r), (a), (b))
#define FSQR(r, a) bn254x_sqr((r), (a))
#define FADD(r, a, b) bn254x_add((r), (a), (b))
#define FSUB(r, a, b) bn254x_sub((r), (a), (b))

void bn254_fq2_zero(bn254_fq2 *r) { memset(r, 0, sizeof *r); }

void bn254_fq2_one(bn254_fq2 *r) {
    bn254_fq_one(&r->c0);
    bn254_fq_zero(&r->c1);
}

void bn254_fq2_add(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
    FADD(&r->c0, &a->c0, &b->c0);
    FADD(&r->c1, &a->c1, &b->c1);
}

void bn254_fq2_sub(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
    FSUB(&r->c0, &a->c0, &b->c0);
    FSUB(&r->c1, &a->c1, &b->c1);
}

void bn254_fq2_neg(bn254_fq2 *r, const bn254_fq2 *a) {
    bn254_fq_neg(&r->c0, &a->c0);
    bn254_fq_neg(&r->c1, &a->c1);
}

void bn254_fq2_dbl(bn254_fq2 *r, const bn254_fq2 *a) {
    FADD(&r->c0, &a->c0, &a->c0);
    FADD(&r->c1, &a->c1, &a->c1);
}

#ifdef BN254X_HAVE_ASM
#include <immintrin.h>

/* q^2 (8 limbs) */
static const uint64_t FQ2_QQ[8] = {0x3b5458a2275d69b1ULL, 0xa602072d09eac101ULL, 0x4a50189c6d96cadcULL,
                                   0x04689e957a1242c8ULL, 0x26edfa5c34c6b38dULL, 0xb00b855116375606ULL,
                                   0x599a6f7c0348d21cULL, 0x0925c4b8763cbf9cULL};

/* Karatsuba with lazy reduction: the three products unreduced (8 limbs),
 * c0 = a0b0 - a1b1 + q^2 and c1 = (a0+a1)(b0+b1) - a0b0 - a1b1, both below
 * 2 q^2 < q 2^256, then two Montgomery reductions instead of three
 * (88 word products instead of 108; 66 -> 57 ns here).  Inputs reduced, so
 * a0 + a1 < 2q < 2^255 needs no reduction either. */
static void fq2_mul_lazy(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
    uint64_t t0[8], t1[8], s[8], c[8], sa[4], sb[4];
    unsigned long long w;
    unsigned char ca = 0, cb = 0, k = 0;
    bn254x_mul_wide_adx(t0, a->c0.l, b->c0.l);
    bn254x_mul_wide_adx(t1, a->c1.l, b->c1.l);
    for (int i = 0; i < 4; i++) {
        ca = _addcarry_u64(ca, a->c0.l[i], a->c1.l[i], &w);
        sa[i] = w;
        cb = _addcarry_u64(cb, b->c0.l[i], b->c1.l[i], &w);
        sb[i] = w;
    }
    bn254x_mul_wide_adx(s, sa, sb);
    for (int i = 0; i < 8; i++) k = _subborrow_u64(k, s[i], t0[i], &w), c[i] = w;
    k = 0;
    for (int i = 0; i < 8; i++) k = _subborrow_u64(k, c[i], t1[i], &w), c[i] = w;
    bn254x_redc_adx(r->c1.l, c);
    k = 0;
    for (int i = 0; i < 8; i++) k = _addcarry_u64(k, t0[i], FQ2_QQ[i], &w), c[i] = w;
    k = 0;
    for (int i = 0; i < 8; i++) k = _subborrow_u64(k, c[i], t1[i], &w), c[i] = w;
    bn254x_redc_adx(r->c0.l, c);
}
#endif

/* Karatsuba: (a0 + a1 u)(b0 + b1 u) = (a0b0 - a1b1) + ((a0+a1)(b0+b1) - a0b0 - a1b1) u */
void bn254_fq2_mul(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
#ifdef BN254X_HAVE_ASM
    if (bn254x_cpu_adx) {
        fq2_mul_lazy(r, a, b);
        return;
    }
#endif
    bn254_fq t0, t1, s0, s1;
    FMUL(&t0, &a->c0, &b->c0);
    FMUL(&t1, &a->c1, &b->c1);
    FADD(&s0, &a->c0, &a->c1);
    FADD(&s1, &b->c0, &b->c1);
    FMUL(&s0, &s0, &s1);
    FSUB(&r->c0, &t0, &t1);
    FADD(&t0, &t0, &t1);
    FSUB(&r->c1, &s0, &t0);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
void bn254_fq2_sqr(bn254_fq2 *r, const bn254_fq2 *a) {
    bn254_fq s, d, m;
    FADD(&s, &a->c0, &a->c1);
    FSUB(&d, &a->c0, &a->c1);
    FMUL(&m, &a->c0, &a->c1);
    FMUL(&r->c0, &s, &d);
    FADD(&r->c1, &m, &m);
}

void bn254_fq2_mul_fq(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq *b) {
    FMUL(&r->c0, &a->c0, b);
    FMUL(&r->c1, &a->c1, b);
}

/* (9 + u)(a0 + a1 u) = (9 a0 - a1) + (9 a1 + a0) u */
void bn254_fq2_mul_by_xi(bn254_fq2 *r, const bn254_fq2 *a) {
    bn254_fq t0, t1, x;
    FADD(&t0, &a->c0, &a->c0);
    FADD(&t0, &t0, &t0);
    FADD(&t0, &t0, &t0);
    FADD(&t0, &t0, &a->c0); /* 9 a0 */
    FADD(&t1, &a->c1, &a->c1);
    FADD(&t1, &t1, &t1);
    FADD(&t1, &t1, &t1);
    FADD(&t1, &t1, &a->c1); /* 9 a1 */
    x = a->c0;
    FSUB(&r->c0, &t0, &a->c1);
    FADD(&r->c1, &t1, &x);
}

/* 1/(a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2) */
static void fq2_inv_with(bn254_fq2 *r, const bn254_fq2 *a, void (*inv)(bn254_fq *, const bn254_fq *)) {
    bn254_fq n, t;
    bn254_fq_sqr(&n, &a->c0);
    bn254_fq_sqr(&t, &a->c1);
    FADD(&n, &n, &t);
    inv(&n, &n);
    bn254_fq_mul(&r->c0, &a->c0, &n);
    bn254_fq_mul(&t, &a->c1, &n);
    bn254_fq_neg(&r->c1, &t);
}

void bn254_fq2_inv(bn254_fq2 *r, const bn254_fq2 *a) { fq2_inv_with(r, a, bn254_fq_inv); }
void bn254_fq2_inv_var(bn254_fq2 *r, const bn254_fq2 *a) { fq2_inv_with(r, a, bn254_fq_inv_var); }

void bn254_fq2_conj(bn254_fq2 *r, const bn254_fq2 *a) {
    r->c0 = a->c0;
    bn254_fq_neg(&r->c1, &a->c1);
}

int bn254_fq2_is_zero(const bn254_fq2 *a) { return bn254_fq_is_zero(&a->c0) & bn254_fq_is_zero(&a->c1); }
int bn254_fq2_eq(const bn254_fq2 *a, const bn254_fq2 *b) {
    return bn254_fq_eq(&a->c0, &b->c0) & bn254_fq_eq(&a->c1, &b->c1);
}

int bn254_fq2_is_negative(const bn254_fq2 *a) {
    /* select without branching on the (possibly secret) coordinates */
    int z = bn254_fq_is_zero(&a->c1);
    int n1 = bn254_fq_is_negative(&a->c1), n0 = bn254_fq_is_negative(&a->c0);
    return (z & n0) | ((1 - z) & n1);
}

/* (q-3)/4 and (q-1)/2 */
static const uint64_t EXP_QM3_4[4] = {0x4f082305b61f3f51ULL, 0x65e05aa45a1c72a3ULL, 0x6e14116da0605617ULL,
                                      0x0c19139cb84c680aULL};
static const uint64_t EXP_QM1_2[4] = {0x9e10460b6c3e7ea3ULL, 0xcbc0b548b438e546ULL, 0xdc2822db40c0ac2eULL,
                                      0x183227397098d014ULL};

void bn254_fq2_pow_var(bn254_fq2 *r, const bn254_fq2 *a, const uint64_t *e, int ebits) {
    bn254_fq2 acc, base = *a;
    bn254_fq2_one(&acc);
    for (int bit = ebits - 1; bit >= 0; bit--) {
        bn254_fq2_sqr(&acc, &acc);
        if ((e[bit / 64] >> (bit % 64)) & 1) bn254_fq2_mul(&acc, &acc, &base);
    }
    *r = acc;
}

/* Square root for q = 3 mod 4 (Adj and Rodriguez-Henriquez, "Square root
 * computation over even extension fields", Algorithm 9).  The result is
 * checked by squaring, so a wrong branch can only return "no root". */
int bn254_fq2_sqrt_var(bn254_fq2 *r, const bn254_fq2 *a) {
    if (bn254_fq2_is_zero(a)) {
        bn254_fq2_zero(r);
        return 1;
    }
    bn254_fq2 a1, alpha, a0, x0, x, t, one, minus_one;
    bn254_fq2_one(&one);
    bn254_fq2_neg(&minus_one, &one);
    bn254_fq2_pow_var(&a1, a, EXP_QM3_4, 252);
    bn254_fq2_sqr(&alpha, &a1);
    bn254_fq2_mul(&alpha, &alpha, a);      /* alpha = a^((q-1)/2) */
    bn254_fq2_conj(&a0, &alpha);           /* alpha^q */
    bn254_fq2_mul(&a0, &a0, &alpha);       /* norm-like: alpha^(q+1) */
    if (bn254_fq2_eq(&a0, &minus_one)) return 0;
    bn254_fq2_mul(&x0, &a1, a);            /* a^((q+1)/4) */
    if (bn254_fq2_eq(&alpha, &minus_one)) {
        /* x = u * x0 */
        bn254_fq_neg(&x.c0, &x0.c1);
        x.c1 = x0.c0;
    } else {
        bn254_fq2_add(&t, &alpha, &one);
        bn254_fq2_pow_var(&t, &t, EXP_QM1_2, 253);
        bn254_fq2_mul(&x, &t, &x0);
    }
    bn254_fq2_sqr(&t, &x);
    if (!bn254_fq2_eq(&t, a)) return 0;
    *r = x;
    return 1;
}

void bn254_fq2_frobenius(bn254_fq2 *r, const bn254_fq2 *a) { bn254_fq2_conj(r, a); }
