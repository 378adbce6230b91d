/* drand beacons: JSON decoding, message construction, verification.
 *
 * Messages (the bytes given to hash-to-curve):
 *   chained   (pedersen-bls-chained):  M = SHA-256(previous_signature || be64(round))
 *             previous_signature of round 1 is the 32-byte genesis seed
 *   unchained (all other schemes):     M = SHA-256(be64(round))
 * randomness = SHA-256(signature) is always recomputed; a relay's
 * `randomness` field, when present, must equal it. */
#ifndef NS_DRAND_BEACON_H
#define NS_DRAND_BEACON_H

#include <stddef.h>
#include <stdint.h>

#include "drand/chains.h"
#include "util/error.h"

/* Largest beacon JSON accepted. */
#define NS_DRAND_JSON_MAX 65536

typedef struct {
    uint64_t round;
    uint8_t signature[96];
    size_t signature_len;
    uint8_t previous_signature[96];
    size_t previous_signature_len;
    int has_previous_signature;   /* the field was present (possibly empty) */
    uint8_t randomness[32];       /* as given by the relay */
    int has_randomness;
} ns_drand_beacon;

/* Decodes drand's beacon JSON ({"round":N,"signature":hex,
 * "previous_signature":hex?,"randomness":hex?}).  round must be a JSON
 * integer >= 1; hex fields at most 96 bytes, randomness exactly 32. Other
 * fields are ignored.  Does not verify anything cryptographic. */
int ns_drand_beacon_parse(ns_drand_beacon *out, const char *json, size_t len, ns_error *err);

/* The 32-byte message for the chain's scheme; fails for a chained beacon
 * without a usable previous signature. */
int ns_drand_beacon_message(uint8_t out[32], const ns_drand_chain *c, const ns_drand_beacon *b,
                            ns_error *err);

/* SHA-256 of the signature bytes. */
void ns_drand_beacon_randomness(uint8_t out[32], const ns_drand_beacon *b);

/* Full verification against a (pinned) chain: simulated chains only with
 * NS_DRAND_ALLOW_SIM; lengths; previous signature rules; randomness field;
 * BLS signature (decoding, subgroup and identity checks, pairing).  Returns
 * 0 if valid, -1 with a one-line reason otherwise. */
int ns_drand_beacon_verify(const ns_drand_chain *c, const ns_drand_beacon *b, unsigned flags,
                           ns_error *err);

/* Parse + verify + (if expected_round != 0) round check, in one call. */
int ns_drand_beacon_verify_json(ns_drand_beacon *out, const ns_drand_chain *c, const char *json,
                                size_t len, uint64_t expected_round, unsigned flags, ns_error *err);

/* drand-style JSON of a beacon with the recomputed randomness:
 * {"round":N,"randomness":hex,"signature":hex[,"previous_signature":hex]}.
 * Returns a malloc'd NUL-terminated string, or NULL on allocation failure. */
char *ns_drand_beacon_to_json(const ns_drand_chain *c, const ns_drand_beacon *b);

#endif
