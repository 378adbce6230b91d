#include "phase2/contribute.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "formats/zkey.h"
#include "phase2/p2_curve.h"
#include "phase2/transcript.h"
#include "util/hash.h"
#include "util/mapfile.h"
#include "util/progress.h"
#include "util/wipe.h"

#define APPLY_CHUNK_POINTS ((size_t)1 << 16) /* 4 MiB of G1 points per step */

int ns_phase2_mix_entropy(uint8_t seed[64], const uint8_t os_random[64], const char *entropy,
                          ns_error *err) {
    ns_hash *h = ns_hash_new(NS_HASH_BLAKE2B512);
    if (h == NULL) return ns_error_set(err, "out of memory");
    ns_hash_update(h, os_random, 64);
    if (entropy != NULL) ns_hash_update(h, entropy, strlen(entropy));
    ns_hash_final(h, seed);
    ns_hash_free(h); /* EVP_MD_CTX_free clears the context */
    return 0;
}

int ns_phase2_random_seed(uint8_t seed[64], const char *entropy, ns_error *err) {
    uint8_t rnd[64];
    size_t got = 0;
    while (got < sizeof rnd) {
        ssize_t r = getrandom(rnd + got, sizeof rnd - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            ns_wipe(rnd, sizeof rnd);
            return ns_error_set(err, "getrandom: %s", strerror(errno));
        }
        got += (size_t)r;
    }
    int rc = ns_phase2_mix_entropy(seed, rnd, entropy, err);
    ns_wipe(rnd, sizeof rnd);
    return rc;
}

/* Everything the new record and header need, derived from the RNG. */
typedef struct {
    ns_zkey_contribution rec;
    uint8_t delta1[64];  /* new header delta1 (LEM) */
    uint8_t delta2[128]; /* new header delta2 (LEM) */
} derived;

/* The δ-dependent part of contribute/beacon.  seed32 seeds ChaCha; on
 * return *inv_delta = δ^-1 (the caller wipes it). */
static int derive(derived *d, bn254_fr *inv_delta, const uint8_t seed32[32], const ns_zkey_mpc *mpc,
                  const ns_zkey_header *hdr, const char *path, ns_error *err) {
    p2_rng rng;
    bn254_fr delta;
    bn254_g1_affine g1_s, g1_sx, d1;
    bn254_g2_affine g2_sp, g2_spx, d2;
    uint8_t u[64];

    if (p2_g1_load(&d1, hdr->delta1) != 0 || p2_g2_load_var(&d2, hdr->delta2) != 0)
        return ns_error_set(err, "%s: header delta1/delta2 is not a valid curve point", path);

    p2_rng_seed(&rng, seed32);
    p2_fr_from_rng(&delta, &rng);
    p2_g1_from_rng_var(&g1_s, &rng);
    p2_rng_wipe(&rng);

    p2_g1_mul(&g1_sx, &g1_s, &delta);
    p2_g1_store(d->rec.g1_s, &g1_s);
    p2_g1_store(d->rec.g1_sx, &g1_sx);

    ns_hash *h = ns_p2_transcript_prefix(mpc, mpc->n);
    if (h == NULL) {
        ns_wipe(&delta, sizeof delta);
        return ns_error_set(err, "out of memory");
    }
    bn254_g1_lem_to_u(u, d->rec.g1_s);
    ns_hash_update(h, u, 64);
    bn254_g1_lem_to_u(u, d->rec.g1_sx);
    ns_hash_update(h, u, 64);
    ns_hash_final(h, d->rec.transcript);
    ns_hash_free(h);

    p2_hash_to_g2_var(&g2_sp, d->rec.transcript);
    p2_g2_mul(&g2_spx, &g2_sp, &delta);
    p2_g2_store(d->rec.g2_spx, &g2_spx);

    p2_g1_mul(&d1, &d1, &delta);
    p2_g2_mul(&d2, &d2, &delta);
    p2_g1_store(d->delta1, &d1);
    p2_g2_store(d->delta2, &d2);
    memcpy(d->rec.delta_after, d->delta1, 64);

    bn254_fr_inv(inv_delta, &delta);
    ns_wipe(&delta, sizeof delta);
    return 0;
}

/* Section id of the input scaled point by point into the output.  k is
 * secret (contribute: constant-time multiply) unless public_k (beacon). */
