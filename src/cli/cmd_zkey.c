/* `nitrosetup zkey <subcommand>`: dispatch only; each subcommand lives in
 * its own file (src/cli/zkey_*.c). */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/zkey_commands.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand SUBS[] = {
    {"new", ns_zkey_cmd_new, "<circuit.r1cs> <pot.ptau> <out.zkey>: initial key (= snarkjs zkey new)"},
    {"contribute", ns_zkey_cmd_contribute, "<in.zkey> <out.zkey>: add a secret contribution"},
    {"beacon", ns_zkey_cmd_beacon, "<in.zkey> <out.zkey> <hashHex> <exp>: apply a random beacon"},
    {"verify", ns_zkey_cmd_verify, "<circuit.r1cs> <pot.ptau> <in.zkey>: verify a key and its history"},
    {"export", ns_zkey_cmd_export, "verificationkey <in.zkey> <vk.json>: export the verification key"},
    {"info", ns_zkey_cmd_info, "<in.zkey>: header, sizes and contributions"},
};

int ns_cmd_zkey(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *out = argc < 2 ? stderr : stdout;
        fprintf(out, "usage: nitrosetup zkey <subcommand> [<args>]\n\n"
                     "Native Groth16 phase-2 engine; reads and writes snarkjs 0.7.6 .zkey files.\n\n");
        for (size_t i = 0; i < sizeof SUBS / sizeof SUBS[0]; i++)
            fprintf(out, "  %-11s %s\n", SUBS[i].name, SUBS[i].summary);
        fprintf(out, "\nRun 'nitrosetup zkey <subcommand> --help' for options.\n");
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < sizeof SUBS / sizeof SUBS[0]; i++)
        if (strcmp(argv[1], SUBS[i].name) == 0) return SUBS[i].run(argc - 1, argv + 1);
    return ns_cli_usage_error("zkey", "unknown subcommand '%s'", argv[1]);
}
