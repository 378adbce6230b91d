/* zkey verify (snarkjs 0.7.6 semantics, docs/phase2.md, plus stricter
 * input validation).
 *
 * Checks, in snarkjs' order: for every contribution the transcript, the
 * proof of knowledge (sameRatio with g2_sp = hashToG2(transcript)), the delta
 * chain and, for beacons, the recomputed key; then the header against the
 * initial key (curve, sizes, alpha/beta/gamma, delta1 == last deltaAfter,
 * delta2 matches delta1), the circuit hash, sections 3..7 byte-identical to
 * the initial key, and sections 8 (L) and 9 (H) by random linear
 * combinations with 64-bit weights and pairings (H against the ptau's
 * monomial tauG1 powers).  Every point is validated (canonical, on curve,
 * G2 in the subgroup) before use. */
#ifndef NS_PHASE2_VERIFY_H
#define NS_PHASE2_VERIFY_H

#include <stdint.h>

#include "phase2/transcript.h"
#include "util/error.h"

typedef struct {
    int mpc_ok;           /* section 10 parsed: cs_hash/mpc/hashes are filled */
    uint8_t cs_hash[64];
    ns_zkey_mpc mpc;        /* contributions as stored */
    uint8_t (*hash)[64];  /* contribution hash of each record (mpc.n entries) */
} ns_phase2_verify_report;

/* Verifies zkey_path.  The initial key is init_path when given, otherwise
 * it is regenerated from r1cs_path and ptau_path (zkey new).  Returns 0 when
 * the key is valid, -1 otherwise with err naming the failed check (input
 * errors included).  rep may be NULL; when given, release it with
 * ns_phase2_verify_report_free. */
int ns_phase2_verify(const char *zkey_path, const char *init_path, const char *r1cs_path,
                     const char *ptau_path, int threads, ns_phase2_verify_report *rep,
                     ns_error *err);
void ns_phase2_verify_report_free(ns_phase2_verify_report *rep);

#endif
