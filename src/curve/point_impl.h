/* The Jacobian group law of a short Weierstrass curve y^2 = x^3 + b (a = 0),
 * written once (as blst's ec_ops.h) and instantiated per group: BN254 G1
 * and G2 (curve/bn254_g1.c, bn254_g2.c) and BLS12-381 G1 and G2
 * (curve/bls12_381_group.c).  Private to those files.
 *
 * Each NS_POINT_*_IMPL(P, F) macro defines functions for the Jacobian point
 * type P (fields x, y, z; z = 0 is infinity) and its affine type P##_affine
 * over the field F, e.g. (bn254_g1, bn254_fq) or (bls_g2, bls_fp2); the
 * expansion calls the field functions F##_add, F##_mul, ... directly, so
 * each instance is the same machine code a hand-written copy would be.
 * Static helpers are named P##_*_core / P##_*_select.
 *
 * Formulas: dbl-2009-l, add-2007-bl, madd-2007-bl from the Explicit-Formulas
 * Database.  The complete (constant-time) additions compute both the
 * generic sum and the doubling and select the right result with masks; the
 * _var versions branch.  Pieces, and what each needs before it:
 *   NS_POINT_INFINITY_IMPL    set_infinity, is_infinity (z = 0)
 *   NS_POINT_BASIC_IMPL       affine infinity (0, 0), from_affine, masked
 *                             select; needs F##_pt_cmov(r, a, flag)
 *   NS_POINT_TO_AFFINE_IMPL   to_affine, to_affine_var, batch_to_affine_var
 *   NS_POINT_DBL_IMPL         dbl (and the static inline P##_dbl_core that
 *                             also returns the tangent terms 3x^2 and y^2)
 *   NS_POINT_ADD_VAR_IMPL     add_var; needs P##_set_infinity, P##_is_infinity, dbl
 *   NS_POINT_ADD_CT_IMPL      complete add / add_affine, add_affine_var; needs BASIC
 *   NS_POINT_NEG_EQ_IMPL      neg, eq_var; needs P##_is_infinity
 *   NS_POINT_AFFINE_IMPL      affine_neg, affine_on_curve (infinity (0, 0))
 *   NS_POINT_MUL_VAR_IMPL     mul_var by a 4-limb scalar, width-5 wNAF
 *                             (needs curve/bn254_wnaf.h)
 *   NS_POINT_MUL_BITS_VAR_IMPL  mul_var by an n-limb scalar, double and add
 *                             (short sparse scalars such as BLS12-381's z) */
#ifndef NS_CURVE_POINT_IMPL_H
#define NS_CURVE_POINT_IMPL_H

#include <stdint.h>
#include <stdlib.h>

/* Infinity: Jacobian (1, 1, 0), i.e. z = 0. */
#define NS_POINT_INFINITY_IMPL(P, F)                                                                  \
    void P##_set_infinity(P *r) {                                                                     \
        F##_one(&r->x);                                                                               \
        F##_one(&r->y);                                                                               \
        F##_zero(&r->z);                                                                              \
    }                                                                                                 \
                                                                                                      \
    int P##_is_infinity(const P *a) { return F##_is_zero(&a->z); }

/* Affine infinity (0, 0), conversion from affine and the masked point
 * select P##_cmov (constant time); needs NS_POINT_INFINITY_IMPL. */
#define NS_POINT_BASIC_IMPL(P, F)                                                                     \
    static void P##_cmov(P *r, const P *a, int flag) {                                                \
        F##_pt_cmov(&r->x, &a->x, flag);                                                              \
        F##_pt_cmov(&r->y, &a->y, flag);                                                              \
        F##_pt_cmov(&r->z, &a->z, flag);                                                              \
    }                                                                                                 \
                                                                                                      \
    int P##_affine_is_infinity(const P##_affine *a) {                                                 \
        return F##_is_zero(&a->x) & F##_is_zero(&a->y);                                               \
    }                                                                                                 \
                                                                                                      \
    void P##_from_affine(P *r, const P##_affine *a) {                                                 \
        int inf = P##_affine_is_infinity(a);                                                          \
        P o;                                                                                          \
        P##_set_infinity(&o);                                                                         \
        r->x = a->x;                                                                                  \
        r->y = a->y;                                                                                  \
        F##_one(&r->z);                                                                               \
        P##_cmov(r, &o, inf);                                                                         \
    }

/* to_affine (constant time), to_affine_var and batch_to_affine_var
 * (Montgomery's trick, one inversion; infinity gives (0, 0)). */
