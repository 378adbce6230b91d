/* One ceremony on AWS, from a packed job directory (app/job_pack: job.json
 * and its input files) to a downloaded, checked bundle (docs/aws.md,
 * docs/aws-job.md).  The steps, each resumable from the state file
 * (app/aws_state.h):
 *
 *   ns_aws_account   who the caller is, the job bucket (made by `aws setup`)
 *   ns_aws_plan_job  the rest of the preflight, before anything costs money:
 *                    instance type (enclave support, memory for the enclave
 *                    on one NUMA node, offered in a zone with a default
 *                    subnet), vCPU quota, credentials that outlive the job,
 *                    the live price and the estimate
 *   ns_aws_launch    state file, upload of in/, create-stack
 *   ns_aws_drive     wait for the stack, follow out/status.json (heartbeat,
 *                    instance state, deadline) until DONE.json or
 *                    FAILED.json, then download out/bundle/ checked against
 *                    MANIFEST.sha256 and DONE.json
 *
 * The teardown and its proof are app/aws_teardown.h, always run after. */
#ifndef NS_APP_AWS_JOB_H
#define NS_APP_AWS_JOB_H

#include <stdint.h>

#include "app/aws_state.h"
#include "app/aws_teardown.h"
#include "aws/cli.h"

typedef struct {
    char instance_type[64];
    int vcpus;
    long long mem_mib;
    uint32_t enclave_mib, enclave_cpus;
    char arch[16];                 /* x86_64 or arm64 */
    char vpc[64], subnet[64], az[32];
    double quota_vcpus;
    double usd_hour, gp3_gb_month;
    int disk_gib;
    double expected_hours, max_hours;
    double estimate_usd, max_usd;
    char ptau_bucket[64];
    char job_sha256[65];
    char packdir[4096];
    char summary[2048];            /* the estimate, several lines */
} ns_aws_plan;

/* The caller's account and the job bucket nitrosetup-jobs-<account>-<region>
 * (into j); -1 with the way out when the bucket does not exist. */
int ns_aws_account(const ns_aws *a, ns_aws_job *j, ns_error *err);

/* The preflight on a packed job (packdir/job.json): fills plan.
 * instance_type NULL: the cheapest listed type whose enclave share holds the
 * job's enclave (protocol/sizing.h).  check_credentials 0 skips the
 * credential lifetime check (--detach: resume later with fresh ones). */
int ns_aws_plan_job(const ns_aws *a, const ns_aws_job *j, ns_aws_plan *plan, const char *packdir,
                    const char *instance_type, double max_hours, int check_credentials, ns_error *err);

/* Saves the state, uploads in/ (bootstrap.sh from the compiled-in copy,
 * job.json, the input files) and creates the stack (token create-J); the
 * state holds the StackId once it is known. */
int ns_aws_launch(const ns_aws *a, ns_aws_job *j, const ns_aws_plan *plan, const ns_aws_ui *ui, ns_error *err);

typedef enum {
    NS_AWS_DONE = 0,        /* the bundle is downloaded and checked */
    NS_AWS_FAILED,          /* j->cause says why (stack, host, heartbeat, instance, download) */
    NS_AWS_INTERRUPTED,     /* a signal is pending (util/interrupt.h) */
    NS_AWS_CREDENTIALS,     /* the credentials stopped working: keep the state, resume later */
} ns_aws_outcome;

/* Continues the job from its phase (create, boot, compute, download) to
 * the end of the download. */
ns_aws_outcome ns_aws_drive(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err);

/* Only the download (resumable: files already complete and correct are
 * kept). */
ns_aws_outcome ns_aws_download(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err);

/* The job's status on one line for `aws status` / `aws jobs`: phase,
 * stack, instance, the host's last status (reads out/status.json). */
int ns_aws_status_line(const ns_aws *a, const ns_aws_job *j, char *out, size_t cap, ns_error *err);

/* Hours from the ISO time to now (0 when unknown). */
double ns_aws_hours_since(const char *iso);

#endif
