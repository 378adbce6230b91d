/* Keccak-256 as Ethereum uses it (the original Keccak padding 0x01...0x80,
 * not SHA3-256's 0x06): contract code hashes (EXTCODEHASH), function
 * selectors.  OpenSSL 3.0 has no Keccak-256 digest (it arrived in 3.2), so
 * this is our own Keccak-f[1600].  All inputs are public: not constant time,
 * and no secret may be hashed with it. */
#ifndef NS_UTIL_KECCAK_H
#define NS_UTIL_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#define NS_KECCAK256_LEN 32

typedef struct {
    uint64_t a[25];  /* the state, lane (x, y) at a[x + 5y] */
    size_t pos;      /* bytes absorbed into the current block */
} ns_keccak256_ctx;

void ns_keccak256_init(ns_keccak256_ctx *c);
void ns_keccak256_update(ns_keccak256_ctx *c, const void *data, size_t n);
/* Writes the digest; c must be initialised again before reuse. */
void ns_keccak256_final(ns_keccak256_ctx *c, uint8_t out[NS_KECCAK256_LEN]);

void ns_keccak256(uint8_t out[NS_KECCAK256_LEN], const void *data, size_t n);

#endif
