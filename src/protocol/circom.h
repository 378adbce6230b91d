/* Running circom, the one foreign program a ceremony executes on source the
 * host chose, before the enclave's secret exists: always confined
 * (util/proc.h, opts.confine: own process group, PID and network
 * namespaces where available, no capabilities, no new privileges, no core
 * dumps, bounded files; its leftovers killed when it ends), so nothing it
 * leaves behind can reach the secret later.  The enclave itself is
 * non-dumpable (no ptrace or process_vm_readv without CAP_SYS_PTRACE). */
#ifndef NS_PROTOCOL_CIRCOM_H
#define NS_PROTOCOL_CIRCOM_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/commit.h"
#include "util/error.h"

#define NS_CIRCOM_MAX_ARGS 64

typedef struct {
    uint8_t hash[64];                               /* the program, see ns_circom_identify */
    char version[NS_CIRCOM_VERSION_MAX + 1];        /* `--version`, first line */
} ns_circom_id;

/* Splits cmd on spaces into argv (at most NS_CIRCOM_MAX_ARGS - 16 words,
 * leaving room for arguments); words point into buf (cap bytes). */
int ns_circom_split(char **argv, int *argc, char *buf, size_t cap, const char *cmd, ns_error *err);

/* Identifies the circom command: hash = BLAKE2b-512 over, for each word of
 * cmd, the word and NUL, then for a word that names a regular file (the
 * first word looked up in PATH) the BLAKE2b-512 of that file's bytes; and
 * the first line `cmd --version` prints, run confined like ns_circom_run
 * with workdir as working directory. */
int ns_circom_identify(ns_circom_id *id, const char *cmd, const char *workdir, ns_error *err);

/* Runs argv confined (see above) in dir, stdout and stderr to log (or
 * to a pipe read into out/cap when out != NULL), stdin /dev/null.  *status
 * gets the wait status of circom.  0, or -1 when it could not be started. */
int ns_circom_run(int *status, char *const *argv, const char *dir, const char *log, char *out, size_t cap,
                  ns_error *err);

#endif
