#include "curve/bn254_msm.h"

#include <stdlib.h>
#include <string.h>

#include "curve/bn254_affine_batch.h"
#include "curve/bn254_fast.h"
#include "util/parallel.h"

#define MSM_BLOCK ((size_t)1 << 20) /* points per block (Fr path converts a block at a time) */

/* ---------------- scalars and digits ---------------- */

/* Bits [start, start+len) of a 256-bit integer, zero beyond bit 255;
 * start >= 0, len <= 32. */
static uint64_t msm_bits(const uint64_t k[4], int start, int len) {
    if (start >= 256) return 0;
    int li = start / 64, sh = start % 64;
    uint64_t v = k[li] >> sh;
    if (sh + len > 64 && li + 1 < 4) v |= k[li + 1] << (64 - sh);
    return v & (((uint64_t)1 << len) - 1);
}

/* Booth digit of window j (c bits): window value + bit (jc - 1), minus 2^c
 * when the window's top bit is set.  Range [-2^(c-1), 2^(c-1)]. */
static int64_t msm_digit(const uint64_t k[4], int j, int c) {
    uint64_t v = j == 0 ? msm_bits(k, 0, c) << 1 : msm_bits(k, j * c - 1, c + 1);
    int64_t d = (int64_t)(v >> 1) + (int64_t)(v & 1);
    if ((v >> c) & 1) d -= (int64_t)1 << c;
    return d;
}

int bn254_msm_window_bits(size_t n) {
    /* cost ~ windows * (n batched affine additions + 2^(c-1) bucket sums);
     * the weight 0.75 was fitted to instruction counts (callgrind) at
     * n = 1000, 4500, 65536 */
    int best = 1;
    double best_cost = 0;
    for (int c = 1; c <= 16; c++) {
        double w = (double)(256 / c + 1);
        double cost = w * ((double)n + 0.75 * (double)((size_t)1 << c));
        if (c == 1 || cost < best_cost) {
            best = c;
            best_cost = cost;
        }
    }
    return best;
}

typedef struct {
    const bn254_g1_affine *pts;
    const uint8_t *bytes; /* LE scalars (stride apart), or NULL */
    size_t stride;
    const uint64_t *canon; /* canonical limbs, 4 per point, or NULL */
    size_t n;
    int c, nwin, nchunks;
    size_t chunk;
    void **buckets;    /* per thread, 2^(c-1) group elements each */
    bn254_g1 *partial; /* [chunk][window] */
} msm_ctx;

/* Bits [start, start+len) of a 256-bit little-endian byte string, zero
 * beyond bit 255; start >= 0, len <= 25: one 4-byte read, not the whole
 * scalar. */
static uint64_t msm_byte_bits(const uint8_t *p, int start, int len) {
    if (start >= 256) return 0;
    int b = start >> 3;
    uint32_t w;
    if (b <= 28) {
        w = (uint32_t)p[b] | (uint32_t)p[b + 1] << 8 | (uint32_t)p[b + 2] << 16 | (uint32_t)p[b + 3] << 24;
    } else {
        w = 0;
        for (int q = 31 - b; q >= 0; q--) w = w << 8 | p[b + q];
    }
    return (w >> (start & 7)) & (((uint64_t)1 << len) - 1);
}

/* msm_digit of scalar i in window j, read straight from the bytes or the
 * canonical limbs. */
static int64_t msm_scalar_digit(const msm_ctx *x, size_t i, int j) {
    int c = x->c;
    if (x->canon) return msm_digit(x->canon + 4 * i, j, c);
    const uint8_t *p = x->bytes + i * x->stride;
    uint64_t v = j == 0 ? msm_byte_bits(p, 0, c) << 1 : msm_byte_bits(p, j * c - 1, c + 1);
    int64_t d = (int64_t)(v >> 1) + (int64_t)(v & 1);
    if ((v >> c) & 1) d -= (int64_t)1 << c;
    return d;
}

