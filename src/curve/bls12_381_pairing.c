/* Optimal-ate pairing on BLS12-381.
 *
 * Miller loop: T runs over the bits of |z| in Jacobian coordinates on the
 * twist E'(Fp2).  With the untwist (x', y') -> (x'/w^2, y'/w^3) the line
 * through T (tangent or chord with slope lambda') evaluated at P = (xp, yp),
 * multiplied by w^3, is
 *     (lambda' x_T - y_T) + (-lambda' xp) w^2 + yp w^3,
 * i.e. coefficients at w^0, w^2 = v and w^3 = v w ("014" sparse form).
 * Every line is scaled by a factor in Fp2, which the final exponentiation
 * removes.
 *
 * Final exponentiation: easy part f^((p^6-1)(p^2+1)), then the hard part
 * with 3 (p^4 - p^2 + 1)/r = (z-1)^2 (z+p) (z^2+p^2-1) + 3
 * (Hayashida-Hayasaka-Teruya), which yields the cube of the textbook value
 * (the convention of zkcrypto, blst and noble). */
#include <stdlib.h>
#include <string.h>

#include "curve/bls12_381_group.h"

/* Doubling step: T <- 2T; returns the line coefficients before scaling by P:
 * l0 = 3X^3 - 2Y^2, lx = -3X^2 Z^2 (times xp), ly = Z3 Z^2 (times yp),
 * the tangent line multiplied by 2 Y Z^3. */
static void dbl_step(bls_g2 *t, bls_fp2 *l0, bls_fp2 *lx, bls_fp2 *ly) {
    bls_fp2 E, B, zz, u;
    const bls_fp2 x = t->x;
    bls_fp2_sqr(&zz, &t->z);
    bls_g2_dbl_parts(t, &E, &B, t);
    bls_fp2_mul(l0, &E, &x);
    bls_fp2_dbl(&u, &B);
    bls_fp2_sub(l0, l0, &u);
    bls_fp2_mul(lx, &E, &zz);
    bls_fp2_neg(lx, lx);
    bls_fp2_mul(ly, &t->z, &zz);
}

/* Addition step: T <- T + Q (Q affine, T != +-Q); the chord multiplied by
 * Z H:  l0 = R xq - Z H yq, lx = -R, ly = Z H. */
static void add_step(bls_g2 *t, const bls_g2_affine *q, bls_fp2 *l0, bls_fp2 *lx, bls_fp2 *ly) {
    bls_fp2 zz, u2, s2, H, R, HH, HHH, V, u;
    bls_fp2_sqr(&zz, &t->z);
    bls_fp2_mul(&u2, &q->x, &zz);
    bls_fp2_mul(&s2, &q->y, &zz);
    bls_fp2_mul(&s2, &s2, &t->z);
    bls_fp2_sub(&H, &u2, &t->x);
    bls_fp2_sub(&R, &s2, &t->y);
    bls_fp2_sqr(&HH, &H);
    bls_fp2_mul(&HHH, &HH, &H);
    bls_fp2_mul(&V, &t->x, &HH);
    bls_fp2_mul(&t->z, &t->z, &H);
    /* line */
    bls_fp2_mul(l0, &R, &q->x);
    bls_fp2_mul(&u, &t->z, &q->y);
    bls_fp2_sub(l0, l0, &u);
    bls_fp2_neg(lx, &R);
    *ly = t->z;
    /* point */
    bls_fp2_sqr(&u, &R);
    bls_fp2_sub(&u, &u, &HHH);
    bls_fp2_sub(&u, &u, &V);
    bls_fp2_sub(&t->x, &u, &V);
    bls_fp2_sub(&u, &V, &t->x);
    bls_fp2_mul(&u, &u, &R);
    bls_fp2_mul(&HHH, &HHH, &t->y);
    bls_fp2_sub(&t->y, &u, &HHH);
}

static void apply_line(bls_fp12 *f, const bls_fp2 *l0, const bls_fp2 *lx, const bls_fp2 *ly,
                       const bls_g1_affine *p) {
    bls_fp2 a, b;
    bls_fp2_mul_fp(&a, lx, &p->x);
    bls_fp2_mul_fp(&b, ly, &p->y);
    bls_fp12_mul_by_014(f, f, l0, &a, &b);
}

#define ML_BATCH 8

static void miller_batch(bls_fp12 *f, const bls_g1_affine *p, const bls_g2_affine *q, size_t n) {
    bls_g2 t[ML_BATCH];
    bls_fp2 l0, lx, ly;
    for (size_t i = 0; i < n; i++) bls_g2_from_affine(&t[i], &q[i]);
    bls_fp12_one(f);
    for (int bit = 62; bit >= 0; bit--) {
        if (bit != 62) bls_fp12_sqr(f, f);
        for (size_t i = 0; i < n; i++) {
            dbl_step(&t[i], &l0, &lx, &ly);
            apply_line(f, &l0, &lx, &ly, &p[i]);
        }
        if ((BLS_Z_ABS >> bit) & 1) {
            for (size_t i = 0; i < n; i++) {
                add_step(&t[i], &q[i], &l0, &lx, &ly);
                apply_line(f, &l0, &lx, &ly, &p[i]);
            }
        }
    }
    bls_fp12_conj(f, f); /* z < 0 */
}

void bls_g2_prepare_var(bls_g2_prepared *r, const bls_g2_affine *q) {
    bls_g2 t;
    int k = 0;
    memset(r, 0, sizeof *r);
    r->inf = q->inf;
    if (q->inf) return;
    bls_g2_from_affine(&t, q);
    for (int bit = 62; bit >= 0; bit--) {
        bls_ml_line *l = &r->lines[k++];
        dbl_step(&t, &l->l0, &l->lx, &l->ly);
        if ((BLS_Z_ABS >> bit) & 1) {
            l = &r->lines[k++];
            add_step(&t, q, &l->l0, &l->lx, &l->ly);
        }
    }
}

