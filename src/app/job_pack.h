/* The inputs of one AWS job in a directory (docs/aws-job.md, "in/"):
 *
 *   JOBDIR/job.json                         host/job_file.h
 *   JOBDIR/circuit.tar                      the circuit bundle (protocol/cbundle.h)
 *   JOBDIR/circuit.r1cs                     compiled here with circom
 *   JOBDIR/enclave.eif                      a copy of the image
 *   JOBDIR/nitrosetup-host-<arch>.tar.gz    a copy of the host tarball
 *
 * The ptau: the Hermez file for the circuit's domain (formats/hermez.h), or
 * a file of one's own (ptau_file: it must be a Hermez file or pinned), found
 * by the host in the mirror (s3://bucket/prefix/<name>) and at
 * <url base><name>.  The enclave's memory comes from protocol/sizing.h with
 * the real file sizes and the image's, its CPUs from the cheapest instance
 * that holds it.  `nitrosetup aws pack` and `nitrosetup ceremony` on AWS
 * call ns_job_pack. */
#ifndef NS_APP_JOB_PACK_H
#define NS_APP_JOB_PACK_H

#include <stdint.h>

#include "host/job_file.h"
#include "protocol/sizing.h"
#include "util/error.h"

/* The project's mirror when NITROSETUP_PTAU_MIRROR is not set. */
#define NS_PTAU_MIRROR_DEFAULT "s3://nitrosetup-ptau/ptau/"
#define NS_PTAU_MIRROR_REGION "us-east-1"
/* Circuits above this many constraints are refused (the product limit). */
#define NS_JOB_MAX_CONSTRAINTS ((uint64_t)1 << 26)

typedef struct {
    const char *circuit;          /* main .circom */
    const char *const *libdirs;   /* -l */
    int nlibs;
    const char *circom_cmd;       /* NULL: "circom" */
    const char *outdir;           /* JOBDIR: created; must not exist or be empty */
    const char *job_id;           /* NULL: a new one (ns_job_new_id) */
    const char *region, *bucket;  /* the job bucket */
    const char *eif, *host_bundle;
    const char *arch;             /* NULL: this machine's (x86_64, aarch64) */
    const char *ptau_mirror;      /* "s3://b/prefix/"; NULL: $NITROSETUP_PTAU_MIRROR, else the default; "": none */
    const char *ptau_mirror_region; /* NULL: us-east-1 */
    const char *ptau_url_base;    /* NULL: $NITROSETUP_PTAU_URL_BASE, else Hermez's; "": no URL */
    const char *ptau_file;        /* a ptau of one's own (hash, size and name from it), or NULL */
    const char *const *trust_ptau; /* hex pins */
    int ntrust;
    int drand_sim, debug_mode;
    uint32_t memory_mib, cpu_count; /* 0: from the model */
    double max_hours;             /* deadline = now + this (0: 6) */
} ns_job_pack_opts;

typedef struct {
    ns_job job;
    uint64_t constraints, wires;
    uint32_t npublic, domain_power;
    ns_sizing sizing;
    char instance[32]; /* the cheapest listed instance that holds the enclave, or "" */
    char dir[4096];
} ns_job_pack_result;

int ns_job_pack(ns_job_pack_result *out, const ns_job_pack_opts *o, ns_error *err);

/* Splits "s3://bucket/prefix/" into bucket and prefix ("" or ending in
 * "/"); -1 when it is not of that form. */
int ns_s3_url_split(char *bucket, size_t bcap, char *prefix, size_t pcap, const char *url, ns_error *err);

#endif
