/* The ceremony protocol end to end with a stand-in engine (test only): the
 * enclave state machine in a child process, the host in this one, over a
 * socketpair.  The stand-in engine is deliberately simple (hash-chained
 * files instead of zkeys, an unsigned "document" format) so the test covers
 * the protocol, the bundle, the commitment and every hostile-host mode
 * quickly; the real modules are exercised by tests/compat/ceremony_*.test.sh. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "protocol/bundle.h"
#include "util/rmtree.h"
#include "protocol/commit.h"
#include "protocol/manifest.h"
#include "app/verify.h"
#include "enclave/enclave.h"
#include "host/host.h"
#include "testutil.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/keccak.h"
#include "util/outfile.h"

/* ---------------- stand-in engine ---------------- */

static const char ROOT[] = "FAKE-ROOT-CERTIFICATE";

static int slurp(uint8_t **d, size_t *n, const char *p) {
    *d = ns_test_read_file(p, n);
    return *d ? 0 : -1;
}

static int f_env(void *c, ns_env_check *k, int *n, int cap, ns_error *err) {
    (void)c, (void)cap, (void)err;
    memset(&k[*n], 0, sizeof k[0]);
    snprintf(k[*n].name, sizeof k[0].name, "fake-rng");
    k[*n].status = 1;
    snprintf(k[*n].detail, sizeof k[0].detail, "stand-in");
    (*n)++;
    return 0;
}
static int f_random(void *c, uint8_t *o, size_t n, ns_error *err) {
    (void)c, (void)err;
    memset(o, 0x5a, n);
    return 0;
}
static uint64_t g_clock_ms = 1750000000000ull;
static ns_ptau_pins g_pins; /* the stand-in ptau, pinned (it is not a Hermez file) */
static int g_no_pins;       /* a run without the pin */
static int f_attest(void *c, uint8_t **doc, size_t *len, const uint8_t *ud, size_t udl, const uint8_t *no,
                    size_t nl, ns_error *err) {
    (void)c, (void)err;
    uint8_t *d = malloc(64 + udl + nl + 2 * sizeof ROOT);
    size_t k = 0;
    memcpy(d, "FAKE", 4), k = 4;
    d[k++] = 'A'; /* the enclave's module id: i-fake-enc-<this byte> */
    static int attests; /* per process: the enclave child's second document is 60 s later */
    uint64_t ts = g_clock_ms + 60000ull * (uint64_t)attests++;
    memcpy(d + k, &ts, 8), k += 8;
    d[k++] = (uint8_t)(udl >> 8), d[k++] = (uint8_t)udl;
    if (udl > 0) memcpy(d + k, ud, udl), k += udl;
    d[k++] = (uint8_t)(nl >> 8), d[k++] = (uint8_t)nl;
    if (nl > 0) memcpy(d + k, no, nl), k += nl;
    memcpy(d + k, ROOT, sizeof ROOT), k += sizeof ROOT;
    memcpy(d + k, "LEAF", 4), k += 4;
    *doc = d;
    *len = k;
    return 0;
}
static int f_parse(void *c, ns_doc_info *info, const uint8_t *d, size_t n, ns_error *err) {
    (void)c;
    memset(info, 0, sizeof *info);
    if (n < 17 || memcmp(d, "FAKE", 4) != 0) return ns_error_set(err, "not a fake document");
    size_t k = 4;
    char mod = (char)d[k++];
    memcpy(&info->timestamp_ms, d + k, 8), k += 8;
    info->user_data_len = (size_t)(d[k] << 8 | d[k + 1]), k += 2;
    if (k + info->user_data_len + 2 > n) return ns_error_set(err, "fake document truncated");
    memcpy(info->user_data, d + k, info->user_data_len), k += info->user_data_len;
    info->has_user_data = info->user_data_len > 0;
    info->nonce_len = (size_t)(d[k] << 8 | d[k + 1]), k += 2;
    if (k + info->nonce_len + sizeof ROOT + 4 != n) return ns_error_set(err, "fake document length");
    memcpy(info->nonce, d + k, info->nonce_len), k += info->nonce_len;
    info->has_nonce = 1;
    info->certs[0] = malloc(sizeof ROOT);
    memcpy(info->certs[0], d + k, sizeof ROOT);
    info->cert_len[0] = sizeof ROOT;
    info->certs[1] = malloc(4);
    memcpy(info->certs[1], d + k + sizeof ROOT, 4);
    info->cert_len[1] = 4;
    info->ncerts = 2;
    info->pcr_present = 7;
    for (int i = 0; i < 3; i++) memset(info->pcrs[i], 0x11 * (i + 1), 48);
    snprintf(info->module_id, sizeof info->module_id, "i-fake-enc-%c", mod);
    return 0;
}
static int f_verify_doc(void *c, ns_doc_info *info, const uint8_t *d, size_t n, const uint8_t *r, size_t rl,
                        ns_error *err) {
    if (r != NULL && (rl != sizeof ROOT || memcmp(r, ROOT, rl) != 0))
        return ns_error_set(err, "fake document: untrusted root");
    if (r == NULL) return ns_error_set(err, "fake document: does not chain to the AWS root");
    return f_parse(c, info, d, n, err);
}
static int f_root(void *c, uint8_t **d, size_t *n, ns_error *err) {
    (void)c, (void)err;
    *d = malloc(sizeof ROOT);
    memcpy(*d, ROOT, sizeof ROOT);
    *n = sizeof ROOT;
    return 0;
}
static int f_ident(void *c, char *name, size_t cap, const uint8_t h[64], ns_error *err) {
    (void)c, (void)h, (void)err;
    snprintf(name, cap, "custom");
    return 0;
}
static int f_pick(void *c, char *name, size_t cap, const char *r1cs, ns_error *err) {
    (void)c, (void)r1cs, (void)err;
    snprintf(name, cap, "stand-in.ptau"); /* the flow tests always pass --ptau */
    return 0;
}
static int f_dl(void *c, const char *d, const char *n, ns_error *err) {
    (void)c, (void)d, (void)n;
    return ns_error_set(err, "no download in the stand-in");
}
/* fake zkey: "ZK" || H(r1cs) || H(ptau) || records ('C'|'B' || 64 bytes)* */
static int f_new(void *c, const char *out, const char *r1cs, const char *ptau, ns_error *err) {
    (void)c;
    uint8_t b[130];
    memcpy(b, "ZK", 2);
    if (ns_blake2b512_file(b + 2, r1cs, NULL, err) || ns_blake2b512_file(b + 66, ptau, NULL, err)) return -1;
    return ns_write_file_atomic(out, b, sizeof b, err);
}
static int f_zverify(void *c, const char *z, const char *r1cs, const char *ptau, ns_error *err) {
    (void)c;
    uint8_t *d, h[128];
    size_t n;
    if (slurp(&d, &n, z) != 0) return ns_error_set(err, "%s: unreadable", z);
    if (ns_blake2b512_file(h, r1cs, NULL, err) || ns_blake2b512_file(h + 64, ptau, NULL, err)) {
        free(d);
        return -1;
    }
    int ok = n >= 130 && (n - 130) % 65 == 0 && memcmp(d, "ZK", 2) == 0 && memcmp(d + 2, h, 128) == 0;
    free(d);
    return ok ? 0 : ns_error_set(err, "%s: does not match the r1cs and ptau", z);
}
static int append(uint8_t hash[64], const char *out, const char *in, char tag, const uint8_t *x, size_t xl,
                  ns_error *err) {
    uint8_t *d;
    size_t n;
    if (slurp(&d, &n, in) != 0) return ns_error_set(err, "%s: unreadable", in);
    d = realloc(d, n + 65);
    d[n] = (uint8_t)tag;
    ns_blake2b512(d + n + 1, x, xl);
    int r = ns_write_file_atomic(out, d, n + 65, err);
    ns_blake2b512(hash, d, n + 65);
    free(d);
    return r;
}
static int f_contrib(void *c, uint8_t h[64], const char *o, const char *i, const uint8_t *e, size_t el,
                     const char *name, ns_error *err) {
    (void)c, (void)name;
    return append(h, o, i, 'C', e, el, err);
}
/* beacon record: 'B' || hash (32) || exp || 31 zero bytes */
static int f_beacon(void *c, uint8_t h[64], const char *o, const char *i, const uint8_t *bh, size_t bl, int exp,
                    const char *name, ns_error *err) {
    (void)c, (void)name;
    uint8_t *d;
    size_t n;
    if (bl != 32 || slurp(&d, &n, i) != 0) return ns_error_set(err, "%s: unreadable", i);
    d = realloc(d, n + 65);
    d[n] = 'B';
    memcpy(d + n + 1, bh, 32);
    memset(d + n + 33, 0, 32);
    d[n + 33] = (uint8_t)exp;
    int r = ns_write_file_atomic(o, d, n + 65, err);
    ns_blake2b512(h, d, n + 65);
    free(d);
    return r;
}
static int f_lastb(void *c, uint8_t *bh, size_t *bl, int *exp, const char *z, ns_error *err) {
    (void)c;
    uint8_t *d;
    size_t n;
    if (slurp(&d, &n, z) != 0) return ns_error_set(err, "%s: unreadable", z);
    int ok = n >= 195 && d[n - 65] == 'B';
    if (ok) {
        memcpy(bh, d + n - 64, 32);
        *bl = 32;
        *exp = d[n - 32];
    }
    free(d);
    return ok ? 0 : ns_error_set(err, "%s: the last contribution is not a beacon", z);
}
static int f_contribs(void *c, uint8_t (*hs)[64], int *types, int cap, int *n, const char *z, ns_error *err) {
    (void)c;
    uint8_t *d;
    size_t len;
    if (slurp(&d, &len, z) != 0) return ns_error_set(err, "%s: unreadable", z);
    *n = 0;
    int rc = (len < 130 || (len - 130) % 65 != 0) ? ns_error_set(err, "%s: not a fake zkey", z) : 0;
    for (size_t off = 130; rc == 0 && off < len && *n < cap; off += 65) {
        types[*n] = d[off] == 'B';
        ns_blake2b512(hs[*n], d, off + 65);
        (*n)++;
    }
    free(d);
    return rc;
}
static int f_vk(void *c, const char *o, const char *z, ns_error *err) {
    (void)c, (void)z;
    return ns_write_file_atomic(o, "{\"protocol\":\"fake\"}", 19, err);
}
/* a stand-in verifier: fixed bytes, their Keccak-256 */
static int f_verifier(void *c, uint8_t keccak[32], uint64_t *size, const char *rt, const char *src, const char *z,
                      ns_error *err) {
    (void)c, (void)z;
    static const char code[] = "fake verifier code";
    ns_keccak256(keccak, code, sizeof code - 1);
    *size = sizeof code - 1;
    if (ns_write_file_atomic(rt, code, sizeof code - 1, err) != 0) return -1;
    return src ? ns_write_file_atomic(src, "// fake\n", 8, err) : 0;
}
static int f_chain(void *c, ns_chain_ref *ch, ns_error *err) {
    (void)c, (void)err;
    memset(ch, 0, sizeof *ch);
    snprintf(ch->name, sizeof ch->name, "fakechain");
    memset(ch->hash, 0xc4, 32);
    ch->genesis_time = 1700000000;
    ch->period = 3;
    ch->simulated = 1;
    return 0;
}
static void fake_sig(uint8_t sig[48], uint64_t round) {
    uint8_t m[16 + 8], h[64];
    memcpy(m, "fake-drand-key!!", 16);
    memcpy(m + 16, &round, 8);
    ns_blake2b512(h, m, sizeof m);
    memcpy(sig, h, 48);
}
static int f_fetch(void *c, ns_beacon *b, uint64_t round, ns_error *err) {
    (void)c, (void)err;
    memset(b, 0, sizeof *b);
    b->round = round;
    fake_sig(b->signature, round);
    b->signature_len = 48;
    ns_sha256(b->randomness, b->signature, 48);
    return 0;
}
static int f_dverify(void *c, const ns_chain_ref *ch, const ns_beacon *b, ns_error *err) {
    (void)c, (void)ch;
    uint8_t s[48], r[32];
    fake_sig(s, b->round);
    ns_sha256(r, s, 48);
    if (b->signature_len != 48 || memcmp(s, b->signature, 48) != 0)
        return ns_error_set(err, "invalid beacon signature");
    if (memcmp(r, b->randomness, 32) != 0) return ns_error_set(err, "randomness is not H(signature)");
    return 0;
}

