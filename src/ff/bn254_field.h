/* BN254 ("bn128" in snarkjs) fields: Fq (base), Fr (scalar), and the tower
 * Fq2 = Fq[u]/(u^2+1), Fq6 = Fq2[v]/(v^3-(9+u)), Fq12 = Fq6[w]/(w^2-v),
 * exactly as snarkjs/ffjavascript define them.
 *
 * Conventions:
 * - Elements are in Montgomery form, 4 little-endian 64-bit limbs, fully
 *   reduced.  On a little-endian host the in-memory bytes of a bn254_fq are
 *   exactly its snarkjs "LEM" encoding, so arrays of affine points can be
 *   used straight from a memory-mapped file after validation.
 * - Functions are constant time unless the name ends in _var.
 * - Output parameters first, then inputs; outputs may alias inputs. */
#ifndef NS_FF_BN254_FIELD_H
#define NS_FF_BN254_FIELD_H

#include <stdint.h>

#include "ff/mont.h"

typedef struct { uint64_t l[4]; } bn254_fq;
typedef struct { uint64_t l[4]; } bn254_fr;
typedef struct { bn254_fq c0, c1; } bn254_fq2;
typedef struct { bn254_fq2 c0, c1, c2; } bn254_fq6;
typedef struct { bn254_fq6 c0, c1; } bn254_fq12;

extern const ns_mont bn254_fq_mont; /* q, R = 2^256 */
extern const ns_mont bn254_fr_mont; /* r, R = 2^256 */

/* ---- Fq ---- */
void bn254_fq_zero(bn254_fq *r);
void bn254_fq_one(bn254_fq *r);
void bn254_fq_from_u64(bn254_fq *r, uint64_t v);
void bn254_fq_add(bn254_fq *r, const bn254_fq *a, const bn254_fq *b);
void bn254_fq_sub(bn254_fq *r, const bn254_fq *a, const bn254_fq *b);
void bn254_fq_neg(bn254_fq *r, const bn254_fq *a);
void bn254_fq_dbl(bn254_fq *r, const bn254_fq *a);
void bn254_fq_mul(bn254_fq *r, const bn254_fq *a, const bn254_fq *b);
void bn254_fq_sqr(bn254_fq *r, const bn254_fq *a);
void bn254_fq_inv(bn254_fq *r, const bn254_fq *a);      /* 0 -> 0 */
void bn254_fq_inv_var(bn254_fq *r, const bn254_fq *a);  /* 0 -> 0 */
int bn254_fq_sqrt_var(bn254_fq *r, const bn254_fq *a);  /* 1 if a is a square */
int bn254_fq_legendre_var(const bn254_fq *a);           /* 1, -1, or 0 */
int bn254_fq_is_zero(const bn254_fq *a);
int bn254_fq_eq(const bn254_fq *a, const bn254_fq *b);
/* snarkjs isNegative: canonical value > (q-1)/2 */
int bn254_fq_is_negative(const bn254_fq *a);
/* Canonical 32-byte encodings; the readers return 0 when the value >= q. */
int bn254_fq_from_le(bn254_fq *r, const uint8_t in[32]);
void bn254_fq_to_le(uint8_t out[32], const bn254_fq *a);
int bn254_fq_from_be(bn254_fq *r, const uint8_t in[32]);
void bn254_fq_to_be(uint8_t out[32], const bn254_fq *a);
/* LEM: the 32 bytes are the Montgomery representation itself (little-endian).
 * Returns 0 when the representation is >= q. */
int bn254_fq_from_lem(bn254_fq *r, const uint8_t in[32]);
void bn254_fq_to_lem(uint8_t out[32], const bn254_fq *a);
/* r = a^e, e public (little-endian limbs, ebits bits). */
void bn254_fq_pow_var(bn254_fq *r, const bn254_fq *a, const uint64_t *e, int ebits);
/* Canonical integer limbs (out of Montgomery form). */
void bn254_fq_to_canonical(uint64_t out[4], const bn254_fq *a);

/* ---- Fr ---- (same set of operations) */
void bn254_fr_zero(bn254_fr *r);
void bn254_fr_one(bn254_fr *r);
void bn254_fr_from_u64(bn254_fr *r, uint64_t v);
void bn254_fr_add(bn254_fr *r, const bn254_fr *a, const bn254_fr *b);
void bn254_fr_sub(bn254_fr *r, const bn254_fr *a, const bn254_fr *b);
void bn254_fr_neg(bn254_fr *r, const bn254_fr *a);
void bn254_fr_mul(bn254_fr *r, const bn254_fr *a, const bn254_fr *b);
void bn254_fr_sqr(bn254_fr *r, const bn254_fr *a);
void bn254_fr_inv(bn254_fr *r, const bn254_fr *a);
void bn254_fr_inv_var(bn254_fr *r, const bn254_fr *a);
int bn254_fr_is_zero(const bn254_fr *a);
int bn254_fr_eq(const bn254_fr *a, const bn254_fr *b);
int bn254_fr_from_le(bn254_fr *r, const uint8_t in[32]);
void bn254_fr_to_le(uint8_t out[32], const bn254_fr *a);
int bn254_fr_from_lem(bn254_fr *r, const uint8_t in[32]);
void bn254_fr_to_lem(uint8_t out[32], const bn254_fr *a);
/* Canonical integer limbs (for scalar multiplication). */
void bn254_fr_to_canonical(uint64_t out[4], const bn254_fr *a);
/* Roots of unity as ffjavascript: w[s] = 5^t, w[k-1] = w[k]^2; s = 28. */
void bn254_fr_root_of_unity(bn254_fr *r, int log2n);
int bn254_fr_from_be(bn254_fr *r, const uint8_t in[32]);
void bn254_fr_to_be(uint8_t out[32], const bn254_fr *a);
/* From canonical integer limbs; returns 0 (r untouched) when in >= r. */
int bn254_fr_from_canonical(bn254_fr *r, const uint64_t in[4]);
void bn254_fr_pow_var(bn254_fr *r, const bn254_fr *a, const uint64_t *e, int ebits);

