/* G2 multi-scalar multiplication for public scalars (bn254_msm.h:
 * bn254_g2_msm_var, bn254_g2_msm_fr_var), with affine buckets.
 *
 * Pippenger with signed window digits; every window keeps its buckets in
 * affine coordinates and adds points into them in batches that share one
 * field inversion (Montgomery's trick), so a bucket addition costs about
 * 5 Fq2 multiplications + 1 squaring instead of a mixed Jacobian addition's
 * 7 + 4.  Per window and block of points, the points are grouped by bucket
 * (counting sort, the bucket's sum so far first) and each group is summed as
 * a pairwise tree: every tree level is one batch with one inversion, and no
 * two additions of a level conflict.  Equal x (doubling, cancellation) is
 * handled exactly, off the batch.  The result is a group
 * element, so it does not depend on the order of additions. */
#include "curve/bn254_msm.h"

#include <stdlib.h>
#include <string.h>

#include "ff/bn254_fq_fast.h"
#include "util/parallel.h"

#define M2_POINTS ((size_t)1 << 18) /* points per call of the core (digits: 2 bytes per window) */

typedef struct {
    const bn254_g2_affine *pts;
    size_t n;
    int c, nwin;
    int16_t *dig;  /* nwin signed digits per point */
    bn254_g2 *win; /* per-window result */
} m2_ctx;

/* Signed digits of one 32-byte LE scalar, nwin windows of c bits, each
 * in [-2^(c-1), 2^(c-1)) with the carry passed upwards. */
static void m2_digits(int16_t *out, const uint8_t *k, int c, int nwin) {
    uint64_t l[5] = {0, 0, 0, 0, 0}; /* the scalar's limbs, and a zero one past the top */
    for (int i = 0; i < 32; i++) l[i / 8] |= (uint64_t)k[i] << (8 * (i % 8));
    const uint32_t mask = (1u << c) - 1;
    uint32_t carry = 0;
    for (int j = 0; j < nwin; j++) {
        int p = j * c; /* < 256 + c: the top window reads zeros past bit 255 */
        uint64_t w = l[p / 64] >> (p % 64);
        if (p % 64 + c > 64) w |= l[p / 64 + 1] << (64 - p % 64);
        uint32_t v = ((uint32_t)w & mask) + carry;
        if (v >= (1u << (c - 1))) {
            out[j] = (int16_t)((int32_t)v - (int32_t)(1u << c));
            carry = 1;
        } else {
            out[j] = (int16_t)v;
            carry = 0;
        }
    }
}

typedef struct {
    const bn254_g2_affine *pts;
    const uint8_t *sc;
    size_t stride;
    int c, nwin;
    int16_t *dig;
} m2_dig_ctx;

/* Digits of points [begin, end); (0, 0) (infinity) gets all-zero digits. */
static int m2_digits_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    const m2_dig_ctx *d = vctx;
    for (size_t i = begin; i < end; i++) {
        int16_t *out = d->dig + i * (size_t)d->nwin;
        if (bn254_fq2_is_zero(&d->pts[i].x) && bn254_fq2_is_zero(&d->pts[i].y))
            memset(out, 0, (size_t)d->nwin * sizeof *out);
        else
            m2_digits(out, d->sc + i * d->stride, d->c, d->nwin);
    }
    return 0;
}

#define M2_BLOCK ((size_t)1 << 14) /* points per block of one window */

typedef struct {
    size_t nb, cap;       /* buckets; capacity of the element buffers */
    bn254_g2_affine *bk;  /* bucket sums */
    uint8_t *full;        /* bucket holds a point (else infinity) */
    uint32_t *cnt, *off;  /* elements per bucket in the current round, segment start */
    bn254_g2_affine *a, *b; /* element buffers (ping-pong) */
    uint8_t *ainf, *binf; /* element is infinity */
    uint32_t *pa, *pd;    /* pending affine additions: source index, destination index */
    bn254_fq2 *den, *pre;
    bn254_g2_affine *run, *tot; /* bucket-sum chains (m2_sum_affine), nb / M2_AGG_L each */
    uint8_t *rinf, *tinf;
} m2_ws;

/* Bucket sums in affine coordinates from this many buckets on: chains of
 * M2_AGG_L buckets advance together, one batched addition per step. */
#define M2_AGG_MIN 128
#define M2_AGG_L 16

/* Inlined Fq2 subtraction and comparison (public data: variable time is
 * fine); out-of-line calls were ~3% of zkey verify. */