static void fake_engine(ns_engine *e) {
    memset(e, 0, sizeof *e);
    e->simulated_nsm = 1;
    e->simulated_drand = 1;
    e->env_check = f_env;
    e->nsm_random = f_random;
    e->nsm_attest = f_attest;
    e->doc_parse = f_parse;
    e->doc_verify = f_verify_doc;
    e->nsm_root = f_root;
    e->ptau_identify = f_ident;
    e->ptau_pick = f_pick;
    e->ptau_download = f_dl;
    e->zkey_new = f_new;
    e->zkey_verify = f_zverify;
    e->zkey_contribute = f_contrib;
    e->zkey_beacon = f_beacon;
    e->zkey_last_beacon = f_lastb;
    e->zkey_contributions = f_contribs;
    e->export_vk = f_vk;
    e->export_verifier = f_verifier;
    e->drand_chain = f_chain;
    e->drand_fetch = f_fetch;
    e->drand_verify = f_dverify;
}

/* ---------------- harness ---------------- */

static char g_root[256];
static pid_t g_child;

static void kill_child(void *ctx) {
    (void)ctx;
    kill(g_child, SIGKILL);
}

static void put(const char *path, const char *text) {
    ns_error err;
    if (ns_write_file_atomic(path, text, strlen(text), &err) != 0) ns_error_print(&err);
}

