/* The end of every AWS job, whatever happened before: the teardown state
 * machine and the "nothing left" proof (docs/aws.md, research note §3.4 and
 * §3.6).
 *
 * Teardown, keyed by the job id only (the state file helps but is not
 * needed): find the stack (its id from the state, else by name among live
 * and deleted stacks); delete it with the token delete-J-N (the state file
 * records N before the call); wait by id; on DELETE_FAILED terminate the
 * instance when it is the resource that failed and delete again; then the
 * tag sweep (instances, volumes, network interfaces, addresses tagged
 * nitrosetup:job = J) and the abort of open multipart uploads under the
 * job prefix.  Every step is a describe first, so running it twice changes
 * nothing the second time.
 *
 * The proof asks AWS again, one check per kind of thing that could be left
 * running or billing, and keeps every answer. */
#ifndef NS_APP_AWS_TEARDOWN_H
#define NS_APP_AWS_TEARDOWN_H

#include <jansson.h>

#include "app/aws_state.h"
#include "aws/cli.h"

/* How the job logic talks to the user: one line at a time (the CLI prints
 * it on stderr).  progress lines replace each other on a terminal. */
typedef struct {
    void (*line)(void *u, const char *text);
    void (*progress)(void *u, const char *text);
    void *u;
    int poll_ms;      /* between two polls (NITROSETUP_POLL_S, default 15 s) */
    int heartbeat_s;  /* heartbeat loss after this long (NITROSETUP_HEARTBEAT_LOSS_S, default 600) */
} ns_aws_ui;

void ns_aws_say(const ns_aws_ui *ui, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The teardown; 0 when everything it found is gone or going, -1 with err
 * (e.g. expired credentials: run it again later). */
int ns_aws_teardown(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err);

/* The proof: runs every check, prints one ✓/✗ line each, writes the
 * answers as JSON to each of the paths given (NULL-terminated; a missing
 * directory is made), sets *all_ok.  -1 only when nothing could be
 * written. */
int ns_aws_prove(const ns_aws *a, const ns_aws_job *j, const ns_aws_ui *ui, const char *const *paths, int *all_ok,
                 ns_error *err);

/* Teardown + proof into the bundle directory (j->outdir/aws-teardown.json)
 * and the state directory (J.teardown.json); updates and saves the state.
 * 0 when the proof is all ✓. */
int ns_aws_finish(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err);

#endif
