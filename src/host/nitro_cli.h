/* Starting and stopping the enclave on AWS with nitro-cli.
 *
 *   nitro-cli run-enclave --eif-path X.eif --cpu-count N --memory M [--debug-mode]
 *   nitro-cli terminate-enclave --enclave-id ID
 *   nitro-cli describe-enclaves
 *
 * --debug-mode is passed only when the user asks; a debug enclave's
 * documents have PCR0 = 0, the enclave records it in the manifest and the
 * verifier fails such a bundle.  The command name is "nitro-cli" unless
 * NS_NITRO_CLI names another (tests use a stand-in script). */
#ifndef NS_HOST_NITRO_CLI_H
#define NS_HOST_NITRO_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef struct {
    char enclave_id[128];
    uint32_t cid;
} ns_nitro_enclave;

/* Parses run-enclave's JSON output ({"EnclaveID", "EnclaveCID", ...}). */
int ns_nitro_parse_run_output(ns_nitro_enclave *out, const char *json, size_t len, ns_error *err);
int ns_nitro_run_enclave(ns_nitro_enclave *out, const char *eif, int cpu_count, int memory_mib, int debug,
                         ns_error *err);
int ns_nitro_terminate(const char *enclave_id, ns_error *err);
/* nitro-cli terminate-enclave --all (the EC2 host at power-off). */
int ns_nitro_terminate_all(ns_error *err);

/* The State describe-enclaves reports for enclave_id ("RUNNING",
 * "TERMINATING", ...), or "absent" when it is not listed.  -1 when
 * describe-enclaves itself fails or answers no JSON array. */
int ns_nitro_enclave_state(char *state, size_t cap, const char *enclave_id, ns_error *err);
/* The same on describe-enclaves' output (exposed for the unit tests). */
int ns_nitro_parse_state(char *state, size_t cap, const char *json, size_t len, const char *enclave_id, ns_error *err);

#endif