/* One ceremony; returns the host result and the child's exit code.
 * host_err gets the host's message. */
static int run_one(const char *hostile, const char *outdir, int *child_code, ns_error *host_err) {
    ns_engine eng;
    fake_engine(&eng);
    char hwork[512], ework[512], circ[512], ptau[512], fakecc[600];
    snprintf(hwork, sizeof hwork, "%s/hw-%s", g_root, hostile ? hostile : "ok");
    snprintf(ework, sizeof ework, "%s/ew-%s", g_root, hostile ? hostile : "ok");
    mkdir(hwork, 0700);
    mkdir(ework, 0700);
    snprintf(circ, sizeof circ, "%s/c.circom", g_root);
    snprintf(ptau, sizeof ptau, "%s/fake.ptau", g_root);
    snprintf(fakecc, sizeof fakecc, "sh %s/fakecircom.sh", g_root);

    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        ns_enclave_cfg cfg;
        ns_enclave_cfg_defaults(&cfg, &eng, ework, fakecc);
        cfg.max_cbundle = 1 << 20;
        cfg.max_zkey = 1 << 20;
        cfg.max_ptau = 1 << 20;
        if (!g_no_pins) cfg.pins = g_pins;
        ns_env_check checks[8];
        int n = 0;
        ns_error env_err, err;
        int env_ok = ns_enclave_check_env(&cfg, checks, &n, 8, &env_err) == 0;
        ns_conn c;
        ns_conn_init(&c, sv[1], "host");
        c.io_timeout_ms = 5000;
        int rc = ns_enclave_serve(&cfg, &c, checks, n, env_ok, &env_err, &err);
        if (rc != 0) fprintf(stderr, "  (enclave side) %s\n", err.msg);
        ns_conn_close(&c);
        _exit(rc == 0 ? 0 : 1);
    }
    g_child = pid;
    close(sv[1]);
    ns_host_cfg cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.eng = &eng;
    cfg.circuit = circ;
    cfg.circom_cmd = fakecc;
    cfg.ptau_file = ptau;
    cfg.pins = &g_pins;
    cfg.workdir = hwork;
    cfg.hostile = hostile;
    cfg.kill_enclave = kill_child;
    ns_host_inputs in;
    ns_bundle_stage st;
    int rc = -1;
    if (ns_bundle_stage_open(&st, outdir, host_err) == 0) {
        if (ns_host_prepare(&in, &cfg, host_err) == 0) {
            ns_conn c;
            ns_conn_init(&c, sv[0], "enclave");
            c.io_timeout_ms = 5000;
            c.wait_timeout_ms = 20000;
            rc = ns_host_session(&cfg, &in, &c, &st, host_err);
            sv[0] = -1;
            ns_conn_close(&c);
        }
        if (rc == 0) rc = ns_bundle_stage_commit(&st, host_err);
        if (rc != 0) ns_bundle_stage_abort(&st);
    }
    if (sv[0] >= 0) close(sv[0]);
    int st_code;
    waitpid(pid, &st_code, 0);
    *child_code = WIFEXITED(st_code) ? WEXITSTATUS(st_code) : 128 + WTERMSIG(st_code);
    ns_rmtree(hwork);
    ns_rmtree(ework);
    return rc;
}

