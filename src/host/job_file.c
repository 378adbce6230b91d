#include "host/job_file.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>

#include "aws/s3.h"
#include "util/hex.h"
#include "util/outfile.h"

/* ---- the rules, shared by the reader and the writer ---- */

static int bad(ns_error *err, const char *name, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int bad(ns_error *err, const char *name, const char *field, const char *fmt, ...) {
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ns_error_set(err, "%s: %s: %s", name, field, msg);
}

static int all_in(const char *s, const char *set) { return strspn(s, set) == strlen(s); }

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define DIGITS "0123456789"
#define KEYCHARS LOWER "ABCDEFGHIJKLMNOPQRSTUVWXYZ" DIGITS "._-/"

int ns_job_id_valid(const char *id) {
    size_t n = strlen(id);
    return n >= 8 && n <= 40 && all_in(id, LOWER DIGITS "-") && id[0] != '-' && id[n - 1] != '-';
}

static int hex_ok(const char *s, size_t digits) { return strlen(s) == digits && all_in(s, DIGITS "abcdef"); }

static int region_ok(const char *r) {
    size_t n = strlen(r);
    return n >= 4 && n < 32 && all_in(r, LOWER DIGITS "-") && r[0] >= 'a' && r[0] <= 'z' && r[n - 1] >= '0' &&
           r[n - 1] <= '9';
}

static int time_ok(const char *t) {
    /* YYYY-MM-DDTHH:MM:SSZ */
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (strlen(t) != sizeof shape - 1) return 0;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i]) return 0;
    int mo = atoi(t + 5), d = atoi(t + 8), h = atoi(t + 11), mi = atoi(t + 14), s = atoi(t + 17);
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60;
}

static int in_key_ok(const char *k) {
    size_t n = strlen(k);
    return n > 3 && strncmp(k, "in/", 3) == 0 && all_in(k, KEYCHARS) && strstr(k, "..") == NULL &&
           strstr(k, "//") == NULL && k[n - 1] != '/';
}

static int file_name_ok(const char *s, const char *suffix) {
    size_t n = strlen(s), sl = strlen(suffix);
    return n > sl && all_in(s, LOWER "ABCDEFGHIJKLMNOPQRSTUVWXYZ" DIGITS "._-") && s[0] != '.' &&
           strcmp(s + n - sl, suffix) == 0;
}

static int url_ok(const char *u) {
    if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) return 0;
    for (const char *p = u; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) return 0;
    return strlen(u) > 8;
}

static int check_input(const ns_job_input *in, const char *field, const char *name, ns_error *err) {
    char f[64];
    snprintf(f, sizeof f, "inputs.%s.key", field);
    if (!in_key_ok(in->key)) return bad(err, name, f, "'%.80s' is not a key under in/", in->key);
    snprintf(f, sizeof f, "inputs.%s.sha256", field);
    if (!hex_ok(in->sha256, 64)) return bad(err, name, f, "not 64 lower-case hex digits");
    snprintf(f, sizeof f, "inputs.%s.bytes", field);
    if (in->bytes == 0 || in->bytes > ((uint64_t)1 << 40)) return bad(err, name, f, "out of range (1 .. 2^40)");
    return 0;
}

