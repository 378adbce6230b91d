/* The enclave workload: serves one ceremony over a protocol connection.
 *
 * Order (docs/ceremony.md): environment checks, HELLO/ENV, receive the
 * circuit bundle, 0000.zkey and the ptau under hard size limits, compile,
 * check the ptau, verify 0000, contribute (secret wiped at once), drop 0000,
 * verify 0001, attestation #1, certificate chain check, wait for the drand
 * round, beacon, drop 0001, verify final, export the verification key,
 * manifest, attestation #2, send everything.  Any failure is reported to
 * the host as an ERROR frame and returned.
 *
 * The host is not trusted: the ptau must pass the policy (protocol/policy.h)
 * before any work (its hash is announced in HELLO and checked again on
 * receipt), every wait has one absolute deadline, and the host may not send
 * PROGRESS frames. */
#ifndef NS_ENCLAVE_ENCLAVE_H
#define NS_ENCLAVE_ENCLAVE_H

#include <stdint.h>

#include "protocol/engine.h"
#include "protocol/policy.h"
#include "proto/conn.h"
#include "util/error.h"


typedef struct {
    const ns_engine *eng;
    const char *workdir;       /* scratch directory for inputs and results */
    const char *circom_cmd;    /* circom command inside the enclave */
    uint32_t margin;           /* NS_ENCLAVE_DRAND_MARGIN_S unless testing */
    int beacon_exp;            /* NS_ENCLAVE_BEACON_EXP */
    uint64_t max_cbundle, max_zkey, max_ptau;
    int drand_wait_extra_s;    /* how long past the round's time to wait for it */
    ns_ptau_pins pins;         /* run-time ptau pins (--trust-ptau): refused unless the NSM is
                                  simulated (local mode); an image's pins are compiled in */
    int control_wait_s;        /* deadline for each short control message from the host */
    uint64_t min_rate;         /* input files: bytes per second at least (one deadline per file) */
} ns_enclave_cfg;

void ns_enclave_cfg_defaults(ns_enclave_cfg *cfg, const ns_engine *eng, const char *workdir,
                             const char *circom_cmd);

/* Runs the environment checks and gathers entropy; call before accepting
 * the connection.  Fills checks[]; returns -1 if any check failed. */
int ns_enclave_check_env(const ns_enclave_cfg *cfg, ns_env_check *checks, int *n, int cap,
                         ns_error *err);

/* Serves one ceremony.  env_ok/env_err: the result of ns_enclave_check_env,
 * reported to the host before anything else. */
int ns_enclave_serve(const ns_enclave_cfg *cfg, ns_conn *c, const ns_env_check *checks, int nchecks,
                     int env_ok, const ns_error *env_err, ns_error *err);

#endif
