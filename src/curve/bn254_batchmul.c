#include "curve/bn254_batchmul.h"

#include <string.h>

#include "curve/bn254_ctmul.h"
#include "curve/bn254_fast.h"
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
#define BM_DIGITS 51 /* 50 signed 5-bit windows + a top digit */
#define BM_CHUNK 32  /* points per chunk (one inversion per chunk and stage) */

typedef struct {
    uint64_t idx[BM_DIGITS]; /* table index, 0..15 */
    uint64_t neg[BM_DIGITS]; /* all-ones: subtract instead of add */
    uint64_t negall;         /* all-ones: negate the result */
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

/* k mod r (k < 2^256 < 6r), constant time. */
static void bm_reduce(uint64_t out[4], const uint64_t k[4]) {
    uint64_t t[4] = {k[0], k[1], k[2], k[3]};
    for (int i = 0; i < 5; i++) bn254x_reduce_once(t, t, BN254X_R);
    memcpy(out, t, sizeof t);
    ns_wipe(t, sizeof t);
}

/* Recodes k (reduced) as sum of odd digits d_i * 32^i.  Even k is replaced
 * by the odd r - k and the result negated.  Returns all-ones when the odd
 * scalar lies in (r - 64, r], where the incomplete formulas of the fast path
 * could meet a doubling or infinity. */
static uint64_t bm_recode(bm_recoding *rc, const uint64_t k[4]) {
    uint64_t rk[4], kodd[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        bn254x_u128 d = (bn254x_u128)BN254X_R[i] - k[i] - borrow;
        rk[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t even = (k[0] & 1) - 1;
    for (int i = 0; i < 4; i++) kodd[i] = (k[i] & ~even) | (rk[i] & even);
    rc->negall = even;
    /* exceptional iff kodd > r - 64 */
    static const uint64_t lim[4] = {0x43e1f593efffffc1ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                    0x30644e72e131a029ULL};
    borrow = 0;
    for (int i = 0; i < 4; i++) {
        bn254x_u128 d = (bn254x_u128)lim[i] - kodd[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    for (int i = 0; i < BM_DIGITS - 1; i++) {
        uint64_t v = bm_bits(kodd, 5 * i + 1, 5);
        uint64_t top = (v >> 4) & 1;
        rc->idx[i] = (v & 15) ^ (15 & (top - 1));
        rc->neg[i] = top - 1;
    }
    rc->idx[BM_DIGITS - 1] = bm_bits(kodd, 5 * (BM_DIGITS - 1) + 1, 3);
    rc->neg[BM_DIGITS - 1] = 0;
    ns_wipe(rk, sizeof rk);
    ns_wipe(kodd, sizeof kodd);
    return (uint64_t)0 - borrow;
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
    int exceptional;
} bm_ctx;

/* One chunk (<= BM_CHUNK points) on the fast path. */
static void bm_chunk_fast(const bm_ctx *c, size_t begin, size_t end) {
    bn254_g1 jac[BM_CHUNK * BM_TAB];
    bn254_g1_affine tab[BM_CHUNK * BM_TAB];
    bn254_fq scratch[BM_CHUNK * BM_TAB];
    bn254_g1_affine p2[BM_CHUNK];
    size_t pos[BM_CHUNK];
    size_t m = 0;
    /* public: which inputs are infinity */
    for (size_t i = begin; i < end; i++)
        if (!bn254x_g1_affine_is_inf(&c->in[i])) pos[m++] = i;
    if (m == 0) {
        memset(&c->out[begin], 0, (end - begin) * sizeof c->out[0]);
        return;
    }
    /* 2P for every point, then affine */
    for (size_t j = 0; j < m; j++) {
        bn254x_g1_from_affine(&jac[j], &c->in[pos[j]]);
        bn254x_g1_dbl(&jac[j], &jac[j]);
    }
    bm_batch_affine(p2, jac, m, scratch);
    /* odd multiples: T0 = P, T_i = T_{i-1} + 2P (never exceptional: r is a
     * large prime) */
    for (size_t j = 0; j < m; j++) {
        bn254_g1 *t = &jac[j * BM_TAB];
        bn254x_g1_from_affine(&t[0], &c->in[pos[j]]);
        for (int i = 1; i < BM_TAB; i++) bn254x_g1_madd_raw(&t[i], &t[i - 1], &p2[j], NULL, NULL);
    }
    bm_batch_affine(tab, jac, m * BM_TAB, scratch);
    /* the fixed-window chain, per point */
    const bm_recoding *rc = c->rc;
    for (size_t j = 0; j < m; j++) {
        const bn254_g1_affine *t = &tab[j * BM_TAB];
        bn254_g1_affine s;
        bn254_g1 acc;
        bm_lookup(&s, t, rc->idx[BM_DIGITS - 1]);
        bn254x_g1_from_affine(&acc, &s);
        for (int i = BM_DIGITS - 2; i >= 0; i--) {
            bn254x_g1_dbl(&acc, &acc);
            bn254x_g1_dbl(&acc, &acc);
            bn254x_g1_dbl(&acc, &acc);
            bn254x_g1_dbl(&acc, &acc);
            bn254x_g1_dbl(&acc, &acc);
            bm_lookup(&s, t, rc->idx[i]);
            bn254_fq ny;
            bn254x_neg(&ny, &s.y);
            bn254x_cmov(&s.y, &ny, rc->neg[i]);
            bn254x_g1_madd_raw(&acc, &acc, &s, NULL, NULL);
        }
        bn254_fq ny;
        bn254x_neg(&ny, &acc.y);
        bn254x_cmov(&acc.y, &ny, rc->negall);
        jac[j] = acc;
        ns_wipe(&s, sizeof s);
        ns_wipe(&acc, sizeof acc);
    }
    bm_batch_affine(tab, jac, m, scratch);
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
    ns_wipe(scratch, sizeof scratch);
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
    for (size_t b = begin; b < end; b += BM_CHUNK) {
        size_t e = b + BM_CHUNK < end ? b + BM_CHUNK : end;
        if (c->exceptional)
            bm_chunk_slow(c, b, e);
        else
            bm_chunk_fast(c, b, e);
    }
    return 0;
}

void bn254_g1_batch_mul(bn254_g1_affine *out, const bn254_g1_affine *in, size_t n, const uint64_t k[4],
                        int threads) {
    bm_recoding rc;
    uint64_t kr[4];
    bm_reduce(kr, k);
    uint64_t exc = bm_recode(&rc, kr);
    BM_DECLASSIFY(&exc, sizeof exc);
    bm_ctx c = {out, in, &rc, kr, exc != 0};
    size_t grain = 4 * BM_CHUNK;
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
    bm_reduce(kr, k);
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
