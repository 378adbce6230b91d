/* zkey new driver: checks, section order, csHash, sinks (file, compare). */
#include "phase2/new.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "formats/encode.h"
#include "phase2/new_internal.h"
#include "util/parallel.h"

#define POINT_CHUNK ((uint32_t)1 << 14) /* signals per batch */

int ns_p2new_check(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, ns_error *err) {
    memset(info, 0, sizeof *info);
    if (!r1cs->is_bn254)
        return ns_error_set(err, "%s: r1cs curve does not match the powers of tau curve (field is not BN254 r)",
                            r1cs->bf.path);
    uint32_t npub = ns_r1cs_npublic(r1cs);
    uint32_t k = ns_groth16_domain_power(r1cs->nconstraints, npub);
    if (k > ptau->power)
        return ns_error_set(err, "%s: circuit needs a domain of 2^%u (m + nPublic + 1 = %llu rows) but %s has power %u",
                            r1cs->bf.path, k, (unsigned long long)r1cs->nconstraints + npub + 1, ptau->bf.path,
                            ptau->power);
    if (!ns_binfile_has(&ptau->bf, 12) && ptau->bf.sec[12].count == 0)
        return ns_error_set(err, "%s: powers of tau not prepared for phase 2 (no section 12; run snarkjs powersoftau prepare phase2)",
                            ptau->bf.path);
    const uint8_t *p;
    /* every view this key needs, so that a truncated ptau fails before any work */
    if (ns_ptau_lagrange(ptau, 12, k, &p, err) != 0 || ns_ptau_lagrange(ptau, 13, k, &p, err) != 0 ||
        ns_ptau_lagrange(ptau, 14, k, &p, err) != 0 || ns_ptau_lagrange(ptau, 15, k, &p, err) != 0 ||
        ns_ptau_lagrange(ptau, 12, k + 1, &p, err) != 0 || ns_ptau_points(ptau, 4, 0, 1, &p, err) != 0 ||
        ns_ptau_points(ptau, 5, 0, 1, &p, err) != 0 || ns_ptau_points(ptau, 6, 0, 1, &p, err) != 0)
        return -1;
    if (ns_r1cs_check(r1cs, info->nterms, err) != 0) return -1;
    ns_zkey_header *h = &info->header;
    h->nvars = r1cs->nwires;
    h->npublic = npub;
    h->domain_size = 1u << k;
    h->power = k;
    ns_ptau_points(ptau, 4, 0, 1, &p, err);
    memcpy(h->alpha1, p, 64);
    ns_ptau_points(ptau, 5, 0, 1, &p, err);
    memcpy(h->beta1, p, 64);
    ns_ptau_points(ptau, 6, 0, 1, &p, err);
    memcpy(h->beta2, p, 128);
    bn254_g1_affine g1;
    bn254_g2_affine g2;
    bn254_g1_affine_generator(&g1);
    bn254_g2_affine_generator(&g2);
    bn254_fq_to_lem(h->delta1, &g1.x);
    bn254_fq_to_lem(h->delta1 + 32, &g1.y);
    bn254_fq_to_lem(h->gamma2, &g2.x.c0);
    bn254_fq_to_lem(h->gamma2 + 32, &g2.x.c1);
    bn254_fq_to_lem(h->gamma2 + 64, &g2.y.c0);
    bn254_fq_to_lem(h->gamma2 + 96, &g2.y.c1);
    memcpy(h->delta2, h->gamma2, 128);
    uint64_t nc = info->nterms[0] + info->nterms[1] + npub + 1;
    if (nc > UINT32_MAX) return ns_error_set(err, "%s: too many A and B terms for a zkey (%llu)", r1cs->bf.path, (unsigned long long)nc);
    info->ncoefs = (uint32_t)nc;
    return 0;
}

/* ---- sink helpers ---- */
static int s_begin(const ns_p2new_sink *s, uint32_t id, ns_error *err) {
    return s->begin ? s->begin(s->ctx, id, err) : 0;
}
static int s_data(const ns_p2new_sink *s, uint32_t id, const void *b, uint64_t n, ns_error *err) {
    return s->data && n ? s->data(s->ctx, id, b, n, err) : 0;
}
static int s_end(const ns_p2new_sink *s, uint32_t id, ns_error *err) { return s->end ? s->end(s->ctx, id, err) : 0; }

