/* BLS signature verification on BLS12-381 (contract: curve/bls12_381.h).
 * One multi-Miller loop over two pairs and one final exponentiation; the
 * signature (a G1 point in both schemes' pairing pair) is negated. */
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

bls_status bls_verify_sig_g1(const uint8_t pk_g2[96], const uint8_t *msg, size_t msg_len,
                             const uint8_t *dst, size_t dst_len, const uint8_t sig_g1[48]) {
    bls_g2_affine pk, g2a;
    bls_g1_affine sig, ha;
    bls_g1 h;
    bls_g2 g2;
    bls_status st = bls_g2_from_compressed_var(&pk, pk_g2);
    if (st != BLS_OK) return st;
    if (pk.inf) return BLS_IS_IDENTITY;
    st = bls_g1_from_compressed_var(&sig, sig_g1);
    if (st != BLS_OK) return st;
    if (sig.inf) return BLS_IS_IDENTITY;
    if (bls_hash_to_g1_var(&h, msg, msg_len, dst, dst_len) != 0) return BLS_VERIFY_FAIL;
    bls_g1_to_affine_var(&ha, &h);
    bls_g2_generator(&g2);
    bls_g2_to_affine_var(&g2a, &g2);
    /* e(-sig, g2) * e(H(m), pk) == 1 */
    bls_fp_neg(&sig.y, &sig.y);
    bls_g1_affine ps[2] = {sig, ha};
    bls_g2_affine qs[2] = {g2a, pk};
    return bls_pairing_check_var(ps, qs, 2) ? BLS_OK : BLS_VERIFY_FAIL;
}

bls_status bls_verify_sig_g2(const uint8_t pk_g1[48], const uint8_t *msg, size_t msg_len,
                             const uint8_t *dst, size_t dst_len, const uint8_t sig_g2[96]) {
    bls_g1_affine pk, g1a;
    bls_g2_affine sig, ha;
    bls_g2 h;
    bls_g1 g1;
    bls_status st = bls_g1_from_compressed_var(&pk, pk_g1);
    if (st != BLS_OK) return st;
    if (pk.inf) return BLS_IS_IDENTITY;
    st = bls_g2_from_compressed_var(&sig, sig_g2);
    if (st != BLS_OK) return st;
    if (sig.inf) return BLS_IS_IDENTITY;
    if (bls_hash_to_g2_var(&h, msg, msg_len, dst, dst_len) != 0) return BLS_VERIFY_FAIL;
    bls_g2_to_affine_var(&ha, &h);
    bls_g1_generator(&g1);
    bls_g1_to_affine_var(&g1a, &g1);
    /* e(-g1, sig) * e(pk, H(m)) == 1 */
    bls_fp_neg(&g1a.y, &g1a.y);
    bls_g1_affine ps[2] = {g1a, pk};
    bls_g2_affine qs[2] = {sig, ha};
    return bls_pairing_check_var(ps, qs, 2) ? BLS_OK : BLS_VERIFY_FAIL;
}
