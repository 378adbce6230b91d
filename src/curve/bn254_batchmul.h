/* Batch multiplication: many points times one secret scalar (zkey
 * contribute/beacon: every L and H point times 1/delta).
 *
 * Points are affine in snarkjs LEM layout (on a little-endian host a
 * bn254_g1_affine array is byte-identical to LEM, so `in` may point into a
 * memory-mapped file); infinity is (0, 0) and maps to (0, 0).  `out` may
 * equal `in` (in place) but must not otherwise overlap it.  Input points
 * must be valid (on the curve); they are public, the scalar is secret.
 *
 * G1: constant time in the scalar: signed odd-digit fixed windows (w = 5)
 * over a per-point table of odd multiples, every table entry read with masks,
 * no branch on the scalar, results normalised with one inversion per chunk.
 * The one exception: scalars within 64 of 0 or of r (mod r) take a slower
 * complete-formula path; which path ran is the only thing revealed, and only
 * for those 128 scalars.
 * threads <= 0: all cores. */
#ifndef NS_CURVE_BN254_BATCHMUL_H
#define NS_CURVE_BN254_BATCHMUL_H

#include <stddef.h>
#include <stdint.h>

#include "curve/bn254.h"

/* k: any 256-bit integer (little-endian limbs); reduced mod r. */
void bn254_g1_batch_mul(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const uint64_t k[4],
                        int threads);
void bn254_g1_batch_mul_fr(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const bn254_fr *k,
                           int threads);

/* G2: per point constant-time multiplication (bn254_g2_mul_ct), in parallel. */
void bn254_g2_batch_mul(bn254_g2_affine *out, const bn254_g2_affine *in, size_t n, const uint64_t k[4],
                        int threads);
void bn254_g2_batch_mul_fr(bn254_g2_affine *out, const bn254_g2_affine *in, size_t n, const bn254_fr *k,
                           int threads);

#endif
