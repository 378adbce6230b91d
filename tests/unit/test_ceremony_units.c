/* Ceremony building blocks: the user_data commitment, manifest.json and
 * drand.json, the circuit bundle (create, check, tamper), round arithmetic
 * against the drand module. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "protocol/bundle.h"
#include "util/rmtree.h"
#include "protocol/cbundle.h"
#include "protocol/circom.h"
#include "protocol/commit.h"
#include "protocol/engine.h"
#include "app/engine_real.h"
#include "formats/r1cs.h"
#include "protocol/manifest.h"
#include "host/download.h"
#include "host/nitro_cli.h"
#include "drand/chains.h"
#include "drand/round.h"
#include "drand/beacon.h"
#include <time.h>
#include "testutil.h"
#include "util/outfile.h"

static void test_commitment(void) {
    ns_commitment c, d;
    ns_error err;
    memset(&c, 0, sizeof c); /* padding too: the test compares whole structs */
    ns_test_rand_bytes(c.cbundle, 64), ns_test_rand_bytes(c.r1cs, 64), ns_test_rand_bytes(c.ptau, 64);
    ns_test_rand_bytes(c.zkey0, 64), ns_test_rand_bytes(c.contrib, 64), ns_test_rand_bytes(c.chain, 32);
    ns_test_rand_bytes(c.circom, 64);
    snprintf(c.circom_version, sizeof c.circom_version, "circom compiler 2.2.3");
    uint32_t margins[] = {0, 10, 23, 24, 255, 256, 65535, 65536, 0xffffffffu};
    for (size_t i = 0; i < sizeof margins / sizeof margins[0]; i++) {
        c.margin = margins[i];
        uint8_t buf[NS_COMMIT_MAX + 1];
        size_t n = ns_commitment_encode(buf, &c);
        CHECK(n >= 367 && n <= 512);
        CHECK(ns_commitment_decode(&d, buf, n, &err) == 0);
        CHECK(memcmp(&c, &d, sizeof c) == 0);
        /* every single-byte change in the structure is rejected or decodes differently */
        for (size_t k = 0; k < n; k++) {
            buf[k] ^= 0x40;
            int r = ns_commitment_decode(&d, buf, n, &err);
            CHECK(r == -1 || memcmp(&c, &d, sizeof c) != 0);
            buf[k] ^= 0x40;
        }
        CHECK(ns_commitment_decode(&d, buf, n - 1, &err) == -1);
        buf[n] = 0;
        CHECK(ns_commitment_decode(&d, buf, n + 1, &err) == -1);
    }
    /* the longest version string still fits the 512-byte user_data limit */
    memset(c.circom_version, 'v', NS_CIRCOM_VERSION_MAX);
    c.circom_version[NS_CIRCOM_VERSION_MAX] = 0;
    c.margin = 0xffffffffu;
    uint8_t big[NS_COMMIT_MAX];
    size_t bn = ns_commitment_encode(big, &c);
    CHECK(bn > 0 && bn <= 512 && ns_commitment_decode(&d, big, bn, &err) == 0);
    /* versions that are empty, too long or not printable are refused */
    c.circom_version[0] = 0;
    CHECK(ns_commitment_encode(big, &c) == 0);
    snprintf(c.circom_version, sizeof c.circom_version, "bad\nline");
    CHECK(ns_commitment_encode(big, &c) == 0);
    /* non-shortest margin encoding: the margin sits before the circom fields */
    snprintf(c.circom_version, sizeof c.circom_version, "circom 2");
    c.margin = 10;
    uint8_t buf[NS_COMMIT_MAX + 2];
    size_t n = ns_commitment_encode(buf, &c);
    size_t at = 2 + 5 * 66 + 34; /* the margin's head */
    CHECK(buf[at] == 10);
    memmove(buf + at + 2, buf + at + 1, n - at - 1);
    buf[at] = 0x18;
    buf[at + 1] = 10;
    CHECK(ns_commitment_decode(&d, buf, n + 1, &err) == -1 && strstr(err.msg, "canonical"));
}