static int scale_section(ns_binwriter *w, const ns_zkey *z, const ns_mapfile *map, const char *path, uint32_t id,
                         const bn254_fr *k, int public_k,
                         uint8_t *buf, int threads, const char *label, ns_error *err) {
    uint64_t size = 0;
    const uint8_t *in = ns_zkey_section(z, id, &size);
    uint64_t npoints = size / 64;
    ns_progress prog;
    if (ns_binwriter_begin(w, id, err) != 0) return -1;
    ns_progress_start(&prog, label, npoints);
    for (uint64_t off = 0; off < npoints; off += APPLY_CHUNK_POINTS) {
        size_t cnt = (size_t)(npoints - off < APPLY_CHUNK_POINTS ? npoints - off : APPLY_CHUNK_POINTS);
        /* Never multiply the secret into a point that is not on the curve:
         * on another curve the result would leak the scalar modulo that
         * curve's small subgroup orders (an invalid-curve attack). */
        size_t bad = p2_g1_lem_first_invalid_var(in + off * 64, cnt, threads);
        if (bad != SIZE_MAX)
            return ns_error_set(err, "%s: section %u (%s) point %llu is not a valid curve point", path, id,
                                label, (unsigned long long)(off + bad));
        if (public_k)
            p2_g1_batch_mul_lem_var(buf, in + off * 64, cnt, k, threads);
        else
            p2_g1_batch_mul_lem(buf, in + off * 64, cnt, k, threads);
        if (ns_binwriter_write(w, buf, (uint64_t)cnt * 64, err) != 0) return -1;
        /* the input pages are not needed again: keep the resident set bounded */
        ns_mapfile_release(map, (uint64_t)(in - map->data) + off * 64, (uint64_t)cnt * 64);
        ns_progress_add(&prog, cnt);
    }
    ns_progress_finish(&prog);
    return ns_binwriter_end(w, err);
}

/* Copies a section verbatim, dropping the input pages once written so the
 * resident set stays bounded however large sections 3..7 are. */
static int copy_section(ns_binwriter *w, const ns_zkey *z, const ns_mapfile *map, uint32_t id,
                        ns_error *err) {
    const uint64_t step = (uint64_t)1 << 22;
    uint64_t size = 0;
    const uint8_t *in = ns_zkey_section(z, id, &size);
    if (ns_binwriter_begin(w, id, err) != 0) return -1;
    for (uint64_t off = 0; off < size; off += step) {
        uint64_t n = size - off < step ? size - off : step;
        if (ns_binwriter_write(w, in + off, n, err) != 0) return -1;
        ns_mapfile_release(map, (uint64_t)(in - map->data) + off, n);
    }
    return ns_binwriter_end(w, err);
}