static inline void m2_sub(bn254_fq2 *r, const bn254_fq2 *a, const bn254_fq2 *b) {
    bn254x_sub(&r->c0, &a->c0, &b->c0);
    bn254x_sub(&r->c1, &a->c1, &b->c1);
}
static inline int m2_eq(const bn254_fq2 *a, const bn254_fq2 *b) { return memcmp(a, b, sizeof *a) == 0; }

/* Batched Fq2 inversion through norms: 1/d = conj(d) / N(d) with
 * N(d) = d0^2 + d1^2 in Fq, so Montgomery's trick runs on Fq norms (5M + 2S
 * in Fq per element instead of 3 Fq2 products, ~30% less).  m2_norm_push
 * records den's norm and the prefix product in pre (c0: prefix, c1: norm);
 * after one Fq inversion of the product, m2_norm_pop walks back. */
static inline void m2_norm_push(bn254_fq2 *pre, const bn254_fq2 *den, bn254_fq *prod) {
    bn254_fq t;
    bn254x_sqr(&pre->c1, &den->c0);
    bn254x_sqr(&t, &den->c1);
    bn254x_add(&pre->c1, &pre->c1, &t);
    pre->c0 = *prod;
    bn254x_mul(prod, prod, &pre->c1);
}
/* di = 1 / den given inv = 1 / (prefix including den); inv moves to the
 * inverse of the prefix before den. */
static inline void m2_norm_pop(bn254_fq2 *di, const bn254_fq2 *pre, const bn254_fq2 *den, bn254_fq *inv) {
    bn254_fq in;
    bn254x_mul(&in, inv, &pre->c0);
    bn254x_mul(inv, inv, &pre->c1);
    bn254x_mul(&di->c0, &den->c0, &in);
    bn254x_mul(&di->c1, &den->c1, &in);
    bn254x_neg(&di->c1, &di->c1);
}

/* r = P + Q in affine coordinates, given di = 1 / (Q.x - P.x); r may not
 * alias P or Q. */
static void m2_add_with_inv(bn254_g2_affine *r, const bn254_g2_affine *P, const bn254_g2_affine *Q,
                            const bn254_fq2 *di) {
    bn254_fq2 lam, t, x3;
    m2_sub(&t, &Q->y, &P->y);
    bn254_fq2_mul(&lam, &t, di);
    bn254_fq2_sqr(&x3, &lam);
    m2_sub(&x3, &x3, &P->x);
    m2_sub(&x3, &x3, &Q->x);
    m2_sub(&t, &P->x, &x3);
    bn254_fq2_mul(&t, &t, &lam);
    m2_sub(&r->y, &t, &P->y);
    r->x = x3;
}

/* One round: every bucket segment of k elements in w->a becomes ceil(k/2)
 * elements in w->b (pairwise sums), all general additions sharing one
 * inversion.  Returns the largest new segment length. */
static uint32_t m2_round(m2_ws *w) {
    size_t np = 0;
    uint32_t maxc = 0;
    bn254_fq acc;
    bn254x_one(&acc);
    for (size_t bk = 0; bk < w->nb; bk++) {
        uint32_t k = w->cnt[bk], o = w->off[bk];
        for (uint32_t t = 0; t < k / 2; t++) {
            uint32_t s0 = o + 2 * t, s1 = s0 + 1, d = o + t;
            const bn254_g2_affine *P = &w->a[s0], *Q = &w->a[s1];
            if (w->ainf[s0]) {
                w->b[d] = *Q;
                w->binf[d] = w->ainf[s1];
            } else if (w->ainf[s1]) {
                w->b[d] = *P;
                w->binf[d] = 0;
            } else if (m2_eq(&P->x, &Q->x)) {
                if (m2_eq(&P->y, &Q->y)) { /* doubling (rare): exact, own inversion */
                    bn254_g2 j;
                    bn254_g2_from_affine(&j, P);
                    bn254_g2_dbl(&j, &j);
                    bn254_g2_to_affine_var(&w->b[d], &j);
                    w->binf[d] = 0;
                } else { /* P + (-P) */
                    w->binf[d] = 1;
                }
            } else {
                m2_sub(&w->den[np], &Q->x, &P->x);
                m2_norm_push(&w->pre[np], &w->den[np], &acc);
                w->pa[np] = s0;
                w->pd[np] = d;
                w->binf[d] = 0;
                np++;
            }
        }
        if (k & 1) {
            w->b[o + k / 2] = w->a[o + k - 1];
            w->binf[o + k / 2] = w->ainf[o + k - 1];
        }
        w->cnt[bk] = (k + 1) / 2;
        if (w->cnt[bk] > maxc) maxc = w->cnt[bk];
    }
    if (np > 0) {
        bn254_fq inv;
        bn254x_inv_var(&inv, &acc);
        for (size_t i = np; i-- > 0;) {
            bn254_fq2 di;
            m2_norm_pop(&di, &w->pre[i], &w->den[i], &inv);
            const bn254_g2_affine *P = &w->a[w->pa[i]];
            m2_add_with_inv(&w->b[w->pd[i]], P, P + 1, &di);
        }
    }
    bn254_g2_affine *ta = w->a;
    w->a = w->b;
    w->b = ta;
    uint8_t *ti = w->ainf;
    w->ainf = w->binf;
    w->binf = ti;
    return maxc;
}

