/* BLS12-381 for drand: the high-level operations drand verification needs.
 *
 * The full field/group API lives in ff/bls12_381_field.h and
 * curve/bls12_381_group.h, built on the generic layer ff/mont.h.
 *
 * Encodings are the ZCash/zkcrypto ones: compressed G1 48 bytes, G2 96
 * bytes; uncompressed 96 / 192 bytes; flags in the top 3 bits of the first
 * byte; canonical coordinates, identity and subgroup checks enforced.
 * All functions here work on public data (variable time is fine). */
#ifndef NS_CURVE_BLS12_381_H
#define NS_CURVE_BLS12_381_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    BLS_OK = 0,
    BLS_BAD_ENCODING,      /* wrong length, flags, non-canonical coordinate */
    BLS_NOT_ON_CURVE,
    BLS_NOT_IN_GROUP,
    BLS_IS_IDENTITY,       /* identity where a real point is required */
    BLS_VERIFY_FAIL,
} bls_status;

const char *bls_status_str(bls_status s);

/* Signature in G1 (48-byte compressed), public key in G2 (96-byte
 * compressed): e(sig, g2) == e(H_G1(msg, dst), pk).  (drand quicknet) */
bls_status bls_verify_sig_g1_var(const uint8_t pk_g2[96], const uint8_t *msg, size_t msg_len,
                             const uint8_t *dst, size_t dst_len, const uint8_t sig_g1[48]);

/* Signature in G2 (96-byte compressed), public key in G1 (48-byte
 * compressed): e(g1, sig) == e(pk, H_G2(msg, dst)).  (drand default chain) */
bls_status bls_verify_sig_g2_var(const uint8_t pk_g1[48], const uint8_t *msg, size_t msg_len,
                             const uint8_t *dst, size_t dst_len, const uint8_t sig_g2[96]);

/* Repeated verification against one public key: decode and validate the
 * key once (encoding, curve, subgroup, not the identity), then verify many
 * messages with it.  The structures are defined in curve/bls12_381_group.h
 * (bls_pk_g2 is about 40 KiB: it keeps the Miller-loop lines of the key and
 * of the G2 generator, which makes each quicknet verification cheaper). */
typedef struct bls_pk_g1 bls_pk_g1;
typedef struct bls_pk_g2 bls_pk_g2;
bls_status bls_pk_g1_decode_var(bls_pk_g1 *pk, const uint8_t in[48]);
bls_status bls_pk_g2_decode_var(bls_pk_g2 *pk, const uint8_t in[96]);
/* Same results as bls_verify_sig_g1_var / bls_verify_sig_g2_var with that key. */
bls_status bls_verify_sig_g1_pk_var(const bls_pk_g2 *pk, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                                size_t dst_len, const uint8_t sig_g1[48]);
bls_status bls_verify_sig_g2_pk_var(const bls_pk_g1 *pk, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                                size_t dst_len, const uint8_t sig_g2[96]);

#endif
