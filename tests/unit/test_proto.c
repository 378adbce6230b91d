/* Ceremony protocol frames and connections: header codec limits, JSON
 * messages, error reporting, streamed files (good, truncated, oversize,
 * wrong hash, wrong name), and the address parser. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proto/conn.h"
#include "proto/frame.h"
#include "proto/transport.h"
#include "testutil.h"
#include "util/hash.h"

static void test_header(void) {
    uint8_t h[NS_PROTO_HEADER_LEN];
    int t;
    uint32_t n;
    ns_error err;
    for (int type = 1; type <= NS_MSG_TYPE_MAX; type++) {
        ns_proto_header_encode(h, type, 5);
        CHECK(ns_proto_header_decode(&t, &n, h, &err) == 0 && t == type && n == 5);
        uint32_t max = (uint32_t)ns_proto_max_body(type);
        ns_proto_header_encode(h, type, max);
        CHECK(ns_proto_header_decode(&t, &n, h, &err) == 0 && n == max);
        ns_proto_header_encode(h, type, max + 1);
        CHECK(ns_proto_header_decode(&t, &n, h, &err) == -1 && strstr(err.msg, "exceeds") != NULL);
    }
    ns_proto_header_encode(h, 0, 0);
    CHECK(ns_proto_header_decode(&t, &n, h, &err) == -1 && strstr(err.msg, "unknown message type"));
    ns_proto_header_encode(h, NS_MSG_TYPE_MAX + 1, 0);
    CHECK(ns_proto_header_decode(&t, &n, h, &err) == -1);
    ns_proto_header_encode(h, NS_MSG_HELLO, 0);
    h[0] = 'X';
    CHECK(ns_proto_header_decode(&t, &n, h, &err) == -1 && strstr(err.msg, "magic"));
    ns_proto_header_encode(h, NS_MSG_HELLO, 0);
    h[4] = NS_PROTO_VERSION - 1; /* a version-1 host (before READY) */
    CHECK(ns_proto_header_decode(&t, &n, h, &err) == -1 && strstr(err.msg, "version"));
    ns_proto_header_encode(h, NS_MSG_HELLO, 0);
    h[7] = 1;
    CHECK(ns_proto_header_decode(&t, &n, h, &err) == -1 && strstr(err.msg, "flags"));
    CHECK(strcmp(ns_proto_type_name(NS_MSG_DRAND), "DRAND") == 0);
    CHECK(strcmp(ns_proto_type_name(99), "unknown") == 0);
}

static void pair(ns_conn *a, ns_conn *b) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
    ns_conn_init(a, sv[0], "peer-b");
    ns_conn_init(b, sv[1], "peer-a");
    a->io_timeout_ms = b->io_timeout_ms = 500;
    a->wait_timeout_ms = b->wait_timeout_ms = 500;
}

static int g_progress;
static void on_prog(void *ctx, const char *step, const char *msg) {
    (void)ctx;
    if (strcmp(step, "s") == 0 && strcmp(msg, "m") == 0) g_progress++;
}

static void test_messages(void) {
    ns_conn a, b;
    ns_error err;
    pair(&a, &b);
    json_t *o = json_pack("{s:s, s:i}", "tool", "x", "n", 7), *r;
    ns_conn_send_progress(&a, "s", "m");
    CHECK(ns_conn_send_json(&a, NS_MSG_HELLO, o, &err) == 0);
    json_decref(o);
    b.on_progress = on_prog;
    CHECK(ns_conn_expect_json(&b, NS_MSG_HELLO, &r, -1, &err) == 0);
    CHECK(json_integer_value(json_object_get(r, "n")) == 7);
    json_decref(r);
    CHECK(g_progress == 1); /* the PROGRESS frame before HELLO went to the callback */
    /* unexpected type */
    o = json_object();
    ns_conn_send_json(&a, NS_MSG_ENV, o, &err);
    CHECK(ns_conn_expect_json(&b, NS_MSG_HELLO, &r, -1, &err) == -1 && strstr(err.msg, "expected HELLO"));
    /* error frames carry the peer's message */
    ns_conn_send_error(&a, "stepname", "it broke");
    CHECK(ns_conn_expect_json(&b, NS_MSG_DRAND, &r, -1, &err) == -1 && strstr(err.msg, "stepname") &&
          strstr(err.msg, "it broke"));
    /* non-object JSON */
    CHECK(ns_conn_send(&a, NS_MSG_HELLO, "[1]", 3, &err) == 0);
    CHECK(ns_conn_expect_json(&b, NS_MSG_HELLO, &r, -1, &err) == -1);
    /* refusing to send over the limit */
    CHECK(ns_conn_send(&a, NS_MSG_FILE_END, "x", 65, &err) == -1);
    /* timeout */
    CHECK(ns_conn_expect_json(&b, NS_MSG_HELLO, &r, 100, &err) == -1 && strstr(err.msg, "timed out"));
    json_decref(o);
    /* closed peer */
    ns_conn_close(&a);
    CHECK(ns_conn_expect_json(&b, NS_MSG_HELLO, &r, -1, &err) == -1 && strstr(err.msg, "closed"));
    ns_conn_close(&b);
}

