/* Child processes: start, wait, capture, stop (circom, the local enclave,
 * nitro-cli, the AWS CLI).
 *
 * Every child is tracked by util/interrupt.h from the moment it exists until
 * it is reaped, so an interrupted command leaves no process behind, and gets
 * the default signal mask back before exec.  In the child, a failed chdir
 * exits 126 and a failed exec 127 (the shell's codes), so the parent can say
 * "cannot run <program>".  Exit codes returned here are the child's exit
 * status, or 128 + the signal that ended it. */
#ifndef NS_UTIL_PROC_H
#define NS_UTIL_PROC_H

#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

typedef struct {
    pid_t pid;   /* > 0 while started */
    int slot;    /* interrupt tracking slot, -1 when untracked */
    int reaped;  /* 1 once waited for; exit_code and signal are then valid */
    int exit_code;
    int signal;  /* the signal that ended it, or 0 */
    int out_fd;  /* read end of the captured stdout, or -1 */
    int confined;   /* started with opts.confine */
    int namespaced; /* confined in new PID and network namespaces (they were available) */
    int nbefore;    /* our children before the start (a confined child's leftovers are the others) */
    pid_t before[128];
} ns_proc;

typedef struct {
    const char *program;   /* executable to run; NULL: argv[0], searched in PATH */
    const char *dir;       /* working directory of the child; NULL: ours */
    const char *log_path;  /* stdout and stderr go to this file (truncated); NULL: ours */
    int stdin_null;        /* stdin from /dev/null */
    int capture_stdout;    /* stdout into a pipe, read from out_fd */
    const char *err_path;  /* stderr alone goes to this file (truncated); NULL: as log_path, else ours */
    int own_group;         /* its own process group: a terminal's Ctrl-C reaches us only, and we decide */
    /* Confined (for a program run on untrusted input, such as circom on
     * host-chosen source): its own process group; new PID and network
     * namespaces where the kernel allows (the program is the namespace's
     * init: when it ends the kernel kills what it left inside); no
     * capabilities at all, PR_SET_NO_NEW_PRIVS, no core dumps, files of at
     * most 64 GiB, killed if we die.  When it is reaped, its process group
     * and every process it left that was re-parented to us (we become a
     * child subreaper) are killed and reaped too. */
    int confine;
} ns_proc_opts;

/* Starts argv (NULL-terminated) with options o (NULL: defaults).  0, or -1
 * with err set when the process could not be created. */
int ns_proc_start(ns_proc *p, char *const argv[], const ns_proc_opts *o, ns_error *err);

/* Blocks until the child ends; returns its exit code. */
int ns_proc_wait(ns_proc *p);

/* 1 while the child runs, 0 once it has ended (then reaped). */
int ns_proc_running(ns_proc *p);

/* SIGKILL to a child not yet reaped (it is reaped by a later wait). */
void ns_proc_kill(ns_proc *p);

/* Gives the child grace_ms to end by itself, then SIGTERM and two seconds,
 * then SIGKILL; always reaps.  Returns the exit code. */
int ns_proc_finish(ns_proc *p, int grace_ms);

/* Runs argv with stdout captured into out (NUL-terminated; output beyond
 * cap - 1 bytes is read and dropped) and waits.  Returns the exit code, or
 * -1 with err set if it could not start or the program could not be run. */
int ns_proc_run_capture(char *const argv[], char *out, size_t cap, size_t *len, ns_error *err);

#endif
