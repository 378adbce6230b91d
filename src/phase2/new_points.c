/* zkey new, point sections: per-signal term lists (CSR) and the
 * multi-scalar multiplications over the ptau Lagrange blocks. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "curve/bn254_msm.h"
#include "phase2/new_internal.h"
#include "util/parallel.h"

/* ---------------- CSR ---------------- */

int p2n_csr_build(p2n_ctx *c, ns_error *err) {
    const ns_r1cs *r = c->r;
    size_t nv = (size_t)c->nvars + 1;
    for (int k = 0; k < 3; k++) {
        c->off[k] = calloc(nv, sizeof(uint64_t));
        if (c->off[k] == NULL) return ns_error_set(err, "%s: out of memory for %u signals", r->bf.path, c->nvars);
    }
    ns_r1cs_iter it;
    ns_r1cs_lc abc[3];
    int rc;
    /* pass 1: counts (shifted by one for the prefix sums) */
    if (ns_r1cs_iter_init(&it, r, err) != 0) return -1;
    while ((rc = ns_r1cs_iter_next(&it, abc, err)) == 1)
        for (int k = 0; k < 3; k++)
            for (uint32_t i = 0; i < abc[k].n; i++) c->off[k][ns_r1cs_term_wire(&abc[k], i) + 1]++;
    if (rc < 0) return -1;
    for (int k = 0; k < 3; k++) {
        for (size_t s = 1; s < nv; s++) c->off[k][s] += c->off[k][s - 1];
        uint64_t t = c->off[k][nv - 1];
        c->row[k] = malloc((size_t)t * sizeof(uint32_t) + 1);
        c->coef[k] = malloc((size_t)t * sizeof(uint64_t) + 1);
        if (c->row[k] == NULL || c->coef[k] == NULL)
            return ns_error_set(err, "%s: out of memory for %llu terms", r->bf.path, (unsigned long long)t);
    }
    /* pass 2: fill, using off[k][s] as a cursor, then shift back */
    ns_r1cs_iter_init(&it, r, err);
    while ((rc = ns_r1cs_iter_next(&it, abc, err)) == 1) {
        uint32_t j = it.index - 1;
        for (int k = 0; k < 3; k++)
            for (uint32_t i = 0; i < abc[k].n; i++) {
                uint32_t s = ns_r1cs_term_wire(&abc[k], i);
                uint64_t pos = c->off[k][s]++;
                c->row[k][pos] = j;
                c->coef[k][pos] = (uint64_t)(ns_r1cs_term_coef(&abc[k], i) - r->cons);
            }
    }
    if (rc < 0) return -1;
    for (int k = 0; k < 3; k++) {
        memmove(c->off[k] + 1, c->off[k], (nv - 1) * sizeof(uint64_t));
        c->off[k][0] = 0;
    }
    return 0;
}

void p2n_csr_free(p2n_ctx *c) {
    for (int k = 0; k < 3; k++) {
        free(c->off[k]);
        free(c->row[k]);
        free(c->coef[k]);
        c->off[k] = NULL;
        c->row[k] = NULL;
        c->coef[k] = NULL;
    }
}

/* ---------------- validation ---------------- */

static int g1_valid(const uint8_t *lem) {
    bn254_g1_affine a;
    if (!bn254_fq_from_lem(&a.x, lem) || !bn254_fq_from_lem(&a.y, lem + 32)) return 0;
    return bn254_g1_affine_on_curve(&a);
}

static int g2_valid(const uint8_t *lem) {
    bn254_g2_affine a;
    if (!bn254_fq_from_lem(&a.x.c0, lem) || !bn254_fq_from_lem(&a.x.c1, lem + 32) ||
        !bn254_fq_from_lem(&a.y.c0, lem + 64) || !bn254_fq_from_lem(&a.y.c1, lem + 96))
        return 0;
    return bn254_g2_affine_on_curve(&a);
}

#define VALIDATE_GRAIN 4096 /* points per validation item */

typedef struct {
    p2n_ctx *c;
    int (*side)(void *ctx, ns_error *err);
    void *side_ctx;
    size_t per_block;          /* validation items per Lagrange block */
    atomic_uint_fast64_t bad;  /* smallest bad (block << 40 | index) + 1, 0 = none */
    int csr_rc, side_rc;
    ns_error csr_err, side_err;
} prepare_ctx;

