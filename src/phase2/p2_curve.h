/* Internal to src/phase2: the few curve operations phase 2 needs, in the
 * shapes it needs them (LEM bytes in and out, validated on load), on top of
 * src/curve.  Not part of any public API. */
#ifndef NS_PHASE2_P2_CURVE_H
#define NS_PHASE2_P2_CURVE_H

#include <stddef.h>
#include <stdint.h>

#include "curve/bn254.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_ctmul.h"
#include "curve/bn254_encode.h"
#include "curve/bn254_rng.h"

/* ---- LEM bytes <-> affine points ---- */

/* Loads a point and checks it: canonical coordinates, on the curve, and for
 * G2 in the order-r subgroup.  All-zero bytes are the identity (accepted).
 * Returns 0 or -1. */
int p2_g1_load(bn254_g1_affine *p, const uint8_t lem[64]);
int p2_g2_load_var(bn254_g2_affine *p, const uint8_t lem[128]);
void p2_g1_store(uint8_t lem[64], const bn254_g1_affine *p);
/* Checks n G1 points given as LEM bytes as p2_g1_load does, on `threads`
 * threads.  Returns SIZE_MAX if all are valid, else the index of the first
 * invalid one. */
size_t p2_g1_lem_first_invalid_var(const uint8_t *lem, size_t n, int threads);
void p2_g2_store(uint8_t lem[128], const bn254_g2_affine *p);

/* ---- snarkjs RNG (ChaCha seeded from 32 bytes read as 8 BE words) ---- */
typedef bn254_chacha p2_rng;
void p2_rng_seed(p2_rng *rng, const uint8_t seed32[32]);
void p2_rng_wipe(p2_rng *rng);
void p2_fr_from_rng(bn254_fr *r, p2_rng *rng);          /* Fr.fromRng (Montgomery quirk) */
void p2_g1_from_rng_var(bn254_g1_affine *r, p2_rng *rng);   /* G1.fromRng, affine */
void p2_hash_to_g2_var(bn254_g2_affine *r, const uint8_t hash[64]);

/* ---- multiplication ---- */
/* Constant time in k (a secret Fr element, multiplied by its value as
 * snarkjs timesFr does); result affine. */
void p2_g1_mul(bn254_g1_affine *r, const bn254_g1_affine *p, const bn254_fr *k);
void p2_g2_mul(bn254_g2_affine *r, const bn254_g2_affine *p, const bn254_fr *k);
/* n G1 points (LEM bytes, any alignment) times secret k into out (LEM). */
void p2_g1_batch_mul_lem(uint8_t *out, const uint8_t *in, size_t n, const bn254_fr *k,
                         int threads);
/* The same for a public k (beacon: derived from the public beacon hash),
 * variable time and faster; identical output. */
void p2_g1_batch_mul_lem_var(uint8_t *out, const uint8_t *in, size_t n, const bn254_fr *k,
                                int threads);

/* sameRatio(g1s, g1sx, g2s, g2sx) of snarkjs: false if any input is the
 * identity, else e(g1s, g2sx) == e(g1sx, g2s). */
int p2_same_ratio_var(const bn254_g1_affine *g1s, const bn254_g1_affine *g1sx,
                  const bn254_g2_affine *g2s, const bn254_g2_affine *g2sx);

#endif