/* ---- Fq2 ---- */
void bn254_fq2_zero(bn254_fq2 *r);
void bn254_fq2_one(bn254_fq2 *r);
void bn254_fq2_add(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b);
void bn254_fq2_sub(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b);
void bn254_fq2_neg(bn254_fq2 *r, const bn254_fq2 *a);
void bn254_fq2_dbl(bn254_fq2 *r, const bn254_fq2 *a);
void bn254_fq2_mul(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b);
void bn254_fq2_sqr(bn254_fq2 *r, const bn254_fq2 *a);
void bn254_fq2_mul_fq(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq *b);
void bn254_fq2_mul_by_xi(bn254_fq2 *r, const bn254_fq2 *a); /* times 9+u */
void bn254_fq2_inv(bn254_fq2 *r, const bn254_fq2 *a);
void bn254_fq2_inv_var(bn254_fq2 *r, const bn254_fq2 *a);
void bn254_fq2_conj(bn254_fq2 *r, const bn254_fq2 *a);
int bn254_fq2_sqrt_var(bn254_fq2 *r, const bn254_fq2 *a);
int bn254_fq2_is_zero(const bn254_fq2 *a);
int bn254_fq2_eq(const bn254_fq2 *a, const bn254_fq2 *b);
int bn254_fq2_is_negative(const bn254_fq2 *a); /* snarkjs rule: c1 != 0 ? neg(c1) : neg(c0) */
void bn254_fq2_pow_var(bn254_fq2 *r, const bn254_fq2 *a, const uint64_t *e, int ebits);
void bn254_fq2_frobenius(bn254_fq2 *r, const bn254_fq2 *a); /* a^q = conjugate */

/* ---- Fq6, Fq12 ---- */
void bn254_fq6_zero(bn254_fq6 *r);
void bn254_fq6_one(bn254_fq6 *r);
void bn254_fq6_add(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq6 *b);
void bn254_fq6_sub(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq6 *b);
void bn254_fq6_neg(bn254_fq6 *r, const bn254_fq6 *a);
void bn254_fq6_mul(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq6 *b);
void bn254_fq6_sqr(bn254_fq6 *r, const bn254_fq6 *a);
void bn254_fq6_inv(bn254_fq6 *r, const bn254_fq6 *a);
void bn254_fq12_one(bn254_fq12 *r);
void bn254_fq12_mul(bn254_fq12 *r, const bn254_fq12 *a, const bn254_fq12 *b);
void bn254_fq12_sqr(bn254_fq12 *r, const bn254_fq12 *a);
void bn254_fq12_inv(bn254_fq12 *r, const bn254_fq12 *a);
void bn254_fq12_conj(bn254_fq12 *r, const bn254_fq12 *a);
void bn254_fq12_frobenius(bn254_fq12 *r, const bn254_fq12 *a, int power);
int bn254_fq12_eq(const bn254_fq12 *a, const bn254_fq12 *b);
int bn254_fq12_is_one(const bn254_fq12 *a);

/* Used by the curve and pairing code: */
int bn254_fq6_eq(const bn254_fq6 *a, const bn254_fq6 *b);
int bn254_fq6_is_zero(const bn254_fq6 *a);
void bn254_fq6_inv_var(bn254_fq6 *r, const bn254_fq6 *a);
void bn254_fq6_mul_fq2(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq2 *b);
void bn254_fq6_mul_by_01(bn254_fq6 *r, const bn254_fq6 *a, const bn254_fq2 *b0, const bn254_fq2 *b1);
void bn254_fq6_mul_by_v(bn254_fq6 *r, const bn254_fq6 *a);
void bn254_fq12_inv_var(bn254_fq12 *r, const bn254_fq12 *a);
/* r = a * (l0 + (l1 + l3 v) w), the sparse shape of a line function value. */
void bn254_fq12_mul_by_line(bn254_fq12 *r, const bn254_fq12 *a, const bn254_fq2 *l0, const bn254_fq2 *l1,
                            const bn254_fq2 *l3);
/* xi^(k (q^n - 1) / 6) for n = 1..3, k = 1..5 (Frobenius coefficients). */
const bn254_fq2 *bn254_fq12_frobenius_coeff(int n, int k);

#endif
