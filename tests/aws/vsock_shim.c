/* vsock over abstract Unix sockets, for the AWS twin's instances (tests only;
 * never linked into the product).
 *
 * LD_PRELOAD=ns_vsock_shim.so makes a process that speaks AF_VSOCK talk
 * through the Unix domain instead, so a host and an enclave on a machine
 * without vsock (no Nitro, no vhost-vsock) still reach each other:
 *
 *   socket(AF_VSOCK, type, 0)        -> socket(AF_UNIX, type, 0), the fd marked
 *   bind/connect(struct sockaddr_vm) -> the abstract address "\0nsvsock-<cid>-<port>"
 *   accept/getsockname/getpeername   -> a sockaddr_vm made from that name
 *
 * Binding to VMADDR_CID_ANY takes the CID from NS_VSOCK_SHIM_CID (the
 * nitro-cli stand-in sets it for the enclave to the CID it announced; the
 * parent instance is CID 3 when unset).  A connecting socket that is not
 * bound yet is bound first to "\0nsvsock-<own cid>-<ephemeral port>", so
 * the listener sees a plausible peer.  Abstract names live in the network
 * namespace, so they cross a chroot.  Every other call, and every socket
 * of another family, passes through unchanged. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/vm_sockets.h>

#define SHIM_MAX_FD 65536
#define SHIM_PARENT_CID 3u

/* which descriptors are (shimmed) vsock sockets */
static unsigned char shim_mark[SHIM_MAX_FD / 8];

static int shim_is_vsock(int fd) {
    return fd >= 0 && fd < SHIM_MAX_FD && (shim_mark[fd / 8] >> (fd % 8)) & 1;
}

static void shim_set(int fd, int on) {
    if (fd < 0 || fd >= SHIM_MAX_FD) return;
    if (on) shim_mark[fd / 8] |= (unsigned char)(1u << (fd % 8));
    else shim_mark[fd / 8] &= (unsigned char)~(1u << (fd % 8));
}

static void *shim_next(const char *name) {
    void *f = dlsym(RTLD_NEXT, name);
    if (f == NULL) {
        fprintf(stderr, "ns_vsock_shim: no next %s\n", name);
        abort();
    }
    return f;
}

static unsigned shim_own_cid(void) {
    const char *e = getenv("NS_VSOCK_SHIM_CID");
    if (e != NULL && *e != 0) {
        char *end;
        unsigned long v = strtoul(e, &end, 10);
        if (*end == 0 && v > 2 && v < VMADDR_CID_ANY) return (unsigned)v;
    }
    return SHIM_PARENT_CID;
}

/* the abstract Unix address of vsock address (cid, port); returns its length */
static socklen_t shim_unix_addr(struct sockaddr_un *un, unsigned cid, unsigned port) {
    memset(un, 0, sizeof *un);
    un->sun_family = AF_UNIX;
    int n = snprintf(un->sun_path + 1, sizeof un->sun_path - 1, "nsvsock-%u-%u", cid, port);
    return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
}

/* the vsock address an abstract name stands for; unknown names give the
 * parent's CID and port 0 */
static void shim_vm_addr(struct sockaddr_vm *vm, const struct sockaddr_un *un, socklen_t len) {
    memset(vm, 0, sizeof *vm);
    vm->svm_family = AF_VSOCK;
    vm->svm_cid = SHIM_PARENT_CID;
    size_t plen = len > offsetof(struct sockaddr_un, sun_path) ? len - offsetof(struct sockaddr_un, sun_path) : 0;
    if (plen < 2 || un->sun_path[0] != 0) return;
    char name[sizeof un->sun_path];
    memcpy(name, un->sun_path + 1, plen - 1);
    name[plen - 1] = 0;
    unsigned cid, port;
    if (sscanf(name, "nsvsock-%u-%u", &cid, &port) == 2) {
        vm->svm_cid = cid;
        vm->svm_port = port;
    }
}

static void shim_copy_out(struct sockaddr *addr, socklen_t *len, const struct sockaddr_vm *vm) {
    if (addr == NULL || len == NULL) return;
    socklen_t n = *len < (socklen_t)sizeof *vm ? *len : (socklen_t)sizeof *vm;
    memcpy(addr, vm, n);
    *len = sizeof *vm;
}

