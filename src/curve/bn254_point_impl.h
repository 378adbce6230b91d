/* Private to bn254_g1.c and bn254_g2.c: the BN254 Jacobian group law,
 * written once and instantiated for G1 (over Fq) and G2 (over Fq2).
 *
 * Each BN254_POINT_*_IMPL(ptype, field) macro defines functions for the
 * point types bn254_<ptype> / bn254_<ptype>_affine (see curve/bn254.h) over
 * the field bn254_<field> (see ff/bn254_field.h), e.g. (g1, fq) or (g2, fq2);
 * the expansion calls the field functions directly, so each instance is the
 * same machine code a hand-written copy would be.  Static helpers are named
 * <ptype>_*; public functions keep their bn254_<ptype>_* names.
 *
 * Formulas (a = 0): dbl-2009-l, add-2007-bl, madd-2007-bl from the
 * Explicit-Formulas Database.  The complete (constant-time) additions
 * compute both the generic sum and the doubling and select the right result
 * with masks; the _var versions branch. */
#ifndef NS_CURVE_BN254_POINT_IMPL_H
#define NS_CURVE_BN254_POINT_IMPL_H

#include <stdint.h>
#include <stdlib.h>

#include "curve/bn254.h"
#include "curve/bn254_wnaf.h"

/* r = flag ? a : r with flag 0 or 1, without branching on it. */
static inline void bn254_pt_fq_cmov(bn254_fq *r, const bn254_fq *a, int flag) {
    uint64_t m = (uint64_t)0 - (uint64_t)(flag & 1);
    for (int i = 0; i < 4; i++) r->l[i] ^= (r->l[i] ^ a->l[i]) & m;
}

static inline void bn254_pt_fq2_cmov(bn254_fq2 *r, const bn254_fq2 *a, int flag) {
    bn254_pt_fq_cmov(&r->c0, &a->c0, flag);
    bn254_pt_fq_cmov(&r->c1, &a->c1, flag);
}

/* Infinity ((1, 1, 0) Jacobian, (0, 0) affine), conversions from affine and
 * the masked point select ptype_cmov. */
#define BN254_POINT_BASIC_IMPL(ptype, field)                                                          \
    static void ptype##_cmov(bn254_##ptype *r, const bn254_##ptype *a, int flag) {                    \
        bn254_pt_##field##_cmov(&r->x, &a->x, flag);                                                  \
        bn254_pt_##field##_cmov(&r->y, &a->y, flag);                                                  \
        bn254_pt_##field##_cmov(&r->z, &a->z, flag);                                                  \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_set_infinity(bn254_##ptype *r) {                                             \
        bn254_##field##_one(&r->x);                                                                   \
        bn254_##field##_one(&r->y);                                                                   \
        bn254_##field##_zero(&r->z);                                                                  \
    }                                                                                                 \
                                                                                                      \
    int bn254_##ptype##_is_infinity(const bn254_##ptype *a) { return bn254_##field##_is_zero(&a->z); } \
                                                                                                      \
    int bn254_##ptype##_affine_is_infinity(const bn254_##ptype##_affine *a) {                         \
        return bn254_##field##_is_zero(&a->x) & bn254_##field##_is_zero(&a->y);                       \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_from_affine(bn254_##ptype *r, const bn254_##ptype##_affine *a) {             \
        int inf = bn254_##ptype##_affine_is_infinity(a);                                              \
        bn254_##ptype o;                                                                              \
        bn254_##ptype##_set_infinity(&o);                                                             \
        r->x = a->x;                                                                                  \
        r->y = a->y;                                                                                  \
        bn254_##field##_one(&r->z);                                                                   \
        ptype##_cmov(r, &o, inf);                                                                     \
    }

/* to_affine (constant time), to_affine_var and batch_to_affine_var
 * (Montgomery's trick, one inversion; infinity gives (0, 0)). */