#define NS_POINT_TO_AFFINE_IMPL(P, F)                                                                 \
    /* r = (X zi^2, Y zi^3) with zi = 1/Z */                                                          \
    static void P##_scale_to_affine(P##_affine *r, const P *a,                                        \
                                        const F *zi) {                                                \
        F zi2, zi3;                                                                                   \
        F##_sqr(&zi2, zi);                                                                            \
        F##_mul(&zi3, &zi2, zi);                                                                      \
        F##_mul(&r->x, &a->x, &zi2);                                                                  \
        F##_mul(&r->y, &a->y, &zi3);                                                                  \
    }                                                                                                 \
                                                                                                      \
    void P##_to_affine(P##_affine *r, const P *a) {                                                   \
        F zi;                                                                                         \
        F##_inv(&zi, &a->z); /* 0 -> 0 gives (0, 0) for infinity */                                   \
        P##_scale_to_affine(r, a, &zi);                                                               \
    }                                                                                                 \
                                                                                                      \
    void P##_to_affine_var(P##_affine *r, const P *a) {                                               \
        F zi;                                                                                         \
        F##_inv_var(&zi, &a->z); /* 0 -> 0 gives (0, 0) for infinity */                               \
        P##_scale_to_affine(r, a, &zi);                                                               \
    }                                                                                                 \
                                                                                                      \
    void P##_batch_to_affine_var(P##_affine *r, const P *a,                                           \
                                             size_t n) {                                              \
        if (n == 0) return;                                                                           \
        /* pre[i] = product of the non-zero Z before index i (r may not alias a) */                   \
        F *pre = malloc(n * sizeof *pre);                                                             \
        if (!pre) { /* fall back to one inversion per point */                                        \
            for (size_t i = 0; i < n; i++) P##_to_affine_var(&r[i], &a[i]);                           \
            return;                                                                                   \
        }                                                                                             \
        F acc;                                                                                        \
        F##_one(&acc);                                                                                \
        for (size_t i = 0; i < n; i++) {                                                              \
            pre[i] = acc;                                                                             \
            if (!F##_is_zero(&a[i].z)) F##_mul(&acc, &acc, &a[i].z);                                  \
        }                                                                                             \
        F##_inv_var(&acc, &acc);                                                                      \
        for (size_t i = n; i-- > 0;) {                                                                \
            if (F##_is_zero(&a[i].z)) {                                                               \
                F##_zero(&r[i].x);                                                                    \
                F##_zero(&r[i].y);                                                                    \
                continue;                                                                             \
            }                                                                                         \
            F zi;                                                                                     \
            F##_mul(&zi, &acc, &pre[i]);                                                              \
            F##_mul(&acc, &acc, &a[i].z);                                                             \
            P##_scale_to_affine(&r[i], &a[i], &zi);                                                   \
        }                                                                                             \
        free(pre);                                                                                    \
    }

/* dbl-2009-l; complete for these curves (no points of order 2; Z = 0 stays 0). */
#define NS_POINT_DBL_IMPL(P, F)                                                                       \
    /* r = 2a, E = 3x^2 and B = y^2 of a (Jacobian x, y); every read of a                             \
     * comes before the first write of r, so r may alias a. */                                        \
    static inline void P##_dbl_core(P *r, F *E, F *B, const P *a) {                                   \
        F A, C, D, Fv, t;                                                                             \
        F##_sqr(&A, &a->x);                                                                           \
        F##_sqr(B, &a->y);                                                                            \
        F##_sqr(&C, B);                                                                               \
        F##_add(&D, &a->x, B);                                                                        \
        F##_sqr(&D, &D);                                                                              \
        F##_sub(&D, &D, &A);                                                                          \
        F##_sub(&D, &D, &C);                                                                          \
        F##_dbl(&D, &D);                                                                              \
        F##_dbl(E, &A);                                                                               \
        F##_add(E, E, &A);                                                                            \
        F##_sqr(&Fv, E);                                                                              \
        F##_mul(&t, &a->y, &a->z);                                                                    \
        F##_dbl(&r->z, &t);                                                                           \
        F##_dbl(&t, &D);                                                                              \
        F##_sub(&r->x, &Fv, &t);                                                                      \
        F##_sub(&t, &D, &r->x);                                                                       \
        F##_mul(&t, E, &t);                                                                           \
        F##_dbl(&C, &C);                                                                              \
        F##_dbl(&C, &C);                                                                              \
        F##_dbl(&C, &C);                                                                              \
        F##_sub(&r->y, &t, &C);                                                                       \
    }                                                                                                 \
                                                                                                      \
    void P##_dbl(P *r, const P *a) {                                                                  \
        F E, B;                                                                                       \
        P##_dbl_core(r, &E, &B, a);                                                                   \
    }

