/* Running circom, the one foreign program a ceremony executes on source the
 * host chose, before the enclave's secret exists.
 *
 * ns_circom_run confines it so that nothing it leaves behind can reach the
 * secret later: it runs in its own process group, in fresh PID and network
 * namespaces where the kernel allows (the namespace's init is circom; when
 * it ends the kernel kills everything left in the namespace), with
 * PR_SET_NO_NEW_PRIVS, no core dumps, bounded file sizes and no capability
 * at all (so even as uid 0 it cannot ptrace or read the non-dumpable caller).
 * Afterwards its process group is killed and any process it left behind
 * that was re-parented to the caller (a child subreaper) is killed and
 * reaped.  The caller (the enclave) additionally makes itself non-dumpable. */
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

/* 1 when the sandbox's namespaces were available in the last run (tests). */
int ns_circom_last_run_namespaced(void);

#endif
