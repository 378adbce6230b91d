/* Batch multiplication: many points times one secret scalar (zkey
 * contribute/beacon: every L and H point times 1/delta).
 *
 * Points are affine in snarkjs LEM layout (on a little-endian host a
 * bn254_g1_affine array is byte-identical to LEM, so `in` may point into a
 * memory-mapped file); infinity is (0, 0) and maps to (0, 0).  `out` may
 * equal `in` (in place) but must not otherwise overlap it.  Input points
 * must be valid (on the curve); they are public, the scalar is secret.
 *
 * G1: constant time in the scalar.  GLV split k = k1 + k2*lambda (Babai
 * rounding with fixed-size integer arithmetic), each half recoded in signed
 * odd 5-bit digits; per point a table of 16 odd multiples of P (phi(P) =
 * (beta x, y) is applied to the selected entry), built from the public point
 * alone with variable-time batched affine arithmetic, every entry read with
 * masks at each step; no branch and no address depends on the scalar.  All
 * points of a chunk (2048) follow the same window chain, so the chain runs
 * in affine coordinates with one shared constant-time (Fermat) inversion per
 * step (Montgomery's trick); results come out affine.  The incomplete affine
 * additions report a zero denominator; if any did (only for a negligible
 * set of scalars, e.g. 0 or r - 2) that one bit is revealed and the chunk is
 * recomputed with the complete-formula bn254_g1_mul.
 * G2: bn254_g2_mul per point, constant-time normalisation.
 * threads <= 0: all cores.  Each worker thread allocates one block
 * workspace (tables and chain state for a chunk) on the heap for the call;
 * should that fail, the points go through the allocation-free per-point
 * path. */
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

/* Variable time, for a public scalar (zkey beacon): GLV halves in width-5
 * NAF, every point on the same schedule, all arithmetic affine with one
 * shared inversion per block of points and operation (Montgomery's trick).
 * Same interface and results as bn254_g1_batch_mul.  Returns how many points
 * met an exceptional case (acc = +-Q: depends on k only; none known for a
 * real k) and were recomputed with bn254_g1_mul_var. */
size_t bn254_g1_batch_mul_var(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const uint64_t k[4],
                              int threads);
size_t bn254_g1_batch_mul_fr_var(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const bn254_fr *k,
                                 int threads);

/* G2: per point constant-time multiplication (bn254_g2_mul), in parallel. */
void bn254_g2_batch_mul(bn254_g2_affine *out, const bn254_g2_affine *in, size_t n, const uint64_t k[4],
                        int threads);
void bn254_g2_batch_mul_fr(bn254_g2_affine *out, const bn254_g2_affine *in, size_t n, const bn254_fr *k,
                           int threads);

#endif