/* Adds points [p0, p1) of window j into the buckets. */
static void m2_block(const m2_ctx *x, m2_ws *w, int j, size_t p0, size_t p1) {
    memset(w->cnt, 0, w->nb * sizeof *w->cnt);
    for (size_t bk = 0; bk < w->nb; bk++) w->cnt[bk] = w->full[bk];
    for (size_t i = p0; i < p1; i++) {
        int32_t d = x->dig[i * (size_t)x->nwin + (size_t)j];
        if (d != 0) w->cnt[(d < 0 ? -d : d) - 1]++;
    }
    uint32_t o = 0, maxc = 0;
    for (size_t bk = 0; bk < w->nb; bk++) {
        w->off[bk] = o;
        o += w->cnt[bk];
        if (w->cnt[bk] > maxc) maxc = w->cnt[bk];
        if (w->full[bk]) {
            w->a[w->off[bk]] = w->bk[bk];
            w->ainf[w->off[bk]] = 0;
        }
        w->cnt[bk] = w->full[bk]; /* fill cursor */
    }
    for (size_t i = p0; i < p1; i++) {
        int32_t d = x->dig[i * (size_t)x->nwin + (size_t)j];
        if (d == 0) continue;
        uint32_t bk = (uint32_t)(d < 0 ? -d : d) - 1, pos = w->off[bk] + w->cnt[bk]++;
        w->a[pos] = x->pts[i];
        w->ainf[pos] = 0;
        if (d < 0) bn254_fq2_neg(&w->a[pos].y, &w->a[pos].y);
    }
    while (maxc > 1) maxc = m2_round(w);
    for (size_t bk = 0; bk < w->nb; bk++) {
        w->full[bk] = w->cnt[bk] == 1 && !w->ainf[w->off[bk]];
        if (w->full[bk]) w->bk[bk] = w->a[w->off[bk]];
    }
}

/* acc[pd[k]] += b[k] for k < m, where a[k] is a copy of acc[pd[k]]: one
 * batched affine addition (one shared inversion); an equal x (doubling or
 * cancellation) is done exactly instead, and acc_inf[] set where the sum
 * is infinity.  Scratch: den, pre, ainf. */
static void m2_chain_step(m2_ws *w, bn254_g2_affine *acc, uint8_t *acc_inf, size_t m) {
    if (m == 0) return;
    bn254_fq prod;
    bn254x_one(&prod);
    for (size_t k = 0; k < m; k++) {
        m2_sub(&w->den[k], &w->b[k].x, &w->a[k].x);
        w->ainf[k] = (uint8_t)bn254_fq2_is_zero(&w->den[k]);
        if (w->ainf[k]) bn254_fq2_one(&w->den[k]);
        m2_norm_push(&w->pre[k], &w->den[k], &prod);
    }
    bn254_fq inv;
    bn254x_inv_var(&inv, &prod);
    for (size_t k = m; k-- > 0;) {
        bn254_fq2 di;
        m2_norm_pop(&di, &w->pre[k], &w->den[k], &inv);
        const bn254_g2_affine *P = &w->a[k], *Q = &w->b[k];
        uint32_t s = w->pd[k];
        if (w->ainf[k]) {
            bn254_g2 j;
            bn254_g2_from_affine(&j, P);
            bn254_g2_add_affine_var(&j, &j, Q);
            acc_inf[s] = (uint8_t)bn254_g2_is_infinity(&j);
            if (!acc_inf[s]) bn254_g2_to_affine_var(&acc[s], &j);
            continue;
        }
        m2_add_with_inv(&acc[s], P, Q, &di);
    }
}

/* sum_b (b + 1) bk[b] over the full buckets, nb >= M2_AGG_MIN: bucket
 * b = s L + i is in chain s; from i = L - 1 down, run[s] += bk[b] and
 * tot[s] += run[s] as batched affine additions over all chains, so that
 * tot[s] = sum_i (i + 1) bk[sL + i] and run[s] = sum_i bk[sL + i]; then the
 * total is sum_s tot[s] + L sum_s s run[s] (a short Jacobian running sum). */
