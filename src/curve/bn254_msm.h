/* Multi-scalar multiplication sum_i k_i * P_i for PUBLIC scalars (zkey new,
 * zkey verify): Pippenger with signed window digits, window size chosen from
 * n, affine buckets filled by batched additions that share one inversion,
 * and affine bucket sums (G1: bn254_msm.c, G2: bn254_msm_g2.c),
 * multi-threaded over windows.  Variable time.
 *
 * Points are affine in snarkjs LEM layout (a bn254_g1_affine array may point
 * into a memory-mapped file); (0, 0) is infinity and contributes nothing.
 * Points must be valid (bn254_g1_check / bn254_g2_check_var) - not re-checked.
 * Scalars are either 32-byte little-endian integers (any 256-bit value,
 * e.g. canonical Fr bytes), `stride` bytes apart (32 for a packed array), or
 * Fr elements in Montgomery form (snarkjs LEM).
 * threads <= 0: all cores.  Returns 0, or -1 if memory ran out (err set). */
#ifndef NS_CURVE_BN254_MSM_H
#define NS_CURVE_BN254_MSM_H

#include <stddef.h>
#include <stdint.h>

#include "curve/bn254.h"
#include "util/error.h"

int bn254_g1_msm_var(bn254_g1 *r, const bn254_g1_affine *pts, const uint8_t *scalars, size_t stride, size_t n,
                     int threads, ns_error *err);
int bn254_g1_msm_fr_var(bn254_g1 *r, const bn254_g1_affine *pts, const bn254_fr *scalars, size_t n, int threads,
                        ns_error *err);

int bn254_g2_msm_var(bn254_g2 *r, const bn254_g2_affine *pts, const uint8_t *scalars, size_t stride, size_t n,
                     int threads, ns_error *err);
int bn254_g2_msm_fr_var(bn254_g2 *r, const bn254_g2_affine *pts, const bn254_fr *scalars, size_t n, int threads,
                        ns_error *err);

/* r = p[0] + ... + p[n-1] (the MSM with every scalar 1), for points that
 * are not infinity: a tree of affine additions whose levels each share one
 * inversion (bn254x_batch_add_affine, about 6M per addition against 11 for
 * a mixed Jacobian one); doublings and cancellations take the exact
 * formulas.  p is overwritten (scratch); allocates n / 2 + 1 points of
 * scratch more.  Result Z = 1, or infinity.  Returns 0, or -1 if memory ran
 * out (nothing computed). */
int bn254_g1_sum_var(bn254_g1 *r, bn254_g1_affine *p, size_t n);

/* The window size the G1 MSM uses for n points (exposed for tests/benchmarks). */
int bn254_msm_window_bits(size_t n);

#endif
