#include "app/aws_job.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/deploy_files.h"
#include "aws/account.h"
#include "aws/cfn.h"
#include "aws/ec2.h"
#include "aws/s3.h"
#include "host/job_file.h"
#include "protocol/sizing.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/interrupt.h"

#define TEARDOWN_MARGIN_S (45 * 60)
#define REAPER_SLACK_MIN 15
#define SMALL_MAX (1 << 20)

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

double ns_aws_hours_since(const char *iso) {
    time_t t = iso && *iso ? ns_aws_parse_time(iso) : -1;
    if (t < 0) return 0;
    double h = difftime(time(NULL), t) / 3600.0;
    return h > 0 ? h : 0;
}

/* SHA-256 of a file as 64 hex digits. */
static int sha256_file(char hex[65], const char *path, uint64_t *size, ns_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "%s: %s", path, strerror(errno));
    ns_hash *h = ns_hash_new(NS_HASH_SHA256);
    uint8_t *buf = malloc(1 << 20);
    uint64_t total = 0;
    int rc = 0;
    if (h == NULL || buf == NULL) rc = ns_error_set(err, "%s: out of memory", path);
    while (rc == 0) {
        ssize_t r = read(fd, buf, 1 << 20);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) rc = ns_error_set(err, "%s: read: %s", path, strerror(errno));
        if (r <= 0) break;
        ns_hash_update(h, buf, (size_t)r);
        total += (uint64_t)r;
    }
    if (rc == 0) {
        uint8_t d[32];
        ns_hash_final(h, d);
        ns_hex_encode(hex, d, 32);
    }
    if (size) *size = total;
    ns_hash_free(h);
    free(buf);
    close(fd);
    return rc;
}

/* A small object (status.json, DONE.json, MANIFEST.sha256) into memory
 * (malloc, NUL-terminated); NULL with r->kind NS_AWS_E_NOT_FOUND when
 * there is none. */
static char *get_small(const ns_aws *a, const char *bucket, const char *key, ns_aws_result *r, ns_error *err) {
    char tmp[4200], dir[4096];
    if (ns_aws_state_dir(dir, sizeof dir, err) != 0) return NULL;
    snprintf(tmp, sizeof tmp, "%s/.get-%d-XXXXXX", dir, (int)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        ns_error_set(err, "%s: %s", tmp, strerror(errno));
        return NULL;
    }
    close(fd);
    int slot = ns_interrupt_track_file(tmp);
    const char *args[] = {"s3api", "get-object", "--bucket", bucket, "--key", key, tmp, NULL};
    char *text = NULL;
    if (ns_aws_run_retry(a, r, args, 3, err) == 0) {
        FILE *f = fopen(tmp, "rb");
        text = f ? malloc(SMALL_MAX + 1) : NULL;
        size_t n = text ? fread(text, 1, SMALL_MAX, f) : 0;
        if (f) fclose(f);
        if (text) text[n] = 0;
        else ns_error_set(err, "%s: cannot read the downloaded s3://%s/%s", tmp, bucket, key);
    }
    unlink(tmp);
    ns_interrupt_untrack(slot);
    return text;
}

static json_t *get_json(const ns_aws *a, const char *bucket, const char *key, ns_aws_result *r, ns_error *err) {
    char *t = get_small(a, bucket, key, r, err);
    if (t == NULL) return NULL;
    json_error_t je;
    json_t *j = json_loads(t, 0, &je);
    free(t);
    if (j == NULL) ns_error_set(err, "s3://%s/%s: not JSON (%s, line %d)", bucket, key, je.text, je.line);
    return j;
}

int ns_aws_account(const ns_aws *a, ns_aws_job *j, ns_error *err) {
    ns_aws_result r = {0};
    int rc = ns_aws_identity(a, j->account, sizeof j->account, j->caller, sizeof j->caller, &r, err);
    ns_aws_result_free(&r);
    if (rc != 0) return -1;
    snprintf(j->region, sizeof j->region, "%s", a->region);
    snprintf(j->profile, sizeof j->profile, "%s", a->profile);
    snprintf(j->bucket, sizeof j->bucket, "nitrosetup-jobs-%s-%s", j->account, a->region);
    const char *args[] = {"s3api", "head-bucket", "--bucket", j->bucket, NULL};
    rc = ns_aws_run_retry(a, &r, args, 3, err);
    int nf = r.kind == NS_AWS_E_NOT_FOUND || strcmp(r.code, "NoSuchBucket") == 0;
    ns_aws_result_free(&r);
    if (rc != 0 && nf)
        return ns_error_set(err, "the job bucket %s does not exist: run 'nitrosetup aws setup --region %s' once", j->bucket,
                            a->region);
    return rc;
}