static char g_dir[128];

static int64_t ms_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(int ms) {
    struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
}

/* A peer that keeps the other side busy without ever finishing: mode 0
 * sends PROGRESS every 50 ms; 1 starts a 100-byte frame and trickles a byte
 * every 100 ms; 2 announces a 1000-byte file and sends 10-byte chunks every
 * 100 ms.  Runs in a child for at most 5 s. */
static pid_t stall(ns_conn *a, int mode) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0) return pid;
    ns_error err;
    uint8_t h[NS_PROTO_HEADER_LEN], body[100];
    memset(body, 'x', sizeof body);
    if (mode == 1) {
        ns_proto_header_encode(h, NS_MSG_HELLO, 100);
        if (send(a->fd, h, sizeof h, MSG_NOSIGNAL) != (ssize_t)sizeof h) _exit(0);
    }
    if (mode == 2) {
        json_t *o = json_pack("{s:s, s:i}", "name", "f", "size", 1000);
        ns_conn_send_json(a, NS_MSG_FILE_BEGIN, o, &err);
        json_decref(o);
    }
    for (int i = 0; i < 50; i++) {
        if (mode == 0) ns_conn_send_progress(a, "s", "still busy");
        if (mode == 1 && send(a->fd, body, 1, MSG_NOSIGNAL) != 1) break;
        if (mode == 2 && ns_conn_send(a, NS_MSG_FILE_CHUNK, body, 10, &err) != 0) break;
        nap(mode == 0 ? 50 : 100);
    }
    _exit(0);
}

/* Every wait of a host-facing connection has one absolute deadline that a
 * chatty or trickling peer cannot extend. */
static void test_deadlines(void) {
    for (int mode = 0; mode < 4; mode++) {
        ns_conn a, b;
        ns_error err;
        json_t *r = NULL;
        pair(&a, &b);
        b.io_timeout_ms = 400;
        pid_t pid;
        int64_t t0 = ms_now();
        int rc;
        if (mode == 3) {
            /* the enclave refuses PROGRESS outright */
            b.refuse_progress = 1;
            ns_conn_send_progress(&a, "s", "m");
            rc = ns_conn_expect_json(&b, NS_MSG_HELLO, &r, 1000, &err);
            CHECK_MSG(rc == -1 && strstr(err.msg, "may not"), "PROGRESS refused: %s", err.msg);
            ns_conn_close(&a);
            ns_conn_close(&b);
            continue;
        }
        pid = stall(&a, mode);
        if (mode == 0) {
            ns_conn_set_deadline(&b, 400);
            rc = ns_conn_expect_json(&b, NS_MSG_HELLO, &r, 10000, &err);
        } else if (mode == 1) {
            rc = ns_conn_expect_json(&b, NS_MSG_HELLO, &r, 10000, &err);
        } else {
            char dst[300];
            snprintf(dst, sizeof dst, "%s/slow.bin", g_dir);
            b.min_rate = 1u << 20;
            rc = ns_conn_recv_file(&b, "f", dst, 1u << 20, NULL, NULL, 10000, &err);
        }
        int64_t took = ms_now() - t0;
        CHECK_MSG(rc == -1 && strstr(err.msg, "timed out"), "mode %d: timed out (%s)", mode, rc ? err.msg : "ok");
        CHECK_MSG(took < 2000, "mode %d: the deadline held (%lld ms)", mode, (long long)took);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        ns_conn_close(&a);
        ns_conn_close(&b);
    }
}