static int is_dir(const char *p) {
    struct stat s;
    return stat(p, &s) == 0 && S_ISDIR(s.st_mode);
}

static void test_success(void) {
    char out[512], p[700];
    snprintf(out, sizeof out, "%s/bundle-ok", g_root);
    ns_error err;
    int code = -1;
    int rc = run_one(NULL, out, &code, &err);
    CHECK_MSG(rc == 0, "host: %s", rc ? err.msg : "");
    CHECK(code == 0);
    const char *files[] = {"circuit.tar", "circuit.r1cs", "final.zkey", "verification_key.json",
                           "attestation-1.cose", "attestation-2.cose", "drand.json", "manifest.json",
                           NS_BUNDLE_VERIFIER_RUNTIME, NS_BUNDLE_VERIFIER_SOURCE, NS_BUNDLE_SIM_ROOT};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", out, files[i]);
        struct stat s;
        CHECK_MSG(stat(p, &s) == 0, "bundle has %s", files[i]);
    }
    /* manifest parses, lists every artifact with the right hash */
    size_t n;
    snprintf(p, sizeof p, "%s/manifest.json", out);
    uint8_t *mt = ns_test_read_file(p, &n);
    ns_manifest m;
    CHECK(mt != NULL && ns_manifest_from_json(&m, (const char *)mt, n, &err) == 0);
    CHECK(m.nart == 8);
    /* format 3: the verifier's Keccak-256 and size are the engine's */
    {
        uint8_t k[32];
        ns_keccak256(k, "fake verifier code", 18);
        CHECK(m.has_verifier && m.verifier_size == 18 && memcmp(m.verifier_keccak, k, 32) == 0);
    }
    for (int i = 0; i < m.nart; i++) {
        uint8_t h[64];
        uint64_t sz;
        snprintf(p, sizeof p, "%s/%s", out, m.art[i].name);
        CHECK_MSG(ns_blake2b512_file(h, p, &sz, &err) == 0 && sz == m.art[i].size &&
                      memcmp(h, m.art[i].hash, 64) == 0,
                  "manifest hash of %s", m.art[i].name);
    }
    CHECK(m.simulated_nsm == 1 && m.simulated_drand == 1);
    CHECK(strcmp(m.ptau_name, "custom") == 0);
    /* attestation 1: nonce = H(0001), user_data = commitment */
    uint8_t *d1, *d2;
    size_t l1, l2;
    snprintf(p, sizeof p, "%s/attestation-1.cose", out);
    d1 = ns_test_read_file(p, &l1);
    snprintf(p, sizeof p, "%s/attestation-2.cose", out);
    d2 = ns_test_read_file(p, &l2);
    ns_doc_info i1, i2;
    CHECK(f_parse(NULL, &i1, d1, l1, &err) == 0);
    CHECK(f_parse(NULL, &i2, d2, l2, &err) == 0);
    CHECK(i1.nonce_len == 64 && memcmp(i1.nonce, m.zkey1_hash, 64) == 0);
    ns_commitment cm;
    CHECK(ns_commitment_decode(&cm, i1.user_data, i1.user_data_len, &err) == 0);
    CHECK(memcmp(cm.contrib, m.contribution_hash, 64) == 0);
    CHECK(memcmp(cm.cbundle, m.cbundle_hash, 64) == 0);
    CHECK(memcmp(cm.zkey0, m.zkey0_hash, 64) == 0);
    CHECK(cm.margin == NS_ENCLAVE_DRAND_MARGIN_S);
    uint8_t mh[64];
    ns_blake2b512(mh, mt, n);
    CHECK(i2.nonce_len == 64 && memcmp(i2.nonce, mh, 64) == 0);
    /* the committed round: first strictly after T + margin */
    ns_chain_ref ch;
    f_chain(NULL, &ch, &err);
    int64_t t = (int64_t)(g_clock_ms / 1000 + NS_ENCLAVE_DRAND_MARGIN_S), tr = 0, tp = 0;
    CHECK(ns_chain_round_time(&tr, &ch, m.round, &err) == 0 && tr > t);
    CHECK(ns_chain_round_time(&tp, &ch, m.round - 1, &err) == 0 && tp <= t);
    ns_doc_info_free(&i1);
    ns_doc_info_free(&i2);
    free(d1);
    free(d2);
    free(mt);
    /* a second run into the same (non-empty) directory is refused */
    rc = run_one(NULL, out, &code, &err);
    CHECK(rc != 0 && strstr(err.msg, "refusing to overwrite") != NULL);
}