static void hash_u32be(ns_hash *h, uint32_t v) {
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    ns_hash_update(h, b, 4);
}

/* In place: the 32-byte coefficient of each 44-byte record to the zkey form. */
static int coef_conv_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    uint8_t *buf = vctx;
    for (size_t i = begin; i < end; i++) ns_fr_coef_to_zkey(buf + i * 44 + 12, buf + i * 44 + 12);
    return 0;
}

/* Converts the nb records in buf (on `threads` threads) and passes them on. */
static int flush_coeffs(int threads, const ns_p2new_sink *sink, uint8_t *buf, size_t nb, ns_error *err) {
    if (threads == 1) coef_conv_task(buf, 0, nb, 0);
    else ns_parallel_for(threads, nb, 4096, coef_conv_task, buf);
    return s_data(sink, 4, buf, nb * 44, err);
}

static int write_coeffs(const p2n_ctx *c, int threads, const ns_p2new_info *info, const ns_p2new_sink *sink,
                        ns_error *err) {
    enum { CAP = 1 << 16 };
    uint8_t *buf = malloc((size_t)CAP * 44);
    if (buf == NULL) return ns_error_set(err, "zkey new: out of memory");
    size_t nb = 0;
    int rc = 0;
    uint8_t cnt[4];
    ns_put_le32(cnt, info->ncoefs);
    if (s_data(sink, 4, cnt, 4, err) != 0) {
        free(buf);
        return -1;
    }
    ns_r1cs_iter it;
    ns_r1cs_lc abc[3];
    ns_r1cs_iter_init(&it, c->r, err);
    for (;;) {
        int more = ns_r1cs_iter_next(&it, abc, err);
        if (more < 0) {
            rc = -1;
            break;
        }
        uint32_t nrec = 0;
        uint8_t one[32] = {1};
        if (more) nrec = abc[0].n + abc[1].n;
        else nrec = c->npub + 1;
        for (uint32_t i = 0; i < nrec; i++) {
            uint8_t *rec = buf + nb * 44;
            if (more) {
                int mtx = i < abc[0].n ? 0 : 1;
                uint32_t t = mtx ? i - abc[0].n : i;
                ns_put_le32(rec, (uint32_t)mtx);
                ns_put_le32(rec + 4, it.index - 1);
                ns_put_le32(rec + 8, ns_r1cs_term_wire(&abc[mtx], t));
                memcpy(rec + 12, ns_r1cs_term_coef(&abc[mtx], t), 32); /* converted by flush_coeffs */
            } else {
                ns_put_le32(rec, 0);
                ns_put_le32(rec + 4, c->m + i);
                ns_put_le32(rec + 8, i);
                memcpy(rec + 12, one, 32);
            }
            if (++nb == CAP) {
                if (flush_coeffs(threads, sink, buf, nb, err) != 0) {
                    free(buf);
                    return -1;
                }
                nb = 0;
            }
        }
        if (!more) break;
    }
    if (rc == 0) rc = flush_coeffs(threads, sink, buf, nb, err);
    free(buf);
    return rc;
}

/* Sections 1 (type), 2 (header) and 4 (coefficients), in file order. */
typedef struct {
    const p2n_ctx *c;
    const ns_p2new_info *info;
    const ns_p2new_sink *sink;
} head_ctx;

static int head_sections(void *vctx, ns_error *err) {
    const head_ctx *x = vctx;
    const ns_p2new_sink *sink = x->sink;
    uint8_t one[4], b[NS_ZKEY_HEADER_SIZE];
    ns_put_le32(one, 1);
    ns_zkey_header_encode(b, &x->info->header);
    if (s_begin(sink, 1, err) || s_data(sink, 1, one, 4, err) || s_end(sink, 1, err)) return -1;
    if (s_begin(sink, 2, err) || s_data(sink, 2, b, sizeof b, err) || s_end(sink, 2, err)) return -1;
    /* one thread: the others are checking points meanwhile */
    if (s_begin(sink, 4, err) || write_coeffs(x->c, 1, x->info, sink, err) || s_end(sink, 4, err)) return -1;
    return 0;
}

