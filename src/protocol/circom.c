#include "protocol/circom.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/syscall.h>

#include "util/hash.h"
#include "util/interrupt.h"

#define MAX_KIDS 256

static int g_namespaced; /* diagnostics for tests only; written by the calling thread */

int ns_circom_last_run_namespaced(void) { return g_namespaced; }

int ns_circom_split(char **argv, int *argc, char *buf, size_t cap, const char *cmd, ns_error *err) {
    if (strlen(cmd) >= cap) return ns_error_set(err, "circom command too long");
    snprintf(buf, cap, "%s", cmd);
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save)) {
        if (n >= NS_CIRCOM_MAX_ARGS - 16) return ns_error_set(err, "circom command has too many words");
        argv[n++] = t;
    }
    if (n == 0) return ns_error_set(err, "empty circom command");
    argv[n] = NULL;
    *argc = n;
    return 0;
}

/* The children of this process (every thread's), into pids; returns the count. */
static int list_children(pid_t *pids, int cap) {
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    if (d == NULL) return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < cap) {
        if (e->d_name[0] == '.') continue;
        char p[300];
        snprintf(p, sizeof p, "/proc/self/task/%s/children", e->d_name);
        FILE *f = fopen(p, "r");
        if (f == NULL) continue;
        long v;
        while (n < cap && fscanf(f, "%ld", &v) == 1) pids[n++] = (pid_t)v;
        fclose(f);
    }
    closedir(d);
    return n;
}

static int contains(const pid_t *v, int n, pid_t x) {
    for (int i = 0; i < n; i++)
        if (v[i] == x) return 1;
    return 0;
}

/* No capability at all, now or after exec: without CAP_SYS_PTRACE nothing
 * can read the (non-dumpable) enclave's memory, even as uid 0; the file
 * permissions of its own uid stay, so circom reads what it is given. */
static void drop_capabilities(void) {
    for (int cap = 0; cap < 64; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (syscall(SYS_capset, &h, d) != 0 && geteuid() == 0) _exit(126);
}

/* In the child: limits, privileges, then exec. */
static void child_exec(char *const *argv, const char *dir, int outfd) {
    ns_interrupt_child_reset();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0) dup2(nul, 0);
    if (outfd >= 0) {
        dup2(outfd, 1);
        dup2(outfd, 2);
    }
    if (chdir(dir) != 0) _exit(126);
    struct rlimit core = {0, 0}, fsz = {64ull << 30, 64ull << 30};
    setrlimit(RLIMIT_CORE, &core);
    setrlimit(RLIMIT_FSIZE, &fsz);
    drop_capabilities();
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    execvp(argv[0], argv);
    _exit(127);
}