/* G1 buckets use batched affine additions: a bucket holds an affine point;
 * adding P to a non-empty bucket is queued, and a full queue is flushed with
 * one shared inversion (Montgomery's trick), about 6 multiplications per
 * addition instead of 11 for a mixed Jacobian addition.  A point for a
 * bucket already in the queue waits in a deferred list and is queued after
 * the next flush; only an addition that is really a doubling or a
 * cancellation goes to the bucket's Jacobian "spill" accumulator (rare). */
#define MSM_ST_FILLED 1u
#define MSM_ST_QUEUED 2u
#define MSM_ST_SPILL 4u
#define MSM_QMAX 512

typedef struct {
    bn254_g1_affine *pt; /* nb affine buckets */
    bn254_g1 *spill;     /* nb Jacobian spill accumulators */
    uint8_t *st;         /* nb state bits */
    uint32_t qb[MSM_QMAX];
    bn254_g1_affine qp[MSM_QMAX];
    bn254_g1_affine qa[MSM_QMAX]; /* the queued buckets, gathered for the batch */
    bn254_fq qden[MSM_QMAX], qpre[MSM_QMAX];
    uint8_t qbad[MSM_QMAX];
    uint32_t db[MSM_QMAX]; /* deferred: bucket, point */
    bn254_g1_affine dp[MSM_QMAX];
    /* affine bucket sums (msm_g1_sum_affine), K = nb / MSM_AGG_L chains */
    bn254_g1_affine *run, *tot, *ga, *gq;
    uint8_t *rinf, *tinf, *bad;
    uint32_t *gi;
    bn254_fq *den, *pre;
} msm_g1_buckets;

/* Bucket sums in affine coordinates from this many buckets on: K = nb / L
 * chains of L buckets each advance together, every step one batched
 * addition (one shared inversion) for all chains. */
#define MSM_AGG_MIN 256
#define MSM_AGG_L 16

static size_t msm_g1_buckets_size(size_t nb) {
    size_t k = nb / MSM_AGG_L;
    /* run, tot: k points; the batch (ga, gq, gi, den, pre, bad): 2k entries */
    return sizeof(msm_g1_buckets) + nb * (sizeof(bn254_g1_affine) + sizeof(bn254_g1) + 1) +
           k * (6 * sizeof(bn254_g1_affine) + 4 + 2 * sizeof(uint32_t) + 4 * sizeof(bn254_fq)) + 64;
}

static msm_g1_buckets *msm_g1_buckets_new(size_t nb) {
    size_t k = nb / MSM_AGG_L;
    msm_g1_buckets *b = malloc(msm_g1_buckets_size(nb));
    if (b == NULL) return NULL;
    b->pt = (bn254_g1_affine *)(b + 1);
    b->spill = (bn254_g1 *)(b->pt + nb);
    b->run = (bn254_g1_affine *)(b->spill + nb);
    b->tot = b->run + k;
    b->ga = b->tot + k;
    b->gq = b->ga + 2 * k;
    b->den = (bn254_fq *)(b->gq + 2 * k);
    b->pre = b->den + 2 * k;
    b->gi = (uint32_t *)(b->pre + 2 * k);
    b->st = (uint8_t *)(b->gi + 2 * k);
    b->rinf = b->st + nb;
    b->tinf = b->rinf + k;
    b->bad = b->tinf + k;
    return b;
}

/* The queued additions pt[qb[i]] += qp[i], one batched affine addition
 * (bn254x_batch_add_affine) on the gathered buckets.  msm_g1_put queues no
 * pair with equal x, so no denominator is zero (qbad stays unread). */
static void msm_g1_flush(msm_g1_buckets *B, size_t nq) {
    if (nq == 0) return;
    const bn254x_batch_ws ws = {B->qden, B->qpre, B->qbad, NULL, NULL, NULL};
    for (size_t i = 0; i < nq; i++) B->qa[i] = B->pt[B->qb[i]];
    bn254x_batch_add_affine(&ws, B->qa, 1, B->qa, 1, &B->qp[0].x, 2, &B->qp[0].y, 2, 0, nq);
    for (size_t i = 0; i < nq; i++) {
        B->pt[B->qb[i]] = B->qa[i];
        B->st[B->qb[i]] &= (uint8_t)~MSM_ST_QUEUED;
    }
}