static int prepare_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    prepare_ctx *x = vctx;
    const uint8_t *blocks[4] = {x->c->L1, x->c->L2, x->c->LA, x->c->LB};
    for (size_t item = begin; item < end; item++) {
        if (item == 0) {
            x->csr_rc = p2n_csr_build(x->c, &x->csr_err);
            continue;
        }
        if (item == 1) {
            if (x->side) x->side_rc = x->side(x->side_ctx, &x->side_err);
            continue;
        }
        size_t v = item - 2, b = v / x->per_block;
        uint64_t i0 = (uint64_t)(v % x->per_block) * VALIDATE_GRAIN, i1 = i0 + VALIDATE_GRAIN;
        if (i1 > x->c->n) i1 = x->c->n;
        for (uint64_t i = i0; i < i1; i++) {
            int ok = b == 1 ? g2_valid(blocks[b] + i * 128) : g1_valid(blocks[b] + i * 64);
            if (ok) continue;
            uint_fast64_t want = ((uint64_t)b << 40 | i) + 1, cur = atomic_load(&x->bad);
            while ((cur == 0 || cur > want) && !atomic_compare_exchange_weak(&x->bad, &cur, want)) {
            }
            break;
        }
    }
    return 0;
}

int p2n_prepare(p2n_ctx *c, int (*side)(void *ctx, ns_error *err), void *side_ctx, ns_error *err) {
    prepare_ctx x;
    memset(&x, 0, sizeof x);
    x.c = c;
    x.side = side;
    x.side_ctx = side_ctx;
    x.per_block = (size_t)((c->n + VALIDATE_GRAIN - 1) / VALIDATE_GRAIN);
    atomic_init(&x.bad, 0);
    /* items: 0 CSR, 1 side, then the validation ranges, handed out in order */
    ns_parallel_for(c->threads, 2 + 4 * x.per_block, 1, prepare_task, &x);
    uint64_t bad = atomic_load(&x.bad);
    if (bad != 0)
        return ns_error_set(err, "%s: section %d: point %llu of the 2^%u Lagrange block is not a valid curve point",
                            c->pt->bf.path, 12 + (int)((bad - 1) >> 40),
                            (unsigned long long)((bad - 1) & (((uint64_t)1 << 40) - 1)), c->k);
    if (x.csr_rc != 0) {
        *err = x.csr_err;
        return -1;
    }
    if (x.side_rc != 0) {
        *err = x.side_err;
        return -1;
    }
    return 0;
}

/* ---------------- per-signal sums ---------------- */

#define BIG_SIGNAL ((uint64_t)1 << 10) /* term count above which one signal uses all threads (the MSM
                                          parallelises over windows; a few heavy signals
                                          handed to single threads would leave cores idle) */
#define SMALL_MSM 4                    /* up to this many terms: plain scalar multiplications */

typedef struct {
    bn254_g1_affine *p1;
    bn254_g2_affine *p2;
    uint8_t *sc;
    uint64_t cap1, cap2, capsc; /* capacities in points / scalars */
} scratch;

/* Returns the (possibly moved) buffer for at least n elements, or NULL. */
static void *grow(void *p, uint64_t *cap, uint64_t n, size_t elem) {
    if (n <= *cap) return p;
    uint64_t c = n < 64 ? 64 : n + n / 2;
    void *q = realloc(p, (size_t)c * elem);
    if (q != NULL) *cap = c;
    return q;
}

static int scratch_reserve(scratch *s, uint64_t n, int g2) {
    void *q = grow(s->sc, &s->capsc, n, 32);
    if (q == NULL) return -1;
    s->sc = q;
    if (g2) {
        q = grow(s->p2, &s->cap2, n, sizeof(bn254_g2_affine));
        if (q == NULL) return -1;
        s->p2 = q;
    } else {
        q = grow(s->p1, &s->cap1, n, sizeof(bn254_g1_affine));
        if (q == NULL) return -1;
        s->p1 = q;
    }
    return 0;
}

