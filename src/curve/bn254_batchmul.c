#include "curve/bn254_batchmul.h"

#include <stdlib.h>
#include <string.h>

#include "curve/bn254_affine_batch.h"
#include "curve/bn254_ctmul.h"
#include "curve/bn254_fast.h"
#include "curve/bn254_glv.h"
#include "util/parallel.h"
#include "util/wipe.h"

/* Under valgrind (tests/compat/ctime.test.sh) the scalar is marked
 * undefined; the single public decision below (is the scalar one of the 128
 * exceptional ones) is declassified so that memcheck does not report it. */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define BM_DECLASSIFY(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#endif
#endif
#ifndef BM_DECLASSIFY
#define BM_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

#define BM_TAB 16    /* odd multiples 1P, 3P, ..., 31P */
#define BM_DIGITS 26 /* per GLV half (< 2^128): 25 signed 5-bit windows + a top digit */
#define BM_CHUNK 2048 /* points per chunk (one inversion per chunk and step) */

typedef struct {
    uint64_t idx[2][BM_DIGITS]; /* table index, 0..15 */
    uint64_t neg[2][BM_DIGITS]; /* all-ones: subtract (digit sign xor half sign) */
    uint64_t skew[2];           /* all-ones: the recoded value was even, 1 added */
    uint64_t sign[2];           /* all-ones: k_i < 0 */
    uint64_t low2;              /* all-ones: |k2| is odd (half 2 recodes |k2| >> 1) */
} bm_recoding;

static uint64_t bm_eq_mask(uint64_t a, uint64_t b) {
    uint64_t x = a ^ b;
    return ((x | (0 - x)) >> 63) - 1;
}

/* Bits [start, start+len) of a 256-bit integer; positions are public. */
static uint64_t bm_bits(const uint64_t k[4], int start, int len) {
    int li = start / 64, sh = start % 64;
    uint64_t v = k[li] >> sh;
    if (sh + len > 64 && li + 1 < 4) v |= k[li + 1] << (64 - sh);
    return v & (((uint64_t)1 << len) - 1);
}

/* Recodes one half: odd o = |k| (+1 if even) as sum of odd digits d_j 32^j. */
static void bm_recode_half(bm_recoding *rc, int h, uint64_t k[4]) {
    uint64_t even = (k[0] & 1) - 1;
    rc->skew[h] = even;
    k[0] |= 1; /* k even: k + 1 */
    for (int i = 0; i < BM_DIGITS - 1; i++) {
        uint64_t v = bm_bits(k, 5 * i + 1, 5);
        uint64_t top = (v >> 4) & 1;
        rc->idx[h][i] = (v & 15) ^ (15 & (top - 1));
        rc->neg[h][i] = (top - 1) ^ rc->sign[h];
    }
    rc->idx[h][BM_DIGITS - 1] = bm_bits(k, 5 * (BM_DIGITS - 1) + 1, 3);
    rc->neg[h][BM_DIGITS - 1] = rc->sign[h];
}

/* GLV split of k (reduced mod r) and recoding of both halves: |k1| as it
 * is, |k2| = 2 h + low2 as h, so that the chain can add half 2's digits one
 * doubling before half 1's (both additions then merge with a doubling). */
static void bm_recode(bm_recoding *rc, const uint64_t k[4]) {
    uint64_t k1[4], k2[4];
    bn254x_glv_split(k1, k2, rc->sign, k);
    bm_recode_half(rc, 0, k1);
    rc->low2 = 0 - (k2[0] & 1);
    for (int i = 0; i < 3; i++) k2[i] = (k2[i] >> 1) | (k2[i + 1] << 63);
    k2[3] >>= 1;
    bm_recode_half(rc, 1, k2);
    ns_wipe(k1, sizeof k1);
    ns_wipe(k2, sizeof k2);
}

/* Constant-time (in idx) read of tab[idx] from a table of BM_TAB entries. */
static void bm_lookup(bn254_g1_affine *r, const bn254_g1_affine *tab, uint64_t idx) {
    bn254_g1_affine t = tab[0];
    for (uint64_t i = 1; i < BM_TAB; i++) {
        uint64_t m = bm_eq_mask(i, idx);
        bn254x_cmov(&t.x, &tab[i].x, m);
        bn254x_cmov(&t.y, &tab[i].y, m);
    }
    *r = t;
}

typedef struct {
    bn254_g1_affine *out;
    const bn254_g1_affine *in;
    const bm_recoding *rc;
    const uint64_t *k; /* reduced scalar, for the exceptional path */
    void **blk;        /* per thread: its bm_block, made on first use */
} bm_ctx;

/* Per-chunk workspace (heap, about 2.7 MiB at 2048 points). */
typedef struct {
    bn254_g1_affine tab[BM_CHUNK * BM_TAB]; /* odd multiples of point j at [j * BM_TAB] */
    bn254_g1_affine acc[BM_CHUNK];          /* the accumulators; first the input points */
    bn254_g1_affine sel[BM_CHUNK];          /* the entries selected at this step */
    bn254_g1_affine p2[BM_CHUNK];           /* 2 P of each point */
    bn254_fq den[BM_CHUNK], pre[BM_CHUNK], t1[BM_CHUNK], t2[BM_CHUNK];
    unsigned char tbad[BM_CHUNK];
    size_t pos[BM_CHUNK];
} bm_block;

/* sel[j] = +-(entry idx of point j's table), times phi (x scaled by beta)
 * when beta != NULL; idx and neg secret, masks only. */
static void bm_select(bn254_g1_affine *sel, const bn254_g1_affine *tab, size_t m, uint64_t idx, uint64_t neg,
                      const bn254_fq *beta) {
    bn254_fq ny;
    for (size_t j = 0; j < m; j++) {
        bm_lookup(&sel[j], &tab[j * BM_TAB], idx);
        if (beta != NULL) bn254x_mul(&sel[j].x, &sel[j].x, beta);
        bn254x_neg(&ny, &sel[j].y);
        bn254x_cmov(&sel[j].y, &ny, neg);
    }
}

/* One chunk (<= BM_CHUNK points) on the fast path: the same window chain
 * for every point (the scalar is shared), all in affine coordinates with one
 * shared constant-time inversion per chunk and step (Montgomery's trick).
 * Half 2's digits enter one doubling before half 1's, so both additions
 * merge with a doubling (2A + S computed as (A + S) + A): per window 3
 * doublings (5M + 2S) and two 2A + S (9M + 2S), against 5 Jacobian doublings
 * (3M + 4S) and 2 mixed additions (8M + 3S) before.  Returns all-ones if any
 * addition met an exceptional case (a zero denominator: it depends on the
 * scalar only); then the caller recomputes. */
static uint64_t bm_chunk_fast(const bm_ctx *c, bm_block *bk, size_t begin, size_t end) {
    bn254_g1_affine *tab = bk->tab, *acc = bk->acc, *sel = bk->sel;
    size_t *pos = bk->pos;
    size_t m = 0;
    uint64_t bad = 0, sbad = 0;
    /* public: which inputs are infinity */
    for (size_t i = begin; i < end; i++)
        if (!bn254x_g1_affine_is_inf(&c->in[i])) pos[m++] = i;
    if (m == 0) {
        memset(&c->out[begin], 0, (end - begin) * sizeof c->out[0]);
        return 0;
    }
    /* Tables of the odd multiples 1P..31P: public points, no secret yet, so
     * variable-time batched affine arithmetic.  Never exceptional for valid
     * inputs; tbad would only flag invalid ones, which then take the
     * complete-formula path. */
    {
        bn254x_batch_ws ws = {bk->den, bk->pre, bk->tbad, NULL, NULL, NULL};
        memset(bk->tbad, 0, m);
        for (size_t j = 0; j < m; j++) acc[j] = c->in[pos[j]];
        bn254x_batch_odd_multiples(&ws, tab, BM_TAB, acc, m);
        for (size_t j = 0; j < m; j++)
            if (bk->tbad[j]) return ~(uint64_t)0;
        memcpy(bk->p2, acc, m * sizeof acc[0]); /* 2 P, for the final correction */
    }
    /* From here on every value depends on the secret scalar. */
    const bm_recoding *rc = c->rc;
    bn254x_batch_ws ws = {bk->den, bk->pre, NULL, bk->t1, bk->t2, &bad};
    const bn254_fq *sx = &sel[0].x, *sy = &sel[0].y;
    bn254_fq beta;
    bn254x_glv_beta(&beta);
    /* top digits: 2 S2 + S1 */
    bm_select(acc, tab, m, rc->idx[1][BM_DIGITS - 1], rc->neg[1][BM_DIGITS - 1], &beta);
    bm_select(sel, tab, m, rc->idx[0][BM_DIGITS - 1], rc->neg[0][BM_DIGITS - 1], NULL);
    bn254x_batch_dbl_add_affine(&ws, acc, sx, 2, sy, 2, 0, m);
    /* each window: A <- 32 A + 2 S2 + S1 = 2 (2 (8 A) + S2) + S1 */
    for (int i = BM_DIGITS - 2; i >= 0; i--) {
        for (int d = 0; d < 3; d++) bn254x_batch_dbl_affine(&ws, acc, acc, m);
        bm_select(sel, tab, m, rc->idx[1][i], rc->neg[1][i], &beta);
        bn254x_batch_dbl_add_affine(&ws, acc, sx, 2, sy, 2, 0, m);
        bm_select(sel, tab, m, rc->idx[0][i], rc->neg[0][i], NULL);
        bn254x_batch_dbl_add_affine(&ws, acc, sx, 2, sy, 2, 0, m);
    }
    /* The chain computed sign1 o1 P + sign2 2 o2 phi(P) with o_i the odd
     * recoded values: o1 = |k1| + skew1, o2 = h + skew2, |k2| = 2 h + low2.
     * Corrections: - sign1 P if skew1; sign2 (low2 - 2 skew2) phi(P), i.e.
     * +-phi(P) or -+2 phi(P), if low2 or skew2.  The sum goes to sel and is
     * kept where the correction applies. */
    for (int h = 0; h < 2; h++) {
        uint64_t b2 = 0, apply, two = 0, neg;
        ws.ct_bad = &b2;
        if (h == 0) {
            apply = rc->skew[0];
            neg = ~rc->sign[0];
        } else {
            apply = rc->skew[1] | rc->low2;
            two = rc->skew[1] & ~rc->low2;
            neg = rc->sign[1] ^ rc->skew[1];
        }
        for (size_t j = 0; j < m; j++) {
            bn254_fq ny;
            sel[j] = tab[j * BM_TAB];
            bn254x_cmov(&sel[j].x, &bk->p2[j].x, two);
            bn254x_cmov(&sel[j].y, &bk->p2[j].y, two);
            if (h == 1) bn254x_mul(&sel[j].x, &sel[j].x, &beta);
            bn254x_neg(&ny, &sel[j].y);
            bn254x_cmov(&sel[j].y, &ny, neg);
        }
        bn254x_batch_add_affine(&ws, sel, 1, acc, 1, sx, 2, sy, 2, 0, m);
        for (size_t j = 0; j < m; j++) {
            bn254x_cmov(&acc[j].x, &sel[j].x, apply);
            bn254x_cmov(&acc[j].y, &sel[j].y, apply);
        }
        sbad |= b2 & apply;
    }
    bad |= sbad;
    /* write out (after all reads: in-place is fine) */
    size_t j = 0;
    for (size_t i = begin; i < end; i++) {
        if (j < m && pos[j] == i) {
            c->out[i] = acc[j++];
        } else {
            memset(&c->out[i], 0, sizeof c->out[i]);
        }
    }
    return bad;
}

static void bm_chunk_slow(const bm_ctx *c, size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
        if (bn254x_g1_affine_is_inf(&c->in[i])) {
            memset(&c->out[i], 0, sizeof c->out[i]);
            continue;
        }
        bn254_g1 p, r;
        bn254x_g1_from_affine(&p, &c->in[i]);
        bn254_g1_mul(&r, &p, c->k);
        bn254_g1_to_affine(&c->out[i], &r); /* constant time; infinity -> (0, 0) */
        ns_wipe(&r, sizeof r);
    }
}

