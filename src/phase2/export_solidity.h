/* The on-chain Groth16 verifier for a key (docs/onchain.md): nitrosetup's own
 * contract (contracts/Groth16Verifier.sol, MIT), with snarkjs's ABI
 * verifyProof(uint[2] a, uint[2][2] b, uint[2] c, uint[n] pubSignals).  Its
 * runtime code for a verification key is the compiled generic contract
 * (compiled in, contracts/Groth16Verifier.runtime.hex) followed by the key
 * and a trailer word, made here in C without solc:
 *
 *   runtime = PREFIX || alpha(2) beta(4) gamma(4) delta(4) IC[0..n](2 each) || trailer
 *
 * 32-byte big-endian words, G2 in EIP-197 order (x.im x.re y.im y.re), the
 * point at infinity as zeros; trailer = selector(4) || 24 zero bytes || n
 * (4 bytes, big-endian).  With n = 0 the selector is that of
 * verifyProof(uint256[2],uint256[2][2],uint256[2]) (Solidity has no uint[0]). */
#ifndef NS_PHASE2_EXPORT_SOLIDITY_H
#define NS_PHASE2_EXPORT_SOLIDITY_H

#include <stddef.h>
#include <stdint.h>

#include "formats/zkey.h"
#include "util/error.h"

#define NS_EIP170_MAX_CODE 24576 /* EIP-170: the largest deployable runtime code */
#define NS_VERIFIER_SOURCE_NAME "Groth16Verifier.sol"
#define NS_VERIFIER_CONTRACT_NAME "NitrosetupGroth16Verifier"

/* The compiled generic contract (the prefix of every runtime code) and the
 * Solidity source it was compiled from (not NUL-terminated). */
const uint8_t *ns_verifier_prefix_code(size_t *len);
const char *ns_verifier_source(size_t *len);

/* Runtime code length for n public signals. */
uint64_t ns_verifier_runtime_len(uint32_t npublic);

/* The runtime code for z's verification key (malloc'd into *code).  Every
 * point is checked (coordinates below q, on the curve, G2 in the subgroup);
 * errors name the file.  The code may exceed EIP-170 (more than about 360
 * public signals): callers that deploy check len against NS_EIP170_MAX_CODE. */
int ns_verifier_runtime(uint8_t **code, size_t *len, const ns_zkey *z, ns_error *err);
/* The same from a zkey file (opened, read, closed). */
int ns_verifier_runtime_file(uint8_t **code, size_t *len, const char *zkey_path, ns_error *err);

/* Deployable init code: a 13-byte loader that returns the runtime code
 * appended to it (PUSH3 len DUP1 PUSH1 13 PUSH1 0 CODECOPY PUSH1 0 RETURN).
 * -1 if the runtime is 2^24 bytes or more. */
int ns_verifier_initcode(uint8_t **code, size_t *len, const uint8_t *runtime, size_t runtime_len, ns_error *err);

/* The 4-byte selector of snarkjs's verifyProof for n public signals. */
void ns_verifier_selector(uint8_t sel[4], uint32_t npublic);

/* The contract's ABI for n public signals as JSON (malloc'd, NUL-terminated). */
char *ns_verifier_abi_json(uint32_t npublic);

/* Writes into dir (created if missing): Groth16Verifier.sol (the source),
 * verifier.runtime.bin (raw runtime code), verifier.init.hex (0x-prefixed
 * init code, for eth_sendTransaction), verifier.abi.json; each atomically.
 * keccak_out (32 bytes, may be NULL) receives keccak256(runtime), which is
 * the deployed contract's EXTCODEHASH; len_out (may be NULL) its length. */
int ns_export_solidity(const char *dir, const ns_zkey *z, uint8_t *keccak_out, size_t *len_out, ns_error *err);

#endif