static void miller_prepared_batch(bls_fp12 *f, const bls_g1_affine *p, const bls_g2_prepared *const *q, size_t n) {
    int k = 0;
    bls_fp12_one(f);
    for (int bit = 62; bit >= 0; bit--) {
        if (bit != 62) bls_fp12_sqr(f, f);
        for (size_t i = 0; i < n; i++) {
            const bls_ml_line *l = &q[i]->lines[k];
            apply_line(f, &l->l0, &l->lx, &l->ly, &p[i]);
        }
        k++;
        if ((BLS_Z_ABS >> bit) & 1) {
            for (size_t i = 0; i < n; i++) {
                const bls_ml_line *l = &q[i]->lines[k];
                apply_line(f, &l->l0, &l->lx, &l->ly, &p[i]);
            }
            k++;
        }
    }
    bls_fp12_conj(f, f); /* z < 0 */
}

void bls_miller_loop_prepared_var(bls_fp12 *f, const bls_g1_affine *p, const bls_g2_prepared *const *q, size_t n) {
    bls_g1_affine pp[ML_BATCH];
    const bls_g2_prepared *qq[ML_BATCH];
    bls_fp12 acc, part;
    size_t k = 0;
    bls_fp12_one(&acc);
    for (size_t i = 0; i < n; i++) {
        if (p[i].inf || q[i]->inf) continue;
        pp[k] = p[i];
        qq[k] = q[i];
        k++;
        if (k == ML_BATCH) {
            miller_prepared_batch(&part, pp, qq, k);
            bls_fp12_mul(&acc, &acc, &part);
            k = 0;
        }
    }
    if (k) {
        miller_prepared_batch(&part, pp, qq, k);
        bls_fp12_mul(&acc, &acc, &part);
    }
    *f = acc;
}

void bls_miller_loop_var(bls_fp12 *f, const bls_g1_affine *p, const bls_g2_affine *q, size_t n) {
    bls_g1_affine pp[ML_BATCH];
    bls_g2_affine qq[ML_BATCH];
    bls_fp12 acc, part;
    size_t k = 0;
    bls_fp12_one(&acc);
    for (size_t i = 0; i < n; i++) {
        if (p[i].inf || q[i].inf) continue;
        pp[k] = p[i];
        qq[k] = q[i];
        k++;
        if (k == ML_BATCH) {
            miller_batch(&part, pp, qq, k);
            bls_fp12_mul(&acc, &acc, &part);
            k = 0;
        }
    }
    if (k) {
        miller_batch(&part, pp, qq, k);
        bls_fp12_mul(&acc, &acc, &part);
    }
    *f = acc;
}

/* a^z (z < 0) for a in the cyclotomic subgroup: conj(a^|z|). */
static void cyclo_exp_z(bls_fp12 *r, const bls_fp12 *a) {
    bls_fp12 acc = *a;
    for (int bit = 62; bit >= 0; bit--) {
        bls_fp12_cyclotomic_sqr(&acc, &acc);
        if ((BLS_Z_ABS >> bit) & 1) bls_fp12_mul(&acc, &acc, a);
    }
    bls_fp12_conj(r, &acc);
}

void bls_final_exp_var(bls_fp12 *r, const bls_fp12 *f) {
    bls_fp12 t, u, a, b, c;
    /* easy part */
    bls_fp12_inv_var(&t, f);
    bls_fp12_conj(&u, f);
    bls_fp12_mul(&t, &u, &t);      /* f^(p^6 - 1) */
    bls_fp12_frobenius(&u, &t, 2);
    bls_fp12_mul(&t, &u, &t);      /* ^(p^2 + 1) */
    /* hard part; t is now in the cyclotomic subgroup (inverse = conj) */
    cyclo_exp_z(&a, &t);
    bls_fp12_conj(&u, &t);
    bls_fp12_mul(&a, &a, &u);      /* a = t^(z-1) */
    cyclo_exp_z(&b, &a);
    bls_fp12_conj(&u, &a);
    bls_fp12_mul(&b, &b, &u);      /* b = t^((z-1)^2) */
    cyclo_exp_z(&c, &b);
    bls_fp12_frobenius(&u, &b, 1);
    bls_fp12_mul(&c, &c, &u);      /* c = b^(z+p) */
    cyclo_exp_z(&a, &c);
    cyclo_exp_z(&a, &a);           /* c^(z^2) */
    bls_fp12_frobenius(&u, &c, 2);
    bls_fp12_mul(&a, &a, &u);
    bls_fp12_conj(&u, &c);
    bls_fp12_mul(&a, &a, &u);      /* c^(z^2 + p^2 - 1) */
    bls_fp12_cyclotomic_sqr(&u, &t);
    bls_fp12_mul(&u, &u, &t);      /* t^3 */
    bls_fp12_mul(r, &a, &u);
}

void bls_pairing_var(bls_fp12 *r, const bls_g1_affine *p, const bls_g2_affine *q) {
    bls_fp12 f;
    bls_miller_loop_var(&f, p, q, 1);
    bls_final_exp_var(r, &f);
}

int bls_pairing_check_var(const bls_g1_affine *p, const bls_g2_affine *q, size_t n) {
    bls_fp12 f, r;
    bls_miller_loop_var(&f, p, q, n);
    bls_final_exp_var(&r, &f);
    return bls_fp12_is_one(&r);
}
