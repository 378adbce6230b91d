/* zkey contribute and zkey beacon (snarkjs 0.7.6 byte-compatible,
 * docs/snarkjs-formats.md and docs/phase2.md).
 *
 * Both apply a new factor δ to a Groth16 key: delta1/delta2 are multiplied
 * by δ, every point of sections 8 (L) and 9 (H) by δ^-1, and a record with
 * the proof of knowledge of δ is appended to section 10.  The output has
 * sections 1..10 in that order, as snarkjs writes them.  They differ only in
 * where δ comes from: a ChaCha RNG seeded from secret randomness
 * (contribute) or from the iterated SHA-256 of a public beacon value
 * (beacon, deterministic: byte-identical to snarkjs).
 *
 * The secret path (seed, δ, δ^-1) only touches constant-time code and is
 * wiped with ns_wipe as soon as it is no longer needed. */
#ifndef NS_PHASE2_CONTRIBUTE_H
#define NS_PHASE2_CONTRIBUTE_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* snarkjs getRandomRng: seed = BLAKE2b-512(os_random(64) || UTF-8 entropy).
 * The RNG uses the first 32 bytes (big-endian words). */
int ns_phase2_mix_entropy(uint8_t seed[64], const uint8_t os_random[64], const char *entropy,
                          ns_error *err);
/* getrandom(2) for 64 bytes, then ns_phase2_mix_entropy.  entropy may be
 * NULL or empty (then only OS randomness is used). */
int ns_phase2_random_seed(uint8_t seed[64], const char *entropy, ns_error *err);

typedef struct {
    uint8_t cs_hash[64];           /* circuit hash (section 10) */
    uint8_t contribution_hash[64]; /* H(hashPubKey(new record)) */
    uint32_t index;                /* 1-based number of the new contribution */
} ns_phase2_result;

/* Adds a secret contribution.  seed is the already-mixed 64-byte seed
 * (ns_phase2_random_seed, or the enclave's own); it is not modified (the
 * caller wipes it).  name may be NULL.  threads <= 0: all cores.
 * consume_input: the input's storage is freed as it is read
 * (ns_mapfile_open_consume), for an input the caller deletes afterwards (the
 * enclave, whose files are RAM): input + output then hold about one key.  The
 * input is unusable afterwards, also when the call fails. */
int ns_phase2_contribute(const char *in_path, const char *out_path, const uint8_t seed[64],
                         const char *name, int threads, int consume_input, ns_phase2_result *res,
                         ns_error *err);

/* Applies a random beacon: beacon_hash (1..255 bytes), 10 <= exp <= 63. */
int ns_phase2_beacon(const char *in_path, const char *out_path, const uint8_t *beacon_hash,
                     size_t beacon_hash_len, unsigned exp, const char *name, int threads,
                     int consume_input, ns_phase2_result *res, ns_error *err);

#endif
