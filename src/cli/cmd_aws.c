/* `nitrosetup aws <subcommand>`: the AWS side of a ceremony (docs/aws-job.md).
 * Dispatch only; each subcommand lives in its own file (aws_commands.h). */
#include "cli/aws_commands.h"
#include "cli/commands.h"

static const ns_cli_subcommand SUBS[] = {
    {"template", ns_aws_cmd_template, "print the job stack's CloudFormation template (or --bootstrap)"},
};

int ns_cmd_aws(int argc, char **argv) {
    return ns_cli_dispatch("aws", "A ceremony on AWS (docs/aws-job.md, docs/aws-host.md).\n", SUBS,
                           sizeof SUBS / sizeof SUBS[0], argc, argv);
}
