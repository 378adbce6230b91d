/* BN254 optimal-ate pairing (Vercauteren's optimal ate with loop 6x+2 and the
 * two Frobenius lines) and final exponentiation to (q^12 - 1)/r, giving the
 * same Gt element as @noble/curves and ffjavascript.
 *
 * Lines are evaluated on the untwisted points: G2 point (x', y') maps to
 * (x' w^2, y' w^3) in E(Fq12), so a line through twist points with slope
 * lambda' (in Fq2) evaluated at P = (xP, yP) is
 *     yP - lambda' xP w + (lambda' x_T - y_T) w^3,
 * an element with only the coefficients (c0.c0, c1.c0, c1.c1) non-zero.
 * Denominators are cleared by multiplying with Fq2 factors, which the
 * final exponentiation removes.  All of this runs on public data only. */
#include <string.h>

#include "curve/bn254.h"

/* 6x + 2 for x = 4965661367192848881, 65 bits */
static const uint64_t ATE_LOOP[2] = {0x9d797039be763ba8ULL, 0x1ULL};
#define ATE_LOOP_BITS 65


/* Tangent at T (Jacobian) evaluated at P, then T = 2T.
 * Line times 2 Y Z^3:  l0 = 2YZ^3 yP, l1 = -3X^2Z^2 xP, l3 = 3X^3 - 2Y^2. */
static void dbl_step(bn254_fq12 *f, bn254_g2 *t, const bn254_g1_affine *p) {
    bn254_fq2 x2, y2, z2, l0, l1, l3, s;
    bn254_fq2_sqr(&x2, &t->x);
    bn254_fq2_sqr(&y2, &t->y);
    bn254_fq2_sqr(&z2, &t->z);
    /* l0 = 2 Y Z^3 yP */
    bn254_fq2_mul(&l0, &t->y, &t->z);
    bn254_fq2_mul(&l0, &l0, &z2);
    bn254_fq2_dbl(&l0, &l0);
    bn254_fq2_mul_fq(&l0, &l0, &p->y);
    /* l1 = -3 X^2 Z^2 xP */
    bn254_fq2_dbl(&s, &x2);
    bn254_fq2_add(&s, &s, &x2); /* 3X^2 */
    bn254_fq2_mul(&l1, &s, &z2);
    bn254_fq2_mul_fq(&l1, &l1, &p->x);
    bn254_fq2_neg(&l1, &l1);
    /* l3 = 3X^3 - 2Y^2 */
    bn254_fq2_mul(&l3, &s, &t->x);
    bn254_fq2_dbl(&y2, &y2);
    bn254_fq2_sub(&l3, &l3, &y2);
    bn254_fq12_mul_by_line(f, f, &l0, &l1, &l3);
    bn254_g2_dbl(t, t);
}

/* Chord through T (Jacobian) and Q (affine) evaluated at P, then T = T + Q.
 * With H = xQ Z^2 - X, N = yQ Z^3 - Y, line times Z H:
 *   l0 = Z H yP, l1 = -N xP, l3 = N xQ - Z H yQ. */
static void add_step(bn254_fq12 *f, bn254_g2 *t, const bn254_g2_affine *q, const bn254_g1_affine *p) {
    bn254_fq2 z2, h, n, zh, l0, l1, l3, s;
    bn254_fq2_sqr(&z2, &t->z);
    bn254_fq2_mul(&h, &q->x, &z2);
    bn254_fq2_sub(&h, &h, &t->x);
    bn254_fq2_mul(&n, &q->y, &z2);
    bn254_fq2_mul(&n, &n, &t->z);
    bn254_fq2_sub(&n, &n, &t->y);
    bn254_fq2_mul(&zh, &t->z, &h);
    bn254_fq2_mul_fq(&l0, &zh, &p->y);
    bn254_fq2_mul_fq(&l1, &n, &p->x);
    bn254_fq2_neg(&l1, &l1);
    bn254_fq2_mul(&l3, &n, &q->x);
    bn254_fq2_mul(&s, &zh, &q->y);
    bn254_fq2_sub(&l3, &l3, &s);
    bn254_fq12_mul_by_line(f, f, &l0, &l1, &l3);
    bn254_g2_add_affine_var(t, t, q);
}

/* Pairs per shared loop: their Jacobian accumulators live on the stack, and
 * more pairs are taken ML_CHUNK at a time (the product of the chunks' f is
 * the same Fq12 element: squaring and the line products are
 * multiplicative). */
#define ML_CHUNK 8

/* The Miller loop of at most ML_CHUNK pairs with one shared f (infinity
 * pairs skipped). */
