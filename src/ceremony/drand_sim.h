/* The simulated drand chain's signer, for `ceremony --drand-sim`.
 *
 * The "sim" chain (drand/chains.h) is quicknet-like (bls-unchained-g1-rfc9380)
 * with a published key: sk = SHA-256("nitrosetup drand simulator test key")
 * (used unreduced: [k]P = [k mod r]P).  Anyone can sign its rounds, so its
 * beacons prove nothing; bundles using it are SIMULATED. */
#ifndef NS_CEREMONY_DRAND_SIM_H
#define NS_CEREMONY_DRAND_SIM_H

#include <stdint.h>

#include "drand/beacon.h"
#include "drand/chains.h"
#include "util/error.h"

/* Waits until the round's scheduled time (like a real network, the round
 * does not exist before), then signs it.  c must be the simulated chain. */
int ns_drand_sim_sign(ns_drand_beacon *out, const ns_drand_chain *c, uint64_t round, ns_error *err);

#endif