/* The family's architecture, from the CLI's answer when we have it. */
static void type_arch(const ns_aws *a, const char *type, char *arch, size_t cap) {
    snprintf(arch, cap, "x86_64");
    const char *args[] = {"ec2", "describe-instance-types", "--instance-types", type, NULL};
    ns_error err;
    json_t *j = ns_aws_json(a, args, NULL, &err);
    if (j == NULL) return;
    json_t *archs = json_object_get(
        json_object_get(json_array_get(json_object_get(j, "InstanceTypes"), 0), "ProcessorInfo"), "SupportedArchitectures");
    size_t i;
    json_t *v;
    json_array_foreach(archs, i, v) {
        if (strcmp(json_string_value(v) ? json_string_value(v) : "", "arm64") == 0) snprintf(arch, cap, "arm64");
    }
    json_decref(j);
}

int ns_aws_plan_job(const ns_aws *a, const ns_aws_job *j, ns_aws_plan *p, const char *packdir, const char *instance_type,
                    double max_hours, int check_credentials, ns_error *err) {
    memset(p, 0, sizeof *p);
    snprintf(p->packdir, sizeof p->packdir, "%s", packdir);
    char path[4200];
    snprintf(path, sizeof path, "%s/job.json", packdir);
    ns_job job;
    if (ns_job_read(&job, path, err) != 0) return -1;
    if (sha256_file(p->job_sha256, path, NULL, err) != 0) return -1;
    p->enclave_mib = job.enclave.memory_mib;
    p->enclave_cpus = job.enclave.cpu_count;
    if (job.ptau.has_mirror && strcmp(job.ptau.mirror_region, a->region) == 0)
        snprintf(p->ptau_bucket, sizeof p->ptau_bucket, "%s", job.ptau.mirror_bucket);
    else if (job.ptau.has_mirror)
        snprintf(p->ptau_bucket, sizeof p->ptau_bucket, "%s", job.ptau.mirror_bucket);

    /* the instance: given, or the cheapest that holds the enclave on one node */
    const ns_instance *row = NULL;
    int n = 0;
    const ns_instance *tab = ns_sizing_instance_table(&n);
    if (instance_type == NULL || *instance_type == 0) {
        row = ns_sizing_instance_for(p->enclave_mib);
        if (row == NULL)
            return ns_error_set(err, "the enclave needs %u MiB: more than one NUMA node of any listed instance holds "
                                     "(docs/scale.md)", p->enclave_mib);
        instance_type = row->name;
    } else
        for (int i = 0; i < n; i++)
            if (strcmp(tab[i].name, instance_type) == 0) row = &tab[i];
    snprintf(p->instance_type, sizeof p->instance_type, "%s", instance_type);
    int ok = 0;
    ns_aws_result r = {0};
    if (ns_ec2_type_info(a, instance_type, &ok, &p->vcpus, &p->mem_mib, &r, err) != 0) {
        ns_aws_result_free(&r);
        return -1;
    }
    if (!ok)
        return ns_error_set(err, "instance type %s does not support Nitro Enclaves in %s (choose another with "
                                 "--instance-type)", instance_type, a->region);
    /* memory for the enclave on one NUMA node: the sizing table's share when
     * the type is listed, else RAM minus the parent's part (then one node is
     * assumed, which the allocator checks on the instance) */
    uint64_t share = row ? row->enclave_mib
                         : (uint64_t)(p->mem_mib - (p->mem_mib / 8 > 4096 ? p->mem_mib / 8 : 4096));
    if (p->mem_mib <= 4096 || share < (p->enclave_mib < 1024 ? 1024 : p->enclave_mib))
        return ns_error_set(err, "instance type %s has room for %llu MiB of enclave memory on one NUMA node; this "
                                 "circuit's enclave needs %u MiB (choose a larger --instance-type)",
                            instance_type, (unsigned long long)share, p->enclave_mib);
    if ((int)p->enclave_cpus > p->vcpus - 2 && p->vcpus > 2)
        return ns_error_set(err, "instance type %s has %d vCPUs; the enclave wants %u and the parent keeps 2",
                            instance_type, p->vcpus, p->enclave_cpus);
    type_arch(a, instance_type, p->arch, sizeof p->arch);
    if (ns_ec2_default_subnet(a, instance_type, p->vpc, sizeof p->vpc, p->subnet, sizeof p->subnet, p->az,
                              sizeof p->az, &r, err) != 0) {
        ns_aws_result_free(&r);
        return -1;
    }
    if (ns_aws_vcpu_quota(a, &p->quota_vcpus, &r, err) != 0) {
        ns_aws_result_free(&r);
        return -1;
    }
    if (p->quota_vcpus >= 0 && p->quota_vcpus < p->vcpus)
        return ns_error_set(err, "the account's vCPU quota for on-demand standard instances (L-1216C47A) in %s is %.0f; "
                                 "%s needs %d: ask for more in Service Quotas, or choose a smaller --instance-type",
                            a->region, p->quota_vcpus, instance_type, p->vcpus);
    /* time: the deadline bounds everything (the kill switches fire then) */
    p->max_hours = max_hours > 0 ? max_hours : 4.0;
    p->expected_hours = 0.25 + (job.ptau.power > 20 ? 0.25 * pow(2.0, (double)job.ptau.power - 20) : 0.05);
    if (p->expected_hours > p->max_hours) p->expected_hours = p->max_hours;
    if (check_credentials) {
        time_t exp = 0;
        if (ns_aws_credentials_expiry(a, &exp, err) != 0) return -1;
        time_t need = time(NULL) + (time_t)(p->max_hours * 3600) + TEARDOWN_MARGIN_S;
        if (exp != 0 && exp < need) {
            char e[32], d[32];
            ns_aws_format_time(e, exp);
            ns_aws_format_time(d, need);
            return ns_error_set(err, "your AWS credentials expire at %s, before the job's deadline and its teardown "
                                     "(%s): use credentials that last longer (a longer SSO session or role "
                                     "duration), lower --max-hours, or use --detach and 'nitrosetup aws resume' "
                                     "later with fresh credentials", e, d);
        }
    }
    /* disk: the ptau, three keys and the r1cs, with room (min 30 GiB) */
    uint64_t zk = ns_sizing_zkey_bytes(job.ptau.power, 0, 0, 0);
    uint64_t need = job.ptau.bytes + 3 * zk + job.r1cs.bytes + job.circuit.bytes + job.eif.bytes + job.host.bytes;
    p->disk_gib = (int)((need >> 30) + 20);
    if (p->disk_gib < 30) p->disk_gib = 30;
    if (ns_aws_prices(a, instance_type, &p->usd_hour, &p->gp3_gb_month, &r, err) != 0) {
        ns_aws_result_free(&r);
        return -1;
    }
    ns_aws_result_free(&r);
    double disk_hour = p->gp3_gb_month * p->disk_gib * 1.073741824 / 730.0;
    p->estimate_usd = (p->usd_hour + disk_hour) * p->expected_hours;
    p->max_usd = (p->usd_hour + disk_hour) * p->max_hours;
    snprintf(p->summary, sizeof p->summary,
             "job %s in %s (account %s)\n"
             "  instance   %s (%d vCPUs, %lld MiB, %s) in %s, enclave %u MiB / %u vCPUs\n"
             "  price      $%.4f/h (Pricing API, on-demand Linux) + %d GiB gp3 at $%.3f/GB-month\n"
             "  expected   about %.1f h: about $%.2f\n"
             "  at most    %.1f h (the instance terminates itself then): $%.2f\n"
             "  S3 storage and requests: cents; the job's data expires by the bucket's lifecycle rule\n",
             j->job, a->region, j->account, instance_type, p->vcpus, p->mem_mib, p->arch, p->az, p->enclave_mib,
             p->enclave_cpus, p->usd_hour, p->disk_gib, p->gp3_gb_month, p->expected_hours, p->estimate_usd,
             p->max_hours, p->max_usd);
    return 0;
}