#define BN254_POINT_TO_AFFINE_IMPL(ptype, field)                                                      \
    /* r = (X zi^2, Y zi^3) with zi = 1/Z */                                                          \
    static void ptype##_scale_to_affine(bn254_##ptype##_affine *r, const bn254_##ptype *a,            \
                                        const bn254_##field *zi) {                                    \
        bn254_##field zi2, zi3;                                                                       \
        bn254_##field##_sqr(&zi2, zi);                                                                \
        bn254_##field##_mul(&zi3, &zi2, zi);                                                          \
        bn254_##field##_mul(&r->x, &a->x, &zi2);                                                      \
        bn254_##field##_mul(&r->y, &a->y, &zi3);                                                      \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_to_affine(bn254_##ptype##_affine *r, const bn254_##ptype *a) {               \
        bn254_##field zi;                                                                             \
        bn254_##field##_inv(&zi, &a->z); /* 0 -> 0 gives (0, 0) for infinity */                      \
        ptype##_scale_to_affine(r, a, &zi);                                                           \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_to_affine_var(bn254_##ptype##_affine *r, const bn254_##ptype *a) {           \
        bn254_##field zi;                                                                             \
        bn254_##field##_inv_var(&zi, &a->z); /* 0 -> 0 gives (0, 0) for infinity */                   \
        ptype##_scale_to_affine(r, a, &zi);                                                           \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_batch_to_affine_var(bn254_##ptype##_affine *r, const bn254_##ptype *a,       \
                                             size_t n) {                                              \
        if (n == 0) return;                                                                           \
        /* pre[i] = product of the non-zero Z before index i (r may not alias a) */                   \
        bn254_##field *pre = malloc(n * sizeof *pre);                                                 \
        if (!pre) { /* fall back to one inversion per point */                                        \
            for (size_t i = 0; i < n; i++) bn254_##ptype##_to_affine_var(&r[i], &a[i]);               \
            return;                                                                                   \
        }                                                                                             \
        bn254_##field acc;                                                                            \
        bn254_##field##_one(&acc);                                                                    \
        for (size_t i = 0; i < n; i++) {                                                              \
            pre[i] = acc;                                                                             \
            if (!bn254_##field##_is_zero(&a[i].z)) bn254_##field##_mul(&acc, &acc, &a[i].z);          \
        }                                                                                             \
        bn254_##field##_inv_var(&acc, &acc);                                                          \
        for (size_t i = n; i-- > 0;) {                                                                \
            if (bn254_##field##_is_zero(&a[i].z)) {                                                   \
                bn254_##field##_zero(&r[i].x);                                                        \
                bn254_##field##_zero(&r[i].y);                                                        \
                continue;                                                                             \
            }                                                                                         \
            bn254_##field zi;                                                                         \
            bn254_##field##_mul(&zi, &acc, &pre[i]);                                                  \
            bn254_##field##_mul(&acc, &acc, &a[i].z);                                                 \
            ptype##_scale_to_affine(&r[i], &a[i], &zi);                                               \
        }                                                                                             \
        free(pre);                                                                                    \
    }

/* dbl-2009-l; complete for these curves (no points of order 2; Z = 0 stays 0). */
#define BN254_POINT_DBL_IMPL(ptype, field)                                                            \
    void bn254_##ptype##_dbl(bn254_##ptype *r, const bn254_##ptype *a) {                              \
        bn254_##field A, B, C, D, E, Fv, t;                                                           \
        bn254_##field##_sqr(&A, &a->x);                                                               \
        bn254_##field##_sqr(&B, &a->y);                                                               \
        bn254_##field##_sqr(&C, &B);                                                                  \
        bn254_##field##_add(&D, &a->x, &B);                                                           \
        bn254_##field##_sqr(&D, &D);                                                                  \
        bn254_##field##_sub(&D, &D, &A);                                                              \
        bn254_##field##_sub(&D, &D, &C);                                                              \
        bn254_##field##_dbl(&D, &D);                                                                  \
        bn254_##field##_dbl(&E, &A);                                                                  \
        bn254_##field##_add(&E, &E, &A);                                                              \
        bn254_##field##_sqr(&Fv, &E);                                                                 \
        bn254_##field##_mul(&t, &a->y, &a->z);                                                        \
        bn254_##field##_dbl(&r->z, &t);                                                               \
        bn254_##field##_dbl(&t, &D);                                                                  \
        bn254_##field##_sub(&r->x, &Fv, &t);                                                          \
        bn254_##field##_sub(&t, &D, &r->x);                                                           \
        bn254_##field##_mul(&t, &E, &t);                                                              \
        bn254_##field##_dbl(&C, &C);                                                                  \
        bn254_##field##_dbl(&C, &C);                                                                  \
        bn254_##field##_dbl(&C, &C);                                                                  \
        bn254_##field##_sub(&r->y, &t, &C);                                                           \
    }

