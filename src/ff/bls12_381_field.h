/* BLS12-381 fields on the generic Montgomery layer (ff/mont.h, 6 limbs):
 * Fp, and the tower Fp2 = Fp[u]/(u^2+1), Fp6 = Fp2[v]/(v^3-(1+u)),
 * Fp12 = Fp6[w]/(w^2-v)  (the layout of zkcrypto/blst/noble).
 *
 * - Elements are in Montgomery form (R = 2^384), little-endian limbs,
 *   fully reduced.
 * - Everything in this module serves public-data verification (drand); the
 *   plain add/sub/mul come from the constant-time generic layer, functions
 *   whose running time depends on the values end in _var.
 * - Output parameters first, then inputs; outputs may alias inputs. */
#ifndef NS_FF_BLS12_381_FIELD_H
#define NS_FF_BLS12_381_FIELD_H

#include <stdint.h>

#include "ff/mont.h"

typedef struct { uint64_t l[6]; } bls_fp;
typedef struct { bls_fp c0, c1; } bls_fp2;          /* c0 + c1*u */
typedef struct { bls_fp2 c0, c1, c2; } bls_fp6;     /* c0 + c1*v + c2*v^2 */
typedef struct { bls_fp6 c0, c1; } bls_fp12;        /* c0 + c1*w */

extern const ns_mont bls_fp_mont; /* p, R = 2^384 */

/* ---- Fp ---- */
void bls_fp_zero(bls_fp *r);
void bls_fp_one(bls_fp *r);
void bls_fp_from_u64(bls_fp *r, uint64_t v);
void bls_fp_add(bls_fp *r, const bls_fp *a, const bls_fp *b);
void bls_fp_sub(bls_fp *r, const bls_fp *a, const bls_fp *b);
void bls_fp_neg(bls_fp *r, const bls_fp *a);
void bls_fp_dbl(bls_fp *r, const bls_fp *a);
void bls_fp_half(bls_fp *r, const bls_fp *a);
void bls_fp_mul(bls_fp *r, const bls_fp *a, const bls_fp *b);
void bls_fp_sqr(bls_fp *r, const bls_fp *a);
void bls_fp_inv_var(bls_fp *r, const bls_fp *a);            /* 0 -> 0 */
/* r = a^e, e little-endian limbs (variable time in e and a). */
void bls_fp_pow_var(bls_fp *r, const bls_fp *a, const uint64_t *e, int nlimbs);
int bls_fp_sqrt_var(bls_fp *r, const bls_fp *a);            /* 1 iff a is a square */
int bls_fp_is_square_var(const bls_fp *a);                  /* 0 counts as a square */
int bls_fp_is_zero(const bls_fp *a);
int bls_fp_is_one(const bls_fp *a);
int bls_fp_eq(const bls_fp *a, const bls_fp *b);
int bls_fp_sgn0(const bls_fp *a);             /* RFC 9380 sgn0: canonical value mod 2 */
int bls_fp_is_lex_largest(const bls_fp *a);   /* ZCash sign: canonical value > (p-1)/2 */
/* 48-byte big-endian canonical encoding; from_be returns 0 if the value >= p. */
int bls_fp_from_be(bls_fp *r, const uint8_t in[48]);
void bls_fp_to_be(uint8_t out[48], const bls_fp *a);
/* r = (big-endian integer of 64 bytes) mod p  (RFC 9380 hash_to_field, L = 64). */
void bls_fp_from_be64_reduce(bls_fp *r, const uint8_t in[64]);

/* ---- Fp2 ---- */
void bls_fp2_zero(bls_fp2 *r);
void bls_fp2_one(bls_fp2 *r);
void bls_fp2_add(bls_fp2 *r, const bls_fp2 *a, const bls_fp2 *b);
void bls_fp2_sub(bls_fp2 *r, const bls_fp2 *a, const bls_fp2 *b);
void bls_fp2_neg(bls_fp2 *r, const bls_fp2 *a);
void bls_fp2_dbl(bls_fp2 *r, const bls_fp2 *a);
void bls_fp2_conj(bls_fp2 *r, const bls_fp2 *a);            /* = Frobenius */
void bls_fp2_mul(bls_fp2 *r, const bls_fp2 *a, const bls_fp2 *b);
void bls_fp2_sqr(bls_fp2 *r, const bls_fp2 *a);
void bls_fp2_mul_fp(bls_fp2 *r, const bls_fp2 *a, const bls_fp *b);
void bls_fp2_mul_by_xi(bls_fp2 *r, const bls_fp2 *a);       /* times 1+u */
void bls_fp2_inv_var(bls_fp2 *r, const bls_fp2 *a);         /* 0 -> 0 */
int bls_fp2_sqrt_var(bls_fp2 *r, const bls_fp2 *a);         /* 1 iff a is a square */
int bls_fp2_is_square_var(const bls_fp2 *a);
int bls_fp2_is_zero(const bls_fp2 *a);
int bls_fp2_is_one(const bls_fp2 *a);
int bls_fp2_eq(const bls_fp2 *a, const bls_fp2 *b);
int bls_fp2_sgn0(const bls_fp2 *a);           /* RFC 9380: parity of c0, or of c1 when c0 == 0 */
int bls_fp2_is_lex_largest(const bls_fp2 *a); /* ZCash: decided on c1, or on c0 when c1 == 0 */

/* ---- Fp6 ---- */
void bls_fp6_zero(bls_fp6 *r);
void bls_fp6_one(bls_fp6 *r);
void bls_fp6_add(bls_fp6 *r, const bls_fp6 *a, const bls_fp6 *b);
void bls_fp6_sub(bls_fp6 *r, const bls_fp6 *a, const bls_fp6 *b);
void bls_fp6_neg(bls_fp6 *r, const bls_fp6 *a);
void bls_fp6_mul(bls_fp6 *r, const bls_fp6 *a, const bls_fp6 *b);
void bls_fp6_sqr(bls_fp6 *r, const bls_fp6 *a);
void bls_fp6_mul_by_v(bls_fp6 *r, const bls_fp6 *a);
void bls_fp6_inv_var(bls_fp6 *r, const bls_fp6 *a);
int bls_fp6_eq(const bls_fp6 *a, const bls_fp6 *b);

/* ---- Fp12 ---- */
void bls_fp12_one(bls_fp12 *r);
void bls_fp12_mul(bls_fp12 *r, const bls_fp12 *a, const bls_fp12 *b);
void bls_fp12_sqr(bls_fp12 *r, const bls_fp12 *a);
/* r = a * (l0 + l1*v + l4*v*w): the sparse product with a Miller-loop line
 * whose nonzero coefficients sit at w^0, w^2 and w^3. */
void bls_fp12_mul_by_014(bls_fp12 *r, const bls_fp12 *a, const bls_fp2 *l0, const bls_fp2 *l1,
                         const bls_fp2 *l4);
/* Squaring valid only in the cyclotomic subgroup (after the easy part of
 * the final exponentiation); Granger-Scott. */
void bls_fp12_cyclotomic_sqr(bls_fp12 *r, const bls_fp12 *a);
void bls_fp12_inv_var(bls_fp12 *r, const bls_fp12 *a);
void bls_fp12_conj(bls_fp12 *r, const bls_fp12 *a);
void bls_fp12_frobenius(bls_fp12 *r, const bls_fp12 *a, int power); /* a^(p^power) */
int bls_fp12_eq(const bls_fp12 *a, const bls_fp12 *b);
int bls_fp12_is_one(const bls_fp12 *a);

#endif