static int bm_worker(void *ctx, size_t begin, size_t end, int thread_index) {
    const bm_ctx *c = ctx;
    /* one workspace per thread for the whole call (wiped at the end) */
    if (c->blk[thread_index] == NULL) c->blk[thread_index] = malloc(sizeof(bm_block));
    bm_block *bk = c->blk[thread_index];
    for (size_t b = begin; b < end; b += BM_CHUNK) {
        size_t e = b + BM_CHUNK < end ? b + BM_CHUNK : end;
        /* no memory for the workspace: the complete-formula path */
        uint64_t bad = bk != NULL ? bm_chunk_fast(c, bk, b, e) : ~(uint64_t)0;
        /* An exceptional case depends only on the scalar (points are in a
         * prime-order group), and only a negligible set of scalars (near
         * small combinations of 1 and lambda) reaches one; revealing that
         * this happened is the only declassification. */
        BM_DECLASSIFY(&bad, sizeof bad);
        if (bad) bm_chunk_slow(c, b, e);
    }
    return 0;
}

void bn254_g1_batch_mul(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const uint64_t k[4],
                        int threads) {
    bm_recoding rc;
    uint64_t kr[4];
    bn254x_reduce_r(kr, k);
    bm_recode(&rc, kr);
    if (threads <= 0) threads = ns_cpu_count();
    void **blk = calloc((size_t)threads, sizeof *blk);
    bm_ctx c = {out, in, &rc, kr, blk};
    if (blk == NULL) {
        bm_chunk_slow(&c, 0, n); /* no memory: the complete-formula path */
    } else {
        ns_parallel_for(threads, n, BM_CHUNK, bm_worker, &c);
        for (int t = 0; t < threads; t++) {
            if (blk[t] == NULL) continue;
            ns_wipe(blk[t], sizeof(bm_block));
            free(blk[t]);
        }
        free(blk);
    }
    ns_wipe(&rc, sizeof rc);
    ns_wipe(kr, sizeof kr);
}

