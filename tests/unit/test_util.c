/* Tests for src/util: hex, hashes (known answers), atomic output files,
 * parallel_for coverage, child processes, the HTTP policy. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/interrupt.h"
#include "util/keccak.h"
#include "util/mapfile.h"
#include "util/http.h"
#include "util/outfile.h"
#include "util/parallel.h"
#include "util/proc.h"

static void test_hex(void) {
    uint8_t b[4] = {0xde, 0xad, 0x00, 0x0f};
    char s[9];
    ns_hex_encode(s, b, 4);
    CHECK(strcmp(s, "dead000f") == 0);
    uint8_t d[4];
    CHECK(ns_hex_decode(d, 4, "DEAD000f") == 4 && memcmp(d, b, 4) == 0);
    CHECK(ns_hex_decode(d, 4, "abc") == -1);
    CHECK(ns_hex_decode(d, 4, "0x12") == -1);
    CHECK(ns_hex_decode(d, 1, "1234") == -1);
}

/* ns_mapfile_open_consume: released whole pages lose their storage (where the
 * filesystem can punch holes) and read as zeros; the rest is untouched; a
 * plain map never frees storage. */
static void test_mapfile_consume(void) {
    char path[] = "/tmp/ns-test-consume-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    size_t n = 1 << 20;
    uint8_t *b = malloc(n);
    memset(b, 0x5a, n);
    CHECK(write(fd, b, n) == (ssize_t)n && fsync(fd) == 0);
    close(fd);
    ns_error err;
    ns_mapfile m;
    struct stat st0, st1;
    CHECK(stat(path, &st0) == 0);
    CHECK(ns_mapfile_open(&m, path, &err) == 0);
    ns_mapfile_release(&m, 0, n);
    ns_mapfile_close(&m);
    CHECK(stat(path, &st1) == 0 && st1.st_blocks == st0.st_blocks);
    CHECK(ns_mapfile_open_consume(&m, path, &err) == 0);
    ns_mapfile_release(&m, 100, (n / 2) - 101); /* whole pages [4096, n/2 - 4096) go */
    CHECK(m.data[0] == 0x5a && m.data[4095] == 0x5a && m.data[n / 2 - 1] == 0x5a && m.data[n / 2] == 0x5a);
    CHECK(stat(path, &st1) == 0 && st1.st_size == (off_t)n);
    if (st1.st_blocks < st0.st_blocks) /* a filesystem that punches holes */
        CHECK(m.data[4096] == 0 && m.data[n / 2 - 4097] == 0 && st1.st_blocks <= st0.st_blocks - (off_t)(n / 2 - 8192) / 512);
    else
        printf("note: this filesystem does not punch holes; ns_mapfile_open_consume only drops pages\n");
    ns_mapfile_close(&m);
    unlink(path);
    free(b);
}

/* Keccak-256 (Ethereum's): known answers, then every split of the rate
 * boundaries through the streaming interface against the one-shot one
 * (tests/compat/keccak_noble checks random lengths against @noble/hashes). */
static void keccak_hex(char out[65], const void *data, size_t n) {
    uint8_t h[NS_KECCAK256_LEN];
    ns_keccak256(h, data, n);
    ns_hex_encode(out, h, sizeof h);
}

