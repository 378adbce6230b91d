/* `nitrosetup aws pack`: the inputs of an AWS job in a directory
 * (docs/aws-job.md "in/"); the work is app/job_pack. */
#include <stdio.h>

#include "cli/aws_commands.h"
#include "cli/commands.h"
#include "cli/opt.h"

static const ns_cmd_spec SPEC = {
    "aws pack", "<circuit.circom>", 1, 1,
    "Makes JOBDIR/{job.json, circuit.tar, circuit.r1cs, enclave.eif,\n"
    "nitrosetup-host-<arch>.tar.gz}: the inputs of one AWS job (docs/aws-job.md).\n",
};

int ns_aws_cmd_pack(int argc, char **argv) {
    int rc;
    const ns_opt OPTS[] = {OPT_END()};
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    fprintf(stderr, "nitrosetup: aws pack: not built yet\n");
    return 2;
}
