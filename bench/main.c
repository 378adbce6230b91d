/* nitrosetup-bench: our figures beside the reference implementation's,
 * measured in the same run.  A separate executable so that the product
 * (`nitrosetup`, the enclave image) carries neither node spawning nor the
 * build machine's source path. */
#include <stdio.h>
#include <string.h>

#include "bench.h"
#include "cli/opt.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} BENCHES[] = {
    {"curve", ns_bench_curve, "BN254 field, scalar multiplication, batch multiply, MSM, pairing vs ffjavascript"},
    {"drand", ns_bench_drand, "drand beacon verification vs @noble/curves"},
};

static void usage(FILE *out) {
    fprintf(out, "usage: nitrosetup-bench <benchmark> [<args>]\n\n"
                 "Benchmarks print our figure beside the reference implementation's, measured\n"
                 "in the same run, with ratio > 1 meaning we are faster; --json for programs.\n"
                 "The references run in node with the npm packages under $NS_COMPAT/node_modules\n"
                 "(default: <source>/tests/compat, <source> = $NS_SOURCE or the build's source tree).\n\n");
    for (size_t i = 0; i < sizeof BENCHES / sizeof BENCHES[0]; i++)
        fprintf(out, "  %-8s %s\n", BENCHES[i].name, BENCHES[i].summary);
    fprintf(out, "\nRun 'nitrosetup-bench <benchmark> --help' for options.\n");
}

int main(int argc, char **argv) {
    ns_opt_set_program("nitrosetup-bench");
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof BENCHES / sizeof BENCHES[0]; i++)
        if (strcmp(argv[1], BENCHES[i].name) == 0) return BENCHES[i].run(argc - 1, argv + 1);
    fprintf(stderr, "nitrosetup-bench: '%s' is not a benchmark. See 'nitrosetup-bench --help'.\n", argv[1]);
    return 2;
}
