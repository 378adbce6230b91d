/* Internal to src/curve (bn254_ctmul.c, bn254_batchmul.c, bn254_msm.c; also
 * timed by src/cli/bench_curve.c): BN254 G1 Jacobian formulas on the
 * inlined Fq arithmetic of ff/bn254_fq_fast.h, for the scalar-multiplication
 * and MSM hot loops.  Same representation as bn254.h (Jacobian (X, Y, Z),
 * Z = 0 is infinity), so values pass freely between this header and the
 * public API.
 *
 * Everything here is constant time except functions ending in _var. */
#ifndef NS_CURVE_BN254_FAST_H
#define NS_CURVE_BN254_FAST_H

#include <stdint.h>

#include "curve/bn254.h"
#include "ff/bn254_fq_fast.h"

/* ---------------- G1, Jacobian, a = 0 ---------------- */

static inline void bn254x_g1_set_inf(bn254_g1 *r) {
    bn254x_one(&r->x);
    bn254x_one(&r->y);
    for (int i = 0; i < 4; i++) r->z.l[i] = 0;
}

static inline void bn254x_g1_from_affine(bn254_g1 *r, const bn254_g1_affine *a) {
    r->x = a->x;
    r->y = a->y;
    bn254x_one(&r->z);
}

/* dbl-2009-l (2M + 5S); infinity maps to infinity, no exceptions on G1. */
static inline void bn254x_g1_dbl(bn254_g1 *r, const bn254_g1 *p) {
    bn254_fq a, b, c, d, e, f, t;
    bn254x_sqr(&a, &p->x);
    bn254x_sqr(&b, &p->y);
    bn254x_sqr(&c, &b);
    bn254x_add(&d, &p->x, &b);
    bn254x_sqr(&d, &d);
    bn254x_sub(&d, &d, &a);
    bn254x_sub(&d, &d, &c);
    bn254x_dbl(&d, &d);
    bn254x_dbl(&e, &a);
    bn254x_add(&e, &e, &a);
    bn254x_sqr(&f, &e);
    bn254x_mul(&t, &p->y, &p->z);
    bn254x_dbl(&r->z, &t);
    bn254x_dbl(&t, &d);
    bn254x_sub(&r->x, &f, &t);
    bn254x_sub(&t, &d, &r->x);
    bn254x_mul(&t, &e, &t);
    bn254x_dbl(&c, &c);
    bn254x_dbl(&c, &c);
    bn254x_dbl(&c, &c);
    bn254x_sub(&r->y, &t, &c);
}

/* madd-2004-hmv (8M + 3S): r = p + q with q affine (not infinity).  Fewer
 * additions than madd-2007-bl (7M + 4S), which is what pays here.  Wrong
 * when p is infinity or p == q; gives infinity (Z = 0) when p == -q.
 * Reports H == 0 and R == 0 as masks so callers can patch those cases. */
static inline void bn254x_g1_madd_raw(bn254_g1 *r, const bn254_g1 *p, const bn254_g1_affine *q, uint64_t *h0,
                                      uint64_t *r0) {
    bn254_fq z1z1, u2, s2, h, hh, hhh, rr, v, t;
    bn254x_sqr(&z1z1, &p->z);
    bn254x_mul(&u2, &q->x, &z1z1);
    bn254x_mul(&s2, &q->y, &p->z);
    bn254x_mul(&s2, &s2, &z1z1);
    bn254x_sub(&h, &u2, &p->x);
    bn254x_sub(&rr, &s2, &p->y);
    if (h0) *h0 = bn254x_is_zero_mask(&h);
    if (r0) *r0 = bn254x_is_zero_mask(&rr);
    bn254x_sqr(&hh, &h);
    bn254x_mul(&hhh, &h, &hh);
    bn254x_mul(&v, &p->x, &hh);
    bn254x_mul(&s2, &p->y, &hhh); /* Y1 H^3 */
    bn254x_mul(&r->z, &p->z, &h);
    bn254x_sqr(&t, &rr);
    bn254x_sub(&t, &t, &hhh);
    bn254x_dbl(&u2, &v);
    bn254x_sub(&r->x, &t, &u2);
    bn254x_sub(&t, &v, &r->x);
    bn254x_mul(&t, &rr, &t);
    bn254x_sub(&r->y, &t, &s2);
}

