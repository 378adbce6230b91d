#include "enclave/enclave.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "protocol/bundle.h"
#include "protocol/cbundle.h"
#include "protocol/circom.h"
#include "protocol/commit.h"
#include "protocol/manifest.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/outfile.h"
#include "util/wipe.h"

void ns_enclave_cfg_defaults(ns_enclave_cfg *cfg, const ns_engine *eng, const char *workdir,
                             const char *circom_cmd) {
    memset(cfg, 0, sizeof *cfg);
    cfg->eng = eng;
    cfg->workdir = workdir;
    cfg->circom_cmd = circom_cmd;
    cfg->margin = NS_ENCLAVE_DRAND_MARGIN_S;
    cfg->beacon_exp = NS_ENCLAVE_BEACON_EXP;
    cfg->max_cbundle = 64ull << 20;
    cfg->max_zkey = 16ull << 30;
    cfg->max_ptau = 80ull << 30;
    cfg->drand_wait_extra_s = 300;
    cfg->control_wait_s = 600;
    cfg->min_rate = 1u << 20;
}

int ns_enclave_check_env(const ns_enclave_cfg *cfg, ns_env_check *checks, int *n, int cap,
                         ns_error *err) {
    *n = 0;
    if (cfg->eng->env_check(cfg->eng->ctx, checks, n, cap - 1, err) != 0) return -1;
    /* getrandom(2) must work (blocking until the CRNG is seeded). */
    uint8_t probe[32];
    ns_env_check *g = &checks[(*n)++];
    memset(g, 0, sizeof *g);
    snprintf(g->name, sizeof g->name, "getrandom");
    if (getrandom(probe, sizeof probe, 0) != (ssize_t)sizeof probe) {
        g->status = -1;
        snprintf(g->detail, sizeof g->detail, "getrandom(2) failed: %s", strerror(errno));
    } else {
        snprintf(g->detail, sizeof g->detail, "getrandom(2) returns data");
    }
    ns_wipe(probe, sizeof probe);
    for (int i = 0; i < *n; i++)
        if (checks[i].status < 0)
            return ns_error_set(err, "environment check '%s' failed: %s", checks[i].name, checks[i].detail);
    return 0;
}

typedef struct {
    const ns_enclave_cfg *cfg;
    const ns_engine *eng;
    ns_conn *c;
    const char *step;
    const ns_env_check *checks;
    int nchecks, env_ok;
    const ns_error *env_err;
    uint8_t announced_ptau[64];
    char p_cbundle[4096], p_zkey0[4096], p_zkey1[4096], p_final[4096], p_ptau[4096];
    char p_r1cs[4096], p_vk[4096], p_drand[4096], p_manifest[4096];
    char p_verifier[4096], p_versrc[4096]; /* the on-chain verifier: runtime code, source */
    ns_manifest m;
    ns_beacon beacon;
    uint8_t *doc1, *doc2;
    size_t doc1_len, doc2_len;
    uint8_t commitment[NS_COMMIT_MAX];
    size_t commitment_len;
    uint8_t manifest_hash[64];
} run;

