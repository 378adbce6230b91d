#include "app/engine_real.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drand/chains.h"
#include "formats/hermez.h"
#include "formats/r1cs.h"
#include "formats/zkey.h"
#include "nitro/aws_root.h"
#include "nitro/nsm.h"
#include "nitro/nsm_sim.h"
#include "drand/beacon.h"
#include "drand/http.h"
#include "drand/sim.h"
#include "formats/ptau.h"
#include "host/download.h"
#include "phase2/export_solidity.h"
#include "phase2/export_vk.h"
#include "phase2/new.h"
#include "phase2/contribute.h"
#include "phase2/verify.h"
#include "util/hex.h"
#include "util/keccak.h"
#include "util/mapfile.h"
#include "util/outfile.h"
#include "nitro/attestation_verify.h"

typedef struct {
    ns_engine_opts opts;
    ns_drand_chain chain;
    ns_nsm_transport nsm;
    int nsm_open;
    ns_nsm_sim *sim;
} real_ctx;

/* --- environment --- */

static int read_line(char *out, size_t cap, const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) return -1;
    int ok = fgets(out, (int)cap, f) != NULL;
    fclose(f);
    if (!ok) return -1;
    out[strcspn(out, "\n")] = 0;
    return 0;
}

static int r_env_check(void *vctx, ns_env_check *checks, int *n, int cap, ns_error *err) {
    real_ctx *x = vctx;
    if (cap < 2) return ns_error_set(err, "env_check: no room");
    ns_env_check *a = &checks[(*n)++], *b = &checks[(*n)++];
    memset(a, 0, sizeof *a);
    memset(b, 0, sizeof *b);
    snprintf(a->name, sizeof a->name, "rng_current");
    snprintf(b->name, sizeof b->name, "nsm device");
    char rng[128] = "";
    int have_rng = read_line(rng, sizeof rng, "/sys/class/misc/hw_random/rng_current") == 0;
    int have_nsm = access("/dev/nsm", R_OK | W_OK) == 0;
    if (x->opts.local) {
        a->status = 1;
        snprintf(a->detail, sizeof a->detail, "simulated (local mode; this machine's rng_current is '%s')",
                 have_rng ? rng : "unavailable");
        b->status = 1;
        snprintf(b->detail, sizeof b->detail, "simulated NSM with a run-time test PKI (local mode)");
        return 0;
    }
    if (have_rng && strcmp(rng, "nsm-hwrng") == 0) {
        snprintf(a->detail, sizeof a->detail, "nsm-hwrng");
    } else {
        a->status = -1;
        snprintf(a->detail, sizeof a->detail, "rng_current is '%s', expected nsm-hwrng",
                 have_rng ? rng : "unreadable");
    }
    if (have_nsm) {
        snprintf(b->detail, sizeof b->detail, "/dev/nsm");
    } else {
        b->status = -1;
        snprintf(b->detail, sizeof b->detail, "/dev/nsm: %s", strerror(errno));
    }
    return 0;
}

/* --- attestation documents --- */

static void fill_info(ns_doc_info *info, const ns_att_doc *d) {
    memset(info, 0, sizeof *info);
    info->timestamp_ms = d->timestamp_ms;
    for (size_t i = 0; i < d->cabundle_len && info->ncerts < NS_ENGINE_MAX_CERTS; i++) {
        info->certs[info->ncerts] = malloc(d->cabundle[i].len);
        if (info->certs[info->ncerts] == NULL) continue;
        memcpy(info->certs[info->ncerts], d->cabundle[i].data, d->cabundle[i].len);
        info->cert_len[info->ncerts++] = d->cabundle[i].len;
    }
    info->certs[info->ncerts] = malloc(d->certificate.len);
    if (info->certs[info->ncerts] != NULL) {
        memcpy(info->certs[info->ncerts], d->certificate.data, d->certificate.len);
        info->cert_len[info->ncerts++] = d->certificate.len;
    }
    info->pcr_present = d->pcr_mask;
    memcpy(info->pcrs, d->pcr, sizeof info->pcrs);
    info->has_user_data = d->user_data.present;
    info->user_data_len = d->user_data.len;
    memcpy(info->user_data, d->user_data.data, d->user_data.len);
    info->has_nonce = d->nonce.present;
    info->nonce_len = d->nonce.len;
    memcpy(info->nonce, d->nonce.data, d->nonce.len);
    info->debug = ns_att_doc_is_debug(d);
    snprintf(info->module_id, sizeof info->module_id, "%s", d->module_id);
}

