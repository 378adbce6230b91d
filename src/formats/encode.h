/* Conversions between the snarkjs element encodings that the file formats
 * need: LEM (little-endian Montgomery, files), canonical little/big-endian
 * (JSON, hashes) and zkey coefficient values, on the BN254 field code (docs/snarkjs-formats.md, "Encodings")
 * (ff/bn254_field.h).  Points go LEM -> U through curve/bn254_encode.h
 * (bn254_g1_lem_to_u), the one point encoder. */
#ifndef NS_FORMATS_ENCODE_H
#define NS_FORMATS_ENCODE_H

#include <stdint.h>

#include "util/hash.h"

/* One Fq element: LEM (32 bytes) -> canonical big-endian (32 bytes). */
void ns_fq_lem_to_be(uint8_t out[32], const uint8_t in[32]);
/* Canonical big-endian/decimal helpers for JSON: LEM -> canonical LE. */
void ns_fq_lem_to_le(uint8_t out[32], const uint8_t in[32]);
/* Feed U(point) into a hash (bn254_g1_lem_to_u / bn254_g2_lem_to_u). */
void ns_hash_g1_lem(ns_hash *h, const uint8_t lem[64]);
void ns_hash_g2_lem(ns_hash *h, const uint8_t lem[128]);

/* zkey coeffs value: canonical LE Fr integer c (< r) -> LE(c·R² mod r). */
void ns_fr_coef_to_zkey(uint8_t out[32], const uint8_t coef_le[32]);
/* Inverse: zkey coeffs value -> canonical LE coefficient. */
void ns_fr_coef_from_zkey(uint8_t out[32], const uint8_t val_le[32]);

/* Canonical 32-byte LE integer -> decimal string (out >= 80 bytes). */
void ns_le256_to_decimal(char *out, const uint8_t le[32]);

#endif
