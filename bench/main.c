/* nitrosetup-bench: our figures beside the reference implementation's,
 * measured in the same run.  A separate executable so that the product
 * (`nitrosetup`, the enclave image) carries neither node spawning nor the
 * build machine's source path. */
#include "bench.h"
#include "cli/commands.h"
#include "cli/opt.h"

const char ns_program_name[] = "nitrosetup-bench";

static const ns_cli_subcommand BENCHES[] = {
    {"curve", ns_bench_curve, "BN254 field, scalar multiplication, batch multiply, MSM, pairing vs ffjavascript"},
    {"drand", ns_bench_drand, "drand beacon verification vs @noble/curves"},
    {"model", ns_bench_model, "the enclave memory model's table for docs/scale.md (computed, not measured)"},
};

int main(int argc, char **argv) {
    return ns_cli_dispatch(NULL,
                           "Benchmarks print our figure beside the reference implementation's, measured\n"
                           "in the same run, with ratio > 1 meaning we are faster; --json for programs.\n"
                           "The references run in node with the npm packages under $NS_COMPAT/node_modules\n"
                           "(default: <source>/tests/compat, <source> = $NS_SOURCE or the build's source tree).\n",
                           BENCHES, sizeof BENCHES / sizeof BENCHES[0], argc, argv);
}