static void sample_manifest(ns_manifest *m) {
    memset(m, 0, sizeof *m);
    snprintf(m->tool_version, sizeof m->tool_version, "0.1.0");
    m->simulated_nsm = 1;
    m->margin = 10;
    m->beacon_exp = 10;
    snprintf(m->chain.name, sizeof m->chain.name, "quicknet");
    ns_test_rand_bytes(m->chain.hash, 32);
    m->chain.genesis_time = 1692803367;
    m->chain.period = 3;
    snprintf(m->ptau_name, sizeof m->ptau_name, "powersOfTau28_hez_final_10.ptau");
    m->ptau_trust = 1; /* hermez */
    snprintf(m->circom_version, sizeof m->circom_version, "circom compiler 2.2.3");
    ns_test_rand_bytes(m->circom_hash, 64);
    ns_test_rand_bytes(m->ptau_hash, 64);
    m->ptau_size = 12345;
    ns_test_rand_bytes(m->zkey0_hash, 64);
    ns_test_rand_bytes(m->zkey1_hash, 64);
    ns_test_rand_bytes(m->contribution_hash, 64);
    ns_test_rand_bytes(m->beacon_contribution_hash, 64);
    m->t1_ms = 1750000000123ull;
    m->round = 42;
    ns_test_rand_bytes(m->randomness, 32);
    ns_test_rand_bytes(m->vk_hash, 64);
    m->nart = 2;
    snprintf(m->art[0].name, sizeof m->art[0].name, "a.bin");
    m->art[0].size = 7;
    snprintf(m->art[1].name, sizeof m->art[1].name, "b.bin");
    m->art[1].size = 1ull << 40;
}

static void test_manifest(void) {
    ns_manifest m, back;
    ns_error err;
    sample_manifest(&m);
    char *s = ns_manifest_to_json(&m);
    CHECK(s != NULL);
    CHECK(ns_manifest_from_json(&back, s, strlen(s), &err) == 0);
    char *s2 = ns_manifest_to_json(&back);
    CHECK(s2 != NULL && strcmp(s, s2) == 0);
    CHECK(ns_manifest_artifact(&back, "b.bin") != NULL && ns_manifest_artifact(&back, "b.bin")->size == 1ull << 40);
    CHECK(ns_manifest_artifact(&back, "c.bin") == NULL);
    /* whitespace makes it non-canonical */
    size_t n = strlen(s);
    char *w = malloc(n + 2);
    w[0] = ' ';
    memcpy(w + 1, s, n + 1);
    CHECK(ns_manifest_from_json(&back, w, n + 1, &err) == -1 && strstr(err.msg, "canonical"));
    /* an unknown top-level key */
    char *u = malloc(n + 16);
    snprintf(u, n + 16, "{\"aaa\":1,%s", s + 1);
    CHECK(ns_manifest_from_json(&back, u, strlen(u), &err) == -1 && strstr(err.msg, "unknown key"));
    /* upper-case hex is not canonical for us */
    char *p = strstr(s, "\"randomness\":\"");
    CHECK(p != NULL);
    if (p != NULL) {
        p += 14;
        for (int i = 0; i < 64; i++)
            if (p[i] >= 'a' && p[i] <= 'f') {
                p[i] = (char)(p[i] - 32);
                break;
            }
        CHECK(ns_manifest_from_json(&back, s, strlen(s), &err) == -1);
    }
    free(u);
    free(w);
    free(s);
    free(s2);

    /* format 3: the verifier's keccak256 and size round-trip; format 2 has none */
    {
        CHECK(back.has_verifier == 0);
        ns_manifest m3 = m;
        m3.has_verifier = 1;
        memset(m3.verifier_keccak, 0xab, 32);
        m3.verifier_size = 1104;
        char *t = ns_manifest_to_json(&m3);
        CHECK(t != NULL && strstr(t, "\"format\":\"nitrosetup-bundle-3\"") != NULL);
        CHECK(t != NULL && strstr(t, "\"verifier\":{\"keccak256\":\"abab") != NULL);
        ns_manifest b3;
        CHECK(t != NULL && ns_manifest_from_json(&b3, t, strlen(t), &err) == 0 && b3.has_verifier &&
              b3.verifier_size == 1104 && memcmp(b3.verifier_keccak, m3.verifier_keccak, 32) == 0);
        char *t2 = ns_manifest_to_json(&b3);
        CHECK(t2 != NULL && t != NULL && strcmp(t, t2) == 0);
        /* format 3 without "verifier", format 2 with it: refused */
        char *f = t ? strstr(t, "nitrosetup-bundle-3") : NULL;
        if (f) {
            f[18] = '2';
            CHECK(ns_manifest_from_json(&b3, t, strlen(t), &err) == -1 && strstr(err.msg, "has no 'verifier'"));
        }
        char *t3 = ns_manifest_to_json(&m);
        char *g = t3 ? strstr(t3, "nitrosetup-bundle-2") : NULL;
        if (g) {
            g[18] = '3';
            CHECK(ns_manifest_from_json(&b3, t3, strlen(t3), &err) == -1 && strstr(err.msg, "needs 'verifier'"));
        }
        free(t);
        free(t2);
        free(t3);
    }

    /* drand.json */
    ns_beacon b, b2;
    ns_chain_ref ch, ch2;
    memset(&b, 0, sizeof b);
    b.round = 99;
    ns_test_rand_bytes(b.randomness, 32);
    b.signature_len = 48;
    ns_test_rand_bytes(b.signature, 48);
    ch = m.chain;
    json_t *o = ns_beacon_to_json(&ch, &b);
    CHECK(ns_beacon_from_json(&ch2, &b2, o, &err) == 0);
    CHECK(b2.round == 99 && b2.signature_len == 48 && memcmp(b.signature, b2.signature, 48) == 0);
    CHECK(memcmp(ch.hash, ch2.hash, 32) == 0 && ch2.period == 3);
    json_object_set_new(o, "round", json_integer(0));
    CHECK(ns_beacon_from_json(&ch2, &b2, o, &err) == -1);
    json_object_set_new(o, "round", json_integer(5));
    json_object_set_new(o, "extra", json_true());
    CHECK(ns_beacon_from_json(&ch2, &b2, o, &err) == -1 && strstr(err.msg, "unknown key"));
    json_decref(o);
}

