/* snarkjs point encodings for BN254 (docs/snarkjs-formats.md, "Encodings"):
 *   LEM (files):  G1 = LEM(x) || LEM(y)                      64 bytes
 *                 G2 = LEM(x.c0) || LEM(x.c1) || LEM(y.c0) || LEM(y.c1)   128 bytes
 *                 LEM(a) = 32-byte little-endian integer a*R mod q.
 *   U (hashes):   G1 = BE(x) || BE(y); G2 = BE(x.c1) || BE(x.c0) || BE(y.c1) || BE(y.c0)
 *                 BE = canonical big-endian.
 *   The point at infinity is all zero bytes in both; writers never set a flag.
 *   Reading U treats a set 0x40 bit in the first byte as infinity (as
 *   wasmcurves _UtoLEM does; the other bytes are then ignored).
 *
 * Readers validate: every coordinate < q, the point on the curve, and for G2
 * in the order-r subgroup (G1 has cofactor 1).  They return BN254_ENC_OK (0)
 * or a negative BN254_ENC_* code; bn254_enc_strerror names it.  The
 * *_unchecked readers only check the coordinate range (for bulk data that is
 * validated later, e.g. by a random linear combination). */
#ifndef NS_CURVE_BN254_ENCODE_H
#define NS_CURVE_BN254_ENCODE_H

#include <stdint.h>

#include "curve/bn254.h"

#define BN254_G1_BYTES 64
#define BN254_G2_BYTES 128

enum {
    BN254_ENC_OK = 0,
    BN254_ENC_RANGE = -1,    /* a coordinate is >= q */
    BN254_ENC_CURVE = -2,    /* not on the curve */
    BN254_ENC_SUBGROUP = -3, /* G2 point outside the order-r subgroup */
};

const char *bn254_enc_strerror(int code);

void bn254_g1_to_lem(uint8_t out[64], const bn254_g1_affine *a);
void bn254_g2_to_lem(uint8_t out[128], const bn254_g2_affine *a);
int bn254_g1_from_lem(bn254_g1_affine *r, const uint8_t in[64]);
int bn254_g2_from_lem_var(bn254_g2_affine *r, const uint8_t in[128]);
int bn254_g1_from_lem_unchecked(bn254_g1_affine *r, const uint8_t in[64]);
int bn254_g2_from_lem_unchecked(bn254_g2_affine *r, const uint8_t in[128]);

void bn254_g1_to_u(uint8_t out[64], const bn254_g1_affine *a);
void bn254_g2_to_u(uint8_t out[128], const bn254_g2_affine *a);
int bn254_g1_from_u(bn254_g1_affine *r, const uint8_t in[64]);
/* The one LEM -> U point encoder, for points as bytes in a file (hashes,
 * transcripts): each coordinate LEM -> canonical big-endian, the all-zero
 * identity -> all zero bytes.  No curve or subgroup check.  Returns
 * BN254_ENC_OK, or BN254_ENC_RANGE if a coordinate is >= q (out is then the
 * encoding of the identity). */
int bn254_g1_lem_to_u(uint8_t out[64], const uint8_t lem[64]);
int bn254_g2_lem_to_u(uint8_t out[128], const uint8_t lem[128]);
int bn254_g2_from_u_var(bn254_g2_affine *r, const uint8_t in[128]);

/* Fq2 in LEM order (c0 || c1) and U order (BE c1 || BE c0). */
void bn254_fq2_to_lem(uint8_t out[64], const bn254_fq2 *a);
int bn254_fq2_from_lem(bn254_fq2 *r, const uint8_t in[64]);
void bn254_fq2_to_u(uint8_t out[64], const bn254_fq2 *a);
int bn254_fq2_from_u(bn254_fq2 *r, const uint8_t in[64]);

#endif
