/* BLS12-381 groups G1 (E: y^2 = x^3 + 4 over Fp) and G2 (the M-type twist
 * E': y^2 = x^3 + 4(1+u) over Fp2), and the optimal-ate pairing.
 *
 * Points are Jacobian (x = X/Z^2, y = Y/Z^3; Z = 0 is the identity) or
 * affine with an explicit identity flag.  Everything here serves public
 * data (signature verification), so most functions are variable time and
 * are named _var. */
#ifndef NS_CURVE_BLS12_381_GROUP_H
#define NS_CURVE_BLS12_381_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "curve/bls12_381.h"
#include "ff/bls12_381_field.h"

typedef struct { bls_fp x, y; int inf; } bls_g1_affine;
typedef struct { bls_fp x, y, z; } bls_g1;
typedef struct { bls_fp2 x, y; int inf; } bls_g2_affine;
typedef struct { bls_fp2 x, y, z; } bls_g2;

/* |z| for the BLS parameter z = -0xd201000000010000 */
#define BLS_Z_ABS 0xd201000000010000ULL

/* ---- G1 ---- */
void bls_g1_set_infinity(bls_g1 *r);
void bls_g1_generator(bls_g1 *r);
void bls_g1_generator_affine(bls_g1_affine *r);
int bls_g1_is_infinity(const bls_g1 *a);
void bls_g1_from_affine(bls_g1 *r, const bls_g1_affine *a);
void bls_g1_to_affine_var(bls_g1_affine *r, const bls_g1 *a);
void bls_g1_neg(bls_g1 *r, const bls_g1 *a);
void bls_g1_dbl(bls_g1 *r, const bls_g1 *a);
void bls_g1_add_var(bls_g1 *r, const bls_g1 *a, const bls_g1 *b);
/* r = [k]a, k little-endian 64-bit limbs (any size; not reduced mod r). */
void bls_g1_mul_var(bls_g1 *r, const bls_g1 *a, const uint64_t *k, size_t nlimbs);
int bls_g1_eq_var(const bls_g1 *a, const bls_g1 *b);
int bls_g1_affine_on_curve_var(const bls_g1_affine *a); /* identity counts as on the curve */
/* Prime-order subgroup test (Scott): phi(P) == [-z^2]P with phi(x,y) = (beta x, y). */
int bls_g1_in_subgroup_var(const bls_g1 *a);
/* Multiplication by h_eff = 1 - z (RFC 9380 G1 clear_cofactor). */
void bls_g1_clear_cofactor_var(bls_g1 *r, const bls_g1 *a);

/* ---- G2 ---- */
void bls_g2_set_infinity(bls_g2 *r);
void bls_g2_generator(bls_g2 *r);
void bls_g2_generator_affine(bls_g2_affine *r);
int bls_g2_is_infinity(const bls_g2 *a);
void bls_g2_from_affine(bls_g2 *r, const bls_g2_affine *a);
void bls_g2_to_affine_var(bls_g2_affine *r, const bls_g2 *a);
void bls_g2_neg(bls_g2 *r, const bls_g2 *a);
void bls_g2_dbl(bls_g2 *r, const bls_g2 *a);
/* r = 2a, also returning E = 3 x^2 and B = y^2 of a (Jacobian x, y), the
 * tangent-line terms of the Miller loop's doubling step.  r may alias a. */
void bls_g2_dbl_parts(bls_g2 *r, bls_fp2 *E, bls_fp2 *B, const bls_g2 *a);
void bls_g2_add_var(bls_g2 *r, const bls_g2 *a, const bls_g2 *b);
void bls_g2_mul_var(bls_g2 *r, const bls_g2 *a, const uint64_t *k, size_t nlimbs);
int bls_g2_eq_var(const bls_g2 *a, const bls_g2 *b);
int bls_g2_affine_on_curve_var(const bls_g2_affine *a);
/* psi = untwist-Frobenius-twist endomorphism, and psi^2. */
void bls_g2_psi(bls_g2 *r, const bls_g2 *a);
void bls_g2_psi2(bls_g2 *r, const bls_g2 *a);
/* Prime-order subgroup test (Scott): psi(P) == [z]P. */
int bls_g2_in_subgroup_var(const bls_g2 *a);
/* RFC 9380 G2 clear_cofactor (Budroni-Pintore, equal to [h_eff]P). */
void bls_g2_clear_cofactor_var(bls_g2 *r, const bls_g2 *a);