static int verify_dir(ns_verify_report *rep, const char *dir, int allow_sim) {
    ns_engine eng;
    fake_engine(&eng);
    ns_verify_opts o;
    memset(&o, 0, sizeof o);
    o.eng = &eng;
    o.allow_simulated = allow_sim;
    o.margin = NS_ENCLAVE_DRAND_MARGIN_S;
    o.beacon_exp = NS_ENCLAVE_BEACON_EXP;
    o.workdir = g_root;
    char ptau[512];
    snprintf(ptau, sizeof ptau, "%s/fake.ptau", g_root);
    o.ptau = ptau;
    if (!g_no_pins) o.pins = g_pins;
    ns_error err;
    return ns_bundle_verify(rep, dir, &o, &err);
}

static int has_fail(const ns_verify_report *rep, const char *needle) {
    for (int i = 0; i < rep->n; i++)
        if (rep->c[i].status == NS_CHECK_FAIL &&
            (strstr(rep->c[i].name, needle) != NULL || strstr(rep->c[i].detail, needle) != NULL))
            return 1;
    return 0;
}

static void dump(const ns_verify_report *rep) {
    for (int i = 0; i < rep->n; i++)
        fprintf(stderr, "    %d %s: %s\n", rep->c[i].status, rep->c[i].name, rep->c[i].detail);
}