/* Additions: Jacobian + Jacobian (add-2007-bl) and Jacobian + affine
 * (madd-2007-bl), each complete (constant time) and _var.  Needs
 * BN254_POINT_BASIC_IMPL and BN254_POINT_DBL_IMPL first. */
#define BN254_POINT_ADD_IMPL(ptype, field)                                                            \
    /* The shared end of both formulas: X3 = rr^2 - J - 2V, Y3 = rr (V - X3) - 2 s J                 \
     * (s = S1 resp. Y1); sets r->x, r->y. */                                                         \
    static void ptype##_add_tail(bn254_##ptype *r, const bn254_##field *rr, const bn254_##field *j,   \
                                 const bn254_##field *v, const bn254_##field *s) {                    \
        bn254_##field t, sj;                                                                          \
        bn254_##field##_sqr(&t, rr);                                                                  \
        bn254_##field##_sub(&t, &t, j);                                                               \
        bn254_##field##_sub(&t, &t, v);                                                               \
        bn254_##field##_sub(&r->x, &t, v);                                                            \
        bn254_##field##_sub(&t, v, &r->x);                                                            \
        bn254_##field##_mul(&t, &t, rr);                                                              \
        bn254_##field##_mul(&sj, s, j);                                                               \
        bn254_##field##_dbl(&sj, &sj);                                                                \
        bn254_##field##_sub(&r->y, &t, &sj);                                                          \
    }                                                                                                 \
                                                                                                      \
    /* add-2007-bl; sets *h_zero / *r_zero for the special cases (a == +-b, infinity). */            \
    static void ptype##_add_core(bn254_##ptype *r, const bn254_##ptype *a, const bn254_##ptype *b,    \
                                 int *h_zero, int *r_zero) {                                          \
        bn254_##field z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;                                  \
        bn254_##field##_sqr(&z1z1, &a->z);                                                            \
        bn254_##field##_sqr(&z2z2, &b->z);                                                            \
        bn254_##field##_mul(&u1, &a->x, &z2z2);                                                       \
        bn254_##field##_mul(&u2, &b->x, &z1z1);                                                       \
        bn254_##field##_mul(&s1, &a->y, &b->z);                                                       \
        bn254_##field##_mul(&s1, &s1, &z2z2);                                                         \
        bn254_##field##_mul(&s2, &b->y, &a->z);                                                       \
        bn254_##field##_mul(&s2, &s2, &z1z1);                                                         \
        bn254_##field##_sub(&h, &u2, &u1);                                                            \
        bn254_##field##_sub(&rr, &s2, &s1);                                                           \
        *h_zero = bn254_##field##_is_zero(&h);                                                        \
        *r_zero = bn254_##field##_is_zero(&rr);                                                       \
        bn254_##field##_dbl(&rr, &rr);                                                                \
        bn254_##field##_dbl(&i, &h);                                                                  \
        bn254_##field##_sqr(&i, &i);                                                                  \
        bn254_##field##_mul(&j, &h, &i);                                                              \
        bn254_##field##_mul(&v, &u1, &i);                                                             \
        bn254_##field##_add(&t, &a->z, &b->z);                                                        \
        bn254_##field##_sqr(&t, &t);                                                                  \
        bn254_##field##_sub(&t, &t, &z1z1);                                                           \
        bn254_##field##_sub(&t, &t, &z2z2);                                                           \
        bn254_##field##_mul(&r->z, &t, &h);                                                           \
        ptype##_add_tail(r, &rr, &j, &v, &s1);                                                        \
    }                                                                                                 \
                                                                                                      \
    /* madd-2007-bl (b affine, not infinity); flags as add_core. */                                   \
    static void ptype##_madd_core(bn254_##ptype *r, const bn254_##ptype *a,                           \
                                  const bn254_##ptype##_affine *b, int *h_zero, int *r_zero) {        \
        bn254_##field z1z1, u2, s2, h, hh, i, j, rr, v, t;                                            \
        bn254_##field##_sqr(&z1z1, &a->z);                                                            \
        bn254_##field##_mul(&u2, &b->x, &z1z1);                                                       \
        bn254_##field##_mul(&s2, &b->y, &a->z);                                                       \
        bn254_##field##_mul(&s2, &s2, &z1z1);                                                         \
        bn254_##field##_sub(&h, &u2, &a->x);                                                          \
        bn254_##field##_sub(&rr, &s2, &a->y);                                                         \
        *h_zero = bn254_##field##_is_zero(&h);                                                        \
        *r_zero = bn254_##field##_is_zero(&rr);                                                       \
        bn254_##field##_dbl(&rr, &rr);                                                                \
        bn254_##field##_sqr(&hh, &h);                                                                 \
        bn254_##field##_dbl(&i, &hh);                                                                 \
        bn254_##field##_dbl(&i, &i);                                                                  \
        bn254_##field##_mul(&j, &h, &i);                                                              \
        bn254_##field##_mul(&v, &a->x, &i);                                                           \
        bn254_##field##_add(&t, &a->z, &h);                                                           \
        bn254_##field##_sqr(&t, &t);                                                                  \
        bn254_##field##_sub(&t, &t, &z1z1);                                                           \
        bn254_##field##_sub(&r->z, &t, &hh);                                                          \
        ptype##_add_tail(r, &rr, &j, &v, &a->y);                                                      \
    }                                                                                                 \
                                                                                                      \
    /* Complete: *r = the core's sum, or 2a when a == b, b when a is infinity,                        \
     * a when b is infinity; every case is computed and selected by masks. */                         \
    static void ptype##_add_select(bn254_##ptype *r, bn254_##ptype *sum, const bn254_##ptype *a,      \
                                   const bn254_##ptype *b, int hz, int rz, int ainf, int binf) {      \
        bn254_##ptype d;                                                                              \
        bn254_##ptype##_dbl(&d, a);                                                                   \
        ptype##_cmov(sum, &d, hz & rz);                                                               \
        ptype##_cmov(sum, b, ainf);                                                                   \
        ptype##_cmov(sum, a, binf);                                                                   \
        *r = *sum;                                                                                    \
    }                                                                                                 \
                                                                                                      \
    /* Variable time: *r = the core's sum, or 2a / infinity when h = 0. */                           \
    static void ptype##_add_select_var(bn254_##ptype *r, const bn254_##ptype *sum,                    \
                                       const bn254_##ptype *a, int hz, int rz) {                      \
        if (hz) {                                                                                     \
            if (rz)                                                                                   \
                bn254_##ptype##_dbl(r, a);                                                            \
            else                                                                                      \
                bn254_##ptype##_set_infinity(r);                                                      \
            return;                                                                                   \
        }                                                                                             \
        *r = *sum;                                                                                    \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_add(bn254_##ptype *r, const bn254_##ptype *a, const bn254_##ptype *b) {      \
        bn254_##ptype sum;                                                                            \
        int hz, rz;                                                                                   \
        int ainf = bn254_##ptype##_is_infinity(a), binf = bn254_##ptype##_is_infinity(b);             \
        ptype##_add_core(&sum, a, b, &hz, &rz);                                                       \
        ptype##_add_select(r, &sum, a, b, hz, rz, ainf, binf);                                        \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_add_var(bn254_##ptype *r, const bn254_##ptype *a, const bn254_##ptype *b) {  \
        if (bn254_##ptype##_is_infinity(a)) {                                                         \
            *r = *b;                                                                                  \
            return;                                                                                   \
        }                                                                                             \
        if (bn254_##ptype##_is_infinity(b)) {                                                         \
            *r = *a;                                                                                  \
            return;                                                                                   \
        }                                                                                             \
        int hz, rz;                                                                                   \
        bn254_##ptype sum;                                                                            \
        ptype##_add_core(&sum, a, b, &hz, &rz);                                                       \
        ptype##_add_select_var(r, &sum, a, hz, rz);                                                   \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_add_affine(bn254_##ptype *r, const bn254_##ptype *a,                         \
                                    const bn254_##ptype##_affine *b) {                                \
        bn254_##ptype sum, bj;                                                                        \
        int hz, rz;                                                                                   \
        int ainf = bn254_##ptype##_is_infinity(a), binf = bn254_##ptype##_affine_is_infinity(b);      \
        ptype##_madd_core(&sum, a, b, &hz, &rz);                                                      \
        bn254_##ptype##_from_affine(&bj, b);                                                          \
        ptype##_add_select(r, &sum, a, &bj, hz, rz, ainf, binf);                                      \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_add_affine_var(bn254_##ptype *r, const bn254_##ptype *a,                     \
                                        const bn254_##ptype##_affine *b) {                            \
        if (bn254_##ptype##_affine_is_infinity(b)) {                                                  \
            *r = *a;                                                                                  \
            return;                                                                                   \
        }                                                                                             \
        if (bn254_##ptype##_is_infinity(a)) {                                                         \
            r->x = b->x;                                                                              \
            r->y = b->y;                                                                              \
            bn254_##field##_one(&r->z);                                                               \
            return;                                                                                   \
        }                                                                                             \
        int hz, rz;                                                                                   \
        bn254_##ptype sum;                                                                            \
        ptype##_madd_core(&sum, a, b, &hz, &rz);                                                      \
        ptype##_add_select_var(r, &sum, a, hz, rz);                                                   \
    }

