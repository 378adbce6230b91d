/* Offline verification of a ceremony bundle (docs/ceremony.md, "Verifier").
 *
 * The verifier is a table of named steps; each adds one or more checks
 * (PASS, FAIL, SKIP or WARN).  Every step runs (not stop-at-first).  The
 * verdict has two levels:
 *   ok       no check failed or was skipped;
 *   trusted  ok, no warning, not simulated: nobody can forge proofs with
 *            final.zkey unless they broke the Nitro enclave, AWS's
 *            signing keys, drand's threshold key or the ptau's phase 1.
 * A warning never makes a bundle trusted.  The only warnings are ones the
 * user asked for (--allow-simulated); a ptau or an enclave image that is not
 * pinned is a failure. */
#ifndef NS_APP_VERIFY_H
#define NS_APP_VERIFY_H

#include <stdint.h>

#include "protocol/engine.h"
#include "protocol/policy.h"
#include "util/error.h"

#define NS_VERIFY_MAX_CHECKS 64
#define NS_VERIFY_MAX_LIBS 16

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
    int ok;      /* no FAIL and no SKIP */
    int trusted; /* ok, no WARN, not simulated */
    int nwarn;
    uint8_t pcr[3][48]; /* attestation 1's PCR0..2 (valid when have_pcrs) */
    int have_pcrs;
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
    const char *workdir;           /* scratch (verification key, --circuit, --recompile); NULL: those fail */
    ns_ptau_pins pins;             /* --trust-ptau */
    const char *circuit;           /* --circuit main.circom, or NULL */
    const char *libdirs[NS_VERIFY_MAX_LIBS];
    int nlibs;
    int recompile;                 /* --recompile */
    const char *circom_cmd;        /* for --recompile */
    const char *rpc_url;           /* --rpc URL: an Ethereum JSON-RPC endpoint, or NULL */
    uint8_t address[20];           /* --address: the deployed verifier to compare (with rpc_url) */
} ns_verify_opts;

/* The enclave-image decision for attestation 1's PCRs (the "enclave image"
 * check): PASS when PCR0..2 equal the --pcr values or a released image;
 * otherwise FAIL (WARN for a simulated bundle with allow_simulated). */
ns_check_status ns_verify_image(char *detail, size_t cap, const ns_doc_info *d, const ns_verify_opts *o,
                                int simulated);

/* Fills rep; returns 0 when the checks ran, -1 on an internal error. */
int ns_bundle_verify(ns_verify_report *rep, const char *dir, const ns_verify_opts *o, ns_error *err);

#endif
