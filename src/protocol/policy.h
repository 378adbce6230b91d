/* The ceremony's trust policy for phase 1: which powers-of-tau files a
 * ceremony may build on.
 *
 * Whoever knows a ptau's secrets (tau, alpha, beta) can forge proofs for
 * every key made from it, whatever phase 2 does.  So a ptau is accepted only
 * when it is
 *   - a Hermez file of the compiled-in table (formats/hermez.h), or
 *   - pinned in the image: a BLAKE2b-512 compiled in at build time
 *     (CMake -DNS_TRUSTED_PTAU=hex[,hex...]), so the enclave's PCRs cover it, or
 *   - pinned by the user at run time (--trust-ptau HEX): accepted by the
 *     verifier, the host and a LOCAL enclave only (and recorded in the
 *     manifest); an enclave on Nitro accepts no run-time pin.
 * Anything else is refused before any work. */
#ifndef NS_PROTOCOL_POLICY_H
#define NS_PROTOCOL_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* The beacon policy, pinned in the image and checked by the verifier: the
 * round is the first one strictly after attestation #1's time + margin, and
 * the beacon is applied with this numIterationsExp. */
#define NS_ENCLAVE_DRAND_MARGIN_S 10
#define NS_ENCLAVE_BEACON_EXP 10

typedef enum {
    NS_PTAU_UNTRUSTED = 0,
    NS_PTAU_HERMEZ = 1,     /* in the Hermez table */
    NS_PTAU_IMAGE_PIN = 2,  /* compiled in (NS_TRUSTED_PTAU) */
    NS_PTAU_USER_PIN = 3,   /* --trust-ptau */
} ns_ptau_trust;

#define NS_PTAU_MAX_PINS 8

typedef struct {
    int n;
    uint8_t hash[NS_PTAU_MAX_PINS][64];
} ns_ptau_pins;

/* Adds a pin given as 128 hex digits; one-line error naming the option. */
int ns_ptau_pins_add_hex(ns_ptau_pins *p, const char *hex, ns_error *err);

/* Decides the trust of a ptau by its BLAKE2b-512.  user may be NULL.  For
 * Hermez files name receives the file name, otherwise "custom". */
ns_ptau_trust ns_ptau_policy_check(char *name, size_t cap, const uint8_t hash[64], const ns_ptau_pins *user);

/* "hermez", "image-pin", "user-pin", "untrusted" (the manifest's ptau.trust). */
const char *ns_ptau_trust_name(ns_ptau_trust t);
int ns_ptau_trust_from_name(ns_ptau_trust *t, const char *s);

/* The error for an untrusted ptau: names the hash and the way out. */
int ns_ptau_untrusted_error(ns_error *err, const char *what, const uint8_t hash[64]);

/* Number of pins compiled into this build (NS_TRUSTED_PTAU). */
int ns_ptau_image_pin_count(void);

#endif
