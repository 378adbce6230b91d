#include "phase2/verify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "curve/bn254_msm.h"
#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "formats/zkey.h"
#include "phase2/new.h"
#include "phase2/p2_curve.h"
#include "util/mapfile.h"

#define MSM_CHUNK ((size_t)1 << 16)

/* Everything the checks share. */
typedef struct {
    const char *path;      /* zkey under test */
    const char *init_name; /* names the initial key in messages */
    const char *ptau_path;
    int threads;
    ns_zkey z, zi;
    ns_mapfile map, mapi, mapp, mapr;
    ns_ptau pt;
    ns_r1cs r1cs;
    int z_open, zi_open, pt_open, r1cs_open;
    ns_zkey_mpc mpc;
} vctx;

static int fill_random(void *buf, size_t n, ns_error *err) {
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t r = getrandom(p, n > 256 ? 256 : n, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            return ns_error_set(err, "getrandom: %s", strerror(errno));
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* count random 64-bit weights, each stored as a 32-byte little-endian MSM
 * scalar (upper 24 bytes zero), from a ChaCha stream seeded by getrandom. */
static int random_weights(uint8_t *out, uint64_t count, ns_error *err) {
    uint8_t seed[32];
    bn254_chacha rng;
    if (fill_random(seed, sizeof seed, err) != 0) return -1;
    bn254_chacha_init_hash(&rng, seed);
    for (uint64_t i = 0; i < count; i++) {
        uint64_t w = bn254_chacha_u64(&rng);
        for (int b = 0; b < 8; b++) out[32 * i + (uint64_t)b] = (uint8_t)(w >> (8 * b));
    }
    bn254_chacha_wipe(&rng);
    return 0;
}

/* ---- section 10: transcripts, proofs of knowledge, delta chain ---- */

static int check_contributions(vctx *v, bn254_g1_affine *cur_delta, ns_phase2_verify_report *rep,
                               ns_error *err) {
    const ns_zkey_mpc *m = &v->mpc;
    bn254_g1_affine_generator(cur_delta);
    ns_hash *acc = ns_p2_transcript_prefix(m, 0);
    if (acc == NULL) return ns_error_set(err, "out of memory");
    int rc = -1;
    for (uint32_t i = 0; i < m->n; i++) {
        const ns_zkey_contribution *c = &m->c[i];
        bn254_g1_affine after, g1s, g1sx;
        bn254_g2_affine g2spx, g2sp;
        uint8_t u[64], t[64];
        if (p2_g1_load(&after, c->delta_after) != 0 || p2_g1_load(&g1s, c->g1_s) != 0 ||
            p2_g1_load(&g1sx, c->g1_sx) != 0 || p2_g2_load_var(&g2spx, c->g2_spx) != 0) {
            ns_error_set(err, "%s: INVALID(%u): contribution #%u holds a point that is not on the curve",
                         v->path, i, i + 1);
            goto out;
        }
        /* a. transcript */
        ns_hash *h = ns_hash_clone(acc); /* csHash and the pubkeys of records 0..i-1 */
        if (h == NULL) {
            ns_error_set(err, "out of memory");
            goto out;
        }
        bn254_g1_lem_to_u(u, c->g1_s);
        ns_hash_update(h, u, 64);
        bn254_g1_lem_to_u(u, c->g1_sx);
        ns_hash_update(h, u, 64);
        ns_hash_final(h, t);
        ns_hash_free(h);
        if (memcmp(t, c->transcript, 64) != 0) {
            ns_error_set(err, "%s: INVALID(%u): Inconsistent transcript of contribution #%u", v->path, i,
                         i + 1);
            goto out;
        }
        /* b. proof of knowledge */
        p2_hash_to_g2_var(&g2sp, c->transcript);
        if (!p2_same_ratio_var(&g1s, &g1sx, &g2sp, &g2spx)) {
            ns_error_set(err,
                         "%s: INVALID(%u): contribution #%u: public key G1 and G2 do not have the same ratio",
                         v->path, i, i + 1);
            goto out;
        }
        /* c. delta chain */
        if (!p2_same_ratio_var(cur_delta, &after, &g2sp, &g2spx)) {
            ns_error_set(err, "%s: INVALID(%u): contribution #%u: deltaAfter does not follow the public key",
                         v->path, i, i + 1);
            goto out;
        }
        /* d. beacon: recompute the key from its parameters */
        if (c->type == NS_ZKEY_TYPE_BEACON) {
            if (!c->p.has_exp || !c->p.has_beacon_hash || c->p.beacon_hash_len == 0 ||
                c->p.num_iter_exp < 10 || c->p.num_iter_exp > 63) {
                ns_error_set(err, "%s: INVALID(%u): beacon contribution #%u lacks valid beacon parameters",
                             v->path, i, i + 1);
                goto out;
            }
            uint8_t digest[32], lem[64];
            p2_rng rng;
            bn254_fr k;
            bn254_g1_affine es, esx;
            ns_p2_beacon_digest(digest, c->p.beacon_hash, c->p.beacon_hash_len, c->p.num_iter_exp);
            p2_rng_seed(&rng, digest);
            p2_fr_from_rng(&k, &rng);
            p2_g1_from_rng_var(&es, &rng);
            p2_g1_mul(&esx, &es, &k);
            p2_g1_store(lem, &es);
            if (memcmp(lem, c->g1_s, 64) != 0) {
                ns_error_set(err, "%s: INVALID(%u): Key of the beacon does not match. g1_s", v->path, i);
                goto out;
            }
            p2_g1_store(lem, &esx);
            if (memcmp(lem, c->g1_sx, 64) != 0) {
                ns_error_set(err, "%s: INVALID(%u): Key of the beacon does not match. g1_sx", v->path, i);
                goto out;
            }
        }
        ns_zkey_hash_pubkey(acc, c);
        if (rep != NULL) ns_zkey_contribution_hash(rep->hash[i], c);
        *cur_delta = after;
    }
    rc = 0;
out:
    ns_hash_free(acc);
    return rc;
}


/* ---- random linear combinations ---- */

/* r = sum s_i * P_i over n points given as LEM bytes (validated here);
 * scalars are 32-byte little-endian integers. */
static int msm_lem(bn254_g1 *r, const uint8_t *lem, const uint8_t *scalars, size_t n,
                   bn254_g1_affine *buf, int threads, const ns_mapfile *map, const char *what,
                   const char *path, ns_error *err) {
    bn254_g1_set_infinity(r);
    for (size_t off = 0; off < n; off += MSM_CHUNK) {
        size_t cnt = n - off < MSM_CHUNK ? n - off : MSM_CHUNK;
        for (size_t i = 0; i < cnt; i++)
            if (p2_g1_load(&buf[i], lem + (off + i) * 64) != 0)
                return ns_error_set(err, "%s: INVALID: %s point %zu is not a valid curve point", path,
                                    what, off + i);
        bn254_g1 part;
        if (bn254_g1_msm_var(&part, buf, scalars + off * 32, 32, cnt, threads, err) != 0) return -1;
        bn254_g1_add_var(r, r, &part);
        /* points were copied into buf: drop the mapped input pages */
        if (map != NULL) ns_mapfile_release(map, (uint64_t)(lem - map->data) + off * 64, (uint64_t)cnt * 64);
    }
    return 0;
}

/* ---- the initial key, streamed section by section ----
 * Whether it is regenerated (zkey new) or read from --init, its sections
 * pass through these callbacks: 3..7 are compared with the key under test
 * as they arrive, 8 (L) is folded into sum rho_i L_init[i], 2 and 10 give the
 * header and the circuit hash.  Memory: one MSM chunk. */
typedef struct {
    vctx *v;
    uint64_t pos;          /* payload bytes of the current section so far */
    uint32_t mismatch;     /* first of sections 3..7 that differs (0: none) */
    const uint8_t *rho;    /* L weights, 32 bytes each */
    uint64_t nl;           /* points in the tested key's L section */
    uint64_t lcount;       /* L points received */
    int l_size_bad;
    uint8_t carry[64];
    size_t carry_len;
    bn254_g1_affine *buf;
    size_t buf_n;
    uint64_t buf_first;
    bn254_g1 acc;
    uint8_t cs_hash[64];
    uint64_t cs_len;
    uint8_t header[NS_ZKEY_HEADER_SIZE];
    uint64_t header_len;
} init_sink;

static int is_flush(init_sink *s, ns_error *err) {
    if (s->buf_n == 0) return 0;
    bn254_g1 part;
    if (bn254_g1_msm_var(&part, s->buf, s->rho + s->buf_first * 32, 32, s->buf_n, s->v->threads,
                         err) != 0)
        return -1;
    bn254_g1_add_var(&s->acc, &s->acc, &part);
    s->buf_first += s->buf_n;
    s->buf_n = 0;
    return 0;
}

static int is_point(init_sink *s, const uint8_t *lem, ns_error *err) {
    if (s->lcount >= s->nl) { /* more points than the tested key: sizes differ */
        s->l_size_bad = 1;
        s->lcount++;
        return 0;
    }
    if (p2_g1_load(&s->buf[s->buf_n], lem) != 0)
        return ns_error_set(err, "%s: INVALID: L point %llu of the initial key is not a valid curve point",
                            s->v->init_name, (unsigned long long)s->lcount);
    s->buf_n++;
    s->lcount++;
    return s->buf_n == MSM_CHUNK ? is_flush(s, err) : 0;
}

static int is_begin(void *ctx, uint32_t id, ns_error *err) {
    (void)err;
    init_sink *s = ctx;
    s->pos = 0;
    if (id == 8) {
        s->carry_len = 0;
        s->lcount = 0;
        s->buf_n = 0;
        s->buf_first = 0;
        bn254_g1_set_infinity(&s->acc);
    }
    return 0;
}

static int is_data(void *ctx, uint32_t id, const uint8_t *b, uint64_t n, ns_error *err) {
    init_sink *s = ctx;
    if (id >= 3 && id <= 7) {
        uint64_t size = 0;
        const uint8_t *p = ns_zkey_section(&s->v->z, id, &size);
        if (s->mismatch == 0 && (s->pos + n > size || memcmp(p + s->pos, b, (size_t)n) != 0))
            s->mismatch = id;
        if (s->pos < size)
            ns_mapfile_release(&s->v->map, (uint64_t)(p - s->v->map.data) + s->pos,
                               n < size - s->pos ? n : size - s->pos);
    } else if (id == 8) {
        uint64_t i = 0;
        if (s->carry_len > 0) {
            size_t take = 64 - s->carry_len;
            if (take > n) take = (size_t)n;
            memcpy(s->carry + s->carry_len, b, take);
            s->carry_len += take;
            i = take;
            if (s->carry_len == 64) {
                s->carry_len = 0;
                if (is_point(s, s->carry, err) != 0) return -1;
            }
        }
        for (; i + 64 <= n; i += 64)
            if (is_point(s, b + i, err) != 0) return -1;
        if (i < n) {
            memcpy(s->carry, b + i, (size_t)(n - i));
            s->carry_len = (size_t)(n - i);
        }
    } else if (id == 10) {
        for (uint64_t i = 0; i < n && s->cs_len < 64; i++) s->cs_hash[s->cs_len++] = b[i];
    } else if (id == 2) {
        for (uint64_t i = 0; i < n && s->header_len < NS_ZKEY_HEADER_SIZE; i++)
            s->header[s->header_len++] = b[i];
    }
    s->pos += n;
    return 0;
}

static int is_end(void *ctx, uint32_t id, ns_error *err) {
    init_sink *s = ctx;
    if (id >= 3 && id <= 7) {
        uint64_t size = 0;
        ns_zkey_section(&s->v->z, id, &size);
        if (s->mismatch == 0 && s->pos != size) s->mismatch = id;
    } else if (id == 8) {
        if (s->carry_len != 0 || s->lcount != s->nl) s->l_size_bad = 1;
        return is_flush(s, err);
    }
    return 0;
}

/* Feeds the sections of an existing initial key through the sink. */
static int feed_file(const ns_zkey *zi, const ns_p2new_sink *sink, ns_error *err) {
    static const uint32_t ids[] = {2, 3, 4, 5, 6, 7, 8, 10};
    const uint64_t step = (uint64_t)1 << 20;
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        uint64_t size = 0;
        const uint8_t *p = ns_zkey_section(zi, ids[k], &size);
        if (sink->begin(sink->ctx, ids[k], err) != 0) return -1;
        for (uint64_t off = 0; off < size; off += step) {
            uint64_t n = size - off < step ? size - off : step;
            if (sink->data(sink->ctx, ids[k], p + off, n, err) != 0) return -1;
        }
        if (sink->end(sink->ctx, ids[k], err) != 0) return -1;
    }
    return 0;
}

/* In-place radix-2 DFT: a_k <- sum_i a_i w^(ik), n = 2^log2n. */
static void fr_dft(bn254_fr *a, uint32_t log2n, const bn254_fr *w) {
    size_t n = (size_t)1 << log2n;
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            bn254_fr t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        bn254_fr wl = *w; /* w^(n/len) */
        for (size_t k = len; k < n; k <<= 1) bn254_fr_sqr(&wl, &wl);
        for (size_t i = 0; i < n; i += len) {
            bn254_fr wk;
            bn254_fr_one(&wk);
            for (size_t j = 0; j < len / 2; j++) {
                bn254_fr u = a[i + j], t;
                bn254_fr_mul(&t, &a[i + j + len / 2], &wk);
                bn254_fr_add(&a[i + j], &u, &t);
                bn254_fr_sub(&a[i + j + len / 2], &u, &t);
                bn254_fr_mul(&wk, &wk, &wl);
            }
        }
    }
}

