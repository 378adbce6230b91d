/* BN254 G1: y^2 = x^3 + 3 over Fq, Jacobian coordinates.
 * Formulas (a = 0): dbl-2009-l, add-2007-bl, madd-2007-bl from the
 * Explicit-Formulas Database.  The complete (constant-time) additions
 * compute both the generic sum and the doubling and select the right
 * result with masks; the _var versions branch. */
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "curve/bn254_wnaf.h"

#define FE bn254_fq
#define F(name) bn254_fq_##name

static void curve_b(FE *b) { F(from_u64)(b, 3); }

/* r = mask ? a : r, mask = 0 or 1 */
static void fe_cmov(FE *r, const FE *a, int flag) {
    uint64_t m = (uint64_t)0 - (uint64_t)(flag & 1);
    for (int i = 0; i < 4; i++) r->l[i] ^= (r->l[i] ^ a->l[i]) & m;
}

static void pt_cmov(bn254_g1 *r, const bn254_g1 *a, int flag) {
    fe_cmov(&r->x, &a->x, flag);
    fe_cmov(&r->y, &a->y, flag);
    fe_cmov(&r->z, &a->z, flag);
}

void bn254_g1_generator(bn254_g1 *r) {
    F(one)(&r->x);
    F(from_u64)(&r->y, 2);
    F(one)(&r->z);
}

void bn254_g1_affine_generator(bn254_g1_affine *r) {
    F(one)(&r->x);
    F(from_u64)(&r->y, 2);
}

void bn254_g1_set_infinity(bn254_g1 *r) {
    F(one)(&r->x);
    F(one)(&r->y);
    F(zero)(&r->z);
}

int bn254_g1_is_infinity(const bn254_g1 *a) { return F(is_zero)(&a->z); }

int bn254_g1_affine_is_infinity(const bn254_g1_affine *a) { return F(is_zero)(&a->x) & F(is_zero)(&a->y); }

void bn254_g1_from_affine(bn254_g1 *r, const bn254_g1_affine *a) {
    int inf = bn254_g1_affine_is_infinity(a);
    bn254_g1 o;
    bn254_g1_set_infinity(&o);
    r->x = a->x;
    r->y = a->y;
    F(one)(&r->z);
    pt_cmov(r, &o, inf);
}

static void to_affine_with(bn254_g1_affine *r, const bn254_g1 *a, void (*inv)(FE *, const FE *)) {
    FE zi, zi2, zi3;
    inv(&zi, &a->z); /* 0 -> 0 gives (0, 0) for infinity */
    F(sqr)(&zi2, &zi);
    F(mul)(&zi3, &zi2, &zi);
    F(mul)(&r->x, &a->x, &zi2);
    F(mul)(&r->y, &a->y, &zi3);
}

void bn254_g1_to_affine(bn254_g1_affine *r, const bn254_g1 *a) { to_affine_with(r, a, F(inv)); }
void bn254_g1_to_affine_var(bn254_g1_affine *r, const bn254_g1 *a) { to_affine_with(r, a, F(inv_var)); }

void bn254_g1_batch_to_affine_var(bn254_g1_affine *r, const bn254_g1 *a, size_t n) {
    if (n == 0) return;
    /* prefix products of the non-zero Z in r[i].x as scratch (r may not alias a) */
    FE *pre = malloc(n * sizeof *pre);
    if (!pre) { /* fall back to one inversion per point */
        for (size_t i = 0; i < n; i++) bn254_g1_to_affine_var(&r[i], &a[i]);
        return;
    }
    FE acc;
    F(one)(&acc);
    for (size_t i = 0; i < n; i++) {
        pre[i] = acc;
        if (!F(is_zero)(&a[i].z)) F(mul)(&acc, &acc, &a[i].z);
    }
    F(inv_var)(&acc, &acc);
    for (size_t i = n; i-- > 0;) {
        if (F(is_zero)(&a[i].z)) {
            F(zero)(&r[i].x);
            F(zero)(&r[i].y);
            continue;
        }
        FE zi, zi2, zi3;
        F(mul)(&zi, &acc, &pre[i]);
        F(mul)(&acc, &acc, &a[i].z);
        F(sqr)(&zi2, &zi);
        F(mul)(&zi3, &zi2, &zi);
        F(mul)(&r[i].x, &a[i].x, &zi2);
        F(mul)(&r[i].y, &a[i].y, &zi3);
    }
    free(pre);
}

