#include "host/host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "protocol/cbundle.h"
#include "protocol/manifest.h"
#include "nitro/aws_root.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/outfile.h"

void ns_host_log(const char *who, const char *step, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "nitrosetup: [%s] %s: %s\n", who, step, msg);
}

static int hostile(const ns_host_cfg *cfg, const char *mode) {
    return cfg->hostile != NULL && strcmp(cfg->hostile, mode) == 0;
}

static int exists(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

void ns_host_ptau_cache_dir(char *out, size_t cap) {
    const char *env = getenv("NS_PTAU_CACHE"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (env && *env) snprintf(out, cap, "%s", env);
    else if (xdg && *xdg) snprintf(out, cap, "%s/nitrosetup/ptau", xdg);
    else if (home && *home) snprintf(out, cap, "%s/.cache/nitrosetup/ptau", home);
    else if (cap > 0) out[0] = 0;
}

static int mkdirs(const char *path) {
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int ns_host_prepare(ns_host_inputs *in, const ns_host_cfg *cfg, ns_error *err) {
    const ns_engine *e = cfg->eng;
    memset(in, 0, sizeof *in);
    if (cfg->cbundle_file != NULL && cfg->r1cs_file != NULL) {
        snprintf(in->cbundle, sizeof in->cbundle, "%s", cfg->cbundle_file);
        snprintf(in->r1cs, sizeof in->r1cs, "%s", cfg->r1cs_file);
        ns_host_log("host", "circuit bundle", "prebuilt %s and %s (the enclave compiles again and compares)",
                    in->cbundle, in->r1cs);
    } else {
        snprintf(in->cbundle, sizeof in->cbundle, "%s/circuit.tar", cfg->workdir);
        ns_cbundle_info info;
        if (ns_cbundle_create(in->cbundle, cfg->circuit, cfg->libdirs, cfg->nlibs, &info, err) != 0) return -1;
        ns_host_log("host", "circuit bundle", "%s: %d files, %llu bytes of source", info.main, info.nfiles,
                    (unsigned long long)info.total);
        ns_host_log("host", "compile", "running circom on the bundle");
        if (ns_cbundle_compile(in->r1cs, sizeof in->r1cs, in->cbundle, cfg->workdir, cfg->circom_cmd, err) != 0)
            return -1;
    }

    /* The fit check (size limit, smallest Hermez ptau) runs for every
     * circuit; then the ptau: --ptau, else the cache, else the download. */
    char pick[128] = "";
    if (e->ptau_pick(e->ctx, pick, sizeof pick, in->r1cs, err) != 0) return -1;
    if (cfg->ptau_file != NULL) {
        snprintf(in->ptau, sizeof in->ptau, "%s", cfg->ptau_file);
    } else {
        char defcache[3800];
        const char *cache = cfg->ptau_cache;
        if (cache == NULL) {
            ns_host_ptau_cache_dir(defcache, sizeof defcache);
            if (defcache[0] == 0) snprintf(defcache, sizeof defcache, "%s", cfg->workdir);
            cache = defcache;
        }
        if (mkdirs(cache) != 0) return ns_error_set(err, "%s: cannot create the ptau cache: %s", cache, strerror(errno));
        snprintf(in->ptau, sizeof in->ptau, "%s/%s", cache, pick);
        if (exists(in->ptau)) {
            ns_host_log("host", "ptau", "using the cached %s", in->ptau);
        } else {
            ns_host_log("host", "ptau", "downloading %s", pick);
            if (e->ptau_download(e->ctx, in->ptau, pick, err) != 0) return -1;
        }
    }
    ns_host_log("host", "ptau", "hashing %s", in->ptau);
    uint64_t psize;
    if (ns_blake2b512_file(in->ptau_hash, in->ptau, &psize, err) != 0) return -1;
    /* The policy first (protocol/policy.h): a ptau whose phase-1 secrets
     * someone could know would let them forge proofs; the enclave refuses it
     * too, so fail here before any work. */
    in->ptau_trust = ns_ptau_policy_check(in->ptau_name, sizeof in->ptau_name, in->ptau_hash, cfg->pins);
    char hx[129];
    ns_hex_encode(hx, in->ptau_hash, 64);
    if (in->ptau_trust == NS_PTAU_UNTRUSTED && cfg->ptau_file == NULL)
        return ns_error_set(err, "%s: BLAKE2b-512 of the cached/downloaded file is not the Hermez table's for %s (delete it to download again)", in->ptau,
                            pick);
    if (in->ptau_trust == NS_PTAU_UNTRUSTED) return ns_ptau_untrusted_error(err, in->ptau, in->ptau_hash);
    if (in->ptau_trust == NS_PTAU_HERMEZ)
        ns_host_log("host", "ptau", "%s matches the Hermez table entry %s", in->ptau, in->ptau_name);
    else
        ns_host_log("host", "ptau", "%s is not a Hermez file; trusted because it is pinned (%s), BLAKE2b-512 %s",
                    in->ptau, ns_ptau_trust_name(in->ptau_trust), hx);

    snprintf(in->zkey0, sizeof in->zkey0, "%s/0000.zkey", cfg->workdir);
    ns_host_log("host", "zkey new", "creating 0000.zkey");
    if (e->zkey_new(e->ctx, in->zkey0, in->r1cs, in->ptau, err) != 0) return -1;
    return 0;
}

static void on_enclave_progress(void *ctx, const char *step, const char *msg) {
    (void)ctx;
    ns_host_log("enclave", step, "%s", msg);
}

/* Copy of src with one byte flipped (test-only modes): at offset `at`, or
 * in the middle when at < 0. */
static int flipped_copy(char *out, size_t cap, const char *src, const char *workdir, long at_req,
                        ns_error *err) {
    snprintf(out, cap, "%s/hostile.bin", workdir);
    if (ns_copy_file(out, src, err) != 0) return -1;
    FILE *f = fopen(out, "r+b");
    if (f == NULL) return ns_error_set(err, "%s: %s", out, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    long at = at_req >= 0 && at_req < n ? at_req : n / 2;
    fseek(f, at, SEEK_SET);
    int ch = fgetc(f);
    fseek(f, at, SEEK_SET);
    fputc(ch ^ 0x01, f);
    fclose(f);
    return 0;
}

static int send_raw_header(ns_conn *c, int type, uint32_t len, ns_error *err) {
    uint8_t h[NS_PROTO_HEADER_LEN];
    ns_proto_header_encode(h, type, len);
    if (send(c->fd, h, sizeof h, MSG_NOSIGNAL) != (ssize_t)sizeof h)
        return ns_error_set(err, "send: %s", strerror(errno));
    return 0;
}

enum { SEND_WAIT = 12 * 3600 * 1000 }; /* the enclave compiling a large circuit */

static int send_inputs(const ns_host_cfg *cfg, const ns_host_inputs *in, ns_conn *c, ns_error *err) {
    if (hostile(cfg, "oversize-frame")) {
        ns_host_log("host", "TEST", "hostile: oversize frame");
        if (send_raw_header(c, NS_MSG_FILE_CHUNK, NS_PROTO_CHUNK_MAX + 1, err) != 0) return -1;
        return 0;
    }
    if (hostile(cfg, "oversize-file")) {
        ns_host_log("host", "TEST", "hostile: oversize file");
        json_t *o = json_pack("{s:s, s:I}", "name", "circuit.tar", "size", (json_int_t)1 << 40);
        int r = ns_conn_send_json(c, NS_MSG_FILE_BEGIN, o, err);
        json_decref(o);
        return r;
    }
    if (hostile(cfg, "truncated-frame")) {
        ns_host_log("host", "TEST", "hostile: truncated frame");
        json_t *o = json_pack("{s:s, s:I}", "name", "circuit.tar", "size", (json_int_t)1000);
        int r = ns_conn_send_json(c, NS_MSG_FILE_BEGIN, o, err);
        json_decref(o);
        if (r != 0 || send_raw_header(c, NS_MSG_FILE_CHUNK, 1000, err) != 0) return -1;
        if (send(c->fd, "0123456789", 10, MSG_NOSIGNAL) != 10) return ns_error_set(err, "send failed");
        shutdown(c->fd, SHUT_WR);
        return 0;
    }
    char alt[4096];
    const char *zkey0 = in->zkey0, *ptau = in->ptau;
    if (hostile(cfg, "tamper-0000")) {
        ns_host_log("host", "TEST", "hostile: tampered 0000.zkey");
        if (flipped_copy(alt, sizeof alt, in->zkey0, cfg->workdir, -1, err) != 0) return -1;
        zkey0 = alt;
    } else if (hostile(cfg, "wrong-ptau")) {
        /* offset 200: the second tauG1 point, which every key's H section uses */
        ns_host_log("host", "TEST", "hostile: wrong ptau");
        if (flipped_copy(alt, sizeof alt, in->ptau, cfg->workdir, 200, err) != 0) return -1;
        ptau = alt;
    }
    /* The circuit first; the key and the ptau once the enclave has compiled
     * it and says READY (its memory never holds circom and them at once). */
    ns_host_log("host", "send", "circuit bundle to the enclave");
    if (ns_conn_send_file(c, "circuit.tar", in->cbundle, NULL, err) != 0) return -1;
    json_t *ready;
    if (ns_conn_expect_json(c, NS_MSG_READY, &ready, SEND_WAIT, err) != 0) return -1;
    json_decref(ready);
    ns_host_log("host", "send", "0000.zkey and ptau to the enclave");
    if (ns_conn_send_file(c, "0000.zkey", zkey0, NULL, err) || ns_conn_send_file(c, "ptau", ptau, NULL, err))
        return -1;
    return 0;
}

static int write_buf(const ns_bundle_stage *st, const char *name, const void *d, size_t n, ns_error *err) {
    char p[4200];
    ns_bundle_stage_path(p, sizeof p, st, name);
    return ns_write_file_atomic(p, d, n, err);
}

/* What the session's steps share. */
typedef struct {
    const ns_host_cfg *cfg;
    const ns_host_inputs *in;
    const ns_engine *e;
    ns_conn *c;
    const ns_bundle_stage *st;
    ns_chain_ref chain;
    json_int_t margin;
    uint8_t *doc1, *doc2;
    size_t doc1_len, doc2_len;
    ns_doc_info info; /* attestation #1 */
} session;

enum { LONG_WAIT = 4 * 3600 * 1000 };

/* HELLO (announcing the ptau's hash) and the enclave's ENV: its checks and
 * pinned policy, which must be this host's drand chain. */
static int step_hello(session *s, ns_error *err) {
    char hx[129];
    ns_hex_encode(hx, s->in->ptau_hash, 64);
    if (hostile(s->cfg, "untrusted-ptau")) hx[0] = hx[0] == '0' ? '1' : '0';
    json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s}", "tool", "nitrosetup", "protocol", NS_PROTO_VERSION, "version",
                          NS_VERSION, "mode", s->e->simulated_nsm ? "local" : "nitro", "ptau", hx);
    int rc = ns_conn_send_json(s->c, NS_MSG_HELLO, o, err);
    json_decref(o);
    if (rc != 0 || ns_conn_expect_json(s->c, NS_MSG_ENV, &o, -1, err) != 0) return -1;
    json_t *checks = json_object_get(o, "checks");
    for (size_t i = 0; i < json_array_size(checks); i++) {
        json_t *k = json_array_get(checks, i);
        ns_host_log("enclave", "environment", "%s: %s (%s)", json_string_value(json_object_get(k, "name")),
                    json_string_value(json_object_get(k, "status")), json_string_value(json_object_get(k, "detail")));
    }
    json_t *pol = json_object_get(o, "policy");
    const char *chain_hex = json_string_value(json_object_get(pol, "drand_chain"));
    s->margin = json_integer_value(json_object_get(pol, "drand_margin_s"));
    rc = s->e->drand_chain(s->e->ctx, &s->chain, err);
    if (rc == 0) {
        ns_hex_encode(hx, s->chain.hash, 32);
        if (chain_hex == NULL || strcmp(chain_hex, hx) != 0 || s->margin < 0 || s->margin > 3600)
            rc = ns_error_set(err, "the enclave pins drand chain %s, this host uses %s (%s)", chain_hex ? chain_hex : "?",
                              hx, s->chain.name);
    }
    json_decref(o);
    return rc;
}

static int step_inputs(session *s, ns_error *err) { return send_inputs(s->cfg, s->in, s->c, err); }

/* Attestation #1 into the bundle; a document that does not chain to the
 * AWS root (the simulated NSM) leaves its root, clearly named, for
 * `verify --allow-simulated`. */
static int step_attestation1(session *s, ns_error *err) {
    if (ns_conn_expect(s->c, NS_MSG_ATTEST1, &s->doc1, &s->doc1_len, LONG_WAIT, err) != 0) return -1;
    if (write_buf(s->st, "attestation-1.cose", s->doc1, s->doc1_len, err) != 0) return -1;
    if (s->e->doc_parse(s->e->ctx, &s->info, s->doc1, s->doc1_len, err) != 0) return ns_error_prefix(err, "attestation #1");
    ns_host_log("host", "attestation 1", "received (%zu bytes), T = %llu ms", s->doc1_len,
                (unsigned long long)s->info.timestamp_ms);
    if (hostile(s->cfg, "kill-enclave") && s->cfg->kill_enclave != NULL) {
        ns_host_log("host", "TEST", "hostile: killing the enclave");
        s->cfg->kill_enclave(s->cfg->kill_ctx);
    }
    const ns_doc_info *d = &s->info;
    int aws = d->ncerts > 0 && d->cert_len[0] == NS_AWS_NITRO_ROOT_DER_LEN &&
              memcmp(d->certs[0], NS_AWS_NITRO_ROOT_DER, NS_AWS_NITRO_ROOT_DER_LEN) == 0;
    if ((s->e->simulated_nsm || !aws) && d->ncerts > 0 &&
        write_buf(s->st, NS_BUNDLE_SIM_ROOT, d->certs[0], d->cert_len[0], err) != 0)
        return -1;
    return 0;
}

/* The document's certificate chain back to the enclave (it checks it). */
static int step_certchain(session *s, ns_error *err) {
    char *hx = malloc(2 * NS_ENGINE_MAX_CERT + 1);
    if (hx == NULL) return ns_error_set(err, "out of memory");
    json_t *o = json_object(), *arr = json_array();
    for (int i = 0; i < s->info.ncerts; i++) {
        ns_hex_encode(hx, s->info.certs[i], s->info.cert_len[i]);
        if (hostile(s->cfg, "wrong-certchain") && i == s->info.ncerts - 1) hx[2] = hx[2] == '0' ? '1' : '0';
        json_array_append_new(arr, json_string(hx));
    }
    free(hx);
    json_object_set_new(o, "certs", arr);
    int rc = ns_conn_send_json(s->c, NS_MSG_CERTCHAIN, o, err);
    json_decref(o);
    return rc;
}

/* The round the enclave committed to (T1 + margin), fetched when it exists. */
static int step_drand(session *s, ns_error *err) {
    uint64_t round;
    int64_t due;
    if (ns_chain_commit_round(&round, &due, &s->chain, s->info.timestamp_ms / 1000, (uint32_t)s->margin, err) != 0)
        return -1;
    ns_host_log("host", "drand", "round %llu of %s (first strictly after T + %lld s), due at %lld",
                (unsigned long long)round, s->chain.name, (long long)s->margin, (long long)due);
    if (hostile(s->cfg, "wrong-round")) round++;
    ns_beacon b;
    if (s->e->drand_fetch(s->e->ctx, &b, round, err) != 0) return -1;
    if (hostile(s->cfg, "bad-signature")) b.signature[b.signature_len / 2] ^= 0x01;
    ns_chain_ref chain = s->chain;
    if (hostile(s->cfg, "wrong-drand-chain")) chain.hash[0] ^= 0x01;
    json_t *o = ns_beacon_to_json(&chain, &b);
    int rc = o == NULL ? ns_error_set(err, "out of memory") : ns_conn_send_json(s->c, NS_MSG_DRAND, o, err);
    json_decref(o);
    if (rc == 0) ns_host_log("host", "drand", "round %llu delivered", (unsigned long long)b.round);
    return rc;
}

/* The results, attestation #2, DONE; the circuit bundle joins them and the
 * enclave's r1cs must be the host's. */
static int step_results(session *s, ns_error *err) {
    static const struct {
        const char *name;
        uint64_t max;
    } FILES[] = {{"circuit.r1cs", 8ull << 30},          {"final.zkey", 16ull << 30},
                 {"verification_key.json", 4u << 20}, {"drand.json", 64u << 10},
                 {NS_BUNDLE_VERIFIER_RUNTIME, 16u << 20}, {NS_BUNDLE_VERIFIER_SOURCE, 1u << 20},
                 {"manifest.json", 1u << 20}};
    char p[4200];
    for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
        ns_bundle_stage_path(p, sizeof p, s->st, FILES[i].name);
        if (ns_conn_recv_file(s->c, FILES[i].name, p, FILES[i].max, NULL, NULL, LONG_WAIT, err) != 0) return -1;
    }
    if (ns_conn_expect(s->c, NS_MSG_ATTEST2, &s->doc2, &s->doc2_len, -1, err) != 0) return -1;
    if (write_buf(s->st, "attestation-2.cose", s->doc2, s->doc2_len, err) != 0) return -1;
    json_t *o;
    if (ns_conn_expect_json(s->c, NS_MSG_DONE, &o, -1, err) != 0) return -1;
    json_decref(o);
    ns_bundle_stage_path(p, sizeof p, s->st, "circuit.tar");
    if (ns_copy_file(p, s->in->cbundle, err) != 0) return -1;
    uint8_t h1[64], h2[64];
    ns_bundle_stage_path(p, sizeof p, s->st, "circuit.r1cs");
    if (ns_blake2b512_file(h1, p, NULL, err) || ns_blake2b512_file(h2, s->in->r1cs, NULL, err)) return -1;
    if (memcmp(h1, h2, 64) != 0)
        return ns_error_set(err, "the enclave's r1cs differs from the host's (circom is not deterministic here?)");
    return 0;
}

static const struct {
    const char *name;
    int (*run)(session *s, ns_error *err);
} HOST_STEPS[] = {
    {"hello", step_hello},           {"inputs", step_inputs}, {"attestation 1", step_attestation1},
    {"certificate chain", step_certchain}, {"drand", step_drand}, {"results", step_results},
};

int ns_host_session(const ns_host_cfg *cfg, const ns_host_inputs *in, ns_conn *c, const ns_bundle_stage *st,
                    ns_error *err) {
    session s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    s.in = in;
    s.e = cfg->eng;
    s.c = c;
    s.st = st;
    c->on_progress = on_enclave_progress;
    int rc = 0;
    for (size_t i = 0; i < sizeof HOST_STEPS / sizeof HOST_STEPS[0] && rc == 0; i++) rc = HOST_STEPS[i].run(&s, err);
    if (rc != 0 && strstr(err->msg, "reported an error") == NULL) ns_conn_drain_error(c, 2000, err);
    free(s.doc1);
    free(s.doc2);
    ns_doc_info_free(&s.info);
    return rc;
}