/* Jacobian + Jacobian addition, variable time (add-2007-bl). */
#define NS_POINT_ADD_VAR_IMPL(P, F)                                                                   \
    /* The shared end of both formulas: X3 = rr^2 - J - 2V, Y3 = rr (V - X3) - 2 s J                  \
     * (s = S1 resp. Y1); sets r->x, r->y. */                                                         \
    static void P##_add_tail(P *r, const F *rr, const F *j,                                           \
                                 const F *v, const F *s) {                                            \
        F t, sj;                                                                                      \
        F##_sqr(&t, rr);                                                                              \
        F##_sub(&t, &t, j);                                                                           \
        F##_sub(&t, &t, v);                                                                           \
        F##_sub(&r->x, &t, v);                                                                        \
        F##_sub(&t, v, &r->x);                                                                        \
        F##_mul(&t, &t, rr);                                                                          \
        F##_mul(&sj, s, j);                                                                           \
        F##_dbl(&sj, &sj);                                                                            \
        F##_sub(&r->y, &t, &sj);                                                                      \
    }                                                                                                 \
                                                                                                      \
    /* add-2007-bl; sets *h_zero / *r_zero for the special cases (a == +-b, infinity). */             \
    static void P##_add_core(P *r, const P *a, const P *b,                                            \
                                 int *h_zero, int *r_zero) {                                          \
        F z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;                                              \
        F##_sqr(&z1z1, &a->z);                                                                        \
        F##_sqr(&z2z2, &b->z);                                                                        \
        F##_mul(&u1, &a->x, &z2z2);                                                                   \
        F##_mul(&u2, &b->x, &z1z1);                                                                   \
        F##_mul(&s1, &a->y, &b->z);                                                                   \
        F##_mul(&s1, &s1, &z2z2);                                                                     \
        F##_mul(&s2, &b->y, &a->z);                                                                   \
        F##_mul(&s2, &s2, &z1z1);                                                                     \
        F##_sub(&h, &u2, &u1);                                                                        \
        F##_sub(&rr, &s2, &s1);                                                                       \
        *h_zero = F##_is_zero(&h);                                                                    \
        *r_zero = F##_is_zero(&rr);                                                                   \
        F##_dbl(&rr, &rr);                                                                            \
        F##_dbl(&i, &h);                                                                              \
        F##_sqr(&i, &i);                                                                              \
        F##_mul(&j, &h, &i);                                                                          \
        F##_mul(&v, &u1, &i);                                                                         \
        F##_add(&t, &a->z, &b->z);                                                                    \
        F##_sqr(&t, &t);                                                                              \
        F##_sub(&t, &t, &z1z1);                                                                       \
        F##_sub(&t, &t, &z2z2);                                                                       \
        F##_mul(&r->z, &t, &h);                                                                       \
        P##_add_tail(r, &rr, &j, &v, &s1);                                                            \
    }                                                                                                 \
                                                                                                      \
    /* Variable time: *r = the core's sum, or 2a / infinity when h = 0. */                            \
    static void P##_add_select_var(P *r, const P *sum,                                                \
                                       const P *a, int hz, int rz) {                                  \
        if (hz) {                                                                                     \
            if (rz)                                                                                   \
                P##_dbl(r, a);                                                                        \
            else                                                                                      \
                P##_set_infinity(r);                                                                  \
            return;                                                                                   \
        }                                                                                             \
        *r = *sum;                                                                                    \
    }                                                                                                 \
                                                                                                      \
    void P##_add_var(P *r, const P *a, const P *b) {                                                  \
        if (P##_is_infinity(a)) {                                                                     \
            *r = *b;                                                                                  \
            return;                                                                                   \
        }                                                                                             \
        if (P##_is_infinity(b)) {                                                                     \
            *r = *a;                                                                                  \
            return;                                                                                   \
        }                                                                                             \
        int hz, rz;                                                                                   \
        P sum;                                                                                        \
        P##_add_core(&sum, a, b, &hz, &rz);                                                           \
        P##_add_select_var(r, &sum, a, hz, rz);                                                       \
    }

/* Complete (constant-time) additions, Jacobian + Jacobian and Jacobian +
 * affine (madd-2007-bl), and the variable-time mixed addition. */