static int check_ptau(const ns_job *j, const char *name, ns_error *err) {
    if (!file_name_ok(j->ptau.name, ".ptau")) return bad(err, name, "ptau.name", "not a plain .ptau file name");
    if (j->ptau.power < 1 || j->ptau.power > 28) return bad(err, name, "ptau.power", "out of range (1 .. 28)");
    if (!hex_ok(j->ptau.blake2b, 128)) return bad(err, name, "ptau.blake2b", "not 128 lower-case hex digits");
    if (j->ptau.bytes > ((uint64_t)1 << 40)) return bad(err, name, "ptau.bytes", "out of range (0 .. 2^40)");
    if (j->ptau.has_mirror) {
        ns_error e2;
        if (ns_s3_check_bucket(j->ptau.mirror_bucket, "bucket", &e2) != 0)
            return bad(err, name, "ptau.mirror.bucket", "not an S3 bucket name");
        if (ns_s3_check_key(j->ptau.mirror_key, "key", &e2) != 0 || j->ptau.mirror_key[0] == '/')
            return bad(err, name, "ptau.mirror.key", "not an S3 key");
        if (!region_ok(j->ptau.mirror_region)) return bad(err, name, "ptau.mirror.region", "not a region name");
    }
    if (j->ptau.nurls < 0 || j->ptau.nurls > NS_JOB_MAX_URLS) return bad(err, name, "ptau.urls", "too many");
    for (int i = 0; i < j->ptau.nurls; i++)
        if (!url_ok(j->ptau.urls[i])) return bad(err, name, "ptau.urls", "entry %d is not an http(s) URL", i);
    if (!j->ptau.has_mirror && j->ptau.nurls == 0) return bad(err, name, "ptau", "neither a mirror nor a URL");
    return 0;
}

int ns_job_check(const ns_job *j, const char *name, ns_error *err) {
    if (!ns_job_id_valid(j->job)) return bad(err, name, "job", "'%.48s' is not a job id", j->job);
    if (!region_ok(j->region)) return bad(err, name, "region", "'%.40s' is not a region name", j->region);
    ns_error e2;
    if (ns_s3_check_bucket(j->bucket, "bucket", &e2) != 0) return bad(err, name, "bucket", "not an S3 bucket name");
    if (!time_ok(j->created)) return bad(err, name, "created", "not YYYY-MM-DDTHH:MM:SSZ");
    if (!time_ok(j->deadline)) return bad(err, name, "deadline", "not YYYY-MM-DDTHH:MM:SSZ");
    if (strcmp(j->deadline, j->created) <= 0) return bad(err, name, "deadline", "not after created");
    if (check_input(&j->host, "host", name, err) || check_input(&j->eif, "eif", name, err) ||
        check_input(&j->circuit, "circuit", name, err) || check_input(&j->r1cs, "r1cs", name, err))
        return -1;
    if (check_ptau(j, name, err) != 0) return -1;
    if (j->ntrust < 0 || j->ntrust > NS_PTAU_MAX_PINS) return bad(err, name, "trust_ptau", "too many (at most %d)", NS_PTAU_MAX_PINS);
    for (int i = 0; i < j->ntrust; i++)
        if (!hex_ok(j->trust_ptau[i], 128)) return bad(err, name, "trust_ptau", "entry %d is not 128 lower-case hex digits", i);
    if (strcmp(j->drand, "quicknet") != 0 && strcmp(j->drand, "sim") != 0)
        return bad(err, name, "drand", "'%.20s' is neither quicknet nor sim", j->drand);
    if (j->enclave.memory_mib < 64 || j->enclave.memory_mib > (1u << 24))
        return bad(err, name, "enclave.memory_mib", "out of range (64 .. 2^24)");
    if (j->enclave.cpu_count < 1 || j->enclave.cpu_count > 1024) return bad(err, name, "enclave.cpu_count", "out of range (1 .. 1024)");
    if (j->enclave.port < 1 || j->enclave.port > 65535) return bad(err, name, "enclave.port", "out of range (1 .. 65535)");
    return 0;
}

/* ---- reading ---- */

typedef struct {
    const char *name;
    ns_error *err;
} rd;

/* o must be an object holding no key outside keys (NULL-terminated). */
static int object_of(rd *r, json_t *o, const char *path, const char *const *keys) {
    if (!json_is_object(o)) return bad(r->err, r->name, path, "not an object");
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int known = 0;
        for (const char *const *p = keys; *p && !known; p++) known = strcmp(*p, k) == 0;
        if (!known) return bad(r->err, r->name, path, "unknown field '%.40s'", k);
    }
    return 0;
}

static json_t *need(rd *r, json_t *o, const char *path, const char *key, char *field, size_t cap) {
    if (path[0]) snprintf(field, cap, "%s.%s", path, key);
    else snprintf(field, cap, "%s", key);
    json_t *v = json_object_get(o, key);
    if (v == NULL) bad(r->err, r->name, field, "missing");
    return v;
}