static uint64_t signal_terms(const p2n_ctx *c, p2n_kind kind, uint32_t s) {
    uint64_t t = 0;
    int extra = s <= c->npub;
    switch (kind) {
    case P2N_IC_C:
        for (int k = 0; k < 3; k++) t += c->off[k][s + 1] - c->off[k][s];
        return t + (uint64_t)extra;
    case P2N_A: return c->off[0][s + 1] - c->off[0][s] + (uint64_t)extra;
    case P2N_B1:
    case P2N_B2: return c->off[1][s + 1] - c->off[1][s];
    }
    return 0;
}

/* The terms of a signal laid out in the scratch: up to three segments, the
 * terms of matrix k with base block blk from position pos0 on. */
typedef struct {
    const p2n_ctx *c;
    scratch *sc;
    uint32_t s;
    int g2, nseg;
    uint64_t total; /* terms in the segments */
    struct {
        int k;
        const uint8_t *blk;
        uint64_t pos0;
    } seg[3];
} gather_ctx;

static void gather_add(gather_ctx *g, int k, const uint8_t *blk) {
    g->seg[g->nseg].k = k;
    g->seg[g->nseg].blk = blk;
    g->seg[g->nseg].pos0 = g->total;
    g->nseg++;
    g->total += g->c->off[k][g->s + 1] - g->c->off[k][g->s];
}

/* Copies scalars and points of the positions [p0, p1) into the scratch. */
static void gather_range(const gather_ctx *g, uint64_t p0, uint64_t p1) {
    const p2n_ctx *c = g->c;
    const uint8_t *cons = c->r->cons;
    if (p1 > g->total) p1 = g->total;
    for (int q = 0; q < g->nseg; q++) {
        int k = g->seg[q].k;
        const uint8_t *blk = g->seg[q].blk;
        uint64_t first = c->off[k][g->s], n = c->off[k][g->s + 1] - first, b = g->seg[q].pos0;
        uint64_t lo = p0 > b ? p0 : b, hi = p1 < b + n ? p1 : b + n;
        for (uint64_t pos = lo; pos < hi; pos++) {
            uint64_t t = first + (pos - b);
            uint32_t j = c->row[k][t];
            memcpy(g->sc->sc + pos * 32, cons + c->coef[k][t], 32);
            if (g->g2) memcpy(&g->sc->p2[pos], blk + (uint64_t)j * 128, 128);
            else memcpy(&g->sc->p1[pos], blk + (uint64_t)j * 64, 64);
        }
    }
}

/* The extra term of a public signal (coefficient 1, row m + s) at pos. */
static void gather_one(const p2n_ctx *c, scratch *sc, uint64_t pos, uint32_t s, const uint8_t *blk) {
    static const uint8_t one[32] = {1};
    memcpy(sc->sc + pos * 32, one, 32);
    memcpy(&sc->p1[pos], blk + ((uint64_t)c->m + s) * 64, 64);
}

static void scalar_limbs(uint64_t k[4], const uint8_t *b) {
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 7; j >= 0; j--) v = v << 8 | b[8 * i + j];
        k[i] = v;
    }
}

/* 1 if k == 1, -1 if k == r - 1, else 0. */
static int scalar_unit(const uint8_t k[32]) {
    static const uint8_t one[32] = {1};
    if (memcmp(k, one, 32) == 0) return 1;
    if (k[0] == bn254_r_le[0] - 1 && memcmp(k + 1, bn254_r_le + 1, 31) == 0) return -1;
    return 0;
}

/* Sum of the terms with coefficient 1 or r - 1 of a gathered signal, in
 * nblk blocks (partial sums part1 / part2). */
#define UNIT_MAXBLK 64

typedef struct {
    const gather_ctx *gx; /* gathers each block's terms first */
    const scratch *sc;
    int g2;
    uint64_t t;
    int nblk;
    bn254_g1 part1[UNIT_MAXBLK];
    bn254_g2 part2[UNIT_MAXBLK];
} unit_ctx;

#define TREE_MIN 32 /* unit terms in a block from which bn254_g1_sum_var pays for its inversions */