/* Uploads one file of the pack to in/. */
static int upload(const ns_aws *a, const ns_aws_job *j, const char *key_in, const char *path, const ns_aws_ui *ui,
                  ns_error *err) {
    char key[600];
    snprintf(key, sizeof key, "jobs/%s/%s", j->job, key_in);
    ns_aws_say(ui, "upload: %s -> s3://%s/%s", path, j->bucket, key);
    ns_s3_put_opts o = {0};
    ns_aws_result r = {0};
    int rc = ns_s3_put_file(a, j->bucket, key, path, &o, &r, err);
    ns_aws_result_free(&r);
    return rc;
}

int ns_aws_launch(const ns_aws *a, ns_aws_job *j, const ns_aws_plan *p, const ns_aws_ui *ui, ns_error *err) {
    char path[4400];
    ns_job job;
    snprintf(path, sizeof path, "%s/job.json", p->packdir);
    if (ns_job_read(&job, path, err) != 0) return -1;
    snprintf(j->instance_type, sizeof j->instance_type, "%s", p->instance_type);
    j->usd_hour = p->usd_hour;
    j->gp3_gb_month = p->gp3_gb_month;
    j->disk_gib = p->disk_gib;
    j->max_minutes = (int)ceil(p->max_hours * 60);
    if (j->max_minutes < 15) j->max_minutes = 15;
    if (j->max_minutes > 1440) j->max_minutes = 1440;
    time_t now = time(NULL);
    ns_aws_format_time(j->created, now);
    ns_aws_format_time(j->deadline, now + (time_t)j->max_minutes * 60);
    ns_aws_format_time(j->expires_at, now + (time_t)(j->max_minutes + REAPER_SLACK_MIN) * 60);
    snprintf(j->phase, sizeof j->phase, "upload");
    if (ns_aws_state_save(j, err) != 0) return -1;
    /* in/: the bootstrap, the inputs, job.json last */
    size_t blen;
    const char *boot = ns_deploy_bootstrap_sh(&blen);
    char bkey[200], bsha[65];
    uint8_t d[32];
    ns_sha256(d, boot, blen);
    ns_hex_encode(bsha, d, 32);
    snprintf(bkey, sizeof bkey, "jobs/%s/in/bootstrap.sh", j->job);
    ns_aws_say(ui, "upload: bootstrap.sh -> s3://%s/%s", j->bucket, bkey);
    ns_s3_put_opts po = {0};
    ns_aws_result r = {0};
    int rc = ns_s3_put_buffer(a, j->bucket, bkey, boot, blen, &po, &r, err);
    ns_aws_result_free(&r);
    if (rc != 0) return -1;
    const ns_job_input *ins[] = {&job.host, &job.eif, &job.circuit, &job.r1cs};
    for (size_t i = 0; i < 4; i++) {
        const char *base = strrchr(ins[i]->key, '/');
        snprintf(path, sizeof path, "%s/%s", p->packdir, base ? base + 1 : ins[i]->key);
        if (upload(a, j, ins[i]->key, path, ui, err) != 0) return -1;
        if (ns_interrupt_pending()) return ns_error_set(err, "interrupted during the upload");
    }
    snprintf(path, sizeof path, "%s/job.json", p->packdir);
    if (upload(a, j, "in/job.json", path, ui, err) != 0) return -1;
    if (ns_interrupt_pending()) return ns_error_set(err, "interrupted during the upload");
    /* the stack */
    snprintf(j->phase, sizeof j->phase, "create");
    if (ns_aws_state_save(j, err) != 0) return -1;
    char P[20][600];
    int k = 0;
    char expires[32];
    snprintf(expires, sizeof expires, "%.19s", j->expires_at); /* without the Z */
#define PARAM(...) snprintf(P[k++], sizeof P[0], __VA_ARGS__)
    PARAM("JobId=%s", j->job);
    PARAM("InstanceType=%s", p->instance_type);
    PARAM("ImageId=/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-%s", p->arch);
    /* the allocator's pool: at least what the template allows (1024 MiB,
     * 2 CPUs); the enclave itself takes job.json's amount from it */
    PARAM("EnclaveMemoryMiB=%u", p->enclave_mib < 1024 ? 1024 : p->enclave_mib);
    PARAM("EnclaveCpuCount=%u", p->enclave_cpus < 2 ? 2 : p->enclave_cpus);
    PARAM("MaxLifetimeMinutes=%d", j->max_minutes);
    PARAM("RootVolumeGiB=%d", p->disk_gib);
    PARAM("JobBucket=%s", j->bucket);
    PARAM("PtauBucket=%s", p->ptau_bucket);
    PARAM("VpcId=%s", p->vpc);
    PARAM("SubnetId=%s", p->subnet);
    PARAM("BootstrapSha256=%s", bsha);
    PARAM("JobSha256=%s", p->job_sha256);
    PARAM("ExpiresAtUtc=%s", expires);
#undef PARAM
    const char *params[21];
    for (int i = 0; i < k; i++) params[i] = P[i];
    params[k] = NULL;
    char t1[128], t2[600];
    snprintf(t1, sizeof t1, "%s=%s", NS_JOB_TAG, j->job);
    /* the owner tag: the caller's ARN without commas */
    snprintf(t2, sizeof t2, "nitrosetup:owner=%s", j->caller[0] ? j->caller : j->account);
    for (char *c = t2; *c; c++)
        if (*c == ',') *c = '_';
    const char *tags[] = {t1, t2, NULL};
    char token[96];
    snprintf(token, sizeof token, "create-%s", j->job);
    ns_cfn_create c = {j->stack_name, ns_deploy_job_yaml(NULL), token, params, tags};
    ns_aws_say(ui, "create: stack %s (%s, %s)", j->stack_name, p->instance_type, p->az);
    rc = ns_cfn_create_stack(a, j->stack_id, sizeof j->stack_id, &c, &r, err);
    ns_aws_result_free(&r);
    if (rc != 0) return -1;
    snprintf(j->phase, sizeof j->phase, "boot");
    return ns_aws_state_save(j, err);
}