static void progress(run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(run *r, const char *fmt, ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ns_conn_send_progress(r->c, r->step, msg);
}

static void path_in(char *out, const run *r, const char *name) {
    snprintf(out, 4096, "%s/%s", r->cfg->workdir, name);
}

static void hexs(char *out, const uint8_t *b, size_t n) { ns_hex_encode(out, b, n); }

/* The next control message, by one absolute deadline. */
static int expect_json(run *r, int type, json_t **o, int64_t wait_s, ns_error *err) {
    ns_conn_set_deadline(r->c, wait_s * 1000);
    int rc = ns_conn_expect_json(r->c, type, o, (int)(wait_s * 1000 > 0x7fffffff ? 0x7fffffff : wait_s * 1000), err);
    ns_conn_set_deadline(r->c, 0);
    return rc;
}

static int add_artifact(run *r, const char *name, const char *path, ns_error *err) {
    if (r->m.nart >= NS_MANIFEST_MAX_ARTIFACTS) return ns_error_set(err, "too many artifacts");
    ns_artifact *a = &r->m.art[r->m.nart];
    snprintf(a->name, sizeof a->name, "%s", name);
    if (ns_blake2b512_file(a->hash, path, &a->size, err) != 0) return -1;
    r->m.nart++;
    return 0;
}

static void add_artifact_mem(run *r, const char *name, const uint8_t *d, size_t n) {
    ns_artifact *a = &r->m.art[r->m.nart++];
    snprintf(a->name, sizeof a->name, "%s", name);
    ns_blake2b512(a->hash, d, n);
    a->size = n;
}

/* Applies the ptau policy to a hash; fills the manifest's name and trust. */
static int ptau_allowed(run *r, const uint8_t hash[64], ns_error *err) {
    const ns_ptau_pins *pins = r->eng->simulated_nsm ? &r->cfg->pins : NULL;
    ns_ptau_trust t = ns_ptau_policy_check(r->m.ptau_name, sizeof r->m.ptau_name, hash, pins);
    if (t == NS_PTAU_UNTRUSTED) return ns_ptau_untrusted_error(err, "ptau", hash);
    r->m.ptau_trust = (int)t;
    return 0;
}

/* ---- the steps, in order ---- */

static int step_hello(run *r, ns_error *err) {
    json_t *hello;
    if (expect_json(r, NS_MSG_HELLO, &hello, r->c->io_timeout_ms / 1000 + 1, err) != 0) return -1;
    const char *tool = json_string_value(json_object_get(hello, "tool"));
    const char *ph = json_string_value(json_object_get(hello, "ptau"));
    json_int_t pv = json_integer_value(json_object_get(hello, "protocol"));
    int ok = tool != NULL && strcmp(tool, "nitrosetup") == 0 && pv == NS_PROTO_VERSION;
    int hash_ok = ph != NULL && strlen(ph) == 128 && ns_hex_decode(r->announced_ptau, 64, ph) == 64;
    json_decref(hello);
    if (!ok) return ns_error_set(err, "HELLO: not a nitrosetup host speaking protocol %d", NS_PROTO_VERSION);
    if (!hash_ok) return ns_error_set(err, "HELLO: no ptau hash announced");
    if (r->cfg->pins.n > 0 && !r->eng->simulated_nsm)
        return ns_error_set(err, "run-time ptau pins are refused on Nitro: pin extra ptau files in the image");
    /* The policy, before any work: an untrusted ptau is refused now. */
    return ptau_allowed(r, r->announced_ptau, err);
}

static int step_environment(run *r, ns_error *err) {
    const ns_engine *e = r->eng;
    char hx[129];
    if (!r->env_ok) return ns_error_set(err, "%s", r->env_err->msg);
    if (e->drand_chain(e->ctx, &r->m.chain, err) != 0) return -1;
    json_t *env = json_object(), *arr = json_array();
    for (int i = 0; i < r->nchecks; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name", r->checks[i].name, "status",
                                             r->checks[i].status == 0 ? "ok" : "simulated", "detail",
                                             r->checks[i].detail));
    json_object_set_new(env, "checks", arr);
    json_object_set_new(env, "version", json_string(NS_VERSION));
    json_object_set_new(env, "simulated_nsm", json_boolean(e->simulated_nsm));
    hexs(hx, r->m.chain.hash, 32);
    json_object_set_new(env, "policy", json_pack("{s:s, s:s, s:i, s:i, s:s}", "drand_chain", hx,
                                                 "drand_chain_name", r->m.chain.name, "drand_margin_s",
                                                 (int)r->cfg->margin, "beacon_num_iterations_exp",
                                                 r->cfg->beacon_exp, "ptau_trust",
                                                 ns_ptau_trust_name((ns_ptau_trust)r->m.ptau_trust)));
    int s = ns_conn_send_json(r->c, NS_MSG_ENV, env, err);
    json_decref(env);
    return s;
}