/* G1 unit terms of positions [i0, i1): collected (signed) and summed by a
 * tree; 0, or -1 if out of memory (the caller then adds them one by one). */
static int g1_unit_tree(bn254_g1 *r, const scratch *sc, uint64_t i0, uint64_t i1) {
    size_t n = (size_t)(i1 - i0);
    bn254_g1_affine *p = malloc(n * sizeof *p);
    if (p == NULL) return -1;
    size_t k = 0;
    for (uint64_t i = i0; i < i1; i++) {
        int sign = scalar_unit(sc->sc + i * 32);
        if (sign == 0 || bn254_g1_affine_is_infinity(&sc->p1[i])) continue;
        p[k] = sc->p1[i];
        if (sign < 0) bn254_g1_affine_neg(&p[k], &p[k]);
        k++;
    }
    int rc = bn254_g1_sum_var(r, p, k);
    free(p);
    return rc;
}

static int unit_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    unit_ctx *x = vctx;
    for (size_t b = begin; b < end; b++) {
        uint64_t i0 = x->t * b / (uint64_t)x->nblk, i1 = x->t * (b + 1) / (uint64_t)x->nblk;
        gather_range(x->gx, i0, i1);
        if (!x->g2 && i1 - i0 >= TREE_MIN && g1_unit_tree(&x->part1[b], x->sc, i0, i1) == 0) continue;
        bn254_g1 r1; /* accumulated locally: the partial sums of other threads share cache lines */
        bn254_g2 r2;
        if (x->g2) bn254_g2_set_infinity(&r2);
        else bn254_g1_set_infinity(&r1);
        for (uint64_t i = i0; i < i1; i++) {
            int sign = scalar_unit(x->sc->sc + i * 32);
            if (sign == 0) continue;
            if (x->g2) {
                bn254_g2_affine q = x->sc->p2[i];
                if (sign < 0) bn254_g2_affine_neg(&q, &q);
                bn254_g2_add_affine_var(&r2, &r2, &q);
            } else {
                bn254_g1_affine q = x->sc->p1[i];
                if (sign < 0) bn254_g1_affine_neg(&q, &q);
                bn254_g1_add_affine_var(&r1, &r1, &q);
            }
        }
        if (x->g2) x->part2[b] = r2;
        else x->part1[b] = r1;
    }
    return 0;
}

/* (Longer than 100 lines on purpose: this is zkey new's hot loop; its
 * small-signal, two-term and big-signal paths share the gathered terms and
 * per-thread scratch, and splitting them costs measurable time at 2^16.) */
/* Sum for one signal; result Jacobian in *r1 (G1) or *r2 (G2).  With pair
 * not NULL, a G1 signal of two unit terms P, Q (different x) instead
 * returns 1 with +-P, +-Q in pair[0..1] (*r1 then infinity).  0 ok, -1 on
 * error. */
