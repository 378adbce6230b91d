/* drand HTTP client (libcurl): fetches verified beacons from a list of
 * relays with timeouts, retries with backoff and failover.
 *
 * Relay API (v1): GET <relay>/<chainhash>/info and
 * GET <relay>/<chainhash>/public/<round|latest>.  For each relay the client
 * first checks /info against the pinned chain (the chain hash is recomputed
 * from the served fields and every field compared), then asks for the
 * beacon and verifies it (round, signature, randomness).  A relay that
 * lies (bad info, bad signature, another round, a stale "latest") is
 * abandoned for the next one; network errors, timeouts and 5xx answers are
 * retried with exponential backoff before moving on.  A future round is
 * refused unless waiting is enabled, in which case the client sleeps until
 * the round's scheduled time and treats "too early" answers (425, 404) as
 * "retry shortly". */
#ifndef NS_DRAND_HTTP_H
#define NS_DRAND_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drand/beacon.h"
#include "drand/chains.h"
#include "util/error.h"

typedef struct {
    const char *const *relays; /* base URLs (http/https) or NS_DRAND_SIM_RELAY ("sim:", the
                                  in-process simulator, drand/sim.h); NULL: the League of
                                  Entropy relays */
    size_t n_relays;
    long timeout_ms;           /* per request (default 10000) */
    int attempts;              /* tries per relay for transient failures (default 3) */
    long backoff_ms;           /* first retry delay, doubled each time (default 500) */
    int wait;                  /* wait for a future round's time */
    long max_wait_s;           /* refuse to wait longer than this (default 3600) */
    int check_info;            /* fetch and check /info first (default 1) */
    unsigned flags;            /* NS_DRAND_ALLOW_SIM */
    FILE *log;                 /* progress/diagnostic lines, or NULL */
} ns_drand_fetch_opts;

void ns_drand_fetch_opts_init(ns_drand_fetch_opts *o);

/* The public League of Entropy relays. */
const char *const *ns_drand_default_relays(size_t *n);

/* Fetches and verifies one beacon of chain c: round >= 1, or 0 for the
 * latest.  On success out holds a verified beacon. */
int ns_drand_fetch(ns_drand_beacon *out, const ns_drand_chain *c, uint64_t round,
                   const ns_drand_fetch_opts *o, ns_error *err);

/* Fetches <relay>/<chainhash>/info and checks it against the pinned chain c. */
int ns_drand_fetch_check_info(const ns_drand_chain *c, const char *relay,
                              const ns_drand_fetch_opts *o, ns_error *err);

#endif