static char g_dir[128];

static void put(const char *rel, const char *text) {
    char p[512];
    snprintf(p, sizeof p, "%s/%s", g_dir, rel);
    ns_error err;
    ns_write_file_atomic(p, text, strlen(text), &err);
}

static void test_cbundle(void) {
    ns_error err;
    char p[512], main_c[512], lib[512], tar[512], tar2[512], ex[512];
    snprintf(p, sizeof p, "%s/c", g_dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/c/sub", g_dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib", g_dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/lib/pkg", g_dir);
    mkdir(p, 0755);
    put("c/main.circom", "pragma circom 2.0.0;\n// include \"commented.circom\";\n/* include \"x\" */\n"
                         "include \"sub/a.circom\";\ninclude \"pkg/l.circom\";\nvar s = \"include\";\n"
                         "component main = A();\n");
    put("c/sub/a.circom", "include \"../sub/b.circom\"; include \"pkg/l.circom\";\n");
    put("c/sub/b.circom", "template B() {}\n");
    put("lib/pkg/l.circom", "include \"m.circom\";\n");
    put("lib/pkg/m.circom", "template M() {}\n");
    snprintf(main_c, sizeof main_c, "%s/c/main.circom", g_dir);
    snprintf(lib, sizeof lib, "%s/lib", g_dir);
    snprintf(tar, sizeof tar, "%s/b1.tar", g_dir);
    snprintf(tar2, sizeof tar2, "%s/b2.tar", g_dir);
    const char *libs[1] = {lib};
    ns_cbundle_info info;
    CHECK_MSG(ns_cbundle_create(tar, main_c, libs, 1, &info, &err) == 0, "%s", err.msg);
    CHECK(info.nfiles == 5 && strcmp(info.main, "src/main.circom") == 0 && info.nlibs == 1);
    /* deterministic */
    CHECK(ns_cbundle_create(tar2, main_c, libs, 1, &info, &err) == 0);
    size_t n1, n2;
    uint8_t *d1 = ns_test_read_file(tar, &n1), *d2 = ns_test_read_file(tar2, &n2);
    CHECK(d1 && d2 && n1 == n2 && memcmp(d1, d2, n1) == 0);
    snprintf(ex, sizeof ex, "%s/ex", g_dir);
    mkdir(ex, 0755);
    CHECK(ns_cbundle_extract(tar, ex, &info, &err) == 0);
    snprintf(p, sizeof p, "%s/ex/lib0/pkg/m.circom", g_dir);
    CHECK(access(p, F_OK) == 0);
    snprintf(p, sizeof p, "%s/ex/src/sub/b.circom", g_dir);
    CHECK(access(p, F_OK) == 0);
    ns_rmtree(ex);
    /* any byte change is caught: check a sample of positions */
    int caught = 0, tried = 0;
    for (size_t k = 0; k < n1; k += 97) {
        d2[k] ^= 0x01;
        ns_error e2;
        ns_write_file_atomic(tar2, d2, n1, &e2);
        tried++;
        caught += ns_cbundle_extract(tar2, NULL, NULL, &e2) == -1;
        d2[k] ^= 0x01;
    }
    CHECK_MSG(caught == tried, "%d of %d tampered bundles rejected", caught, tried);
    /* truncated */
    ns_write_file_atomic(tar2, d1, n1 - 512, &err);
    CHECK(ns_cbundle_extract(tar2, NULL, NULL, &err) == -1);
    free(d1);
    free(d2);
    /* missing include, include escaping the trees */
    put("c/bad.circom", "include \"nowhere.circom\";\n");
    snprintf(p, sizeof p, "%s/c/bad.circom", g_dir);
    CHECK(ns_cbundle_create(tar2, p, libs, 1, &info, &err) == -1 && strstr(err.msg, "not found"));
    put("c/esc.circom", "include \"../outside.circom\";\n");
    put("outside.circom", "\n");
    snprintf(p, sizeof p, "%s/c/esc.circom", g_dir);
    CHECK(ns_cbundle_create(tar2, p, libs, 1, &info, &err) == -1 && strstr(err.msg, "outside"));
    /* An include that the packer resolves on the host but that, inside the
     * bundle, climbs out of its tree: the reader refuses it, so no compiler
     * ever follows it (here "src/../c/sub/b.circom" would leave src/). */
    put("c/climb.circom", "include \"../c/sub/b.circom\";\n");
    snprintf(p, sizeof p, "%s/c/climb.circom", g_dir);
    CHECK_MSG(ns_cbundle_create(tar2, p, libs, 1, &info, &err) == 0, "%s", err.msg);
    CHECK_MSG(ns_cbundle_extract(tar2, NULL, NULL, &err) == -1 && strstr(err.msg, "leaves the bundle"),
              "climbing include refused: %s", err.msg);
    /* The main file must be an entry: a MANIFEST naming another main file
     * (same length, so every header stays canonical) is refused. */
    CHECK(ns_cbundle_create(tar2, main_c, libs, 1, &info, &err) == 0);
    d2 = ns_test_read_file(tar2, &n2);
    char *at = d2 ? memmem(d2, n2, "main src/main.circom", 20) : NULL;
    CHECK(at != NULL);
    if (at != NULL) {
        memcpy(at, "main src/mayn.circom", 20);
        ns_write_file_atomic(tar2, d2, n2, &err);
        CHECK_MSG(ns_cbundle_extract(tar2, NULL, NULL, &err) == -1 && strstr(err.msg, "is not in the bundle"),
                  "main file not among the entries: %s", err.msg);
    }
    free(d2);
    unlink(tar);
    unlink(tar2);
}

/* circom runs confined: a process it leaves behind (double fork + setsid,
 * the classic escape from a process group) is killed before compile returns. */
static void test_circom_confined(void) {
    ns_error err;
    char p[512], tar[512], work[512], r1cs[1024], marker[512], cmd[700];
    snprintf(p, sizeof p, "%s/conf", g_dir);
    mkdir(p, 0755);
    put("conf/m.circom", "template M() {}\n");
    snprintf(marker, sizeof marker, "%s/conf/escaped", g_dir);
    snprintf(p, sizeof p, "%s/conf/fakecircom.sh", g_dir);
    FILE *f = fopen(p, "w");
    if (f == NULL) return;
    /* the escapee has left the process group before circom exits */
    fprintf(f, "[ \"$1\" = --version ] && { echo 'fake 1'; exit 0; }\n"
               "( setsid sh -c 'touch %s.started; sleep 0.3; touch %s' & ) </dev/null >/dev/null 2>&1\n"
               "while [ ! -e %s.started ]; do sleep 0.05; done\n"
               "b=$(basename \"$1\" .circom); cat \"$1\" > out/$b.r1cs\n", marker, marker, marker);
    fclose(f);
    snprintf(cmd, sizeof cmd, "sh %s", p);
    snprintf(p, sizeof p, "%s/conf/m.circom", g_dir);
    snprintf(tar, sizeof tar, "%s/conf/b.tar", g_dir);
    snprintf(work, sizeof work, "%s/conf/work", g_dir);
    mkdir(work, 0755);
    ns_cbundle_info info;
    CHECK(ns_cbundle_create(tar, p, NULL, 0, &info, &err) == 0);
    CHECK_MSG(ns_cbundle_compile(r1cs, sizeof r1cs, tar, work, cmd, &err) == 0, "%s", err.msg);
    ns_circom_id id;
    CHECK_MSG(ns_circom_identify(&id, cmd, work, &err) == 0 && strcmp(id.version, "fake 1") == 0, "identify: %s",
              err.msg);
    struct timespec d = {0, 100000000L};
    for (int i = 0; i < 25 && access(marker, F_OK) != 0; i++) nanosleep(&d, NULL);
    CHECK_MSG(access(marker, F_OK) != 0, "a process circom left behind survived");
}

static void test_rounds(void) {
    ns_error err;
    /* drand.md worked values, through the one round arithmetic (drand/round.c) */
    ns_drand_chain q;
    ns_drand_chain_lookup(&q, "quicknet", 0, &err);
    ns_chain_ref qc = {.genesis_time = (uint64_t)q.genesis_time, .period = q.period};
    uint64_t r = 0;
    int64_t due = 0;
    CHECK(ns_chain_commit_round(&r, &due, &qc, 1700000000 - 10, 10, &err) == 0);
    CHECK(r == 2398879 && due == 1700000001);
    int64_t t = 0;
    CHECK(ns_chain_round_time(&t, &qc, 2398879, &err) == 0 && t == 1700000001);
    /* exactly on a round's time: the next one (strictly after) */
    CHECK(ns_chain_commit_round(&r, &due, &qc, 1700000001 - 10, 10, &err) == 0 && r == 2398880);
    /* before genesis: round 1 */
    CHECK(ns_chain_commit_round(&r, &due, &qc, 5, 10, &err) == 0 && r == 1);
    /* overflows are errors, not wrapped values (the old copy wrapped) */
    CHECK(ns_chain_commit_round(&r, &due, &qc, UINT64_MAX - 3, 10, &err) == -1);
    CHECK(ns_chain_round_time(&t, &qc, UINT64_MAX, &err) == -1);
    ns_chain_ref zero = {.genesis_time = 100, .period = 0};
    CHECK(ns_chain_commit_round(&r, &due, &zero, 1000, 10, &err) == -1);
}

/* Resumable download, from a local HTTP server (no network in CI). */
static void test_download(void) {
    ns_error err;
    char dst[256], part[300], url[320];
    snprintf(dst, sizeof dst, "%s/dst.bin", g_dir);
    snprintf(part, sizeof part, "%s.part", dst);
    size_t n = 3u << 20;
    uint8_t *d = malloc(n);
    ns_test_rand_bytes(d, n);
    int port = 0;
    ns_test_http_server *srv = ns_test_http_start(d, n, &port);
    CHECK(srv != NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/src.bin", port);
    CHECK_MSG(ns_download_resumable(dst, url, &err) == 0, "%s", err.msg);
    size_t got;
    uint8_t *g = ns_test_read_file(dst, &got);
    CHECK(g != NULL && got == n && memcmp(g, d, n) == 0);
    free(g);
    CHECK(access(part, F_OK) != 0);
    unlink(dst);
    /* resume from a partial file */
    ns_write_file_atomic(part, d, n / 3, &err);
    CHECK_MSG(ns_download_resumable(dst, url, &err) == 0, "%s", err.msg);
    g = ns_test_read_file(dst, &got);
    CHECK(g != NULL && got == n && memcmp(g, d, n) == 0);
    free(g);
    unlink(dst);
    /* a missing source fails and leaves no destination */
    snprintf(url, sizeof url, "http://127.0.0.1:%d/missing", port);
    CHECK(ns_download_resumable(dst, url, &err) == -1);
    CHECK(access(dst, F_OK) != 0);
    unlink(part);
    /* only http and https: the policy of util/http */
    snprintf(url, sizeof url, "file://%s", part);
    CHECK(ns_download_resumable(dst, url, &err) == -1 && access(dst, F_OK) != 0);
    unlink(part);
    ns_test_http_stop(srv);
    free(d);
}

/* nitro-cli driving, with a stand-in script (NS_NITRO_CLI). */
static void test_nitro_cli(void) {
    ns_error err;
    ns_nitro_enclave en;
    const char *out = "Start allocating memory...\n{\n  \"EnclaveName\": \"x\",\n  \"EnclaveID\": "
                      "\"i-05f6ed443aEXAMPLE-enc173dfe3eEXAMPLE\",\n  \"ProcessID\": 7, \"EnclaveCID\": 16,\n"
                      "  \"NumberOfCPUs\": 2, \"MemoryMiB\": 512\n}\n";
    CHECK(ns_nitro_parse_run_output(&en, out, strlen(out), &err) == 0);
    CHECK(en.cid == 16 && strcmp(en.enclave_id, "i-05f6ed443aEXAMPLE-enc173dfe3eEXAMPLE") == 0);
    CHECK(ns_nitro_parse_run_output(&en, "{\"EnclaveID\":\"a\",\"EnclaveCID\":3}", 33, &err) == -1);
    CHECK(ns_nitro_parse_run_output(&en, "nothing", 7, &err) == -1);
    char script[300], log[300], text[1200];
    snprintf(script, sizeof script, "%s/fake-nitro-cli", g_dir);
    snprintf(log, sizeof log, "%s/nitro-cli.log", g_dir);
    snprintf(text, sizeof text,
             "#!/bin/sh\necho \"$@\" >> %s\n"
             "if [ \"$1\" = run-enclave ]; then echo '{\"EnclaveID\": \"i-1-enc2\", \"EnclaveCID\": 21}'; fi\n",
             log);
    put("fake-nitro-cli", text);
    chmod(script, 0755);
    setenv("NS_NITRO_CLI", script, 1);
    CHECK_MSG(ns_nitro_run_enclave(&en, "x.eif", 2, 1024, 0, &err) == 0, "%s", err.msg);
    CHECK(en.cid == 21 && strcmp(en.enclave_id, "i-1-enc2") == 0);
    CHECK(ns_nitro_run_enclave(&en, "x.eif", 2, 1024, 1, &err) == 0);
    CHECK(ns_nitro_terminate("i-1-enc2", &err) == 0);
    size_t n;
    char *l = (char *)ns_test_read_file(log, &n);
    CHECK(l != NULL);
    if (l != NULL) {
        char *second = strchr(l, '\n');
        static const char L1[] = "run-enclave --eif-path x.eif --cpu-count 2 --memory 1024\n"; /* no --debug-mode */
        static const char L2[] = "run-enclave --eif-path x.eif --cpu-count 2 --memory 1024 --debug-mode\n";
        CHECK(strncmp(l, L1, sizeof L1 - 1) == 0);
        CHECK(second != NULL && strncmp(second + 1, L2, sizeof L2 - 1) == 0);
        CHECK(strstr(l, "terminate-enclave --enclave-id i-1-enc2") != NULL);
        free(l);
    }
    setenv("NS_NITRO_CLI", "/nonexistent/nitro-cli", 1);
    CHECK(ns_nitro_run_enclave(&en, "x.eif", 2, 1024, 0, &err) == -1);
    unsetenv("NS_NITRO_CLI");
}

/* An r1cs with m empty constraints, written sparse: the constraints section
 * (12 zero bytes each) is a hole at the end of the file, so even 2^26 + 1
 * constraints (805 MB) cost no disk and no reading (the parser only checks
 * the section's size; ptau_pick reads the header). */
static int write_sparse_r1cs(const char *path, uint32_t m, uint32_t npubin) {
    ns_test_buf b = {0};
    ns_test_put(&b, "r1cs", 4);
    ns_test_put32(&b, 1);
    ns_test_put32(&b, 3);
    ns_test_put32(&b, 1); /* header */
    ns_test_put64(&b, 4 + 32 + 4 * 4 + 8 + 4);
    ns_test_put32(&b, 32);
    ns_test_put(&b, bn254_r_le, 32);
    ns_test_put32(&b, 2 + npubin); /* wires: one, the inputs, one more */
    ns_test_put32(&b, 0);
    ns_test_put32(&b, npubin);
    ns_test_put32(&b, 0);
    ns_test_put64(&b, 2 + npubin);
    ns_test_put32(&b, m);
    ns_test_put32(&b, 3); /* wire -> label map */
    ns_test_put64(&b, 8ull * (2 + npubin));
    for (uint32_t i = 0; i < 2 + npubin; i++) ns_test_put64(&b, i);
    ns_test_put32(&b, 2); /* constraints, last: its bytes are the hole */
    ns_test_put64(&b, 12ull * m);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok = fd >= 0 && write(fd, b.b, b.n) == (ssize_t)b.n && ftruncate(fd, (off_t)(b.n + 12ull * m)) == 0;
    if (fd >= 0) close(fd);
    free(b.b);
    return ok ? 0 : -1;
}

/* The 2^26-constraint limit of a ceremony (host and enclave both ask the
 * engine's ptau_pick), at the edge: 2^26 fits (domain 2^27, the
 * powersOfTau28_hez_final_27 file), 2^26 + 1 is refused with a message
 * naming the file and the limit. */
static void test_constraint_limit(void) {
    ns_engine e;
    ns_error err;
    ns_engine_opts o = {.local = 1, .drand_sim = 1};
    CHECK(ns_engine_real_init(&e, &o, &err) == 0);
    char path[600], name[128];
    snprintf(path, sizeof path, "%s/limit.r1cs", g_dir);
    CHECK(write_sparse_r1cs(path, 1u << 26, 1) == 0);
    CHECK(e.ptau_pick(e.ctx, name, sizeof name, path, &err) == 0);
    CHECK_MSG(strcmp(name, "powersOfTau28_hez_final_27.ptau") == 0, "2^26 constraints: picked %s", name);
    CHECK(write_sparse_r1cs(path, (1u << 26) + 1, 1) == 0);
    CHECK(e.ptau_pick(e.ctx, name, sizeof name, path, &err) == -1);
    CHECK_MSG(strstr(err.msg, "limit.r1cs") != NULL && strstr(err.msg, "at most 2^26") != NULL, "message: %s",
              err.msg);
    CHECK(write_sparse_r1cs(path, 1000, 2) == 0); /* and a small one still fits the smallest file */
    CHECK(e.ptau_pick(e.ctx, name, sizeof name, path, &err) == 0);
    CHECK_MSG(strcmp(name, "powersOfTau28_hez_final_10.ptau") == 0, "1000 constraints: picked %s", name);
    unlink(path);
    ns_engine_real_free(&e);
}

int main(void) {
    snprintf(g_dir, sizeof g_dir, "/tmp/ns-test-cer-XXXXXX");
    if (mkdtemp(g_dir) == NULL) return 1;
    test_commitment();
    test_manifest();
    test_cbundle();
    test_circom_confined();
    test_rounds();
    test_download();
    test_nitro_cli();
    test_constraint_limit();
    ns_rmtree(g_dir);
    return ns_test_report("ceremony_units");
}