static int signal_sum(const p2n_ctx *c, scratch *sc, p2n_kind kind, uint32_t s, int threads, bn254_g1 *r1,
                      bn254_g2 *r2, bn254_g1_affine *pair, ns_error *err) {
    int g2 = kind == P2N_B2;
    uint64_t t = signal_terms(c, kind, s);
    if (g2) bn254_g2_set_infinity(r2);
    else bn254_g1_set_infinity(r1);
    if (t == 0) return 0;
    if (scratch_reserve(sc, t, g2) != 0) return ns_error_set(err, "zkey new: out of memory (%llu terms)", (unsigned long long)t);
    gather_ctx gx;
    gx.c = c;
    gx.sc = sc;
    gx.s = s;
    gx.g2 = g2;
    gx.nseg = 0;
    gx.total = 0;
    int extra = s <= c->npub;
    switch (kind) {
    case P2N_IC_C:
        gather_add(&gx, 0, c->LB);
        gather_add(&gx, 1, c->LA);
        gather_add(&gx, 2, c->L1);
        if (extra) gather_one(c, sc, gx.total, s, c->LB);
        break;
    case P2N_A:
        gather_add(&gx, 0, c->L1);
        if (extra) gather_one(c, sc, gx.total, s, c->L1);
        break;
    case P2N_B1: gather_add(&gx, 1, c->L1); break;
    case P2N_B2: gather_add(&gx, 1, c->L2); break;
    }
    if (pair != NULL && !g2 && t == 2) { /* P +- Q: left to the batched normalisation */
        gather_range(&gx, 0, 2);
        int u0 = scalar_unit(sc->sc), u1 = scalar_unit(sc->sc + 32);
        if (u0 != 0 && u1 != 0 && !bn254_g1_affine_is_infinity(&sc->p1[0]) &&
            !bn254_g1_affine_is_infinity(&sc->p1[1]) && !bn254_fq_eq(&sc->p1[0].x, &sc->p1[1].x)) {
            pair[0] = sc->p1[0];
            pair[1] = sc->p1[1];
            if (u0 < 0) bn254_g1_affine_neg(&pair[0], &pair[0]);
            if (u1 < 0) bn254_g1_affine_neg(&pair[1], &pair[1]);
            return 1;
        }
    }
    /* Coefficients 1 and r - 1 (most of a circom circuit's) are a plain
     * addition or subtraction (gathered and summed first, over all threads
     * for a big signal); the rest go to scalar multiplication / MSM. */
    unit_ctx ux; /* not zeroed: unit_task sets the partial sums it uses */
    ux.gx = &gx;
    ux.sc = sc;
    ux.g2 = g2;
    ux.t = t;
    ux.nblk = threads > 1 && t > BIG_SIGNAL ? 4 * threads : 1;
    if (ux.nblk > UNIT_MAXBLK) ux.nblk = UNIT_MAXBLK;
    if (ux.nblk > 1) ns_parallel_for(threads, (size_t)ux.nblk, 1, unit_task, &ux);
    else unit_task(&ux, 0, 1, 0);
    for (int b = 0; b < ux.nblk; b++) {
        if (g2) bn254_g2_add_var(r2, r2, &ux.part2[b]);
        else bn254_g1_add_var(r1, r1, &ux.part1[b]);
    }
    uint64_t rest = 0;
    for (uint64_t i = 0; i < t; i++) {
        const uint8_t *k = sc->sc + i * 32;
        if (scalar_unit(k) != 0) continue;
        if (rest != i) {
            memcpy(sc->sc + rest * 32, k, 32);
            if (g2) sc->p2[rest] = sc->p2[i];
            else sc->p1[rest] = sc->p1[i];
        }
        rest++;
    }
    if (rest == 0) return 0;
    if (g2) {
        bn254_g2 acc;
        if (rest <= SMALL_MSM) {
            bn254_g2_set_infinity(&acc);
            for (uint64_t i = 0; i < rest; i++) {
                bn254_g2 p;
                uint64_t k[4];
                scalar_limbs(k, sc->sc + i * 32);
                bn254_g2_from_affine(&p, &sc->p2[i]);
                bn254_g2_mul_var(&p, &p, k);
                bn254_g2_add_var(&acc, &acc, &p);
            }
        } else if (bn254_g2_msm_var(&acc, sc->p2, sc->sc, 32, (size_t)rest, threads, err) != 0) {
            return -1;
        }
        bn254_g2_add_var(r2, r2, &acc);
        return 0;
    }
    bn254_g1 acc;
    if (rest <= SMALL_MSM) {
        bn254_g1_set_infinity(&acc);
        for (uint64_t i = 0; i < rest; i++) {
            bn254_g1 p;
            uint64_t k[4];
            scalar_limbs(k, sc->sc + i * 32);
            bn254_g1_from_affine(&p, &sc->p1[i]);
            bn254_g1_mul_var(&p, &p, k);
            bn254_g1_add_var(&acc, &acc, &p);
        }
    } else if (bn254_g1_msm_var(&acc, sc->p1, sc->sc, 32, (size_t)rest, threads, err) != 0) {
        return -1;
    }
    bn254_g1_add_var(r1, r1, &acc);
    return 0;
}

typedef struct {
    const p2n_ctx *c;
    p2n_kind kind;
    uint32_t s0;
    bn254_g1 *j1;
    bn254_g2 *j2;
    scratch *scr; /* one per thread */
    ns_error *errs;
    bn254_g1_affine *pair; /* G1: two per signal, used where paired[i] */
    uint8_t *paired;
} chunk_ctx;

