/* BLS signature verification on BLS12-381 (contract: curve/bls12_381.h).
 * One multi-Miller loop over two pairs and one final exponentiation; the G1
 * point of the first pair (the signature for G1 signatures, the generator
 * for G2 signatures) is negated. */
#include "curve/bls12_381.h"

#include "curve/bls12_381_group.h"
#include "curve/bls12_381_h2c.h"

const char *bls_status_str(bls_status s) {
    switch (s) {
    case BLS_OK: return "ok";
    case BLS_BAD_ENCODING: return "bad point encoding";
    case BLS_NOT_ON_CURVE: return "point not on the curve";
    case BLS_NOT_IN_GROUP: return "point not in the prime-order subgroup";
    case BLS_IS_IDENTITY: return "point is the identity";
    case BLS_VERIFY_FAIL: return "signature verification failed";
    }
    return "unknown BLS status";
}

bls_status bls_pk_g1_decode_var(bls_pk_g1 *pk, const uint8_t in[48]) {
    bls_status st = bls_g1_from_compressed_var(&pk->pk, in);
    if (st != BLS_OK) return st;
    return pk->pk.inf ? BLS_IS_IDENTITY : BLS_OK;
}

bls_status bls_pk_g2_decode_var(bls_pk_g2 *pk, const uint8_t in[96]) {
    bls_g2_affine g;
    bls_status st = bls_g2_from_compressed_var(&pk->pk, in);
    if (st != BLS_OK) return st;
    if (pk->pk.inf) return BLS_IS_IDENTITY;
    bls_g2_prepare_var(&pk->pk_lines, &pk->pk);
    bls_g2_generator_affine(&g);
    bls_g2_prepare_var(&pk->gen_lines, &g);
    return BLS_OK;
}

/* Signature decoding shared by both entry points. */
static bls_status decode_sig_g1(bls_g1_affine *sig, const uint8_t in[48]) {
    bls_status st = bls_g1_from_compressed_var(sig, in);
    if (st != BLS_OK) return st;
    return sig->inf ? BLS_IS_IDENTITY : BLS_OK;
}

static bls_status decode_sig_g2(bls_g2_affine *sig, const uint8_t in[96]) {
    bls_status st = bls_g2_from_compressed_var(sig, in);
    if (st != BLS_OK) return st;
    return sig->inf ? BLS_IS_IDENTITY : BLS_OK;
}

bls_status bls_verify_sig_g1_pk_var(const bls_pk_g2 *pk, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                                size_t dst_len, const uint8_t sig_g1[48]) {
    bls_g1_affine ps[2];
    bls_g1 h;
    bls_status st = decode_sig_g1(&ps[0], sig_g1);
    if (st != BLS_OK) return st;
    if (bls_hash_to_g1_var(&h, msg, msg_len, dst, dst_len) != 0) return BLS_VERIFY_FAIL;
    bls_g1_to_affine_var(&ps[1], &h);
    /* e(-sig, g2) * e(H(m), pk) == 1 */
    bls_fp_neg(&ps[0].y, &ps[0].y);
    const bls_g2_prepared *qs[2] = {&pk->gen_lines, &pk->pk_lines};
    bls_fp12 f, r;
    bls_miller_loop_prepared_var(&f, ps, qs, 2);
    bls_final_exp_var(&r, &f);
    return bls_fp12_is_one(&r) ? BLS_OK : BLS_VERIFY_FAIL;
}

bls_status bls_verify_sig_g2_pk_var(const bls_pk_g1 *pk, const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                                size_t dst_len, const uint8_t sig_g2[96]) {
    bls_g1_affine ps[2];
    bls_g2_affine qs[2];
    bls_g2 h;
    bls_status st = decode_sig_g2(&qs[0], sig_g2);
    if (st != BLS_OK) return st;
    if (bls_hash_to_g2_var(&h, msg, msg_len, dst, dst_len) != 0) return BLS_VERIFY_FAIL;
    bls_g2_to_affine_var(&qs[1], &h);
    /* e(-g1, sig) * e(pk, H(m)) == 1 */
    bls_g1_generator_affine(&ps[0]);
    bls_fp_neg(&ps[0].y, &ps[0].y);
    ps[1] = pk->pk;
    return bls_pairing_check_var(ps, qs, 2) ? BLS_OK : BLS_VERIFY_FAIL;
}

/* The one-shot forms: the key is decoded first, so a bad key is reported
 * before the signature is looked at.  For G1 signatures the plain Miller
 * loop is used (preparing lines for a single use would not pay off). */
bls_status bls_verify_sig_g1_var(const uint8_t pk_g2[96], const uint8_t *msg, size_t msg_len,
                             const uint8_t *dst, size_t dst_len, const uint8_t sig_g1[48]) {
    bls_g2_affine qs[2];
    bls_g1_affine ps[2];
    bls_g1 h;
    bls_status st = decode_sig_g2(&qs[1], pk_g2); /* same rules as a G2 signature */
    if (st != BLS_OK) return st;
    st = decode_sig_g1(&ps[0], sig_g1);
    if (st != BLS_OK) return st;
    if (bls_hash_to_g1_var(&h, msg, msg_len, dst, dst_len) != 0) return BLS_VERIFY_FAIL;
    bls_g1_to_affine_var(&ps[1], &h);
    bls_fp_neg(&ps[0].y, &ps[0].y);
    bls_g2_generator_affine(&qs[0]);
    return bls_pairing_check_var(ps, qs, 2) ? BLS_OK : BLS_VERIFY_FAIL;
}

bls_status bls_verify_sig_g2_var(const uint8_t pk_g1[48], const uint8_t *msg, size_t msg_len,
                             const uint8_t *dst, size_t dst_len, const uint8_t sig_g2[96]) {
    bls_pk_g1 pk;
    bls_status st = bls_pk_g1_decode_var(&pk, pk_g1);
    if (st != BLS_OK) return st;
    return bls_verify_sig_g2_pk_var(&pk, msg, msg_len, dst, dst_len, sig_g2);
}