/* H[k] must equal L^(2n)_(2k+1)(tau)/delta.  With p(X) = sum_i rho_i X^i (X^n - 1)
 * (rho_(n-1) = 0 so only powers up to 2n-2 are needed):
 *   p(tau) G1 = sum rho_i (tauG1[n+i] - tauG1[i])                 (from the ptau)
 *   p(tau) G1 = sum_k p(w_2n^(2k+1)) L_(2k+1)(tau) G1, p(w^(2k+1)) = -2 sum_i rho_i w_2n^i w_n^(ik). */
static int check_h(vctx *v, const bn254_g2_affine *d2, const bn254_g2_affine *d2i, ns_error *err) {
    uint32_t n = v->z.h.domain_size, log2n = v->z.h.power;
    uint64_t hs = 0;
    const uint8_t *h = ns_zkey_section(&v->z, 9, &hs);
    const uint8_t *lo = NULL, *hi = NULL;
    if (log2n >= 28)
        return ns_error_set(err, "%s: domain 2^%u is not supported by verify", v->path, log2n);
    if (log2n > v->pt.power)
        return ns_error_set(err, "%s: powers of tau of power %u is too small for domain 2^%u",
                            v->ptau_path, v->pt.power, log2n);
    if (ns_ptau_points(&v->pt, 2, 0, n - 1, &lo, err) != 0 ||
        ns_ptau_points(&v->pt, 2, n, n - 1, &hi, err) != 0)
        return -1;
    int rc = -1;
    uint8_t *rho = calloc(n, 32);
    uint8_t *sc = malloc((size_t)n * 32);
    bn254_fr *a = malloc((size_t)n * sizeof *a);
    bn254_g1_affine *buf = malloc(MSM_CHUNK * sizeof *buf);
    if (rho == NULL || sc == NULL || a == NULL || buf == NULL) {
        ns_error_set(err, "out of memory");
        goto out;
    }
    if (random_weights(rho, n - 1, err) != 0) goto out; /* rho_(n-1) stays 0 */
    bn254_fr w2n, mtwo, f;
    bn254_fr_root_of_unity(&w2n, (int)log2n + 1);
    bn254_fr_from_u64(&mtwo, 2);
    bn254_fr_neg(&mtwo, &mtwo);
    f = mtwo; /* -2 * w2n^i */
    for (uint32_t i = 0; i < n; i++) {
        uint64_t r64 = 0;
        for (int b = 7; b >= 0; b--) r64 = r64 << 8 | rho[32 * (size_t)i + (size_t)b];
        bn254_fr_from_u64(&a[i], r64);
        bn254_fr_mul(&a[i], &a[i], &f);
        bn254_fr_mul(&f, &f, &w2n);
    }
    bn254_fr wn;
    bn254_fr_sqr(&wn, &w2n);
    fr_dft(a, log2n, &wn);
    for (uint32_t k = 0; k < n; k++) {
        uint64_t c[4];
        bn254_fr_to_canonical(c, &a[k]);
        for (int j = 0; j < 4; j++)
            for (int b = 0; b < 8; b++) sc[32 * (size_t)k + 8 * (size_t)j + (size_t)b] = (uint8_t)(c[j] >> (8 * b));
    }
    bn254_g1 t_hi, t_lo, r1, r2;
    if (msm_lem(&t_hi, hi, rho, n - 1, buf, v->threads, &v->mapp, "ptau tauG1", v->ptau_path, err) != 0 ||
        msm_lem(&t_lo, lo, rho, n - 1, buf, v->threads, &v->mapp, "ptau tauG1", v->ptau_path, err) != 0 ||
        msm_lem(&r2, h, sc, n, buf, v->threads, &v->map, "H section", v->path, err) != 0)
        goto out;
    bn254_g1_neg(&t_lo, &t_lo);
    bn254_g1_add_var(&r1, &t_hi, &t_lo);
    bn254_g1_affine a1, a2;
    bn254_g1_to_affine_var(&a1, &r1);
    bn254_g1_to_affine_var(&a2, &r2);
    if (!p2_same_ratio_var(&a1, &a2, d2, d2i)) {
        ns_error_set(err, "%s: INVALID: H section does not match", v->path);
        goto out;
    }
    rc = 0;
out:
    free(rho);
    free(sc);
    free(a);
    free(buf);
    return rc;
}

