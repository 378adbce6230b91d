/* Placeholder until the owning issue lands: refuses to run. */
#include <stdio.h>

#include "cli/commands.h"

int ns_bench_curve(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "nitrosetup: bench curve: not implemented yet\n");
    return 2;
}
