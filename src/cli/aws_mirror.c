/* `nitrosetup aws mirror-ptau`: the requester-pays ptau mirror
 * (docs/aws-mirror.md). */
#include <stdio.h>

#include "cli/aws_commands.h"
#include "cli/commands.h"
#include "cli/opt.h"

static const ns_cmd_spec SPEC = {
    "aws mirror-ptau", "", 0, 0,
    "Makes or refreshes the requester-pays ptau mirror (docs/aws-mirror.md).\n",
};

int ns_aws_cmd_mirror_ptau(int argc, char **argv) {
    int rc;
    const ns_opt OPTS[] = {OPT_END()};
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    fprintf(stderr, "nitrosetup: aws mirror-ptau: not built yet\n");
    return 2;
}
