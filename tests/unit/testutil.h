/* Tiny test harness: CHECK records failures without stopping; main ends
 * with ns_test_report() which prints "N passed, N failed" and returns the
 * exit code. */
#ifndef NS_TESTUTIL_H
#define NS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

extern int ns_test_passed, ns_test_failed;

#define CHECK(cond) ns_test_check((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_MSG(cond, ...) ns_test_check_msg((cond) != 0, __FILE__, __LINE__, __VA_ARGS__)

int ns_test_check(int ok, const char *what, const char *file, int line);
int ns_test_check_msg(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int ns_test_report(const char *suite);

/* Path of a test vector file under tests/vectors (env NS_VECTORS, set by
 * CMake; else NS_SOURCE/tests/vectors), e.g. "drand/chains.json".  Static
 * buffer. */
const char *ns_test_vector_path(const char *rel);
/* Path of the prepared test ptau of the given power that tests/ptau.sh made
 * (env NS_PTAU_DIR, set by CMake; the CTest fixture setup.ptau makes them).
 * Static buffer. */
const char *ns_test_ptau_path(unsigned power);
/* Reads a whole file; returns malloc'd buffer or NULL.  len may be NULL. */
uint8_t *ns_test_read_file(const char *path, size_t *len);
/* Deterministic test RNG (xoshiro256**), seeded from NS_TEST_SEED or a constant. */
uint64_t ns_test_rand64(void);
void ns_test_rand_bytes(uint8_t *out, size_t n);

/* A growable byte buffer for building test files (integers little-endian). */
typedef struct {
    uint8_t *b;
    size_t n, cap;
} ns_test_buf;
void ns_test_put(ns_test_buf *x, const void *p, size_t n);
void ns_test_put32(ns_test_buf *x, uint32_t v);
void ns_test_put64(ns_test_buf *x, uint64_t v);

/* A one-file HTTP/1.0 server on 127.0.0.1 in a thread: GET of any path
 * serves data (a "Range: bytes=N-" request gets 206 and the tail), except a
 * path containing "missing", which gets 404.  NULL if it cannot start;
 * *port is its port. */
typedef struct ns_test_http_server ns_test_http_server;
ns_test_http_server *ns_test_http_start(const uint8_t *data, size_t n, int *port);
void ns_test_http_stop(ns_test_http_server *s);

#endif
