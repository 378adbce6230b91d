#include "curve/bn254_affine_batch.h"

#include <stdlib.h>
#include <string.h>

#include "curve/bn254_fast.h"
#include "curve/bn254_msm.h"

/* ws->den[i] <- 1 / ws->den[i] for i < m: Montgomery's trick, 3M per
 * element and one inversion.  Variable time (bn254x_inv_var): a zero den[i]
 * is replaced by 1 first and its point marked bad in ws->bad.  Constant
 * time, when ws->ct_bad is set (the Fermat inversion): a zero den[i] makes
 * the product of all of them zero, and that one check ORs all-ones into
 * *ws->ct_bad.  The even and the odd elements form two independent
 * product chains, so two products are always in flight (a product's latency
 * is ~25% above its throughput here). */
static void batch_inv_one(const bn254x_batch_ws *ws, bn254_fq *r, const bn254_fq *a) {
    if (ws->ct_bad != NULL)
        bn254x_inv(r, a);
    else
        bn254x_inv_var(r, a);
}

static void batch_inv(const bn254x_batch_ws *ws, size_t m) {
    bn254_fq *den = ws->den, *pre = ws->pre;
    bn254_fq inv, inv0, inv1, t0, t1;
    /* variable time: a zero den[i] becomes 1 and its point is flagged; in
     * constant-time mode a zero makes the whole product zero, checked once
     * below (every result is then garbage) */
    if (ws->ct_bad == NULL) {
        for (size_t i = 0; i < m; i++) {
            if (bn254x_is_zero_var(&den[i])) {
                bn254x_one(&den[i]);
                ws->bad[i] = 1;
            }
        }
    }
    if (m == 1) {
        if (ws->ct_bad != NULL) *ws->ct_bad |= bn254x_is_zero_mask(&den[0]);
        batch_inv_one(ws, &den[0], &den[0]);
        return;
    }
    /* pre[i] = den[i] den[i-2] den[i-4] ... */
    pre[0] = den[0];
    pre[1] = den[1];
    for (size_t i = 2; i < m; i++) bn254x_mul(&pre[i], &pre[i - 2], &den[i]);
    /* last of each chain: l0 even, l1 odd */
    size_t l1 = (m - 1) | 1;
    if (l1 >= m) l1 -= 2;
    size_t l0 = l1 + 1 < m ? l1 + 1 : l1 - 1;
    bn254x_mul(&t0, &pre[l0], &pre[l1]);
    if (ws->ct_bad != NULL) *ws->ct_bad |= bn254x_is_zero_mask(&t0);
    batch_inv_one(ws, &inv, &t0);
    bn254x_mul(&inv0, &inv, &pre[l1]); /* 1 / pre[l0] */
    bn254x_mul(&inv1, &inv, &pre[l0]); /* 1 / pre[l1] */
    /* walk both chains down together */
    size_t i0 = l0, i1 = l1;
    while (i0 >= 2 && i1 >= 2) {
        bn254x_mul(&t0, &inv0, &pre[i0 - 2]);
        bn254x_mul(&t1, &inv1, &pre[i1 - 2]);
        bn254x_mul(&inv0, &inv0, &den[i0]);
        bn254x_mul(&inv1, &inv1, &den[i1]);
        den[i0] = t0;
        den[i1] = t1;
        i0 -= 2;
        i1 -= 2;
    }
    for (; i0 >= 2; i0 -= 2) {
        bn254x_mul(&t0, &inv0, &pre[i0 - 2]);
        bn254x_mul(&inv0, &inv0, &den[i0]);
        den[i0] = t0;
    }
    for (; i1 >= 2; i1 -= 2) {
        bn254x_mul(&t1, &inv1, &pre[i1 - 2]);
        bn254x_mul(&inv1, &inv1, &den[i1]);
        den[i1] = t1;
    }
    den[0] = inv0;
    den[1] = inv1;
}

/* The per-point formulas below run AB_LANES points statement by statement
 * (as the constant-time window loop does), so independent products overlap:
 * one point's formula is a chain of dependent products, and a product's
 * latency exceeds its throughput. */
