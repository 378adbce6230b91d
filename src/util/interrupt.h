/* Clean-up when the user interrupts a command (SIGINT, SIGTERM, SIGHUP).
 *
 * Commands write their output through temporary files and staging
 * directories and start child processes (circom, the local enclave,
 * nitro-cli).  So that an interrupted command leaves no partial output and
 * no process behind, the CLI calls ns_interrupt_start() once, before any
 * other thread exists: the three signals are then blocked in every thread
 * and taken by one waiter thread, which kills the tracked child processes
 * (SIGKILL), removes the tracked files and directories, says so in one line
 * on stderr and exits with 128 + the signal number.
 *
 * The tracking list is process-wide state by nature (a signal concerns the
 * whole process); it lives in interrupt.c behind a mutex.  Tracking without
 * ns_interrupt_start() (library use, unit tests) costs nothing and does
 * nothing.  A child process must call ns_interrupt_child_reset() between
 * fork() and exec, so that it gets the default signal mask back. */
#ifndef NS_UTIL_INTERRUPT_H
#define NS_UTIL_INTERRUPT_H

#include <sys/types.h>

/* Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and so in every
 * thread it creates later) and starts the waiter.  0, or -1 if the thread
 * could not be created (the signals then keep their default action). */
int ns_interrupt_start(void);

/* Tracking; each returns a slot (>= 0) to untrack with, or -1 when the
 * list is full (at most 64 entries; the item is then simply not cleaned). */
int ns_interrupt_track_file(const char *path);
int ns_interrupt_track_dir(const char *path);
int ns_interrupt_track_pid(pid_t pid);
void ns_interrupt_untrack(int slot);

/* A function the waiter runs first when a signal comes, before it kills the
 * tracked children and removes the tracked paths (the EC2 host terminates
 * its enclave and reports "interrupted" at power-off).  It runs in the
 * waiter thread while the others go on; fn NULL removes it.  One at a time. */
void ns_interrupt_on_signal(void (*fn)(void *ctx, int sig), void *ctx);

/* In a child between fork() and exec: default signal mask. */
void ns_interrupt_child_reset(void);

/* Runs the clean-up a signal would run, without exiting: kills the tracked
 * children and removes the tracked paths; returns how many paths it
 * removed.  For tests. */
int ns_interrupt_cleanup_now(void);

#endif