static int step_receive_circuit(run *r, ns_error *err) {
    path_in(r->p_cbundle, r, "circuit.tar");
    return ns_conn_recv_file(r->c, "circuit.tar", r->p_cbundle, r->cfg->max_cbundle, r->m.cbundle_hash, NULL,
                             r->cfg->control_wait_s * 1000, err);
}

/* After the compile: READY, then 0000.zkey and the ptau. */
static int step_receive_inputs(run *r, ns_error *err) {
    const ns_enclave_cfg *cfg = r->cfg;
    path_in(r->p_zkey0, r, "0000.zkey");
    path_in(r->p_ptau, r, "input.ptau");
    int wait = cfg->control_wait_s * 1000;
    json_t *want = json_pack("{s:[s,s]}", "want", "0000.zkey", "ptau");
    int rc = want == NULL ? ns_error_set(err, "out of memory") : ns_conn_send_json(r->c, NS_MSG_READY, want, err);
    json_decref(want);
    if (rc != 0 || ns_conn_recv_file(r->c, "0000.zkey", r->p_zkey0, cfg->max_zkey, r->m.zkey0_hash, NULL, wait, err))
        return -1;
    /* The whole ptau is hashed as it streams past; only what a key of
     * 0000.zkey's domain reads is kept (enclave memory: docs/scale.md).  A
     * host that lies about the domain only makes verify 0000 fail. */
    if (r->eng->ptau_reduce_sink != NULL) {
        ns_conn_sink sink;
        if (r->eng->ptau_reduce_sink(r->eng->ctx, &sink, r->p_ptau, r->p_zkey0, err) != 0 ||
            ns_conn_recv_sink(r->c, "ptau", &sink, cfg->max_ptau, r->m.ptau_hash, &r->m.ptau_size, wait, err) != 0)
            return -1;
    } else if (ns_conn_recv_file(r->c, "ptau", r->p_ptau, cfg->max_ptau, r->m.ptau_hash, &r->m.ptau_size, wait,
                                 err) != 0) {
        return -1;
    }
    if (memcmp(r->m.ptau_hash, r->announced_ptau, 64) != 0)
        return ns_error_set(err, "the ptau received is not the one announced in HELLO");
    if (ptau_allowed(r, r->m.ptau_hash, err) != 0) return -1;
    progress(r, "received 0000.zkey and ptau (%llu bytes, %s: %s)", (unsigned long long)r->m.ptau_size,
             ns_ptau_trust_name((ns_ptau_trust)r->m.ptau_trust), r->m.ptau_name);
    return 0;
}

static int step_compile(run *r, ns_error *err) {
    const ns_engine *e = r->eng;
    char hx[129];
    ns_circom_id id;
    if (ns_circom_identify(&id, r->cfg->circom_cmd, r->cfg->workdir, err) != 0) return -1;
    memcpy(r->m.circom_hash, id.hash, 64);
    memcpy(r->m.circom_version, id.version, sizeof id.version);
    progress(r, "compiling the circuit bundle (%s)", id.version);
    if (ns_cbundle_compile(r->p_r1cs, sizeof r->p_r1cs, r->p_cbundle, r->cfg->workdir, r->cfg->circom_cmd, err))
        return -1;
    if (ns_blake2b512_file(r->m.r1cs_hash, r->p_r1cs, NULL, err) != 0) return -1;
    hexs(hx, r->m.r1cs_hash, 64);
    progress(r, "circuit compiled, r1cs BLAKE2b-512 %.16s...", hx);
    /* The same fit check as the host's (2^26-constraint limit, ptau rule):
     * the enclave does not rely on the host having made it. */
    char pick[128];
    return e->ptau_pick(e->ctx, pick, sizeof pick, r->p_r1cs, err);
}