static int chunk_task(void *vctx, size_t begin, size_t end, int thread_index) {
    chunk_ctx *x = vctx;
    for (size_t i = begin; i < end; i++) {
        uint32_t s = x->s0 + (uint32_t)i;
        if (signal_terms(x->c, x->kind, s) > BIG_SIGNAL) continue; /* done by the caller */
        int r = signal_sum(x->c, &x->scr[thread_index], x->kind, s, 1, x->j1 ? &x->j1[i] : NULL,
                           x->j2 ? &x->j2[i] : NULL, x->pair ? &x->pair[2 * i] : NULL, &x->errs[thread_index]);
        if (r < 0) return thread_index + 1;
        if (x->pair) x->paired[i] = (uint8_t)r;
    }
    if (x->c->prog) ns_progress_add(x->c->prog, end - begin);
    return 0;
}

/* Normalisation of a chunk's Jacobian sums, in blocks (one inversion per
 * block): affine LEM bytes into out and, if u is not NULL, U bytes into u.
 * Sums with Z = 1 (a signal with one unit term) or Z = 0 (no terms) are
 * written as they are; the others are packed to the front of their block
 * (j1/j2 is scratch from here on; idx remembers their places).  G1 sums
 * of two unit terms left as a pair P, Q are added here in affine
 * coordinates, sharing the block's inversion with each other. */
#define NORM_BLOCK 1024

typedef struct {
    bn254_g1 *j1;
    bn254_g2 *j2;
    bn254_g1_affine *a1;
    bn254_g2_affine *a2;
    uint32_t *idx;
    uint8_t *out, *u;
    const bn254_g1_affine *pair; /* G1 sums P + Q still to add (where paired[i]) */
    const uint8_t *paired;
    uint32_t *pidx;
    bn254_fq *pre;
} norm_ctx;

static void put_g1(const norm_ctx *x, size_t i, const bn254_fq *px, const bn254_fq *py) {
    bn254_fq_to_lem(x->out + i * 64, px);
    bn254_fq_to_lem(x->out + i * 64 + 32, py);
    if (x->u) {
        bn254_fq_to_be(x->u + i * 64, px);
        bn254_fq_to_be(x->u + i * 64 + 32, py);
    }
}

static void put_g2(const norm_ctx *x, size_t i, const bn254_fq2 *px, const bn254_fq2 *py) {
    bn254_fq_to_lem(x->out + i * 128, &px->c0);
    bn254_fq_to_lem(x->out + i * 128 + 32, &px->c1);
    bn254_fq_to_lem(x->out + i * 128 + 64, &py->c0);
    bn254_fq_to_lem(x->out + i * 128 + 96, &py->c1);
    if (x->u) {
        bn254_fq_to_be(x->u + i * 128, &px->c1);
        bn254_fq_to_be(x->u + i * 128 + 32, &px->c0);
        bn254_fq_to_be(x->u + i * 128 + 64, &py->c1);
        bn254_fq_to_be(x->u + i * 128 + 96, &py->c0);
    }
}

