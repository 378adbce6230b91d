/* Tests for src/host/job_file.c: a valid job.json round trips through the
 * writer and the reader; each malformed variant (docs/aws-job.md's rules)
 * is refused with one line naming the file and the field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "host/job_file.h"
#include "testutil.h"

static void valid_job(ns_job *j) {
    memset(j, 0, sizeof *j);
    snprintf(j->job, sizeof j->job, "20261207-1830-a1b2c3");
    snprintf(j->region, sizeof j->region, "us-east-1");
    snprintf(j->bucket, sizeof j->bucket, "nitrosetup-jobs-123456789012-us-east-1");
    snprintf(j->created, sizeof j->created, "2026-12-07T18:30:00Z");
    snprintf(j->deadline, sizeof j->deadline, "2026-12-07T22:30:00Z");
    ns_job_input *ins[] = {&j->host, &j->eif, &j->circuit, &j->r1cs};
    const char *keys[] = {"in/nitrosetup-host-x86_64.tar.gz", "in/enclave.eif", "in/circuit.tar", "in/circuit.r1cs"};
    for (int i = 0; i < 4; i++) {
        snprintf(ins[i]->key, sizeof ins[i]->key, "%s", keys[i]);
        for (int k = 0; k < 64; k++) ins[i]->sha256[k] = "0123456789abcdef"[(k + i) % 16];
        ins[i]->bytes = 1000u * (unsigned)(i + 1);
    }
    snprintf(j->ptau.name, sizeof j->ptau.name, "powersOfTau28_hez_final_12.ptau");
    j->ptau.power = 12;
    for (int k = 0; k < 128; k++) j->ptau.blake2b[k] = "0123456789abcdef"[k % 7];
    j->ptau.bytes = 4831232;
    j->ptau.has_mirror = 1;
    snprintf(j->ptau.mirror_bucket, sizeof j->ptau.mirror_bucket, "nitrosetup-ptau");
    snprintf(j->ptau.mirror_key, sizeof j->ptau.mirror_key, "ptau/powersOfTau28_hez_final_12.ptau");
    snprintf(j->ptau.mirror_region, sizeof j->ptau.mirror_region, "us-east-1");
    j->ptau.nurls = 1;
    snprintf(j->ptau.urls[0], sizeof j->ptau.urls[0], "https://storage.googleapis.com/zkevm/ptau/powersOfTau28_hez_final_12.ptau");
    j->ntrust = 1;
    for (int k = 0; k < 128; k++) j->trust_ptau[0][k] = "fedcba9876543210"[k % 16];
    snprintf(j->drand, sizeof j->drand, "quicknet");
    j->enclave.memory_mib = 4096;
    j->enclave.cpu_count = 2;
    j->enclave.port = 5005;
}

/* Sets (v != NULL) or deletes (v == NULL) the value at a dotted path. */
static void edit(json_t *root, const char *path, json_t *v) {
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *o = root;
    char *dot, *k = buf;
    while ((dot = strchr(k, '.')) != NULL) {
        *dot = 0;
        o = json_object_get(o, k);
        k = dot + 1;
    }
    if (v) json_object_set_new(o, k, v);
    else json_object_del(o, k);
}

static char dir[256], path[512];

/* Writes the valid job with one edit and expects the reader to refuse it
 * with a message containing want (and starting with the file's path). */
static void refused(const char *edit_path, json_t *v, const char *want) {
    ns_job j;
    valid_job(&j);
    ns_error e;
    char *text = ns_job_dumps(&j, &e);
    json_t *root = json_loads(text, 0, NULL);
    free(text);
    edit(root, edit_path, v);
    CHECK(json_dump_file(root, path, 0) == 0);
    json_decref(root);
    int rc = ns_job_read(&j, path, &e);
    CHECK_MSG(rc != 0 && strncmp(e.msg, path, strlen(path)) == 0 && strstr(e.msg, want) != NULL,
              "edit %s: rc %d, message '%s', want '%s'", edit_path, rc, rc ? e.msg : "", want);
}