static void msm_g1_spill(msm_g1_buckets *B, size_t bi, const bn254_g1_affine *p) {
    if (!(B->st[bi] & MSM_ST_SPILL)) {
        bn254x_g1_from_affine(&B->spill[bi], p);
        B->st[bi] |= MSM_ST_SPILL;
    } else {
        bn254x_g1_madd_var(&B->spill[bi], &B->spill[bi], p);
    }
}

/* Adds p to bucket bi, which is not in the queue: fills an empty bucket,
 * queues a general addition, spills a doubling or cancellation. */
static void msm_g1_put(msm_g1_buckets *B, size_t bi, const bn254_g1_affine *p, size_t *nq) {
    uint8_t st = B->st[bi];
    if (!(st & MSM_ST_FILLED)) {
        B->pt[bi] = *p;
        B->st[bi] = (uint8_t)(st | MSM_ST_FILLED);
    } else if (memcmp(&B->pt[bi].x, &p->x, sizeof p->x) == 0) {
        msm_g1_spill(B, bi, p);
    } else {
        B->qb[*nq] = (uint32_t)bi;
        B->qp[*nq] = *p;
        B->st[bi] = (uint8_t)(st | MSM_ST_QUEUED);
        (*nq)++;
    }
}

/* Flushes the queue, then moves deferred points whose bucket is free into
 * the (now empty) queue, at most qmax of them. */
static void msm_g1_flush_drain(msm_g1_buckets *B, size_t *nq, size_t *nd, size_t qmax) {
    msm_g1_flush(B, *nq);
    *nq = 0;
    size_t keep = 0;
    for (size_t i = 0; i < *nd; i++) {
        if ((B->st[B->db[i]] & MSM_ST_QUEUED) || *nq == qmax) {
            B->db[keep] = B->db[i];
            B->dp[keep++] = B->dp[i];
        } else {
            msm_g1_put(B, B->db[i], &B->dp[i], nq);
        }
    }
    *nd = keep;
}

/* r = a + q exactly (the rare case the batch cannot do: equal x, i.e. a
 * doubling or a cancellation); returns 1 if the sum is infinity. */
static int msm_g1_add_exact(bn254_g1_affine *r, const bn254_g1_affine *a, const bn254_g1_affine *q) {
    bn254_g1 j;
    bn254x_g1_from_affine(&j, a);
    bn254x_g1_madd_var(&j, &j, q);
    if (bn254x_is_zero_var(&j.z)) return 1;
    bn254_g1_to_affine_var(r, &j);
    return 0;
}

/* One batched affine addition for the entries gathered in B->gi/ga/gq:
 * the first mt update tot[gi] (tot += the previous run), the next mr update
 * run[gi] (run += a bucket), one shared inversion; where the exact sum is
 * infinity the chain's tinf / rinf flag is set. */
static void msm_g1_chain_step(msm_g1_buckets *B, size_t mt, size_t mr) {
    size_t m = mt + mr;
    if (m == 0) return;
    bn254x_batch_ws ws = {B->den, B->pre, B->bad, NULL, NULL, NULL};
    memset(B->bad, 0, m);
    bn254x_batch_add_affine(&ws, B->ga, 1, B->ga, 1, &B->gq[0].x, 2, &B->gq[0].y, 2, 0, m);
    for (size_t j = 0; j < m; j++) {
        uint32_t s = B->gi[j];
        bn254_g1_affine *acc = j < mt ? &B->tot[s] : &B->run[s];
        uint8_t *inf = j < mt ? &B->tinf[s] : &B->rinf[s];
        if (!B->bad[j]) {
            *acc = B->ga[j];
        } else {
            bn254_g1_affine a = *acc; /* ga[j] was overwritten by the garbage result */
            *inf = (uint8_t)msm_g1_add_exact(acc, &a, &B->gq[j]);
        }
    }
}

