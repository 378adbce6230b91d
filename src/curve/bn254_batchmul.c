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
#define BM_CHUNK 256 /* points per chunk (one inversion per chunk and table step) */

typedef struct {
    uint64_t idx[2][BM_DIGITS]; /* table index, 0..15 */
    uint64_t neg[2][BM_DIGITS]; /* all-ones: subtract (digit sign xor half sign) */
    uint64_t skew[2];           /* all-ones: |k_i| was even, 1 added; subtract once at the end */
    uint64_t sign[2];           /* all-ones: k_i < 0 */
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

/* GLV split of k (reduced mod r) and recoding of both halves. */
static void bm_recode(bm_recoding *rc, const uint64_t k[4]) {
    uint64_t k1[4], k2[4];
    bn254x_glv_split(k1, k2, rc->sign, k);
    bm_recode_half(rc, 0, k1);
    bm_recode_half(rc, 1, k2);
    ns_wipe(k1, sizeof k1);
    ns_wipe(k2, sizeof k2);
}

/* out[i] = affine(in[i]) with one inversion; Z = 0 gives (0, 0).  Branch-free
 * in the values.  scratch: n elements. */
static void bm_batch_affine(bn254_g1_affine *out, const bn254_g1 *in, size_t n, bn254_fq *scratch) {
    bn254_fq acc, one, z, inv, t, zi, zi2;
    bn254x_one(&one);
    acc = one;
    for (size_t i = 0; i < n; i++) {
        z = in[i].z;
        bn254x_cmov(&z, &one, bn254x_is_zero_mask(&in[i].z));
        scratch[i] = acc;
        bn254x_mul(&acc, &acc, &z);
    }
    bn254x_inv(&inv, &acc);
    for (size_t i = n; i-- > 0;) {
        uint64_t zm = bn254x_is_zero_mask(&in[i].z);
        z = in[i].z;
        bn254x_cmov(&z, &one, zm);
        bn254x_mul(&zi, &inv, &scratch[i]);
        bn254x_mul(&inv, &inv, &z);
        bn254x_sqr(&zi2, &zi);
        bn254x_mul(&t, &in[i].x, &zi2);
        bn254x_mul(&zi2, &zi2, &zi);
        bn254x_mul(&out[i].y, &in[i].y, &zi2);
        out[i].x = t;
        for (int j = 0; j < 4; j++) {
            out[i].x.l[j] &= ~zm;
            out[i].y.l[j] &= ~zm;
        }
    }
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
} bm_ctx;

/* The window chain runs BM_LANES points side by side: every field
 * operation of the doubling and the mixed addition is issued for all lanes
 * before the next one, so the independent products overlap in the
 * pipeline (each product alone is a serial carry chain). */
#define BM_LANES 4

/* acc[l] = 2 acc[l], a = 0, 3M + 4S with 10 additions (dbl-2009-l has
 * 2M + 5S and 14; measured in this 4-lane loop it was slower, 42.4 against
 * 39 us per point, the extra additions cost more than a product saves over
 * a squaring): B' = 2Y^2, D = 4XY^2 = 2 X B', 8Y^4 = 2 B'^2, E = 3X^2,
 * X3 = E^2 - 2D, Y3 = E (D - X3) - 8Y^4, Z3 = 2YZ.  Same point as
 * bn254x_g1_dbl; infinity (Z = 0) stays infinity. */
static void bm_dbl_lanes(bn254_g1 *acc) {
    bn254_fq a[BM_LANES], b[BM_LANES], c[BM_LANES], d[BM_LANES], e[BM_LANES], f[BM_LANES], t[BM_LANES];
    int l;
#define BM_EACH for (l = 0; l < BM_LANES; l++)
    BM_EACH bn254x_sqr(&a[l], &acc[l].x);
    BM_EACH bn254x_sqr(&b[l], &acc[l].y);
    BM_EACH bn254x_dbl(&b[l], &b[l]);
    BM_EACH bn254x_mul(&d[l], &acc[l].x, &b[l]);
    BM_EACH bn254x_sqr(&c[l], &b[l]);
    BM_EACH bn254x_dbl(&c[l], &c[l]);
    BM_EACH bn254x_dbl(&d[l], &d[l]);
    BM_EACH bn254x_dbl(&e[l], &a[l]);
    BM_EACH bn254x_add(&e[l], &e[l], &a[l]);
    BM_EACH bn254x_sqr(&f[l], &e[l]);
    BM_EACH bn254x_mul(&t[l], &acc[l].y, &acc[l].z);
    BM_EACH bn254x_dbl(&acc[l].z, &t[l]);
    BM_EACH bn254x_dbl(&t[l], &d[l]);
    BM_EACH bn254x_sub(&acc[l].x, &f[l], &t[l]);
    BM_EACH bn254x_sub(&t[l], &d[l], &acc[l].x);
    BM_EACH bn254x_mul(&t[l], &e[l], &t[l]);
    BM_EACH bn254x_sub(&acc[l].y, &t[l], &c[l]);
}

/* acc[l] += q[l] (madd-2004-hmv, as bn254x_g1_madd_raw); ORs H == 0 of
 * every lane into *bad. */
static void bm_madd_lanes(bn254_g1 *acc, const bn254_g1_affine *q, uint64_t *bad) {
    bn254_fq z1z1[BM_LANES], u2[BM_LANES], s2[BM_LANES], h[BM_LANES], hh[BM_LANES], hhh[BM_LANES],
        rr[BM_LANES], v[BM_LANES], t[BM_LANES];
    int l;
    BM_EACH bn254x_sqr(&z1z1[l], &acc[l].z);
    BM_EACH bn254x_mul(&u2[l], &q[l].x, &z1z1[l]);
    BM_EACH bn254x_mul(&s2[l], &q[l].y, &acc[l].z);
    BM_EACH bn254x_mul(&s2[l], &s2[l], &z1z1[l]);
    BM_EACH bn254x_sub(&h[l], &u2[l], &acc[l].x);
    BM_EACH bn254x_sub(&rr[l], &s2[l], &acc[l].y);
    BM_EACH *bad |= bn254x_is_zero_mask(&h[l]);
    BM_EACH bn254x_sqr(&hh[l], &h[l]);
    BM_EACH bn254x_mul(&hhh[l], &h[l], &hh[l]);
    BM_EACH bn254x_mul(&v[l], &acc[l].x, &hh[l]);
    BM_EACH bn254x_mul(&s2[l], &acc[l].y, &hhh[l]);
    BM_EACH bn254x_mul(&acc[l].z, &acc[l].z, &h[l]);
    BM_EACH bn254x_sqr(&t[l], &rr[l]);
    BM_EACH bn254x_sub(&t[l], &t[l], &hhh[l]);
    BM_EACH bn254x_dbl(&u2[l], &v[l]);
    BM_EACH bn254x_sub(&acc[l].x, &t[l], &u2[l]);
    BM_EACH bn254x_sub(&t[l], &v[l], &acc[l].x);
    BM_EACH bn254x_mul(&t[l], &rr[l], &t[l]);
    BM_EACH bn254x_sub(&acc[l].y, &t[l], &s2[l]);
#undef BM_EACH
}

/* Masked lookup in each lane's table, conditional negation, then the
 * lane-parallel mixed addition.  s: BM_LANES entries of scratch for the
 * selected points (the caller wipes it once, not at every step). */
static void bm_step_lanes(bn254_g1 *acc, const bn254_g1_affine *const *tab, uint64_t idx, uint64_t neg,
                          uint64_t *bad, bn254_g1_affine *s) {
    bn254_fq ny;
    for (int l = 0; l < BM_LANES; l++) {
        bm_lookup(&s[l], tab[l], idx);
        bn254x_neg(&ny, &s[l].y);
        bn254x_cmov(&s[l].y, &ny, neg);
    }
    bm_madd_lanes(acc, s, bad);
}

/* Per-chunk workspace (heap, about 330 KiB). */
typedef struct {
    bn254_g1_affine tab[BM_CHUNK * BM_TAB]; /* odd multiples of point j at [j * BM_TAB] */
    bn254_g1_affine pts[BM_CHUNK];
    bn254_g1 jac[BM_CHUNK];
    bn254_fq den[BM_CHUNK], pre[BM_CHUNK];
    unsigned char tbad[BM_CHUNK];
    size_t pos[BM_CHUNK];
} bm_block;

/* One chunk (<= BM_CHUNK points) on the fast path.  Returns all-ones if any
 * addition met an exceptional case (then the caller recomputes). */
static uint64_t bm_chunk_fast(const bm_ctx *c, bm_block *bk, size_t begin, size_t end) {
    bn254_g1_affine tab2[BM_LANES][BM_TAB], sel[BM_LANES];
    bn254_g1_affine *tab = bk->tab;
    bn254_g1 *jac = bk->jac;
    size_t *pos = bk->pos;
    size_t m = 0;
    uint64_t bad = 0;
    /* public: which inputs are infinity */
    for (size_t i = begin; i < end; i++)
        if (!bn254x_g1_affine_is_inf(&c->in[i])) pos[m++] = i;
    if (m == 0) {
        memset(&c->out[begin], 0, (end - begin) * sizeof c->out[0]);
        return 0;
    }
    /* Tables of the odd multiples 1P..31P: public points, no secret yet, so
     * variable-time batched affine arithmetic (one inversion per step for
     * the whole chunk).  Never exceptional for valid inputs; tbad would only
     * flag invalid ones, which then take the complete-formula path. */
    {
        bn254x_batch_ws ws = {bk->den, bk->pre, bk->tbad, NULL, NULL};
        memset(bk->tbad, 0, m);
        for (size_t j = 0; j < m; j++) bk->pts[j] = c->in[pos[j]];
        bn254x_batch_odd_multiples(&ws, tab, BM_TAB, bk->pts, m);
        for (size_t j = 0; j < m; j++)
            if (bk->tbad[j]) return ~(uint64_t)0;
    }
    /* the fixed-window chain, per point, on k1 P + k2 phi(P) */
    const bm_recoding *rc = c->rc;
    bn254_fq beta;
    bn254x_glv_beta(&beta);
    for (size_t j = 0; j < m; j += BM_LANES) {
        /* lanes past the last point repeat point j (public count) */
        size_t nl = m - j < BM_LANES ? m - j : BM_LANES;
        const bn254_g1_affine *t[BM_LANES], *t2[BM_LANES];
        bn254_g1 acc[BM_LANES];
        for (int l = 0; l < BM_LANES; l++) {
            size_t jl = j + ((size_t)l < nl ? (size_t)l : 0);
            t[l] = &tab[jl * BM_TAB];
            t2[l] = tab2[l];
            for (int i = 0; i < BM_TAB; i++) {
                bn254x_mul(&tab2[l][i].x, &t[l][i].x, &beta);
                tab2[l][i].y = t[l][i].y;
            }
            bn254_g1_affine s;
            bn254_fq ny;
            bm_lookup(&s, t[l], rc->idx[0][BM_DIGITS - 1]);
            bn254x_neg(&ny, &s.y);
            bn254x_cmov(&s.y, &ny, rc->neg[0][BM_DIGITS - 1]);
            bn254x_g1_from_affine(&acc[l], &s);
            ns_wipe(&s, sizeof s);
        }
        bm_step_lanes(acc, t2, rc->idx[1][BM_DIGITS - 1], rc->neg[1][BM_DIGITS - 1], &bad, sel);
        for (int i = BM_DIGITS - 2; i >= 0; i--) {
            for (int d = 0; d < 5; d++) bm_dbl_lanes(acc);
            bm_step_lanes(acc, t, rc->idx[0][i], rc->neg[0][i], &bad, sel);
            bm_step_lanes(acc, t2, rc->idx[1][i], rc->neg[1][i], &bad, sel);
        }
        /* skew: subtract sign_h * (P or phi(P)) where the half was even */
        for (int h = 0; h < 2; h++) {
            bn254_g1 corr[BM_LANES];
            uint64_t b2 = 0;
            memcpy(corr, acc, sizeof corr);
            bm_step_lanes(corr, h == 0 ? t : t2, 0, ~rc->sign[h], &b2, sel);
            for (int l = 0; l < BM_LANES; l++) bn254x_g1_cmov(&acc[l], &corr[l], rc->skew[h]);
            bad |= b2 & rc->skew[h];
            ns_wipe(corr, sizeof corr);
        }
        for (size_t l = 0; l < nl; l++) jac[j + l] = acc[l];
        ns_wipe(acc, sizeof acc);
    }
    ns_wipe(tab2, sizeof tab2);
    ns_wipe(sel, sizeof sel);
    bm_batch_affine(tab, jac, m, bk->den);
    /* write out (after all reads: in-place is fine) */
    size_t j = 0;
    for (size_t i = begin; i < end; i++) {
        if (j < m && pos[j] == i) {
            c->out[i] = tab[j++];
        } else {
            memset(&c->out[i], 0, sizeof c->out[i]);
        }
    }
    ns_wipe(jac, m * sizeof jac[0]);
    ns_wipe(tab, m * sizeof tab[0]);
    ns_wipe(bk->den, m * sizeof bk->den[0]);
    return bad;
}

static void bm_chunk_slow(const bm_ctx *c, size_t begin, size_t end) {
    for (size_t i = begin; i < end; i++) {
        if (bn254x_g1_affine_is_inf(&c->in[i])) {
            memset(&c->out[i], 0, sizeof c->out[i]);
            continue;
        }
        bn254_g1 p, r;
        bn254_fq scratch[1];
        bn254x_g1_from_affine(&p, &c->in[i]);
        bn254_g1_mul_ct(&r, &p, c->k);
        bm_batch_affine(&c->out[i], &r, 1, scratch);
        ns_wipe(&r, sizeof r);
    }
}

static int bm_worker(void *ctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    const bm_ctx *c = ctx;
    bm_block *bk = malloc(sizeof *bk);
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
    if (bk != NULL) {
        ns_wipe(bk, sizeof *bk);
        free(bk);
    }
    return 0;
}

void bn254_g1_batch_mul(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const uint64_t k[4],
                        int threads) {
    bm_recoding rc;
    uint64_t kr[4];
    bn254x_reduce_r(kr, k);
    bm_recode(&rc, kr);
    bm_ctx c = {out, in, &rc, kr};
    size_t grain = 2 * BM_CHUNK;
    ns_parallel_for(threads, n, grain, bm_worker, &c);
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
        bn254_g2_mul_ct(&r, &p, c->k);
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
