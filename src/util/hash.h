/* BLAKE2b-512 and SHA-256/384 through OpenSSL 3 (EVP), one-shot and streaming. */
#ifndef NS_UTIL_HASH_H
#define NS_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_BLAKE2B_LEN 64
#define NS_SHA256_LEN 32
#define NS_SHA384_LEN 48

typedef struct ns_hash ns_hash; /* opaque streaming context */

typedef enum { NS_HASH_BLAKE2B512, NS_HASH_SHA256, NS_HASH_SHA384 } ns_hash_alg;

/* Returns NULL only on allocation failure. */
ns_hash *ns_hash_new(ns_hash_alg alg);
void ns_hash_update(ns_hash *h, const void *data, size_t n);
/* Writes the digest (64, 32 or 48 bytes) and resets h for reuse. */
void ns_hash_final(ns_hash *h, uint8_t *out);
/* Digest of everything fed so far, without disturbing h. */
void ns_hash_peek(const ns_hash *h, uint8_t *out);
/* Independent copy of the current state (NULL on allocation failure). */
ns_hash *ns_hash_clone(const ns_hash *h);
void ns_hash_free(ns_hash *h);

void ns_blake2b512(uint8_t out[NS_BLAKE2B_LEN], const void *data, size_t n);
void ns_sha256(uint8_t out[NS_SHA256_LEN], const void *data, size_t n);

/* BLAKE2b-512 of everything left to read on fd (what names it in errors),
 * read in chunks.  size_out may be NULL. */
int ns_blake2b512_fd(uint8_t out[NS_BLAKE2B_LEN], int fd, const char *what, uint64_t *size_out, ns_error *err);

/* SHA-256 of a whole file, streamed (the AWS job's inputs and bundle). */
int ns_sha256_file(uint8_t out[NS_SHA256_LEN], const char *path, uint64_t *size_out, ns_error *err);
/* BLAKE2b-512 of a whole file, read in chunks.  size_out may be NULL. */
int ns_blake2b512_file(uint8_t out[NS_BLAKE2B_LEN], const char *path,
                       uint64_t *size_out, ns_error *err);

#endif
