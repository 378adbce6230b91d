#include "proto/transport.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/vm_sockets.h>

typedef struct {
    int family;
    struct sockaddr_un un;
    struct sockaddr_vm vm;
} parsed_addr;

static int parse_u32(uint32_t *out, const char *s) {
    if (*s == 0) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != 0 || v > 0xffffffffULL || s[0] == '-' || s[0] == '+') return -1;
    *out = (uint32_t)v;
    return 0;
}

static int parse_addr(parsed_addr *a, const char *addr, int for_listen, ns_error *err) {
    memset(a, 0, sizeof *a);
    if (strncmp(addr, "unix:", 5) == 0) {
        const char *p = addr + 5;
        if (*p == 0 || strlen(p) >= sizeof a->un.sun_path)
            return ns_error_set(err, "%s: bad or too long Unix socket path", addr);
        a->family = AF_UNIX;
        a->un.sun_family = AF_UNIX;
        memcpy(a->un.sun_path, p, strlen(p) + 1);
        return 0;
    }
    if (strncmp(addr, "vsock:", 6) == 0) {
        char buf[64];
        if (strlen(addr + 6) >= sizeof buf) return ns_error_set(err, "%s: bad vsock address", addr);
        strcpy(buf, addr + 6);
        char *colon = strchr(buf, ':');
        uint32_t cid = VMADDR_CID_ANY, port;
        if (colon != NULL) {
            *colon = 0;
            if (parse_u32(&cid, buf) != 0 || parse_u32(&port, colon + 1) != 0)
                return ns_error_set(err, "%s: bad vsock address (vsock:<cid>:<port>)", addr);
        } else if (parse_u32(&port, buf) != 0) {
            return ns_error_set(err, "%s: bad vsock address (vsock:<port>)", addr);
        }
        if (!for_listen && colon == NULL)
            return ns_error_set(err, "%s: connecting needs vsock:<cid>:<port>", addr);
        a->family = AF_VSOCK;
        a->vm.svm_family = AF_VSOCK;
        a->vm.svm_cid = cid;
        a->vm.svm_port = port;
        return 0;
    }
    return ns_error_set(err, "%s: unknown transport (use unix:<path> or vsock:...)", addr);
}

static const struct sockaddr *sa(const parsed_addr *a, socklen_t *len) {
    if (a->family == AF_UNIX) {
        *len = sizeof a->un;
        return (const struct sockaddr *)&a->un;
    }
    *len = sizeof a->vm;
    return (const struct sockaddr *)&a->vm;
}

int ns_transport_listen(const char *addr, ns_error *err) {
    parsed_addr a;
    if (parse_addr(&a, addr, 1, err) != 0) return -1;
    int fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return ns_error_set(err, "%s: socket: %s", addr, strerror(errno));
    if (a.family == AF_UNIX) unlink(a.un.sun_path);
    socklen_t len;
    const struct sockaddr *s = sa(&a, &len);
    if (bind(fd, s, len) != 0 || listen(fd, 1) != 0) {
        int e = errno;
        close(fd);
        return ns_error_set(err, "%s: cannot listen: %s", addr, strerror(e));
    }
    return fd;
}

int ns_transport_accept(int listen_fd, int timeout_ms, ns_error *err) {
    struct pollfd p = {.fd = listen_fd, .events = POLLIN};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return ns_error_set(err, "accept: poll: %s", strerror(errno));
        if (r == 0) return ns_error_set(err, "timed out waiting for the host to connect");
        break;
    }
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "accept: %s", strerror(errno));
    return fd;
}

int ns_transport_connect(const char *addr, int timeout_ms, int (*alive)(void *), void *alive_ctx,
                         ns_error *err) {
    parsed_addr a;
    if (parse_addr(&a, addr, 0, err) != 0) return -1;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int fd = socket(a.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return ns_error_set(err, "%s: socket: %s", addr, strerror(errno));
        socklen_t len;
        const struct sockaddr *s = sa(&a, &len);
        if (connect(fd, s, len) == 0) return fd;
        int e = errno;
        close(fd);
        if (alive != NULL && !alive(alive_ctx))
            return ns_error_set(err, "%s: the enclave exited before accepting a connection", addr);
        clock_gettime(CLOCK_MONOTONIC, &t);
        long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (ms >= timeout_ms)
            return ns_error_set(err, "%s: cannot connect to the enclave: %s", addr, strerror(e));
        struct timespec d = {0, 100 * 1000000L};
        nanosleep(&d, NULL);
    }
}
