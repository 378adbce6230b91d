#include "app/job_pack.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "aws/s3.h"
#include "formats/hermez.h"
#include "formats/r1cs.h"
#include "protocol/bundle.h"
#include "protocol/cbundle.h"
#include "protocol/policy.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/interrupt.h"
#include "util/mapfile.h"
#include "util/rmtree.h"

int ns_s3_url_split(char *bucket, size_t bcap, char *prefix, size_t pcap, const char *url, ns_error *err) {
    if (strncmp(url, "s3://", 5) != 0) return ns_error_set(err, "'%.200s' is not s3://bucket/prefix/", url);
    const char *b = url + 5, *slash = strchr(b, '/');
    size_t bl = slash ? (size_t)(slash - b) : strlen(b);
    const char *p = slash ? slash + 1 : "";
    size_t pl = strlen(p);
    if (bl >= bcap || pl >= pcap || (pl > 0 && p[pl - 1] != '/'))
        return ns_error_set(err, "'%.200s': expected s3://bucket/prefix/ (the prefix ending in /)", url);
    memcpy(bucket, b, bl);
    bucket[bl] = 0;
    memcpy(prefix, p, pl + 1);
    return ns_s3_check_bucket(bucket, url, err);
}

static int regular_file(const char *path, const char *what, ns_error *err) {
    struct stat st;
    if (stat(path, &st) != 0) return ns_error_set(err, "%s %s: %s", what, path, strerror(errno));
    if (!S_ISREG(st.st_mode)) return ns_error_set(err, "%s %s: not a regular file", what, path);
    return 0;
}

/* Creates dir, or accepts it when it is an empty directory; *created says
 * which (so a failure removes only what was made here). */
static int make_outdir(const char *dir, int *created, ns_error *err) {
    *created = 0;
    if (mkdir(dir, 0755) == 0) {
        *created = 1;
        return 0;
    }
    if (errno != EEXIST) return ns_error_set(err, "%s: %s", dir, strerror(errno));
    DIR *d = opendir(dir);
    if (d == NULL) return ns_error_set(err, "%s: exists and is not a directory", dir);
    struct dirent *e;
    int empty = 1;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
    closedir(d);
    return empty ? 0 : ns_error_set(err, "%s: exists and is not empty", dir);
}

/* Copies src into dir/name and describes it as the input in/<name>. */
static int add_input(ns_job_input *in, const char *dir, const char *name, const char *src, ns_error *err) {
    char dst[4300];
    snprintf(dst, sizeof dst, "%s/%s", dir, name);
    if (src != NULL && ns_copy_file(dst, src, err) != 0) return -1;
    uint8_t d[NS_SHA256_LEN];
    if (ns_sha256_file(d, dst, &in->bytes, err) != 0) return -1;
    ns_hex_encode(in->sha256, d, sizeof d);
    snprintf(in->key, sizeof in->key, "in/%s", name);
    return 0;
}

/* The circuit: bundle, compile (in a scratch directory), r1cs numbers. */
static int pack_circuit(ns_job_pack_result *out, const ns_job_pack_opts *o, ns_error *err) {
    char tar[4300], scratch[4300], r1cs[4096];
    snprintf(tar, sizeof tar, "%s/circuit.tar", out->dir);
    ns_cbundle_info info;
    if (ns_cbundle_create(tar, o->circuit, o->libdirs, o->nlibs, &info, err) != 0) return -1;
    snprintf(scratch, sizeof scratch, "%s/.compile-XXXXXX", out->dir);
    if (mkdtemp(scratch) == NULL) return ns_error_set(err, "%s: %s", scratch, strerror(errno));
    int slot = ns_interrupt_track_dir(scratch);
    int rc = ns_cbundle_compile(r1cs, sizeof r1cs, tar, scratch, o->circom_cmd ? o->circom_cmd : "circom", err);
    if (rc == 0) rc = add_input(&out->job.r1cs, out->dir, "circuit.r1cs", r1cs, err);
    ns_rmtree(scratch);
    ns_interrupt_untrack(slot);
    if (rc != 0 || add_input(&out->job.circuit, out->dir, "circuit.tar", NULL, err) != 0) return -1;
    char path[4300];
    snprintf(path, sizeof path, "%s/circuit.r1cs", out->dir);
    ns_mapfile map;
    ns_r1cs r;
    if (ns_mapfile_open(&map, path, err) != 0) return -1;
    if (ns_r1cs_parse(&r, map.data, map.size, path, err) != 0) {
        ns_mapfile_close(&map);
        return -1;
    }
    out->constraints = r.nconstraints;
    out->npublic = ns_r1cs_npublic(&r);
    out->wires = r.nwires;
    ns_mapfile_close(&map);
    if (out->constraints > NS_JOB_MAX_CONSTRAINTS)
        return ns_error_set(err, "%s: %llu constraints; a nitrosetup ceremony supports at most 2^26 (%llu)", o->circuit,
                            (unsigned long long)out->constraints, (unsigned long long)NS_JOB_MAX_CONSTRAINTS);
    out->domain_power = ns_groth16_domain_power(out->constraints, out->npublic);
    return 0;
}