/* sum_b (b + 1) pt[b] over the filled affine buckets, nb >= MSM_AGG_MIN:
 * bucket b = s L + i belongs to chain s; from i = L - 1 down, run[s] +=
 * pt[b] and tot[s] += run[s], all chains in one batch per step (about 6
 * multiplications per addition instead of 11 + 16 for the Jacobian running
 * sum), so tot[s] = sum_i (i + 1) pt[sL + i] and run[s] = R_s = sum_i
 * pt[sL + i].  Then the total is sum_s tot[s] + L sum_s s R_s (a short
 * Jacobian running sum over the chains). */
static void msm_g1_sum_affine(msm_g1_buckets *B, size_t nb, bn254_g1 *out) {
    const size_t L = MSM_AGG_L, K = nb / MSM_AGG_L;
    memset(B->rinf, 1, K);
    memset(B->tinf, 1, K);
    /* level i (L - 1 down to 0) adds bucket sL + i to run[s]; tot[s] +=
     * run[s] of level i + 1 goes into the same batch (both read only the
     * previous run), and one last batch adds level 0's run: L + 1 shared
     * inversions per window instead of 2L */
    for (size_t i = L + 1; i-- > 0;) {
        size_t mt = 0, mr = 0;
        if (i < L) /* tot[s] += run[s] (level i + 1) */
            for (size_t s = 0; s < K; s++) {
                if (B->rinf[s]) continue;
                if (B->tinf[s]) {
                    B->tot[s] = B->run[s];
                    B->tinf[s] = 0;
                    continue;
                }
                B->gi[mt] = (uint32_t)s;
                B->ga[mt] = B->tot[s];
                B->gq[mt++] = B->run[s];
            }
        if (i > 0) /* run[s] += bucket sL + (i - 1) */
            for (size_t s = 0; s < K; s++) {
                size_t b = s * L + (i - 1);
                if (!(B->st[b] & MSM_ST_FILLED)) continue;
                if (B->rinf[s]) {
                    B->run[s] = B->pt[b];
                    B->rinf[s] = 0;
                    continue;
                }
                B->gi[mt + mr] = (uint32_t)s;
                B->ga[mt + mr] = B->run[s];
                B->gq[mt + mr++] = B->pt[b];
            }
        msm_g1_chain_step(B, mt, mr);
    }
    bn254_g1 run, sum;
    memset(&run, 0, sizeof run);
    memset(&sum, 0, sizeof sum);
    for (size_t s = K; s-- > 1;) {
        if (!B->rinf[s]) bn254x_g1_madd_var(&run, &run, &B->run[s]);
        bn254x_g1_add_var(&sum, &sum, &run);
    }
    for (size_t d = 1; d < L; d <<= 1) bn254x_g1_dbl(&sum, &sum);
    for (size_t s = 0; s < K; s++)
        if (!B->tinf[s]) bn254x_g1_madd_var(&sum, &sum, &B->tot[s]);
    *out = sum;
}

/* sum_b (b + 1) spill[b] over the buckets with a Jacobian spill: a few
 * (only doublings and cancellations spill) by double-and-add each, many by
 * one running sum. */