#define AB_LANES 4
#define AB_INLINE static inline __attribute__((always_inline))
#define AB_EACH for (l = 0; l < n; l++)

/* addition, after the inversion: points i .. i+n-1.
 * a - q: lambda' = (yq + ya) / (xq - xa) = -lambda, y3 = lambda'(x3 - xa) - ya */
AB_INLINE void add_finish(const bn254_fq *den, bn254_g1_affine *r, size_t rs, const bn254_g1_affine *a, size_t as,
                          const bn254_fq *qx, size_t qxs, const bn254_fq *qy, size_t qys, int neg, size_t i, int n) {
    bn254_fq ax[AB_LANES], ay[AB_LANES], xq[AB_LANES], yq[AB_LANES], lam[AB_LANES], x3[AB_LANES], t[AB_LANES];
    int l;
    AB_EACH ax[l] = a[(i + l) * as].x, ay[l] = a[(i + l) * as].y;
    AB_EACH xq[l] = qx[(i + l) * qxs], yq[l] = qy[(i + l) * qys];
    if (neg) {
        AB_EACH bn254x_add(&t[l], &yq[l], &ay[l]);
    } else {
        AB_EACH bn254x_sub(&t[l], &yq[l], &ay[l]);
    }
    AB_EACH bn254x_mul(&lam[l], &t[l], &den[i + l]);
    AB_EACH bn254x_sqr(&x3[l], &lam[l]);
    AB_EACH bn254x_sub(&x3[l], &x3[l], &ax[l]);
    AB_EACH bn254x_sub(&x3[l], &x3[l], &xq[l]);
    if (neg) {
        AB_EACH bn254x_sub(&t[l], &x3[l], &ax[l]);
    } else {
        AB_EACH bn254x_sub(&t[l], &ax[l], &x3[l]);
    }
    AB_EACH bn254x_mul(&t[l], &lam[l], &t[l]);
    AB_EACH bn254x_sub(&r[(i + l) * rs].y, &t[l], &ay[l]);
    AB_EACH r[(i + l) * rs].x = x3[l];
}

/* r[i] = a[i] + q[i] (neg = 0) or a[i] - q[i] (neg = 1), i < m, affine,
 * q[i] = (qx[i * qxs], qy[i * qys]); element i of r, a at stride rs, as; r
 * may alias a. */
void bn254x_batch_add_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, size_t rs, const bn254_g1_affine *a, size_t as,
                   const bn254_fq *qx, size_t qxs, const bn254_fq *qy, size_t qys, int neg, size_t m) {
    for (size_t i = 0; i < m; i++) {
        bn254_fq xq = qx[i * qxs], xa = a[i * as].x; /* plain operands for the asm */
        bn254x_sub(&ws->den[i], &xq, &xa);
    }
    batch_inv(ws, m);
    size_t i = 0;
    for (; i + AB_LANES <= m; i += AB_LANES) add_finish(ws->den, r, rs, a, as, qx, qxs, qy, qys, neg, i, AB_LANES);
    for (; i < m; i++) add_finish(ws->den, r, rs, a, as, qx, qxs, qy, qys, neg, i, 1);
}

/* doubling, after the inversion: points i .. i+n-1 */
AB_INLINE void dbl_finish(const bn254_fq *den, bn254_g1_affine *r, const bn254_g1_affine *a, size_t i, int n) {
    bn254_fq lam[AB_LANES], x3[AB_LANES], t[AB_LANES], ax[AB_LANES], ay[AB_LANES];
    int l;
    AB_EACH ax[l] = a[i + l].x, ay[l] = a[i + l].y;
    AB_EACH bn254x_sqr(&t[l], &ax[l]);
    AB_EACH bn254x_dbl(&lam[l], &t[l]);
    AB_EACH bn254x_add(&t[l], &lam[l], &t[l]);
    AB_EACH bn254x_mul(&lam[l], &t[l], &den[i + l]);
    AB_EACH bn254x_sqr(&x3[l], &lam[l]);
    AB_EACH bn254x_sub(&x3[l], &x3[l], &ax[l]);
    AB_EACH bn254x_sub(&x3[l], &x3[l], &ax[l]);
    AB_EACH bn254x_sub(&t[l], &ax[l], &x3[l]);
    AB_EACH bn254x_mul(&t[l], &lam[l], &t[l]);
    AB_EACH bn254x_sub(&r[i + l].y, &t[l], &ay[l]);
    AB_EACH r[i + l].x = x3[l];
}

