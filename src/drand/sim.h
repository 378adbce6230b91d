/* In-process signer for the simulated drand chain ("sim" in chains.h).
 *
 * The test key is public by design: secret = SHA-256("nitrosetup drand
 * simulator test key") (used unreduced; [k]P = [k mod r]P in the prime-order
 * groups), so its beacons prove nothing and are accepted only with
 * NS_DRAND_ALLOW_SIM.  Signatures are deterministic BLS signatures, identical
 * to those of tests/compat/oracles/drand_sim.js (@noble/curves).  It lets a
 * simulated ceremony (--drand-sim) run without a relay: pass the relay
 * NS_DRAND_SIM_RELAY to ns_drand_fetch. */
#ifndef NS_DRAND_SIM_H
#define NS_DRAND_SIM_H

#include <stdint.h>

#include "drand/beacon.h"
#include "drand/chains.h"
#include "util/error.h"

/* Relay name that makes ns_drand_fetch sign simulated beacons in-process. */
#define NS_DRAND_SIM_RELAY "sim:"

/* The test key's public key (G2, compressed). */
void ns_drand_sim_public_key(uint8_t out[96]);

/* Signs round `round` (>= 1) of the simulated chain c.  Needs c->simulated,
 * a public key equal to the test key's, and NS_DRAND_ALLOW_SIM in flags.
 * Does not check the clock (ns_drand_fetch does). */
int ns_drand_sim_sign(ns_drand_beacon *out, const ns_drand_chain *c, uint64_t round, unsigned flags,
                      ns_error *err);

#endif