static int step_verify_0000(run *r, ns_error *err) {
    progress(r, "verifying 0000.zkey against the r1cs and the ptau");
    if (r->eng->zkey_verify(r->eng->ctx, r->p_zkey0, r->p_r1cs, r->p_ptau, err) != 0)
        return ns_error_prefix(err, "0000.zkey does not match the circuit and ptau");
    return 0;
}

/* entropy = BLAKE2b-512(getrandom(64) || NSM GetRandom(64)), in locked,
 * undumpable pages, wiped at once. */
static int step_contribute(run *r, ns_error *err) {
    const ns_engine *e = r->eng;
    char hx[129];
    progress(r, "contributing");
    uint8_t *sec = ns_secret_alloc(256);
    if (sec == NULL) return ns_error_set(err, "out of memory");
    uint8_t *sys = sec, *nsm = sec + 64, *entropy = sec + 128;
    int rc = -1;
    if (getrandom(sys, 64, 0) != 64) {
        ns_error_set(err, "getrandom failed: %s", strerror(errno));
        goto out;
    }
    if (e->nsm_random(e->ctx, nsm, 64, err) != 0) {
        ns_error_prefix(err, "NSM GetRandom");
        goto out;
    }
    ns_blake2b512(entropy, sec, 128);
    ns_wipe(sec, 128);
    path_in(r->p_zkey1, r, "0001.zkey");
    rc = e->zkey_contribute(e->ctx, r->m.contribution_hash, r->p_zkey1, r->p_zkey0, entropy, 64,
                            "nitrosetup enclave", err);
out:
    ns_secret_free(sec, 256);
    if (rc != 0) return -1;
    unlink(r->p_zkey0);
    if (ns_blake2b512_file(r->m.zkey1_hash, r->p_zkey1, NULL, err) != 0) return -1;
    hexs(hx, r->m.contribution_hash, 64);
    progress(r, "contribution hash %s", hx);
    return 0;
}

static int step_verify_0001(run *r, ns_error *err) {
    if (r->eng->zkey_verify(r->eng->ctx, r->p_zkey1, r->p_r1cs, r->p_ptau, err) != 0)
        return ns_error_prefix(err, "0001.zkey");
    return 0;
}

static int step_attest1(run *r, ns_error *err) {
    const ns_engine *e = r->eng;
    ns_commitment cm;
    memset(&cm, 0, sizeof cm);
    memcpy(cm.cbundle, r->m.cbundle_hash, 64);
    memcpy(cm.r1cs, r->m.r1cs_hash, 64);
    memcpy(cm.ptau, r->m.ptau_hash, 64);
    memcpy(cm.zkey0, r->m.zkey0_hash, 64);
    memcpy(cm.contrib, r->m.contribution_hash, 64);
    memcpy(cm.chain, r->m.chain.hash, 32);
    cm.margin = r->cfg->margin;
    memcpy(cm.circom, r->m.circom_hash, 64);
    memcpy(cm.circom_version, r->m.circom_version, sizeof cm.circom_version);
    r->commitment_len = ns_commitment_encode(r->commitment, &cm);
    if (r->commitment_len == 0) return ns_error_set(err, "commitment: bad circom version string");
    if (e->nsm_attest(e->ctx, &r->doc1, &r->doc1_len, r->commitment, r->commitment_len, r->m.zkey1_hash, 64,
                      err) != 0)
        return ns_error_prefix(err, "NSM attestation #1");
    ns_doc_info info;
    memset(&info, 0, sizeof info);
    if (e->doc_parse(e->ctx, &info, r->doc1, r->doc1_len, err) != 0) return -1;
    r->m.t1_ms = info.timestamp_ms;
    /* A debug-mode enclave (PCR0 all zero) says so in the manifest. */
    r->m.debug_mode = info.debug;
    if (info.debug) progress(r, "WARNING: this enclave runs in DEBUG MODE: its results are not trustworthy");
    ns_doc_info_free(&info);
    return ns_conn_send(r->c, NS_MSG_ATTEST1, r->doc1, r->doc1_len, err);
}

