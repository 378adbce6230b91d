/* The production engine: the real phase-2, Nitro and drand modules.
 *
 * local = 1 selects the simulated NSM (run-time test PKI) and reports the
 * Nitro environment checks as simulated; drand_sim = 1 selects the
 * simulated drand chain.  Anything produced with either is SIMULATED. */
#ifndef NS_APP_ENGINE_REAL_H
#define NS_APP_ENGINE_REAL_H

#include "protocol/engine.h"

typedef struct {
    int local;
    int drand_sim;
    int allow_sim_verify;   /* verifier: accept the simulated drand chain / NSM root */
    const char *drand_relays; /* comma-separated relay URLs, or NULL for the defaults */
} ns_engine_opts;

/* Returns 0, or -1 (e.g. the simulated NSM cannot be started). */
int ns_engine_real_init(ns_engine *e, const ns_engine_opts *opts, ns_error *err);
void ns_engine_real_free(ns_engine *e);

#endif
