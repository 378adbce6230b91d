#include "util/hash.h"

#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

struct ns_hash {
    EVP_MD_CTX *ctx;
    const EVP_MD *md;
};

static const EVP_MD *md_for(ns_hash_alg alg) {
    switch (alg) {
    case NS_HASH_BLAKE2B512: return EVP_blake2b512();
    case NS_HASH_SHA256: return EVP_sha256();
    case NS_HASH_SHA384: return EVP_sha384();
    }
    return NULL;
}

ns_hash *ns_hash_new(ns_hash_alg alg) {
    ns_hash *h = calloc(1, sizeof *h);
    if (h == NULL) return NULL;
    h->md = md_for(alg);
    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, h->md, NULL) != 1) {
        EVP_MD_CTX_free(h->ctx);
        free(h);
        return NULL;
    }
    return h;
}

void ns_hash_update(ns_hash *h, const void *data, size_t n) {
    if (n > 0) EVP_DigestUpdate(h->ctx, data, n);
}

void ns_hash_final(ns_hash *h, uint8_t *out) {
    unsigned int len = 0;
    EVP_DigestFinal_ex(h->ctx, out, &len);
    EVP_DigestInit_ex(h->ctx, h->md, NULL);
}

void ns_hash_peek(const ns_hash *h, uint8_t *out) {
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    unsigned int len = 0;
    EVP_MD_CTX_copy_ex(copy, h->ctx);
    EVP_DigestFinal_ex(copy, out, &len);
    EVP_MD_CTX_free(copy);
}

ns_hash *ns_hash_clone(const ns_hash *h) {
    ns_hash *c = calloc(1, sizeof *c);
    if (c == NULL) return NULL;
    c->md = h->md;
    c->ctx = EVP_MD_CTX_new();
    if (c->ctx == NULL || EVP_MD_CTX_copy_ex(c->ctx, h->ctx) != 1) {
        EVP_MD_CTX_free(c->ctx);
        free(c);
        return NULL;
    }
    return c;
}

void ns_hash_free(ns_hash *h) {
    if (h == NULL) return;
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

void ns_blake2b512(uint8_t out[NS_BLAKE2B_LEN], const void *data, size_t n) {
    unsigned int len = 0;
    EVP_Digest(data, n, out, &len, EVP_blake2b512(), NULL);
}

void ns_sha256(uint8_t out[NS_SHA256_LEN], const void *data, size_t n) {
    unsigned int len = 0;
    EVP_Digest(data, n, out, &len, EVP_sha256(), NULL);
}

static int hash_fd(ns_hash_alg alg, uint8_t *out, int fd, const char *what, uint64_t *size_out, ns_error *err) {
    ns_hash *h = ns_hash_new(alg);
    size_t bufsz = 1 << 20;
    uint8_t *buf = malloc(bufsz);
    if (h == NULL || buf == NULL) {
        ns_hash_free(h);
        free(buf);
        return ns_error_set(err, "%s: out of memory", what);
    }
    uint64_t total = 0;
    int bad = 0;
    for (;;) {
        ssize_t got = read(fd, buf, bufsz);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) bad = 1;
        if (got <= 0) break;
        ns_hash_update(h, buf, (size_t)got);
        total += (uint64_t)got;
    }
    free(buf);
    if (bad) {
        ns_hash_free(h);
        return ns_error_set(err, "%s: read error", what);
    }
    ns_hash_final(h, out);
    ns_hash_free(h);
    if (size_out) *size_out = total;
    return 0;
}

int ns_blake2b512_fd(uint8_t out[NS_BLAKE2B_LEN], int fd, const char *what, uint64_t *size_out, ns_error *err) {
    return hash_fd(NS_HASH_BLAKE2B512, out, fd, what, size_out, err);
}

int ns_sha256_file(uint8_t out[NS_SHA256_LEN], const char *path, uint64_t *size_out, ns_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "%s: %s", path, strerror(errno));
    int rc = hash_fd(NS_HASH_SHA256, out, fd, path, size_out, err);
    close(fd);
    return rc;
}

int ns_blake2b512_file(uint8_t out[NS_BLAKE2B_LEN], const char *path, uint64_t *size_out, ns_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "%s: %s", path, strerror(errno));
    int rc = ns_blake2b512_fd(out, fd, path, size_out, err);
    close(fd);
    return rc;
}
