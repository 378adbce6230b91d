/* Internal to src/curve (bn254_batchmul.c, bn254_batchmul_var.c): G1
 * additions and doublings in affine coordinates for m independent points at
 * once, with one shared field inversion per call (Montgomery's trick):
 * addition 5M + 1S, doubling 5M + 2S per point.
 *
 * Variable time by default: for public points only (or, as in the
 * public-scalar batch multiply, for a public schedule).  A zero denominator
 * (a = +-q in an addition) is replaced by 1 and reported in ws->bad[i] = 1;
 * that point's result is then garbage and the caller must recompute it.
 *
 * With ws->ct_bad set, constant time in the point values (m, the strides and
 * neg stay public): the inversion is the Fermat one and a zero denominator
 * only ORs all-ones into *ws->ct_bad (ws->bad unused); every result of the
 * call is then garbage.  For the secret-scalar batch multiply. */
#ifndef NS_CURVE_BN254_AFFINE_BATCH_H
#define NS_CURVE_BN254_AFFINE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "curve/bn254.h"

typedef struct {
    bn254_fq *den;      /* m elements of scratch */
    bn254_fq *pre;      /* m elements of scratch */
    unsigned char *bad; /* m flags, set (never cleared) on a zero denominator */
    bn254_fq *t1, *t2;  /* m elements each, for bn254x_batch_dbl_add_affine only */
    uint64_t *ct_bad;   /* non-NULL: constant-time mode (see above) */
} bn254x_batch_ws;

/* r[i] = a[i] + q[i] (neg = 0) or a[i] - q[i] (neg = 1), i < m (m >= 1),
 * with q[i] = (qx[i * qxs], qy[i * qys]) and r, a at strides rs, as (in
 * points); r may alias a or q (each element is read before it is
 * written).  No input may be infinity. */
void bn254x_batch_add_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, size_t rs, const bn254_g1_affine *a,
                             size_t as, const bn254_fq *qx, size_t qxs, const bn254_fq *qy, size_t qys, int neg,
                             size_t m);

/* r[i] = 2 a[i], i < m (m >= 1; G1 has no point of order 2); r may alias a. */
void bn254x_batch_dbl_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, const bn254_g1_affine *a, size_t m);

/* a[i] = 2 a[i] + q[i] (neg = 0) or 2 a[i] - q[i] (neg = 1), q as in
 * bn254x_batch_add_affine, computed as (a + q) + a without y(a + q)
 * (Eisentraeger-Lauter-Montgomery): 9M + 2S instead of 10M + 3S for a
 * doubling then an addition.  Zero denominators (a = -+q or 2a = -+q... any
 * exceptional case of the two chord steps) are flagged in ws->bad. */
void bn254x_batch_dbl_add_affine(const bn254x_batch_ws *ws, bn254_g1_affine *a, const bn254_fq *qx, size_t qxs,
                                 const bn254_fq *qy, size_t qys, int neg, size_t m);

/* tab[i * ntab + j] = (2j + 1) pts[i] for j < ntab, i < m; pts (not
 * infinity, order r) is overwritten with 2 pts[i]. */
void bn254x_batch_odd_multiples(const bn254x_batch_ws *ws, bn254_g1_affine *tab, int ntab, bn254_g1_affine *pts,
                                size_t m);

/* For tests (bn254_batchmul_var.c): the public-scalar batch multiply on a
 * given schedule, out[i] = (sum d1[j] 2^j + lambda sum d2[j] 2^j) in[i],
 * digits odd with |d| <= 15 or 0, d1[len-1] or d2[len-1] non-zero; k must be
 * that scalar (used by the exceptional fallback).  Lets a test force
 * exceptional additions (e.g. d1 = {1, 1}: 2P + P meets P = P).  Returns the
 * number of exceptional points, (size_t)-1 for an invalid schedule. */
size_t bn254x_g1_batch_mul_digits(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const int8_t *d1,
                                  const int8_t *d2, int len, const uint64_t k[4], int threads);

#endif
