#include "nitro/cpio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_BITS_FILE 0100000u
#define TYPE_BITS_DIR 0040000u
#define TYPE_BITS_SYMLINK 0120000u

void ns_cpio_init(ns_cpio *c) {
    memset(c, 0, sizeof *c);
    c->ino = NS_CPIO_FIRST_INO;
}

void ns_cpio_free(ns_cpio *c) {
    free(c->data);
    memset(c, 0, sizeof *c);
}

static int reserve(ns_cpio *c, size_t more, ns_error *err) {
    if (more > SIZE_MAX - c->len) return ns_error_set(err, "cpio: archive too large");
    if (c->len + more <= c->cap) return 0;
    size_t cap = c->cap ? c->cap : 4096;
    while (cap < c->len + more) {
        if (cap > SIZE_MAX / 2) return ns_error_set(err, "cpio: archive too large");
        cap *= 2;
    }
    uint8_t *p = realloc(c->data, cap);
    if (p == NULL) return ns_error_set(err, "cpio: out of memory (%zu bytes)", cap);
    c->data = p;
    c->cap = cap;
    return 0;
}

static void put(ns_cpio *c, const void *p, size_t n) {
    if (n) memcpy(c->data + c->len, p, n);
    c->len += n;
}

static void pad(ns_cpio *c, size_t to) {
    size_t k = (to - c->len % to) % to;
    memset(c->data + c->len, 0, k);
    c->len += k;
}

static int entry(ns_cpio *c, const char *name, uint32_t mode, uint32_t nlink, uint32_t uid, uint32_t gid,
                 uint32_t mtime, const void *data, size_t len, ns_error *err) {
    size_t nl = strlen(name);
    if (nl == 0 || nl >= 0xffffffffu || len > 0xffffffffu)
        return ns_error_set(err, "cpio: entry '%.200s': empty name or larger than 4 GiB", name);
    if (reserve(c, 110 + nl + 1 + 3 + len + 3 + 512, err) != 0) return -1;
    char h[111];
    snprintf(h, sizeof h, "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", c->ino, mode, uid, gid,
             nlink, mtime, (uint32_t)len, 3u, 1u, 0u, 0u, (uint32_t)(nl + 1), 0u);
    put(c, h, 110);
    put(c, name, nl + 1);
    pad(c, 4);
    put(c, data, len);
    pad(c, 4);
    c->ino++;
    return 0;
}

int ns_cpio_add(ns_cpio *c, const char *name, ns_cpio_type type, uint32_t perm, uint32_t uid, uint32_t gid,
                uint32_t mtime, const void *data, size_t len, ns_error *err) {
    if (c->finished) return ns_error_set(err, "cpio: entry '%.200s' after the trailer", name);
    uint32_t bits = type == NS_CPIO_DIR ? TYPE_BITS_DIR : type == NS_CPIO_SYMLINK ? TYPE_BITS_SYMLINK : TYPE_BITS_FILE;
    if (type == NS_CPIO_DIR && len != 0) return ns_error_set(err, "cpio: directory '%.200s' with data", name);
    if (type == NS_CPIO_SYMLINK && len == 0) return ns_error_set(err, "cpio: symlink '%.200s' without a target", name);
    return entry(c, name, (perm & 07777u) | bits, type == NS_CPIO_DIR ? 2 : 1, uid, gid, mtime, data, len, err);
}

int ns_cpio_finish(ns_cpio *c, ns_error *err) {
    if (c->finished) return 0;
    if (entry(c, "TRAILER!!!", 0, 1, 0, 0, 0, NULL, 0, err) != 0) return -1;
    pad(c, 512);
    c->finished = 1;
    return 0;
}