int socket(int domain, int type, int protocol) {
    static int (*next)(int, int, int);
    if (next == NULL) next = (int (*)(int, int, int))shim_next("socket");
    int fd = domain == AF_VSOCK ? next(AF_UNIX, type, 0) : next(domain, type, protocol);
    if (fd >= 0) shim_set(fd, domain == AF_VSOCK);
    return fd;
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*next)(int, const struct sockaddr *, socklen_t);
    if (next == NULL) next = (int (*)(int, const struct sockaddr *, socklen_t))shim_next("bind");
    if (!shim_is_vsock(fd) || addr == NULL || addr->sa_family != AF_VSOCK) return next(fd, addr, len);
    if (len < (socklen_t)sizeof(struct sockaddr_vm)) {
        errno = EINVAL;
        return -1;
    }
    const struct sockaddr_vm *vm = (const struct sockaddr_vm *)addr;
    unsigned cid = vm->svm_cid == VMADDR_CID_ANY ? shim_own_cid() : vm->svm_cid;
    struct sockaddr_un un;
    socklen_t ulen = shim_unix_addr(&un, cid, vm->svm_port);
    return next(fd, (const struct sockaddr *)&un, ulen);
}

/* binds an unbound connecting socket to an ephemeral port of our CID */
static void shim_autobind(int fd) {
    static int (*next_bind)(int, const struct sockaddr *, socklen_t);
    static int (*next_getsockname)(int, struct sockaddr *, socklen_t *);
    if (next_bind == NULL) next_bind = (int (*)(int, const struct sockaddr *, socklen_t))shim_next("bind");
    if (next_getsockname == NULL)
        next_getsockname = (int (*)(int, struct sockaddr *, socklen_t *))shim_next("getsockname");
    struct sockaddr_un cur;
    socklen_t clen = sizeof cur;
    if (next_getsockname(fd, (struct sockaddr *)&cur, &clen) == 0 && clen > offsetof(struct sockaddr_un, sun_path))
        return; /* already bound */
    unsigned base = 49152u + ((unsigned)getpid() * 7919u) % 16000u;
    for (unsigned i = 0; i < 64; i++) {
        struct sockaddr_un un;
        socklen_t ulen = shim_unix_addr(&un, shim_own_cid(), base + i * 251u % 16000u);
        int saved = errno;
        if (next_bind(fd, (const struct sockaddr *)&un, ulen) == 0) return;
        int e = errno;
        errno = saved;
        if (e != EADDRINUSE) return;
    }
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
    static int (*next)(int, const struct sockaddr *, socklen_t);
    if (next == NULL) next = (int (*)(int, const struct sockaddr *, socklen_t))shim_next("connect");
    if (!shim_is_vsock(fd) || addr == NULL || addr->sa_family != AF_VSOCK) return next(fd, addr, len);
    if (len < (socklen_t)sizeof(struct sockaddr_vm)) {
        errno = EINVAL;
        return -1;
    }
    const struct sockaddr_vm *vm = (const struct sockaddr_vm *)addr;
    shim_autobind(fd);
    struct sockaddr_un un;
    socklen_t ulen = shim_unix_addr(&un, vm->svm_cid, vm->svm_port);
    return next(fd, (const struct sockaddr *)&un, ulen);
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    static int (*next)(int, struct sockaddr *, socklen_t *, int);
    if (next == NULL) next = (int (*)(int, struct sockaddr *, socklen_t *, int))shim_next("accept4");
    if (!shim_is_vsock(fd)) {
        int c = next(fd, addr, len, flags);
        if (c >= 0) shim_set(c, 0);
        return c;
    }
    struct sockaddr_un un;
    socklen_t ulen = sizeof un;
    int c = next(fd, (struct sockaddr *)&un, &ulen, flags);
    if (c < 0) return c;
    shim_set(c, 1);
    struct sockaddr_vm vm;
    shim_vm_addr(&vm, &un, ulen);
    shim_copy_out(addr, len, &vm);
    return c;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) {
    return accept4(fd, addr, len, 0);
}

static int shim_name(const char *which, int fd, struct sockaddr *addr, socklen_t *len) {
    int (*next)(int, struct sockaddr *, socklen_t *) =
        (int (*)(int, struct sockaddr *, socklen_t *))shim_next(which);
    if (!shim_is_vsock(fd)) return next(fd, addr, len);
    struct sockaddr_un un;
    socklen_t ulen = sizeof un;
    if (next(fd, (struct sockaddr *)&un, &ulen) != 0) return -1;
    struct sockaddr_vm vm;
    shim_vm_addr(&vm, &un, ulen);
    shim_copy_out(addr, len, &vm);
    return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len) {
    return shim_name("getsockname", fd, addr, len);
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len) {
    return shim_name("getpeername", fd, addr, len);
}

int close(int fd) {
    static int (*next)(int);
    if (next == NULL) next = (int (*)(int))shim_next("close");
    shim_set(fd, 0);
    return next(fd);
}
