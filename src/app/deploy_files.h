/* The files of an AWS job that the tool uploads (docs/aws-job.md,
 * docs/aws-host.md): deploy/aws/job.yaml, the job's CloudFormation
 * template, and deploy/aws/bootstrap.sh, the instance's second stage.
 * CMake compiles them into the program from the source tree
 * (cmake/deploy_files.c.in), so a user needs no checkout and the bytes the
 * tool uploads are those its version was built with. */
#ifndef NS_APP_DEPLOY_FILES_H
#define NS_APP_DEPLOY_FILES_H

#include <stddef.h>

/* deploy/aws/job.yaml: its bytes (followed by a NUL that *len does not
 * count); len may be NULL. */
const char *ns_deploy_job_yaml(size_t *len);

/* deploy/aws/bootstrap.sh: its bytes (followed by a NUL that *len does not
 * count); len may be NULL.  Uploaded unchanged as in/bootstrap.sh and
 * pinned by the stack parameter BootstrapSha256. */
const char *ns_deploy_bootstrap_sh(size_t *len);

#endif
