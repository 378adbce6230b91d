/* BN254 base field Fq (q in ff/bn254_consts.h, R = 2^256).  Every product
 * is the one of ff/bn254_fq_fast.h (MULX/ADX or the portable CIOS);
 * ff/mont.h supplies only the comparisons and masks.  The Montgomery
 * constants were derived with Python big integers;
 * tests/unit/test_bn254_field.c re-derives them at run time. */
#include <string.h>

#include "ff/bn254_field.h"
#include "ff/bn254_consts.h"
#include "ff/bn254_internal.h"
#include "ff/bn254_fq_fast.h"

const ns_mont bn254_fq_mont = {
    .n = 4,
    .p = BN254_Q_LIMBS,
    .pinv = BN254_QINV,
    .one = {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL, 0x0e0a77c19a07df2fULL},
    .r2 = {0xf32cfc5b538afa89ULL, 0xb5e71911d44501fbULL, 0x47ab1eff0a417ff6ULL, 0x06d89f71cab8351fULL},
    .pm2 = BN254_QM2_LIMBS,
    .bits = 254,
};

#define FQ (&bn254_fq_mont)

const uint8_t bn254_q_le[32] = {BN254_LE8(BN254_Q0), BN254_LE8(BN254_Q1), BN254_LE8(BN254_Q2), BN254_LE8(BN254_Q3)};
const uint8_t bn254_r_le[32] = {BN254_LE8(BN254_R0), BN254_LE8(BN254_R1), BN254_LE8(BN254_R2), BN254_LE8(BN254_R3)};

/* a (< q, canonical limbs) -> a R mod q, with the one Fq product */
static void fq_to_mont(bn254_fq *r, const uint64_t a[4]) {
    bn254_fq t, r2;
    memcpy(t.l, a, sizeof t.l);
    memcpy(r2.l, FQ->r2, sizeof r2.l);
    bn254x_mul(r, &t, &r2);
}

/* (q+1)/4: square-root exponent (q = 3 mod 4) */
static const uint64_t SQRT_EXP[4] = {0x4f082305b61f3f52ULL, 0x65e05aa45a1c72a3ULL, 0x6e14116da0605617ULL,
                                     0x0c19139cb84c680aULL};
/* (q-1)/2: Euler criterion exponent, also the isNegative threshold */
static const uint64_t HALF_Q[4] = {0x9e10460b6c3e7ea3ULL, 0xcbc0b548b438e546ULL, 0xdc2822db40c0ac2eULL,
                                   0x183227397098d014ULL};

void bn254_fq_zero(bn254_fq *r) { memset(r, 0, sizeof *r); }
void bn254_fq_one(bn254_fq *r) { memcpy(r->l, FQ->one, sizeof r->l); }

void bn254_fq_from_u64(bn254_fq *r, uint64_t v) {
    const uint64_t t[4] = {v, 0, 0, 0};
    fq_to_mont(r, t);
}

void bn254_fq_add(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) { bn254x_add(r, a, b); }
void bn254_fq_sub(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) { bn254x_sub(r, a, b); }
void bn254_fq_neg(bn254_fq *r, const bn254_fq *a) { bn254x_neg(r, a); }
void bn254_fq_dbl(bn254_fq *r, const bn254_fq *a) { bn254x_add(r, a, a); }

/* Products through ff/bn254_fq_fast.h (MULX/ADX when the CPU has them). */
void bn254_fq_mul(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) { bn254x_mul(r, a, b); }

void bn254_fq_sqr(bn254_fq *r, const bn254_fq *a) { bn254x_sqr(r, a); }

/* Constant time: Fermat (a^(q-2)) on the fast product, about 8 us on x86-64
 * ADX.  Variable time, for public values: Bernstein-Yang divsteps
 * (bn254_fq_inv_var.c), about 1.7 us. */
void bn254_fq_inv(bn254_fq *r, const bn254_fq *a) { bn254x_inv(r, a); }
void bn254_fq_inv_var(bn254_fq *r, const bn254_fq *a) { bn254x_inv_var(r, a); }

void bn254_fq_pow_var(bn254_fq *r, const bn254_fq *a, const uint64_t *e, int ebits) {
    bn254_fq acc, base = *a;
    bn254_fq_one(&acc);
    for (int bit = ebits - 1; bit >= 0; bit--) {
        bn254_fq_sqr(&acc, &acc);
        if ((e[bit / 64] >> (bit % 64)) & 1) bn254_fq_mul(&acc, &acc, &base);
    }
    *r = acc;
}

int bn254_fq_sqrt_var(bn254_fq *r, const bn254_fq *a) {
    bn254_fq s, chk;
    bn254_fq_pow_var(&s, a, SQRT_EXP, 254);
    bn254_fq_sqr(&chk, &s);
    if (!bn254_fq_eq(&chk, a)) return 0;
    *r = s;
    return 1;
}

int bn254_fq_legendre_var(const bn254_fq *a) {
    if (bn254_fq_is_zero(a)) return 0;
    bn254_fq t, one;
    bn254_fq_pow_var(&t, a, HALF_Q, 253);
    bn254_fq_one(&one);
    return bn254_fq_eq(&t, &one) ? 1 : -1;
}

int bn254_fq_is_zero(const bn254_fq *a) { return (int)(ns_mont_is_zero_mask(a->l, FQ) & 1); }
int bn254_fq_eq(const bn254_fq *a, const bn254_fq *b) { return (int)(ns_mont_eq_mask(a->l, b->l, FQ) & 1); }

/* 1 iff x > (q-1)/2 for the canonical x, constant time. */
static int gt_half(const uint64_t x[4]) {
    /* compute HALF_Q - x; borrow means x > HALF_Q */
    uint64_t bw = 0;
    for (int i = 0; i < 4; i++) {
        ns_u128 d = (ns_u128)HALF_Q[i] - x[i] - bw;
        bw = (uint64_t)(d >> 64) & 1;
    }
    return (int)bw;
}

int bn254_fq_is_negative(const bn254_fq *a) {
    uint64_t c[4];
    bn254_fq_to_canonical(c, a);
    return gt_half(c);
}

/* Out of Montgomery form with the fast product: a * 1 / R (the integer 1,
 * not R), fully reduced.  Used for every point written (zkey new writes
 * ~1M coordinates at 2^16), so not the generic ns_mont path. */
void bn254_fq_to_canonical(uint64_t out[4], const bn254_fq *a) {
    static const bn254_fq raw_one = {{1, 0, 0, 0}};
    bn254_fq t;
    bn254x_mul(&t, a, &raw_one);
    for (int i = 0; i < 4; i++) out[i] = t.l[i];
}

BN254_FIELD_BYTES_IMPL(fq, FQ)

