/* util/interrupt.h, cooperative mode: the first signal is recorded and stops
 * the tracked children's in-flight work (the process goes on); the second
 * prints the farewell and exits 128 + signal.  The default mode still exits
 * on the first signal.  Each case runs in a forked child, since the waiter
 * thread and its exits concern the whole process. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util/interrupt.h"
#include "util/proc.h"

static void msleep(int ms) {
    struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {
    }
}

/* Reads what the child wrote to fd until EOF (bounded). */
static void slurp(int fd, char *buf, size_t cap) {
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0) n += (size_t)r;
    buf[n] = 0;
}

/* Waits until the child has written a line starting with want on the
 * report pipe (the child's progress markers); 1 when seen. */
static int wait_marker(int fd, const char *want) {
    char line[256];
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r <= 0) return 0;
        if (c == '\n') {
            line[n] = 0;
            if (strncmp(line, want, strlen(want)) == 0) return 1;
            n = 0;
        } else if (n + 1 < sizeof line) line[n++] = c;
    }
}

static void say(int fd, const char *s) {
    ssize_t w = write(fd, s, strlen(s));
    (void)w;
}

/* The child of the cooperative case: starts a long `sleep` in its own
 * process group, reports, waits for it; the first SIGINT must end that
 * sleep (exit 130) and be pending; then it sleeps on ns_interrupt_sleep,
 * which must return at once, and waits for the second signal. */
static void coop_child(int rep) {
    if (ns_interrupt_start() != 0) _exit(90);
    ns_interrupt_set_mode(NS_INTR_NOTIFY_STOP);
    ns_interrupt_set_farewell("FAREWELL: resume with nitrosetup aws resume J\n");
    char *argv[] = {"sleep", "30", NULL};
    ns_proc_opts o = {.own_group = 1, .stdin_null = 1};
    ns_proc p;
    ns_error err;
    if (ns_proc_start(&p, argv, &o, &err) != 0) _exit(91);
    say(rep, "started\n");
    int code = ns_proc_wait(&p);
    char line[128];
    snprintf(line, sizeof line, "child-exit %d pending %d\n", code, ns_interrupt_pending());
    say(rep, line);
    time_t t0 = time(NULL);
    int woke = ns_interrupt_sleep(20000);
    snprintf(line, sizeof line, "sleep %d %d\n", woke, (int)(time(NULL) - t0));
    say(rep, line);
    ns_interrupt_set_mode(NS_INTR_NOTIFY); /* tearing down: no call is cut short */
    say(rep, "ready\n");
    for (int i = 0; i < 200; i++) msleep(100);
    _exit(0); /* the second signal should have ended us before */
}

static void test_cooperative(void) {
    int rep[2], errp[2];
    if (pipe(rep) != 0 || pipe(errp) != 0) {
        CHECK(0);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(rep[0]);
        close(errp[0]);
        dup2(errp[1], 2);
        coop_child(rep[1]);
    }
    close(rep[1]);
    close(errp[1]);
    CHECK(wait_marker(rep[0], "started"));
    msleep(200);
    kill(pid, SIGINT);
    char buf[256];
    size_t n = 0;
    char c;
    while (n + 1 < sizeof buf && read(rep[0], &c, 1) == 1 && c != '\n') buf[n++] = c;
    buf[n] = 0;
    CHECK_MSG(strcmp(buf, "child-exit 130 pending 2") == 0, "after the first SIGINT: '%s'", buf);
    n = 0;
    while (n + 1 < sizeof buf && read(rep[0], &c, 1) == 1 && c != '\n') buf[n++] = c;
    buf[n] = 0;
    CHECK_MSG(strcmp(buf, "sleep 1 0") == 0, "ns_interrupt_sleep with a pending signal: '%s'", buf);
    CHECK(wait_marker(rep[0], "ready"));
    kill(pid, SIGINT);
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 130, "second SIGINT: status %d", st);
    char err[4096];
    slurp(errp[0], err, sizeof err);
    CHECK_MSG(strstr(err, "FAREWELL: resume with nitrosetup aws resume J") != NULL, "stderr: '%s'", err);
    close(rep[0]);
    close(errp[0]);
}

/* Default mode: the first signal exits 130 (no farewell, the usual line). */
static void test_default_mode(void) {
    int rep[2], errp[2];
    if (pipe(rep) != 0 || pipe(errp) != 0) {
        CHECK(0);
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(rep[0]);
        close(errp[0]);
        dup2(errp[1], 2);
        if (ns_interrupt_start() != 0) _exit(90);
        ns_interrupt_set_farewell("NOT-PRINTED\n");
        say(rep[1], "ready\n");
        for (int i = 0; i < 200; i++) msleep(100);
        _exit(0);
    }
    close(rep[1]);
    close(errp[1]);
    CHECK(wait_marker(rep[0], "ready"));
    kill(pid, SIGINT);
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK_MSG(WIFEXITED(st) && WEXITSTATUS(st) == 130, "default mode: status %d", st);
    char err[4096];
    slurp(errp[0], err, sizeof err);
    CHECK_MSG(strstr(err, "interrupted") != NULL && strstr(err, "NOT-PRINTED") == NULL, "stderr: '%s'", err);
    close(rep[0]);
    close(errp[0]);
}

/* Without a signal, ns_interrupt_sleep sleeps its time and says 0. */
static void test_sleep_plain(void) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    CHECK(ns_interrupt_sleep(150) == 0);
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
    CHECK_MSG(ms >= 140 && ms < 2000, "slept %ld ms", ms);
    CHECK(ns_interrupt_pending() == 0);
}

int main(void) {
    test_sleep_plain();
    test_default_mode();
    test_cooperative();
    return ns_test_report("interrupt_coop");
}