/* Certificates passed by the host: {"certs":[hex...]} must equal the
 * document's own cabundle + leaf, and the first must be the pinned root. */
static int step_certchain(run *r, ns_error *err) {
    json_t *o;
    if (expect_json(r, NS_MSG_CERTCHAIN, &o, r->cfg->control_wait_s, err) != 0) return -1;
    ns_doc_info info;
    memset(&info, 0, sizeof info);
    uint8_t *root = NULL, *buf = NULL;
    size_t root_len = 0;
    int rc = -1;
    if (r->eng->nsm_root(r->eng->ctx, &root, &root_len, err) != 0) goto out;
    if (r->eng->doc_verify(r->eng->ctx, &info, r->doc1, r->doc1_len, root, root_len, err) != 0) {
        ns_error_prefix(err, "attestation #1");
        goto out;
    }
    json_t *arr = json_object_get(o, "certs");
    if (!json_is_array(arr) || (int)json_array_size(arr) != info.ncerts) {
        ns_error_set(err, "certificate chain from the host has %zu certificates, the document has %d",
                     json_is_array(arr) ? json_array_size(arr) : 0, info.ncerts);
        goto out;
    }
    buf = malloc(NS_ENGINE_MAX_CERT);
    if (buf == NULL) {
        ns_error_set(err, "out of memory");
        goto out;
    }
    for (int i = 0; i < info.ncerts; i++) {
        const char *h = json_string_value(json_array_get(arr, (size_t)i));
        long n = h ? ns_hex_decode(buf, NS_ENGINE_MAX_CERT, h) : -1;
        if (n < 0 || (size_t)n != info.cert_len[i] || memcmp(buf, info.certs[i], (size_t)n) != 0) {
            ns_error_set(err, "certificate chain from the host differs from the document's at position %d", i);
            goto out;
        }
    }
    if (info.ncerts < 2 || info.cert_len[0] != root_len || memcmp(info.certs[0], root, root_len) != 0) {
        ns_error_set(err, "the document's chain does not start at the pinned root");
        goto out;
    }
    rc = 0;
out:
    json_decref(o);
    free(buf);
    free(root);
    ns_doc_info_free(&info);
    return rc;
}

static int step_drand(run *r, ns_error *err) {
    const ns_engine *e = r->eng;
    char hx[129];
    uint64_t T = r->m.t1_ms / 1000;
    int64_t due;
    if (ns_chain_commit_round(&r->m.round, &due, &r->m.chain, T, r->cfg->margin, err) != 0) return -1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec;
    progress(r, "T = %llu; committed to drand %s round %llu (due at %lld, in %lld s)", (unsigned long long)T,
             r->m.chain.name, (unsigned long long)r->m.round, (long long)due, (long long)(due - now));
    /* One deadline: the round's time plus the allowance, whatever the host sends. */
    int64_t wait_s = due - now + r->cfg->drand_wait_extra_s;
    if (wait_s < r->cfg->drand_wait_extra_s) wait_s = r->cfg->drand_wait_extra_s;
    json_t *dj;
    if (expect_json(r, NS_MSG_DRAND, &dj, wait_s, err) != 0) return -1;
    ns_chain_ref got_chain;
    ns_beacon *b = &r->beacon;
    int br = ns_beacon_from_json(&got_chain, b, dj, err);
    json_decref(dj);
    if (br != 0) return -1;
    if (memcmp(got_chain.hash, r->m.chain.hash, 32) != 0)
        return ns_error_set(err, "the host's beacon is from another drand chain than the pinned one");
    if (b->round != r->m.round)
        return ns_error_set(err, "the host delivered drand round %llu, the committed round is %llu",
                            (unsigned long long)b->round, (unsigned long long)r->m.round);
    if (e->drand_verify(e->ctx, &r->m.chain, b, err) != 0)
        return ns_error_prefix(err, "drand round %llu", (unsigned long long)b->round);
    memcpy(r->m.randomness, b->randomness, 32);
    hexs(hx, b->randomness, 32);
    progress(r, "drand round %llu verified, randomness %s", (unsigned long long)b->round, hx);
    return 0;
}

