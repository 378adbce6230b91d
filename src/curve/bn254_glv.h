/* Internal to src/curve (bn254_batchmul.c, bn254_batchmul_var.c): the GLV
 * endomorphism of BN254 G1, phi(x, y) = (beta x, y) = lambda (x, y), and the
 * split of a scalar k = k1 + k2 lambda (mod r) with |k1|, |k2| < 2^128.
 * Constant time (usable for secret scalars). */
#ifndef NS_CURVE_BN254_GLV_H
#define NS_CURVE_BN254_GLV_H

#include <stdint.h>

#include "curve/bn254.h"

/* beta in Montgomery form (a cube root of unity mod q). */
void bn254x_glv_beta(bn254_fq *beta);

/* k mod r for any 256-bit k (little-endian limbs). */
void bn254x_reduce_r(uint64_t out[4], const uint64_t k[4]);

/* k (reduced mod r) -> |k1|, |k2| (< 2^128, in 4 limbs) and their signs as
 * masks (all-ones: negative), with k = k1 + k2 lambda (mod r). */
void bn254x_glv_split(uint64_t k1[4], uint64_t k2[4], uint64_t sign[2], const uint64_t k[4]);

#endif