/* ---- driving ---- */

static ns_aws_outcome failed(ns_aws_job *j, ns_error *err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static ns_aws_outcome failed(ns_aws_job *j, ns_error *err, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->cause, sizeof j->cause, fmt, ap);
    va_end(ap);
    ns_error_set(err, "%s", j->cause);
    snprintf(j->result, sizeof j->result, "failed");
    ns_error e2;
    ns_aws_state_save(j, &e2);
    return NS_AWS_FAILED;
}

/* The outcome of a failed AWS call: credentials, interruption or a failure. */
static ns_aws_outcome call_failed(ns_aws_job *j, const ns_aws_result *r, ns_error *err) {
    if (ns_interrupt_pending()) return NS_AWS_INTERRUPTED;
    if (r->kind == NS_AWS_E_CREDENTIALS) return NS_AWS_CREDENTIALS;
    return failed(j, err, "%s", err->msg);
}

static ns_aws_outcome wait_stack(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    ns_cfn_stack s;
    ns_aws_result r = {0};
    if (!j->stack_id[0]) {
        /* interrupted around create-stack: the name tells */
        if (ns_cfn_find_by_name(a, &s, j->stack_name, &r, err) != 0) return call_failed(j, &r, err);
        if (!s.status[0]) return failed(j, err, "the stack %s was never created", j->stack_name);
        snprintf(j->stack_id, sizeof j->stack_id, "%s", s.id);
        ns_aws_state_save(j, err);
    }
    for (;;) {
        if (ns_interrupt_pending()) return NS_AWS_INTERRUPTED;
        int rc = ns_cfn_describe(a, &s, j->stack_id, &r, err);
        if (rc != 0) {
            ns_aws_outcome o = call_failed(j, &r, err);
            ns_aws_result_free(&r);
            return o;
        }
        if (strcmp(s.status, "CREATE_COMPLETE") == 0) break;
        if (s.status[0] == 0 || strcmp(s.status, "CREATE_IN_PROGRESS") != 0) {
            char why[700] = "";
            ns_error e2;
            ns_cfn_first_failure(a, why, sizeof why, j->stack_id, &r, &e2);
            ns_aws_result_free(&r);
            return failed(j, err, "the stack %s failed to create and rolls back (%s): %s", j->stack_name,
                          s.status[0] ? s.status : "gone", why[0] ? why : (s.reason[0] ? s.reason : "no reason given"));
        }
        if (ui && ui->progress) ui->progress(ui->u, "create: stack CREATE_IN_PROGRESS");
        ns_interrupt_sleep(ui->poll_ms);
    }
    ns_aws_result_free(&r);
    snprintf(j->instance, sizeof j->instance, "%s", s.instance);
    ns_aws_say(ui, "create: stack CREATE_COMPLETE, instance %s", j->instance[0] ? j->instance : "(unknown)");
    snprintf(j->phase, sizeof j->phase, "compute");
    ns_aws_state_save(j, err);
    return NS_AWS_DONE;
}

