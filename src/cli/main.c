/* nitrosetup: git-style dispatcher over the command table. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "util/interrupt.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command COMMANDS[] = {
    {"ceremony", ns_cmd_ceremony, "run a complete trusted setup (on AWS Nitro, or --local)"},
    {"verify", ns_cmd_verify, "verify a ceremony bundle offline"},
    {"zkey", ns_cmd_zkey, "phase-2 engine: new, contribute, beacon, verify, export, info"},
    {"r1cs", ns_cmd_r1cs, "inspect a circom .r1cs file"},
    {"ptau", ns_cmd_ptau, "inspect, hash and pick powers-of-tau files"},
    {"drand", ns_cmd_drand, "drand chains, round arithmetic, fetch and verify beacons"},
    {"attestation", ns_cmd_attestation, "verify and show AWS Nitro attestation documents"},
    {"eif", ns_cmd_eif, "measure an enclave image file (PCR0/1/2/8)"},
    {"host", ns_cmd_host, "the untrusted host process of a ceremony"},
    {"enclave", ns_cmd_enclave, "the trusted enclave workload of a ceremony"},
};

static void usage(FILE *out) {
    fprintf(out,
            "usage: nitrosetup <command> [<args>]\n"
            "       nitrosetup --version | --help\n\n"
            "Groth16 phase-2 trusted setup inside AWS Nitro Enclaves, snarkjs 0.7.6 compatible.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(out, "  %-12s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fprintf(out, "\nRun 'nitrosetup <command> --help' for a command's options.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("nitrosetup %s\n", NS_VERSION);
        return 0;
    }
    /* Interrupted commands remove their partial output and children
     * (util/interrupt.h). */
    ns_interrupt_start();
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(argv[1], COMMANDS[i].name) == 0) return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "nitrosetup: '%s' is not a command. See 'nitrosetup --help'.\n", argv[1]);
    return 2;
}
