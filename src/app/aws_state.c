#include "app/aws_state.h"

#include "host/job_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int mkdirs(const char *path) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

int ns_aws_state_dir(char *out, size_t cap, ns_error *err) {
    const char *x = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (x && x[0] == '/') n = snprintf(out, cap, "%s/nitrosetup/jobs", x);
    else if (home && *home) n = snprintf(out, cap, "%s/.local/state/nitrosetup/jobs", home);
    else return ns_error_set(err, "neither XDG_STATE_HOME nor HOME is set: nowhere to keep the job's state");
    if (n < 0 || (size_t)n >= cap) return ns_error_set(err, "state directory path too long");
    if (mkdirs(out) != 0) return ns_error_set(err, "%s: cannot create: %s", out, strerror(errno));
    return 0;
}

void ns_aws_job_init(ns_aws_job *j, const char *id) {
    memset(j, 0, sizeof *j);
    snprintf(j->job, sizeof j->job, "%s", id);
    snprintf(j->stack_name, sizeof j->stack_name, "nitrosetup-%s", id);
    snprintf(j->phase, sizeof j->phase, "preflight");
    j->lock_fd = -1;
}

static int path_of(char *out, size_t cap, const char *id, const char *ext, ns_error *err) {
    char dir[4000];
    if (ns_aws_state_dir(dir, sizeof dir, err) != 0) return -1;
    if (!ns_job_id_valid(id)) return ns_error_set(err, "'%s' is not a job id", id);
    snprintf(out, cap, "%s/%s%s", dir, id, ext);
    return 0;
}

#define STR_FIELDS(X)                                                                                                  \
    X(job) X(region) X(profile) X(account) X(caller) X(bucket) X(stack_name) X(stack_id) X(instance) X(phase)          \
    X(result) X(cause) X(created) X(deadline) X(expires_at) X(instance_type) X(outdir) X(eif) X(ptau)

int ns_aws_state_save(const ns_aws_job *j, ns_error *err) {
    char path[4200], tmp[4300];
    if (path_of(path, sizeof path, j->job, ".json", err) != 0) return -1;
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string("nitrosetup-job-state-1"));
#define PUT(f) json_object_set_new(o, #f, json_string(j->f));
    STR_FIELDS(PUT)
#undef PUT
    json_object_set_new(o, "usd_hour", json_real(j->usd_hour));
    json_object_set_new(o, "gp3_gb_month", json_real(j->gp3_gb_month));
    json_object_set_new(o, "disk_gib", json_integer(j->disk_gib));
    json_object_set_new(o, "max_minutes", json_integer(j->max_minutes));
    json_object_set_new(o, "delete_attempts", json_integer(j->delete_attempts));
    json_object_set_new(o, "downloaded", json_boolean(j->downloaded));
    json_object_set_new(o, "torn_down", json_boolean(j->torn_down));
    json_object_set_new(o, "proof_ok", json_boolean(j->proof_ok));
    json_t *pins = json_array();
    for (int i = 0; i < j->npins; i++) json_array_append_new(pins, json_string(j->pins[i]));
    json_object_set_new(o, "trust_ptau", pins);
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(o);
    if (text == NULL) return ns_error_set(err, "%s: out of memory", path);
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = 0;
    if (fd < 0) rc = ns_error_set(err, "%s: cannot write: %s", tmp, strerror(errno));
    else {
        size_t len = strlen(text), off = 0;
        while (off < len) {
            ssize_t w = write(fd, text + off, len - off);
            if (w <= 0) break;
            off += (size_t)w;
        }
        if (off != len || write(fd, "\n", 1) != 1 || fsync(fd) != 0)
            rc = ns_error_set(err, "%s: cannot write: %s", tmp, strerror(errno));
        close(fd);
        if (rc == 0 && rename(tmp, path) != 0) rc = ns_error_set(err, "%s: cannot rename: %s", path, strerror(errno));
        if (rc != 0) unlink(tmp);
    }
    free(text);
    return rc;
}