/* ---- point sections: computed chunk by chunk; a chunk is written and
 * hashed (in order: the hash is sequential) while the next one is computed ---- */

typedef struct {
    uint32_t id;
    p2n_kind kind;
    uint32_t s0, s1;
} p2n_section;

typedef struct {     /* a computed chunk waiting to be written and hashed */
    uint32_t id;
    uint32_t count;  /* the section's point count (hashed before its first chunk) */
    int first, last; /* first / last chunk of its section */
    uint8_t *buf, *u;
    size_t bytes;
} p2n_pending;

static int write_pending(const p2n_pending *pd, ns_hash *h, const ns_p2new_sink *sink, ns_error *err) {
    if (pd->first) {
        hash_u32be(h, pd->count);
        if (s_begin(sink, pd->id, err) != 0) return -1;
    }
    if (s_data(sink, pd->id, pd->buf, pd->bytes, err) != 0) return -1;
    ns_hash_update(h, pd->u, pd->bytes);
    return pd->last ? s_end(sink, pd->id, err) : 0;
}

typedef struct {
    p2n_ctx *c;
    ns_hash *h;
    const ns_p2new_sink *sink;
    const p2n_pending *pend; /* to write, or NULL */
    p2n_kind kind;           /* to compute: signals [s, e) into buf, u */
    uint32_t s, e;
    uint8_t *buf, *u;
    int rc[2];
    ns_error err[2];
} pipe_step;

static int pipe_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    pipe_step *x = vctx;
    for (size_t item = begin; item < end; item++) {
        if (item == 0) x->rc[0] = x->e > x->s ? p2n_points(x->c, x->kind, x->s, x->e, x->buf, x->u, &x->err[0]) : 0;
        else if (x->pend) x->rc[1] = write_pending(x->pend, x->h, x->sink, &x->err[1]);
    }
    return 0;
}

/* The point sections in order.  With more than one thread, writing and
 * hashing chunk k runs on one more thread beside the computation of chunk
 * k + 1 (which uses c->threads). */
static int point_sections(p2n_ctx *c, const p2n_section *sec, int nsec, ns_hash *h, const ns_p2new_sink *sink,
                          ns_error *err) {
    int threads = c->threads > 0 ? c->threads : ns_cpu_count();
    size_t cap = (size_t)POINT_CHUNK * 128;
    uint8_t *mem = malloc(4 * cap);
    if (mem == NULL) return ns_error_set(err, "zkey new: out of memory");
    p2n_pending pend[2];
    int cur = 0, have = 0, rc = 0;
    for (int k = 0; k < nsec && rc == 0; k++) {
        size_t ps = sec[k].kind == P2N_B2 ? 128 : 64;
        uint32_t s = sec[k].s0;
        do { /* one chunk (an empty section is one empty chunk) */
            uint32_t e = sec[k].s1 - s < POINT_CHUNK ? sec[k].s1 : s + POINT_CHUNK;
            p2n_pending *pd = &pend[cur];
            pd->id = sec[k].id;
            pd->count = sec[k].s1 - sec[k].s0;
            pd->first = s == sec[k].s0;
            pd->last = e == sec[k].s1;
            pd->buf = mem + (size_t)cur * 2 * cap;
            pd->u = pd->buf + cap;
            pd->bytes = (size_t)(e - s) * ps;
            pipe_step x = {.c = c, .h = h, .sink = sink, .pend = have ? &pend[cur ^ 1] : NULL, .kind = sec[k].kind,
                           .s = s, .e = e, .buf = pd->buf, .u = pd->u};
            if (have && threads > 1) {
                ns_parallel_for(2, 2, 1, pipe_task, &x);
            } else {
                pipe_task(&x, 1, 2, 0); /* the earlier chunk first */
                pipe_task(&x, 0, 1, 0);
            }
            if (x.rc[1] != 0 || x.rc[0] != 0) { /* the earlier chunk's error first */
                *err = x.err[x.rc[1] != 0 ? 1 : 0];
                rc = -1;
                break;
            }
            have = 1;
            cur ^= 1;
            s = e;
        } while (s < sec[k].s1);
    }
    if (rc == 0 && have) rc = write_pending(&pend[cur ^ 1], h, sink, err);
    free(mem);
    return rc;
}

