/* The BN254 moduli, written once: the base-field prime q and the group order
 * (scalar-field prime) r, as 64-bit little-endian limbs, plus the Montgomery
 * constants every 4-limb Montgomery product over them needs.
 *
 *   q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
 *   r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
 *
 * Everything else is derived from these macros at compile time: the limb
 * arrays of ff/bn254_fq.c, ff/bn254_fr.c and ff/bn254_fq_fast.h, the signed
 * 62-bit form in ff/bn254_fq_inv_var.c, and the 32-byte little-endian forms
 * bn254_q_le / bn254_r_le that the file formats compare headers against.
 * tests/unit/test_bn254_field.c re-derives the Montgomery constants from q and
 * r at run time. */
#ifndef NS_FF_BN254_CONSTS_H
#define NS_FF_BN254_CONSTS_H

#include <stdint.h>

#define BN254_Q0 0x3c208c16d87cfd47ULL
#define BN254_Q1 0x97816a916871ca8dULL
#define BN254_Q2 0xb85045b68181585dULL
#define BN254_Q3 0x30644e72e131a029ULL
#define BN254_QINV 0x87d20782e4866389ULL /* -q^-1 mod 2^64 */

#define BN254_R0 0x43e1f593f0000001ULL
#define BN254_R1 0x2833e84879b97091ULL
#define BN254_R2 0xb85045b68181585dULL
#define BN254_R3 0x30644e72e131a029ULL
#define BN254_RINV 0xc2e1f593efffffffULL /* -r^-1 mod 2^64 */

/* Initialisers: {q}, {q - 2} (the Fermat exponent), {r}, {r - 2}. */
#define BN254_Q_LIMBS {BN254_Q0, BN254_Q1, BN254_Q2, BN254_Q3}
#define BN254_QM2_LIMBS {BN254_Q0 - 2, BN254_Q1, BN254_Q2, BN254_Q3}
#define BN254_R_LIMBS {BN254_R0, BN254_R1, BN254_R2, BN254_R3}
#define BN254_RM2_LIMBS {BN254_R0 - 2, BN254_R1, BN254_R2, BN254_R3}

/* The 8 little-endian bytes of a 64-bit constant, for byte-array initialisers. */
#define BN254_LE8(w)                                                                                  \
    (uint8_t)(w), (uint8_t)((w) >> 8), (uint8_t)((w) >> 16), (uint8_t)((w) >> 24), (uint8_t)((w) >> 32), \
        (uint8_t)((w) >> 40), (uint8_t)((w) >> 48), (uint8_t)((w) >> 56)

/* q and r as 32-byte little-endian integers (the form r1cs, ptau and zkey
 * headers store them in); defined in ff/bn254_fq.c. */
extern const uint8_t bn254_q_le[32];
extern const uint8_t bn254_r_le[32];

#endif