static int str_at(rd *r, json_t *o, const char *path, const char *key, char *out, size_t cap) {
    char f[96];
    json_t *v = need(r, o, path, key, f, sizeof f);
    if (v == NULL) return -1;
    if (!json_is_string(v)) return bad(r->err, r->name, f, "not a string");
    if (strlen(json_string_value(v)) >= cap || strlen(json_string_value(v)) != json_string_length(v))
        return bad(r->err, r->name, f, "too long or holds a NUL");
    snprintf(out, cap, "%s", json_string_value(v));
    return 0;
}

static int uint_at(rd *r, json_t *o, const char *path, const char *key, uint64_t *out) {
    char f[96];
    json_t *v = need(r, o, path, key, f, sizeof f);
    if (v == NULL) return -1;
    if (!json_is_integer(v) || json_integer_value(v) < 0) return bad(r->err, r->name, f, "not a non-negative integer");
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int u32_at(rd *r, json_t *o, const char *path, const char *key, uint32_t *out) {
    uint64_t v;
    if (uint_at(r, o, path, key, &v) != 0) return -1;
    *out = v > 0xffffffffu ? 0xffffffffu : (uint32_t)v; /* the check refuses what is out of range */
    return 0;
}

static int input_at(rd *r, json_t *inputs, const char *field, ns_job_input *in) {
    static const char *const keys[] = {"key", "sha256", "bytes", NULL};
    char path[64], f[96];
    snprintf(path, sizeof path, "inputs.%s", field);
    json_t *o = need(r, inputs, "inputs", field, f, sizeof f);
    if (o == NULL || object_of(r, o, path, keys) != 0) return -1;
    return str_at(r, o, path, "key", in->key, sizeof in->key) || str_at(r, o, path, "sha256", in->sha256, sizeof in->sha256) ||
                   uint_at(r, o, path, "bytes", &in->bytes)
               ? -1
               : 0;
}

static int ptau_at(rd *r, json_t *root, ns_job *j) {
    static const char *const keys[] = {"name", "power", "blake2b", "bytes", "mirror", "urls", NULL};
    static const char *const mkeys[] = {"bucket", "key", "region", NULL};
    char f[96];
    json_t *p = need(r, root, "", "ptau", f, sizeof f);
    if (p == NULL || object_of(r, p, "ptau", keys) != 0) return -1;
    if (str_at(r, p, "ptau", "name", j->ptau.name, sizeof j->ptau.name) ||
        u32_at(r, p, "ptau", "power", &j->ptau.power) ||
        str_at(r, p, "ptau", "blake2b", j->ptau.blake2b, sizeof j->ptau.blake2b) ||
        uint_at(r, p, "ptau", "bytes", &j->ptau.bytes))
        return -1;
    json_t *m = need(r, p, "ptau", "mirror", f, sizeof f);
    if (m == NULL) return -1;
    if (!json_is_null(m)) {
        if (object_of(r, m, "ptau.mirror", mkeys) != 0 ||
            str_at(r, m, "ptau.mirror", "bucket", j->ptau.mirror_bucket, sizeof j->ptau.mirror_bucket) ||
            str_at(r, m, "ptau.mirror", "key", j->ptau.mirror_key, sizeof j->ptau.mirror_key) ||
            str_at(r, m, "ptau.mirror", "region", j->ptau.mirror_region, sizeof j->ptau.mirror_region))
            return -1;
        j->ptau.has_mirror = 1;
    }
    json_t *u = need(r, p, "ptau", "urls", f, sizeof f);
    if (u == NULL) return -1;
    if (!json_is_array(u)) return bad(r->err, r->name, f, "not an array");
    if (json_array_size(u) > NS_JOB_MAX_URLS) return bad(r->err, r->name, f, "more than %d", NS_JOB_MAX_URLS);
    for (size_t i = 0; i < json_array_size(u); i++) {
        const char *s = json_string_value(json_array_get(u, i));
        if (s == NULL || strlen(s) >= sizeof j->ptau.urls[0]) return bad(r->err, r->name, f, "entry %zu is not a string URL", i);
        snprintf(j->ptau.urls[j->ptau.nurls++], sizeof j->ptau.urls[0], "%s", s);
    }
    return 0;
}

static int enclave_at(rd *r, json_t *root, ns_job *j) {
    static const char *const keys[] = {"memory_mib", "cpu_count", "debug_mode", "port", NULL};
    char f[96];
    json_t *e = need(r, root, "", "enclave", f, sizeof f);
    if (e == NULL || object_of(r, e, "enclave", keys) != 0) return -1;
    if (u32_at(r, e, "enclave", "memory_mib", &j->enclave.memory_mib) ||
        u32_at(r, e, "enclave", "cpu_count", &j->enclave.cpu_count) || u32_at(r, e, "enclave", "port", &j->enclave.port))
        return -1;
    json_t *d = need(r, e, "enclave", "debug_mode", f, sizeof f);
    if (d == NULL) return -1;
    if (!json_is_boolean(d)) return bad(r->err, r->name, f, "not true or false");
    j->enclave.debug_mode = json_is_true(d);
    return 0;
}

static int trust_at(rd *r, json_t *root, ns_job *j) {
    char f[96];
    json_t *t = need(r, root, "", "trust_ptau", f, sizeof f);
    if (t == NULL) return -1;
    if (!json_is_array(t)) return bad(r->err, r->name, f, "not an array");
    if (json_array_size(t) > NS_PTAU_MAX_PINS) return bad(r->err, r->name, f, "more than %d", NS_PTAU_MAX_PINS);
    for (size_t i = 0; i < json_array_size(t); i++) {
        const char *s = json_string_value(json_array_get(t, i));
        if (s == NULL || strlen(s) >= sizeof j->trust_ptau[0]) return bad(r->err, r->name, f, "entry %zu is not 128 hex digits", i);
        snprintf(j->trust_ptau[j->ntrust++], sizeof j->trust_ptau[0], "%s", s);
    }
    return 0;
}

int ns_job_parse(ns_job *j, const char *text, size_t len, const char *name, ns_error *err) {
    static const char *const keys[] = {"format",  "job",   "region", "bucket",     "created", "deadline", "inputs",
                                       "ptau",    "trust_ptau", "drand", "enclave", NULL};
    static const char *const ikeys[] = {"host", "eif", "circuit", "r1cs", NULL};
    memset(j, 0, sizeof *j);
    if (len > NS_JOB_MAX_BYTES) return ns_error_set(err, "%s: larger than %d bytes", name, NS_JOB_MAX_BYTES);
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) return ns_error_set(err, "%s: not JSON (line %d: %s)", name, je.line, je.text);
    rd r = {name, err};
    char fmt[64], f[96];
    int rc = -1;
    json_t *inputs;
    if (object_of(&r, root, "(top level)", keys) != 0 || str_at(&r, root, "", "format", fmt, sizeof fmt) != 0) goto out;
    if (strcmp(fmt, NS_JOB_FORMAT) != 0) {
        bad(err, name, "format", "'%s' is not %s", fmt, NS_JOB_FORMAT);
        goto out;
    }
    if (str_at(&r, root, "", "job", j->job, sizeof j->job) || str_at(&r, root, "", "region", j->region, sizeof j->region) ||
        str_at(&r, root, "", "bucket", j->bucket, sizeof j->bucket) ||
        str_at(&r, root, "", "created", j->created, sizeof j->created) ||
        str_at(&r, root, "", "deadline", j->deadline, sizeof j->deadline))
        goto out;
    if ((inputs = need(&r, root, "", "inputs", f, sizeof f)) == NULL || object_of(&r, inputs, "inputs", ikeys) != 0 ||
        input_at(&r, inputs, "host", &j->host) || input_at(&r, inputs, "eif", &j->eif) ||
        input_at(&r, inputs, "circuit", &j->circuit) || input_at(&r, inputs, "r1cs", &j->r1cs))
        goto out;
    if (ptau_at(&r, root, j) || trust_at(&r, root, j) || str_at(&r, root, "", "drand", j->drand, sizeof j->drand) ||
        enclave_at(&r, root, j))
        goto out;
    rc = ns_job_check(j, name, err);
out:
    json_decref(root);
    return rc;
}