static int norm_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    norm_ctx *x = vctx;
    size_t m = 0;
    if (x->j2) {
        bn254_fq2 one, zero;
        bn254_fq_one(&one.c0);
        bn254_fq_zero(&one.c1);
        memset(&zero, 0, sizeof zero);
        for (size_t i = begin; i < end; i++) {
            const bn254_g2 *p = &x->j2[i];
            if (bn254_g2_is_infinity(p)) {
                put_g2(x, i, &zero, &zero);
                continue;
            }
            if (memcmp(&p->z, &one, sizeof one) == 0) {
                put_g2(x, i, &p->x, &p->y);
                continue;
            }
            x->idx[begin + m] = (uint32_t)i;
            x->j2[begin + m++] = *p;
        }
        bn254_g2_batch_to_affine_var(x->a2 + begin, x->j2 + begin, m);
        for (size_t q = 0; q < m; q++) put_g2(x, x->idx[begin + q], &x->a2[begin + q].x, &x->a2[begin + q].y);
    } else {
        bn254_fq one, zero;
        bn254_fq_one(&one);
        memset(&zero, 0, sizeof zero);
        size_t np = 0;
        for (size_t i = begin; i < end; i++) {
            if (x->paired && x->paired[i]) {
                x->pidx[begin + np++] = (uint32_t)i;
                continue;
            }
            const bn254_g1 *p = &x->j1[i];
            if (bn254_g1_is_infinity(p)) {
                put_g1(x, i, &zero, &zero);
                continue;
            }
            if (memcmp(&p->z, &one, sizeof one) == 0) {
                put_g1(x, i, &p->x, &p->y);
                continue;
            }
            x->idx[begin + m] = (uint32_t)i;
            x->j1[begin + m++] = *p;
        }
        bn254_g1_batch_to_affine_var(x->a1 + begin, x->j1 + begin, m);
        for (size_t q = 0; q < m; q++) put_g1(x, x->idx[begin + q], &x->a1[begin + q].x, &x->a1[begin + q].y);
        if (np > 0) { /* P + Q with one shared inversion of the xQ - xP */
            bn254_fq acc, inv, t, dx;
            bn254_fq_one(&acc);
            for (size_t q = 0; q < np; q++) {
                const bn254_g1_affine *pq = &x->pair[2 * (size_t)x->pidx[begin + q]];
                x->pre[begin + q] = acc;
                bn254_fq_sub(&dx, &pq[1].x, &pq[0].x);
                bn254_fq_mul(&acc, &acc, &dx);
            }
            bn254_fq_inv_var(&inv, &acc);
            for (size_t q = np; q-- > 0;) {
                size_t i = x->pidx[begin + q];
                const bn254_g1_affine *pq = &x->pair[2 * i];
                bn254_fq_sub(&dx, &pq[1].x, &pq[0].x);
                bn254_fq_mul(&t, &inv, &x->pre[begin + q]); /* 1 / dx */
                bn254_fq_mul(&inv, &inv, &dx);
                bn254_g1_affine s;
                bn254_g1_affine_add_with_inv(&s, &pq[0], &pq[1], &t);
                put_g1(x, i, &s.x, &s.y);
            }
        }
    }
    return 0;
}

/* Big signals (more than BIG_SIGNAL terms) of a chunk.  An MSM of a few
 * thousand points uses two threads at ~90% (its windows do not split
 * evenly), so up to BIG_SOLO_MAX terms the signals run one per thread, the
 * largest first, as many as fill whole rounds of `threads`; the rest (the
 * huge ones, and the last round's remainder) one at a time on all threads. */
#define BIG_SOLO_MAX ((uint64_t)1 << 16) /* per-thread scratch ~6-10 MB at most */

typedef struct {
    uint64_t terms;
    size_t i; /* index in the chunk */
} big_ref;