static int h_section(p2n_ctx *c, const ns_p2new_sink *sink, ns_error *err) {
    const uint8_t *blk;
    if (ns_ptau_lagrange(c->pt, 12, c->k + 1, &blk, err) != 0) return -1;
    if (s_begin(sink, 9, err) != 0) return -1;
    if (c->k == NS_PTAU_MAX_POWER) { /* second half of the special 2^29 block */
        if (s_data(sink, 9, blk + c->n * 64, c->n * 64, err) != 0) return -1;
        return s_end(sink, 9, err);
    }
    enum { CH = 1 << 14 };
    uint8_t *buf = malloc((size_t)CH * 64);
    if (buf == NULL) return ns_error_set(err, "zkey new: out of memory");
    for (uint64_t i = 0; i < c->n; i += CH) {
        uint64_t cnt = c->n - i < CH ? c->n - i : CH;
        for (uint64_t k = 0; k < cnt; k++) memcpy(buf + k * 64, blk + (2 * (i + k) + 1) * 64, 64);
        if (s_data(sink, 9, buf, cnt * 64, err) != 0) {
            free(buf);
            return -1;
        }
    }
    free(buf);
    return s_end(sink, 9, err);
}

/* ns_p2new_generate after ns_p2new_check(info) succeeded. */
static int generate_checked(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, const ns_p2new_opts *opts,
                            const ns_p2new_sink *sink, ns_error *err) {
    p2n_ctx c;
    memset(&c, 0, sizeof c);
    c.r = r1cs;
    c.pt = ptau;
    c.k = info->header.power;
    c.n = info->header.domain_size;
    c.m = r1cs->nconstraints;
    c.nvars = r1cs->nwires;
    c.npub = info->header.npublic;
    c.threads = opts ? opts->threads : 0;
    ns_ptau_lagrange(ptau, 12, c.k, &c.L1, err);
    ns_ptau_lagrange(ptau, 13, c.k, &c.L2, err);
    ns_ptau_lagrange(ptau, 14, c.k, &c.LA, err);
    ns_ptau_lagrange(ptau, 15, c.k, &c.LB, err);
    ns_progress prog;
    if (opts && opts->progress) {
        ns_progress_start(&prog, "zkey new", (uint64_t)c.nvars * 4);
        c.prog = &prog;
    }
    ns_hash *h = ns_hash_new(NS_HASH_BLAKE2B512);
    if (h == NULL) return ns_error_set(err, "zkey new: out of memory");
    int rc = -1;
    /* sections 1, 2, 4 need neither the checked points nor the CSR: they are
     * written while other threads check the points and build the CSR */
    head_ctx hx = {&c, info, sink};
    if (p2n_prepare(&c, head_sections, &hx, err) != 0) goto done;
    {
        const ns_zkey_header *zh = &info->header;
        ns_hash_g1_lem(h, zh->alpha1);
        ns_hash_g1_lem(h, zh->beta1);
        ns_hash_g2_lem(h, zh->beta2);
        ns_hash_g2_lem(h, zh->gamma2);
        ns_hash_g1_lem(h, zh->delta1);
        ns_hash_g2_lem(h, zh->delta2);
    }
    /* 3 (IC), 9 (H; hashed from ptau section 2), 8 (C), 5 (A), 6 (B1), 7 (B2) */
    {
        const p2n_section ic[1] = {{3, P2N_IC_C, 0, c.npub + 1}};
        const p2n_section rest[4] = {{8, P2N_IC_C, c.npub + 1, c.nvars},
                                     {5, P2N_A, 0, c.nvars},
                                     {6, P2N_B1, 0, c.nvars},
                                     {7, P2N_B2, 0, c.nvars}};
        if (point_sections(&c, ic, 1, h, sink, err) != 0) goto done;
        if (h_section(&c, sink, err) != 0 || p2n_hash_h(&c, h, err) != 0) goto done;
        if (point_sections(&c, rest, 4, h, sink, err) != 0) goto done;
    }
    ns_hash_final(h, info->cs_hash);
    /* 10 */
    uint8_t zero[4] = {0, 0, 0, 0};
    if (s_begin(sink, 10, err) || s_data(sink, 10, info->cs_hash, 64, err) || s_data(sink, 10, zero, 4, err) ||
        s_end(sink, 10, err))
        goto done;
    rc = 0;
done:
    if (c.prog) ns_progress_finish(c.prog);
    ns_hash_free(h);
    p2n_csr_free(&c);
    return rc;
}