void bn254_g1_batch_mul_fr(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const bn254_fr *k,
                           int threads) {
    uint64_t kc[4];
    bn254x_fr_canonical(kc, k->l);
    bn254_g1_batch_mul(out, in, n, kc, threads);
    ns_wipe(kc, sizeof kc);
}

typedef struct {
    bn254_g2_affine *out;
    const bn254_g2_affine *in;
    const uint64_t *k;
} bm_g2_ctx;

#define BM_G2_CHUNK 16

static int bm_g2_worker(void *ctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    const bm_g2_ctx *c = ctx;
    for (size_t i = begin; i < end; i++) {
        if (bn254_g2_affine_is_infinity(&c->in[i])) {
            memset(&c->out[i], 0, sizeof c->out[i]);
            continue;
        }
        bn254_g2 p, r;
        bn254_g2_from_affine(&p, &c->in[i]);
        bn254_g2_mul(&r, &p, c->k);
        bn254_g2_to_affine(&c->out[i], &r); /* constant-time inversion */
        ns_wipe(&r, sizeof r);
    }
    return 0;
}

void bn254_g2_batch_mul(bn254_g2_affine *out, const bn254_g2_affine *in, size_t n, const uint64_t k[4],
                        int threads) {
    uint64_t kr[4];
    bn254x_reduce_r(kr, k);
    bm_g2_ctx c = {out, in, kr};
    ns_parallel_for(threads, n, 4 * BM_G2_CHUNK, bm_g2_worker, &c);
    ns_wipe(kr, sizeof kr);
}

void bn254_g2_batch_mul_fr(bn254_g2_affine *out, const bn254_g2_affine *in, size_t n, const bn254_fr *k,
                           int threads) {
    uint64_t kc[4];
    bn254x_fr_canonical(kc, k->l);
    bn254_g2_batch_mul(out, in, n, kc, threads);
    ns_wipe(kc, sizeof kc);
}
