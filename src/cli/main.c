/* nitrosetup: git-style dispatcher over the command table. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "util/interrupt.h"

const char ns_program_name[] = "nitrosetup";

static const ns_cli_subcommand COMMANDS[] = {
    {"ceremony", ns_cmd_ceremony, "run a complete trusted setup (on AWS Nitro, or --local)"},
    {"verify", ns_cmd_verify, "verify a ceremony bundle offline"},
    {"zkey", ns_cmd_zkey, "phase-2 engine: new, contribute, beacon, verify, export, info"},
    {"r1cs", ns_cmd_r1cs, "inspect a circom .r1cs file"},
    {"ptau", ns_cmd_ptau, "inspect, hash and pick powers-of-tau files"},
    {"drand", ns_cmd_drand, "drand chains, round arithmetic, fetch and verify beacons"},
    {"attestation", ns_cmd_attestation, "verify and show AWS Nitro attestation documents"},
    {"eif", ns_cmd_eif, "build and measure enclave image files (PCR0/1/2/8)"},
    {"host", ns_cmd_host, "the untrusted host process of a ceremony"},
    {"enclave", ns_cmd_enclave, "the trusted enclave workload of a ceremony"},
    {"aws", ns_cmd_aws, "a ceremony on AWS: job inputs, the ptau mirror"},
};

int main(int argc, char **argv) {
    if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0)) {
        printf("nitrosetup %s\n", NS_VERSION);
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "help") == 0) argv[1] = "--help";
    /* Interrupted commands remove their partial output and children
     * (util/interrupt.h). */
    ns_interrupt_start();
    return ns_cli_dispatch(NULL,
                           "Groth16 phase-2 trusted setup inside AWS Nitro Enclaves, snarkjs 0.7.6 compatible.\n"
                           "'nitrosetup --version' prints the version.\n",
                           COMMANDS, sizeof COMMANDS / sizeof COMMANDS[0], argc, argv);
}
