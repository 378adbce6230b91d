/* `nitrosetup-bench curve`: our BN254 field/curve layer against ffjavascript
 * (the layer under snarkjs), both measured in the same run on the same
 * inputs.  The reference side is bench/oracles/curve_bench.js run by node
 * with $NS_COMPAT/node_modules; results of the MSM, the batch multiply and
 * the scalar multiplication are compared, so a wrong answer cannot pass as a
 * fast one. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "cli/opt.h"
#include "curve/bn254.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_ctmul.h"
#include "curve/bn254_fast.h"
#include "curve/bn254_msm.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/parallel.h"

static const ns_cmd_spec SPEC = {
    "curve", "", 0, 0,
    "Times BN254 operations in nitrosetup and in ffjavascript 0.3.1 (via node),\n"
    "on the same inputs in one run, and checks that both compute the same results:\n"
    "  fq_mul       base-field Montgomery multiplication, the kernel of the G1\n"
    "               hot loops (src/curve/bn254_fast.h) (ns/op, one core, latency)\n"
    "  g1_mul_ct    G1 scalar multiplication by a secret scalar (us/op, one core;\n"
    "               ours is constant time, ffjavascript's timesFr is not)\n"
    "  g1_batch_mul G1 points times one secret scalar, affine in/out, as zkey\n"
    "               contribute does (points/s, all threads)\n"
    "  g1_batch_mul_var  the same for a public scalar (variable time), as zkey\n"
    "               beacon does; same reference (points/s, all threads)\n"
    "  g1_msm       G1 multi-scalar multiplication, 2^16 points (points/s, all threads)\n"
    "  pairing      optimal ate pairing e(G1, G2) (ms/op, one core)\n"
    "ratio = reference time / our time (> 1: we are faster).  batch_mul and msm\n"
    "report the best of two runs on each side (the machine may be shared).\n"
    "node_modules is taken from $NS_COMPAT/node_modules, else from\n"
    "<source>/tests/compat/node_modules where <source> is $NS_SOURCE or the source\n"
    "directory this executable was built from.\n",
};

typedef struct {
    const char *op, *unit;
    double ours, ref;
    int higher_better, have_ref;
} bc_row;

/* n distinct points P_i = R + i*S (public, from seeded scalars), affine. */
static int bc_points(bn254_g1_affine *out, size_t n, uint64_t *seed) {
    bn254_g1 g, r, s;
    uint64_t k[4];
    bn254_g1_generator(&g);
    bench_scalar(k, seed);
    bn254_g1_mul_var(&r, &g, k);
    bench_scalar(k, seed);
    bn254_g1_mul_var(&s, &g, k);
    bn254_g1_affine sa;
    bn254_g1_to_affine_var(&sa, &s);
    size_t blk = 4096;
    bn254_g1 *jac = malloc(blk * sizeof *jac);
    if (!jac) return -1;
    for (size_t b = 0; b < n; b += blk) {
        size_t m = n - b < blk ? n - b : blk;
        for (size_t i = 0; i < m; i++) {
            jac[i] = r;
            bn254_g1_add_affine_var(&r, &r, &sa);
        }
        bn254_g1_batch_to_affine_var(out + b, jac, m);
    }
    free(jac);
    return 0;
}

static void bc_unlink(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

static void bc_hex(char *out, const void *p, size_t n) { ns_hex_encode(out, p, n); }

/* Runs node; returns the parsed JSON object or NULL (message on stderr). */
static json_t *bc_run_node(const char *dir, int threads, int quick) {
    const char *src = bench_source_dir();
    char compat_buf[4096], script[4096], modpath[4200];
    const char *compat = bench_compat_dir(compat_buf, sizeof compat_buf);
    if (!src || !compat) {
        fprintf(stderr, "nitrosetup-bench: curve: source directory unknown (set NS_SOURCE)\n");
        return NULL;
    }
    snprintf(script, sizeof script, "%s/bench/oracles/curve_bench.js", src);
    snprintf(modpath, sizeof modpath, "%s/node_modules/ffjavascript", compat);
    struct stat st;
    if (stat(script, &st) != 0 || stat(modpath, &st) != 0) {
        fprintf(stderr, "nitrosetup-bench: curve: %s or %s missing; reference not measured\n", script, modpath);
        return NULL;
    }
    if (setenv("NS_COMPAT", compat, 1) != 0) return NULL;
    char cmd[12000];
    snprintf(cmd, sizeof cmd, "node '%s' '%s' %d '{\"fq_mul\":%d,\"g1_mul\":%d,\"pairing\":%d,\"reps\":%d}'", script,
             dir, threads == 1 ? 1 : 0, quick ? 100000 : 2000000, quick ? 3 : 40, quick ? 2 : 20, quick ? 1 : 2);
    FILE *p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "nitrosetup-bench: curve: cannot run node: %s\n", strerror(errno));
        return NULL;
    }
    char buf[65536];
    size_t len = fread(buf, 1, sizeof buf - 1, p);
    buf[len] = 0;
    int st2 = pclose(p);
    if (st2 != 0) {
        fprintf(stderr, "nitrosetup-bench: curve: node reference failed (status %d)\n", st2);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loads(buf, 0, &je);
    if (!j || !json_is_object(j)) {
        fprintf(stderr, "nitrosetup-bench: curve: node reference printed no JSON object\n");
        json_decref(j);
        return NULL;
    }
    return j;
}