#define NS_POINT_ADD_CT_IMPL(P, F)                                                                    \
    /* madd-2007-bl (b affine, not infinity); flags as add_core. */                                   \
    static void P##_madd_core(P *r, const P *a,                                                       \
                                  const P##_affine *b, int *h_zero, int *r_zero) {                    \
        F z1z1, u2, s2, h, hh, i, j, rr, v, t;                                                        \
        F##_sqr(&z1z1, &a->z);                                                                        \
        F##_mul(&u2, &b->x, &z1z1);                                                                   \
        F##_mul(&s2, &b->y, &a->z);                                                                   \
        F##_mul(&s2, &s2, &z1z1);                                                                     \
        F##_sub(&h, &u2, &a->x);                                                                      \
        F##_sub(&rr, &s2, &a->y);                                                                     \
        *h_zero = F##_is_zero(&h);                                                                    \
        *r_zero = F##_is_zero(&rr);                                                                   \
        F##_dbl(&rr, &rr);                                                                            \
        F##_sqr(&hh, &h);                                                                             \
        F##_dbl(&i, &hh);                                                                             \
        F##_dbl(&i, &i);                                                                              \
        F##_mul(&j, &h, &i);                                                                          \
        F##_mul(&v, &a->x, &i);                                                                       \
        F##_add(&t, &a->z, &h);                                                                       \
        F##_sqr(&t, &t);                                                                              \
        F##_sub(&t, &t, &z1z1);                                                                       \
        F##_sub(&r->z, &t, &hh);                                                                      \
        P##_add_tail(r, &rr, &j, &v, &a->y);                                                          \
    }                                                                                                 \
                                                                                                      \
    /* Complete: *r = the core's sum, or 2a when a == b, b when a is infinity,                        \
     * a when b is infinity; every case is computed and selected by masks. */                         \
    static void P##_add_select(P *r, P *sum, const P *a,                                              \
                                   const P *b, int hz, int rz, int ainf, int binf) {                  \
        P d;                                                                                          \
        P##_dbl(&d, a);                                                                               \
        P##_cmov(sum, &d, hz & rz);                                                                   \
        P##_cmov(sum, b, ainf);                                                                       \
        P##_cmov(sum, a, binf);                                                                       \
        *r = *sum;                                                                                    \
    }                                                                                                 \
                                                                                                      \
    void P##_add(P *r, const P *a, const P *b) {                                                      \
        P sum;                                                                                        \
        int hz, rz;                                                                                   \
        int ainf = P##_is_infinity(a), binf = P##_is_infinity(b);                                     \
        P##_add_core(&sum, a, b, &hz, &rz);                                                           \
        P##_add_select(r, &sum, a, b, hz, rz, ainf, binf);                                            \
    }                                                                                                 \
                                                                                                      \
    void P##_add_affine(P *r, const P *a,                                                             \
                                    const P##_affine *b) {                                            \
        P sum, bj;                                                                                    \
        int hz, rz;                                                                                   \
        int ainf = P##_is_infinity(a), binf = P##_affine_is_infinity(b);                              \
        P##_madd_core(&sum, a, b, &hz, &rz);                                                          \
        P##_from_affine(&bj, b);                                                                      \
        P##_add_select(r, &sum, a, &bj, hz, rz, ainf, binf);                                          \
    }                                                                                                 \
                                                                                                      \
    void P##_add_affine_var(P *r, const P *a,                                                         \
                                        const P##_affine *b) {                                        \
        if (P##_affine_is_infinity(b)) {                                                              \
            *r = *a;                                                                                  \
            return;                                                                                   \
        }                                                                                             \
        if (P##_is_infinity(a)) {                                                                     \
            r->x = b->x;                                                                              \
            r->y = b->y;                                                                              \
            F##_one(&r->z);                                                                           \
            return;                                                                                   \
        }                                                                                             \
        int hz, rz;                                                                                   \
        P sum;                                                                                        \
        P##_madd_core(&sum, a, b, &hz, &rz);                                                          \
        P##_add_select_var(r, &sum, a, hz, rz);                                                       \
    }

/* Negation and equality (variable time). */
#define NS_POINT_NEG_EQ_IMPL(P, F)                                                                    \
    void P##_neg(P *r, const P *a) {                                                                  \
        r->x = a->x;                                                                                  \
        F##_neg(&r->y, &a->y);                                                                        \
        r->z = a->z;                                                                                  \
    }                                                                                                 \
                                                                                                      \
    int P##_eq_var(const P *a, const P *b) {                                                          \
        int ai = P##_is_infinity(a), bi = P##_is_infinity(b);                                         \
        if (ai || bi) return ai && bi;                                                                \
        F z1z1, z2z2, t1, t2;                                                                         \
        F##_sqr(&z1z1, &a->z);                                                                        \
        F##_sqr(&z2z2, &b->z);                                                                        \
        F##_mul(&t1, &a->x, &z2z2);                                                                   \
        F##_mul(&t2, &b->x, &z1z1);                                                                   \
        if (!F##_eq(&t1, &t2)) return 0;                                                              \
        F##_mul(&t1, &a->y, &z2z2);                                                                   \
        F##_mul(&t1, &t1, &b->z);                                                                     \
        F##_mul(&t2, &b->y, &z1z1);                                                                   \
        F##_mul(&t2, &t2, &a->z);                                                                     \
        return F##_eq(&t1, &t2);                                                                      \
    }