static int r_doc_parse(void *vctx, ns_doc_info *info, const uint8_t *doc, size_t len, ns_error *err) {
    (void)vctx;
    ns_att_result *res = malloc(sizeof *res);
    if (res == NULL) return ns_error_set(err, "out of memory");
    int rc = ns_att_inspect(res, doc, len, err);
    if (rc == 0) fill_info(info, &res->doc);
    free(res);
    return rc;
}

static int r_doc_verify(void *vctx, ns_doc_info *info, const uint8_t *doc, size_t len,
                        const uint8_t *root_der, size_t root_len, ns_error *err) {
    (void)vctx;
    ns_att_result *res = malloc(sizeof *res);
    if (res == NULL) return ns_error_set(err, "out of memory");
    ns_att_policy pol;
    ns_att_policy_init(&pol);
    pol.trust_root_der = root_der;
    pol.trust_root_len = root_len;
    int rc = ns_att_verify(res, doc, len, &pol, err);
    if (rc == 0 && !res->ok) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", res->nfail > 0 ? res->fail[0] : "verification failed");
        rc = ns_error_set(err, "attestation document: %s", msg);
    }
    if (rc == 0) fill_info(info, &res->doc);
    free(res);
    return rc;
}

/* --- drand --- */

static int r_drand_chain(void *vctx, ns_chain_ref *c, ns_error *err) {
    real_ctx *x = vctx;
    (void)err;
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", x->chain.name);
    memcpy(c->hash, x->chain.chain_hash, 32);
    c->genesis_time = (uint64_t)x->chain.genesis_time;
    c->period = x->chain.period;
    c->simulated = x->chain.simulated;
    return 0;
}

/* --- operations whose modules have not landed in this build --- */

static int nsm_ready(real_ctx *x, ns_error *err) {
    if (x->nsm_open) return 0;
    if (x->opts.local) {
        /* Local mode: the simulator, with a test PKI generated now. */
        ns_nsm_sim_config cfg;
        ns_nsm_sim_config_init(&cfg);
        x->sim = ns_nsm_sim_new(&cfg, err);
        if (x->sim == NULL) return -1;
        ns_nsm_sim_transport(&x->nsm, x->sim);
    } else if (ns_nsm_open_device(&x->nsm, NULL, err) != 0) {
        return -1;
    }
    x->nsm_open = 1;
    return 0;
}

static int r_nsm_random(void *c, uint8_t *o, size_t n, ns_error *err) {
    real_ctx *x = c;
    if (nsm_ready(x, err) != 0) return -1;
    return ns_nsm_get_random(&x->nsm, o, n, NULL, err);
}
static int r_nsm_attest(void *c, uint8_t **d, size_t *l, const uint8_t *u, size_t ul, const uint8_t *no,
                        size_t nl, ns_error *err) {
    real_ctx *x = c;
    if (nsm_ready(x, err) != 0) return -1;
    uint8_t *doc = malloc(NS_NSM_MAX_RESPONSE);
    if (doc == NULL) return ns_error_set(err, "out of memory");
    ns_nsm_att_request rq = {.user_data = u, .user_data_len = ul, .nonce = no, .nonce_len = nl};
    if (ns_nsm_attestation(&x->nsm, &rq, doc, NS_NSM_MAX_RESPONSE, l, NULL, err) != 0) {
        free(doc);
        return -1;
    }
    *d = doc;
    return 0;
}
static int r_nsm_root(void *c, uint8_t **d, size_t *l, ns_error *err) {
    real_ctx *x = c;
    const uint8_t *der = NS_AWS_NITRO_ROOT_DER;
    size_t len = NS_AWS_NITRO_ROOT_DER_LEN;
    if (x->opts.local) {
        if (nsm_ready(x, err) != 0) return -1;
        ns_nsm_sim_root_der(x->sim, &der, &len);
    }
    *d = malloc(len);
    if (*d == NULL) return ns_error_set(err, "out of memory");
    memcpy(*d, der, len);
    *l = len;
    return 0;
}
static int r_ptau_identify(void *c, char *name, size_t cap, const uint8_t h[64], ns_error *err) {
    (void)c, (void)err;
    char hex[129];
    ns_hex_encode(hex, h, 64);
    const ns_hermez_ptau *e = ns_hermez_by_hash(hex);
    if (e == NULL) return 0;
    snprintf(name, cap, "%s", e->file);
    return 1;
}
/* The largest circuit a ceremony accepts (the brief: enclave memory bounds). */
#define NS_CEREMONY_MAX_CONSTRAINTS ((uint64_t)1 << 26)

