#include "util/hash.h"

#include <errno.h>
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

int ns_blake2b512_file(uint8_t out[NS_BLAKE2B_LEN], const char *path,
                       uint64_t *size_out, ns_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return ns_error_set(err, "%s: %s", path, strerror(errno));
    ns_hash *h = ns_hash_new(NS_HASH_BLAKE2B512);
    size_t bufsz = 1 << 20;
    uint8_t *buf = malloc(bufsz);
    if (h == NULL || buf == NULL) {
        fclose(f);
        ns_hash_free(h);
        free(buf);
        return ns_error_set(err, "%s: out of memory", path);
    }
    uint64_t total = 0;
    size_t got;
    while ((got = fread(buf, 1, bufsz, f)) > 0) {
        ns_hash_update(h, buf, got);
        total += got;
    }
    int bad = ferror(f);
    fclose(f);
    free(buf);
    if (bad) {
        ns_hash_free(h);
        return ns_error_set(err, "%s: read error", path);
    }
    ns_hash_final(h, out);
    ns_hash_free(h);
    if (size_out) *size_out = total;
    return 0;
}