/* Everything after the contribution chain, in snarkjs' order. */
static int check_against_init(vctx *v, const bn254_g1_affine *cur_delta, const init_sink *s,
                              const ns_zkey_header *hi, const bn254_g1 *l_tested, ns_error *err) {
    const ns_zkey_header *h = &v->z.h;
    bn254_g1_affine g1, a1, a2;
    bn254_g2_affine g2, d2, d2i;
    uint8_t lem[64];
    if (h->nvars != hi->nvars || h->npublic != hi->npublic || h->domain_size != hi->domain_size)
        return ns_error_set(err,
                            "%s: INVALID: Different circuit parameters (nVars %u, nPublic %u, domain %u; "
                            "the initial key has %u, %u, %u)",
                            v->path, h->nvars, h->npublic, h->domain_size, hi->nvars, hi->npublic,
                            hi->domain_size);
    if (memcmp(h->alpha1, hi->alpha1, 64) != 0)
        return ns_error_set(err, "%s: INVALID: Invalid alpha1 (differs from the initial key: another ptau?)", v->path);
    if (memcmp(h->beta1, hi->beta1, 64) != 0)
        return ns_error_set(err, "%s: INVALID: Invalid beta1 (differs from the initial key: another ptau?)", v->path);
    if (memcmp(h->beta2, hi->beta2, 128) != 0)
        return ns_error_set(err, "%s: INVALID: Invalid beta2 (differs from the initial key: another ptau?)", v->path);
    if (memcmp(h->gamma2, hi->gamma2, 128) != 0)
        return ns_error_set(err, "%s: INVALID: Invalid gamma2", v->path);
    if (p2_g2_load_var(&d2, h->delta2) != 0)
        return ns_error_set(err, "%s: INVALID: delta2 is not a valid curve point", v->path);
    if (p2_g2_load_var(&d2i, hi->delta2) != 0)
        return ns_error_set(err, "%s: INVALID: delta2 of the initial key is not a valid curve point",
                            v->init_name);
    p2_g1_store(lem, cur_delta);
    if (memcmp(lem, h->delta1, 64) != 0)
        return ns_error_set(err, "%s: INVALID: Invalid delta1 (not the last contribution's deltaAfter)",
                            v->path);
    bn254_g1_affine_generator(&g1);
    bn254_g2_affine_generator(&g2);
    if (!p2_same_ratio_var(&g1, cur_delta, &g2, &d2))
        return ns_error_set(err, "%s: INVALID: Invalid delta2 (does not match delta1)", v->path);
    if (s->cs_len != 64 || memcmp(s->cs_hash, v->mpc.cs_hash, 64) != 0)
        return ns_error_set(err, "%s: INVALID: Circuit does not match (circuit hash differs from the "
                            "initial key's)", v->path);
    if (s->mismatch != 0) {
        static const char *const names[8] = {"", "", "", "IC", "Coeffs", "A", "B1", "B2"};
        return ns_error_set(err, "%s: INVALID: %s section is not identical (section %u differs from the "
                            "initial key)", v->path, names[s->mismatch], s->mismatch);
    }
    if (s->l_size_bad)
        return ns_error_set(err, "%s: INVALID: Invalid L section size", v->path);
    if (s->nl > 0) { /* snarkjs: an empty L section passes */
        bn254_g1_to_affine_var(&a1, &s->acc);
        bn254_g1_to_affine_var(&a2, l_tested);
        if (!p2_same_ratio_var(&a1, &a2, &d2, &d2i))
            return ns_error_set(err, "%s: INVALID: L section does not match", v->path);
    }
    return check_h(v, &d2, &d2i, err);
}