/* The `ptau pick` rule: the smallest Hermez file whose domain holds
 * nConstraints + nPublic rows (snarkjs zkey new). */
static int r_ptau_pick(void *c, char *name, size_t cap, const char *r1cs, ns_error *err) {
    (void)c;
    ns_mapfile map;
    ns_r1cs r;
    if (ns_mapfile_open(&map, r1cs, err) != 0) return -1;
    if (ns_r1cs_parse(&r, map.data, map.size, r1cs, err) != 0) {
        ns_mapfile_close(&map);
        return -1;
    }
    uint32_t k = ns_groth16_domain_power(r.nconstraints, ns_r1cs_npublic(&r));
    uint64_t nconstraints = r.nconstraints;
    ns_mapfile_close(&map);
    if (nconstraints > NS_CEREMONY_MAX_CONSTRAINTS)
        return ns_error_set(err, "%s: %llu constraints; a nitrosetup ceremony supports at most 2^26 (%llu)", r1cs,
                            (unsigned long long)nconstraints, (unsigned long long)NS_CEREMONY_MAX_CONSTRAINTS);
    if (k > NS_HERMEZ_MAX_POWER)
        return ns_error_set(err, "%s: the circuit needs a domain of 2^%u, larger than the biggest ptau (2^%d)", r1cs,
                            k, NS_HERMEZ_MAX_POWER);
    const ns_hermez_ptau *e = ns_hermez_for_domain(k);
    if (e == NULL) return ns_error_set(err, "no Hermez ptau for power %u", k);
    snprintf(name, cap, "%s", e->file);
    return 0;
}
static int r_ptau_download(void *c, const char *dest, const char *name, ns_error *err) {
    (void)c;
    size_t n;
    const ns_hermez_ptau *t = ns_hermez_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].file, name) != 0) continue;
        char url[512];
        ns_hermez_url(url, sizeof url, &t[i]);
        return ns_download_resumable(dest, url, err);
    }
    return ns_error_set(err, "%s: not a Hermez ptau file name", name);
}
/* Maps and parses an r1cs and a ptau. */
typedef struct {
    ns_mapfile rm, pm;
    ns_r1cs r;
    ns_ptau p;
} inputs;

static int inputs_open(inputs *in, const char *r1cs, const char *ptau, ns_error *err) {
    memset(in, 0, sizeof *in);
    if (ns_mapfile_open(&in->rm, r1cs, err) != 0) return -1;
    if (ns_mapfile_open(&in->pm, ptau, err) != 0) {
        ns_mapfile_close(&in->rm);
        return -1;
    }
    if (ns_r1cs_parse(&in->r, in->rm.data, in->rm.size, r1cs, err) != 0 ||
        ns_ptau_parse(&in->p, in->pm.data, in->pm.size, ptau, err) != 0) {
        ns_mapfile_close(&in->rm);
        ns_mapfile_close(&in->pm);
        return -1;
    }
    return 0;
}