/* ---- file sink ---- */
static int f_begin(void *ctx, uint32_t id, ns_error *err) { return ns_binwriter_begin(ctx, id, err); }
static int f_data(void *ctx, uint32_t id, const uint8_t *b, uint64_t n, ns_error *err) {
    (void)id;
    return ns_binwriter_write(ctx, b, n, err);
}
static int f_end(void *ctx, uint32_t id, ns_error *err) {
    (void)id;
    return ns_binwriter_end(ctx, err);
}

int ns_p2new_generate(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, const ns_p2new_opts *opts,
                      const ns_p2new_sink *sink, ns_error *err) {
    if (ns_p2new_check(info, r1cs, ptau, err) != 0) return -1;
    return generate_checked(info, r1cs, ptau, opts, sink, err);
}

int ns_p2new_write(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, const ns_p2new_opts *opts,
                   const char *out_path, ns_error *err) {
    if (ns_p2new_check(info, r1cs, ptau, err) != 0) return -1; /* fail before creating anything */
    ns_binwriter w;
    if (ns_binwriter_open(&w, out_path, "zkey", 1, 10, err) != 0) return -1;
    ns_p2new_sink sink = {&w, f_begin, f_data, f_end};
    if (generate_checked(info, r1cs, ptau, opts, &sink, err) != 0) {
        ns_binwriter_abort(&w);
        return -1;
    }
    return ns_binwriter_commit(&w, err);
}

/* ---- compare sink ---- */
typedef struct {
    const ns_zkey *z;
    uint32_t mismatch; /* bit id set: section id differs */
    uint64_t pos;     /* bytes of the current section seen */
    const uint8_t *p; /* existing section payload */
    uint64_t size;
} cmp_ctx;

static int c_begin(void *vctx, uint32_t id, ns_error *err) {
    (void)err;
    cmp_ctx *x = vctx;
    x->pos = 0;
    x->p = NULL;
    x->size = 0;
    if (id >= 3 && id <= 7) x->p = ns_zkey_section(x->z, id, &x->size);
    return 0;
}

static int c_data(void *vctx, uint32_t id, const uint8_t *b, uint64_t n, ns_error *err) {
    (void)err;
    cmp_ctx *x = vctx;
    if (id < 3 || id > 7 || (x->mismatch & (1u << id))) return 0;
    if (x->p == NULL || x->pos + n > x->size || memcmp(x->p + x->pos, b, (size_t)n) != 0) x->mismatch |= 1u << id;
    x->pos += n;
    return 0;
}

static int c_end(void *vctx, uint32_t id, ns_error *err) {
    (void)err;
    cmp_ctx *x = vctx;
    if (id >= 3 && id <= 7 && x->pos != x->size) x->mismatch |= 1u << id;
    return 0;
}

int ns_p2new_compare(ns_p2new_info *info, uint32_t *mismatch, const ns_r1cs *r1cs, const ns_ptau *ptau,
                     const ns_zkey *zkey, const ns_p2new_opts *opts, ns_error *err) {
    cmp_ctx x = {zkey, 0, 0, NULL, 0};
    ns_p2new_sink sink = {&x, c_begin, c_data, c_end};
    if (ns_p2new_generate(info, r1cs, ptau, opts, &sink, err) != 0) return -1;
    *mismatch = 0;
    for (uint32_t id = 3; id <= 7 && *mismatch == 0; id++) /* snarkjs reports in id order */
        if (x.mismatch & (1u << id)) *mismatch = id;
    return 0;
}
