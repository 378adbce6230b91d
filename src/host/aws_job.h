/* The EC2 host's whole life for one AWS job (docs/aws-job.md, "The host's
 * life", step 3): `nitrosetup host --job job.json --eif enclave.eif
 * --workdir DIR`.
 *
 *   boot      status.json at once, then a heartbeat thread rewrites it at
 *             every phase change and at least every 60 s
 *   inputs    in/circuit.tar and in/circuit.r1cs into DIR/in/, SHA-256 and
 *             size checked against job.json
 *   ptau      the trust policy on the job's BLAKE2b-512 first (Hermez or a
 *             trust_ptau pin, else FAILED before any download); then the
 *             mirror (get-object --request-payer requester, resumable), else
 *             each URL (resumable); the file's BLAKE2b-512 checked
 *   zkey-new, enclave, ceremony
 *             host/run.h with the prebuilt bundle and r1cs, the job's memory,
 *             CPUs, port and debug mode; nitro-cli watched with
 *             describe-enclaves; the enclave terminated at the end and on
 *             every failure
 *   upload    out/bundle/<file> for each bundle file, out/MANIFEST.sha256,
 *             out/host.log, then out/DONE.json
 *
 * On any failure: the enclave is terminated, status "failed", out/host.log,
 * this job's open multipart uploads under out/ aborted, out/FAILED.json
 * with a one-line cause naming the phase.  Either way DIR/result.json
 * holds DONE.json's or FAILED.json's body, written before the upload and
 * removed again when the upload fails (the bootstrap writes FAILED.json
 * itself when result.json is absent).  status.json's seq starts at 2 (the
 * user data wrote 0, the bootstrap 1) and the last one is kept in
 * DIR/status.json.  SIGTERM/SIGINT (power-off): the enclaves are terminated
 * and FAILED.json says "interrupted".
 *
 * The host's stderr (and its children's) is copied to DIR/host.log while
 * the job runs.  Nothing large is read into memory.
 *
 * Environment: NITROSETUP_AWS (the AWS CLI), NITROSETUP_INSTANCE_ID (the
 * instance id, instead of asking IMDSv2: the twin), AWS_EC2_METADATA_SERVICE_ENDPOINT
 * and AWS_EC2_METADATA_DISABLED (as for the AWS SDKs), NITROSETUP_HEARTBEAT_S
 * (1..60, default 60: the tests shorten it), NS_NITRO_CLI (host/nitro_cli.h). */
#ifndef NS_HOST_AWS_JOB_H
#define NS_HOST_AWS_JOB_H

#include "host/job_file.h"
#include "protocol/engine.h"
#include "util/error.h"

typedef struct {
    const char *eif;     /* the enclave image (checked by the bootstrap) */
    const char *workdir; /* exists; everything the job writes goes here */
    const ns_engine *eng; /* the real engine, made for job->drand */
    int heartbeat_s;     /* 0: NITROSETUP_HEARTBEAT_S, else 60 */
    int watch_s;         /* seconds between describe-enclaves (0: 15) */
} ns_aws_job_opts;

/* Runs the job; 0 when DONE.json was written, -1 otherwise (err: the cause
 * also written to FAILED.json). */
int ns_aws_job_run(const ns_job *job, const ns_aws_job_opts *o, ns_error *err);

/* The instance id for status.json: $NITROSETUP_INSTANCE_ID, else IMDSv2
 * (PUT /latest/api/token with a TTL header, then GET
 * /latest/meta-data/instance-id with the token; 1-2 s timeouts; the base is
 * $AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254; none when
 * AWS_EC2_METADATA_DISABLED=true), else "unknown". */
void ns_aws_job_instance_id(char *out, size_t cap);

/* A job file the host cannot read, or no AWS CLI: the program exits non-zero
 * without result.json, and the bootstrap reports it (its cause quotes the
 * program's last line, the one-line error naming the field). */

#endif