static double bc_num(json_t *o, const char *key, int *ok) {
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v)) {
        *ok = 0;
        return 0;
    }
    return json_number_value(v);
}

static int bc_same_str(json_t *o, const char *key, const char *ours) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) && strcmp(json_string_value(v), ours) == 0;
}

int ns_bench_curve(int argc, char **argv) {
    int json = 0, quick = 0, threads = 0, rc;
    const ns_opt OPTS[] = {
        OPT_BOOL(0, "json", &json, "print a JSON array of {op, ours, reference, unit, ratio}"),
        {NS_OPT_THREADS, 't', "threads", &threads, "N",
         "threads for batch_mul and msm (0 = all cores; ffjavascript\n"
         "uses one thread when N = 1 and all cores otherwise)", 0, 0},
        OPT_BOOL(0, "quick", &quick, "small sizes (a smoke test, a few seconds)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if (threads == 0) threads = ns_cpu_count();
    size_t n_batch = quick ? 128 : 8192, n_msm = quick ? 1024 : 65536;
    int it_fq = quick ? 200000 : 5000000, it_mul = quick ? 5 : 200, it_pair = quick ? 2 : 20;

    /* inputs */
    uint64_t seed = 0x6e69747265736574ULL;
    bn254_g1_affine *bpts = malloc(n_batch * sizeof *bpts), *bout = malloc(n_batch * sizeof *bout),
                    *bout_var = malloc(n_batch * sizeof *bout_var);
    bn254_g1_affine *mpts = malloc(n_msm * sizeof *mpts);
    uint8_t *msc = malloc(n_msm * 32);
    if (!bpts || !bout || !bout_var || !mpts || !msc || bc_points(bpts, n_batch, &seed) != 0 ||
        bc_points(mpts, n_msm, &seed) != 0) {
        fprintf(stderr, "nitrosetup-bench: curve: out of memory\n");
        free(bpts), free(bout), free(bout_var), free(mpts), free(msc);
        return 1;
    }
    for (size_t i = 0; i < n_msm; i++) {
        uint64_t k[4];
        bench_scalar(k, &seed);
        bench_le32(msc + 32 * i, k);
    }
    uint64_t ks[4];
    uint8_t ks_le[32];
    bench_scalar(ks, &seed);
    bench_le32(ks_le, ks);

    /* ours */
    enum { NROWS = 6 };
    bc_row rows[NROWS] = {{"fq_mul", "ns/op", 0, 0, 0, 0},
                          {"g1_mul_ct", "us/op", 0, 0, 0, 0},
                          {"g1_batch_mul", "points/s", 0, 0, 1, 0},
                          {"g1_msm", "points/s", 0, 0, 1, 0},
                          {"pairing", "ms/op", 0, 0, 0, 0},
                          {"g1_batch_mul_var", "points/s", 0, 0, 1, 0}};
    {
        bn254_fq a, b;
        bn254_fq_from_u64(&a, 7);
        bn254_fq_from_u64(&b, 11);
        double t0 = bench_now();
        for (int i = 0; i < it_fq; i++) bn254x_mul(&a, &a, &b);
        rows[0].ours = (bench_now() - t0) / it_fq * 1e9;
        if (a.l[0] == 0x1234) fputc(' ', stderr); /* keep the loop */
    }
    bn254_g1_affine mul_res;
    {
        bn254_g1 g, r;
        bn254_g1_generator(&g);
        double t0 = bench_now();
        for (int i = 0; i < it_mul; i++) bn254_g1_mul(&r, &g, ks);
        rows[1].ours = (bench_now() - t0) / it_mul * 1e6;
        bn254_g1_to_affine_var(&mul_res, &r);
    }
    int reps = quick ? 1 : 2; /* best of reps: the machine may be shared */
    for (int rep = 0; rep < reps; rep++) {
        double t0 = bench_now();
        bn254_g1_batch_mul(bout, bpts, n_batch, ks, threads);
        double v = (double)n_batch / (bench_now() - t0);
        if (v > rows[2].ours) rows[2].ours = v;
    }
    for (int rep = 0; rep < reps; rep++) {
        double t0 = bench_now();
        (void)bn254_g1_batch_mul_var(bout_var, bpts, n_batch, ks, threads);
        double v = (double)n_batch / (bench_now() - t0);
        if (v > rows[5].ours) rows[5].ours = v;
    }
    bn254_g1_affine msm_res;
    {
        bn254_g1 r;
        ns_error err;
        for (int rep = 0; rep < reps; rep++) {
            double t0 = bench_now();
            if (bn254_g1_msm_var(&r, mpts, msc, 32, n_msm, threads, &err) != 0) {
                ns_error_print(&err);
                return 1;
            }
            double v = (double)n_msm / (bench_now() - t0);
            if (v > rows[3].ours) rows[3].ours = v;
        }
        bn254_g1_to_affine_var(&msm_res, &r);
    }
    {
        bn254_g1_affine p;
        bn254_g2_affine q;
        bn254_fq12 f;
        bn254_g1_affine_generator(&p);
        bn254_g2_affine_generator(&q);
        double t0 = bench_now();
        for (int i = 0; i < it_pair; i++) bn254_pairing_var(&f, &p, &q);
        rows[4].ours = (bench_now() - t0) / it_pair * 1e3;
    }

    /* reference */
    int mismatch = 0;
    char tmpl[4096];
    const char *tmpdir = getenv("TMPDIR");
    snprintf(tmpl, sizeof tmpl, "%s/nitrosetup-bench-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    char *dir = mkdtemp(tmpl);
    json_t *ref = NULL;
    if (dir && bench_save(dir, "points.bin", mpts, n_msm * sizeof *mpts) == 0 &&
        bench_save(dir, "scalars.bin", msc, n_msm * 32) == 0 &&
        bench_save(dir, "batch.bin", bpts, n_batch * sizeof *bpts) == 0 && bench_save(dir, "k.bin", ks_le, 32) == 0) {
        ref = bc_run_node(dir, threads, quick);
    } else {
        fprintf(stderr, "nitrosetup-bench: curve: cannot write inputs to a temporary directory\n");
    }
    if (dir) {
        bc_unlink(dir, "points.bin");
        bc_unlink(dir, "scalars.bin");
        bc_unlink(dir, "batch.bin");
        bc_unlink(dir, "k.bin");
        rmdir(dir);
    }
    if (ref) {
        static const char *keys[NROWS] = {"fq_mul_ns",  "g1_mul_us",  "g1_batch_pps",
                                          "g1_msm_pps", "pairing_ms", "g1_batch_pps"};
        for (int i = 0; i < NROWS; i++) {
            int ok = 1;
            rows[i].ref = bc_num(ref, keys[i], &ok);
            rows[i].have_ref = ok;
        }
        char hex[2 * sizeof(bn254_g1_affine) + 1];
        bc_hex(hex, &msm_res, sizeof msm_res);
        if (!bc_same_str(ref, "g1_msm_result", hex)) {
            fprintf(stderr, "nitrosetup-bench: curve: MSM result differs from ffjavascript\n");
            mismatch = 1;
        }
        bc_hex(hex, &mul_res, sizeof mul_res);
        if (!bc_same_str(ref, "g1_mul_result", hex)) {
            fprintf(stderr, "nitrosetup-bench: curve: scalar multiplication differs from ffjavascript\n");
            mismatch = 1;
        }
        uint8_t dg[NS_SHA256_LEN];
        char dhex[2 * NS_SHA256_LEN + 1];
        ns_sha256(dg, bout, n_batch * sizeof *bout);
        bc_hex(dhex, dg, sizeof dg);
        if (!bc_same_str(ref, "g1_batch_digest", dhex)) {
            fprintf(stderr, "nitrosetup-bench: curve: batch multiply differs from ffjavascript\n");
            mismatch = 1;
        }
        ns_sha256(dg, bout_var, n_batch * sizeof *bout_var);
        bc_hex(dhex, dg, sizeof dg);
        if (!bc_same_str(ref, "g1_batch_digest", dhex)) {
            fprintf(stderr, "nitrosetup-bench: curve: public-scalar batch multiply differs from ffjavascript\n");
            mismatch = 1;
        }
        json_decref(ref);
    }

    if (json) {
        json_t *arr = json_array();
        for (int i = 0; i < NROWS; i++) {
            bc_row *r = &rows[i];
            double ratio = r->higher_better ? r->ours / r->ref : r->ref / r->ours;
            json_array_append_new(arr, json_pack("{s:s, s:f, s:o, s:s, s:o}", "op", r->op, "ours", r->ours,
                                                 "reference", r->have_ref ? json_real(r->ref) : json_null(),
                                                 "unit", r->unit, "ratio",
                                                 r->have_ref ? json_real(ratio) : json_null()));
        }
        char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (s) puts(s);
        free(s);
        json_decref(arr);
    } else {
        printf("BN254 curve benchmark (threads %d%s; reference ffjavascript 0.3.1 via node)\n", threads,
               quick ? ", quick sizes" : "");
        printf("%-16s %14s %14s %-10s %8s\n", "op", "ours", "reference", "unit", "ratio");
        for (int i = 0; i < NROWS; i++) {
            bc_row *r = &rows[i];
            if (r->have_ref) {
                double ratio = r->higher_better ? r->ours / r->ref : r->ref / r->ours;
                printf("%-16s %14.2f %14.2f %-10s %8.2f\n", r->op, r->ours, r->ref, r->unit, ratio);
            } else {
                printf("%-16s %14.2f %14s %-10s %8s\n", r->op, r->ours, "-", r->unit, "-");
            }
        }
        printf("sizes: batch %zu points, msm %zu points; ratio > 1: we are faster\n", n_batch, n_msm);
    }
    free(bpts), free(bout), free(bout_var), free(mpts), free(msc);
    return mismatch ? 1 : 0;
}