static void m2_sum_affine(m2_ws *w, bn254_g2 *out) {
    const size_t L = M2_AGG_L, K = w->nb / M2_AGG_L;
    memset(w->rinf, 1, K);
    memset(w->tinf, 1, K);
    for (size_t i = L; i-- > 0;) {
        size_t m = 0;
        for (size_t s = 0; s < K; s++) {
            size_t b = s * L + i;
            if (!w->full[b]) continue;
            if (w->rinf[s]) {
                w->run[s] = w->bk[b];
                w->rinf[s] = 0;
                continue;
            }
            w->pd[m] = (uint32_t)s;
            w->a[m] = w->run[s];
            w->b[m++] = w->bk[b];
        }
        m2_chain_step(w, w->run, w->rinf, m);
        m = 0;
        for (size_t s = 0; s < K; s++) {
            if (w->rinf[s]) continue;
            if (w->tinf[s]) {
                w->tot[s] = w->run[s];
                w->tinf[s] = 0;
                continue;
            }
            w->pd[m] = (uint32_t)s;
            w->a[m] = w->tot[s];
            w->b[m++] = w->run[s];
        }
        m2_chain_step(w, w->tot, w->tinf, m);
    }
    bn254_g2 run, sum;
    bn254_g2_set_infinity(&run);
    bn254_g2_set_infinity(&sum);
    for (size_t s = K; s-- > 1;) {
        if (!w->rinf[s]) bn254_g2_add_affine_var(&run, &run, &w->run[s]);
        bn254_g2_add_var(&sum, &sum, &run);
    }
    for (size_t d = 1; d < L; d <<= 1) bn254_g2_dbl(&sum, &sum);
    for (size_t s = 0; s < K; s++)
        if (!w->tinf[s]) bn254_g2_add_affine_var(&sum, &sum, &w->tot[s]);
    *out = sum;
}

static void m2_window(m2_ctx *x, m2_ws *w, int j) {
    memset(w->full, 0, w->nb);
    for (size_t p0 = 0; p0 < x->n; p0 += M2_BLOCK) m2_block(x, w, j, p0, x->n - p0 < M2_BLOCK ? x->n : p0 + M2_BLOCK);
    /* sum_b (b+1) B[b] */
    if (w->nb >= M2_AGG_MIN) {
        m2_sum_affine(w, &x->win[j]);
        return;
    }
    bn254_g2 run, tot; /* running suffix sums */
    bn254_g2_set_infinity(&run);
    bn254_g2_set_infinity(&tot);
    for (size_t b = w->nb; b-- > 0;) {
        if (w->full[b]) bn254_g2_add_affine_var(&run, &run, &w->bk[b]);
        bn254_g2_add_var(&tot, &tot, &run);
    }
    x->win[j] = tot;
}

static int m2_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    m2_ctx *x = vctx;
    m2_ws w;
    w.nb = (size_t)1 << (x->c - 1);
    w.cap = (x->n < M2_BLOCK ? x->n : M2_BLOCK) + w.nb;
    w.bk = malloc(w.nb * sizeof *w.bk);
    w.full = malloc(w.nb);
    w.cnt = malloc(w.nb * sizeof *w.cnt);
    w.off = malloc(w.nb * sizeof *w.off);
    w.a = malloc(w.cap * sizeof *w.a);
    w.b = malloc(w.cap * sizeof *w.b);
    w.ainf = malloc(w.cap);
    w.binf = malloc(w.cap);
    w.pa = malloc(w.cap / 2 * sizeof *w.pa + 1);
    w.pd = malloc(w.cap / 2 * sizeof *w.pd + 1);
    w.den = malloc(w.cap / 2 * sizeof *w.den + 1);
    w.pre = malloc(w.cap / 2 * sizeof *w.pre + 1);
    size_t k = w.nb / M2_AGG_L + 1;
    w.run = malloc(k * sizeof *w.run);
    w.tot = malloc(k * sizeof *w.tot);
    w.rinf = malloc(k);
    w.tinf = malloc(k);
    int rc = 0;
    if (!w.bk || !w.full || !w.cnt || !w.off || !w.a || !w.b || !w.ainf || !w.binf || !w.pa || !w.pd || !w.den || !w.pre ||
        !w.run || !w.tot || !w.rinf || !w.tinf)
        rc = 1;
    for (size_t j = begin; j < end && rc == 0; j++) m2_window(x, &w, (int)j);
    free(w.bk);
    free(w.full);
    free(w.cnt);
    free(w.off);
    free(w.a);
    free(w.b);
    free(w.ainf);
    free(w.binf);
    free(w.pa);
    free(w.pd);
    free(w.den);
    free(w.pre);
    free(w.run);
    free(w.tot);
    free(w.rinf);
    free(w.tinf);
    return rc;
}