static void test_keccak(void) {
    char s[65];
    keccak_hex(s, "", 0);
    CHECK(strcmp(s, "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470") == 0);
    keccak_hex(s, "abc", 3);
    CHECK(strcmp(s, "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45") == 0);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    keccak_hex(s, fox, strlen(fox));
    CHECK(strcmp(s, "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15") == 0);
    /* drand evmnet's message for round 9337227: keccak256(u64 big-endian) */
    const uint8_t round[8] = {0, 0, 0, 0, 0, 0x8e, 0x79, 0x8b};
    keccak_hex(s, round, 8);
    CHECK(strcmp(s, "baf09720c37cb921fd8362b1d907232ac0b813ffba768c714aeaace987e7fd6b") == 0);
    /* exactly one rate block (136 bytes 0x00..0x87): the padding is a block of its own */
    uint8_t m[1000];
    for (size_t i = 0; i < sizeof m; i++) m[i] = (uint8_t)i;
    keccak_hex(s, m, 136);
    CHECK(strcmp(s, "7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e") == 0);
    /* an ABI function selector */
    const char *sig = "transfer(address,uint256)";
    keccak_hex(s, sig, strlen(sig));
    CHECK(strncmp(s, "a9059cbb", 8) == 0);
    /* streaming = one shot, for lengths around one and two blocks and every split */
    static const size_t lens[] = {0, 1, 135, 136, 137, 271, 272, 273, 1000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        uint8_t want[NS_KECCAK256_LEN], got[NS_KECCAK256_LEN];
        ns_keccak256(want, m, n);
        int ok = 1;
        for (size_t cut = 0; cut <= n; cut += (n > 300 ? 37 : 1)) {
            ns_keccak256_ctx c;
            ns_keccak256_init(&c);
            ns_keccak256_update(&c, m, cut);
            ns_keccak256_update(&c, m + cut, n - cut);
            ns_keccak256_final(&c, got);
            ok &= memcmp(got, want, sizeof got) == 0;
        }
        CHECK_MSG(ok, "keccak256 streaming differs from one shot at length %zu", n);
    }
    /* NS_KECCAK_VECTORS: lines "<message hex> <digest hex>" from @noble/hashes
     * (tests/compat/keccak_noble.test.sh) */
    const char *vpath = getenv("NS_KECCAK_VECTORS");
    if (vpath) {
        size_t vlen;
        char *text = (char *)ns_test_read_file(vpath, &vlen);
        CHECK_MSG(text != NULL, "cannot read %s", vpath);
        size_t count = 0, bad = 0;
        for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
            char *sp = strchr(line, ' ');
            if (sp == NULL) continue;
            *sp = 0;
            size_t mlen = strlen(line) / 2;
            uint8_t *msg = malloc(mlen + 1);
            CHECK(msg != NULL && ns_hex_decode(msg, mlen, line) == (long)mlen);
            keccak_hex(s, msg, mlen);
            if (strcmp(s, sp + 1) != 0) {
                bad++;
                CHECK_MSG(0, "keccak256 of a %zu-byte message differs from @noble/hashes", mlen);
            }
            free(msg);
            count++;
        }
        printf("keccak256: %zu messages checked against @noble/hashes, %zu differ\n", count, bad);
        CHECK(count > 0);
        free(text);
    }
}