/* add-2007-bl (11M + 5S), both Jacobian.  Same exceptions as madd_raw. */
static inline void bn254x_g1_add_raw(bn254_g1 *r, const bn254_g1 *p, const bn254_g1 *q, uint64_t *h0, uint64_t *r0) {
    bn254_fq z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    bn254x_sqr(&z1z1, &p->z);
    bn254x_sqr(&z2z2, &q->z);
    bn254x_mul(&u1, &p->x, &z2z2);
    bn254x_mul(&u2, &q->x, &z1z1);
    bn254x_mul(&s1, &p->y, &q->z);
    bn254x_mul(&s1, &s1, &z2z2);
    bn254x_mul(&s2, &q->y, &p->z);
    bn254x_mul(&s2, &s2, &z1z1);
    bn254x_sub(&h, &u2, &u1);
    bn254x_sub(&rr, &s2, &s1);
    if (h0) *h0 = bn254x_is_zero_mask(&h);
    if (r0) *r0 = bn254x_is_zero_mask(&rr);
    bn254x_dbl(&rr, &rr);
    bn254x_dbl(&i, &h);
    bn254x_sqr(&i, &i);
    bn254x_mul(&j, &h, &i);
    bn254x_mul(&v, &u1, &i);
    bn254x_add(&t, &p->z, &q->z);
    bn254x_sqr(&t, &t);
    bn254x_sub(&t, &t, &z1z1);
    bn254x_sub(&t, &t, &z2z2);
    bn254x_mul(&r->z, &t, &h);
    bn254x_sqr(&t, &rr);
    bn254x_sub(&t, &t, &j);
    bn254x_sub(&t, &t, &v);
    bn254x_sub(&r->x, &t, &v);
    bn254x_sub(&t, &v, &r->x);
    bn254x_mul(&t, &rr, &t);
    bn254x_mul(&s1, &s1, &j);
    bn254x_dbl(&s1, &s1);
    bn254x_sub(&r->y, &t, &s1);
}

static inline void bn254x_g1_cmov(bn254_g1 *r, const bn254_g1 *a, uint64_t mask) {
    bn254x_cmov(&r->x, &a->x, mask);
    bn254x_cmov(&r->y, &a->y, mask);
    bn254x_cmov(&r->z, &a->z, mask);
}

/* Complete addition, branch-free: r = p + q for any p, q (either may be
 * infinity, p == q handled by a doubling computed alongside). */
static inline void bn254x_g1_add_complete(bn254_g1 *r, const bn254_g1 *p, const bn254_g1 *q) {
    bn254_g1 s, d;
    uint64_t h0, r0;
    bn254x_g1_add_raw(&s, p, q, &h0, &r0);
    bn254x_g1_dbl(&d, p);
    uint64_t pinf = bn254x_is_zero_mask(&p->z), qinf = bn254x_is_zero_mask(&q->z);
    bn254x_g1_cmov(&s, &d, h0 & r0);
    bn254x_g1_cmov(&s, p, qinf);
    bn254x_g1_cmov(&s, q, pinf);
    *r = s;
}

/* Variable-time additions for public data. */
static inline void bn254x_g1_add_var(bn254_g1 *r, const bn254_g1 *p, const bn254_g1 *q) {
    if (bn254x_is_zero_var(&p->z)) {
        *r = *q;
        return;
    }
    if (bn254x_is_zero_var(&q->z)) {
        *r = *p;
        return;
    }
    uint64_t h0, r0;
    bn254_g1 s;
    bn254x_g1_add_raw(&s, p, q, &h0, &r0);
    if (h0 & r0) bn254x_g1_dbl(&s, p);
    *r = s;
}

/* q affine and not infinity. */
static inline void bn254x_g1_madd_var(bn254_g1 *r, const bn254_g1 *p, const bn254_g1_affine *q) {
    if (bn254x_is_zero_var(&p->z)) {
        bn254x_g1_from_affine(r, q);
        return;
    }
    uint64_t h0, r0;
    bn254_g1 s;
    bn254x_g1_madd_raw(&s, p, q, &h0, &r0);
    if (h0 & r0) bn254x_g1_dbl(&s, p);
    *r = s;
}

static inline int bn254x_g1_affine_is_inf(const bn254_g1_affine *a) {
    return bn254x_is_zero_var(&a->x) && bn254x_is_zero_var(&a->y);
}

/* r = a + b in affine coordinates given inv = 1 / (b.x - a.x) (a.x != b.x;
 * the inverse comes from a batched inversion): 2M + 1S.  r may alias a or
 * b. */
static inline void bn254x_g1_affine_add_inv(bn254_g1_affine *r, const bn254_g1_affine *a, const bn254_g1_affine *b,
                                            const bn254_fq *inv) {
    bn254_fq lam, x3, t;
    bn254x_sub(&t, &b->y, &a->y);
    bn254x_mul(&lam, &t, inv);
    bn254x_sqr(&x3, &lam);
    bn254x_sub(&x3, &x3, &a->x);
    bn254x_sub(&x3, &x3, &b->x);
    bn254x_sub(&t, &a->x, &x3);
    bn254x_mul(&t, &t, &lam);
    bn254x_sub(&r->y, &t, &a->y);
    r->x = x3;
}

#endif
