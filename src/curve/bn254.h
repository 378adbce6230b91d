/* BN254 groups G1 (y^2 = x^3 + 3 over Fq) and G2 (y^2 = x^3 + 3/(9+u) over
 * Fq2), and the optimal-ate pairing.
 *
 * Conventions:
 * - Affine points: the point at infinity is (0, 0) (as in snarkjs: never on
 *   the curve, and all-zero bytes in LEM and U encodings).  On a little-
 *   endian host a bn254_g1_affine array has exactly the snarkjs LEM layout.
 * - Jacobian points (X, Y, Z) represent (X/Z^2, Y/Z^3); Z = 0 is infinity.
 * - Functions are constant time unless the name ends in _var.  Functions on
 *   public data (MSM, batch conversions, checks) are _var.
 * - Points from outside (files, network) must pass bn254_g1_check /
 *   bn254_g2_check_var (on curve and in the r-torsion subgroup) before use. */
#ifndef NS_CURVE_BN254_H
#define NS_CURVE_BN254_H

#include <stddef.h>
#include <stdint.h>

#include "ff/bn254_field.h"

typedef struct { bn254_fq x, y; } bn254_g1_affine;
typedef struct { bn254_fq x, y, z; } bn254_g1;
typedef struct { bn254_fq2 x, y; } bn254_g2_affine;
typedef struct { bn254_fq2 x, y, z; } bn254_g2;

/* ---- G1 ---- */
void bn254_g1_generator(bn254_g1 *r);
void bn254_g1_affine_generator(bn254_g1_affine *r);
void bn254_g1_set_infinity(bn254_g1 *r);
int bn254_g1_is_infinity(const bn254_g1 *a);
int bn254_g1_affine_is_infinity(const bn254_g1_affine *a);
void bn254_g1_from_affine(bn254_g1 *r, const bn254_g1_affine *a);
void bn254_g1_to_affine(bn254_g1_affine *r, const bn254_g1 *a);       /* constant time */
void bn254_g1_to_affine_var(bn254_g1_affine *r, const bn254_g1 *a);
/* Batch conversion with one inversion (Montgomery's trick); infinity ok. */
void bn254_g1_batch_to_affine_var(bn254_g1_affine *r, const bn254_g1 *a, size_t n);
void bn254_g1_dbl(bn254_g1 *r, const bn254_g1 *a);
void bn254_g1_add(bn254_g1 *r, const bn254_g1 *a, const bn254_g1 *b);          /* complete */
void bn254_g1_add_affine(bn254_g1 *r, const bn254_g1 *a, const bn254_g1_affine *b); /* complete */
void bn254_g1_add_var(bn254_g1 *r, const bn254_g1 *a, const bn254_g1 *b);
void bn254_g1_add_affine_var(bn254_g1 *r, const bn254_g1 *a, const bn254_g1_affine *b);
void bn254_g1_neg(bn254_g1 *r, const bn254_g1 *a);
void bn254_g1_affine_neg(bn254_g1_affine *r, const bn254_g1_affine *a);
/* r = a + b for affine a, b with a.x != b.x, given inv = 1 / (b.x - a.x)
 * (from a batched inversion, Montgomery's trick); r may alias a or b. */
void bn254_g1_affine_add_with_inv(bn254_g1_affine *r, const bn254_g1_affine *a, const bn254_g1_affine *b,
                                  const bn254_fq *inv);
int bn254_g1_eq_var(const bn254_g1 *a, const bn254_g1 *b);
int bn254_g1_affine_on_curve(const bn254_g1_affine *a); /* infinity counts as on-curve */
int bn254_g1_check(const bn254_g1_affine *a); /* on curve (G1 cofactor is 1) */
/* Variable-time scalar multiplication by a public canonical 256-bit integer. */
void bn254_g1_mul_var(bn254_g1 *r, const bn254_g1 *a, const uint64_t k[4]);

/* ---- G2 ---- */
void bn254_g2_generator(bn254_g2 *r);
void bn254_g2_affine_generator(bn254_g2_affine *r);
void bn254_g2_set_infinity(bn254_g2 *r);
int bn254_g2_is_infinity(const bn254_g2 *a);
int bn254_g2_affine_is_infinity(const bn254_g2_affine *a);
void bn254_g2_from_affine(bn254_g2 *r, const bn254_g2_affine *a);
void bn254_g2_to_affine(bn254_g2_affine *r, const bn254_g2 *a);
void bn254_g2_to_affine_var(bn254_g2_affine *r, const bn254_g2 *a);
void bn254_g2_batch_to_affine_var(bn254_g2_affine *r, const bn254_g2 *a, size_t n);
void bn254_g2_dbl(bn254_g2 *r, const bn254_g2 *a);
void bn254_g2_add(bn254_g2 *r, const bn254_g2 *a, const bn254_g2 *b);
void bn254_g2_add_affine(bn254_g2 *r, const bn254_g2 *a, const bn254_g2_affine *b);
void bn254_g2_add_var(bn254_g2 *r, const bn254_g2 *a, const bn254_g2 *b);
void bn254_g2_add_affine_var(bn254_g2 *r, const bn254_g2 *a, const bn254_g2_affine *b);
void bn254_g2_neg(bn254_g2 *r, const bn254_g2 *a);
int bn254_g2_eq_var(const bn254_g2 *a, const bn254_g2 *b);
int bn254_g2_affine_on_curve(const bn254_g2_affine *a);
int bn254_g2_check_var(const bn254_g2_affine *a); /* on curve and in the order-r subgroup */
/* (Both checks accept the point at infinity (0, 0); callers that must
 * reject it, e.g. sameRatio inputs, test bn254_g*_affine_is_infinity.) */
void bn254_g2_mul_var(bn254_g2 *r, const bn254_g2 *a, const uint64_t k[4]);
void bn254_g2_affine_neg(bn254_g2_affine *r, const bn254_g2_affine *a);
/* Untwist-Frobenius-twist endomorphism psi^power, power 1 or 2. */
void bn254_g2_psi(bn254_g2 *r, const bn254_g2 *a, int power);
/* Subgroup membership of an on-curve point: psi(Q) == [6x^2]Q. */
int bn254_g2_in_subgroup_var(const bn254_g2 *a);

/* ---- Pairing ---- */
void bn254_pairing_var(bn254_fq12 *r, const bn254_g1_affine *p, const bn254_g2_affine *q);
/* 1 iff prod_i e(p[i], q[i]) == 1 (shared final exponentiation). */
int bn254_pairing_check_var(const bn254_g1_affine *p, const bn254_g2_affine *q, size_t n);
/* The two halves of the pairing (pairs with an infinity point contribute
 * 1); _var because the Miller loop skips infinity pairs and the easy part
 * inverts with the variable-time inversion. */
void bn254_miller_loop_var(bn254_fq12 *f, const bn254_g1_affine *p, const bn254_g2_affine *q, size_t n);
void bn254_final_exp_var(bn254_fq12 *r, const bn254_fq12 *f);
void bn254_final_exp_easy_var(bn254_fq12 *r, const bn254_fq12 *f); /* f^((q^6-1)(q^2+1)) */
void bn254_final_exp_hard(bn254_fq12 *r, const bn254_fq12 *m); /* m cyclotomic */
void bn254_fq12_cyclotomic_sqr(bn254_fq12 *r, const bn254_fq12 *a); /* a cyclotomic */

#endif
