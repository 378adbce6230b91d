/* RFC 9380 hashing to BLS12-381 G1 and G2 with the suites
 * BLS12381G1_XMD:SHA-256_SSWU_RO_/NU_ and BLS12381G2_XMD:SHA-256_SSWU_RO_/NU_:
 * expand_message_xmd (SHA-256), hash_to_field (L = 64), simplified SWU on
 * the isogenous curve, the 11-isogeny (G1) / 3-isogeny (G2), and cofactor
 * clearing (h_eff = 1 - z on G1, Budroni-Pintore on G2).
 * Inputs are public; everything is variable time. */
#ifndef NS_CURVE_BLS12_381_H2C_H
#define NS_CURVE_BLS12_381_H2C_H

#include <stddef.h>
#include <stdint.h>

#include "curve/bls12_381_group.h"

/* expand_message_xmd with SHA-256.  len <= 65535 (and ceil(len/32) <= 255);
 * a DST longer than 255 bytes is replaced by SHA-256("H2C-OVERSIZE-DST-" || DST).
 * Returns 0, or -1 on a bad length or allocation failure. */
int bls_expand_message_xmd(uint8_t *out, size_t len, const uint8_t *msg, size_t msg_len,
                           const uint8_t *dst, size_t dst_len);

/* hash_to_field for count elements (count <= 2). */
int bls_hash_to_fp(bls_fp *u, size_t count, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                   size_t dst_len);
int bls_hash_to_fp2(bls_fp2 *u, size_t count, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                    size_t dst_len);

/* Simplified SWU onto the isogenous curve E' (affine result, never the
 * identity), and the isogeny E' -> E. */
void bls_sswu_g1_var(bls_fp *x, bls_fp *y, const bls_fp *u);
void bls_sswu_g2_var(bls_fp2 *x, bls_fp2 *y, const bls_fp2 *u);
void bls_iso_map_g1_var(bls_g1 *r, const bls_fp *x, const bls_fp *y);
void bls_iso_map_g2_var(bls_g2 *r, const bls_fp2 *x, const bls_fp2 *y);
/* map_to_curve = iso_map(sswu(u)) (not cofactor-cleared). */
void bls_map_to_g1_var(bls_g1 *r, const bls_fp *u);
void bls_map_to_g2_var(bls_g2 *r, const bls_fp2 *u);

/* hash_to_curve (_RO_) and encode_to_curve (_NU_).  Return 0 or -1 (bad
 * length / allocation failure). */
int bls_hash_to_g1_var(bls_g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);
int bls_hash_to_g2_var(bls_g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);
int bls_encode_to_g1_var(bls_g1 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);
int bls_encode_to_g2_var(bls_g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len);

#endif