/* Negation, equality (variable time) and the curve equation y^2 = x^3 + b
 * (constant time; infinity counts as on the curve),
 * with curve_b(bn254_<field> *b) a function of the instantiating file. */
#define BN254_POINT_MISC_IMPL(ptype, field, curve_b)                                                  \
    void bn254_##ptype##_neg(bn254_##ptype *r, const bn254_##ptype *a) {                              \
        r->x = a->x;                                                                                  \
        bn254_##field##_neg(&r->y, &a->y);                                                            \
        r->z = a->z;                                                                                  \
    }                                                                                                 \
                                                                                                      \
    void bn254_##ptype##_affine_neg(bn254_##ptype##_affine *r, const bn254_##ptype##_affine *a) {     \
        r->x = a->x;                                                                                  \
        bn254_##field##_neg(&r->y, &a->y); /* -0 = 0 keeps infinity as (0, 0) */                      \
    }                                                                                                 \
                                                                                                      \
    int bn254_##ptype##_eq_var(const bn254_##ptype *a, const bn254_##ptype *b) {                      \
        int ai = bn254_##ptype##_is_infinity(a), bi = bn254_##ptype##_is_infinity(b);                \
        if (ai || bi) return ai && bi;                                                                \
        bn254_##field z1z1, z2z2, t1, t2;                                                             \
        bn254_##field##_sqr(&z1z1, &a->z);                                                            \
        bn254_##field##_sqr(&z2z2, &b->z);                                                            \
        bn254_##field##_mul(&t1, &a->x, &z2z2);                                                       \
        bn254_##field##_mul(&t2, &b->x, &z1z1);                                                       \
        if (!bn254_##field##_eq(&t1, &t2)) return 0;                                                  \
        bn254_##field##_mul(&t1, &a->y, &z2z2);                                                       \
        bn254_##field##_mul(&t1, &t1, &b->z);                                                         \
        bn254_##field##_mul(&t2, &b->y, &z1z1);                                                       \
        bn254_##field##_mul(&t2, &t2, &a->z);                                                         \
        return bn254_##field##_eq(&t1, &t2);                                                          \
    }                                                                                                 \
                                                                                                      \
    int bn254_##ptype##_affine_on_curve(const bn254_##ptype##_affine *a) {                            \
        int inf = bn254_##ptype##_affine_is_infinity(a);                                              \
        bn254_##field l, rhs, b;                                                                      \
        bn254_##field##_sqr(&l, &a->y);                                                               \
        bn254_##field##_sqr(&rhs, &a->x);                                                             \
        bn254_##field##_mul(&rhs, &rhs, &a->x);                                                       \
        curve_b(&b);                                                                                  \
        bn254_##field##_add(&rhs, &rhs, &b);                                                          \
        return bn254_##field##_eq(&l, &rhs) | inf;                                                    \
    }

