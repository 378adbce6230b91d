/* Shared by the commands that drive AWS jobs (src/cli/aws_ui.c): the
 * user-facing side of app/aws_job.h and app/aws_teardown.h. */
#ifndef NS_CLI_AWS_RUN_H
#define NS_CLI_AWS_RUN_H

#include "app/aws_job.h"
#include "app/aws_state.h"
#include "app/aws_teardown.h"
#include "aws/cli.h"
#include "nitro/eif.h"
#include "util/hex.h"

typedef struct {
    ns_aws_ui ui;
    int tty;
    int progress_shown;
    int json;       /* the verification report as JSON on stdout (verify --json) */
    char last[512];
} ns_cli_aws_ui;

/* Messages on stderr; NITROSETUP_POLL_S and NITROSETUP_HEARTBEAT_LOSS_S (seconds,
 * fractions allowed) set the poll interval (15) and the heartbeat loss
 * threshold (600). */
void ns_cli_aws_ui_init(ns_cli_aws_ui *u);

/* --region, else AWS_REGION, else AWS_DEFAULT_REGION, else NULL. */
const char *ns_cli_aws_region(const char *given);

/* What a second Ctrl-C prints (the resume command and the deadline). */
void ns_cli_aws_farewell(const ns_aws_job *j);

/* The rest of a job: drive it (when drive), then teardown and proof always,
 * then verify the bundle (when verify and it was downloaded).  The exit
 * code: 0, 1 (failed), 130 (interrupted), or verify's. */
int ns_cli_aws_finish_job(const ns_aws *a, ns_aws_job *j, ns_cli_aws_ui *u, int drive, int verify);

#endif