/* ---- pairing (bls12_381_pairing.c) ---- */
/* Miller-loop line coefficients of a fixed G2 point (63 doubling and 5
 * addition steps for |z|), so that repeated pairings with it skip the G2
 * arithmetic. */
#define BLS_ML_LINES 68
typedef struct { bls_fp2 l0, lx, ly; } bls_ml_line;
typedef struct {
    bls_ml_line lines[BLS_ML_LINES];
    int inf;
} bls_g2_prepared;
void bls_g2_prepare_var(bls_g2_prepared *r, const bls_g2_affine *q);
/* Same product as bls_miller_loop_var with q[i] given prepared. */
void bls_miller_loop_prepared_var(bls_fp12 *f, const bls_g1_affine *p, const bls_g2_prepared *const *q, size_t n);

/* f = prod_i ML(P_i, Q_i) for the optimal-ate Miller loop (z < 0 handled:
 * the result is conjugated).  Pairs where either point is the identity
 * contribute 1. */
void bls_miller_loop_var(bls_fp12 *f, const bls_g1_affine *p, const bls_g2_affine *q, size_t n);
/* f^(3 (p^12 - 1)/r): the cube of the textbook final exponentiation, as in
 * zkcrypto/blst/noble (bijective on the r-torsion, so checks against 1 are
 * unaffected). */
void bls_final_exp_var(bls_fp12 *r, const bls_fp12 *f);
/* e(P, Q) = final_exp(ML(P, Q)). */
void bls_pairing_var(bls_fp12 *r, const bls_g1_affine *p, const bls_g2_affine *q);
/* 1 iff prod_i e(P_i, Q_i) == 1 (one shared final exponentiation). */
int bls_pairing_check_var(const bls_g1_affine *p, const bls_g2_affine *q, size_t n);

/* ---- ZCash/zkcrypto encodings (bls12_381_encode.c) ----
 * Compressed: G1 48 bytes, G2 96 bytes; uncompressed: 96 / 192 bytes.
 * Big-endian coordinates, G2 as c1 then c0; flags in the top 3 bits of
 * byte 0: 0x80 compressed, 0x40 identity, 0x20 sign (y lexicographically
 * largest; compressed only).  The decoders reject bad lengths/flags,
 * non-canonical coordinates (>= p), points off the curve and points outside
 * the prime-order subgroup; the identity decodes to inf = 1 with BLS_OK
 * (callers that need a real point check inf). */
bls_status bls_g1_from_compressed_var(bls_g1_affine *r, const uint8_t in[48]);
bls_status bls_g1_from_uncompressed_var(bls_g1_affine *r, const uint8_t in[96]);
bls_status bls_g2_from_compressed_var(bls_g2_affine *r, const uint8_t in[96]);
bls_status bls_g2_from_uncompressed_var(bls_g2_affine *r, const uint8_t in[192]);
/* Same, without the subgroup check (on-curve only). */
bls_status bls_g1_from_compressed_unchecked_var(bls_g1_affine *r, const uint8_t in[48]);
bls_status bls_g2_from_compressed_unchecked_var(bls_g2_affine *r, const uint8_t in[96]);
void bls_g1_to_compressed(uint8_t out[48], const bls_g1_affine *a);
void bls_g1_to_uncompressed(uint8_t out[96], const bls_g1_affine *a);
void bls_g2_to_compressed(uint8_t out[96], const bls_g2_affine *a);
void bls_g2_to_uncompressed(uint8_t out[192], const bls_g2_affine *a);

/* ---- validated public keys (bls12_381_verify.c; see curve/bls12_381.h) ---- */
struct bls_pk_g1 {
    bls_g1_affine pk;
};
struct bls_pk_g2 {
    bls_g2_affine pk;
    bls_g2_prepared pk_lines;  /* Miller-loop lines of the key */
    bls_g2_prepared gen_lines; /* ... and of the G2 generator */
};

#endif
