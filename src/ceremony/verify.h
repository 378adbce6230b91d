/* Offline verification of a ceremony bundle (docs/ceremony.md, "Verifier").
 *
 * Every check is run (not stop-at-first) and recorded as one line; the
 * bundle passes only when every check passed.  A simulated bundle (simulated
 * NSM or drand chain) fails unless allow_simulated. */
#ifndef NS_CEREMONY_VERIFY_H
#define NS_CEREMONY_VERIFY_H

#include <stdint.h>

#include "ceremony/engine.h"
#include "util/error.h"

#define NS_VERIFY_MAX_CHECKS 64

typedef enum { NS_CHECK_PASS = 0, NS_CHECK_FAIL = 1, NS_CHECK_SKIP = 2, NS_CHECK_WARN = 3 } ns_check_status;

typedef struct {
    char name[64];
    ns_check_status status;
    char detail[400];
} ns_check;

typedef struct {
    int n;
    ns_check c[NS_VERIFY_MAX_CHECKS];
    int simulated;
    int ok; /* every check PASS (WARN allowed) */
} ns_verify_report;

typedef struct {
    const ns_engine *eng;          /* the real engine, with simulated chains allowed if allow_simulated */
    const char *ptau;              /* --ptau FILE, or NULL (then the zkey check is skipped: not ok) */
    int allow_simulated;
    uint32_t pcr_mask;             /* --pcr N=HEX */
    uint8_t pcr[32][48];
    uint32_t margin;               /* the pinned margin (NS_ENCLAVE_DRAND_MARGIN_S) */
    int beacon_exp;                /* NS_ENCLAVE_BEACON_EXP */
    const uint8_t *chain_hash;     /* the pinned production chain (quicknet) */
    const char *workdir;           /* scratch for the re-exported verification key */
} ns_verify_opts;

/* Fills rep; returns 0 when the checks ran, -1 on an internal error. */
int ns_bundle_verify(ns_verify_report *rep, const char *dir, const ns_verify_opts *o, ns_error *err);

#endif
