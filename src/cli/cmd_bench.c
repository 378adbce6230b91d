/* `nitrosetup bench <name>`: dispatch only. */
#include "cli/commands.h"

static const ns_cli_subcommand SUBS[] = {
    {"curve", ns_bench_curve, "BN254 field, scalar multiplication, batch multiply, MSM, pairing vs ffjavascript"},
    {"drand", ns_bench_drand, "drand beacon verification vs @noble/curves"},
};

int ns_cmd_bench(int argc, char **argv) {
    return ns_cli_dispatch("bench",
                           "Benchmarks print our figure beside the reference implementation's, measured\n"
                           "in the same run, with ratio > 1 meaning we are faster; --json for programs.\n",
                           SUBS, sizeof SUBS / sizeof SUBS[0], argc, argv);
}
