#include "curve/bn254_affine_batch.h"

#include "curve/bn254_fast.h"

/* ws->den[i] <- 1 / ws->den[i] for i < m: Montgomery's trick, 3M per
 * element and one variable-time inversion.  A zero den[i] is replaced by 1
 * first and its point marked bad.  The even and the odd elements form two
 * independent product chains, so two products are always in flight (a
 * product's latency is ~25% above its throughput here). */
static void batch_inv(const bn254x_batch_ws *ws, size_t m) {
    bn254_fq *den = ws->den, *pre = ws->pre;
    bn254_fq inv, inv0, inv1, t0, t1;
    for (size_t i = 0; i < m; i++) {
        if (bn254x_is_zero_var(&den[i])) {
            bn254x_one(&den[i]);
            ws->bad[i] = 1;
        }
    }
    if (m == 1) {
        bn254x_inv_var(&den[0], &den[0]);
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
    bn254x_inv_var(&inv, &t0);
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
    for (size_t i = 0; i < m; i++) {
        bn254_g1_affine pa = a[i * as];
        bn254_fq xq = qx[i * qxs], yq = qy[i * qys], lam, x3, t;
        /* a - q: lambda' = (yq + ya) / (xq - xa) = -lambda, y3 = lambda'(x3 - xa) - ya */
        if (neg)
            bn254x_add(&t, &yq, &pa.y);
        else
            bn254x_sub(&t, &yq, &pa.y);
        bn254x_mul(&lam, &t, &ws->den[i]);
        bn254x_sqr(&x3, &lam);
        bn254x_sub(&x3, &x3, &pa.x);
        bn254x_sub(&x3, &x3, &xq);
        if (neg)
            bn254x_sub(&t, &x3, &pa.x);
        else
            bn254x_sub(&t, &pa.x, &x3);
        bn254x_mul(&t, &lam, &t);
        bn254x_sub(&r[i * rs].y, &t, &pa.y);
        r[i * rs].x = x3;
    }
}

/* r[i] = 2 a[i], i < m (y != 0: no point of order 2 on G1); r may alias a. */
void bn254x_batch_dbl_affine(const bn254x_batch_ws *ws, bn254_g1_affine *r, const bn254_g1_affine *a, size_t m) {
    for (size_t i = 0; i < m; i++) bn254x_dbl(&ws->den[i], &a[i].y);
    batch_inv(ws, m);
    for (size_t i = 0; i < m; i++) {
        bn254_fq lam, x3, t;
        bn254x_sqr(&t, &a[i].x);
        bn254x_dbl(&lam, &t);
        bn254x_add(&t, &lam, &t);
        bn254x_mul(&lam, &t, &ws->den[i]);
        bn254x_sqr(&x3, &lam);
        bn254x_sub(&x3, &x3, &a[i].x);
        bn254x_sub(&x3, &x3, &a[i].x);
        bn254x_sub(&t, &a[i].x, &x3);
        bn254x_mul(&t, &lam, &t);
        bn254x_sub(&r[i].y, &t, &a[i].y);
        r[i].x = x3;
    }
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

void bn254x_batch_dbl_add_affine(const bn254x_batch_ws *ws, bn254_g1_affine *a, const bn254_fq *qx, size_t qxs,
                                 const bn254_fq *qy, size_t qys, int neg, size_t m) {
    for (size_t i = 0; i < m; i++) {
        bn254_fq xq = qx[i * qxs], xa = a[i].x;
        bn254x_sub(&ws->den[i], &xq, &xa);
    }
    batch_inv(ws, m);
    /* s = a + (+-q): lambda1 and x(s) kept, y(s) never needed */
    for (size_t i = 0; i < m; i++) {
        bn254_g1_affine pa = a[i];
        bn254_fq xq = qx[i * qxs], yq = qy[i * qys], t, x3;
        if (neg) {
            bn254x_add(&t, &yq, &pa.y);
            bn254x_neg(&t, &t);
        } else {
            bn254x_sub(&t, &yq, &pa.y);
        }
        bn254x_mul(&ws->t1[i], &t, &ws->den[i]);
        bn254x_sqr(&x3, &ws->t1[i]);
        bn254x_sub(&x3, &x3, &pa.x);
        bn254x_sub(&x3, &x3, &xq);
        ws->t2[i] = x3;
        bn254x_sub(&ws->den[i], &x3, &pa.x);
    }
    batch_inv(ws, m);
    /* s + a: lambda2 = -(lambda1 + 2 ya / (xs - xa)) = -mu,
     * x4 = mu^2 - xa - xs, y4 = mu (x4 - xa) - ya */
    for (size_t i = 0; i < m; i++) {
        bn254_g1_affine pa = a[i];
        bn254_fq mu, x4, t;
        bn254x_dbl(&t, &pa.y);
        bn254x_mul(&t, &t, &ws->den[i]);
        bn254x_add(&mu, &ws->t1[i], &t);
        bn254x_sqr(&x4, &mu);
        bn254x_sub(&x4, &x4, &pa.x);
        bn254x_sub(&x4, &x4, &ws->t2[i]);
        bn254x_sub(&t, &x4, &pa.x);
        bn254x_mul(&t, &mu, &t);
        bn254x_sub(&a[i].y, &t, &pa.y);
        a[i].x = x4;
    }
}
