/* Placeholder until the owning issue lands: refuses to run. */
#include <stdio.h>

#include "cli/zkey_commands.h"

int ns_zkey_cmd_contribute(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "nitrosetup: zkey contribute: not implemented yet\n");
    return 2;
}

int ns_zkey_cmd_beacon(int argc, char **argv) {
    (void)argc;
    (void)argv;
    fprintf(stderr, "nitrosetup: zkey beacon: not implemented yet\n");
    return 2;
}