/* dbl-2009-l; complete for this curve (no points of order 2; Z = 0 stays 0). */
void bn254_g1_dbl(bn254_g1 *r, const bn254_g1 *a) {
    FE A, B, C, D, E, Fv, t;
    F(sqr)(&A, &a->x);
    F(sqr)(&B, &a->y);
    F(sqr)(&C, &B);
    F(add)(&D, &a->x, &B);
    F(sqr)(&D, &D);
    F(sub)(&D, &D, &A);
    F(sub)(&D, &D, &C);
    F(dbl)(&D, &D);
    F(dbl)(&E, &A);
    F(add)(&E, &E, &A);
    F(sqr)(&Fv, &E);
    F(mul)(&t, &a->y, &a->z);
    F(dbl)(&r->z, &t);
    F(dbl)(&t, &D);
    F(sub)(&r->x, &Fv, &t);
    F(sub)(&t, &D, &r->x);
    F(mul)(&t, &E, &t);
    F(dbl)(&C, &C);
    F(dbl)(&C, &C);
    F(dbl)(&C, &C);
    F(sub)(&r->y, &t, &C);
}

/* add-2007-bl core; sets *h_zero / *r_zero for the special cases. */
static void add_core(bn254_g1 *r, const bn254_g1 *a, const bn254_g1 *b, int *h_zero, int *r_zero) {
    FE z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    F(sqr)(&z1z1, &a->z);
    F(sqr)(&z2z2, &b->z);
    F(mul)(&u1, &a->x, &z2z2);
    F(mul)(&u2, &b->x, &z1z1);
    F(mul)(&s1, &a->y, &b->z);
    F(mul)(&s1, &s1, &z2z2);
    F(mul)(&s2, &b->y, &a->z);
    F(mul)(&s2, &s2, &z1z1);
    F(sub)(&h, &u2, &u1);
    F(sub)(&rr, &s2, &s1);
    *h_zero = F(is_zero)(&h);
    *r_zero = F(is_zero)(&rr);
    F(dbl)(&rr, &rr);
    F(dbl)(&i, &h);
    F(sqr)(&i, &i);
    F(mul)(&j, &h, &i);
    F(mul)(&v, &u1, &i);
    F(add)(&t, &a->z, &b->z);
    F(sqr)(&t, &t);
    F(sub)(&t, &t, &z1z1);
    F(sub)(&t, &t, &z2z2);
    F(mul)(&r->z, &t, &h);
    F(sqr)(&t, &rr);
    F(sub)(&t, &t, &j);
    F(sub)(&t, &t, &v);
    F(sub)(&r->x, &t, &v);
    F(sub)(&t, &v, &r->x);
    F(mul)(&t, &t, &rr);
    F(mul)(&s1, &s1, &j);
    F(dbl)(&s1, &s1);
    F(sub)(&r->y, &t, &s1);
}

void bn254_g1_add(bn254_g1 *r, const bn254_g1 *a, const bn254_g1 *b) {
    bn254_g1 sum, d;
    int hz, rz;
    int ainf = bn254_g1_is_infinity(a), binf = bn254_g1_is_infinity(b);
    add_core(&sum, a, b, &hz, &rz);
    bn254_g1_dbl(&d, a);
    pt_cmov(&sum, &d, hz & rz);
    pt_cmov(&sum, b, ainf);
    pt_cmov(&sum, a, binf);
    *r = sum;
}

void bn254_g1_add_var(bn254_g1 *r, const bn254_g1 *a, const bn254_g1 *b) {
    if (bn254_g1_is_infinity(a)) {
        *r = *b;
        return;
    }
    if (bn254_g1_is_infinity(b)) {
        *r = *a;
        return;
    }
    int hz, rz;
    bn254_g1 sum;
    add_core(&sum, a, b, &hz, &rz);
    if (hz) {
        if (rz)
            bn254_g1_dbl(r, a);
        else
            bn254_g1_set_infinity(r);
        return;
    }
    *r = sum;
}

/* madd-2007-bl core (b affine, not infinity) */
static void madd_core(bn254_g1 *r, const bn254_g1 *a, const bn254_g1_affine *b, int *h_zero, int *r_zero) {
    FE z1z1, u2, s2, h, hh, i, j, rr, v, t;
    F(sqr)(&z1z1, &a->z);
    F(mul)(&u2, &b->x, &z1z1);
    F(mul)(&s2, &b->y, &a->z);
    F(mul)(&s2, &s2, &z1z1);
    F(sub)(&h, &u2, &a->x);
    F(sub)(&rr, &s2, &a->y);
    *h_zero = F(is_zero)(&h);
    *r_zero = F(is_zero)(&rr);
    F(dbl)(&rr, &rr);
    F(sqr)(&hh, &h);
    F(dbl)(&i, &hh);
    F(dbl)(&i, &i);
    F(mul)(&j, &h, &i);
    F(mul)(&v, &a->x, &i);
    F(add)(&t, &a->z, &h);
    F(sqr)(&t, &t);
    F(sub)(&t, &t, &z1z1);
    F(sub)(&r->z, &t, &hh);
    F(sqr)(&t, &rr);
    F(sub)(&t, &t, &j);
    F(sub)(&t, &t, &v);
    F(sub)(&r->x, &t, &v);
    F(sub)(&t, &v, &r->x);
    F(mul)(&t, &t, &rr);
    F(mul)(&j, &a->y, &j);
    F(dbl)(&j, &j);
    F(sub)(&r->y, &t, &j);
}