static void test_verify(void) {
    char out[512], copy[600], p[700], cmd[2000];
    snprintf(out, sizeof out, "%s/bundle-ok", g_root);
    ns_verify_report *rep = malloc(sizeof *rep);
    CHECK(verify_dir(rep, out, 1) == 0);
    CHECK_MSG(rep->ok == 1, "the good bundle verifies with --allow-simulated");
    if (!rep->ok) dump(rep);
    CHECK(rep->simulated == 1);
    CHECK(verify_dir(rep, out, 0) == 0);
    CHECK(rep->ok == 0 && has_fail(rep, "simulated"));
    static const struct {
        const char *file, *expect;
    } T[] = {{"circuit.tar", "circuit.tar"},
             {"circuit.r1cs", "circuit.r1cs"},
             {"final.zkey", "final.zkey"},
             {"verification_key.json", "verification_key.json"},
             {"attestation-1.cose", "attestation-1.cose"},
             {"attestation-2.cose", "attestation 2"},
             {"drand.json", "drand"},
             {"manifest.json", "manifest"},
             {NS_BUNDLE_SIM_ROOT, "untrusted root"}};
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        snprintf(copy, sizeof copy, "%s/tampered", g_root);
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", copy, out, copy);
        CHECK(system(cmd) == 0);
        snprintf(p, sizeof p, "%s/%s", copy, T[i].file);
        size_t n;
        uint8_t *d = ns_test_read_file(p, &n);
        CHECK(d != NULL && n > 0);
        if (d == NULL) continue;
        d[n / 2] ^= 0x01;
        ns_error err;
        ns_write_file_atomic(p, d, n, &err);
        free(d);
        CHECK(verify_dir(rep, copy, 1) == 0);
        CHECK_MSG(rep->ok == 0, "tampered %s fails", T[i].file);
        CHECK_MSG(has_fail(rep, T[i].expect), "tampered %s: a failed check names '%s'", T[i].file, T[i].expect);
        if (!has_fail(rep, T[i].expect)) dump(rep);
        /* and deleting it fails too */
        unlink(p);
        CHECK(verify_dir(rep, copy, 1) == 0);
        CHECK_MSG(rep->ok == 0, "missing %s fails", T[i].file);
        ns_rmtree(copy);
    }
    free(rep);
}

