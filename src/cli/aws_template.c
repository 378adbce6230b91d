/* `nitrosetup aws template [--bootstrap]`: the job stack's CloudFormation
 * template (deploy/aws/job.yaml, compiled in), the one the tool creates each
 * job's stack from, or the instance's bootstrap it uploads. */
#include <stdio.h>

#include "app/deploy_files.h"
#include "cli/aws_commands.h"
#include "cli/opt.h"

static const ns_cmd_spec TEMPLATE = {
    "aws template", "", 0, 0,
    "Prints the CloudFormation template of an AWS job's stack (deploy/aws/job.yaml\n"
    "as this program was built with it), byte for byte, or with --bootstrap the\n"
    "instance's bootstrap script it uploads as in/bootstrap.sh.  For linting\n"
    "(cfn-lint) and for reading what a job creates (docs/aws-host.md).\n",
};

int ns_aws_cmd_template(int argc, char **argv) {
    int bootstrap = 0, rc;
    const ns_opt OPTS[] = {
        OPT_BOOL(0, "bootstrap", &bootstrap, "print deploy/aws/bootstrap.sh instead"),
        OPT_END(),
    };
    if (ns_opt_parse(&TEMPLATE, OPTS, &argc, argv, &rc) != 0) return rc;
    size_t len;
    const char *text = bootstrap ? ns_deploy_bootstrap_sh(&len) : ns_deploy_job_yaml(&len);
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        fprintf(stderr, "%s: aws template: cannot write to standard output\n", ns_program_name);
        return 2;
    }
    return 0;
}