/* r[i] = 2 a[i], i < m (y != 0: no point of order 2 on G1); r may alias a. */
void bn254x_batch_dbl_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, const bn254_g1_affine *a, size_t m) {
    for (size_t i = 0; i < m; i++) bn254x_dbl(&ws->den[i], &a[i].y);
    batch_inv(ws, m);
    size_t i = 0;
    for (; i + AB_LANES <= m; i += AB_LANES) dbl_finish(ws->den, r, a, i, AB_LANES);
    for (; i < m; i++) dbl_finish(ws->den, r, a, i, 1);
}

void bn254x_batch_odd_multiples(const bn254x_batch_ws *ws, bn254_g1_affine *tab, int ntab, bn254_g1_affine *pts,
                                 size_t m) {
    for (size_t i = 0; i < m; i++) tab[i * (size_t)ntab] = pts[i];
    if (ntab < 2) return;
    bn254x_batch_dbl_affine(ws, pts, pts, m);
    const bn254_fq *p2 = (const bn254_fq *)(const void *)pts;
    /* (2j+1)P = (2j-1)P + 2P is never exceptional (r is a large prime) */
    for (int j = 1; j < ntab; j++)
        bn254x_batch_add_affine(ws, &tab[j], (size_t)ntab, &tab[j - 1], (size_t)ntab, &p2[0], 2, &p2[1], 2, 0, m);
}

/* 2a +- q, first half after the first inversion: s = a + (+-q), lambda1
 * and x(s) kept (y(s) is never needed); the next denominator x(s) - xa. */
AB_INLINE void dbl_add_mid(const bn254x_batch_ws *ws, const bn254_g1_affine *a, const bn254_fq *qx, size_t qxs,
                           const bn254_fq *qy, size_t qys, int neg, size_t i, int n) {
    bn254_fq ax[AB_LANES], ay[AB_LANES], xq[AB_LANES], yq[AB_LANES], t[AB_LANES], x3[AB_LANES];
    int l;
    AB_EACH ax[l] = a[i + l].x, ay[l] = a[i + l].y;
    AB_EACH xq[l] = qx[(i + l) * qxs], yq[l] = qy[(i + l) * qys];
    if (neg) {
        AB_EACH bn254x_add(&t[l], &yq[l], &ay[l]);
        AB_EACH bn254x_neg(&t[l], &t[l]);
    } else {
        AB_EACH bn254x_sub(&t[l], &yq[l], &ay[l]);
    }
    AB_EACH bn254x_mul(&ws->t1[i + l], &t[l], &ws->den[i + l]);
    AB_EACH bn254x_sqr(&x3[l], &ws->t1[i + l]);
    AB_EACH bn254x_sub(&x3[l], &x3[l], &ax[l]);
    AB_EACH bn254x_sub(&x3[l], &x3[l], &xq[l]);
    AB_EACH ws->t2[i + l] = x3[l];
    AB_EACH bn254x_sub(&ws->den[i + l], &x3[l], &ax[l]);
}

/* second half: lambda2 = -(lambda1 + 2 ya / (xs - xa)) = -mu,
 * x4 = mu^2 - xa - xs, y4 = mu (x4 - xa) - ya */