/* Affine negation and the curve equation y^2 = x^3 + b (constant time;
 * infinity (0, 0) counts as on the curve), with curve_b(F *b) a function of
 * the instantiating file. */
#define NS_POINT_AFFINE_IMPL(P, F, curve_b)                                                           \
    void P##_affine_neg(P##_affine *r, const P##_affine *a) {                                         \
        r->x = a->x;                                                                                  \
        F##_neg(&r->y, &a->y); /* -0 = 0 keeps infinity as (0, 0) */                                  \
    }                                                                                                 \
                                                                                                      \
    int P##_affine_on_curve(const P##_affine *a) {                                                    \
        int inf = P##_affine_is_infinity(a);                                                          \
        F l, rhs, b;                                                                                  \
        F##_sqr(&l, &a->y);                                                                           \
        F##_sqr(&rhs, &a->x);                                                                         \
        F##_mul(&rhs, &rhs, &a->x);                                                                   \
        curve_b(&b);                                                                                  \
        F##_add(&rhs, &rhs, &b);                                                                      \
        return F##_eq(&l, &rhs) | inf;                                                                \
    }

/* Variable-time scalar multiplication by a public 256-bit integer:
 * width-5 NAF with the odd multiples a, 3a, ..., 15a. */
#define NS_POINT_MUL_VAR_IMPL(P, F)                                                                   \
    void P##_mul_var(P *r, const P *a, const uint64_t k[4]) {                                         \
        int8_t naf[BN254_WNAF_MAX];                                                                   \
        int len = bn254_wnaf(naf, k, 5);                                                              \
        P tab[8], d, acc;                                                                             \
        /* tab[i] = (2i+1) a */                                                                       \
        tab[0] = *a;                                                                                  \
        P##_dbl(&d, a);                                                                               \
        for (int i = 1; i < 8; i++) P##_add_var(&tab[i], &tab[i - 1], &d);                            \
        P##_set_infinity(&acc);                                                                       \
        for (int i = len - 1; i >= 0; i--) {                                                          \
            P##_dbl(&acc, &acc);                                                                      \
            int v = naf[i];                                                                           \
            if (v > 0) {                                                                              \
                P##_add_var(&acc, &acc, &tab[v >> 1]);                                                \
            } else if (v < 0) {                                                                       \
                P t;                                                                                  \
                P##_neg(&t, &tab[(-v) >> 1]);                                                         \
                P##_add_var(&acc, &acc, &t);                                                          \
            }                                                                                         \
        }                                                                                             \
        *r = acc;                                                                                     \
    }

/* Variable-time scalar multiplication by a public scalar of nlimbs 64-bit
 * limbs (little-endian), plain double and add from the top bit: for short
 * sparse scalars (BLS12-381's |z| has 6 bits set) no table pays off. */
#define NS_POINT_MUL_BITS_VAR_IMPL(P)                                                                 \
    void P##_mul_var(P *r, const P *a, const uint64_t *k, size_t nlimbs) {                            \
        P acc, base = *a;                                                                             \
        P##_set_infinity(&acc);                                                                       \
        for (size_t i = nlimbs * 64; i-- > 0;) {                                                      \
            P##_dbl(&acc, &acc);                                                                      \
            if ((k[i / 64] >> (i % 64)) & 1) P##_add_var(&acc, &acc, &base);                          \
        }                                                                                             \
        *r = acc;                                                                                     \
    }

/* Everything but MUL_BITS for one BN254 group. */
#define NS_POINT_IMPL(P, F, curve_b)                                                                  \
    NS_POINT_INFINITY_IMPL(P, F)                                                                      \
    NS_POINT_BASIC_IMPL(P, F)                                                                         \
    NS_POINT_TO_AFFINE_IMPL(P, F)                                                                     \
    NS_POINT_DBL_IMPL(P, F)                                                                           \
    NS_POINT_ADD_VAR_IMPL(P, F)                                                                       \
    NS_POINT_ADD_CT_IMPL(P, F)                                                                        \
    NS_POINT_NEG_EQ_IMPL(P, F)                                                                        \
    NS_POINT_AFFINE_IMPL(P, F, curve_b)                                                               \
    NS_POINT_MUL_VAR_IMPL(P, F)

#endif
