/* `nitrosetup aws pack`: the inputs of an AWS job in a directory
 * (docs/aws-job.md "in/"); the work is app/job_pack. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "app/job_pack.h"
#include "cli/aws_commands.h"
#include "cli/commands.h"
#include "cli/opt.h"

#define MAX_LIBS 16

static const ns_cmd_spec SPEC = {
    "aws pack", "<circuit.circom>", 1, 1,
    "Makes JOBDIR/{job.json, circuit.tar, circuit.r1cs, enclave.eif,\n"
    "nitrosetup-host-<arch>.tar.gz}: the inputs of one AWS job (docs/aws-job.md).\n"
    "The circuit is compiled here with circom; its domain picks the Hermez ptau\n"
    "(or --ptau FILE, pinned with --trust-ptau), found by the host in the mirror\n"
    "($NITROSETUP_PTAU_MIRROR, default " NS_PTAU_MIRROR_DEFAULT ") and at the URL base\n"
    "($NITROSETUP_PTAU_URL_BASE, default Hermez's).  The enclave's memory comes from\n"
    "the sizing model with the real file sizes (docs/scale.md).  At most 2^26 constraints.\n",
};

typedef struct {
    const char *libs[MAX_LIBS], *pins[NS_PTAU_MAX_PINS];
    ns_opt_list libdirs, trust;
    long long memory_mib, cpu_count;
    double max_hours;
    int json;
} pack_args;

static void print_summary(const ns_job_pack_result *r, int json) {
    const ns_job *j = &r->job;
    if (json) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:s, s:s, s:i, s:i, s:b, s:s, s:s, s:I}", "dir", r->dir,
                              "job", j->job, "region", j->region, "bucket", j->bucket, "constraints",
                              (json_int_t)r->constraints, "domain_power", (int)r->domain_power, "ptau", j->ptau.name,
                              "ptau_blake2b", j->ptau.blake2b, "memory_mib", (int)j->enclave.memory_mib, "cpu_count",
                              (int)j->enclave.cpu_count, "debug_mode", j->enclave.debug_mode, "drand", j->drand,
                              "instance", r->instance, "inputs_bytes",
                              (json_int_t)(j->host.bytes + j->eif.bytes + j->circuit.bytes + j->r1cs.bytes));
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s ? s : "{}");
        free(s);
        json_decref(o);
        return;
    }
    printf("job %s: %s/job.json\n", j->job, r->dir);
    printf("  circuit    %llu constraints, domain 2^%u\n", (unsigned long long)r->constraints, r->domain_power);
    if (j->ptau.has_mirror)
        printf("  ptau       %s (mirror s3://%s/%s)\n", j->ptau.name, j->ptau.mirror_bucket, j->ptau.mirror_key);
    else
        printf("  ptau       %s (no mirror)\n", j->ptau.name);
    printf("  enclave    %u MiB, %u vCPUs%s (instance %s)\n", j->enclave.memory_mib, j->enclave.cpu_count,
           j->enclave.debug_mode ? ", DEBUG MODE" : "", r->instance[0] ? r->instance : "none listed holds it");
    printf("  bucket     s3://%s/jobs/%s/ (%s), deadline %s\n", j->bucket, j->job, j->region, j->deadline);
}

int ns_aws_cmd_pack(int argc, char **argv) {
    pack_args a;
    memset(&a, 0, sizeof a);
    a.libdirs = (ns_opt_list){a.libs, 0, MAX_LIBS};
    a.trust = (ns_opt_list){a.pins, 0, NS_PTAU_MAX_PINS};
    ns_job_pack_opts o;
    memset(&o, 0, sizeof o);
    int rc;
    const ns_opt OPTS[] = {
        OPT_STRING('o', "output", &o.outdir, "JOBDIR", "the job directory (created; must not exist or be empty)"),
        OPT_STRING(0, "job", &o.job_id, "ID", "the job id (default: YYYYMMDD-HHMM-xxxxxx, UTC now)"),
        OPT_STRING(0, "region", &o.region, "R", "the job's region"),
        OPT_STRING(0, "bucket", &o.bucket, "B", "the job bucket (nitrosetup-jobs-<account>-<region>)"),
        OPT_STRING(0, "eif", &o.eif, "FILE", "the enclave image"),
        OPT_STRING(0, "host-bundle", &o.host_bundle, "FILE", "the host tarball (scripts/build-host-bundle.sh)"),
        OPT_STRING(0, "arch", &o.arch, "A", "the host's architecture in the tarball's name (default: this machine's)"),
        OPT_LIST('l', NULL, &a.libdirs, "DIR", "circom library directory (repeatable)"),
        OPT_STRING(0, "circom", &o.circom_cmd, "CMD", "circom 2 command (default: circom)"),
        OPT_STRING(0, "ptau-mirror", &o.ptau_mirror, "S3URL", "s3://bucket/prefix/ of the ptau mirror (\"\": none)"),
        OPT_STRING(0, "ptau-mirror-region", &o.ptau_mirror_region, "R", "the mirror's region (default us-east-1)"),
        OPT_STRING(0, "ptau-url-base", &o.ptau_url_base, "URL", "base URL of the public ptau files (\"\": none)"),
        OPT_STRING(0, "ptau", &o.ptau_file, "FILE", "a ptau of your own instead of the Hermez file (pin it with --trust-ptau)"),
        OPT_LIST(0, "trust-ptau", &a.trust, "HEX", "BLAKE2b-512 of an extra trusted ptau (repeatable)"),
        OPT_BOOL(0, "drand-sim", &o.drand_sim, "the simulated drand chain (only a --local test image accepts it)"),
        OPT_INT(0, "memory-mib", &a.memory_mib, "N", 64, 1 << 24, "enclave memory (default: the sizing model)"),
        OPT_INT(0, "cpu-count", &a.cpu_count, "N", 1, 1024, "enclave vCPUs (default: the instance's share)"),
        OPT_BOOL(0, "debug-mode", &o.debug_mode, "run the enclave in debug mode (the bundle says so and fails verification)"),
        OPT_DOUBLE(0, "max-hours", &a.max_hours, "H", 0.25, 24, "the job's deadline from now (default 6)"),
        OPT_JSON(&a.json),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if (o.outdir == NULL || o.region == NULL || o.bucket == NULL || o.eif == NULL || o.host_bundle == NULL)
        return ns_cli_usage_error("aws pack", "-o, --region, --bucket, --eif and --host-bundle are required");
    o.circuit = argv[1];
    o.libdirs = a.libs;
    o.nlibs = a.libdirs.n;
    o.trust_ptau = a.pins;
    o.ntrust = a.trust.n;
    o.memory_mib = (uint32_t)a.memory_mib;
    o.cpu_count = (uint32_t)a.cpu_count;
    o.max_hours = a.max_hours;
    ns_job_pack_result *res = malloc(sizeof *res);
    if (res == NULL) return 2;
    ns_error err;
    if (ns_job_pack(res, &o, &err) != 0) {
        ns_error_print(&err);
        free(res);
        return 2;
    }
    print_summary(res, a.json);
    free(res);
    return 0;
}
