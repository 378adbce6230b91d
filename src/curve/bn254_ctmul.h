/* Constant-time scalar multiplication for secret scalars on BN254 G1 and G2.
 *
 * Fixed 4-bit windows over all 256 bits of k, table of 0..15 multiples,
 * every table entry read (masked select) at each step, complete (branch-free)
 * additions: no branch and no memory address depends on k or on the point.
 * k is any 256-bit integer (little-endian 64-bit limbs); the result is k*p. */
#ifndef NS_CURVE_BN254_CTMUL_H
#define NS_CURVE_BN254_CTMUL_H

#include <stdint.h>

#include "curve/bn254.h"

void bn254_g1_mul(bn254_g1 *r, const bn254_g1 *p, const uint64_t k[4]);
/* k given as an Fr element (Montgomery form, as stored by snarkjs). */
void bn254_g1_mul_fr(bn254_g1 *r, const bn254_g1 *p, const bn254_fr *k);

void bn254_g2_mul(bn254_g2 *r, const bn254_g2 *p, const uint64_t k[4]);
void bn254_g2_mul_fr(bn254_g2 *r, const bn254_g2 *p, const bn254_fr *k);

#endif