static void inputs_close(inputs *in) {
    ns_mapfile_close(&in->rm);
    ns_mapfile_close(&in->pm);
}

static int r_zkey_new(void *c, const char *out, const char *r1cs, const char *ptau, ns_error *err) {
    (void)c;
    inputs in;
    if (inputs_open(&in, r1cs, ptau, err) != 0) return -1;
    ns_p2new_info info;
    ns_p2new_opts o = {.threads = 0, .progress = 1};
    int rc = ns_p2new_write(&info, &in.r, &in.p, &o, out, err);
    inputs_close(&in);
    return rc;
}
static int r_zkey_verify(void *c, const char *z, const char *r, const char *p, ns_error *err) {
    (void)c;
    return ns_phase2_verify(z, NULL, r, p, 0, NULL, err);
}
static int reduce_write(void *f, const uint8_t *d, size_t n, ns_error *err) { return ns_ptau_filter_write(f, d, n, err); }
static int reduce_commit(void *f, ns_error *err) { return ns_ptau_filter_finish(f, NULL, err); }
static void reduce_abort(void *f) { ns_ptau_filter_abort(f); }
static int r_ptau_reduce_sink(void *c, ns_conn_sink *sink, const char *out, const char *zkey, ns_error *err) {
    (void)c;
    ns_mapfile m;
    ns_zkey z;
    if (ns_zkey_open(&z, &m, zkey, 2, err) != 0) return -1;
    uint32_t log2n = z.h.power;
    ns_mapfile_close(&m);
    ns_ptau_filter *f = ns_ptau_filter_new(out, log2n, err);
    if (f == NULL) return -1;
    sink->ctx = f;
    sink->write = reduce_write;
    sink->commit = reduce_commit;
    sink->abort = reduce_abort;
    return 0;
}
static int r_zkey_contribute(void *c, uint8_t h[64], const char *o, const char *i, const uint8_t *e,
                             size_t el, const char *name, ns_error *err) {
    (void)c;
    if (el != 64) return ns_error_set(err, "contribute: the seed must be 64 bytes");
    ns_phase2_result res;
    if (ns_phase2_contribute(i, o, e, name, 0, 1, &res, err) != 0) return -1;
    memcpy(h, res.contribution_hash, 64);
    return 0;
}
static int r_zkey_beacon(void *c, uint8_t h[64], const char *o, const char *i, const uint8_t *bh, size_t bl,
                         int exp, const char *name, ns_error *err) {
    (void)c;
    ns_phase2_result res;
    if (exp < 0 || ns_phase2_beacon(i, o, bh, bl, (unsigned)exp, name, 0, 1, &res, err) != 0) return -1;
    memcpy(h, res.contribution_hash, 64);
    return 0;
}
/* Opens zkey, parses its section 10 and hands the records to fn. */
static int with_contributions(const char *zkey, int (*fn)(const ns_zkey_mpc *m, void *ctx, ns_error *err),
                              void *ctx, ns_error *err) {
    ns_mapfile map;
    ns_zkey z;
    ns_zkey_mpc m;
    if (ns_zkey_open(&z, &map, zkey, 1, err) != 0) return -1;
    int rc = -1;
    if (ns_zkey_mpc_parse(&m, &z, err) == 0) {
        rc = fn(&m, ctx, err);
        ns_zkey_mpc_free(&m);
    }
    ns_mapfile_close(&map);
    return rc;
}

typedef struct {
    const char *zkey;
    uint8_t *bh;
    size_t *bl;
    int *exp;
    uint8_t (*hashes)[64];
    int *types, cap, *n;
} contrib_query;

static int last_beacon(const ns_zkey_mpc *m, void *vq, ns_error *err) {
    contrib_query *q = vq;
    if (m->n == 0) return ns_error_set(err, "%s: no contributions", q->zkey);
    const ns_zkey_contribution *last = &m->c[m->n - 1];
    if (last->type != 1 || !last->p.has_beacon_hash || !last->p.has_exp)
        return ns_error_set(err, "%s: the last contribution is not a beacon", q->zkey);
    memcpy(q->bh, last->p.beacon_hash, last->p.beacon_hash_len);
    *q->bl = last->p.beacon_hash_len;
    *q->exp = (int)last->p.num_iter_exp;
    return 0;
}