/* attestation 2 from another enclave, or dated before the drand round it
 * applied: both fail (doc 2 is not in the manifest, so only these checks
 * can catch it). */
static void test_doc2(void) {
    char out[512], copy[600], p[700], cmd[2000];
    snprintf(out, sizeof out, "%s/bundle-ok", g_root);
    ns_verify_report *rep = malloc(sizeof *rep);
    for (int mode = 0; mode < 2; mode++) {
        snprintf(copy, sizeof copy, "%s/doc2", g_root);
        snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", copy, out, copy);
        CHECK(system(cmd) == 0);
        snprintf(p, sizeof p, "%s/attestation-2.cose", copy);
        size_t n;
        uint8_t *d = ns_test_read_file(p, &n);
        CHECK(d != NULL && n > 13);
        if (d == NULL) continue;
        if (mode == 0) d[4] = 'B';
        else memcpy(d + 5, &g_clock_ms, 8); /* T2 = T1, before the round */
        ns_error err;
        ns_write_file_atomic(p, d, n, &err);
        free(d);
        CHECK(verify_dir(rep, copy, 1) == 0);
        const char *want = mode == 0 ? "two enclaves" : "older than drand round";
        CHECK_MSG(rep->ok == 0 && has_fail(rep, want), "doc 2 %s: a failed check names '%s'",
                  mode == 0 ? "from another enclave" : "too early", want);
        if (!has_fail(rep, want)) dump(rep);
        ns_rmtree(copy);
    }
    free(rep);
}

static void test_hostile(const char *mode, const char *expect) {
    char out[512];
    snprintf(out, sizeof out, "%s/bundle-%s", g_root, mode);
    ns_error err;
    memset(&err, 0, sizeof err);
    int code = -1;
    int rc = run_one(mode, out, &code, &err);
    CHECK_MSG(rc != 0, "%s: the host fails", mode);
    CHECK_MSG(code != 0, "%s: the enclave exits non-zero (%d)", mode, code);
    CHECK_MSG(strstr(err.msg, expect) != NULL, "%s: message '%s' contains '%s'", mode, err.msg, expect);
    CHECK_MSG(!is_dir(out), "%s: no bundle directory", mode);
}

/* The enclave image must be pinned: a real (not simulated) bundle whose PCRs
 * are neither the --pcr values nor a released image fails; a warning only
 * for a simulated bundle the user allowed. */
static void test_image_pinning(void) {
    ns_doc_info d;
    memset(&d, 0, sizeof d);
    d.pcr_present = 7;
    for (int i = 0; i < 3; i++) memset(d.pcrs[i], 0x40 + i, 48);
    ns_verify_opts o;
    memset(&o, 0, sizeof o);
    char det[400];
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 0) == NS_CHECK_FAIL && strstr(det, "not pinned"));
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 1) == NS_CHECK_FAIL);
    o.allow_simulated = 1;
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 1) == NS_CHECK_WARN);
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 0) == NS_CHECK_FAIL);
    o.pcr_mask = 7;
    memcpy(o.pcr, d.pcrs, 3 * 48);
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 0) == NS_CHECK_PASS);
    o.pcr[2][47] ^= 1;
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 0) == NS_CHECK_FAIL && strstr(det, "PCR2"));
    d.pcr_present = 3; /* no PCR2 */
    o.pcr_mask = 0;
    CHECK(ns_verify_image(det, sizeof det, &d, &o, 0) == NS_CHECK_FAIL && strstr(det, "lacks"));
}