static int step_beacon(run *r, ns_error *err) {
    char name[128];
    snprintf(name, sizeof name, "drand %s round %llu", r->m.chain.name, (unsigned long long)r->beacon.round);
    path_in(r->p_final, r, "final.zkey");
    if (r->eng->zkey_beacon(r->eng->ctx, r->m.beacon_contribution_hash, r->p_final, r->p_zkey1,
                            r->beacon.randomness, 32, r->cfg->beacon_exp, name, err) != 0)
        return -1;
    unlink(r->p_zkey1);
    return 0;
}

static int step_verify_final(run *r, ns_error *err) {
    const ns_engine *e = r->eng;
    progress(r, "verifying final.zkey");
    if (e->zkey_verify(e->ctx, r->p_final, r->p_r1cs, r->p_ptau, err) != 0) return ns_error_prefix(err, "final.zkey");
    path_in(r->p_vk, r, "verification_key.json");
    if (e->export_vk(e->ctx, r->p_vk, r->p_final, err) != 0) return -1;
    return ns_blake2b512_file(r->m.vk_hash, r->p_vk, NULL, err);
}

static int step_manifest(run *r, ns_error *err) {
    json_t *dro = ns_beacon_to_json(&r->m.chain, &r->beacon);
    char *drs = dro ? ns_json_canonical(dro) : NULL;
    json_decref(dro);
    if (drs == NULL) return ns_error_set(err, "out of memory");
    path_in(r->p_drand, r, "drand.json");
    int wr = ns_write_file_atomic(r->p_drand, drs, strlen(drs), err);
    free(drs);
    if (wr != 0) return -1;
    snprintf(r->m.tool_version, sizeof r->m.tool_version, "%s", NS_VERSION);
    r->m.simulated_nsm = r->eng->simulated_nsm;
    r->m.simulated_drand = r->m.chain.simulated;
    r->m.margin = r->cfg->margin;
    r->m.beacon_exp = r->cfg->beacon_exp;
    /* The on-chain verifier for final.zkey (docs/onchain.md): its Keccak-256
     * in the manifest makes attestation #2 cover the deployed code hash. */
    path_in(r->p_verifier, r, NS_BUNDLE_VERIFIER_RUNTIME);
    path_in(r->p_versrc, r, NS_BUNDLE_VERIFIER_SOURCE);
    if (r->eng->export_verifier(r->eng->ctx, r->m.verifier_keccak, &r->m.verifier_size, r->p_verifier, r->p_versrc,
                                r->p_final, err) != 0)
        return ns_error_prefix(err, "verifier");
    r->m.has_verifier = 1;
    /* Artifacts, sorted by name. */
    add_artifact_mem(r, "attestation-1.cose", r->doc1, r->doc1_len);
    if (add_artifact(r, NS_BUNDLE_VERIFIER_SOURCE, r->p_versrc, err) ||
        add_artifact(r, "circuit.r1cs", r->p_r1cs, err) || add_artifact(r, "circuit.tar", r->p_cbundle, err) ||
        add_artifact(r, "drand.json", r->p_drand, err) || add_artifact(r, "final.zkey", r->p_final, err) ||
        add_artifact(r, "verification_key.json", r->p_vk, err) ||
        add_artifact(r, NS_BUNDLE_VERIFIER_RUNTIME, r->p_verifier, err))
        return -1;
    char *ms = ns_manifest_to_json(&r->m);
    if (ms == NULL) return ns_error_set(err, "out of memory");
    ns_blake2b512(r->manifest_hash, ms, strlen(ms));
    path_in(r->p_manifest, r, "manifest.json");
    wr = ns_write_file_atomic(r->p_manifest, ms, strlen(ms), err);
    free(ms);
    return wr;
}