static int all_hashes(const ns_zkey_mpc *m, void *vq, ns_error *err) {
    contrib_query *q = vq;
    if ((int)m->n > q->cap) return ns_error_set(err, "%s: more than %d contributions", q->zkey, q->cap);
    for (uint32_t i = 0; i < m->n; i++) {
        q->types[i] = (int)m->c[i].type;
        if (ns_zkey_contribution_hash(q->hashes[i], &m->c[i]) != 0)
            return ns_error_set(err, "%s: contribution %u: cannot hash", q->zkey, i + 1);
    }
    *q->n = (int)m->n;
    return 0;
}

static int r_zkey_last_beacon(void *c, uint8_t *bh, size_t *bl, int *exp, const char *zkey, ns_error *err) {
    (void)c;
    contrib_query q = {.zkey = zkey, .bh = bh, .bl = bl, .exp = exp};
    return with_contributions(zkey, last_beacon, &q, err);
}

static int r_zkey_contributions(void *c, uint8_t (*hashes)[64], int *types, int cap, int *n,
                                const char *zkey, ns_error *err) {
    (void)c;
    contrib_query q = {.zkey = zkey, .hashes = hashes, .types = types, .cap = cap, .n = n};
    return with_contributions(zkey, all_hashes, &q, err);
}

static int r_export_vk(void *c, const char *out, const char *zkey, ns_error *err) {
    (void)c;
    ns_mapfile map;
    ns_zkey z;
    if (ns_zkey_open(&z, &map, zkey, 1, err) != 0) return -1;
    int rc = ns_export_vk_write(&z, out, err);
    ns_mapfile_close(&map);
    return rc;
}
static int r_export_verifier(void *c, uint8_t keccak[32], uint64_t *size, const char *out_runtime,
                             const char *out_source, const char *zkey, ns_error *err) {
    (void)c;
    uint8_t *code;
    size_t len;
    if (ns_verifier_runtime_file(&code, &len, zkey, err) != 0) return -1;
    ns_keccak256(keccak, code, len);
    *size = len;
    int rc = ns_write_file_atomic(out_runtime, code, len, err);
    free(code);
    if (rc == 0 && out_source != NULL) {
        size_t sl;
        const char *src = ns_verifier_source(&sl);
        rc = ns_write_file_atomic(out_source, src, sl, err);
    }
    return rc;
}
static int r_drand_fetch(void *c, ns_beacon *b, uint64_t round, ns_error *err) {
    real_ctx *x = c;
    ns_drand_beacon db;
    ns_drand_fetch_opts o;
    ns_drand_fetch_opts_init(&o);
    o.wait = 1;
    o.log = stderr;
    static const char *const SIM[] = {NS_DRAND_SIM_RELAY};
    char relays_buf[2048];
    const char *relays[8];
    if (x->opts.drand_relays != NULL && *x->opts.drand_relays) {
        /* --drand-relay URL[,URL...] replaces the defaults (or the in-process sim signer). */
        snprintf(relays_buf, sizeof relays_buf, "%s", x->opts.drand_relays);
        size_t n = 0;
        for (char *t = strtok(relays_buf, ","); t != NULL && n < 8; t = strtok(NULL, ",")) relays[n++] = t;
        o.relays = relays;
        o.n_relays = n;
        if (x->chain.simulated) o.flags = NS_DRAND_ALLOW_SIM;
    } else if (x->chain.simulated) {
        /* --drand-sim: rounds signed in-process with the published test key. */
        o.relays = SIM;
        o.n_relays = 1;
        o.flags = NS_DRAND_ALLOW_SIM;
    }
    if (ns_drand_fetch(&db, &x->chain, round, &o, err) != 0) return -1;
    memset(b, 0, sizeof *b);
    b->round = db.round;
    memcpy(b->signature, db.signature, db.signature_len);
    b->signature_len = db.signature_len;
    memcpy(b->previous_signature, db.previous_signature, db.previous_signature_len);
    b->previous_signature_len = db.previous_signature_len;
    ns_drand_beacon_randomness(b->randomness, &db);
    return 0;
}
/* Verifies b against the pinned chain with the same hash as ch. */
static int r_drand_verify(void *c, const ns_chain_ref *ch, const ns_beacon *b, ns_error *err) {
    real_ctx *x = c;
    char hex[65];
    ns_hex_encode(hex, ch->hash, 32);
    unsigned flags = (x->opts.drand_sim || x->opts.allow_sim_verify) ? NS_DRAND_ALLOW_SIM : 0;
    ns_drand_chain dc;
    if (ns_drand_chain_lookup(&dc, hex, flags, err) != 0) return -1;
    if ((uint64_t)dc.genesis_time != ch->genesis_time || dc.period != ch->period)
        return ns_error_set(err, "drand chain %s: genesis/period differ from the pinned record", dc.name);
    ns_drand_beacon db;
    memset(&db, 0, sizeof db);
    db.round = b->round;
    if (b->signature_len > sizeof db.signature || b->previous_signature_len > sizeof db.previous_signature)
        return ns_error_set(err, "drand beacon: signature too long");
    memcpy(db.signature, b->signature, b->signature_len);
    db.signature_len = b->signature_len;
    memcpy(db.previous_signature, b->previous_signature, b->previous_signature_len);
    db.previous_signature_len = b->previous_signature_len;
    db.has_previous_signature = b->previous_signature_len > 0;
    memcpy(db.randomness, b->randomness, 32);
    db.has_randomness = 1;
    return ns_drand_beacon_verify(&dc, &db, flags, err);
}