static void test_files(void) {
    ns_conn a, b;
    ns_error err;
    char src[256], dst[256];
    snprintf(src, sizeof src, "%s/src.bin", g_dir);
    snprintf(dst, sizeof dst, "%s/dst.bin", g_dir);
    /* 2.5 chunks of data, sent from a thread-free pair: the socket buffer is
     * too small, so the sender runs in a child. */
    size_t n = NS_PROTO_CHUNK_MAX * 2 + NS_PROTO_CHUNK_MAX / 2;
    uint8_t *data = malloc(n);
    ns_test_rand_bytes(data, n);
    FILE *f = fopen(src, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
    pair(&a, &b);
    b.io_timeout_ms = 5000;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        ns_conn_close(&b);
        a.io_timeout_ms = 5000;
        _exit(ns_conn_send_file(&a, "data", src, NULL, &err) == 0 ? 0 : 1);
    }
    ns_conn_close(&a);
    uint8_t h[64], want[64];
    uint64_t size;
    CHECK(ns_conn_recv_file(&b, "data", dst, n, h, &size, 5000, &err) == 0);
    ns_blake2b512(want, data, n);
    CHECK(size == n && memcmp(h, want, 64) == 0);
    ns_conn_close(&b);
    waitpid(pid, NULL, 0);
    free(data);
    unlink(dst);

    /* oversize announcement */
    pair(&a, &b);
    CHECK(ns_conn_send_buffer(&a, "data", "hello", 5, NULL, &err) == 0);
    CHECK(ns_conn_recv_file(&b, "data", dst, 4, NULL, NULL, -1, &err) == -1 && strstr(err.msg, "exceeds"));
    CHECK(access(dst, F_OK) != 0);
    ns_conn_close(&a), ns_conn_close(&b);

    /* wrong name */
    pair(&a, &b);
    CHECK(ns_conn_send_buffer(&a, "other", "hello", 5, NULL, &err) == 0);
    CHECK(ns_conn_recv_file(&b, "data", dst, 100, NULL, NULL, -1, &err) == -1 && strstr(err.msg, "expected file"));
    ns_conn_close(&a), ns_conn_close(&b);

    /* wrong hash at the end */
    pair(&a, &b);
    json_t *o = json_pack("{s:s, s:i}", "name", "data", "size", 5);
    ns_conn_send_json(&a, NS_MSG_FILE_BEGIN, o, &err);
    ns_conn_send(&a, NS_MSG_FILE_CHUNK, "hello", 5, &err);
    uint8_t bad[64] = {0};
    ns_conn_send(&a, NS_MSG_FILE_END, bad, 64, &err);
    CHECK(ns_conn_recv_file(&b, "data", dst, 100, NULL, NULL, -1, &err) == -1 && strstr(err.msg, "differs"));
    CHECK(access(dst, F_OK) != 0);
    ns_conn_close(&a), ns_conn_close(&b);

    /* fewer bytes than announced */
    pair(&a, &b);
    ns_conn_send_json(&a, NS_MSG_FILE_BEGIN, o, &err);
    ns_conn_send(&a, NS_MSG_FILE_CHUNK, "hell", 4, &err);
    ns_blake2b512(bad, "hell", 4);
    ns_conn_send(&a, NS_MSG_FILE_END, bad, 64, &err);
    CHECK(ns_conn_recv_file(&b, "data", dst, 100, NULL, NULL, -1, &err) == -1 && strstr(err.msg, "truncated"));
    ns_conn_close(&a), ns_conn_close(&b);

    /* more bytes than announced */
    pair(&a, &b);
    ns_conn_send_json(&a, NS_MSG_FILE_BEGIN, o, &err);
    ns_conn_send(&a, NS_MSG_FILE_CHUNK, "hello!", 6, &err);
    CHECK(ns_conn_recv_file(&b, "data", dst, 100, NULL, NULL, -1, &err) == -1 && strstr(err.msg, "more data"));
    ns_conn_close(&a), ns_conn_close(&b);

    /* peer closes mid-transfer: nothing left behind */
    pair(&a, &b);
    ns_conn_send_json(&a, NS_MSG_FILE_BEGIN, o, &err);
    ns_conn_send(&a, NS_MSG_FILE_CHUNK, "he", 2, &err);
    ns_conn_close(&a);
    CHECK(ns_conn_recv_file(&b, "data", dst, 100, NULL, NULL, -1, &err) == -1 && strstr(err.msg, "closed"));
    CHECK(access(dst, F_OK) != 0);
    ns_conn_close(&b);
    json_decref(o);
    unlink(src);
}

static void test_transport(void) {
    ns_error err;
    char addr[256];
    snprintf(addr, sizeof addr, "unix:%s/sock", g_dir);
    int l = ns_transport_listen(addr, &err);
    CHECK(l >= 0);
    int c = ns_transport_connect(addr, 1000, NULL, NULL, &err);
    CHECK(c >= 0);
    int s = ns_transport_accept(l, 1000, &err);
    CHECK(s >= 0);
    CHECK(write(c, "x", 1) == 1);
    char ch = 0;
    CHECK(read(s, &ch, 1) == 1 && ch == 'x');
    close(c), close(s);
    CHECK(ns_transport_accept(l, 50, &err) == -1 && strstr(err.msg, "timed out"));
    close(l);
    CHECK(ns_transport_listen("tcp:1", &err) == -1);
    CHECK(ns_transport_connect("vsock:5000", 10, NULL, NULL, &err) == -1 && strstr(err.msg, "cid"));
    CHECK(ns_transport_connect("vsock:x:1", 10, NULL, NULL, &err) == -1);
    CHECK(ns_transport_connect("vsock:3:99999999999", 10, NULL, NULL, &err) == -1);
    snprintf(addr, sizeof addr, "unix:%s/nobody", g_dir);
    CHECK(ns_transport_connect(addr, 200, NULL, NULL, &err) == -1);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    snprintf(g_dir, sizeof g_dir, "/tmp/ns-test-proto-XXXXXX");
    if (mkdtemp(g_dir) == NULL) return 1;
    test_header();
    test_messages();
    test_files();
    test_transport();
    test_deadlines();
    rmdir(g_dir);
    return ns_test_report("proto");
}
