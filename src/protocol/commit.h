/* Attestation #1's user_data: a compact CBOR commitment to the ceremony's
 * inputs, the compiler and the enclave's contribution.
 *
 *   [ 2,                      version (uint)
 *     bstr64 circuit bundle,  BLAKE2b-512 of circuit.tar
 *     bstr64 r1cs,            BLAKE2b-512 of the r1cs the enclave compiled
 *     bstr64 ptau,            BLAKE2b-512 of the ptau
 *     bstr64 zkey 0000,       BLAKE2b-512 of the initial zkey
 *     bstr64 contribution,    the enclave contribution's hash (snarkjs)
 *     bstr32 drand chain,     the pinned chain hash
 *     uint   margin,          seconds added to T before picking the round
 *     bstr64 circom program,  BLAKE2b-512 of the circom executable the enclave ran
 *     tstr   circom version ] its `--version` line, 1..64 printable ASCII bytes
 *
 * Definite lengths, shortest encodings: at most 505 bytes, under the
 * 512-byte portable user_data limit.  Decoding accepts only this exact form. */
#ifndef NS_PROTOCOL_COMMIT_H
#define NS_PROTOCOL_COMMIT_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_COMMIT_VERSION 2
#define NS_COMMIT_MAX 512
#define NS_CIRCOM_VERSION_MAX 64

typedef struct {
    uint8_t cbundle[64], r1cs[64], ptau[64], zkey0[64], contrib[64];
    uint8_t chain[32];
    uint32_t margin;
    uint8_t circom[64];
    char circom_version[NS_CIRCOM_VERSION_MAX + 1]; /* NUL-terminated */
} ns_commitment;

/* Returns the encoded length (<= NS_COMMIT_MAX), 0 if circom_version is not
 * 1..64 printable ASCII bytes. */
size_t ns_commitment_encode(uint8_t out[NS_COMMIT_MAX], const ns_commitment *c);
int ns_commitment_decode(ns_commitment *c, const uint8_t *in, size_t len, ns_error *err);

/* 1 when s is 1..NS_CIRCOM_VERSION_MAX printable ASCII bytes. */
int ns_circom_version_ok(const char *s);

#endif