/* The keys under out/ (set membership by name). */
static int out_has(json_t *list, const char *key) {
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        if (strcmp(jstr(e, "Key"), key) == 0) return 1;
    }
    return 0;
}

static ns_aws_outcome poll_job(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    char prefix[96], k_status[128], k_done[128], k_failed[128];
    snprintf(prefix, sizeof prefix, "jobs/%s/out/", j->job);
    snprintf(k_status, sizeof k_status, "%sstatus.json", prefix);
    snprintf(k_done, sizeof k_done, "%sDONE.json", prefix);
    snprintf(k_failed, sizeof k_failed, "%sFAILED.json", prefix);
    long long last_seq = -1;
    time_t last_change = time(NULL);
    char last_phase[32] = "", last_etag[128] = "";
    int gone_checks = 0;
    time_t deadline = ns_aws_parse_time(j->deadline);
    for (;;) {
        if (ns_interrupt_pending()) return NS_AWS_INTERRUPTED;
        ns_aws_result r = {0};
        const char *args[] = {"s3api", "list-objects-v2", "--bucket", j->bucket, "--prefix", prefix, NULL};
        json_t *l = ns_aws_json(a, args, &r, err);
        if (l == NULL) {
            ns_aws_outcome o = r.kind == NS_AWS_E_THROTTLED || r.kind == NS_AWS_E_NETWORK ? NS_AWS_DONE : call_failed(j, &r, err);
            ns_aws_result_free(&r);
            if (o != NS_AWS_DONE) return o;
            ns_interrupt_sleep(ui->poll_ms); /* a transient failure: try again */
            continue;
        }
        json_t *objs = json_object_get(l, "Contents");
        int done = out_has(objs, k_done), fail = out_has(objs, k_failed);
        const char *etag = "";
        size_t i;
        json_t *e;
        json_array_foreach(objs, i, e) {
            if (strcmp(jstr(e, "Key"), k_status) == 0) etag = jstr(e, "ETag");
        }
        if (etag[0] && strcmp(etag, last_etag) != 0) {
            snprintf(last_etag, sizeof last_etag, "%s", etag);
            json_t *st = get_json(a, j->bucket, k_status, &r, err);
            if (st != NULL) {
                long long seq = json_integer_value(json_object_get(st, "seq"));
                if (seq != last_seq) {
                    last_seq = seq;
                    last_change = time(NULL);
                }
                const char *phase = jstr(st, "phase");
                json_t *pr = json_object_get(st, "progress"), *eta = json_object_get(st, "eta_s");
                char line[600], ptxt[32] = "", etxt[48] = "";
                if (json_is_number(pr)) snprintf(ptxt, sizeof ptxt, " %3.0f%%", 100 * json_number_value(pr));
                if (json_is_integer(eta)) snprintf(etxt, sizeof etxt, ", ETA %llds", json_integer_value(eta));
                snprintf(line, sizeof line, "host: %s%s%s: %s", phase, ptxt, etxt, jstr(st, "message"));
                if (strcmp(phase, last_phase) != 0) {
                    snprintf(last_phase, sizeof last_phase, "%s", phase);
                    ns_aws_say(ui, "%s", line);
                } else if (ui->progress)
                    ui->progress(ui->u, line);
                json_decref(st);
            }
        }
        json_decref(l);
        if (done || fail) {
            json_t *res = get_json(a, j->bucket, done ? k_done : k_failed, &r, err);
            if (res == NULL) {
                ns_aws_outcome o = call_failed(j, &r, err);
                ns_aws_result_free(&r);
                return o;
            }
            ns_aws_result_free(&r);
            if (!done) {
                ns_aws_outcome o = failed(j, err, "the host reported FAILED in phase %s: %s", jstr(res, "phase"),
                                          jstr(res, "cause"));
                json_decref(res);
                return o;
            }
            json_decref(res);
            ns_aws_say(ui, "host: DONE");
            snprintf(j->phase, sizeof j->phase, "download");
            ns_aws_state_save(j, err);
            return NS_AWS_DONE;
        }
        time_t now = time(NULL);
        if (now - last_change > ui->heartbeat_s) {
            ns_aws_result_free(&r);
            if (last_seq < 0)
                return failed(j, err, "heartbeat lost: the instance %s wrote no out/status.json in %d s", j->instance,
                              ui->heartbeat_s);
            return failed(j, err, "heartbeat lost: out/status.json kept seq %lld (phase %s) for more than %d s",
                          last_seq, last_phase, ui->heartbeat_s);
        }
        if (deadline > 0 && now > deadline) {
            ns_aws_result_free(&r);
            return failed(j, err, "the job passed its deadline %s without a result", j->deadline);
        }
        if (j->instance[0]) {
            char st[64], why[300];
            if (ns_ec2_instance_state(a, st, sizeof st, why, sizeof why, j->instance, &r, err) != 0) {
                ns_aws_outcome o = r.kind == NS_AWS_E_THROTTLED || r.kind == NS_AWS_E_NETWORK ? NS_AWS_DONE
                                                                                              : call_failed(j, &r, err);
                ns_aws_result_free(&r);
                if (o != NS_AWS_DONE) return o;
            } else if (strcmp(st, "running") != 0 && strcmp(st, "pending") != 0) {
                /* it may have written its result just before it stopped: look once more */
                if (++gone_checks >= 3) {
                    ns_aws_result_free(&r);
                    return failed(j, err, "the instance %s is %s (%s) and left no result", j->instance,
                                  st[0] ? st : "gone", why[0] ? why : "no reason given");
                }
            }
        }
        ns_aws_result_free(&r);
        ns_interrupt_sleep(ui->poll_ms);
    }
}

