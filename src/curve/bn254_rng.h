/* The snarkjs/ffjavascript deterministic RNG and the BN254 samplers built on
 * it (docs/snarkjs-formats.md, "RNG"), bit-exact:
 *   - ChaCha20 block function keyed by 8 u32 seed words, counter/nonce words
 *     12..15 start at 0, word 12 incremented (with carry) after each block;
 *     u32 outputs in block order; u64 = high word first; bool = u32 & 1.
 *   - Seeding from a hash: seed[i] = big-endian u32 of bytes 4i..4i+3 of
 *     the first 32 bytes.
 *   - Fr/Fq.fromRng: v = sum u64_i 2^(64 i) (first u64 least significant),
 *     masked to 254 bits, rejected while v >= p; the bytes of v are then used
 *     AS the Montgomery representation, i.e. the element is v R^-1 mod p.
 *   - G1.fromRng / G2.fromRng: x from Fq/Fq2.fromRng, one bool per attempt,
 *     until x^3 + b is a square; y = the root with isNegative(y) == bool;
 *     G2 is then multiplied by the cofactor 2q - r.
 *   - hashToG2(hash) = G2.fromRng seeded from the hash.
 *
 * Constant time: the ChaCha core and bn254_fr_from_rng / bn254_fq_from_rng
 * have no data-dependent branches or memory accesses except the rejection
 * test (v >= p), whose outcome is independent of the value finally returned.
 * The point samplers (_var) branch on public data (x, square tests, sqrt,
 * sign); they are used for public points only (g1_s, g2_sp). */
#ifndef NS_CURVE_BN254_RNG_H
#define NS_CURVE_BN254_RNG_H

#include <stdint.h>

#include "curve/bn254.h"

typedef struct {
    uint32_t state[16];
    uint32_t buf[16];
    int idx;
} bn254_chacha;

void bn254_chacha_init(bn254_chacha *c, const uint32_t seed[8]);
/* seed from the first 32 bytes of a hash, big-endian words */
void bn254_chacha_init_hash(bn254_chacha *c, const uint8_t hash[32]);
uint32_t bn254_chacha_u32(bn254_chacha *c);
uint64_t bn254_chacha_u64(bn254_chacha *c);
int bn254_chacha_bool(bn254_chacha *c);
void bn254_chacha_wipe(bn254_chacha *c);

/* Field samplers with the Montgomery quirk (constant time apart from the
 * rejection loop).  raw_le, if not NULL, receives the 32 bytes snarkjs
 * returns (v little-endian), e.g. to compare with a recorded prvKey. */
void bn254_fr_from_rng(bn254_fr *r, bn254_chacha *c, uint8_t raw_le[32]);
void bn254_fq_from_rng(bn254_fq *r, bn254_chacha *c);

/* Point samplers (variable time, public outputs). */
void bn254_g1_from_rng_var(bn254_g1_affine *r, bn254_chacha *c);
void bn254_g2_from_rng_var(bn254_g2_affine *r, bn254_chacha *c);
/* snarkjs keypair.hashToG2: only the first 32 bytes of hash are used. */
void bn254_hash_to_g2_var(bn254_g2_affine *r, const uint8_t hash[32]);

#endif
