#include "host/aws_job.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "aws/s3.h"
#include "formats/hermez.h"
#include "host/download.h"
#include "host/host.h"
#include "host/nitro_cli.h"
#include "host/run.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/http.h"
#include "util/interrupt.h"
#include "util/outfile.h"
#include "util/progress.h"

#define MAX_FILES 64

typedef struct {
    char name[256];
    uint64_t bytes;
    char sha256[65];
} out_file;

/* Everything one job holds; the heartbeat and signal threads share the
 * status fields under mu. */
typedef struct {
    const ns_job *job;
    const ns_aws_job_opts *o;
    ns_aws aws;
    char out_prefix[128]; /* jobs/J/out/ */
    char instance[64];
    char workdir[3000], indir[3100], bundle[3100], log_path[3100];
    /* status */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t hb;
    int hb_started, hb_stop, dirty, finished, interrupted, enclave_phase, hb_s;
    long seq;
    char phase[16], message[256], last_error[512];
    double progress; /* < 0: null */
    long eta_s;      /* < 0: null */
    double phase_t0;
    /* stderr copied to host.log */
    int orig_stderr, tee_w;
    pthread_t tee;
    int tee_started;
    /* results */
    out_file files[MAX_FILES];
    int nfiles;
} job_ctx;

static void logf_(const char *step, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(const char *step, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ns_host_log("host", step, "%s", msg);
}

/* ---- the log: stderr through a pipe into the terminal and host.log ---- */

typedef struct {
    int rd, orig, log;
} tee_args;

static void *tee_main(void *v) {
    tee_args *t = v;
    char buf[8192];
    for (;;) {
        ssize_t n = read(t->rd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        ssize_t w1 = write(t->orig, buf, (size_t)n), w2 = write(t->log, buf, (size_t)n);
        (void)w1;
        (void)w2;
    }
    close(t->rd);
    close(t->log);
    free(t);
    return NULL;
}

static void tee_start(job_ctx *c) {
    int p[2];
    c->tee_started = 0;
    int lfd = open(c->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (lfd < 0 || pipe(p) != 0) {
        if (lfd >= 0) close(lfd);
        logf_("log", "cannot copy the log to %s: %s", c->log_path, strerror(errno));
        return;
    }
    tee_args *t = malloc(sizeof *t);
    fflush(stderr);
    c->orig_stderr = dup(2);
    if (t == NULL || c->orig_stderr < 0) {
        free(t);
        close(lfd), close(p[0]), close(p[1]);
        return;
    }
    *t = (tee_args){p[0], c->orig_stderr, lfd};
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    dup2(p[1], 2); /* children inherit fd 2: their messages are copied too */
    close(p[1]);
    if (pthread_create(&c->tee, NULL, tee_main, t) != 0) {
        dup2(c->orig_stderr, 2);
        close(p[0]), close(lfd);
        free(t);
        return;
    }
    c->tee_started = 1;
}

/* Puts stderr back and waits for the copy to drain (host.log complete). */
static void tee_stop(job_ctx *c) {
    if (!c->tee_started) return;
    fflush(stderr);
    dup2(c->orig_stderr, 2); /* the pipe's last write end goes: the thread sees EOF */
    pthread_join(c->tee, NULL);
    close(c->orig_stderr);
    c->tee_started = 0;
}

/* ---- status.json and the heartbeat ---- */

/* Collects a small HTTP body into a fixed buffer (NUL-terminated; too long: refused). */
typedef struct {
    char *buf;
    size_t cap, n;
} small_sink;

static int small_put(void *v, const void *d, size_t n) {
    small_sink *s = v;
    if (s->n + n >= s->cap) return -1;
    memcpy(s->buf + s->n, d, n);
    s->n += n;
    s->buf[s->n] = 0;
    return 0;
}

void ns_aws_job_instance_id(char *out, size_t cap) {
    const char *env = getenv("NITROSETUP_INSTANCE_ID");
    snprintf(out, cap, "unknown");
    if (env && *env) {
        snprintf(out, cap, "%.60s", env);
        return;
    }
    const char *off = getenv("AWS_EC2_METADATA_DISABLED");
    if (off && strcmp(off, "true") == 0) return;
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (base == NULL || *base == 0) base = "http://169.254.169.254";
    size_t bl = strlen(base);
    if (bl > 0 && base[bl - 1] == '/') bl--;
    char url[512], token[256] = "", hdr[400], id[64] = "";
    ns_error e;
    ns_http *h = ns_http_open(&e);
    if (h == NULL) return;
    small_sink tok = {token, sizeof token, 0}, ids = {id, sizeof id, 0};
    const char *put_h[] = {"X-aws-ec2-metadata-token-ttl-seconds: 60", NULL};
    ns_http_request r = {.timeout_ms = 2000, .connect_timeout_ms = 1000, .fail_on_http_error = 1, .headers = put_h,
                         .method = "PUT", .sink = small_put, .sink_ctx = &tok};
    long st = 0;
    snprintf(url, sizeof url, "%.*s/latest/api/token", (int)(bl > 400 ? 400 : bl), base);
    if (ns_http_get(h, url, &r, &st, &e) == 0 && tok.n > 0) {
        snprintf(hdr, sizeof hdr, "X-aws-ec2-metadata-token: %s", token);
        const char *get_h[] = {hdr, NULL};
        r.headers = get_h;
        r.method = NULL;
        r.sink_ctx = &ids;
        snprintf(url, sizeof url, "%.*s/latest/meta-data/instance-id", (int)(bl > 400 ? 400 : bl), base);
        if (ns_http_get(h, url, &r, &st, &e) == 0 && ids.n > 2 && strncmp(id, "i-", 2) == 0 &&
            strspn(id + 2, "0123456789abcdef") == strlen(id + 2))
            snprintf(out, cap, "%s", id);
    }
    ns_http_close(h);
}

static void now_iso(char out[21]) { ns_job_time(out, (long long)time(NULL)); }

/* status.json for the current state (called with mu held); malloc'd. */
static char *status_text_locked(job_ctx *c) {
    char t[21];
    now_iso(t);
    c->seq++;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o, s:s, s:o}", "format", "nitrosetup-status-1", "job",
                          c->job->job, "instance", c->instance, "seq", (json_int_t)c->seq, "time", t, "phase", c->phase,
                          "progress", c->progress >= 0 ? json_real(c->progress) : json_null(), "eta_s",
                          c->eta_s >= 0 ? json_integer(c->eta_s) : json_null(), "message", c->message, "last_error",
                          c->last_error[0] ? json_string(c->last_error) : json_null());
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

static int put_json_text(job_ctx *c, const char *name, const char *text, ns_error *err) {
    char key[300];
    if (strcmp(name, "status.json") == 0) { /* the last status, for the bootstrap */
        char p[3200];
        ns_error e2;
        snprintf(p, sizeof p, "%s/status.json", c->workdir);
        if (ns_write_file_atomic(p, text, strlen(text), &e2) != 0) logf_("status", "%s", e2.msg);
    }
    snprintf(key, sizeof key, "%s%s", c->out_prefix, name);
    ns_s3_put_opts po = {.content_type = "application/json", .attempts = 3};
    return ns_s3_put_buffer(&c->aws, c->job->bucket, key, text, strlen(text), &po, NULL, err);
}

/* Writes status.json when a phase changes and hb_s after the start of the
 * previous write (the write itself takes a second or two). */
static void *hb_main(void *v) {
    job_ctx *c = v;
    struct timespec until = {0, 0};
    pthread_mutex_lock(&c->mu);
    while (!c->hb_stop) {
        if (!c->dirty && until.tv_sec != 0) {
            int r = 0;
            while (!c->dirty && !c->hb_stop && r != ETIMEDOUT) r = pthread_cond_timedwait(&c->cv, &c->mu, &until);
            if (c->hb_stop) break;
        }
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += c->hb_s;
        c->dirty = 0;
        char *s = status_text_locked(c);
        pthread_mutex_unlock(&c->mu);
        ns_error e;
        if (s != NULL && put_json_text(c, "status.json", s, &e) != 0) logf_("status", "not written: %s", e.msg);
        free(s);
        pthread_mutex_lock(&c->mu);
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

static void set_phase(job_ctx *c, const char *phase, const char *msg) {
    pthread_mutex_lock(&c->mu);
    snprintf(c->phase, sizeof c->phase, "%s", phase);
    snprintf(c->message, sizeof c->message, "%s", msg);
    c->progress = -1;
    c->eta_s = -1;
    c->phase_t0 = ns_now_seconds();
    c->dirty = 1;
    if (strcmp(phase, "enclave") == 0) c->enclave_phase = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    logf_("phase", "%s: %s", phase, msg);
}

static void on_run_phase(void *v, const char *phase, const char *msg) { set_phase(v, phase, msg); }

/* Progress within the phase: fraction, and an ETA from the rate so far. */
static void set_progress(job_ctx *c, uint64_t done, uint64_t total, const char *what) {
    if (total == 0) return;
    pthread_mutex_lock(&c->mu);
    double f = (double)done / (double)total, el = ns_now_seconds() - c->phase_t0;
    c->progress = f > 1 ? 1 : f;
    c->eta_s = f > 0.001 && el > 0 ? (long)(el * (1 - f) / f) : -1;
    snprintf(c->message, sizeof c->message, "%s: %llu of %llu MiB", what, (unsigned long long)(done >> 20),
             (unsigned long long)(total >> 20));
    pthread_mutex_unlock(&c->mu);
}

static void hb_start(job_ctx *c) {
    c->hb_started = pthread_create(&c->hb, NULL, hb_main, c) == 0;
    if (!c->hb_started) logf_("status", "no heartbeat thread: %s", strerror(errno));
}

static void hb_stop(job_ctx *c) {
    pthread_mutex_lock(&c->mu);
    c->hb_stop = 1;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (c->hb_started) pthread_join(c->hb, NULL);
    c->hb_started = 0;
}

/* The last status (done or failed), written by the caller's thread. */
static void final_status(job_ctx *c, const char *phase, const char *msg, const char *error) {
    pthread_mutex_lock(&c->mu);
    snprintf(c->phase, sizeof c->phase, "%s", phase);
    snprintf(c->message, sizeof c->message, "%s", msg);
    if (error) snprintf(c->last_error, sizeof c->last_error, "%s", error);
    c->progress = strcmp(phase, "done") == 0 ? 1 : -1;
    c->eta_s = strcmp(phase, "done") == 0 ? 0 : -1;
    char *s = status_text_locked(c);
    pthread_mutex_unlock(&c->mu);
    ns_error e;
    if (s != NULL && put_json_text(c, "status.json", s, &e) != 0) logf_("status", "not written: %s", e.msg);
    free(s);
}

/* ---- inputs ---- */

/* SHA-256 of a file as hex (65 bytes) and its size. */
static int sha256_file(char out[65], uint64_t *bytes, const char *path, ns_error *err) {
    uint8_t d[NS_SHA256_LEN];
    if (ns_sha256_file(d, path, bytes, err) != 0) return -1;
    ns_hex_encode(out, d, NS_SHA256_LEN);
    return 0;
}

static void on_s3_progress(void *v, uint64_t done, uint64_t total) { set_progress(v, done, total, "download"); }

/* One input from the job's in/ into DIR/in/<base name>, checked. */
static int fetch_input(job_ctx *c, const ns_job_input *in, char *path, size_t cap, ns_error *err) {
    char key[400];
    const char *base = strrchr(in->key, '/') + 1; /* the key starts with in/ */
    snprintf(key, sizeof key, "jobs/%s/%s", c->job->job, in->key);
    snprintf(path, cap, "%s/%s", c->indir, base);
    ns_s3_get_opts go = {.progress = on_s3_progress, .progress_ctx = c};
    if (ns_s3_get_resumable(&c->aws, c->job->bucket, key, path, &go, NULL, err) != 0) return -1;
    char hx[65];
    uint64_t n;
    if (sha256_file(hx, &n, path, err) != 0) return -1;
    if (n != in->bytes || strcmp(hx, in->sha256) != 0)
        return ns_error_set(err, "%s: SHA-256 %s and %llu bytes, but job.json says %s and %llu bytes", in->key, hx,
                            (unsigned long long)n, in->sha256, (unsigned long long)in->bytes);
    logf_("inputs", "%s: %llu bytes, SHA-256 matches job.json", in->key, (unsigned long long)n);
    return 0;
}

/* ---- the ptau ---- */

/* The trust policy on the job's hash, before any download. */
static int ptau_policy(const ns_job *j, ns_ptau_pins *pins, ns_error *err) {
    memset(pins, 0, sizeof *pins);
    for (int i = 0; i < j->ntrust; i++)
        if (ns_ptau_pins_add_hex(pins, j->trust_ptau[i], err) != 0) return -1;
    uint8_t h[64];
    if (ns_hex_decode(h, sizeof h, j->ptau.blake2b) != 64) return ns_error_set(err, "ptau.blake2b: not 128 hex digits");
    char name[128];
    if (ns_ptau_policy_check(name, sizeof name, h, pins) == NS_PTAU_UNTRUSTED)
        return ns_ptau_untrusted_error(err, j->ptau.name, h);
    return 0;
}

/* 0 when path holds the job's ptau (size and BLAKE2b-512); else removes it. */
static int ptau_check(const ns_job *j, const char *path, ns_error *err) {
    uint8_t h[64];
    uint64_t n;
    char hx[129];
    if (ns_blake2b512_file(h, path, &n, err) != 0) return -1;
    ns_hex_encode(hx, h, 64);
    if (strcmp(hx, j->ptau.blake2b) == 0 && (j->ptau.bytes == 0 || n == j->ptau.bytes)) return 0;
    unlink(path);
    return ns_error_set(err, "BLAKE2b-512 %.16s... (%llu bytes) is not job.json's %.16s... (%llu bytes)", hx,
                        (unsigned long long)n, j->ptau.blake2b, (unsigned long long)j->ptau.bytes);
}

/* Appends "; <what>: <why>" to the cause (bounded). */
static void add_cause(char *cause, size_t cap, const char *what, const char *why) {
    size_t l = strlen(cause), wl = strlen(what);
    if (strncmp(why, what, wl) == 0 && why[wl] == ':') { /* why names it already */
        if (snprintf(cause + l, cap - l, "%s%s", l ? "; " : "", why) >= (int)(cap - l)) cause[cap - 1] = 0;
        return;
    }
    if (snprintf(cause + l, cap - l, "%s%s: %s", l ? "; " : "", what, why) >= (int)(cap - l)) cause[cap - 1] = 0;
}

static int fetch_ptau(job_ctx *c, char *path, size_t cap, ns_error *err) {
    const ns_job *j = c->job;
    snprintf(path, cap, "%s/%s", c->indir, j->ptau.name);
    char cause[1024] = "", what[1200];
    ns_error e;
    if (j->ptau.has_mirror) {
        snprintf(what, sizeof what, "mirror s3://%s/%s", j->ptau.mirror_bucket, j->ptau.mirror_key);
        logf_("ptau", "from the %s (requester pays)", what);
        ns_aws m = c->aws;
        snprintf(m.region, sizeof m.region, "%s", j->ptau.mirror_region);
        ns_s3_get_opts go = {.requester_pays = 1, .progress = on_s3_progress, .progress_ctx = c};
        if (ns_s3_get_resumable(&m, j->ptau.mirror_bucket, j->ptau.mirror_key, path, &go, NULL, &e) == 0 &&
            ptau_check(j, path, &e) == 0)
            return 0;
        logf_("ptau", "%s failed: %s", what, e.msg);
        add_cause(cause, sizeof cause, strncmp(e.msg, "s3://", 5) == 0 ? "mirror" : what, e.msg); /* named once */
    }
    for (int i = 0; i < j->ptau.nurls; i++) {
        set_phase(c, "ptau", j->ptau.urls[i]);
        if (ns_download_resumable_cb(path, j->ptau.urls[i], on_s3_progress, c, &e) == 0 && ptau_check(j, path, &e) == 0)
            return 0;
        logf_("ptau", "%s failed: %s", j->ptau.urls[i], e.msg);
        add_cause(cause, sizeof cause, j->ptau.urls[i], e.msg);
    }
    return ns_error_set(err, "%s", cause);
}

/* ---- the ceremony (host/run.h) ---- */

static int run_ceremony(job_ctx *c, const char *cbundle, const char *r1cs, const char *ptau, const ns_ptau_pins *pins,
                        ns_error *err) {
    const ns_job *j = c->job;
    ns_run_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.pins = *pins;
    ro.host.eng = c->o->eng;
    ro.host.circuit = cbundle;
    ro.host.cbundle_file = cbundle;
    ro.host.r1cs_file = r1cs;
    ro.host.ptau_file = ptau;
    ro.host.pins = &ro.pins;
    ro.host.circom_cmd = "circom"; /* not run: the bundle and r1cs are prebuilt */
    ro.outdir = c->bundle;
    ro.eif = c->o->eif;
    ro.drand_sim = strcmp(j->drand, "sim") == 0;
    ro.cpu_count = (int)j->enclave.cpu_count;
    ro.memory_mib = (int)j->enclave.memory_mib;
    ro.debug_mode = j->enclave.debug_mode;
    ro.port = (int)j->enclave.port;
    ro.scratch_parent = c->workdir;
    ro.phase = on_run_phase;
    ro.phase_ctx = c;
    ro.watch_s = c->o->watch_s;
    if (ro.debug_mode) logf_("enclave", "job.json asks for --debug-mode: the bundle will record it and fail verification");
    return ns_host_run(&ro, err);
}

/* ---- upload ---- */

static int cmp_name(const void *a, const void *b) { return strcmp(((const out_file *)a)->name, ((const out_file *)b)->name); }

/* The bundle's regular files, sorted, with their sizes and SHA-256. */
static int list_bundle(job_ctx *c, ns_error *err) {
    DIR *d = opendir(c->bundle);
    if (d == NULL) return ns_error_set(err, "%s: %s", c->bundle, strerror(errno));
    struct dirent *de;
    int rc = 0;
    c->nfiles = 0;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        char p[4200];
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", c->bundle, de->d_name);
        if (de->d_name[0] == '.' || lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (c->nfiles >= MAX_FILES || strlen(de->d_name) >= sizeof c->files[0].name)
            rc = ns_error_set(err, "%s: too many files or too long a name", c->bundle);
        else
            snprintf(c->files[c->nfiles++].name, sizeof c->files[0].name, "%s", de->d_name);
    }
    closedir(d);
    qsort(c->files, (size_t)c->nfiles, sizeof c->files[0], cmp_name);
    for (int i = 0; rc == 0 && i < c->nfiles; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", c->bundle, c->files[i].name);
        rc = sha256_file(c->files[i].sha256, &c->files[i].bytes, p, err);
    }
    return rc;
}

static int upload_bundle(job_ctx *c, ns_error *err) {
    if (list_bundle(c, err) != 0) return -1;
    uint64_t total = 0, done = 0;
    for (int i = 0; i < c->nfiles; i++) total += c->files[i].bytes;
    char *manifest = calloc((size_t)c->nfiles + 1, 80 + sizeof c->files[0].name);
    if (manifest == NULL) return ns_error_set(err, "out of memory");
    int rc = 0;
    for (int i = 0; rc == 0 && i < c->nfiles; i++) {
        char p[4200], key[600];
        snprintf(p, sizeof p, "%s/%s", c->bundle, c->files[i].name);
        snprintf(key, sizeof key, "%sbundle/%s", c->out_prefix, c->files[i].name);
        ns_s3_put_opts po = {.attempts = 3};
        if (ns_s3_put_file(&c->aws, c->job->bucket, key, p, &po, NULL, err) != 0) {
            ns_error_prefix(err, "bundle/%s", c->files[i].name);
            rc = -1;
            break;
        }
        done += c->files[i].bytes;
        set_progress(c, done, total, "upload");
        size_t l = strlen(manifest);
        sprintf(manifest + l, "%s  bundle/%s\n", c->files[i].sha256, c->files[i].name);
        logf_("upload", "bundle/%s (%llu bytes)", c->files[i].name, (unsigned long long)c->files[i].bytes);
    }
    if (rc == 0) {
        char key[300];
        snprintf(key, sizeof key, "%sMANIFEST.sha256", c->out_prefix);
        ns_s3_put_opts po = {.content_type = "text/plain", .attempts = 3};
        if (ns_s3_put_buffer(&c->aws, c->job->bucket, key, manifest, strlen(manifest), &po, NULL, err) != 0)
            rc = ns_error_prefix(err, "MANIFEST.sha256");
    }
    free(manifest);
    return rc;
}

/* host.log as it is now (a snapshot: the copy goes on while it uploads). */
static int upload_log(job_ctx *c, ns_error *err) {
    char snap[3200], key[300];
    fflush(stderr);
    snprintf(snap, sizeof snap, "%s.upload", c->log_path);
    if (ns_copy_file(snap, c->log_path, err) != 0) return -1;
    snprintf(key, sizeof key, "%shost.log", c->out_prefix);
    ns_s3_put_opts po = {.content_type = "text/plain", .attempts = 3};
    int rc = ns_s3_put_file(&c->aws, c->job->bucket, key, snap, &po, NULL, err);
    unlink(snap);
    return rc;
}

/* ---- results ---- */

static json_t *result_json(job_ctx *c, int ok, const char *phase, const char *cause) {
    char t[21];
    now_iso(t);
    json_t *o = json_pack("{s:s, s:s, s:b, s:s}", "format", "nitrosetup-result-1", "job", c ? c->job->job : "",
                          "ok", ok, "time", t);
    if (ok) {
        json_t *files = json_array();
        for (int i = 0; i < c->nfiles; i++) {
            char name[300];
            snprintf(name, sizeof name, "bundle/%s", c->files[i].name);
            json_array_append_new(files, json_pack("{s:s, s:I, s:s}", "name", name, "bytes",
                                                   (json_int_t)c->files[i].bytes, "sha256", c->files[i].sha256));
        }
        json_object_set_new(o, "files", files);
    } else {
        json_object_set_new(o, "phase", json_string(phase));
        json_object_set_new(o, "cause", json_string(cause));
    }
    return o;
}

/* DIR/result.json: the body of DONE.json or FAILED.json, written before it
 * is uploaded (the bootstrap reports the failure itself when it is absent). */
static int write_result(const char *workdir, json_t *res, ns_error *err) {
    char *s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    char p[3200];
    snprintf(p, sizeof p, "%s/result.json", workdir);
    int rc = s != NULL ? ns_write_file_atomic(p, s, strlen(s), err) : ns_error_set(err, "out of memory");
    free(s);
    return rc;
}

/* Records the result object in DIR/result.json, then sends it as DONE.json
 * or FAILED.json; when that fails, result.json goes again, so the bootstrap
 * writes FAILED.json itself. */
static int report(job_ctx *c, json_t *res, const char *name) {
    ns_error e;
    if (write_result(c->workdir, res, &e) != 0) logf_("report", "%s", e.msg);
    char *s = json_dumps(res, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    int reported = s != NULL && put_json_text(c, name, s, &e) == 0;
    free(s);
    if (!reported) {
        logf_("report", "out/%s not written: %s", name, e.msg);
        char p[3200];
        snprintf(p, sizeof p, "%s/result.json", c->workdir);
        unlink(p);
    }
    return reported ? 0 : -1;
}

/* The failure path: status, host.log, open multipart uploads aborted,
 * FAILED.json last.  The enclave is already gone (host/run.c). */
static void fail_job(job_ctx *c, const char *phase, const char *cause) {
    logf_("failed", "%s", cause);
    hb_stop(c);
    final_status(c, "failed", "the job failed", cause);
    ns_error e;
    tee_stop(c);
    if (upload_log(c, &e) != 0) ns_host_log("host", "report", "host.log not uploaded: %s", e.msg);
    int n = 0;
    if (ns_s3_abort_uploads(&c->aws, c->job->bucket, c->out_prefix, &n, NULL, &e) != 0)
        ns_host_log("host", "report", "open multipart uploads: %s", e.msg);
    else if (n > 0)
        ns_host_log("host", "report", "aborted %d open multipart upload(s) under %s", n, c->out_prefix);
    json_t *res = result_json(c, 0, phase, cause);
    report(c, res, "FAILED.json");
    json_decref(res);
}

/* ---- interruption (SIGTERM at power-off) ---- */

static void on_signal(void *v, int sig) {
    job_ctx *c = v;
    pthread_mutex_lock(&c->mu);
    int mine = !c->finished;
    c->finished = c->interrupted = 1;
    char phase[16];
    snprintf(phase, sizeof phase, "%s", c->phase);
    int enclave = c->enclave_phase;
    pthread_mutex_unlock(&c->mu);
    if (!mine) return; /* the job is already reporting its end */
    ns_error e;
    if (enclave && ns_nitro_terminate_all(&e) != 0) ns_host_log("host", "interrupted", "%s", e.msg);
    char cause[128];
    snprintf(cause, sizeof cause, "interrupted (%s) in phase %s", strsignal(sig), phase);
    fail_job(c, phase, cause);
}

/* The thread that ends the job claims the report; after an interruption
 * the signal thread has it and ends the process. */
static void claim_end(job_ctx *c) {
    pthread_mutex_lock(&c->mu);
    int lost = c->interrupted;
    c->finished = 1;
    pthread_mutex_unlock(&c->mu);
    while (lost) pause();
}

/* ---- the job ---- */

static int job_init(job_ctx *c, const ns_job *job, const ns_aws_job_opts *o, ns_error *err) {
    c->job = job;
    c->o = o;
    c->progress = -1;
    c->eta_s = -1;
    c->seq = 1; /* the user data wrote seq 0, the bootstrap 1 (docs/aws-job.md) */
    const char *hb = getenv("NITROSETUP_HEARTBEAT_S");
    c->hb_s = o->heartbeat_s > 0 ? o->heartbeat_s : hb && atoi(hb) > 0 ? atoi(hb) : 60;
    if (c->hb_s > 60) c->hb_s = 60;
    if (strlen(o->workdir) > 2900) return ns_error_set(err, "%s: path too long", o->workdir);
    snprintf(c->workdir, sizeof c->workdir, "%s", o->workdir);
    snprintf(c->indir, sizeof c->indir, "%s/in", o->workdir);
    snprintf(c->bundle, sizeof c->bundle, "%s/bundle", o->workdir);
    snprintf(c->log_path, sizeof c->log_path, "%s/host.log", o->workdir);
    snprintf(c->out_prefix, sizeof c->out_prefix, "jobs/%s/out/", job->job);
    if (mkdir(c->indir, 0700) != 0 && errno != EEXIST) return ns_error_set(err, "%s: %s", c->indir, strerror(errno));
    if (ns_aws_open(&c->aws, job->region, NULL, err) != 0) return -1;
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    ns_aws_job_instance_id(c->instance, sizeof c->instance);
    return 0;
}

/* The phases up to the bundle; on failure *phase names where. */
static int job_steps(job_ctx *c, char *phase, size_t cap, ns_error *err) {
    char cbundle[3300], r1cs[3300], ptau[3300];
    ns_ptau_pins pins;
    snprintf(phase, cap, "inputs");
    set_phase(c, "inputs", "circuit bundle and r1cs from in/");
    if (fetch_input(c, &c->job->circuit, cbundle, sizeof cbundle, err) != 0 ||
        fetch_input(c, &c->job->r1cs, r1cs, sizeof r1cs, err) != 0)
        return -1;
    snprintf(phase, cap, "ptau");
    set_phase(c, "ptau", c->job->ptau.name);
    if (ptau_policy(c->job, &pins, err) != 0 || fetch_ptau(c, ptau, sizeof ptau, err) != 0) return -1;
    logf_("ptau", "%s: BLAKE2b-512 matches job.json", c->job->ptau.name);
    if (run_ceremony(c, cbundle, r1cs, ptau, &pins, err) != 0) {
        pthread_mutex_lock(&c->mu);
        snprintf(phase, cap, "%s", c->phase);
        pthread_mutex_unlock(&c->mu);
        if (strncmp(err->msg, "the enclave exited", 18) == 0) snprintf(phase, cap, "enclave");
        return -1;
    }
    snprintf(phase, cap, "upload");
    set_phase(c, "upload", "bundle to out/bundle/");
    return upload_bundle(c, err);
}

int ns_aws_job_run(const ns_job *job, const ns_aws_job_opts *o, ns_error *err) {
    job_ctx *c = calloc(1, sizeof *c);
    if (c == NULL) return ns_error_set(err, "out of memory");
    if (job_init(c, job, o, err) != 0) { /* nothing to report to: the bootstrap does */
        free(c);
        return -1;
    }
    tee_start(c);
    logf_("job", "%s: bucket %s, region %s, instance %s", job->job, job->bucket, job->region, c->instance);
    set_phase(c, "boot", "the host program runs");
    hb_start(c);
    ns_interrupt_on_signal(on_signal, c);
    char phase[16];
    int rc = job_steps(c, phase, sizeof phase, err);
    if (rc == 0) {
        claim_end(c);
        hb_stop(c);
        final_status(c, "done", "the bundle is in out/bundle/", NULL);
        tee_stop(c);
        if (upload_log(c, err) != 0) {
            ns_error_prefix(err, "host.log");
            snprintf(phase, sizeof phase, "upload");
            rc = -1;
        } else {
            json_t *res = result_json(c, 1, NULL, NULL);
            rc = report(c, res, "DONE.json");
            json_decref(res);
            if (rc != 0) ns_error_set(err, "upload: DONE.json could not be written");
        }
    } else {
        claim_end(c);
    }
    if (rc != 0) {
        char cause[600];
        snprintf(cause, sizeof cause, "%s: %s", phase, err->msg);
        fail_job(c, phase, cause);
        ns_error_set(err, "%s", cause);
    }
    ns_interrupt_on_signal(NULL, NULL);
    hb_stop(c);
    tee_stop(c);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
    return rc;
}
