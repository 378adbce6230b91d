/* Variable-time batch multiplication for a public scalar (zkey beacon).
 *
 * k = k1 + k2 lambda (GLV), both halves in width-5 NAF.  Every point runs
 * the same schedule of doublings and additions (it depends on k only), so a
 * block of points is processed one operation at a time in affine
 * coordinates: the denominators of all points of the block are inverted
 * together (Montgomery's trick, one field inversion per block and
 * operation), which makes an affine addition 5M + 1S and a doubling
 * 5M + 2S, with no final normalisation.  A doubling followed by an addition
 * is merged into 2A + Q = (A + Q) + A (9M + 2S instead of 10M + 3S).
 *
 * Exceptional cases: a table entry is (2j+1)P or its phi image, and the
 * accumulator is m P for an m fixed by the schedule; an addition meets
 * acc = +-Q (or 2 acc = -Q in a merged step) only for special m, e.g.
 * m = +-(2j+1) lambda (mod r), which is a property of k alone (every
 * non-infinity input has order r; no real k is known to reach one, tests
 * force them with bn254x_g1_batch_mul_digits).  Such a point
 * is marked when its denominator is zero and recomputed at the end with
 * bn254_g1_mul_var (complete Jacobian formulas). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254_affine_batch.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_fast.h"
#include "curve/bn254_glv.h"
#include "curve/bn254_wnaf.h"
#include "util/parallel.h"

#define BV_W 5                      /* NAF width */
#define BV_TAB (1 << (BV_W - 2))    /* odd multiples 1P, 3P, ..., 15P */
#define BV_DIGITS BN254_WNAF_MAX
#define BV_BLOCK 2048 /* points sharing one inversion (512: 3.55 s, 2048: 3.27 s for beacon at 2^16 on one thread) */

/* The schedule: digit i of each half (signs of the halves folded in). */
typedef struct {
    int len;
    int8_t d[2][BV_DIGITS];
} bv_plan;

typedef struct {
    bn254_g1_affine *out;
    const bn254_g1_affine *in;
    const bv_plan *plan;
    const uint64_t *k;     /* reduced scalar, for the fallback */
    atomic_size_t nslow;   /* points recomputed on the exceptional path */
} bv_ctx;

/* Per-block workspace (heap: about 200 KiB). */
typedef struct {
    bn254_g1_affine tab[BV_BLOCK * BV_TAB];  /* (2j+1) P_i at [i * BV_TAB + j] */
    bn254_fq tabpx[BV_BLOCK * BV_TAB];       /* x of their phi images (same y) */
    bn254_g1_affine acc[BV_BLOCK];
    bn254_g1_affine p2[BV_BLOCK]; /* the block's points (scratch) */
    bn254_fq den[BV_BLOCK];
    bn254_fq pre[BV_BLOCK];
    bn254_fq t1[BV_BLOCK], t2[BV_BLOCK];
    size_t pos[BV_BLOCK];     /* input index of block point i */
    unsigned char bad[BV_BLOCK]; /* exceptional: recompute at the end */
} bv_block;

static int bv_plan_make(bv_plan *p, const uint64_t k[4]) {
    uint64_t h[2][4], sign[2];
    int len[2];
    bn254x_glv_split(h[0], h[1], sign, k);
    memset(p, 0, sizeof *p);
    for (int s = 0; s < 2; s++) {
        len[s] = bn254_wnaf(p->d[s], h[s], BV_W);
        if (sign[s])
            for (int i = 0; i < len[s]; i++) p->d[s][i] = (int8_t)-p->d[s][i];
    }
    p->len = len[0] > len[1] ? len[0] : len[1];
    return p->len;
}

/* Tables of odd multiples and their phi images for the m block points. */
static void bv_tables(bv_block *b, const bn254_g1_affine *in, size_t m) {
    bn254_fq beta;
    bn254x_batch_ws ws = {b->den, b->pre, b->bad, b->t1, b->t2, NULL};
    for (size_t i = 0; i < m; i++) b->p2[i] = in[b->pos[i]];
    bn254x_batch_odd_multiples(&ws, b->tab, BV_TAB, b->p2, m);
    bn254x_glv_beta(&beta);
    for (size_t i = 0; i < m * BV_TAB; i++) bn254x_mul(&b->tabpx[i], &b->tab[i].x, &beta);
}

/* acc[i] = (dbl ? 2 acc[i] : acc[i]) + digit d of table t (0: P multiples,
 * 1: phi images), d != 0; *started tells whether acc holds a point yet. */