static void test_hashes(void) {
    uint8_t h[64];
    char s[129];
    /* BLAKE2b-512("abc"), RFC 7693 appendix A. */
    ns_blake2b512(h, "abc", 3);
    ns_hex_encode(s, h, 64);
    CHECK(strcmp(s, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                    "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923") == 0);
    ns_sha256(h, "abc", 3);
    ns_hex_encode(s, h, 32);
    CHECK(strcmp(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
    ns_hash *st = ns_hash_new(NS_HASH_BLAKE2B512);
    ns_hash_update(st, "a", 1);
    uint8_t peek[64];
    ns_hash_peek(st, peek);
    ns_hash_update(st, "bc", 2);
    ns_hash_final(st, h);
    ns_hash_free(st);
    uint8_t abc[64];
    ns_blake2b512(abc, "abc", 3);
    CHECK(memcmp(h, abc, 64) == 0);
    uint8_t a1[64];
    ns_blake2b512(a1, "a", 1);
    CHECK(memcmp(peek, a1, 64) == 0);
}

static void test_outfile(void) {
    char dir[] = "/tmp/ns_test_outfile_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/out.bin", dir);
    ns_error err;
    ns_outfile o;
    CHECK(ns_outfile_open(&o, path, &err) == 0);
    CHECK(ns_outfile_write(&o, "hello", 5, &err) == 0);
    struct stat st;
    CHECK(stat(path, &st) != 0); /* nothing at the final name before commit */
    ns_outfile_abort(&o);
    CHECK(stat(path, &st) != 0);
    CHECK(ns_write_file_atomic(path, "hello", 5, &err) == 0);
    CHECK(stat(path, &st) == 0 && st.st_size == 5);
    unlink(path);
    rmdir(dir);
}

typedef struct {
    unsigned char seen[10007];
} pf_ctx;

static int mark(void *ctx, size_t b, size_t e, int t) {
    pf_ctx *c = ctx;
    (void)t;
    for (size_t i = b; i < e; i++) c->seen[i]++;
    return 0;
}

static int fail_at(void *ctx, size_t b, size_t e, int t) {
    (void)ctx;
    (void)t;
    return (b <= 500 && 500 < e) ? 7 : 0;
}

static void test_parallel(void) {
    static pf_ctx c;
    memset(&c, 0, sizeof c);
    CHECK(ns_parallel_for(3, 10007, 97, mark, &c) == 0);
    int ok = 1;
    for (size_t i = 0; i < 10007; i++) ok &= c.seen[i] == 1;
    CHECK(ok);
    CHECK(ns_parallel_for(2, 1000, 10, fail_at, NULL) == 7);
    CHECK(ns_threads_parse("0") >= 1 && ns_threads_parse("3") == 3 && ns_threads_parse("x") == -1);
}

/* The interrupt tracking list: an open outfile's temporary is tracked and a
 * clean-up removes it; committed and aborted outfiles are untracked; dirs
 * and child processes are cleaned; untracked items are left alone. */
static void test_interrupt(void) {
    char dir[] = "/tmp/ns_test_intr_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], keep[256], sub[256], subfile[300];
    snprintf(path, sizeof path, "%s/out.bin", dir);
    snprintf(keep, sizeof keep, "%s/done.bin", dir);
    snprintf(sub, sizeof sub, "%s/stage", dir);
    snprintf(subfile, sizeof subfile, "%s/x", sub);
    ns_error err;
    ns_outfile a, b;
    CHECK(ns_outfile_open(&a, path, &err) == 0);
    char tmp_a[300];
    snprintf(tmp_a, sizeof tmp_a, "%s", a.tmp_path);
    CHECK(ns_outfile_open(&b, keep, &err) == 0);
    CHECK(ns_outfile_write(&b, "x", 1, &err) == 0 && ns_outfile_commit(&b, &err) == 0);
    CHECK(mkdir(sub, 0700) == 0);
    FILE *f = fopen(subfile, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
    int ds = ns_interrupt_track_dir(sub);
    CHECK(ds >= 0);
    pid_t child = fork();
    if (child == 0) {
        ns_interrupt_child_reset();
        pause();
        _exit(0);
    }
    CHECK(child > 0);
    int ps = ns_interrupt_track_pid(child);
    CHECK(ps >= 0);
    CHECK(ns_interrupt_track_pid(0) == -1);
    int untracked = ns_interrupt_track_file(keep);
    ns_interrupt_untrack(untracked);
    CHECK(ns_interrupt_cleanup_now() == 2); /* a's temporary and the stage directory */
    struct stat st;
    CHECK(stat(tmp_a, &st) != 0);
    CHECK(stat(sub, &st) != 0);
    CHECK(stat(keep, &st) == 0); /* committed, then untracked: kept */
    int status = 0;
    CHECK(waitpid(child, &status, WNOHANG) == -1 || (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    CHECK(ns_interrupt_cleanup_now() == 0); /* the list is empty now */
    ns_outfile_abort(&a);                   /* after the clean-up: harmless */
    unlink(keep);
    CHECK(rmdir(dir) == 0);
}

static void test_proc(void) {
    char out[8];
    size_t len = 99;
    ns_error err;
    /* capture, exit code, output beyond the buffer read and dropped */
    char *echo[] = {"sh", "-c", "echo hello-world; head -c 200000 /dev/zero; exit 3", NULL};
    CHECK(ns_proc_run_capture(echo, out, sizeof out, &len, &err) == 3);
    CHECK(len == 7 && strcmp(out, "hello-w") == 0);
    char *missing[] = {"/nonexistent/program", NULL};
    CHECK(ns_proc_run_capture(missing, out, sizeof out, &len, &err) == -1);
    CHECK(strstr(err.msg, "cannot run /nonexistent/program") != NULL);

    /* working directory and log file */
    char dir[] = "/tmp/ns-proc-XXXXXX", log[64];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(log, sizeof log, "%s/log", dir);
    char *pwd[] = {"sh", "-c", "pwd; echo err >&2; read x; echo \"[$x]\"", NULL};
    ns_proc_opts o = {.dir = dir, .log_path = log, .stdin_null = 1};
    ns_proc p;
    CHECK(ns_proc_start(&p, pwd, &o, &err) == 0);
    CHECK(ns_proc_wait(&p) != 127 && p.reaped && p.slot == -1);
    size_t n = 0;
    char *text = (char *)ns_test_read_file(log, &n);
    CHECK(text != NULL && n > strlen(dir) && memcmp(text, dir, strlen(dir)) == 0 && strstr(text, "err\n[]") != NULL);
    free(text);
    unlink(log);
    char *nodir[] = {"true", NULL};
    ns_proc_opts bad_dir = {.dir = log}; /* gone: chdir fails in the child */
    CHECK(ns_proc_start(&p, nodir, &bad_dir, &err) == 0 && ns_proc_wait(&p) == 126);
    CHECK(rmdir(dir) == 0);

    /* program differs from argv[0]; finish stops a child that would not end */
    char *sleeper[] = {"not-the-program-name", "-c", "exec sleep 30", NULL};
    ns_proc_opts sh = {.program = "sh"};
    CHECK(ns_proc_start(&p, sleeper, &sh, &err) == 0 && p.slot >= 0);
    CHECK(ns_proc_running(&p));
    CHECK(ns_proc_finish(&p, 100) == 128 + SIGTERM);
    CHECK(!ns_proc_running(&p));
    CHECK(ns_proc_start(&p, sleeper, &sh, &err) == 0);
    ns_proc_kill(&p);
    CHECK(ns_proc_wait(&p) == 128 + SIGKILL && p.signal == SIGKILL);
}

static int count_sink(void *ctx, const void *data, size_t n) {
    (void)data;
    *(size_t *)ctx += n;
    return 0;
}

/* The policy refuses every protocol but http and https (no network needed). */
static void test_http_policy(void) {
    ns_error err;
    ns_http *h = ns_http_open(&err);
    CHECK(h != NULL);
    if (h == NULL) return;
    size_t got = 0;
    ns_http_request req = {.timeout_ms = 2000, .sink = count_sink, .sink_ctx = &got};
    long status = -1;
    CHECK(ns_http_get(h, "file:///etc/hostname", &req, &status, &err) == -1 && got == 0);
    CHECK_MSG(strstr(err.msg, "file") != NULL, "file:// refused with: %s", err.msg);
    CHECK(ns_http_get(h, "ftp://127.0.0.1:1/x", &req, &status, &err) == -1);
    CHECK_MSG(strstr(err.msg, "ftp") != NULL, "ftp:// refused with: %s", err.msg);
    /* a closed local port: a transport error, status 0 */
    CHECK(ns_http_get(h, "http://127.0.0.1:1/", &req, &status, &err) == -1 && status == 0);
    ns_http_close(h);
    ns_http *h2 = ns_http_open(&err); /* the global initialisation happens once */
    CHECK(h2 != NULL);
    ns_http_close(h2);
}

int main(void) {
    test_hex();
    test_http_policy();
    test_proc();
    test_interrupt();
    test_hashes();
    test_keccak();
    test_mapfile_consume();
    test_outfile();
    test_parallel();
    return ns_test_report("util");
}
