/* Conversions between the snarkjs point/element encodings that formats need
 * without a full curve implementation (docs/snarkjs-formats.md, "Encodings"):
 *   LEM: little-endian Montgomery (files), U: big-endian canonical (hashes),
 *   G2 U order is x.c1 x.c0 y.c1 y.c0.  The identity is all zero bytes in
 *   both.  Built on the generic Montgomery layer (ff/mont.h). */
#ifndef NS_FORMATS_ENCODE_H
#define NS_FORMATS_ENCODE_H

#include <stdint.h>

#include "ff/mont.h"
#include "util/hash.h"

extern const ns_mont ns_encode_mont_q; /* BN254 q */
extern const ns_mont ns_encode_mont_r; /* BN254 r */

/* One Fq element: LEM (32 bytes) -> canonical big-endian (32 bytes). */
void ns_fq_lem_to_be(uint8_t out[32], const uint8_t in[32]);
/* Canonical big-endian/decimal helpers for JSON: LEM -> canonical LE. */
void ns_fq_lem_to_le(uint8_t out[32], const uint8_t in[32]);
void ns_g1_lem_to_u(uint8_t out[64], const uint8_t in[64]);
void ns_g2_lem_to_u(uint8_t out[128], const uint8_t in[128]);
/* Feed U(point) into a hash. */
void ns_hash_g1_lem(ns_hash *h, const uint8_t lem[64]);
void ns_hash_g2_lem(ns_hash *h, const uint8_t lem[128]);

/* zkey coeffs value: canonical LE Fr integer c (< r) -> LE(c·R² mod r). */
void ns_fr_coef_to_zkey(uint8_t out[32], const uint8_t coef_le[32]);
/* Inverse: zkey coeffs value -> canonical LE coefficient. */
void ns_fr_coef_from_zkey(uint8_t out[32], const uint8_t val_le[32]);

/* Canonical 32-byte LE integer -> decimal string (out >= 80 bytes). */
void ns_le256_to_decimal(char *out, const uint8_t le[32]);

#endif