static void bv_digit(bv_block *b, int t, int d, int dbl, int *started, size_t m) {
    /* the tables as flat arrays of coordinates */
    const bn254_fq *flat = (const bn254_fq *)(const void *)b->tab;
    size_t j = (size_t)(d < 0 ? -d : d) / 2;
    const bn254_fq *qx = t ? &b->tabpx[j] : &flat[2 * j], *qy = &flat[2 * j + 1];
    size_t qxs = t ? BV_TAB : 2 * BV_TAB, qys = 2 * BV_TAB;
    if (*started) {
        bn254x_batch_ws ws = {b->den, b->pre, b->bad, b->t1, b->t2, NULL};
        if (dbl)
            bn254x_batch_dbl_add_affine(&ws, b->acc, qx, qxs, qy, qys, d < 0, m);
        else
            bn254x_batch_add_affine(&ws, b->acc, 1, b->acc, 1, qx, qxs, qy, qys, d < 0, m);
        return;
    }
    for (size_t i = 0; i < m; i++) {
        b->acc[i].x = qx[i * qxs];
        b->acc[i].y = qy[i * qys];
        if (d < 0) bn254x_neg(&b->acc[i].y, &b->acc[i].y);
    }
    *started = 1;
}

static void bv_point_slow(const bv_ctx *c, size_t i) {
    bn254_g1 p, r;
    bn254x_g1_from_affine(&p, &c->in[i]);
    bn254_g1_mul_var(&r, &p, c->k);
    bn254_g1_to_affine_var(&c->out[i], &r);
}

static void bv_chunk(bv_ctx *c, bv_block *b, size_t begin, size_t end) {
    const bv_plan *p = c->plan;
    size_t m = 0;
    for (size_t i = begin; i < end; i++)
        if (!bn254x_g1_affine_is_inf(&c->in[i])) b->pos[m++] = i;
    if (m > 0) {
        memset(b->bad, 0, m);
        bv_tables(b, c->in, m);
        bn254x_batch_ws ws = {b->den, b->pre, b->bad, b->t1, b->t2, NULL};
        int started = 0;
        for (int i = p->len - 1; i >= 0; i--) {
            /* the doubling merges into the first addition of the position */
            int dbl = started;
            for (int h = 0; h < 2; h++) {
                if (p->d[h][i] == 0) continue;
                bv_digit(b, h, p->d[h][i], dbl, &started, m);
                dbl = 0;
            }
            if (dbl) bn254x_batch_dbl_affine(&ws, b->acc, b->acc, m);
        }
    }
    /* write out after all reads (in place is fine) */
    size_t j = 0;
    for (size_t i = begin; i < end; i++) {
        if (j < m && b->pos[j] == i) {
            if (b->bad[j]) {
                bv_point_slow(c, i);
                atomic_fetch_add(&c->nslow, 1);
            } else
                c->out[i] = b->acc[j];
            j++;
        } else {
            memset(&c->out[i], 0, sizeof c->out[i]);
        }
    }
}

static int bv_worker(void *ctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    bv_ctx *c = ctx;
    bv_block *b = malloc(sizeof *b);
    for (size_t s = begin; s < end; s += BV_BLOCK) {
        size_t e = s + BV_BLOCK < end ? s + BV_BLOCK : end;
        if (b != NULL) {
            bv_chunk(c, b, s, e);
            continue;
        }
        /* no memory for a block: one point at a time */
        for (size_t i = s; i < e; i++) {
            if (bn254x_g1_affine_is_inf(&c->in[i]))
                memset(&c->out[i], 0, sizeof c->out[i]);
            else
                bv_point_slow(c, i);
        }
    }
    free(b);
    return 0;
}

static size_t bv_run(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const bv_plan *plan,
                     const uint64_t kr[4], int threads) {
    bv_ctx c = {out, in, plan, kr, 0};
    ns_parallel_for(threads, n, BV_BLOCK, bv_worker, &c);
    return atomic_load(&c.nslow);
}

size_t bn254_g1_batch_mul_var(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const uint64_t k[4],
                              int threads) {
    uint64_t kr[4];
    bv_plan plan;
    bn254x_reduce_r(kr, k);
    if ((kr[0] | kr[1] | kr[2] | kr[3]) == 0) { /* k = 0 mod r: everything is infinity */
        memset(out, 0, n * sizeof *out);
        return 0;
    }
    bv_plan_make(&plan, kr);
    return bv_run(out, in, n, &plan, kr, threads);
}

size_t bn254x_g1_batch_mul_digits(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const int8_t *d1,
                                  const int8_t *d2, int len, const uint64_t k[4], int threads) {
    bv_plan plan;
    uint64_t kr[4];
    if (len < 1 || len > BV_DIGITS || (d1[len - 1] == 0 && d2[len - 1] == 0)) return (size_t)-1;
    for (int i = 0; i < len; i++)
        if ((d1[i] != 0 && (d1[i] % 2 == 0 || d1[i] > 15 || d1[i] < -15)) ||
            (d2[i] != 0 && (d2[i] % 2 == 0 || d2[i] > 15 || d2[i] < -15)))
            return (size_t)-1;
    memset(&plan, 0, sizeof plan);
    plan.len = len;
    memcpy(plan.d[0], d1, (size_t)len);
    memcpy(plan.d[1], d2, (size_t)len);
    bn254x_reduce_r(kr, k);
    return bv_run(out, in, n, &plan, kr, threads);
}

size_t bn254_g1_batch_mul_fr_var(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const bn254_fr *k,
                                 int threads) {
    uint64_t kc[4];
    bn254x_fr_canonical(kc, k->l);
    return bn254_g1_batch_mul_var(out, in, n, kc, threads);
}
