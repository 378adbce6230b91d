/* snarkjs LEM and U encodings of BN254 points, with validation on read. */
#include "curve/bn254_encode.h"

#include <string.h>

const char *bn254_enc_strerror(int code) {
    switch (code) {
    case BN254_ENC_OK: return "ok";
    case BN254_ENC_RANGE: return "coordinate not below the field modulus";
    case BN254_ENC_CURVE: return "point not on the curve";
    case BN254_ENC_SUBGROUP: return "point not in the order-r subgroup";
    default: return "unknown encoding error";
    }
}

void bn254_fq2_to_lem(uint8_t out[64], const bn254_fq2 *a) {
    bn254_fq_to_lem(out, &a->c0);
    bn254_fq_to_lem(out + 32, &a->c1);
}

int bn254_fq2_from_lem(bn254_fq2 *r, const uint8_t in[64]) {
    return bn254_fq_from_lem(&r->c0, in) & bn254_fq_from_lem(&r->c1, in + 32);
}

void bn254_fq2_to_u(uint8_t out[64], const bn254_fq2 *a) {
    bn254_fq_to_be(out, &a->c1);
    bn254_fq_to_be(out + 32, &a->c0);
}

int bn254_fq2_from_u(bn254_fq2 *r, const uint8_t in[64]) {
    return bn254_fq_from_be(&r->c1, in) & bn254_fq_from_be(&r->c0, in + 32);
}

/* ---- G1 ---- */

void bn254_g1_to_lem(uint8_t out[64], const bn254_g1_affine *a) {
    bn254_fq_to_lem(out, &a->x);
    bn254_fq_to_lem(out + 32, &a->y);
}

int bn254_g1_from_lem_unchecked(bn254_g1_affine *r, const uint8_t in[64]) {
    bn254_g1_affine t;
    if (!(bn254_fq_from_lem(&t.x, in) & bn254_fq_from_lem(&t.y, in + 32))) return BN254_ENC_RANGE;
    *r = t;
    return BN254_ENC_OK;
}

static int g1_validate(bn254_g1_affine *r, const bn254_g1_affine *t) {
    if (!bn254_g1_check(t)) return BN254_ENC_CURVE;
    *r = *t;
    return BN254_ENC_OK;
}

int bn254_g1_from_lem(bn254_g1_affine *r, const uint8_t in[64]) {
    bn254_g1_affine t;
    int rc = bn254_g1_from_lem_unchecked(&t, in);
    if (rc) return rc;
    return g1_validate(r, &t);
}

void bn254_g1_to_u(uint8_t out[64], const bn254_g1_affine *a) {
    bn254_fq_to_be(out, &a->x); /* infinity (0, 0) gives all zero bytes */
    bn254_fq_to_be(out + 32, &a->y);
}

int bn254_g1_lem_to_u(uint8_t out[64], const uint8_t lem[64]) {
    bn254_g1_affine a = {{{0}}, {{0}}};
    int rc = bn254_g1_from_lem_unchecked(&a, lem);
    bn254_g1_to_u(out, &a);
    return rc;
}

int bn254_g1_from_u(bn254_g1_affine *r, const uint8_t in[64]) {
    bn254_g1_affine t;
    if (in[0] & 0x40) {
        memset(r, 0, sizeof *r);
        return BN254_ENC_OK;
    }
    if (!(bn254_fq_from_be(&t.x, in) & bn254_fq_from_be(&t.y, in + 32))) return BN254_ENC_RANGE;
    return g1_validate(r, &t);
}

/* ---- G2 ---- */

void bn254_g2_to_lem(uint8_t out[128], const bn254_g2_affine *a) {
    bn254_fq2_to_lem(out, &a->x);
    bn254_fq2_to_lem(out + 64, &a->y);
}

int bn254_g2_from_lem_unchecked(bn254_g2_affine *r, const uint8_t in[128]) {
    bn254_g2_affine t;
    if (!(bn254_fq2_from_lem(&t.x, in) & bn254_fq2_from_lem(&t.y, in + 64))) return BN254_ENC_RANGE;
    *r = t;
    return BN254_ENC_OK;
}

static int g2_validate(bn254_g2_affine *r, const bn254_g2_affine *t) {
    if (!bn254_g2_affine_on_curve(t)) return BN254_ENC_CURVE;
    if (!bn254_g2_check_var(t)) return BN254_ENC_SUBGROUP;
    *r = *t;
    return BN254_ENC_OK;
}

int bn254_g2_from_lem_var(bn254_g2_affine *r, const uint8_t in[128]) {
    bn254_g2_affine t;
    int rc = bn254_g2_from_lem_unchecked(&t, in);
    if (rc) return rc;
    return g2_validate(r, &t);
}

void bn254_g2_to_u(uint8_t out[128], const bn254_g2_affine *a) {
    bn254_fq2_to_u(out, &a->x);
    bn254_fq2_to_u(out + 64, &a->y);
}

int bn254_g2_lem_to_u(uint8_t out[128], const uint8_t lem[128]) {
    bn254_g2_affine a;
    memset(&a, 0, sizeof a);
    int rc = bn254_g2_from_lem_unchecked(&a, lem);
    bn254_g2_to_u(out, &a);
    return rc;
}

int bn254_g2_from_u_var(bn254_g2_affine *r, const uint8_t in[128]) {
    bn254_g2_affine t;
    if (in[0] & 0x40) {
        memset(r, 0, sizeof *r);
        return BN254_ENC_OK;
    }
    if (!(bn254_fq2_from_u(&t.x, in) & bn254_fq2_from_u(&t.y, in + 64))) return BN254_ENC_RANGE;
    return g2_validate(r, &t);
}
