#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

static const char BENCH_HELP[] =
    "usage: nitrosetup bench <name> [--json] [--threads N]\n\n"
    "Benchmarks print our figure beside the reference implementation's, measured\n"
    "in the same run, with ratio = reference time / our time (> 1: we are faster).\n\n"
    "  curve    BN254 field, scalar multiplication, batch multiply, MSM, pairing\n"
    "           against ffjavascript (node)\n"
    "  drand    drand beacon verification against @noble/curves (node)\n";

int ns_cmd_bench(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(BENCH_HELP, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "curve") == 0) return ns_bench_curve(argc - 1, argv + 1);
    if (strcmp(argv[1], "drand") == 0) return ns_bench_drand(argc - 1, argv + 1);
    return ns_cli_usage_error("bench", "unknown benchmark '%s'", argv[1]);
}
