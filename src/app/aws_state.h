/* The local state of an AWS job: $XDG_STATE_HOME/nitrosetup/jobs/J.json
 * (else ~/.local/state/nitrosetup/jobs/J.json), written atomically
 * (temporary file, fsync, rename) before every call that changes something
 * in AWS, so that an interrupted run, a lost machine or a second Ctrl-C
 * leave enough to resume or tear down.  One run drives a job at a time:
 * ns_aws_state_lock takes an flock on J.lock beside it. */
#ifndef NS_APP_AWS_STATE_H
#define NS_APP_AWS_STATE_H

#include <stddef.h>

#include "util/error.h"

#define NS_AWS_MAX_PINS 8

typedef struct {
    char job[48];
    char region[64], profile[128], account[16], caller[512], bucket[128];
    char stack_name[96], stack_id[512], instance[64];
    /* preflight, upload, create, boot, compute, download, teardown, done */
    char phase[16];
    /* "" while it runs; then ok, failed, interrupted, detached */
    char result[16];
    char cause[768];          /* why it failed, one line */
    char created[32], deadline[32], expires_at[32];
    char instance_type[64];
    double usd_hour, gp3_gb_month;
    int disk_gib;
    int max_minutes;
    int delete_attempts;      /* delete-stack calls so far (tokens delete-J-N) */
    char outdir[4096];        /* where the bundle goes */
    char eif[4096];           /* the image used (its PCRs pin the verification) */
    char ptau[4096];          /* --ptau, for the verification, or "" */
    char pins[NS_AWS_MAX_PINS][129];
    int npins;
    int downloaded;           /* the bundle is complete and checked */
    int torn_down;            /* teardown finished and the proof was written */
    int proof_ok;
    int lock_fd;              /* not saved: -1 when not locked */
} ns_aws_job;

/* The jobs directory (made when missing); 0 or -1. */
int ns_aws_state_dir(char *out, size_t cap, ns_error *err);

/* (New ids and the id rule: host/job_file.h, ns_job_new_id and
 * ns_job_id_valid.) */

void ns_aws_job_init(ns_aws_job *j, const char *id);

/* Writes the state atomically; 0 or -1. */
int ns_aws_state_save(const ns_aws_job *j, ns_error *err);

/* Reads J.json into j (lock_fd -1); -1 with "no state file" when missing
 * (*missing = 1) or unreadable. */
int ns_aws_state_load(ns_aws_job *j, const char *id, int *missing, ns_error *err);

/* Takes the job's lock (non-blocking); -1 when another run holds it. */
int ns_aws_state_lock(ns_aws_job *j, ns_error *err);
void ns_aws_state_unlock(ns_aws_job *j);

/* The ids of every state file (malloc'd array of malloc'd strings, sorted). */
int ns_aws_state_list(char ***ids, size_t *n, ns_error *err);
void ns_aws_state_list_free(char **ids, size_t n);

#endif
