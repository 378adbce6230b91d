/* Placeholder until the owning issue lands: refuses to run. */
#include <stdio.h>

#include "cli/zkey_commands.h"

int ns_zkey_cmd_new(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "nitrosetup: zkey new: not implemented yet\n");
    return 2;
}
