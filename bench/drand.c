/* `nitrosetup-bench drand`: time to verify one drand beacon (JSON decode,
 * message hash, hash-to-curve, point decoding with subgroup checks, pairing)
 * for each BLS12-381 scheme, beside @noble/curves measured in the same run
 * by tests/compat/oracles/drand_bench.js. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench.h"
#include "cli/opt.h"
#include "drand/beacon.h"
#include "drand/chains.h"

static const ns_cmd_spec SPEC = {
    "drand", "", 0, 0,
    "Times drand beacon verification for quicknet (G1 signature, G2 key) and the\n"
    "default chain (G2 signature, G1 key, chained message) and the same work in\n"
    "@noble/curves (node, tests/compat/node_modules; located through $NS_COMPAT\n"
    "or the source tree).  ratio = reference time / our time (> 1: we are faster).\n",
};

/* Real beacons: quicknet round 1, default round 2. */
static const char QN_BEACON[] =
    "{\"round\":1,\"randomness\":\"1466a6cd24e327188770752f6134001c64d6efcc590ccc26b721611ad96f165a\","
    "\"signature\":\"b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc4887"
    "1c7089a2b3af4b\"}";
static const char DF_BEACON[] =
    "{\"round\":2,\"randomness\":\"e8fee7dac6eb2b89df97d631cfccedbada7d5d05495bb546eef462e4145fdf8f\","
    "\"signature\":\"aa18facd2d51b616511d542de6f9af8a3b920121401dad1434ed1db4a565f10e04fad8d9b2b4e3e009"
    "4364374caafe9b10478bf75650124831509c638b5a36a7a232ec70289f8751a2adb47fc32eb70b57dc81c39d48cbcac9fe"
    "c46cdfc31663\",\"previous_signature\":\"8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac"
    "5ac20ff7bc3e09d7c046566c9f7f3c6f3b10104990e7cb424998203d8f7de586fb7fa5f60045417a432684f85093b06ca91c"
    "769f0e7ca19268375e659c2a2352b4655\"}";

/* Milliseconds per verification, or < 0 if the beacon does not verify. */
static double time_ours(const char *chain_name, const char *json, double budget_ms) {
    ns_drand_chain c;
    ns_drand_beacon b;
    ns_error err;
    if (ns_drand_chain_lookup(&c, chain_name, 0, &err) != 0 ||
        ns_drand_beacon_verify_json(&b, &c, json, strlen(json), 0, 0, &err) != 0) {
        ns_error_print(&err);
        return -1;
    }
    int n = 0;
    double t0 = bench_now() * 1e3, el;
    do {
        if (ns_drand_beacon_verify_json(&b, &c, json, strlen(json), 0, 0, &err) != 0) return -1;
        n++;
        el = bench_now() * 1e3 - t0;
    } while (el < budget_ms && n < 100000);
    return el / n;
}

/* Appends s to buf in single quotes for /bin/sh. */
static int shell_quote(char *buf, size_t cap, const char *s) {
    size_t n = strlen(buf);
    if (n + 1 >= cap) return -1;
    buf[n++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t len = piece ? 4 : 1;
        if (n + len + 2 >= cap) return -1;
        if (piece) memcpy(buf + n, piece, len);
        else buf[n] = *s;
        n += len;
    }
    buf[n++] = '\'';
    buf[n] = '\0';
    return 0;
}

/* Runs the node reference; fills qn/df in ms.  Returns 0 on success. */
static int time_reference(double *qn, double *df, double seconds) {
    char dirbuf[2048], probe[2300], cmd[6000] = "", secs[32];
    const char *dir = bench_compat_dir(dirbuf, sizeof dirbuf);
    struct stat st;
    if (!dir) {
        fprintf(stderr, "nitrosetup-bench: drand: set NS_COMPAT to tests/compat with node_modules installed\n");
        return -1;
    }
    snprintf(probe, sizeof probe, "%s/node_modules/@noble/curves/package.json", dir);
    if (stat(probe, &st) != 0) {
        fprintf(stderr, "nitrosetup-bench: drand: %s not found (set NS_COMPAT to tests/compat "
                        "with node_modules installed)\n", probe);
        return -1;
    }
    snprintf(probe, sizeof probe, "%s/oracles/drand_bench.js", dir);
    snprintf(secs, sizeof secs, "%.3f", seconds);
    strcat(cmd, "NS_COMPAT=");
    if (shell_quote(cmd, sizeof cmd, dir) != 0) return -1;
    strcat(cmd, " node ");
    if (shell_quote(cmd, sizeof cmd, probe) != 0) return -1;
    strcat(cmd, " ");
    if (shell_quote(cmd, sizeof cmd, secs) != 0) return -1;
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    char line[512] = "";
    char *got = fgets(line, sizeof line, p);
    int status = pclose(p);
    if (!got || status != 0 ||
        sscanf(line, "{\"quicknet\":%lf,\"default\":%lf}", qn, df) != 2) {
        fprintf(stderr, "nitrosetup-bench: drand: the node reference failed\n");
        return -1;
    }
    return 0;
}

int ns_bench_drand(int argc, char **argv) {
    int json = 0, rc;
    double seconds = 1.0;
    const ns_opt OPTS[] = {
        OPT_BOOL(0, "json", &json, "print [{\"op\",\"ours\",\"reference\",\"unit\",\"ratio\"}, ...]"),
        OPT_DOUBLE(0, "seconds", &seconds, "S", 0.001, 60, "time budget per measurement (default 1)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    const struct {
        const char *op, *chain, *beacon;
    } ops[] = {
        {"drand verify quicknet (G1 sig)", "quicknet", QN_BEACON},
        {"drand verify default (G2 sig, chained)", "default", DF_BEACON},
    };
    double ours[2], ref[2];
    for (int i = 0; i < 2; i++) {
        ours[i] = time_ours(ops[i].chain, ops[i].beacon, seconds * 1000);
        if (ours[i] < 0) {
            fprintf(stderr, "nitrosetup-bench: drand: our verification of %s failed\n", ops[i].chain);
            return 1;
        }
    }
    int have_ref = time_reference(&ref[0], &ref[1], seconds) == 0;
    if (json) fputs("[", stdout);
    else printf("%-40s %12s %12s %6s %8s\n", "op", "ours", "noble", "unit", "ratio");
    for (int i = 0; i < 2; i++) {
        if (json) {
            printf("%s\n {\"op\": \"%s\", \"ours\": %.4f, ", i ? "," : "", ops[i].op, ours[i]);
            if (have_ref)
                printf("\"reference\": %.4f, \"unit\": \"ms\", \"ratio\": %.3f}", ref[i], ref[i] / ours[i]);
            else
                printf("\"reference\": null, \"unit\": \"ms\", \"ratio\": null}");
        } else if (have_ref) {
            printf("%-40s %12.3f %12.3f %6s %8.2f\n", ops[i].op, ours[i], ref[i], "ms", ref[i] / ours[i]);
        } else {
            printf("%-40s %12.3f %12s %6s %8s\n", ops[i].op, ours[i], "-", "ms", "-");
        }
    }
    if (json) fputs("\n]\n", stdout);
    return have_ref ? 0 : 1;
}