/* Longer than 100 lines on purpose: the verification is already a list of
 * named checks (header, sections, contributions, L, H); this function is
 * their sequence plus the mapping and clean-up of four files, and reads as
 * snarkjs's zkey verify does, step for step. */
int ns_phase2_verify(const char *zkey_path, const char *init_path, const char *r1cs_path,
                     const char *ptau_path, int threads, ns_phase2_verify_report *rep,
                     ns_error *err) {
    vctx v;
    init_sink s;
    uint8_t *rho = NULL;
    bn254_g1_affine *buf = NULL, *sbuf = NULL;
    int rc = -1;
    memset(&v, 0, sizeof v);
    memset(&s, 0, sizeof s);
    if (rep != NULL) memset(rep, 0, sizeof *rep);
    v.path = zkey_path;
    v.init_name = init_path != NULL ? init_path : "the regenerated initial key";
    v.ptau_path = ptau_path;
    v.threads = threads;

    if (ns_zkey_open(&v.z, &v.map, zkey_path, 2, err) != 0) goto out;
    v.z_open = 1;
    {
        uint64_t size = 0;
        const uint8_t *p = NULL;
        if (ns_binfile_get(&v.z.bf, 10, &p, &size, err) != 0) goto out;
        if (ns_zkey_mpc_parse_payload(&v.mpc, p, size, zkey_path, err) != 0) goto out;
    }
    if (rep != NULL) {
        memcpy(rep->cs_hash, v.mpc.cs_hash, 64);
        memcpy(rep->mpc.cs_hash, v.mpc.cs_hash, 64);
        rep->hash = calloc(v.mpc.n ? v.mpc.n : 1, 64);
        if (v.mpc.n > 0) rep->mpc.c = malloc(v.mpc.n * sizeof *rep->mpc.c);
        if (rep->hash == NULL || (v.mpc.n > 0 && rep->mpc.c == NULL)) {
            ns_error_set(err, "out of memory");
            goto out;
        }
        if (v.mpc.n > 0) memcpy(rep->mpc.c, v.mpc.c, v.mpc.n * sizeof *rep->mpc.c);
        rep->mpc.n = v.mpc.n;
        rep->mpc_ok = 1;
    }

    /* 1. the contribution chain (cheap: a few pairings per contribution) */
    bn254_g1_affine cur_delta;
    if (check_contributions(&v, &cur_delta, rep, err) != 0) goto out;

    /* 2. L of the tested key under random weights (the same weights are
     *    applied to the initial key's L as it streams by) */
    uint64_t lsize = 0;
    const uint8_t *l = ns_zkey_section(&v.z, 8, &lsize);
    s.v = &v;
    s.nl = lsize / 64;
    rho = calloc(s.nl ? s.nl : 1, 32);
    buf = malloc(MSM_CHUNK * sizeof *buf);
    sbuf = malloc(MSM_CHUNK * sizeof *sbuf);
    if (rho == NULL || buf == NULL || sbuf == NULL) {
        ns_error_set(err, "out of memory");
        goto out;
    }
    if (random_weights(rho, s.nl, err) != 0) goto out;
    s.rho = rho;
    s.buf = sbuf;
    bn254_g1 l_tested;
    if (msm_lem(&l_tested, l, rho, (size_t)s.nl, buf, threads, &v.map, "L section", zkey_path, err) != 0) goto out;

    /* 3. the ptau (needed for the H check, and to regenerate the key) */
    if (ns_mapfile_open(&v.mapp, ptau_path, err) != 0) goto out;
    if (ns_ptau_parse(&v.pt, v.mapp.data, v.mapp.size, ptau_path, err) != 0) {
        ns_mapfile_close(&v.mapp);
        goto out;
    }
    v.pt_open = 1;

    /* 4. stream the initial key through the sink */
    ns_p2new_sink sink = {&s, is_begin, is_data, is_end};
    ns_zkey_header hi;
    if (init_path != NULL) {
        if (ns_zkey_open(&v.zi, &v.mapi, init_path, 2, err) != 0) goto out;
        v.zi_open = 1;
        if (feed_file(&v.zi, &sink, err) != 0) goto out;
        hi = v.zi.h;
    } else {
        ns_p2new_info info;
        ns_p2new_opts opts = {threads, 0};
        if (ns_mapfile_open(&v.mapr, r1cs_path, err) != 0) goto out;
        if (ns_r1cs_parse(&v.r1cs, v.mapr.data, v.mapr.size, r1cs_path, err) != 0) {
            ns_mapfile_close(&v.mapr);
            goto out;
        }
        v.r1cs_open = 1;
        if (ns_p2new_generate(&info, &v.r1cs, &v.pt, &opts, &sink, err) != 0) goto out;
        if (s.header_len != NS_ZKEY_HEADER_SIZE) {
            ns_error_set(err, "internal error: zkey new produced no header");
            goto out;
        }
        ns_zkey_header_decode(&hi, s.header);
    }
    if (check_against_init(&v, &cur_delta, &s, &hi, &l_tested, err) != 0) goto out;
    rc = 0;
out:
    free(rho);
    free(buf);
    free(sbuf);
    if (v.r1cs_open) ns_mapfile_close(&v.mapr);
    if (v.zi_open) ns_mapfile_close(&v.mapi);
    if (v.pt_open) ns_mapfile_close(&v.mapp);
    if (v.z_open) ns_mapfile_close(&v.map);
    ns_zkey_mpc_free(&v.mpc);
    return rc;
}

void ns_phase2_verify_report_free(ns_phase2_verify_report *rep) {
    if (rep == NULL) return;
    free(rep->hash);
    rep->hash = NULL;
    ns_zkey_mpc_free(&rep->mpc);
}