static int big_cmp(const void *a, const void *b) { /* terms descending, then index */
    const big_ref *x = a, *y = b;
    if (x->terms != y->terms) return x->terms < y->terms ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

typedef struct {
    chunk_ctx *x;
    const big_ref *refs;
} big_ctx;

static int big_task(void *vctx, size_t begin, size_t end, int thread_index) {
    big_ctx *b = vctx;
    chunk_ctx *x = b->x;
    for (size_t k = begin; k < end; k++) {
        size_t i = b->refs[k].i;
        if (signal_sum(x->c, &x->scr[thread_index], x->kind, x->s0 + (uint32_t)i, 1, x->j1 ? &x->j1[i] : NULL,
                       x->j2 ? &x->j2[i] : NULL, NULL, &x->errs[thread_index]) != 0)
            return thread_index + 1;
    }
    return 0;
}

static int big_signals(chunk_ctx *x, size_t cnt, int threads, ns_error *err) {
    size_t nbig = 0;
    for (size_t i = 0; i < cnt; i++) nbig += signal_terms(x->c, x->kind, x->s0 + (uint32_t)i) > BIG_SIGNAL;
    if (nbig == 0) return 0;
    big_ref *refs = malloc(nbig * sizeof *refs);
    if (refs == NULL) return ns_error_set(err, "zkey new: out of memory");
    size_t n = 0, huge = 0;
    for (size_t i = 0; i < cnt; i++) {
        uint64_t t = signal_terms(x->c, x->kind, x->s0 + (uint32_t)i);
        if (t <= BIG_SIGNAL) continue;
        refs[n].terms = t;
        refs[n++].i = i;
        huge += t > BIG_SOLO_MAX;
    }
    qsort(refs, nbig, sizeof *refs, big_cmp); /* the huge ones first */
    size_t solo = threads > 1 ? (nbig - huge) - (nbig - huge) % (size_t)threads : 0;
    int rc = 0;
    for (size_t k = 0; k < nbig && rc == 0; k++) {
        if (k == huge && solo > 0) {
            big_ctx b = {x, refs + huge};
            int r = ns_parallel_for(threads, solo, 1, big_task, &b);
            if (r != 0) {
                *err = x->errs[r - 1];
                rc = -1;
            }
            k += solo - 1;
            continue;
        }
        size_t i = refs[k].i;
        rc = signal_sum(x->c, &x->scr[0], x->kind, x->s0 + (uint32_t)i, threads, x->j1 ? &x->j1[i] : NULL,
                        x->j2 ? &x->j2[i] : NULL, NULL, err);
    }
    free(refs);
    return rc;
}

int p2n_points(p2n_ctx *c, p2n_kind kind, uint32_t s0, uint32_t s1, uint8_t *out, uint8_t *u, ns_error *err) {
    int g2 = kind == P2N_B2;
    size_t cnt = (size_t)(s1 - s0);
    if (cnt == 0) return 0;
    int threads = c->threads > 0 ? c->threads : ns_cpu_count();
    chunk_ctx x = {c, kind, s0, NULL, NULL, NULL, NULL, NULL, NULL};
    norm_ctx nx = {NULL, NULL, NULL, NULL, malloc(cnt * sizeof(uint32_t)), out, u, NULL, NULL, NULL, NULL};
    x.scr = calloc((size_t)threads, sizeof(scratch));
    x.errs = calloc((size_t)threads, sizeof(ns_error));
    if (g2) {
        x.j2 = malloc(cnt * sizeof(bn254_g2));
        nx.a2 = malloc(cnt * sizeof(bn254_g2_affine));
    } else {
        x.j1 = malloc(cnt * sizeof(bn254_g1));
        nx.a1 = malloc(cnt * sizeof(bn254_g1_affine));
        x.pair = malloc(2 * cnt * sizeof(bn254_g1_affine));
        x.paired = calloc(cnt, 1);
        nx.pidx = malloc(cnt * sizeof(uint32_t));
        nx.pre = malloc(cnt * sizeof(bn254_fq));
    }
    int rc = 0;
    if (x.scr == NULL || x.errs == NULL || (g2 ? (void *)x.j2 : (void *)x.j1) == NULL ||
        (g2 ? (void *)nx.a2 : (void *)nx.a1) == NULL || nx.idx == NULL ||
        (!g2 && (x.pair == NULL || x.paired == NULL || nx.pidx == NULL || nx.pre == NULL))) {
        rc = ns_error_set(err, "zkey new: out of memory");
        goto done;
    }
    int r = ns_parallel_for(threads, cnt, 8, chunk_task, &x);
    if (r != 0) {
        *err = x.errs[r - 1];
        rc = -1;
        goto done;
    }
    if (big_signals(&x, cnt, threads, err) != 0) {
        rc = -1;
        goto done;
    }
    nx.j1 = x.j1;
    nx.j2 = x.j2;
    nx.pair = x.pair;
    nx.paired = x.paired;
    ns_parallel_for(threads, cnt, NORM_BLOCK, norm_task, &nx);
done:
    if (x.scr)
        for (int t = 0; t < threads; t++) {
            free(x.scr[t].p1);
            free(x.scr[t].p2);
            free(x.scr[t].sc);
        }
    free(x.scr);
    free(x.errs);
    free(x.j1);
    free(x.j2);
    free(nx.a1);
    free(nx.a2);
    free(nx.idx);
    free(x.pair);
    free(x.paired);
    free(nx.pidx);
    free(nx.pre);
    return rc;
}