AB_INLINE void dbl_add_finish(const bn254x_batch_ws *ws, bn254_g1_affine *a, size_t i, int n) {
    bn254_fq ax[AB_LANES], ay[AB_LANES], mu[AB_LANES], x4[AB_LANES], t[AB_LANES];
    int l;
    AB_EACH ax[l] = a[i + l].x, ay[l] = a[i + l].y;
    AB_EACH bn254x_dbl(&t[l], &ay[l]);
    AB_EACH bn254x_mul(&t[l], &t[l], &ws->den[i + l]);
    AB_EACH bn254x_add(&mu[l], &ws->t1[i + l], &t[l]);
    AB_EACH bn254x_sqr(&x4[l], &mu[l]);
    AB_EACH bn254x_sub(&x4[l], &x4[l], &ax[l]);
    AB_EACH bn254x_sub(&x4[l], &x4[l], &ws->t2[i + l]);
    AB_EACH bn254x_sub(&t[l], &x4[l], &ax[l]);
    AB_EACH bn254x_mul(&t[l], &mu[l], &t[l]);
    AB_EACH bn254x_sub(&a[i + l].y, &t[l], &ay[l]);
    AB_EACH a[i + l].x = x4[l];
}

void bn254x_batch_dbl_add_affine(const bn254x_batch_ws *ws, bn254_g1_affine *a, const bn254_fq *qx, size_t qxs,
                                 const bn254_fq *qy, size_t qys, int neg, size_t m) {
    for (size_t i = 0; i < m; i++) {
        bn254_fq xq = qx[i * qxs], xa = a[i].x;
        bn254x_sub(&ws->den[i], &xq, &xa);
    }
    batch_inv(ws, m);
    size_t i = 0;
    for (; i + AB_LANES <= m; i += AB_LANES) dbl_add_mid(ws, a, qx, qxs, qy, qys, neg, i, AB_LANES);
    for (; i < m; i++) dbl_add_mid(ws, a, qx, qxs, qy, qys, neg, i, 1);
    batch_inv(ws, m);
    for (i = 0; i + AB_LANES <= m; i += AB_LANES) dbl_add_finish(ws, a, i, AB_LANES);
    for (; i < m; i++) dbl_add_finish(ws, a, i, 1);
}

int bn254_g1_sum_var(bn254_g1 *r, bn254_g1_affine *p, size_t n) {
    size_t half = n / 2 + 1;
    bn254_g1_affine *q = malloc(half * sizeof *q);
    bn254_fq *den = malloc(half * sizeof *den), *pre = malloc(half * sizeof *pre);
    unsigned char *bad = malloc(half);
    if (q == NULL || den == NULL || pre == NULL || bad == NULL) {
        free(q);
        free(den);
        free(pre);
        free(bad);
        return -1;
    }
    bn254_g1_affine *src = p, *dst = q;
    const bn254x_batch_ws ws = {den, pre, bad, NULL, NULL, NULL};
    while (n > 1) {
        /* dst[j] = src[2j] + src[2j+1], one shared inversion for the level;
         * a pair with equal x (a doubling or a cancellation) is flagged and
         * redone with the exact formulas, a cancellation then dropped */
        size_t m = n / 2, k = 0;
        const bn254_fq *odd = (const bn254_fq *)(const void *)&src[1]; /* x, y of src[1], 4 elements apart */
        memset(bad, 0, m);
        bn254x_batch_add_affine(&ws, dst, 1, src, 2, &odd[0], 4, &odd[1], 4, 0, m);
        for (size_t j = 0; j < m; j++) {
            if (bad[j]) {
                bn254_g1 e;
                bn254_g1_from_affine(&e, &src[2 * j]);
                bn254_g1_add_affine_var(&e, &e, &src[2 * j + 1]);
                if (bn254_g1_is_infinity(&e)) continue;
                bn254_g1_to_affine_var(&dst[j], &e);
            }
            dst[k++] = dst[j];
        }
        if (n % 2) dst[k++] = src[n - 1];
        bn254_g1_affine *sw = src;
        src = dst;
        dst = sw;
        n = k;
    }
    if (n == 1)
        bn254_g1_from_affine(r, &src[0]);
    else
        bn254_g1_set_infinity(r);
    free(q);
    free(den);
    free(pre);
    free(bad);
    return 0;
}