/* Parses MANIFEST.sha256 ("<64 hex>  bundle/<name>" lines) for name's hash. */
static int manifest_hash(const char *manifest, const char *name, char out[65]) {
    const char *p = manifest;
    while (p && *p) {
        const char *e = strchr(p, '\n');
        size_t L = e ? (size_t)(e - p) : strlen(p);
        if (L > 66 && strspn(p, "0123456789abcdef") == 64 && p[64] == ' ') {
            const char *nm = p + 65;
            if (*nm == ' ' || *nm == '*') nm++;
            size_t nl = L - (size_t)(nm - p);
            if (nl == strlen(name) && memcmp(nm, name, nl) == 0) {
                memcpy(out, p, 64);
                out[64] = 0;
                return 1;
            }
        }
        p = e ? e + 1 : NULL;
    }
    return 0;
}

static int mkdir_p(const char *d) {
    char t[4096];
    snprintf(t, sizeof t, "%s", d);
    for (char *c = t + 1; *c; c++)
        if (*c == '/') {
            *c = 0;
            mkdir(t, 0755);
            *c = '/';
        }
    return mkdir(t, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

ns_aws_outcome ns_aws_download(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    char key[700];
    ns_aws_result r = {0};
    snprintf(key, sizeof key, "jobs/%s/out/DONE.json", j->job);
    json_t *done = get_json(a, j->bucket, key, &r, err);
    if (done == NULL) {
        ns_aws_outcome o = call_failed(j, &r, err);
        ns_aws_result_free(&r);
        return o;
    }
    snprintf(key, sizeof key, "jobs/%s/out/MANIFEST.sha256", j->job);
    char *manifest = get_small(a, j->bucket, key, &r, err);
    if (manifest == NULL) {
        json_decref(done);
        ns_aws_outcome o = call_failed(j, &r, err);
        ns_aws_result_free(&r);
        return o;
    }
    if (!json_is_true(json_object_get(done, "ok")) || strcmp(jstr(done, "job"), j->job) != 0) {
        json_decref(done);
        free(manifest);
        return failed(j, err, "out/DONE.json is not a successful result of job %s", j->job);
    }
    if (mkdir_p(j->outdir) != 0) {
        json_decref(done);
        free(manifest);
        return failed(j, err, "%s: cannot create the bundle directory: %s", j->outdir, strerror(errno));
    }
    json_t *files = json_object_get(done, "files");
    size_t i, nfiles = json_array_size(files), fetched = 0;
    json_t *f;
    ns_aws_outcome out = NS_AWS_DONE;
    json_array_foreach(files, i, f) {
        if (ns_interrupt_pending()) {
            out = NS_AWS_INTERRUPTED;
            break;
        }
        const char *name = jstr(f, "name");
        const char *want = jstr(f, "sha256");
        char mh[65];
        if (strncmp(name, "bundle/", 7) != 0 || strchr(name + 7, '/') != NULL || name[7] == 0 || name[7] == '.' ||
            strlen(want) != 64) {
            out = failed(j, err, "out/DONE.json: bad file entry '%s'", name);
            break;
        }
        if (!manifest_hash(manifest, name, mh) || strcmp(mh, want) != 0) {
            out = failed(j, err, "out/MANIFEST.sha256 and out/DONE.json disagree on %s", name);
            break;
        }
        char path[4200], have[65];
        snprintf(path, sizeof path, "%s/%s", j->outdir, name + 7);
        ns_error e2;
        if (access(path, F_OK) == 0 && sha256_file(have, path, NULL, &e2) == 0 && strcmp(have, want) == 0) continue;
        snprintf(key, sizeof key, "jobs/%s/out/%s", j->job, name);
        ns_s3_get_opts go = {0};
        unlink(path);
        if (ns_s3_get_resumable(a, j->bucket, key, path, &go, &r, err) != 0) {
            out = call_failed(j, &r, err);
            break;
        }
        if (sha256_file(have, path, NULL, err) != 0 || strcmp(have, want) != 0) {
            unlink(path);
            out = failed(j, err, "%s: SHA-256 differs from MANIFEST.sha256 (downloaded %s, expected %s)", path, have,
                         want);
            break;
        }
        fetched++;
        if (ui->progress) {
            char t[300];
            snprintf(t, sizeof t, "download: %zu/%zu %s", i + 1, nfiles, name + 7);
            ui->progress(ui->u, t);
        }
    }
    ns_aws_result_free(&r);
    json_decref(done);
    free(manifest);
    if (out != NS_AWS_DONE) return out;
    if (nfiles == 0) return failed(j, err, "out/DONE.json lists no files");
    ns_aws_say(ui, "download: %zu files in %s checked against MANIFEST.sha256 (%zu fetched now)", nfiles, j->outdir,
               fetched);
    j->downloaded = 1;
    snprintf(j->phase, sizeof j->phase, "teardown");
    ns_aws_state_save(j, err);
    return NS_AWS_DONE;
}

ns_aws_outcome ns_aws_drive(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    ns_aws_outcome o;
    if (strcmp(j->phase, "create") == 0 || strcmp(j->phase, "boot") == 0) {
        if ((o = wait_stack(a, j, ui, err)) != NS_AWS_DONE) return o;
    }
    if (strcmp(j->phase, "compute") == 0) {
        if ((o = poll_job(a, j, ui, err)) != NS_AWS_DONE) return o;
    }
    if (strcmp(j->phase, "download") == 0 || (strcmp(j->phase, "teardown") == 0 && !j->downloaded && !j->cause[0])) {
        snprintf(j->phase, sizeof j->phase, "download");
        return ns_aws_download(a, j, ui, err);
    }
    if (strcmp(j->phase, "preflight") == 0 || strcmp(j->phase, "upload") == 0)
        return failed(j, err, "the job was stopped before its stack was created");
    return NS_AWS_DONE;
}

int ns_aws_status_line(const ns_aws *a, const ns_aws_job *j, char *out, size_t cap, ns_error *err) {
    char host[400] = "no status yet";
    char key[200];
    snprintf(key, sizeof key, "jobs/%s/out/status.json", j->job);
    ns_aws_result r = {0};
    json_t *st = j->bucket[0] ? get_json(a, j->bucket, key, &r, err) : NULL;
    if (st != NULL) {
        snprintf(host, sizeof host, "host %s (seq %lld at %s): %s", jstr(st, "phase"),
                 json_integer_value(json_object_get(st, "seq")), jstr(st, "time"), jstr(st, "message"));
        json_decref(st);
    }
    ns_aws_result_free(&r);
    char ist[64] = "", why[200];
    if (j->instance[0]) ns_ec2_instance_state(a, ist, sizeof ist, why, sizeof why, j->instance, NULL, err);
    snprintf(out, cap, "%s: phase %s%s%s, instance %s %s, %s", j->job, j->phase, j->result[0] ? ", " : "", j->result,
             j->instance[0] ? j->instance : "-", ist, host);
    return 0;
}