int ns_circom_run(int *status, char *const *argv, const char *dir, const char *log, char *out, size_t cap,
                  ns_error *err) {
    pid_t before[MAX_KIDS];
    int nbefore = list_children(before, MAX_KIDS);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int pfd[2] = {-1, -1}, lfd = -1;
    if (out != NULL) {
        if (pipe2(pfd, O_CLOEXEC) != 0) return ns_error_set(err, "pipe: %s", strerror(errno));
    } else if (log != NULL) {
        lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (lfd < 0) return ns_error_set(err, "%s: %s", log, strerror(errno));
    }
    /* The namespaces: tried in the child; the result comes back on a pipe. */
    int npipe[2];
    if (pipe2(npipe, O_CLOEXEC) != 0) return ns_error_set(err, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(npipe[0]), close(npipe[1]);
        if (pfd[0] >= 0) close(pfd[0]), close(pfd[1]);
        if (lfd >= 0) close(lfd);
        return ns_error_set(err, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        setpgid(0, 0);
        int outfd = out != NULL ? pfd[1] : lfd;
        char ns = unshare(CLONE_NEWPID | CLONE_NEWNET) == 0 ? 1 : 0;
        if (write(npipe[1], &ns, 1) != 1) _exit(126);
        if (!ns) child_exec(argv, dir, outfd);
        /* The next child is the namespace's init: when it ends, the kernel
         * kills whatever it left in the namespace. */
        pid_t inner = fork();
        if (inner < 0) _exit(126);
        if (inner == 0) child_exec(argv, dir, outfd);
        int st;
        while (waitpid(inner, &st, 0) < 0 && errno == EINTR) {
        }
        if (WIFSIGNALED(st)) _exit(128 + WTERMSIG(st));
        _exit(WEXITSTATUS(st));
    }
    close(npipe[1]);
    char ns = 0;
    g_namespaced = read(npipe[0], &ns, 1) == 1 && ns == 1;
    close(npipe[0]);
    setpgid(pid, pid);
    int slot = ns_interrupt_track_pid(pid);
    if (lfd >= 0) close(lfd);
    size_t got = 0;
    if (out != NULL) {
        close(pfd[1]);
        for (;;) {
            char buf[4096];
            ssize_t r = read(pfd[0], buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            size_t k = (size_t)r;
            if (cap > 0 && got < cap - 1) {
                size_t room = cap - 1 - got;
                memcpy(out + got, buf, k < room ? k : room);
                got += k < room ? k : room;
            }
        }
        close(pfd[0]);
        if (cap > 0) out[got] = 0;
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    ns_interrupt_untrack(slot);
    /* Whatever it left: its process group, then any process re-parented to
     * us (double-forked, setsid) that was not our child before. */
    kill(-pid, SIGKILL);
    for (int round = 0; round < 50; round++) {
        pid_t now[MAX_KIDS];
        int n = list_children(now, MAX_KIDS), left = 0;
        for (int i = 0; i < n; i++) {
            if (contains(before, nbefore, now[i])) continue;
            kill(now[i], SIGKILL);
            waitpid(now[i], NULL, 0);
            left++;
        }
        if (left == 0) break;
    }
    *status = st;
    return 0;
}

static int hash_file_into(ns_hash *h, const char *path) {
    uint8_t fh[64];
    ns_error e;
    if (ns_blake2b512_file(fh, path, NULL, &e) != 0) return -1;
    ns_hash_update(h, fh, sizeof fh);
    return 0;
}

/* Resolves a command word like execvp would, into out; 0 when found. */
static int resolve(char *out, size_t cap, const char *word) {
    struct stat st;
    if (strchr(word, '/') != NULL) {
        if (realpath(word, out) == NULL || stat(out, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
        return strlen(out) < cap ? 0 : -1;
    }
    const char *path = getenv("PATH");
    if (path == NULL) path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *e = strchr(path, ':');
        size_t L = e ? (size_t)(e - path) : strlen(path);
        char cand[PATH_MAX];
        snprintf(cand, sizeof cand, "%.*s/%s", (int)L, L ? path : ".", word);
        if (access(cand, X_OK) == 0 && realpath(cand, out) != NULL && stat(out, &st) == 0 && S_ISREG(st.st_mode))
            return 0;
        if (e == NULL) break;
        path = e + 1;
    }
    return -1;
}

int ns_circom_identify(ns_circom_id *id, const char *cmd, const char *workdir, ns_error *err) {
    memset(id, 0, sizeof *id);
    char buf[4096], *argv[NS_CIRCOM_MAX_ARGS];
    int argc;
    if (ns_circom_split(argv, &argc, buf, sizeof buf, cmd, err) != 0) return -1;
    ns_hash *h = ns_hash_new(NS_HASH_BLAKE2B512);
    if (h == NULL) return ns_error_set(err, "out of memory");
    for (int i = 0; i < argc; i++) {
        char real[PATH_MAX];
        struct stat st;
        ns_hash_update(h, argv[i], strlen(argv[i]) + 1);
        int found = i == 0 ? resolve(real, sizeof real, argv[i]) == 0
                           : (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode) && realpath(argv[i], real) != NULL);
        if (i == 0 && !found) {
            ns_hash_free(h);
            return ns_error_set(err, "circom: cannot find '%s' (use --circom CMD)", argv[0]);
        }
        if (found && hash_file_into(h, real) != 0) {
            ns_hash_free(h);
            return ns_error_set(err, "circom: cannot read %s", real);
        }
    }
    ns_hash_final(h, id->hash);
    ns_hash_free(h);
    argv[argc++] = "--version";
    argv[argc] = NULL;
    char out[512];
    int st;
    if (ns_circom_run(&st, argv, workdir, NULL, out, sizeof out, err) != 0) return -1;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return ns_error_set(err, "circom: '%s --version' failed (exit %d)", cmd, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    char *line = out;
    while (*line == '\n' || *line == '\r' || *line == ' ') line++;
    line[strcspn(line, "\r\n")] = 0;
    if (!ns_circom_version_ok(line))
        return ns_error_set(err, "circom: '%s --version' printed no usable version line", cmd);
    memcpy(id->version, line, strlen(line) + 1);
    return 0;
}