void bn254_g1_add_affine(bn254_g1 *r, const bn254_g1 *a, const bn254_g1_affine *b) {
    bn254_g1 sum, d, bj;
    int hz, rz;
    int ainf = bn254_g1_is_infinity(a), binf = bn254_g1_affine_is_infinity(b);
    madd_core(&sum, a, b, &hz, &rz);
    bn254_g1_dbl(&d, a);
    bn254_g1_from_affine(&bj, b);
    pt_cmov(&sum, &d, hz & rz);
    pt_cmov(&sum, &bj, ainf);
    pt_cmov(&sum, a, binf);
    *r = sum;
}

void bn254_g1_add_affine_var(bn254_g1 *r, const bn254_g1 *a, const bn254_g1_affine *b) {
    if (bn254_g1_affine_is_infinity(b)) {
        *r = *a;
        return;
    }
    if (bn254_g1_is_infinity(a)) {
        r->x = b->x;
        r->y = b->y;
        F(one)(&r->z);
        return;
    }
    int hz, rz;
    bn254_g1 sum;
    madd_core(&sum, a, b, &hz, &rz);
    if (hz) {
        if (rz)
            bn254_g1_dbl(r, a);
        else
            bn254_g1_set_infinity(r);
        return;
    }
    *r = sum;
}

void bn254_g1_neg(bn254_g1 *r, const bn254_g1 *a) {
    r->x = a->x;
    F(neg)(&r->y, &a->y);
    r->z = a->z;
}

void bn254_g1_affine_neg(bn254_g1_affine *r, const bn254_g1_affine *a) {
    r->x = a->x;
    F(neg)(&r->y, &a->y); /* -0 = 0 keeps infinity as (0, 0) */
}

int bn254_g1_eq_var(const bn254_g1 *a, const bn254_g1 *b) {
    int ai = bn254_g1_is_infinity(a), bi = bn254_g1_is_infinity(b);
    if (ai || bi) return ai && bi;
    FE z1z1, z2z2, t1, t2;
    F(sqr)(&z1z1, &a->z);
    F(sqr)(&z2z2, &b->z);
    F(mul)(&t1, &a->x, &z2z2);
    F(mul)(&t2, &b->x, &z1z1);
    if (!F(eq)(&t1, &t2)) return 0;
    F(mul)(&t1, &a->y, &z2z2);
    F(mul)(&t1, &t1, &b->z);
    F(mul)(&t2, &b->y, &z1z1);
    F(mul)(&t2, &t2, &a->z);
    return F(eq)(&t1, &t2);
}

int bn254_g1_affine_on_curve(const bn254_g1_affine *a) {
    if (bn254_g1_affine_is_infinity(a)) return 1;
    FE l, rhs, b;
    F(sqr)(&l, &a->y);
    F(sqr)(&rhs, &a->x);
    F(mul)(&rhs, &rhs, &a->x);
    curve_b(&b);
    F(add)(&rhs, &rhs, &b);
    return F(eq)(&l, &rhs);
}

int bn254_g1_check(const bn254_g1_affine *a) { return bn254_g1_affine_on_curve(a); }

void bn254_g1_mul_var(bn254_g1 *r, const bn254_g1 *a, const uint64_t k[4]) {
    int8_t naf[BN254_WNAF_MAX];
    int len = bn254_wnaf(naf, k, 5);
    bn254_g1 tab[8], d, acc;
    /* tab[i] = (2i+1) a */
    tab[0] = *a;
    bn254_g1_dbl(&d, a);
    for (int i = 1; i < 8; i++) bn254_g1_add_var(&tab[i], &tab[i - 1], &d);
    bn254_g1_set_infinity(&acc);
    for (int i = len - 1; i >= 0; i--) {
        bn254_g1_dbl(&acc, &acc);
        int v = naf[i];
        if (v > 0) {
            bn254_g1_add_var(&acc, &acc, &tab[v >> 1]);
        } else if (v < 0) {
            bn254_g1 t;
            bn254_g1_neg(&t, &tab[(-v) >> 1]);
            bn254_g1_add_var(&acc, &acc, &t);
        }
    }
    *r = acc;
}
