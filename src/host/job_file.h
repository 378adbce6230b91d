/* job.json, the description of one AWS job (docs/aws-job.md, "in/"):
 * read and checked field by field by the EC2 host, written by the local
 * tool (`nitrosetup aws pack`, `nitrosetup ceremony` on AWS).
 *
 * The reader refuses, with one line naming the file and the field, a file
 * over 64 KiB, another format, a missing or unknown field, a wrong type, a
 * value out of its bounds, an input key outside "in/" (or with "..", a
 * leading "/", odd characters), a hash that is not lower-case hex of its
 * length, a time that is not "YYYY-MM-DDTHH:MM:SSZ", and a ptau with
 * neither a mirror nor a URL. */
#ifndef NS_HOST_JOB_FILE_H
#define NS_HOST_JOB_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/policy.h"
#include "util/error.h"

#define NS_JOB_FORMAT "nitrosetup-job-1"
#define NS_JOB_MAX_BYTES (64 * 1024)
#define NS_JOB_MAX_URLS 8

typedef struct {
    char key[256];    /* "in/..." */
    char sha256[65];  /* 64 lower-case hex digits */
    uint64_t bytes;
} ns_job_input;

typedef struct {
    char job[41];            /* ^[a-z0-9][a-z0-9-]{6,38}[a-z0-9]$ */
    char region[32];
    char bucket[64];
    char created[21], deadline[21]; /* YYYY-MM-DDTHH:MM:SSZ */
    ns_job_input host, eif, circuit, r1cs;
    struct {
        char name[128];      /* a plain file name ending in .ptau */
        uint32_t power;      /* 1..28 */
        char blake2b[129];
        uint64_t bytes;      /* 0: unknown (the Hermez files' sizes are not compiled in) */
        int has_mirror;      /* "mirror": null gives 0 */
        char mirror_bucket[64], mirror_key[1025], mirror_region[32];
        int nurls;
        char urls[NS_JOB_MAX_URLS][1024]; /* http:// or https:// */
    } ptau;
    int ntrust;
    char trust_ptau[NS_PTAU_MAX_PINS][129];
    char drand[16];          /* "quicknet" or "sim" */
    struct {
        uint32_t memory_mib; /* 64 .. 2^24 */
        uint32_t cpu_count;  /* 1 .. 1024 */
        int debug_mode;
        uint32_t port;       /* 1 .. 65535 */
    } enclave;
} ns_job;

/* Reads and checks path; err names path ("job.json: inputs.eif.sha256: ..."). */
int ns_job_read(ns_job *j, const char *path, ns_error *err);
/* The same on text (name is used in messages). */
int ns_job_parse(ns_job *j, const char *text, size_t len, const char *name, ns_error *err);
/* Checks j as the reader would (the writer refuses to write what the reader
 * would refuse). */
int ns_job_check(const ns_job *j, const char *name, ns_error *err);
/* Writes j (checked first) to path atomically, fields in the documented order. */
int ns_job_write(const char *path, const ns_job *j, ns_error *err);
/* The JSON text of j (malloc, NUL-terminated), or NULL when j does not pass
 * the check (err set). */
char *ns_job_dumps(const ns_job *j, ns_error *err);

/* The job id rule alone (the local tool checks --job with it). */
int ns_job_id_valid(const char *id);
/* A new job id YYYYMMDD-HHMM-xxxxxx (UTC now, 6 random hex digits). */
int ns_job_new_id(char out[41], ns_error *err);
/* "YYYY-MM-DDTHH:MM:SSZ" for t (UTC). */
void ns_job_time(char out[21], long long t);

#endif