int ns_engine_real_init(ns_engine *e, const ns_engine_opts *opts, ns_error *err) {
    memset(e, 0, sizeof *e);
    real_ctx *x = calloc(1, sizeof *x);
    if (x == NULL) return ns_error_set(err, "out of memory");
    x->opts = *opts;
    if (ns_drand_chain_lookup(&x->chain, opts->drand_sim ? "sim" : "quicknet",
                              opts->drand_sim || opts->allow_sim_verify ? NS_DRAND_ALLOW_SIM : 0, err) != 0) {
        free(x);
        return -1;
    }
    e->ctx = x;
    e->simulated_nsm = opts->local;
    e->simulated_drand = opts->drand_sim;
    e->env_check = r_env_check;
    e->nsm_random = r_nsm_random;
    e->nsm_attest = r_nsm_attest;
    e->doc_parse = r_doc_parse;
    e->doc_verify = r_doc_verify;
    e->nsm_root = r_nsm_root;
    e->ptau_identify = r_ptau_identify;
    e->ptau_pick = r_ptau_pick;
    e->ptau_download = r_ptau_download;
    e->zkey_new = r_zkey_new;
    e->zkey_verify = r_zkey_verify;
    e->ptau_reduce_sink = r_ptau_reduce_sink;
    e->zkey_contribute = r_zkey_contribute;
    e->zkey_beacon = r_zkey_beacon;
    e->zkey_last_beacon = r_zkey_last_beacon;
    e->zkey_contributions = r_zkey_contributions;
    e->export_vk = r_export_vk;
    e->export_verifier = r_export_verifier;
    e->drand_chain = r_drand_chain;
    e->drand_fetch = r_drand_fetch;
    e->drand_verify = r_drand_verify;
    return 0;
}

void ns_engine_real_free(ns_engine *e) {
    real_ctx *x = e->ctx;
    if (x != NULL && x->nsm_open) ns_nsm_close(&x->nsm);
    if (x != NULL && x->sim != NULL) ns_nsm_sim_free(x->sim);
    free(e->ctx);
    e->ctx = NULL;
}