static int apply(const char *in_path, const char *out_path, const uint8_t seed32[32],
                 const ns_zkey_contribution *params, int threads, int consume, ns_phase2_result *res,
                 ns_error *err) {
    ns_mapfile map;
    ns_zkey z;
    ns_zkey_mpc mpc;
    ns_binwriter w;
    derived d;
    bn254_fr inv;
    uint8_t *buf = NULL, *sec10 = NULL;
    int rc = -1, w_open = 0;

    memset(&mpc, 0, sizeof mpc);
    /* consume: the input's storage goes as its sections are written out
     * (ns_mapfile_release punches holes), so in + out stay about one key */
    if (!consume && ns_zkey_open(&z, &map, in_path, 2, err) != 0) return -1;
    if (consume) {
        if (ns_mapfile_open_consume(&map, in_path, err) != 0) return -1;
        if (ns_zkey_parse(&z, map.data, map.size, in_path, 2, err) != 0) {
            ns_mapfile_close(&map);
            return -1;
        }
    }
    {
        uint64_t size = 0;
        const uint8_t *p = NULL;
        if (ns_binfile_get(&z.bf, 10, &p, &size, err) != 0) goto out;
        if (ns_zkey_mpc_parse_payload(&mpc, p, size, in_path, err) != 0) goto out;
    }

    memset(&d, 0, sizeof d);
    d.rec = *params;
    if (derive(&d, &inv, seed32, &mpc, &z.h, in_path, err) != 0) goto out;
    if (ns_zkey_mpc_push(&mpc, &d.rec, err) != 0) goto out;

    buf = malloc(APPLY_CHUNK_POINTS * 64);
    uint64_t s10 = ns_zkey_mpc_size(&mpc);
    sec10 = malloc((size_t)s10);
    if (buf == NULL || sec10 == NULL) {
        ns_error_set(err, "out of memory");
        goto out;
    }
    ns_zkey_mpc_serialize(sec10, &mpc);

    ns_zkey_header h = z.h;
    memcpy(h.delta1, d.delta1, 64);
    memcpy(h.delta2, d.delta2, 128);

    if (ns_binwriter_open(&w, out_path, "zkey", 1, 10, err) != 0) goto out;
    w_open = 1;
    if (ns_zkey_write_protocol(&w, err) != 0 || ns_zkey_write_header(&w, &h, err) != 0) goto out;
    for (uint32_t id = 3; id <= 7; id++)
        if (copy_section(&w, &z, &map, id, err) != 0) goto out;
    /* a beacon's delta comes from the public beacon hash: nothing to hide */
    int public_k = params->type == NS_ZKEY_TYPE_BEACON;
    if (scale_section(&w, &z, &map, in_path, 8, &inv, public_k, buf, threads, "L section", err) != 0) goto out;
    if (scale_section(&w, &z, &map, in_path, 9, &inv, public_k, buf, threads, "H section", err) != 0) goto out;
    if (ns_binwriter_begin(&w, 10, err) != 0 || ns_binwriter_write(&w, sec10, s10, err) != 0 ||
        ns_binwriter_end(&w, err) != 0)
        goto out;
    if (ns_binwriter_commit(&w, err) != 0) goto out;
    w_open = 0;

    if (res != NULL) {
        memcpy(res->cs_hash, mpc.cs_hash, 64);
        ns_zkey_contribution_hash(res->contribution_hash, &mpc.c[mpc.n - 1]);
        res->index = mpc.n;
    }
    rc = 0;
out:
    ns_wipe(&inv, sizeof inv);
    if (w_open) ns_binwriter_abort(&w);
    free(buf);
    free(sec10);
    ns_zkey_mpc_free(&mpc);
    ns_mapfile_close(&map);
    return rc;
}

static void set_name(ns_zkey_contribution *c, const char *name) {
    if (name == NULL || name[0] == '\0') return;
    size_t n = ns_mpc_name_normalize(c->p.name, name, strlen(name));
    if (n == 0) return;
    c->p.has_name = 1;
    c->p.name_len = (uint8_t)n;
}

int ns_phase2_contribute(const char *in_path, const char *out_path, const uint8_t seed[64],
                         const char *name, int threads, int consume_input, ns_phase2_result *res,
                         ns_error *err) {
    ns_zkey_contribution params;
    memset(&params, 0, sizeof params);
    params.type = NS_ZKEY_TYPE_CONTRIBUTION;
    set_name(&params, name);
    return apply(in_path, out_path, seed, &params, threads, consume_input, res, err);
}

int ns_phase2_beacon(const char *in_path, const char *out_path, const uint8_t *beacon_hash,
                     size_t beacon_hash_len, unsigned exp, const char *name, int threads,
                     int consume_input, ns_phase2_result *res, ns_error *err) {
    if (beacon_hash_len == 0 || beacon_hash_len > NS_P2_BEACON_HASH_MAX)
        return ns_error_set(err, "beacon hash must be 1..255 bytes (got %zu)", beacon_hash_len);
    if (exp < 10 || exp > 63)
        return ns_error_set(err, "Invalid numIterationsExp. (Must be between 10 and 63)");
    ns_zkey_contribution params;
    memset(&params, 0, sizeof params);
    params.type = NS_ZKEY_TYPE_BEACON;
    set_name(&params, name);
    params.p.has_exp = 1;
    params.p.num_iter_exp = (uint8_t)exp;
    params.p.has_beacon_hash = 1;
    params.p.beacon_hash_len = (uint8_t)beacon_hash_len;
    memcpy(params.p.beacon_hash, beacon_hash, beacon_hash_len);
    uint8_t digest[32];
    ns_p2_beacon_digest(digest, beacon_hash, beacon_hash_len, exp);
    return apply(in_path, out_path, digest, &params, threads, consume_input, res, err);
}