static int m2_window_bits(size_t n) {
    /* windows * (n batched affine additions, ~24 Fq mul with the grouping, +
     * 2^(c-1) affine bucket-sum steps, ~36); weights fitted to timings at
     * n = 1500, 4500, 30000 (best c: 9, 10, 12) */
    int best = 4;
    double best_cost = 0;
    for (int c = 4; c <= 16; c++) {
        double cost = (double)(256 / c + 1) * (24.0 * (double)n + 36.0 * (double)((size_t)1 << (c - 1)));
        if (c == 4 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

/* r = sum of scalar_i pts[i] for n <= M2_POINTS points. */
static int m2_run(bn254_g2 *r, const bn254_g2_affine *pts, const uint8_t *scalars, size_t stride, size_t n,
                  int threads, ns_error *err) {
    bn254_g2_set_infinity(r);
    if (n == 0) return 0;
    m2_ctx x = {pts, n, m2_window_bits(n), 0, NULL, NULL};
    /* the top window takes the last carry: 256 mod c <= c - 2 for 4 <= c <= 16,
     * so its digit stays below 2^(c-1) */
    x.nwin = 256 / x.c + 1;
    x.win = malloc((size_t)x.nwin * sizeof *x.win);
    x.dig = malloc(n * (size_t)x.nwin * sizeof *x.dig);
    if (x.win == NULL || x.dig == NULL) {
        free(x.win);
        free(x.dig);
        return ns_error_set(err, "msm: out of memory for %zu G2 points", n);
    }
    m2_dig_ctx dc = {pts, scalars, stride, x.c, x.nwin, x.dig};
    ns_parallel_for(threads, n, 1024, m2_digits_task, &dc);
    if (ns_parallel_for(threads, (size_t)x.nwin, 1, m2_task, &x) != 0) {
        free(x.win);
        free(x.dig);
        return ns_error_set(err, "msm: out of memory for %zu G2 points", n);
    }
    bn254_g2 acc;
    bn254_g2_set_infinity(&acc);
    for (int j = x.nwin - 1; j >= 0; j--) {
        for (int d = 0; d < x.c; d++) bn254_g2_dbl(&acc, &acc);
        bn254_g2_add_var(&acc, &acc, &x.win[j]);
    }
    *r = acc;
    free(x.win);
    free(x.dig);
    return 0;
}

int bn254_g2_msm_var(bn254_g2 *r, const bn254_g2_affine *pts, const uint8_t *scalars, size_t stride, size_t n,
                     int threads, ns_error *err) {
    bn254_g2 total, part;
    bn254_g2_set_infinity(&total);
    for (size_t base = 0; base < n; base += M2_POINTS) {
        size_t m = n - base < M2_POINTS ? n - base : M2_POINTS;
        if (m2_run(&part, pts + base, scalars + base * stride, stride, m, threads, err) != 0) return -1;
        bn254_g2_add_var(&total, &total, &part);
    }
    *r = total;
    return 0;
}

int bn254_g2_msm_fr_var(bn254_g2 *r, const bn254_g2_affine *pts, const bn254_fr *scalars, size_t n, int threads,
                        ns_error *err) {
    size_t blk = n < M2_POINTS ? n : M2_POINTS;
    uint8_t *sc = malloc(blk * 32 + 1);
    if (sc == NULL) return ns_error_set(err, "msm: out of memory for %zu G2 points", n);
    bn254_g2 total, part;
    bn254_g2_set_infinity(&total);
    int rc = 0;
    for (size_t base = 0; base < n && rc == 0; base += blk) {
        size_t m = n - base < blk ? n - base : blk;
        for (size_t i = 0; i < m; i++) {
            uint64_t c[4];
            bn254_fr_to_canonical(c, &scalars[base + i]);
            for (int l = 0; l < 4; l++)
                for (int b = 0; b < 8; b++) sc[32 * i + 8 * (size_t)l + (size_t)b] = (uint8_t)(c[l] >> (8 * b));
        }
        rc = m2_run(&part, pts + base, sc, 32, m, threads, err);
        if (rc == 0) bn254_g2_add_var(&total, &total, &part);
    }
    free(sc);
    if (rc != 0) return -1;
    *r = total;
    return 0;
}