/* The ptau entry: the Hermez file for the domain, or the given file; the
 * trust policy must accept it; mirror key and URL from its name. */
static int pack_ptau(ns_job_pack_result *out, const ns_job_pack_opts *o, ns_error *err) {
    ns_job *j = &out->job;
    ns_ptau_pins pins = {0};
    for (int i = 0; i < o->ntrust; i++) {
        if (ns_ptau_pins_add_hex(&pins, o->trust_ptau[i], err) != 0) return -1;
        ns_hex_encode(j->trust_ptau[j->ntrust++], pins.hash[pins.n - 1], 64);
    }
    uint8_t h[64];
    if (o->ptau_file != NULL) {
        const char *base = strrchr(o->ptau_file, '/');
        base = base ? base + 1 : o->ptau_file;
        if (snprintf(j->ptau.name, sizeof j->ptau.name, "%s", base) >= (int)sizeof j->ptau.name)
            return ns_error_set(err, "%s: name too long", o->ptau_file);
        if (ns_blake2b512_file(h, o->ptau_file, &j->ptau.bytes, err) != 0) return -1;
        j->ptau.power = out->domain_power < 8 ? 8 : out->domain_power;
    } else {
        const ns_hermez_ptau *e = ns_hermez_for_domain(out->domain_power);
        if (e == NULL) return ns_error_set(err, "%s: no Hermez ptau for a domain of 2^%u", o->circuit, out->domain_power);
        snprintf(j->ptau.name, sizeof j->ptau.name, "%s", e->file);
        j->ptau.power = e->power;
        if (ns_hex_decode(h, sizeof h, e->b2sum) != 64) return ns_error_set(err, "the Hermez table is damaged");
    }
    ns_hex_encode(j->ptau.blake2b, h, 64);
    char name[128];
    if (ns_ptau_policy_check(name, sizeof name, h, &pins) == NS_PTAU_UNTRUSTED)
        return ns_ptau_untrusted_error(err, o->ptau_file ? o->ptau_file : j->ptau.name, h);
    const char *mirror = o->ptau_mirror ? o->ptau_mirror : getenv("NITROSETUP_PTAU_MIRROR");
    if (mirror == NULL) mirror = NS_PTAU_MIRROR_DEFAULT;
    if (*mirror) {
        char prefix[800];
        if (ns_s3_url_split(j->ptau.mirror_bucket, sizeof j->ptau.mirror_bucket, prefix, sizeof prefix, mirror, err) != 0)
            return ns_error_prefix(err, "ptau mirror");
        if (snprintf(j->ptau.mirror_key, sizeof j->ptau.mirror_key, "%s%s", prefix, j->ptau.name) >=
            (int)sizeof j->ptau.mirror_key)
            return ns_error_set(err, "ptau mirror: the key is too long");
        snprintf(j->ptau.mirror_region, sizeof j->ptau.mirror_region, "%s",
                 o->ptau_mirror_region ? o->ptau_mirror_region : NS_PTAU_MIRROR_REGION);
        j->ptau.has_mirror = 1;
    }
    const char *base = o->ptau_url_base ? o->ptau_url_base : getenv("NITROSETUP_PTAU_URL_BASE");
    if (base == NULL) base = NS_HERMEZ_URL_BASE;
    if (*base) {
        size_t bl = strlen(base);
        snprintf(j->ptau.urls[0], sizeof j->ptau.urls[0], "%s%s%s", base, base[bl - 1] == '/' ? "" : "/", j->ptau.name);
        j->ptau.nurls = 1;
    }
    return 0;
}

static void this_arch(char *out, size_t cap) {
    struct utsname u;
    if (uname(&u) == 0) snprintf(out, cap, "%.24s", strcmp(u.machine, "arm64") == 0 ? "aarch64" : u.machine);
    else snprintf(out, cap, "x86_64");
}