static void msm_g1_sum_spills(const msm_g1_buckets *B, size_t nb, bn254_g1 *out) {
    size_t nspill = 0;
    for (size_t b = 0; b < nb; b++) nspill += (B->st[b] & MSM_ST_SPILL) != 0;
    bn254_g1 sum;
    memset(&sum, 0, sizeof sum);
    if (nspill <= 8) {
        for (size_t b = 0; b < nb; b++) {
            if (!(B->st[b] & MSM_ST_SPILL)) continue;
            bn254_g1 m;
            memset(&m, 0, sizeof m);
            size_t k = b + 1;
            for (int bit = 63 - __builtin_clzll((unsigned long long)k); bit >= 0; bit--) {
                bn254x_g1_dbl(&m, &m);
                if ((k >> bit) & 1) bn254x_g1_add_var(&m, &m, &B->spill[b]);
            }
            bn254x_g1_add_var(&sum, &sum, &m);
        }
    } else {
        bn254_g1 run;
        memset(&run, 0, sizeof run);
        for (size_t b = nb; b-- > 0;) {
            if (B->st[b] & MSM_ST_SPILL) bn254x_g1_add_var(&run, &run, &B->spill[b]);
            bn254x_g1_add_var(&sum, &sum, &run);
        }
    }
    *out = sum;
}

static int msm_g1_task(void *ctx, size_t begin, size_t end, int thread_index) {
    msm_ctx *x = ctx;
    size_t nb = (size_t)1 << (x->c - 1);
    msm_g1_buckets *B = x->buckets[thread_index];
    size_t qmax = nb > MSM_QMAX ? MSM_QMAX : nb;
    /* very few buckets: a queue would be too short to amortise the
     * inversion; add straight into the Jacobian accumulators */
    int direct = nb < 64;
    for (size_t t = begin; t < end; t++) {
        int j = (int)(t % (size_t)x->nwin);
        size_t ch = t / (size_t)x->nwin;
        size_t b0 = ch * x->chunk, b1 = b0 + x->chunk < x->n ? b0 + x->chunk : x->n;
        memset(B->st, 0, nb);
        size_t nq = 0, nd = 0;
        for (size_t i = b0; i < b1; i++) {
            int64_t d = msm_scalar_digit(x, i, j);
            if (d == 0) continue;
            const bn254_g1_affine *p = &x->pts[i];
            if (bn254x_g1_affine_is_inf(p)) continue;
            bn254_g1_affine np;
            if (d < 0) {
                np.x = p->x;
                bn254x_neg(&np.y, &p->y);
                p = &np;
                d = -d;
            }
            size_t bi = (size_t)d - 1;
            if (direct) {
                msm_g1_spill(B, bi, p);
            } else if (B->st[bi] & MSM_ST_QUEUED) {
                B->db[nd] = (uint32_t)bi;
                B->dp[nd++] = *p;
            } else {
                msm_g1_put(B, bi, p, &nq);
            }
            while (nq == qmax || nd == MSM_QMAX) msm_g1_flush_drain(B, &nq, &nd, qmax);
        }
        while (nq > 0 || nd > 0) msm_g1_flush_drain(B, &nq, &nd, qmax);
        bn254_g1 sum;
        if (!direct && nb >= MSM_AGG_MIN) {
            bn254_g1 sp;
            msm_g1_sum_affine(B, nb, &sum);
            msm_g1_sum_spills(B, nb, &sp);
            bn254x_g1_add_var(&sum, &sum, &sp);
        } else {
            bn254_g1 run;
            memset(&run, 0, sizeof run);
            memset(&sum, 0, sizeof sum);
            for (size_t b = nb; b-- > 0;) {
                uint8_t st = B->st[b];
                if (st & MSM_ST_FILLED) bn254x_g1_madd_var(&run, &run, &B->pt[b]);
                if (st & MSM_ST_SPILL) bn254x_g1_add_var(&run, &run, &B->spill[b]);
                bn254x_g1_add_var(&sum, &sum, &run);
            }
        }
        x->partial[ch * (size_t)x->nwin + (size_t)j] = sum;
    }
    return 0;
}

typedef struct {
    const bn254_fr *in;
    uint64_t *out;
} msm_conv_ctx;

static int msm_conv_task(void *ctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    msm_conv_ctx *x = ctx;
    for (size_t i = begin; i < end; i++) bn254x_fr_canonical(x->out + 4 * i, x->in[i].l);
    return 0;
}

