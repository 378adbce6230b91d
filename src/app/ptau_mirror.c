#include "app/ptau_mirror.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/cli.h"
#include "aws/s3.h"
#include "formats/hermez.h"
#include "host/download.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/interrupt.h"

#define PREFIX "ptau/"

typedef struct {
    const ns_mirror_opts *o;
    ns_aws aws;
    char scratch[4096];
    int scratch_made;
    char *b2sums; /* the B2SUMS text */
    size_t b2len;
} mirror;

static void say(mirror *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(mirror *m, const char *fmt, ...) {
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (m->o->say) m->o->say(m->o->say_ctx, line);
    else printf("%s\n", line), fflush(stdout);
}

static int run(mirror *m, const char *const *args, ns_error *err) {
    ns_aws_result r = {0};
    int rc = ns_aws_run_retry(&m->aws, &r, args, 4, err);
    ns_aws_result_free(&r);
    return rc;
}

/* The bucket: created when head-bucket says it is not there. */
static int ensure_bucket(mirror *m, ns_error *err) {
    const char *b = m->o->bucket;
    const char *head[] = {"s3api", "head-bucket", "--bucket", b, NULL};
    ns_aws_result r = {0};
    int rc = ns_aws_run(&m->aws, &r, head, err);
    ns_aws_kind kind = r.kind;
    ns_aws_result_free(&r);
    if (rc == 0) {
        say(m, "bucket %s: exists", b);
        return 0;
    }
    if (kind != NS_AWS_E_NOT_FOUND) return ns_error_prefix(err, "bucket %s", b);
    char cfg[96];
    snprintf(cfg, sizeof cfg, "LocationConstraint=%s", m->aws.region);
    const char *create[] = {"s3api", "create-bucket", "--bucket", b,
                            strcmp(m->aws.region, "us-east-1") != 0 ? "--create-bucket-configuration" : NULL, cfg,
                            NULL};
    if (run(m, create, err) != 0) return ns_error_prefix(err, "bucket %s: create", b);
    say(m, "bucket %s: created in %s", b, m->aws.region);
    return 0;
}

static int configure_bucket(mirror *m, ns_error *err) {
    const char *b = m->o->bucket;
    char policy[600];
    snprintf(policy, sizeof policy,
             "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"ReadPtau\", \"Effect\": \"Allow\", "
             "\"Principal\": {\"AWS\": \"*\"}, \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::%s/" PREFIX
             "*\"}]}",
             b);
    const char *pab[] = {"s3api", "put-public-access-block", "--bucket", b, "--public-access-block-configuration",
                         "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false",
                         NULL};
    const char *pay[] = {"s3api", "put-bucket-request-payment", "--bucket", b, "--request-payment-configuration",
                         "Payer=Requester", NULL};
    const char *pol[] = {"s3api", "put-bucket-policy", "--bucket", b, "--policy", policy, NULL};
    const char *tag[] = {"s3api", "put-bucket-tagging", "--bucket", b, "--tagging",
                         "{\"TagSet\": [{\"Key\": \"nitrosetup:role\", \"Value\": \"ptau-mirror\"}]}", NULL};
    if (run(m, pab, err) != 0 || run(m, pay, err) != 0 || run(m, pol, err) != 0 || run(m, tag, err) != 0)
        return ns_error_prefix(err, "bucket %s", b);
    say(m, "bucket %s: public-access block (ACLs blocked, policy allowed), requester pays, policy (GetObject on "
           PREFIX "* for any AWS principal), tag nitrosetup:role=ptau-mirror",
        b);
    return 0;
}

static void add_sum(mirror *m, const ns_hermez_ptau *e) {
    char *n = realloc(m->b2sums, m->b2len + 256);
    if (n == NULL) return;
    m->b2sums = n;
    m->b2len += (size_t)snprintf(m->b2sums + m->b2len, 256, "%s  %s\n", e->b2sum, e->file);
}

/* The lines of the mirror's B2SUMS for Hermez files outside this run's
 * powers (a run over a part of the range keeps the rest). */
static void keep_other_sums(mirror *m) {
    char path[4200];
    const char *t = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/nitrosetup-b2sums-XXXXXX", t && *t ? t : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) return;
    close(fd);
    unlink(path); /* ns_s3_get_resumable makes it */
    ns_error e;
    ns_aws_result r = {0};
    if (ns_s3_get_resumable(&m->aws, m->o->bucket, PREFIX "B2SUMS", path, NULL, &r, &e) == 0) {
        FILE *f = fopen(path, "r");
        char line[512];
        while (f != NULL && fgets(line, sizeof line, f) != NULL) {
            char hash[200], file[200];
            if (sscanf(line, "%199s %199s", hash, file) != 2) continue;
            size_t n;
            const ns_hermez_ptau *t2 = ns_hermez_table(&n);
            for (size_t i = 0; i < n; i++)
                if ((t2[i].power < m->o->min_power || t2[i].power > m->o->max_power) && strcmp(t2[i].file, file) == 0 &&
                    strcmp(t2[i].b2sum, hash) == 0)
                    add_sum(m, &t2[i]);
        }
        if (f) fclose(f);
    }
    ns_aws_result_free(&r);
    unlink(path);
    char part[4300];
    snprintf(part, sizeof part, "%s.part", path);
    unlink(part);
}

/* The local file for e: --from DIR/<file>, else a download into scratch
 * (*temp = 1: remove it after the upload). */
static int obtain(mirror *m, const ns_hermez_ptau *e, char *path, size_t cap, int *temp, ns_error *err) {
    *temp = 0;
    struct stat st;
    if (m->o->from_dir != NULL) {
        snprintf(path, cap, "%s/%s", m->o->from_dir, e->file);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return 0;
    }
    if (!m->scratch_made) { /* kept across runs: a cut download resumes */
        const char *t = m->o->scratch ? m->o->scratch : getenv("TMPDIR");
        snprintf(m->scratch, sizeof m->scratch, "%s/nitrosetup-mirror-%s", t && *t ? t : "/tmp", m->o->bucket);
        if (mkdir(m->scratch, 0700) != 0 && errno != EEXIST) return ns_error_set(err, "%s: %s", m->scratch, strerror(errno));
        m->scratch_made = 1;
    }
    const char *base = m->o->url_base ? m->o->url_base : getenv("NITROSETUP_PTAU_URL_BASE");
    if (base == NULL || *base == 0) base = NS_HERMEZ_URL_BASE;
    char url[1200];
    size_t bl = strlen(base);
    snprintf(url, sizeof url, "%s%s%s", base, base[bl - 1] == '/' ? "" : "/", e->file);
    snprintf(path, cap, "%s/%s", m->scratch, e->file);
    say(m, "power %u: downloading %s", e->power, url);
    *temp = 1;
    return ns_download_resumable(path, url, err);
}

/* One power: 1 skipped, 2 uploaded, -1 refused (wrong hash), -2 failed. */
static int one_power(mirror *m, const ns_hermez_ptau *e, ns_error *err) {
    char key[256], path[4400];
    snprintf(key, sizeof key, PREFIX "%s", e->file);
    ns_s3_object obj;
    ns_aws_result r = {0};
    int have = ns_s3_head(&m->aws, m->o->bucket, key, 0, &obj, &r, err) == 0;
    ns_aws_kind kind = r.kind;
    ns_aws_result_free(&r);
    if (!have && kind != NS_AWS_E_NOT_FOUND) return -2;
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", m->o->from_dir ? m->o->from_dir : "", e->file);
    int local = m->o->from_dir != NULL && stat(path, &st) == 0;
    if (have && strcmp(obj.blake2b, e->b2sum) == 0 && obj.bytes > 0 && (!local || (uint64_t)st.st_size == obj.bytes)) {
        say(m, "power %u: s3://%s/%s is there (%llu bytes, blake2b metadata matches the Hermez table): skipped", e->power,
            m->o->bucket, key, (unsigned long long)obj.bytes);
        return 1;
    }
    int temp;
    if (obtain(m, e, path, sizeof path, &temp, err) != 0) return -2;
    uint8_t h[64];
    uint64_t bytes;
    char hx[129];
    if (ns_blake2b512_file(h, path, &bytes, err) != 0) return -2;
    ns_hex_encode(hx, h, 64);
    if (strcmp(hx, e->b2sum) != 0) {
        ns_error_set(err, "%s: BLAKE2b-512 %.32s... is not the Hermez table's %.32s... for %s: refused, not uploaded", path,
                     hx, e->b2sum, e->file);
        if (temp) unlink(path);
        return -1;
    }
    char meta[160];
    snprintf(meta, sizeof meta, "blake2b=%s", e->b2sum);
    ns_s3_put_opts po = {.storage_class = "ONEZONE_IA", .metadata = meta, .attempts = 4};
    say(m, "power %u: uploading %s (%llu bytes, BLAKE2b-512 matches the Hermez table)", e->power, e->file,
        (unsigned long long)bytes);
    int rc = ns_s3_put_file(&m->aws, m->o->bucket, key, path, &po, NULL, err);
    if (temp) unlink(path);
    return rc == 0 ? 2 : -2;
}

int ns_ptau_mirror(const ns_mirror_opts *o, ns_mirror_report *rep, ns_error *err) {
    memset(rep, 0, sizeof *rep);
    if (o->min_power < NS_HERMEZ_MIN_POWER || o->max_power > NS_HERMEZ_MAX_POWER || o->min_power > o->max_power)
        return ns_error_set(err, "powers %u..%u: the Hermez files go from %d to %d", o->min_power, o->max_power,
                            NS_HERMEZ_MIN_POWER, NS_HERMEZ_MAX_POWER);
    if (ns_s3_check_bucket(o->bucket, "--bucket", err) != 0) return -1;
    mirror m;
    memset(&m, 0, sizeof m);
    m.o = o;
    if (ns_aws_open(&m.aws, o->region ? o->region : "us-east-1", NULL, err) != 0) return -1;
    if (ensure_bucket(&m, err) != 0 || configure_bucket(&m, err) != 0) return -1;
    keep_other_sums(&m);
    ns_error first = {""};
    for (uint32_t p = o->min_power; p <= o->max_power; p++) {
        const ns_hermez_ptau *e = ns_hermez_by_power(p);
        ns_error e2;
        int r = e ? one_power(&m, e, &e2) : -2;
        if (e == NULL) ns_error_set(&e2, "power %u: not in the Hermez table", p);
        if (r == 1) rep->skipped++;
        else if (r == 2) rep->uploaded++;
        else if (r == -1) rep->refused++;
        else rep->failed++;
        if (r > 0) add_sum(&m, e);
        else {
            say(&m, "power %u: %s: %s", p, r == -1 ? "REFUSED" : "FAILED", e2.msg);
            if (first.msg[0] == 0) first = e2;
        }
    }
    if (m.scratch_made) rmdir(m.scratch); /* only when empty: partial downloads stay for the next run */
    int rc = 0;
    if (m.b2len > 0) {
        ns_s3_put_opts po = {.content_type = "text/plain", .attempts = 4};
        ns_error e3;
        if (ns_s3_put_buffer(&m.aws, o->bucket, PREFIX "B2SUMS", m.b2sums, m.b2len, &po, NULL, &e3) != 0) {
            if (first.msg[0] == 0) first = e3;
            rep->failed++;
        } else {
            say(&m, "s3://%s/" PREFIX "B2SUMS: %d file(s)", o->bucket, rep->skipped + rep->uploaded);
        }
    }
    free(m.b2sums);
    if (rep->refused + rep->failed > 0) {
        rc = ns_error_set(err, "%s", first.msg);
    }
    return rc;
}
