#include "util/interrupt.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/rmtree.h"

#define NS_INTR_SLOTS 64

enum { SLOT_FREE, SLOT_FILE, SLOT_DIR, SLOT_PID };

typedef struct {
    int kind;
    pid_t pid;
    char path[4096];
} intr_slot;

/* The one process-wide tracking list (see interrupt.h). */
static struct {
    pthread_mutex_t mu;
    intr_slot slot[NS_INTR_SLOTS];
    sigset_t set; /* the signals the waiter takes (written before it starts) */
    void (*hook)(void *ctx, int sig); /* ns_interrupt_on_signal */
    void *hook_ctx;
} ns_intr = {PTHREAD_MUTEX_INITIALIZER, {{0, 0, {0}}}, {{0}}, NULL, NULL};

void ns_interrupt_on_signal(void (*fn)(void *ctx, int sig), void *ctx) {
    pthread_mutex_lock(&ns_intr.mu);
    ns_intr.hook = fn;
    ns_intr.hook_ctx = ctx;
    pthread_mutex_unlock(&ns_intr.mu);
}

/* SIGINT, SIGTERM, SIGHUP, except those the parent set to be ignored (a
 * background job's SIGINT, nohup's SIGHUP): they stay ignored. */
static void intr_signals(sigset_t *set) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    sigemptyset(set);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        if (sigaction(sigs[i], NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) continue;
        sigaddset(set, sigs[i]);
    }
}

static int intr_track(int kind, const char *path, pid_t pid) {
    if (kind != SLOT_PID && (path == NULL || strlen(path) >= sizeof ns_intr.slot[0].path)) return -1;
    pthread_mutex_lock(&ns_intr.mu);
    int got = -1;
    for (int i = 0; i < NS_INTR_SLOTS && got < 0; i++) {
        if (ns_intr.slot[i].kind != SLOT_FREE) continue;
        ns_intr.slot[i].kind = kind;
        ns_intr.slot[i].pid = pid;
        if (kind != SLOT_PID) memcpy(ns_intr.slot[i].path, path, strlen(path) + 1);
        got = i;
    }
    pthread_mutex_unlock(&ns_intr.mu);
    return got;
}

int ns_interrupt_track_file(const char *path) { return intr_track(SLOT_FILE, path, 0); }
int ns_interrupt_track_dir(const char *path) { return intr_track(SLOT_DIR, path, 0); }
int ns_interrupt_track_pid(pid_t pid) { return pid > 0 ? intr_track(SLOT_PID, NULL, pid) : -1; }

void ns_interrupt_untrack(int slot) {
    if (slot < 0 || slot >= NS_INTR_SLOTS) return;
    pthread_mutex_lock(&ns_intr.mu);
    ns_intr.slot[slot].kind = SLOT_FREE;
    pthread_mutex_unlock(&ns_intr.mu);
}

void ns_interrupt_child_reset(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Kills the children (and waits up to a second for each to go, so that it
 * stops writing), then removes files and directories.  Caller holds mu. */
static int intr_cleanup_locked(char *names, size_t cap) {
    for (int i = 0; i < NS_INTR_SLOTS; i++) {
        if (ns_intr.slot[i].kind != SLOT_PID) continue;
        pid_t pid = ns_intr.slot[i].pid;
        kill(pid, SIGKILL);
        for (int t = 0; t < 100; t++) {
            pid_t r = waitpid(pid, NULL, WNOHANG);
            if (r == pid || (r < 0 && errno != EINTR)) break;
            struct timespec d = {0, 10 * 1000000L};
            nanosleep(&d, NULL);
        }
        ns_intr.slot[i].kind = SLOT_FREE;
    }
    int removed = 0;
    for (int i = 0; i < NS_INTR_SLOTS; i++) {
        int kind = ns_intr.slot[i].kind;
        if (kind != SLOT_FILE && kind != SLOT_DIR) continue;
        const char *p = ns_intr.slot[i].path;
        struct stat st;
        int existed = lstat(p, &st) == 0;
        if (kind == SLOT_FILE ? unlink(p) == 0 : ns_rmtree(p) == 0) {
            if (existed && names && removed < 3) {
                size_t used = strlen(names);
                snprintf(names + used, cap - used, "%s%s", removed ? ", " : "", p);
            }
            removed += existed;
        }
        ns_intr.slot[i].kind = SLOT_FREE;
    }
    return removed;
}

int ns_interrupt_cleanup_now(void) {
    pthread_mutex_lock(&ns_intr.mu);
    int n = intr_cleanup_locked(NULL, 0);
    pthread_mutex_unlock(&ns_intr.mu);
    return n;
}

static void *intr_waiter(void *arg) {
    (void)arg;
    int sig = 0;
    while (sigwait(&ns_intr.set, &sig) != 0) {
    }
    pthread_mutex_lock(&ns_intr.mu);
    void (*hook)(void *, int) = ns_intr.hook;
    void *hook_ctx = ns_intr.hook_ctx;
    pthread_mutex_unlock(&ns_intr.mu);
    if (hook != NULL) hook(hook_ctx, sig); /* unlocked: it may start and track children */
    char names[4096] = "";
    /* the lock is never held for long (tracking calls only), and exiting
     * with it held is fine: nothing runs after _exit */
    pthread_mutex_lock(&ns_intr.mu);
    int n = intr_cleanup_locked(names, sizeof names);
    char msg[4400];
    int len;
    if (n == 0)
        len = snprintf(msg, sizeof msg, "nitrosetup: interrupted (%s); no partial output left\n", strsignal(sig));
    else
        len = snprintf(msg, sizeof msg, "nitrosetup: interrupted (%s); removed partial output: %s%s\n",
                       strsignal(sig), names, n > 3 ? ", ..." : "");
    if (len > 0) {
        ssize_t w = write(2, msg, (size_t)len < sizeof msg ? (size_t)len : sizeof msg - 1);
        (void)w;
    }
    _exit(128 + sig);
}

int ns_interrupt_start(void) {
    intr_signals(&ns_intr.set);
    if (!sigismember(&ns_intr.set, SIGINT) && !sigismember(&ns_intr.set, SIGTERM) &&
        !sigismember(&ns_intr.set, SIGHUP))
        return 0;
    if (pthread_sigmask(SIG_BLOCK, &ns_intr.set, NULL) != 0) return -1;
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&th, &at, intr_waiter, NULL);
    pthread_attr_destroy(&at);
    if (rc != 0) {
        pthread_sigmask(SIG_UNBLOCK, &ns_intr.set, NULL);
        return -1;
    }
    return 0;
}
