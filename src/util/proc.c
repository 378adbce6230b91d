#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "util/interrupt.h"

/* No capability at all, now or after exec: without CAP_SYS_PTRACE nothing
 * can read a non-dumpable process's memory, even as uid 0; the file
 * permissions of our uid stay. */
static void drop_privileges(void) {
    for (int cap = 0; cap < 64; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capset, &h, d) != 0 && geteuid() == 0) _exit(126);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    struct rlimit core = {0, 0}, fsz = {64ull << 30, 64ull << 30};
    setrlimit(RLIMIT_CORE, &core);
    setrlimit(RLIMIT_FSIZE, &fsz);
}

/* The children of this process (every thread's); returns the count. */
static int list_children(pid_t *pids, int cap) {
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (d == NULL) return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < cap) {
        if (e->d_name[0] == '.') continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
        FILE *f = fopen(path, "r");
        if (f == NULL) continue;
        long v;
        while (n < cap && fscanf(f, "%ld", &v) == 1) pids[n++] = (pid_t)v;
        fclose(f);
    }
    closedir(d);
    return n;
}

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
    if (o->err_path != NULL) {
        int ef = open(o->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (ef >= 0) dup2(ef, 2);
    }
    if (o->own_group) setpgid(0, 0);
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
    if (o->confine) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        drop_privileges();
    }
    execvp(o->program != NULL ? o->program : argv[0], argv);
    _exit(127);
}

/* The confined child: own group, then (where allowed) new PID and network
 * namespaces whose init is the program; reports on ns_fd whether the
 * namespaces were made.  Never returns. */
_Noreturn static void proc_confined(char *const argv[], const ns_proc_opts *o, int out_pipe[2], int ns_fd) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    char ns = unshare(CLONE_NEWPID | CLONE_NEWNET) == 0 ? 1 : 0;
    if (write(ns_fd, &ns, 1) != 1) _exit(126);
    close(ns_fd);
    if (!ns) proc_exec(argv, o, out_pipe);
    pid_t inner = fork();
    if (inner < 0) _exit(126);
    if (inner == 0) proc_exec(argv, o, out_pipe);
    if (out_pipe != NULL) close(out_pipe[1]);
    drop_privileges();
    int st;
    while (waitpid(inner, &st, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(st)) _exit(128 + WTERMSIG(st));
    _exit(WEXITSTATUS(st));
}

int ns_proc_start(ns_proc *p, char *const argv[], const ns_proc_opts *o, ns_error *err) {
    static const ns_proc_opts defaults = {0};
    if (o == NULL) o = &defaults;
    memset(p, 0, sizeof *p);
    p->slot = -1;
    p->out_fd = -1;
    int pipefd[2] = {-1, -1}, nsfd[2] = {-1, -1};
    if (o->capture_stdout && pipe2(pipefd, O_CLOEXEC) != 0) return ns_error_set(err, "pipe: %s", strerror(errno));
    if (o->confine) {
        if (pipe2(nsfd, O_CLOEXEC) != 0) {
            int e = errno;
            if (pipefd[0] >= 0) close(pipefd[0]), close(pipefd[1]);
            return ns_error_set(err, "pipe: %s", strerror(e));
        }
        p->confined = 1;
        p->nbefore = list_children(p->before, (int)(sizeof p->before / sizeof p->before[0]));
        prctl(PR_SET_CHILD_SUBREAPER, 1);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        if (pipefd[0] >= 0) close(pipefd[0]), close(pipefd[1]);
        if (nsfd[0] >= 0) close(nsfd[0]), close(nsfd[1]);
        return ns_error_set(err, "fork: %s", strerror(e));
    }
    if (pid == 0 && o->confine) {
        close(nsfd[0]);
        proc_confined(argv, o, o->capture_stdout ? pipefd : NULL, nsfd[1]);
    }
    if (pid == 0) proc_exec(argv, o, o->capture_stdout ? pipefd : NULL);
    if (o->confine) {
        char ns = 0;
        close(nsfd[1]);
        p->namespaced = read(nsfd[0], &ns, 1) == 1 && ns == 1;
        close(nsfd[0]);
        setpgid(pid, pid);
    }
    if (o->own_group) setpgid(pid, pid); /* both sides: no race with the exec */
    p->pid = pid;
    p->slot = ns_interrupt_track_pid(pid);
    if (o->capture_stdout) {
        close(pipefd[1]);
        p->out_fd = pipefd[0];
    }
    return 0;
}

/* After a confined child: its group, then whatever it left that was
 * re-parented to us and was not our child before. */
static void sweep(ns_proc *p) {
    kill(-p->pid, SIGKILL);
    for (int round = 0; round < 50; round++) {
        pid_t now[256];
        int n = list_children(now, 256), left = 0;
        for (int i = 0; i < n; i++) {
            int old = 0;
            for (int k = 0; k < p->nbefore && !old; k++) old = p->before[k] == now[i];
            if (old) continue;
            kill(now[i], SIGKILL);
            waitpid(now[i], NULL, 0);
            left++;
        }
        if (left == 0) break;
    }
}

static void proc_reaped(ns_proc *p, int status) {
    p->reaped = 1;
    if (p->confined) sweep(p);
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
