/* The untrusted host side of a ceremony: prepares the inputs (circuit
 * bundle, compile, ptau, 0000.zkey) and drives the protocol with the
 * enclave, writing the received results into a bundle staging directory.
 *
 * NS_TEST_HOSTILE (environment, TEST ONLY, read by the CLI) makes the host
 * misbehave on purpose so the tests can check that the enclave refuses:
 *   wrong-ptau, untrusted-ptau, tamper-0000, wrong-round, bad-signature, wrong-drand-chain,
 *   wrong-certchain, oversize-frame, truncated-frame, oversize-file,
 *   kill-enclave.
 * It has no effect unless set; a bundle is never produced in those modes. */
#ifndef NS_HOST_HOST_H
#define NS_HOST_HOST_H

#include "protocol/bundle.h"
#include "protocol/engine.h"
#include "protocol/policy.h"
#include "proto/conn.h"
#include <stddef.h>

#include "util/error.h"

typedef struct {
    const ns_engine *eng;
    const char *circuit;
    /* Prebuilt inputs instead of bundling and compiling circuit (the EC2
     * host has no circom; the enclave compiles again and compares): both or
     * neither. */
    const char *cbundle_file, *r1cs_file;
    const char *const *libdirs;
    int nlibs;
    const char *circom_cmd;
    const char *ptau_file;      /* --ptau, or NULL */
    const ns_ptau_pins *pins;   /* --trust-ptau pins (NULL: none) */
    const char *ptau_cache;     /* cache directory for downloads, or NULL */
    const char *workdir;        /* host scratch directory */
    const char *hostile;        /* test-only misbehaviour, or NULL */
    void (*kill_enclave)(void *ctx); /* used by the kill-enclave test mode */
    void *kill_ctx;
} ns_host_cfg;

typedef struct {
    char cbundle[4096], r1cs[4096], ptau[4096], zkey0[4096];
    char ptau_name[128];
    ns_ptau_trust ptau_trust;
    uint8_t ptau_hash[64];
} ns_host_inputs;

/* Prints "nitrosetup: [who] step: message" on stderr. */
void ns_host_log(const char *who, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The ptau cache: $NS_PTAU_CACHE, else $XDG_CACHE_HOME/nitrosetup/ptau,
 * else ~/.cache/nitrosetup/ptau ("" when none applies). */
void ns_host_ptau_cache_dir(char *out, size_t cap);

/* Circuit bundle, compile, ptau (pick, obtain, hash check), zkey new. */
int ns_host_prepare(ns_host_inputs *in, const ns_host_cfg *cfg, ns_error *err);

/* Drives the protocol on a connected channel; on success the staging
 * directory holds the complete bundle. */
int ns_host_session(const ns_host_cfg *cfg, const ns_host_inputs *in, ns_conn *c,
                    const ns_bundle_stage *stage, ns_error *err);

#endif
