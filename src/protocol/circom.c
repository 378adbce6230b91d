#include "protocol/circom.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/hash.h"
#include "util/proc.h"



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

int ns_circom_run(int *status, char *const *argv, const char *dir, const char *log, char *out, size_t cap,
                  ns_error *err) {
    ns_proc_opts o = {.dir = dir, .log_path = out == NULL ? log : NULL, .stdin_null = 1,
                      .capture_stdout = out != NULL, .confine = 1};
    ns_proc p;
    if (ns_proc_start(&p, argv, &o, err) != 0) return -1;
    size_t got = 0;
    if (out != NULL) {
        for (;;) {
            char buf[4096];
            ssize_t r = read(p.out_fd, buf, sizeof buf);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            size_t k = (size_t)r;
            if (cap > 0 && got < cap - 1) {
                size_t room = cap - 1 - got;
                memcpy(out + got, buf, k < room ? k : room);
                got += k < room ? k : room;
            }
        }
        if (cap > 0) out[got] = 0;
    }
    int code = ns_proc_wait(&p);
    *status = p.signal ? p.signal : (code & 0xff) << 8; /* a wait status, as WIFEXITED/WEXITSTATUS read it */
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
