/* `nitrosetup host`: the host side alone, connecting to a running enclave
 * (cmd_ceremony.c), or with --job the EC2 host of an AWS job (cmd_host_job.c). */
#include <string.h>

#include "cli/commands.h"

int ns_cmd_host(int argc, char **argv) {
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--job") == 0 || strncmp(argv[i], "--job=", 6) == 0) return ns_host_job_main(argc, argv);
    return ns_ceremony_main(argc, argv, 1);
}
