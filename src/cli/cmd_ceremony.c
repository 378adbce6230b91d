/* Placeholder until the owning issue lands: refuses to run. */
#include <stdio.h>

#include "cli/commands.h"

int ns_cmd_ceremony(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "nitrosetup: ceremony: not implemented yet\n");
    return 2;
}