/* A ptau that is neither Hermez nor pinned: the enclave refuses it before any
 * work, and the verifier fails a bundle built on it unless it is pinned. */
static void test_untrusted(void) {
    char out[512];
    snprintf(out, sizeof out, "%s/bundle-unpinned", g_root);
    ns_error err;
    memset(&err, 0, sizeof err);
    int code = -1;
    g_no_pins = 1; /* the enclave child starts without the pin; the host keeps it */
    int rc = run_one(NULL, out, &code, &err);
    g_no_pins = 0;
    CHECK_MSG(rc != 0 && code != 0, "an enclave without the pin refuses the stand-in ptau");
    CHECK_MSG(strstr(err.msg, "hello") != NULL && strstr(err.msg, "nor pinned") != NULL,
              "refused at HELLO, before any work: %s", err.msg);
    CHECK(!is_dir(out));
    /* the verifier: the good bundle fails without --trust-ptau, passes with it */
    char ok[512];
    snprintf(ok, sizeof ok, "%s/bundle-ok", g_root);
    ns_verify_report *rep = malloc(sizeof *rep);
    g_no_pins = 1;
    CHECK(verify_dir(rep, ok, 1) == 0);
    g_no_pins = 0;
    CHECK_MSG(rep->ok == 0 && has_fail(rep, "nor pinned"), "an unpinned custom ptau fails verification");
    CHECK(rep->trusted == 0);
    CHECK(verify_dir(rep, ok, 1) == 0);
    CHECK(rep->ok == 1 && rep->trusted == 0 && rep->simulated == 1 && rep->nwarn >= 1);
    char hx[129];
    ns_hex_encode(hx, g_pins.hash[0], 64);
    int named = 0;
    for (int i = 0; i < rep->n; i++)
        named |= rep->c[i].status == NS_CHECK_PASS && strstr(rep->c[i].detail, hx) != NULL &&
                 strstr(rep->c[i].detail, "--trust-ptau") != NULL;
    CHECK_MSG(named, "the report names the pinned hash");
    free(rep);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    snprintf(g_root, sizeof g_root, "/tmp/ns-test-flow-XXXXXX");
    if (mkdtemp(g_root) == NULL) return 1;
    char p[600];
    snprintf(p, sizeof p, "%s/c.circom", g_root);
    put(p, "pragma circom 2.0.0;\ntemplate T() { signal input a; }\ncomponent main = T();\n");
    snprintf(p, sizeof p, "%s/fake.ptau", g_root);
    put(p, "not really a ptau, a stand-in for the protocol test\n");
    {
        ns_error e;
        uint8_t h[64];
        char hx[129];
        if (ns_blake2b512_file(h, p, NULL, &e) == 0) {
            ns_hex_encode(hx, h, 64);
            ns_ptau_pins_add_hex(&g_pins, hx, &e);
        }
    }
    snprintf(p, sizeof p, "%s/fakecircom.sh", g_root);
    put(p, "# stand-in for circom: the 'r1cs' is the main file's bytes\n"
           "[ \"$1\" = --version ] && { echo 'fake circom 1.0'; exit 0; }\n"
           "b=$(basename \"$1\" .circom); cat \"$1\" > out/$b.r1cs\n");

    test_success();
    test_verify();
    test_doc2();
    test_hostile("wrong-ptau", "not the one announced");
    test_hostile("untrusted-ptau", "is not a Hermez ptau nor pinned");
    test_untrusted();
    test_image_pinning();
    test_hostile("tamper-0000", "does not match");
    test_hostile("wrong-round", "committed round");
    test_hostile("bad-signature", "invalid beacon signature");
    test_hostile("wrong-drand-chain", "another drand chain");
    test_hostile("wrong-certchain", "differs from the document");
    test_hostile("oversize-frame", "exceeds the limit");
    test_hostile("oversize-file", "exceeds the limit");
    test_hostile("truncated-frame", "truncated");
    test_hostile("kill-enclave", "closed the connection");

    ns_rmtree(g_root);
    return ns_test_report("ceremony_flow");
}