int ns_job_read(ns_job *j, const char *path, ns_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return ns_error_set(err, "%s: %s", path, strerror(errno));
    char *buf = malloc(NS_JOB_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, NS_JOB_MAX_BYTES + 1, f) : 0;
    int rerr = ferror(f);
    fclose(f);
    if (buf == NULL) return ns_error_set(err, "out of memory");
    int rc = rerr ? ns_error_set(err, "%s: read error", path) : ns_job_parse(j, buf, n, path, err);
    free(buf);
    return rc;
}

/* ---- writing ---- */

static json_t *input_json(const ns_job_input *in) {
    return json_pack("{s:s, s:s, s:I}", "key", in->key, "sha256", in->sha256, "bytes", (json_int_t)in->bytes);
}

char *ns_job_dumps(const ns_job *j, ns_error *err) {
    if (ns_job_check(j, "job.json", err) != 0) return NULL;
    json_t *urls = json_array(), *trust = json_array();
    for (int i = 0; i < j->ptau.nurls; i++) json_array_append_new(urls, json_string(j->ptau.urls[i]));
    for (int i = 0; i < j->ntrust; i++) json_array_append_new(trust, json_string(j->trust_ptau[i]));
    json_t *mirror = j->ptau.has_mirror ? json_pack("{s:s, s:s, s:s}", "bucket", j->ptau.mirror_bucket, "key",
                                                    j->ptau.mirror_key, "region", j->ptau.mirror_region)
                                        : json_null();
    json_t *o = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:{s:o, s:o, s:o, s:o}, s:{s:s, s:i, s:s, s:I, s:o, s:o}, s:o, s:s, "
        "s:{s:i, s:i, s:b, s:i}}",
        "format", NS_JOB_FORMAT, "job", j->job, "region", j->region, "bucket", j->bucket, "created", j->created,
        "deadline", j->deadline, "inputs", "host", input_json(&j->host), "eif", input_json(&j->eif), "circuit",
        input_json(&j->circuit), "r1cs", input_json(&j->r1cs), "ptau", "name", j->ptau.name, "power",
        (int)j->ptau.power, "blake2b", j->ptau.blake2b, "bytes", (json_int_t)j->ptau.bytes, "mirror", mirror, "urls",
        urls, "trust_ptau", trust, "drand", j->drand, "enclave", "memory_mib", (int)j->enclave.memory_mib,
        "cpu_count", (int)j->enclave.cpu_count, "debug_mode", j->enclave.debug_mode, "port", (int)j->enclave.port);
    if (o == NULL) {
        ns_error_set(err, "job.json: cannot build the JSON");
        return NULL;
    }
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (s == NULL) ns_error_set(err, "out of memory");
    return s;
}

int ns_job_write(const char *path, const ns_job *j, ns_error *err) {
    char *s = ns_job_dumps(j, err);
    if (s == NULL) return ns_error_prefix(err, "%s", path);
    size_t n = strlen(s);
    s[n] = '\n'; /* the NUL's place: one trailing newline */
    int rc = ns_write_file_atomic(path, s, n + 1, err);
    free(s);
    return rc;
}

void ns_job_time(char out[21], long long t) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int ns_job_new_id(char out[41], ns_error *err) {
    uint8_t rnd[3];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) return ns_error_set(err, "getrandom: %s", strerror(errno));
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char day[16], hx[7];
    strftime(day, sizeof day, "%Y%m%d-%H%M", &tm);
    ns_hex_encode(hx, rnd, 3);
    snprintf(out, 41, "%s-%s", day, hx);
    return 0;
}