static int step_attest2(run *r, ns_error *err) {
    if (r->eng->nsm_attest(r->eng->ctx, &r->doc2, &r->doc2_len, NULL, 0, r->manifest_hash, 64, err) != 0)
        return ns_error_prefix(err, "NSM attestation #2");
    return 0;
}

static int step_send(run *r, ns_error *err) {
    ns_conn *c = r->c;
    progress(r, "sending the results");
    if (ns_conn_send_file(c, "circuit.r1cs", r->p_r1cs, NULL, err) ||
        ns_conn_send_file(c, "final.zkey", r->p_final, NULL, err) ||
        ns_conn_send_file(c, "verification_key.json", r->p_vk, NULL, err) ||
        ns_conn_send_file(c, "drand.json", r->p_drand, NULL, err) ||
        ns_conn_send_file(c, NS_BUNDLE_VERIFIER_RUNTIME, r->p_verifier, NULL, err) ||
        ns_conn_send_file(c, NS_BUNDLE_VERIFIER_SOURCE, r->p_versrc, NULL, err) ||
        ns_conn_send_file(c, "manifest.json", r->p_manifest, NULL, err) ||
        ns_conn_send(c, NS_MSG_ATTEST2, r->doc2, r->doc2_len, err))
        return -1;
    json_t *done = json_pack("{s:b}", "complete", 1);
    int s = ns_conn_send_json(c, NS_MSG_DONE, done, err);
    json_decref(done);
    return s;
}

static const struct {
    const char *name;
    int (*run)(run *r, ns_error *err);
} STEPS[] = {
    {"hello", step_hello},
    {"environment", step_environment},
    {"receive circuit", step_receive_circuit},
    {"compile", step_compile},
    {"receive inputs", step_receive_inputs},
    {"verify 0000.zkey", step_verify_0000},
    {"contribute", step_contribute},
    {"verify 0001.zkey", step_verify_0001},
    {"attestation 1", step_attest1},
    {"certificate chain", step_certchain},
    {"drand", step_drand},
    {"beacon", step_beacon},
    {"verify final.zkey", step_verify_final},
    {"manifest", step_manifest},
    {"attestation 2", step_attest2},
    {"send results", step_send},
};

int ns_enclave_serve(const ns_enclave_cfg *cfg, ns_conn *c, const ns_env_check *checks, int nchecks,
                     int env_ok, const ns_error *env_err, ns_error *err) {
    run *r = calloc(1, sizeof *r);
    if (r == NULL) return ns_error_set(err, "out of memory");
    r->cfg = cfg;
    r->eng = cfg->eng;
    r->c = c;
    r->checks = checks;
    r->nchecks = nchecks;
    r->env_ok = env_ok;
    r->env_err = env_err;
    /* The host may not keep the enclave waiting: no PROGRESS from it, one
     * deadline per wait, a minimum rate for the input files. */
    c->refuse_progress = 1;
    c->min_rate = cfg->min_rate;
    int rc = 0;
    size_t nsteps = sizeof STEPS / sizeof STEPS[0];
    for (size_t i = 0; i < nsteps && rc == 0; i++) {
        r->step = STEPS[i].name;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = STEPS[i].run(r, err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        /* Every step's time, for the operator's log and bench/ceremony-scale
         * (not after the last step: the host has its DONE and goes). */
        if (rc == 0 && i >= 2 && i + 1 < nsteps)
            progress(r, "done in %.2f s", (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    }
    if (rc != 0) {
        ns_conn_send_error(c, r->step, err->msg);
        ns_error_prefix(err, "%s", r->step);
    }
    /* Nothing of a failed or finished run stays behind in the scratch area. */
    const char *paths[] = {r->p_cbundle, r->p_zkey0, r->p_zkey1, r->p_final, r->p_ptau,
                           r->p_vk, r->p_drand, r->p_manifest, r->p_verifier, r->p_versrc};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        if (paths[i][0]) unlink(paths[i]);
    free(r->doc1);
    free(r->doc2);
    free(r);
    return rc;
}
