#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int ns_test_passed, ns_test_failed;

int ns_test_check(int ok, const char *what, const char *file, int line) {
    if (ok) {
        ns_test_passed++;
    } else {
        ns_test_failed++;
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
    }
    return ok;
}

int ns_test_check_msg(int ok, const char *file, int line, const char *fmt, ...) {
    if (ok) {
        ns_test_passed++;
        return 1;
    }
    ns_test_failed++;
    va_list ap;
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 0;
}

int ns_test_report(const char *suite) {
    printf("%s: %d passed, %d failed\n", suite, ns_test_passed, ns_test_failed);
    return ns_test_failed == 0 && ns_test_passed > 0 ? 0 : 1;
}

const char *ns_test_vector_path(const char *rel) {
    static char buf[4096];
    const char *base = getenv("NS_VECTORS");
    if (base != NULL) {
        snprintf(buf, sizeof buf, "%s/%s", base, rel);
    } else {
        const char *src = getenv("NS_SOURCE");
        snprintf(buf, sizeof buf, "%s/tests/vectors/%s", src != NULL ? src : ".", rel);
    }
    return buf;
}

const char *ns_test_ptau_path(unsigned power) {
    static char buf[4096];
    const char *dir = getenv("NS_PTAU_DIR");
    snprintf(buf, sizeof buf, "%s/pot%02u.ptau", dir != NULL ? dir : "ptau-cache", power);
    return buf;
}

uint8_t *ns_test_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        if (len) *len = (size_t)n;
    }
    return buf;
}

static uint64_t rng_s[4];
static int rng_init;

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

uint64_t ns_test_rand64(void) {
    if (!rng_init) {
        const char *s = getenv("NS_TEST_SEED");
        uint64_t seed = s ? strtoull(s, NULL, 0) : 0x6e6974726f736574ULL;
        for (int i = 0; i < 4; i++) {
            seed += 0x9e3779b97f4a7c15ULL;
            uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            rng_s[i] = z ^ (z >> 31);
        }
        rng_init = 1;
    }
    uint64_t result = rotl(rng_s[1] * 5, 7) * 9;
    uint64_t t = rng_s[1] << 17;
    rng_s[2] ^= rng_s[0];
    rng_s[3] ^= rng_s[1];
    rng_s[1] ^= rng_s[2];
    rng_s[0] ^= rng_s[3];
    rng_s[2] ^= t;
    rng_s[3] = rotl(rng_s[3], 45);
    return result;
}

void ns_test_rand_bytes(uint8_t *out, size_t n) {
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = ns_test_rand64();
        for (size_t j = 0; j < 8 && i + j < n; j++) out[i + j] = (uint8_t)(v >> (8 * j));
    }
}

void ns_test_put(ns_test_buf *x, const void *p, size_t n) {
    if (x->n + n > x->cap) {
        x->cap = (x->n + n) * 2 + 64;
        uint8_t *nb = realloc(x->b, x->cap);
        if (nb == NULL) abort();
        x->b = nb;
    }
    if (n > 0) memcpy(x->b + x->n, p, n);
    x->n += n;
}

void ns_test_put32(ns_test_buf *x, uint32_t v) {
    uint8_t b[4];
    for (int i = 0; i < 4; i++) b[i] = (uint8_t)(v >> (8 * i));
    ns_test_put(x, b, 4);
}

void ns_test_put64(ns_test_buf *x, uint64_t v) {
    ns_test_put32(x, (uint32_t)v);
    ns_test_put32(x, (uint32_t)(v >> 32));
}

struct ns_test_http_server {
    int fd;
    pthread_t thread;
    const uint8_t *data;
    size_t n;
};

static void http_send_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
        if (w <= 0) return;
        c += w, n -= (size_t)w;
    }
}

static void *http_serve(void *v) {
    ns_test_http_server *s = v;
    for (;;) {
        int c = accept(s->fd, NULL, NULL);
        if (c < 0) return NULL; /* the listening socket was shut down */
        char req[4096];
        size_t got = 0;
        while (got < sizeof req - 1 && (got < 4 || memcmp(req + got - 4, "\r\n\r\n", 4) != 0)) {
            ssize_t r = recv(c, req + got, 1, 0);
            if (r <= 0) break;
            got += (size_t)r;
        }
        req[got] = 0;
        char head[256];
        if (strncmp(req, "GET ", 4) != 0 || strstr(req, "missing") != NULL) {
            snprintf(head, sizeof head, "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            http_send_all(c, head, strlen(head));
        } else {
            const char *range = strstr(req, "Range: bytes=");
            size_t from = range ? (size_t)strtoull(range + 13, NULL, 10) : 0;
            if (from > s->n) from = s->n;
            if (range)
                snprintf(head, sizeof head, "HTTP/1.0 206 Partial Content\r\nContent-Length: %zu\r\n"
                         "Content-Range: bytes %zu-%zu/%zu\r\n\r\n", s->n - from, from, s->n - 1, s->n);
            else
                snprintf(head, sizeof head, "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n", s->n);
            http_send_all(c, head, strlen(head));
            http_send_all(c, s->data + from, s->n - from);
        }
        close(c);
    }
}

ns_test_http_server *ns_test_http_start(const uint8_t *data, size_t n, int *port) {
    ns_test_http_server *s = calloc(1, sizeof *s);
    if (s == NULL) return NULL;
    s->data = data, s->n = n;
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t al = sizeof a;
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 4) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &al) != 0 || pthread_create(&s->thread, NULL, http_serve, s) != 0) {
        if (s->fd >= 0) close(s->fd);
        free(s);
        return NULL;
    }
    *port = ntohs(a.sin_port);
    return s;
}

void ns_test_http_stop(ns_test_http_server *s) {
    if (s == NULL) return;
    shutdown(s->fd, SHUT_RDWR);
    pthread_join(s->thread, NULL);
    close(s->fd);
    free(s);
}
