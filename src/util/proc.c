#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/interrupt.h"

/* In the child: redirections, directory, exec.  Never returns. */
_Noreturn static void proc_exec(char *const argv[], const ns_proc_opts *o, int out_pipe[2]) {
    ns_interrupt_child_reset();
    if (o->log_path != NULL) {
        int lf = open(o->log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (lf >= 0) {
            dup2(lf, 1);
            dup2(lf, 2);
        }
    }
    if (o->stdin_null) {
        int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (nul >= 0) dup2(nul, 0);
    }
    if (out_pipe != NULL) {
        dup2(out_pipe[1], 1);
        close(out_pipe[0]);
        close(out_pipe[1]);
    }
    if (o->dir != NULL && chdir(o->dir) != 0) _exit(126);
    execvp(o->program != NULL ? o->program : argv[0], argv);
    _exit(127);
}

int ns_proc_start(ns_proc *p, char *const argv[], const ns_proc_opts *o, ns_error *err) {
    static const ns_proc_opts defaults = {0};
    if (o == NULL) o = &defaults;
    memset(p, 0, sizeof *p);
    p->slot = -1;
    p->out_fd = -1;
    int pipefd[2] = {-1, -1};
    if (o->capture_stdout && pipe2(pipefd, O_CLOEXEC) != 0) return ns_error_set(err, "pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        if (pipefd[0] >= 0) close(pipefd[0]), close(pipefd[1]);
        return ns_error_set(err, "fork: %s", strerror(e));
    }
    if (pid == 0) proc_exec(argv, o, o->capture_stdout ? pipefd : NULL);
    p->pid = pid;
    p->slot = ns_interrupt_track_pid(pid);
    if (o->capture_stdout) {
        close(pipefd[1]);
        p->out_fd = pipefd[0];
    }
    return 0;
}

static void proc_reaped(ns_proc *p, int status) {
    p->reaped = 1;
    p->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    p->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + p->signal;
    ns_interrupt_untrack(p->slot); /* reaped: its pid may be reused */
    p->slot = -1;
    if (p->out_fd >= 0) close(p->out_fd);
    p->out_fd = -1;
}

int ns_proc_wait(ns_proc *p) {
    if (p->pid <= 0 || p->reaped) return p->exit_code;
    int status = 0;
    pid_t r;
    while ((r = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR) {
    }
    proc_reaped(p, r == p->pid ? status : 127 << 8);
    return p->exit_code;
}

int ns_proc_running(ns_proc *p) {
    if (p->pid <= 0 || p->reaped) return 0;
    int status = 0;
    pid_t r = waitpid(p->pid, &status, WNOHANG);
    if (r == p->pid) proc_reaped(p, status);
    else if (r < 0 && errno != EINTR) proc_reaped(p, 127 << 8);
    return !p->reaped;
}

void ns_proc_kill(ns_proc *p) {
    if (p->pid > 0 && !p->reaped) kill(p->pid, SIGKILL);
}

static void proc_sleep_ms(long ms) {
    struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
}

int ns_proc_finish(ns_proc *p, int grace_ms) {
    if (p->pid <= 0) return p->exit_code;
    for (int t = 0; t < grace_ms && ns_proc_running(p); t += 50) proc_sleep_ms(50);
    if (ns_proc_running(p)) {
        kill(p->pid, SIGTERM);
        for (int t = 0; t < 2000 && ns_proc_running(p); t += 50) proc_sleep_ms(50);
        if (ns_proc_running(p)) kill(p->pid, SIGKILL);
    }
    return ns_proc_wait(p);
}

int ns_proc_run_capture(char *const argv[], char *out, size_t cap, size_t *len, ns_error *err) {
    ns_proc_opts o = {.capture_stdout = 1};
    ns_proc p;
    if (ns_proc_start(&p, argv, &o, err) != 0) return -1;
    size_t n = 0;
    char drop[4096];
    for (;;) {
        int room = n + 1 < cap;
        ssize_t r = room ? read(p.out_fd, out + n, cap - 1 - n) : read(p.out_fd, drop, sizeof drop);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        if (room) n += (size_t)r;
    }
    if (cap > 0) out[n] = 0;
    *len = n;
    int code = ns_proc_wait(&p);
    if (code == 127) return ns_error_set(err, "cannot run %s", argv[0]);
    return code;
}