/* Memory from the model with the real sizes; CPUs from the instance. */
static void pack_sizing(ns_job_pack_result *out, const ns_job_pack_opts *o) {
    ns_job *j = &out->job;
    uint64_t wires = out->wires;
    ns_sizing_in in = {.power = out->domain_power < 1 ? 1 : out->domain_power, .constraints = out->constraints,
                       .wires = wires, .r1cs_bytes = j->r1cs.bytes, .cbundle_bytes = j->circuit.bytes,
                       .eif_bytes = j->eif.bytes};
    in.zkey_bytes = ns_sizing_zkey_bytes(in.power, wires, out->npublic, 0);
    memset(&out->sizing, 0, sizeof out->sizing);
    ns_sizing_enclave(&out->sizing, &in);
    uint64_t mem = o->memory_mib ? o->memory_mib : out->sizing.memory_mib;
    const ns_instance *inst = ns_sizing_instance_for(mem);
    if (inst != NULL) snprintf(out->instance, sizeof out->instance, "%s", inst->name);
    j->enclave.memory_mib = (uint32_t)(mem > (1u << 24) ? (1u << 24) : mem);
    j->enclave.cpu_count = o->cpu_count ? o->cpu_count : inst != NULL ? inst->enclave_vcpus : 2;
    j->enclave.debug_mode = o->debug_mode;
    j->enclave.port = 5005;
}

static int pack_fill(ns_job_pack_result *out, const ns_job_pack_opts *o, ns_error *err) {
    ns_job *j = &out->job;
    char arch[32], name[96];
    snprintf(arch, sizeof arch, "%s", o->arch ? o->arch : "");
    if (!arch[0]) this_arch(arch, sizeof arch);
    snprintf(name, sizeof name, "nitrosetup-host-%s.tar.gz", arch);
    if (pack_circuit(out, o, err) != 0 || pack_ptau(out, o, err) != 0 ||
        add_input(&j->eif, out->dir, "enclave.eif", o->eif, err) != 0 ||
        add_input(&j->host, out->dir, name, o->host_bundle, err) != 0)
        return -1;
    pack_sizing(out, o);
    snprintf(j->drand, sizeof j->drand, "%s", o->drand_sim ? "sim" : "quicknet");
    long long now = (long long)time(NULL);
    double hours = o->max_hours > 0 ? o->max_hours : 6;
    ns_job_time(j->created, now);
    ns_job_time(j->deadline, now + (long long)(hours * 3600));
    char path[4300];
    snprintf(path, sizeof path, "%s/job.json", out->dir);
    return ns_job_write(path, j, err);
}

int ns_job_pack(ns_job_pack_result *out, const ns_job_pack_opts *o, ns_error *err) {
    memset(out, 0, sizeof *out);
    ns_job *j = &out->job;
    if (o->job_id != NULL) {
        if (!ns_job_id_valid(o->job_id))
            return ns_error_set(err, "job id '%.60s': expected ^[a-z0-9][a-z0-9-]{6,38}[a-z0-9]$", o->job_id);
        snprintf(j->job, sizeof j->job, "%s", o->job_id);
    } else if (ns_job_new_id(j->job, err) != 0) {
        return -1;
    }
    if (o->region == NULL || strlen(o->region) >= sizeof j->region) return ns_error_set(err, "no or bad region");
    snprintf(j->region, sizeof j->region, "%s", o->region);
    if (ns_s3_check_bucket(o->bucket, "job bucket", err) != 0) return -1;
    snprintf(j->bucket, sizeof j->bucket, "%s", o->bucket);
    if (regular_file(o->circuit, "circuit", err) || regular_file(o->eif, "enclave image", err) ||
        regular_file(o->host_bundle, "host bundle", err) ||
        (o->ptau_file != NULL && regular_file(o->ptau_file, "ptau", err)))
        return -1;
    if (strlen(o->outdir) > 4000) return ns_error_set(err, "%s: path too long", o->outdir);
    snprintf(out->dir, sizeof out->dir, "%s", o->outdir);
    int created;
    if (make_outdir(out->dir, &created, err) != 0) return -1;
    int slot = created ? ns_interrupt_track_dir(out->dir) : -1;
    int rc = pack_fill(out, o, err);
    if (rc != 0 && created) ns_rmtree(out->dir);
    else if (rc != 0) { /* the directory was there and empty: leave it empty */
        ns_rmtree(out->dir);
        mkdir(out->dir, 0755);
    }
    ns_interrupt_untrack(slot);
    return rc;
}
