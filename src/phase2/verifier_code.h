/* The compiled generic verifier contract and its Solidity source, compiled in
 * from contracts/ by CMake (cmake/verifier_code.c.in): one source of truth,
 * contracts/Groth16Verifier.runtime.hex, which contracts/build.js checks
 * against solc.  Internal to phase2: use phase2/export_solidity.h. */
#ifndef NS_PHASE2_VERIFIER_CODE_H
#define NS_PHASE2_VERIFIER_CODE_H

#include <stddef.h>
#include <stdint.h>

extern const uint8_t ns_verifier_prefix[];
extern const size_t ns_verifier_prefix_len;
extern const uint8_t ns_verifier_sol[];
extern const size_t ns_verifier_sol_len;

#endif