int ns_aws_state_load(ns_aws_job *j, const char *id, int *missing, ns_error *err) {
    char path[4200];
    *missing = 0;
    if (path_of(path, sizeof path, id, ".json", err) != 0) return -1;
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (o == NULL) {
        if (access(path, F_OK) != 0) {
            *missing = 1;
            return ns_error_set(err, "%s: no state file for job %s", path, id);
        }
        return ns_error_set(err, "%s: unreadable state file (%s, line %d)", path, je.text, je.line);
    }
    const char *fmt = json_string_value(json_object_get(o, "format"));
    if (fmt == NULL || strcmp(fmt, "nitrosetup-job-state-1") != 0) {
        json_decref(o);
        return ns_error_set(err, "%s: not a nitrosetup job state file", path);
    }
    ns_aws_job_init(j, id);
#define GET(f)                                                                                                         \
    {                                                                                                                  \
        const char *v = json_string_value(json_object_get(o, #f));                                                     \
        if (v) snprintf(j->f, sizeof j->f, "%s", v);                                                                   \
    }
    STR_FIELDS(GET)
#undef GET
    j->usd_hour = json_number_value(json_object_get(o, "usd_hour"));
    j->gp3_gb_month = json_number_value(json_object_get(o, "gp3_gb_month"));
    j->disk_gib = (int)json_integer_value(json_object_get(o, "disk_gib"));
    j->max_minutes = (int)json_integer_value(json_object_get(o, "max_minutes"));
    j->delete_attempts = (int)json_integer_value(json_object_get(o, "delete_attempts"));
    j->downloaded = json_is_true(json_object_get(o, "downloaded"));
    j->torn_down = json_is_true(json_object_get(o, "torn_down"));
    j->proof_ok = json_is_true(json_object_get(o, "proof_ok"));
    json_t *pins = json_object_get(o, "trust_ptau");
    for (size_t i = 0; i < json_array_size(pins) && j->npins < NS_AWS_MAX_PINS; i++) {
        const char *v = json_string_value(json_array_get(pins, i));
        if (v) snprintf(j->pins[j->npins++], sizeof j->pins[0], "%s", v);
    }
    json_decref(o);
    if (strcmp(j->job, id) != 0) return ns_error_set(err, "%s: the file is about job '%s'", path, j->job);
    return 0;
}

int ns_aws_state_lock(ns_aws_job *j, ns_error *err) {
    char path[4200];
    if (j->lock_fd >= 0) return 0;
    if (path_of(path, sizeof path, j->job, ".lock", err) != 0) return -1;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return ns_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        return ns_error_set(err, "job %s is being driven by another nitrosetup process (%s is locked)", j->job, path);
    }
    j->lock_fd = fd;
    return 0;
}

void ns_aws_state_unlock(ns_aws_job *j) {
    if (j->lock_fd >= 0) close(j->lock_fd);
    j->lock_fd = -1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int ns_aws_state_list(char ***ids, size_t *n, ns_error *err) {
    char dir[4096];
    *ids = NULL;
    *n = 0;
    if (ns_aws_state_dir(dir, sizeof dir, err) != 0) return -1;
    DIR *d = opendir(dir);
    if (d == NULL) return ns_error_set(err, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    size_t cap = 0;
    while ((e = readdir(d)) != NULL) {
        size_t L = strlen(e->d_name);
        if (L < 6 || strcmp(e->d_name + L - 5, ".json") != 0) continue;
        char id[64];
        if (L - 5 >= sizeof id) continue;
        memcpy(id, e->d_name, L - 5);
        id[L - 5] = 0;
        if (!ns_job_id_valid(id)) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nb = realloc(*ids, cap * sizeof *nb);
            if (nb == NULL) break;
            *ids = nb;
        }
        (*ids)[(*n)++] = strdup(id);
    }
    closedir(d);
    if (*n) qsort(*ids, *n, sizeof **ids, cmp_str);
    return 0;
}

void ns_aws_state_list_free(char **ids, size_t n) {
    for (size_t i = 0; i < n; i++) free(ids[i]);
    free(ids);
}
