/* `nitrosetup aws` subcommands (argv[0] is the subcommand name); the table
 * is in src/cli/cmd_aws.c, each subcommand in its own file. */
#ifndef NS_CLI_AWS_COMMANDS_H
#define NS_CLI_AWS_COMMANDS_H

int ns_aws_cmd_pack(int argc, char **argv);        /* src/cli/aws_pack.c */
int ns_aws_cmd_mirror_ptau(int argc, char **argv); /* src/cli/aws_mirror.c */
int ns_aws_cmd_template(int argc, char **argv);    /* src/cli/aws_template.c */

int ns_aws_cmd_setup(int argc, char **argv);    /* src/cli/aws_jobcmds.c */
int ns_aws_cmd_status(int argc, char **argv);   /* src/cli/aws_jobcmds.c */
int ns_aws_cmd_resume(int argc, char **argv);   /* src/cli/aws_jobcmds.c */
int ns_aws_cmd_download(int argc, char **argv); /* src/cli/aws_jobcmds.c */
int ns_aws_cmd_teardown(int argc, char **argv); /* src/cli/aws_jobcmds.c */
int ns_aws_cmd_jobs(int argc, char **argv);     /* src/cli/aws_jobcmds.c */

#endif