static int msm_run(bn254_g1 *r, const bn254_g1_affine *pts, const uint8_t *bytes, size_t stride,
                   const bn254_fr *frs, size_t n, int threads, int maxbits, ns_error *err) {
    if (threads <= 0) threads = ns_cpu_count();
    bn254_g1 total;
    memset(&total, 0, sizeof total);
    if (n == 0) {
        *r = total;
        return 0;
    }
    size_t blk = n < MSM_BLOCK ? n : MSM_BLOCK;
    int c = bn254_msm_window_bits(blk);
    int nwin = maxbits / c + 1;
    size_t nb = (size_t)1 << (c - 1);
    int nchunks = (2 * threads + nwin - 1) / nwin;
    void **buckets = calloc((size_t)threads, sizeof *buckets);
    bn254_g1 *partial = calloc((size_t)nchunks * (size_t)nwin, sizeof *partial);
    uint64_t *canon = frs ? malloc(blk * 4 * sizeof(uint64_t) + 1) : NULL;
    int ok = buckets && partial && (!frs || canon);
    for (int t = 0; ok && t < threads; t++) {
        buckets[t] = msm_g1_buckets_new(nb);
        ok = buckets[t] != NULL;
    }
    if (ok) {
        for (size_t base = 0; base < n; base += blk) {
            size_t m = n - base < blk ? n - base : blk;
            msm_ctx x = {.pts = pts + base, .n = m, .c = c, .nwin = nwin, .buckets = buckets, .partial = partial};
            if (frs) {
                msm_conv_ctx cc = {frs + base, canon};
                ns_parallel_for(threads, m, 4096, msm_conv_task, &cc);
                x.canon = canon;
            } else {
                x.bytes = bytes + base * stride;
                x.stride = stride;
            }
            x.chunk = (m + (size_t)nchunks - 1) / (size_t)nchunks;
            if (x.chunk == 0) x.chunk = 1;
            x.nchunks = (int)((m + x.chunk - 1) / x.chunk);
            ns_parallel_for(threads, (size_t)x.nchunks * (size_t)nwin, 1, msm_g1_task, &x);
            /* Horner over windows, top first */
            bn254_g1 acc;
            memset(&acc, 0, sizeof acc);
            for (int j = nwin - 1; j >= 0; j--) {
                for (int d = 0; d < c; d++) bn254x_g1_dbl(&acc, &acc);
                for (int ch = 0; ch < x.nchunks; ch++) bn254x_g1_add_var(&acc, &acc, &partial[(size_t)ch * nwin + j]);
            }
            bn254x_g1_add_var(&total, &total, &acc);
        }
    }
    if (buckets)
        for (int t = 0; t < threads; t++) free(buckets[t]);
    free(buckets);
    free(partial);
    free(canon);
    if (!ok) return ns_error_set(err, "msm: out of memory for %zu points", n);
    *r = total;
    return 0;
}

/* Bits needed for the largest of n 32-byte little-endian scalars (public
 * data): short scalars (zkey verify's 64-bit random weights) then take a
 * quarter of the windows. */
static int msm_scalar_bits(const uint8_t *scalars, size_t stride, size_t n) {
    int top = 0; /* bytes */
    for (size_t i = 0; i < n && top < 32; i++) {
        const uint8_t *s = scalars + i * stride;
        for (int b = 31; b >= top; b--)
            if (s[b] != 0) {
                top = b + 1;
                break;
            }
    }
    return 8 * top;
}

int bn254_g1_msm_var(bn254_g1 *r, const bn254_g1_affine *pts, const uint8_t *scalars, size_t stride, size_t n,
                     int threads, ns_error *err) {
    return msm_run(r, pts, scalars, stride, NULL, n, threads, msm_scalar_bits(scalars, stride, n), err);
}

int bn254_g1_msm_fr_var(bn254_g1 *r, const bn254_g1_affine *pts, const bn254_fr *scalars, size_t n, int threads,
                        ns_error *err) {
    return msm_run(r, pts, NULL, 0, scalars, n, threads, 254, err);
}