static json_t *hex(int n, char c) {
    char b[200];
    memset(b, c, (size_t)n);
    b[n] = 0;
    return json_string(b);
}

int main(void) {
    snprintf(dir, sizeof dir, "%s/ns-job-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(dir) == NULL) return 1;
    snprintf(path, sizeof path, "%s/job.json", dir);

    /* round trip */
    ns_job a, b;
    ns_error e;
    valid_job(&a);
    CHECK(ns_job_write(path, &a, &e) == 0);
    CHECK_MSG(ns_job_read(&b, path, &e) == 0, "%s", e.msg);
    CHECK(memcmp(&a, &b, sizeof a) == 0);
    size_t n;
    char *text = (char *)ns_test_read_file(path, &n);
    CHECK(text != NULL && strncmp(text, "{\n  \"format\": \"nitrosetup-job-1\",\n  \"job\": \"20261207-1830-a1b2c3\"", 65) == 0);
    CHECK(text != NULL && n > 0 && text[n - 1] == '\n');
    free(text);
    /* no mirror: null; no pins; sim */
    a.ptau.has_mirror = 0;
    memset(a.ptau.mirror_bucket, 0, sizeof a.ptau.mirror_bucket);
    memset(a.ptau.mirror_key, 0, sizeof a.ptau.mirror_key);
    memset(a.ptau.mirror_region, 0, sizeof a.ptau.mirror_region);
    a.ntrust = 0;
    memset(a.trust_ptau, 0, sizeof a.trust_ptau);
    memset(a.drand, 0, sizeof a.drand);
    snprintf(a.drand, sizeof a.drand, "sim");
    a.enclave.debug_mode = 1;
    CHECK(ns_job_write(path, &a, &e) == 0);
    CHECK(ns_job_read(&b, path, &e) == 0 && memcmp(&a, &b, sizeof a) == 0);
    text = (char *)ns_test_read_file(path, &n);
    CHECK(text != NULL && strstr(text, "\"mirror\": null") != NULL && strstr(text, "\"debug_mode\": true") != NULL);
    free(text);
    /* the writer refuses what the reader would */
    a.ptau.nurls = 0;
    CHECK(ns_job_write(path, &a, &e) != 0 && strstr(e.msg, "ptau: neither a mirror nor a URL") != NULL);

    refused("format", json_string("nitrosetup-job-2"), ": format: 'nitrosetup-job-2' is not nitrosetup-job-1");
    refused("format", NULL, ": format: missing");
    refused("bucket", NULL, ": bucket: missing");
    refused("bucket", json_string("Bad_Bucket"), ": bucket: not an S3 bucket name");
    refused("surprise", json_true(), ": (top level): unknown field 'surprise'");
    refused("job", json_string("BAD_ID"), ": job: 'BAD_ID' is not a job id");
    refused("job", json_string("short"), ": job: ");
    refused("region", json_string("us east 1"), ": region: ");
    refused("created", json_string("2026-12-07 18:30:00"), ": created: not YYYY-MM-DDTHH:MM:SSZ");
    refused("deadline", json_string("2026-12-07T18:29:59Z"), ": deadline: not after created");
    refused("deadline", json_integer(5), ": deadline: not a string");
    refused("inputs.eif.key", json_string("out/enclave.eif"), ": inputs.eif.key: 'out/enclave.eif' is not a key under in/");
    refused("inputs.eif.key", json_string("in/../x"), ": inputs.eif.key: ");
    refused("inputs.host.key", json_string("/in/x"), ": inputs.host.key: ");
    refused("inputs.circuit.sha256", hex(63, 'a'), ": inputs.circuit.sha256: not 64 lower-case hex digits");
    refused("inputs.circuit.sha256", hex(64, 'A'), ": inputs.circuit.sha256: ");
    refused("inputs.circuit.sha256", hex(64, 'g'), ": inputs.circuit.sha256: ");
    refused("inputs.r1cs.bytes", json_integer(-1), ": inputs.r1cs.bytes: not a non-negative integer");
    refused("inputs.r1cs.bytes", json_integer(0), ": inputs.r1cs.bytes: out of range");
    refused("inputs.r1cs", NULL, ": inputs.r1cs: missing");
    refused("inputs.r1cs.extra", json_integer(1), ": inputs.r1cs: unknown field 'extra'");
    refused("ptau.blake2b", hex(127, 'a'), ": ptau.blake2b: not 128 lower-case hex digits");
    refused("ptau.power", json_integer(29), ": ptau.power: out of range");
    refused("ptau.name", json_string("../x.ptau"), ": ptau.name: not a plain .ptau file name");
    refused("ptau.urls", json_pack("[s]", "ftp://x/y.ptau"), ": ptau.urls: entry 0 is not an http(s) URL");
    refused("ptau.urls", json_string("https://x"), ": ptau.urls: not an array");
    refused("ptau.mirror.region", NULL, ": ptau.mirror.region: missing");
    refused("ptau.mirror.bucket", json_string("x"), ": ptau.mirror.bucket: not an S3 bucket name");
    refused("ptau.mirror", json_string("s3://b/k"), ": ptau.mirror: not an object");
    refused("trust_ptau", json_pack("[s]", "zz"), ": trust_ptau: entry 0 is not 128 lower-case hex digits");
    refused("drand", json_string("mainnet"), ": drand: 'mainnet' is neither quicknet nor sim");
    refused("enclave.memory_mib", json_string("4096"), ": enclave.memory_mib: not a non-negative integer");
    refused("enclave.memory_mib", json_integer(32), ": enclave.memory_mib: out of range");
    refused("enclave.cpu_count", json_integer(0), ": enclave.cpu_count: out of range");
    refused("enclave.debug_mode", json_integer(1), ": enclave.debug_mode: not true or false");
    refused("enclave.port", json_integer(70000), ": enclave.port: out of range");
    refused("enclave", NULL, ": enclave: missing");

    /* neither mirror nor URL */
    ns_job j;
    valid_job(&j);
    text = ns_job_dumps(&j, &e);
    json_t *root = json_loads(text, 0, NULL);
    free(text);
    edit(root, "ptau.mirror", json_null());
    edit(root, "ptau.urls", json_array());
    json_dump_file(root, path, 0);
    json_decref(root);
    CHECK(ns_job_read(&j, path, &e) != 0 && strstr(e.msg, ": ptau: neither a mirror nor a URL") != NULL);

    /* not JSON, duplicate keys, too large, absent */
    CHECK(ns_job_parse(&j, "{\"format\": 1", 12, "x.json", &e) != 0 && strncmp(e.msg, "x.json: not JSON", 16) == 0);
    CHECK(ns_job_parse(&j, "{\"job\": \"a\", \"job\": \"b\"}", 24, "x.json", &e) != 0 && strstr(e.msg, "not JSON") != NULL);
    char *big = malloc(NS_JOB_MAX_BYTES + 10);
    memset(big, ' ', NS_JOB_MAX_BYTES + 10);
    CHECK(ns_job_parse(&j, big, NS_JOB_MAX_BYTES + 10, "x.json", &e) != 0 && strstr(e.msg, "larger than") != NULL);
    free(big);
    CHECK(ns_job_read(&j, "/nonexistent/job.json", &e) != 0 && strstr(e.msg, "/nonexistent/job.json: ") == e.msg);

    /* ids */
    char id[41];
    CHECK(ns_job_new_id(id, &e) == 0 && ns_job_id_valid(id) && strlen(id) == 20 && id[8] == '-' && id[13] == '-');
    CHECK(!ns_job_id_valid("-abcdefg") && !ns_job_id_valid("abcdefg-") && !ns_job_id_valid("abcdefg") &&
          ns_job_id_valid("abcdefgh"));
    char t[21];
    ns_job_time(t, 0);
    CHECK(strcmp(t, "1970-01-01T00:00:00Z") == 0);

    unlink(path);
    rmdir(dir);
    return ns_test_report("job_file");
}