static void miller_chunk(bn254_fq12 *f, const bn254_g1_affine *p, const bn254_g2_affine *q, size_t n) {
    bn254_g2 t[ML_CHUNK];
    size_t idx[ML_CHUNK], m = 0;
    bn254_fq12_one(f);
    for (size_t i = 0; i < n; i++) {
        if (bn254_g1_affine_is_infinity(&p[i]) || bn254_g2_affine_is_infinity(&q[i])) continue;
        idx[m] = i;
        bn254_g2_from_affine(&t[m], &q[i]);
        m++;
    }
    for (int bit = ATE_LOOP_BITS - 2; bit >= 0; bit--) {
        bn254_fq12_sqr(f, f);
        for (size_t j = 0; j < m; j++) dbl_step(f, &t[j], &p[idx[j]]);
        if ((ATE_LOOP[bit / 64] >> (bit % 64)) & 1)
            for (size_t j = 0; j < m; j++) add_step(f, &t[j], &q[idx[j]], &p[idx[j]]);
    }
    for (size_t j = 0; j < m; j++) {
        bn254_g2 qj, q1, q2;
        bn254_g2_affine q1a, q2a;
        bn254_g2_from_affine(&qj, &q[idx[j]]);
        bn254_g2_psi(&q1, &qj, 1); /* Z stays 1: affine */
        bn254_g2_psi(&q2, &qj, 2);
        bn254_g2_neg(&q2, &q2);
        q1a.x = q1.x;
        q1a.y = q1.y;
        q2a.x = q2.x;
        q2a.y = q2.y;
        add_step(f, &t[j], &q1a, &p[idx[j]]);
        add_step(f, &t[j], &q2a, &p[idx[j]]);
    }
}

/* Product of the Miller loops of the n pairs (infinity pairs skipped). */
void bn254_miller_loop_var(bn254_fq12 *f, const bn254_g1_affine *p, const bn254_g2_affine *q, size_t n) {
    miller_chunk(f, p, q, n < ML_CHUNK ? n : ML_CHUNK);
    for (size_t i = ML_CHUNK; i < n; i += ML_CHUNK) {
        bn254_fq12 g;
        miller_chunk(&g, p + i, q + i, n - i < ML_CHUNK ? n - i : ML_CHUNK);
        bn254_fq12_mul(f, f, &g);
    }
}

/* Fq4 = Fq2[s]/(s^2 - xi) squaring: (x + y s)^2 = (x^2 + xi y^2) + 2xy s */
static void fq4_sqr(bn254_fq2 *rx, bn254_fq2 *ry, const bn254_fq2 *x, const bn254_fq2 *y) {
    bn254_fq2 x2, y2, t;
    bn254_fq2_sqr(&x2, x);
    bn254_fq2_sqr(&y2, y);
    bn254_fq2_add(&t, x, y);
    bn254_fq2_sqr(&t, &t);
    bn254_fq2_sub(&t, &t, &x2);
    bn254_fq2_sub(ry, &t, &y2);
    bn254_fq2_mul_by_xi(&y2, &y2);
    bn254_fq2_add(rx, &x2, &y2);
}

/* 3 a - 2 b  and  3 a + 2 b helpers on Fq2 */
static void three_minus_two(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
    bn254_fq2 t;
    bn254_fq2_sub(&t, a, b);
    bn254_fq2_dbl(&t, &t);
    bn254_fq2_add(r, &t, a);
}
static void three_plus_two(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
    bn254_fq2 t;
    bn254_fq2_add(&t, a, b);
    bn254_fq2_dbl(&t, &t);
    bn254_fq2_add(r, &t, a);
}

/* Squaring in the cyclotomic subgroup (Granger and Scott, PKC 2010).  View
 * Fq12 = Fq4[w]/(w^3 - s) with s = w^3, a = a0 + a1 w + a2 w^2, where
 * a0 = g0 + g3 s, a1 = g1 + g4 s, a2 = g2 + g5 s (a = sum g_k w^k).  Then
 * a^2 = (3 a0^2 - 2 conj a0) + (3 s a2^2 + 2 conj a1) w + (3 a1^2 - 2 conj a2) w^2,
 * conj being s -> -s.  Only valid for a^(q^6 + 1) = 1 (after the easy part). */
void bn254_fq12_cyclotomic_sqr(bn254_fq12 *r, const bn254_fq12 *a) {
    const bn254_fq2 *g0 = &a->c0.c0, *g2 = &a->c0.c1, *g4 = &a->c0.c2;
    const bn254_fq2 *g1 = &a->c1.c0, *g3 = &a->c1.c1, *g5 = &a->c1.c2;
    bn254_fq2 A0, A3, B1, B4, C2, C5, t;
    bn254_fq12 out;
    fq4_sqr(&A0, &A3, g0, g3); /* a0^2 */
    fq4_sqr(&B1, &B4, g1, g4); /* a1^2 */
    fq4_sqr(&C2, &C5, g2, g5); /* a2^2 */
    /* c0 = 3 a0^2 - 2 conj(a0): (3A0 - 2 g0) + (3A3 + 2 g3) s */
    three_minus_two(&out.c0.c0, &A0, g0);
    three_plus_two(&out.c1.c1, &A3, g3);
    /* c1 = 3 s a2^2 + 2 conj(a1): s (C2 + C5 s) = xi C5 + C2 s
     *    -> (3 xi C5 + 2 g1) + (3 C2 - 2 g4) s */
    bn254_fq2_mul_by_xi(&t, &C5);
    three_plus_two(&out.c1.c0, &t, g1);
    three_minus_two(&out.c0.c2, &C2, g4);
    /* c2 = 3 a1^2 - 2 conj(a2): (3 B1 - 2 g2) + (3 B4 + 2 g5) s */
    three_minus_two(&out.c0.c1, &B1, g2);
    three_plus_two(&out.c1.c2, &B4, g5);
    *r = out;
}

