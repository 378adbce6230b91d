/* `nitrosetup host --job job.json --eif enclave.eif --workdir DIR`: the EC2
 * host of an AWS job (host/aws_job.h, docs/aws-job.md). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "app/engine_real.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "host/aws_job.h"

static const ns_cmd_spec SPEC = {
    "host", "--job job.json --eif enclave.eif --workdir DIR", 0, 0,
    "The EC2 host of an AWS job (docs/aws-job.md): reads job.json, reports\n"
    "status.json to the job's bucket (heartbeat), fetches and checks the circuit\n"
    "inputs and the ptau (mirror, else the URLs), runs zkey new and the enclave\n"
    "with nitro-cli, uploads the bundle, MANIFEST.sha256, host.log and DONE.json,\n"
    "or FAILED.json naming the cause.  DIR/result.json records the outcome.\n"
    "The AWS CLI v2 is $NITROSETUP_AWS, else 'aws' on PATH.\n",
};

int ns_host_job_main(int argc, char **argv) {
    const char *job_path = NULL, *eif = NULL, *workdir = NULL;
    long long watch_s = 0;
    int rc;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "job", &job_path, "FILE", "the job file (job.json)"),
        OPT_STRING(0, "eif", &eif, "FILE", "the enclave image (checked by the bootstrap against job.json)"),
        OPT_STRING(0, "workdir", &workdir, "DIR", "an existing directory for the inputs, the ptau and the bundle"),
        OPT_INT(0, "watch-interval", &watch_s, "S", 1, 3600, "seconds between describe-enclaves checks (default 15)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if (job_path == NULL || eif == NULL || workdir == NULL)
        return ns_cli_usage_error("host", "--job, --eif and --workdir are all required");
    struct stat st;
    if (stat(workdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "nitrosetup: %s: not a directory\n", workdir);
        return 2;
    }
    ns_job job;
    ns_error err;
    if (ns_job_read(&job, job_path, &err) != 0) {
        ns_error_print(&err); /* no result.json: the bootstrap reports this line */
        return 2;
    }
    if (stat(eif, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "nitrosetup: %s: not a file\n", eif);
        return 2;
    }
    ns_engine eng;
    ns_engine_opts eo = {.local = 1, .drand_sim = strcmp(job.drand, "sim") == 0};
    if (ns_engine_real_init(&eng, &eo, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    eng.simulated_nsm = 0; /* the host learns what the enclave is from its documents */
    if (eo.drand_sim)
        fprintf(stderr, "nitrosetup: WARNING: job.json asks for the simulated drand chain; the bundle is SIMULATED\n");
    ns_aws_job_opts o = {.eif = eif, .workdir = workdir, .eng = &eng, .watch_s = (int)watch_s};
    rc = ns_aws_job_run(&job, &o, &err);
    ns_engine_real_free(&eng);
    if (rc != 0) {
        ns_error_print(&err);
        return 1;
    }
    fprintf(stderr, "nitrosetup: host: job %s done: s3://%s/jobs/%s/out/DONE.json\n", job.job, job.bucket, job.job);
    return 0;
}
