/* `nitrosetup aws <subcommand>`: the AWS side of a ceremony (docs/aws-job.md).
 * Dispatch only; each subcommand lives in its own file (aws_commands.h). */
#include "cli/aws_commands.h"
#include "cli/commands.h"

static const ns_cli_subcommand SUBS[] = {
    {"pack", ns_aws_cmd_pack, "<circuit.circom> -o JOBDIR ...: the inputs of an AWS job (job.json and its files)"},
    {"mirror-ptau", ns_aws_cmd_mirror_ptau, "--bucket NAME: make or refresh the requester-pays ptau mirror"},
    {"template", ns_aws_cmd_template, "print the job stack's CloudFormation template (or --bootstrap)"},
};

int ns_cmd_aws(int argc, char **argv) {
    return ns_cli_dispatch("aws",
                           "A ceremony on AWS: job inputs, the ptau mirror (docs/aws-job.md, docs/aws-host.md,\n"
                           "docs/aws-mirror.md).  The AWS CLI v2 is $NITROSETUP_AWS, else 'aws' on PATH.\n",
                           SUBS, sizeof SUBS / sizeof SUBS[0], argc, argv);
}