/* a^x for the BN parameter x (64 bits), a in the cyclotomic subgroup */
static void cyc_exp_x(bn254_fq12 *r, const bn254_fq12 *a) {
    static const uint64_t X = 0x44e992b44a6909f1ULL;
    bn254_fq12 acc = *a;
    for (int bit = 61; bit >= 0; bit--) {
        bn254_fq12_cyclotomic_sqr(&acc, &acc);
        if ((X >> bit) & 1) bn254_fq12_mul(&acc, &acc, a);
    }
    *r = acc;
}

/* a^(-x) = conj(a^x) in the cyclotomic subgroup */
static void cyc_exp_minus_x(bn254_fq12 *r, const bn254_fq12 *a) {
    cyc_exp_x(r, a);
    bn254_fq12_conj(r, r);
}

void bn254_final_exp_easy_var(bn254_fq12 *r, const bn254_fq12 *f) {
    bn254_fq12 t, inv;
    /* f^((q^6 - 1)(q^2 + 1)) */
    bn254_fq12_conj(&t, f);
    bn254_fq12_inv_var(&inv, f);
    bn254_fq12_mul(&t, &t, &inv);
    bn254_fq12_frobenius(&inv, &t, 2);
    bn254_fq12_mul(r, &inv, &t);
}

/* Hard part: m^(k (q^4 - q^2 + 1)/r) with k = 2x(6x^2 + 3x + 1) (a fixed
 * multiple of the exact exponent; Fuentes-Castaneda, Knapp and
 * Rodriguez-Henriquez, "Faster hashing to G2", SAC 2011), written in base q
 * and evaluated by the chain
 *   y1 = m^(-2x), y2 = m^(-6x), y4 = m^(6x^2), y6 = m^(-12x^3),
 *   y8 = m^(12x^3 + 6x^2 + 6x), y9 = m^(12x^3 + 6x^2 + 4x),
 *   result = (m^-1 y9)^(q^3) * y8^(q^2) * y9^q * (y8 y4 m).
 * This is the same Gt element @noble/curves and ffjavascript produce. */
void bn254_final_exp_hard(bn254_fq12 *r, const bn254_fq12 *m) {
    bn254_fq12 y1, y2, y4, y6, y8, y9, t, u, acc;
    cyc_exp_minus_x(&y1, m);
    bn254_fq12_cyclotomic_sqr(&y1, &y1);
    bn254_fq12_cyclotomic_sqr(&y2, &y1);
    bn254_fq12_mul(&y2, &y2, &y1);
    cyc_exp_minus_x(&y4, &y2);
    bn254_fq12_cyclotomic_sqr(&t, &y4);
    cyc_exp_minus_x(&y6, &t);
    bn254_fq12_conj(&y8, &y6);
    bn254_fq12_mul(&y8, &y8, &y4);
    bn254_fq12_conj(&t, &y2);
    bn254_fq12_mul(&y8, &y8, &t);
    bn254_fq12_mul(&y9, &y8, &y1);
    /* acc = y8 y4 m */
    bn254_fq12_mul(&acc, &y8, &y4);
    bn254_fq12_mul(&acc, &acc, m);
    bn254_fq12_frobenius(&t, &y9, 1);
    bn254_fq12_mul(&acc, &acc, &t);
    bn254_fq12_frobenius(&t, &y8, 2);
    bn254_fq12_mul(&acc, &acc, &t);
    bn254_fq12_conj(&u, m);
    bn254_fq12_mul(&u, &u, &y9);
    bn254_fq12_frobenius(&t, &u, 3);
    bn254_fq12_mul(r, &acc, &t);
}

void bn254_final_exp_var(bn254_fq12 *r, const bn254_fq12 *f) {
    bn254_fq12 t;
    bn254_final_exp_easy_var(&t, f);
    bn254_final_exp_hard(r, &t);
}

void bn254_pairing_var(bn254_fq12 *r, const bn254_g1_affine *p, const bn254_g2_affine *q) {
    bn254_fq12 f;
    bn254_miller_loop_var(&f, p, q, 1);
    bn254_final_exp_var(r, &f);
}

int bn254_pairing_check_var(const bn254_g1_affine *p, const bn254_g2_affine *q, size_t n) {
    bn254_fq12 f, e;
    bn254_miller_loop_var(&f, p, q, n);
    bn254_final_exp_var(&e, &f);
    return bn254_fq12_is_one(&e);
}