/* Variable-time scalar multiplication by a public 256-bit integer:
 * width-5 NAF with the odd multiples a, 3a, ..., 15a.  Needs the dbl,
 * add and misc (neg) instances first. */
#define BN254_POINT_MUL_VAR_IMPL(ptype, field)                                                        \
    void bn254_##ptype##_mul_var(bn254_##ptype *r, const bn254_##ptype *a, const uint64_t k[4]) {     \
        int8_t naf[BN254_WNAF_MAX];                                                                   \
        int len = bn254_wnaf(naf, k, 5);                                                              \
        bn254_##ptype tab[8], d, acc;                                                                 \
        /* tab[i] = (2i+1) a */                                                                       \
        tab[0] = *a;                                                                                  \
        bn254_##ptype##_dbl(&d, a);                                                                   \
        for (int i = 1; i < 8; i++) bn254_##ptype##_add_var(&tab[i], &tab[i - 1], &d);                \
        bn254_##ptype##_set_infinity(&acc);                                                           \
        for (int i = len - 1; i >= 0; i--) {                                                          \
            bn254_##ptype##_dbl(&acc, &acc);                                                          \
            int v = naf[i];                                                                           \
            if (v > 0) {                                                                              \
                bn254_##ptype##_add_var(&acc, &acc, &tab[v >> 1]);                                    \
            } else if (v < 0) {                                                                       \
                bn254_##ptype t;                                                                      \
                bn254_##ptype##_neg(&t, &tab[(-v) >> 1]);                                             \
                bn254_##ptype##_add_var(&acc, &acc, &t);                                              \
            }                                                                                         \
        }                                                                                             \
        *r = acc;                                                                                     \
    }

/* Everything above for one group. */
#define BN254_POINT_IMPL(ptype, field, curve_b)                                                       \
    BN254_POINT_BASIC_IMPL(ptype, field)                                                              \
    BN254_POINT_TO_AFFINE_IMPL(ptype, field)                                                          \
    BN254_POINT_DBL_IMPL(ptype, field)                                                                \
    BN254_POINT_ADD_IMPL(ptype, field)                                                                \
    BN254_POINT_MISC_IMPL(ptype, field, curve_b)                                                      \
    BN254_POINT_MUL_VAR_IMPL(ptype, field)

#endif
