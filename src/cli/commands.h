/* Entry points of the CLI commands.  Each takes the arguments after its own
 * name (argv[0] is the command name) and returns the process exit code:
 * 0 success, 1 a check failed (verify-style commands), 2 bad usage or input. */
#ifndef NS_CLI_COMMANDS_H
#define NS_CLI_COMMANDS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/r1cs.h"
#include "util/error.h"
#include "util/mapfile.h"

int ns_cmd_zkey(int argc, char **argv);        /* src/cli/cmd_zkey.c */
int ns_cmd_r1cs(int argc, char **argv);        /* src/cli/cmd_r1cs.c */
int ns_cmd_ptau(int argc, char **argv);        /* src/cli/cmd_ptau.c */
int ns_cmd_drand(int argc, char **argv);       /* src/cli/cmd_drand.c */
int ns_cmd_attestation(int argc, char **argv); /* src/cli/cmd_attestation.c */
int ns_cmd_eif(int argc, char **argv);         /* src/cli/cmd_eif.c */
int ns_cmd_eif_build(int argc, char **argv);   /* src/cli/cmd_eif_build.c: `eif build` */
int ns_cmd_ceremony(int argc, char **argv);    /* src/cli/cmd_ceremony.c */
int ns_cmd_host(int argc, char **argv);        /* src/cli/cmd_host.c */
int ns_cmd_enclave(int argc, char **argv);     /* src/cli/cmd_enclave.c */
int ns_cmd_verify(int argc, char **argv);      /* src/cli/cmd_verify.c */
int ns_cmd_aws(int argc, char **argv);         /* src/cli/cmd_aws.c */

/* `host --job` (src/cli/cmd_host_job.c): the EC2 host of an AWS job. */
int ns_host_job_main(int argc, char **argv);

/* Shared by `ceremony` and `host` (src/cli/cmd_ceremony.c): host_mode 1 = connect to a running enclave. */
int ns_ceremony_main(int argc, char **argv, int host_mode);

/* Shared helpers for command implementations (src/cli/cli_util.c). */

/* Prints the one line "nitrosetup: <cmd>: <message> (see 'nitrosetup <cmd> --help')" and returns 2. */
int ns_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Maps and parses the r1cs file at path (mapping closed again on failure);
 * 0, or -1 with err set. */
int ns_cli_open_r1cs(ns_r1cs *r, ns_mapfile *map, const char *path, ns_error *err);

/* Parses a --pcr value "N=HEX" (N in 0..31, 48 bytes = 96 hex digits) into
 * pcr[N] and sets bit N of *mask; a usage error of cmd (returns 2) otherwise. */
int ns_cli_parse_pcr(const char *cmd, const char *arg, uint32_t *mask, uint8_t pcr[][48]);

/* Table-driven subcommand dispatch for command groups (zkey, drand, ...) and,
 * with group NULL, for the program's commands: prints the help (intro, then
 * one line per subcommand) for no argument (exit 2) or --help/-h (exit 0),
 * runs the named subcommand with argv shifted by one, and reports an unknown
 * name as a usage error (exit 2). */
typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} ns_cli_subcommand;

int ns_cli_dispatch(const char *group, const char *intro, const ns_cli_subcommand *subs, size_t nsubs,
                    int argc, char **argv);

#endif
