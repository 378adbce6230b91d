/* The ceremony bundle directory.
 *
 * Files: circuit.tar, circuit.r1cs, final.zkey, verification_key.json,
 * verifier.runtime.bin, Groth16Verifier.sol, attestation-1.cose,
 * attestation-2.cose, drand.json, manifest.json, and for
 * a run with the simulated NSM SIMULATED-nsm-root.der (the run-time test
 * root the documents chain to).  See docs/ceremony.md.
 *
 * The bundle is assembled in a staging directory next to the destination
 * ("<dir>.partial-XXXXXX") and renamed into place only when complete, so a
 * failed run never leaves a directory that looks like a bundle. */
#ifndef NS_PROTOCOL_BUNDLE_H
#define NS_PROTOCOL_BUNDLE_H

#include <stddef.h>

#include "util/error.h"

#define NS_BUNDLE_SIM_ROOT "SIMULATED-nsm-root.der"
/* Format 3 (docs/onchain.md): the on-chain verifier for final.zkey, its
 * runtime code (raw bytes) and its Solidity source. */
#define NS_BUNDLE_VERIFIER_RUNTIME "verifier.runtime.bin"
#define NS_BUNDLE_VERIFIER_SOURCE "Groth16Verifier.sol"

typedef struct {
    char dest[4096];
    char stage[4096 + 32];
} ns_bundle_stage;

/* Fails if dest exists and is not an empty directory. */
int ns_bundle_stage_open(ns_bundle_stage *b, const char *dest, ns_error *err);
/* "<stage>/<name>" into out. */
void ns_bundle_stage_path(char *out, size_t cap, const ns_bundle_stage *b, const char *name);
int ns_bundle_stage_commit(ns_bundle_stage *b, ns_error *err);
/* Removes the staging directory and everything in it. */
void ns_bundle_stage_abort(ns_bundle_stage *b);

/* Copies a file (streamed) atomically. */
int ns_copy_file(const char *dst, const char *src, ns_error *err);

#endif
