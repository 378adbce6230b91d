/* Internal to src/curve (bn254_batchmul.c, bn254_batchmul_var.c): G1
 * additions and doublings in affine coordinates for m independent points at
 * once, with one shared field inversion per call (Montgomery's trick):
 * addition 5M + 1S, doubling 5M + 2S per point.
 *
 * Variable time: for public points only (or, as in the public-scalar batch
 * multiply, for a public schedule).  A zero denominator (a = +-q in an
 * addition) is replaced by 1 and reported in ws->bad[i] = 1; that point's
 * result is then garbage and the caller must recompute it. */
#ifndef NS_CURVE_BN254_AFFINE_BATCH_H
#define NS_CURVE_BN254_AFFINE_BATCH_H

#include <stddef.h>

#include "curve/bn254.h"

typedef struct {
    bn254_fq *den;      /* m elements of scratch */
    bn254_fq *pre;      /* m elements of scratch */
    unsigned char *bad; /* m flags, set (never cleared) on a zero denominator */
} bn254x_batch_ws;

/* r[i] = a[i] + q[i] (neg = 0) or a[i] - q[i] (neg = 1), i < m (m >= 1),
 * with q[i] = (qx[i * qxs], qy[i * qys]) and r, a at strides rs, as (in
 * points); r may alias a.  No input may be infinity. */
void bn254x_batch_add_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, size_t rs, const bn254_g1_affine *a,
                             size_t as, const bn254_fq *qx, size_t qxs, const bn254_fq *qy, size_t qys, int neg,
                             size_t m);

/* r[i] = 2 a[i], i < m (m >= 1; G1 has no point of order 2); r may alias a. */
void bn254x_batch_dbl_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, const bn254_g1_affine *a, size_t m);

/* tab[i * ntab + j] = (2j + 1) pts[i] for j < ntab, i < m; pts (not
 * infinity, order r) is overwritten with 2 pts[i]. */
void bn254x_batch_odd_multiples(const bn254x_batch_ws *ws, bn254_g1_affine *tab, int ntab, bn254_g1_affine *pts,
                                size_t m);

#endif
