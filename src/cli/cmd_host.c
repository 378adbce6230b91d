/* `nitrosetup host`: the host side alone, connecting to a running enclave. */
#include "cli/commands.h"


int ns_cmd_host(int argc, char **argv) { return ns_ceremony_main(argc, argv, 1); }
