/* `nitrosetup verify <bundle-dir>`: offline verification of a ceremony bundle. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ceremony/engine_real.h"
#include "ceremony/verify.h"
#include "cli/commands.h"
#include "drand/chains.h"
#include "enclave/enclave.h"
#include "host/host.h"
#include "util/hex.h"
#include "ceremony/manifest.h"
#include <sys/stat.h>

static void usage(FILE *out) {
    fprintf(out,
            "usage: nitrosetup verify <bundle-dir> [--pcr N=HEX]... [--ptau FILE] [--allow-simulated] [--json]\n\n"
            "Checks a ceremony bundle offline: both attestation documents (signature, certificate\n"
            "chain at their own timestamps, not debug, same PCRs, equal to --pcr values),\n"
            "attestation #1's nonce and user_data against the bundle, the drand round (first\n"
            "after T1 + margin) and its signature, the final key's beacon parameters, the\n"
            "contributions, the zkey against circuit.r1cs and the ptau, every manifest hash and\n"
            "attestation #2's nonce.  One line per check; exit 0 only when all pass.\n\n"
            "Options:\n"
            "  --pcr N=HEX        expected PCR N (48 bytes hex); repeat for PCR0, 1, 2 ...\n"
            "  --ptau FILE        the ptau of the ceremony (needed for the zkey check)\n"
            "  --allow-simulated  check a simulated bundle (simulated NSM / drand) instead of failing it\n"
            "  --json             machine-readable report on stdout\n"
            "  -h, --help         this help\n\n"
            "Exit status: 0 all checks passed, 1 a check failed or was skipped, 2 usage error.\n");
}

static const char *status_word(ns_check_status s) {
    switch (s) {
    case NS_CHECK_PASS: return "ok";
    case NS_CHECK_FAIL: return "FAIL";
    case NS_CHECK_SKIP: return "SKIP";
    default: return "warn";
    }
}

int ns_cmd_verify(int argc, char **argv) {
    if (ns_cli_wants_help(argc, argv)) {
        usage(stdout);
        return 0;
    }
    ns_verify_opts o;
    memset(&o, 0, sizeof o);
    const char *dir = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--allow-simulated") == 0) o.allow_simulated = 1;
        else if (strcmp(a, "--json") == 0) json = 1;
        else if (strcmp(a, "--ptau") == 0 && i + 1 < argc) o.ptau = argv[++i];
        else if (strcmp(a, "--pcr") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            char *eq;
            long k = strtol(v, &eq, 10);
            if (eq == v || *eq != '=' || k < 0 || k > 31 || ns_hex_decode(o.pcr[k], 48, eq + 1) != 48)
                return ns_cli_usage_error("verify", "--pcr expects N=<96 hex digits>, got '%s'", v);
            o.pcr_mask |= 1u << k;
        } else if (a[0] == '-') {
            return ns_cli_usage_error("verify", "unknown or incomplete option '%s'", a);
        } else if (dir == NULL) {
            dir = a;
        } else {
            return ns_cli_usage_error("verify", "unexpected argument '%s'", a);
        }
    }
    if (dir == NULL) return ns_cli_usage_error("verify", "missing <bundle-dir>");
    struct stat dir_st;
    if (stat(dir, &dir_st) != 0 || !S_ISDIR(dir_st.st_mode)) {
        fprintf(stderr, "nitrosetup: %s: %s\n", dir, errno == ENOENT ? "no such bundle directory" : "not a bundle directory");
        return 2;
    }
    ns_error err;
    ns_engine eng;
    ns_engine_opts eo = {.allow_sim_verify = o.allow_simulated};
    if (ns_engine_real_init(&eng, &eo, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    ns_drand_chain q;
    if (ns_drand_chain_lookup(&q, "quicknet", 0, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    /* Without --ptau: a Hermez ptau from the cache, when the manifest names one. */
    char cached[4400];
    if (o.ptau == NULL) {
        char mp[4200], cdir[4096];
        snprintf(mp, sizeof mp, "%s/manifest.json", dir);
        FILE *f = fopen(mp, "rb");
        char *buf = malloc(1 << 20);
        size_t n = (f && buf) ? fread(buf, 1, 1 << 20, f) : 0;
        if (f) fclose(f);
        ns_manifest *m = malloc(sizeof *m);
        ns_error e2;
        ns_host_ptau_cache_dir(cdir, sizeof cdir);
        if (buf && m && cdir[0] && ns_manifest_from_json(m, buf, n, &e2) == 0 && strcmp(m->ptau_name, "custom") != 0 &&
            strchr(m->ptau_name, '/') == NULL) {
            struct stat st;
            snprintf(cached, sizeof cached, "%s/%s", cdir, m->ptau_name);
            if (stat(cached, &st) == 0) {
                o.ptau = cached;
                if (!json) fprintf(stderr, "nitrosetup: verify: using the cached %s\n", cached);
            }
        }
        free(m);
        free(buf);
    }
    o.eng = &eng;
    o.margin = NS_ENCLAVE_DRAND_MARGIN_S;
    o.beacon_exp = NS_ENCLAVE_BEACON_EXP;
    o.chain_hash = q.chain_hash;
    char work[256];
    const char *tmp = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/nitrosetup-verify-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    o.workdir = mkdtemp(work);
    ns_verify_report *rep = malloc(sizeof *rep);
    int rc = rep ? ns_bundle_verify(rep, dir, &o, &err) : -1;
    if (o.workdir != NULL) rmdir(work);
    ns_engine_real_free(&eng);
    if (rc != 0) {
        if (rep == NULL) ns_error_set(&err, "out of memory");
        ns_error_print(&err);
        free(rep);
        return 2;
    }
    if (json) {
        json_t *arr = json_array();
        for (int i = 0; i < rep->n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "check", rep->c[i].name, "status",
                                                 status_word(rep->c[i].status), "detail", rep->c[i].detail));
        json_t *out = json_pack("{s:s, s:b, s:b, s:o}", "bundle", dir, "ok", rep->ok, "simulated", rep->simulated,
                                "checks", arr);
        char *s = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
        if (s) printf("%s\n", s);
        free(s);
        json_decref(out);
    } else {
        printf("nitrosetup verify %s\n", dir);
        for (int i = 0; i < rep->n; i++)
            printf("  %-4s %-24s %s\n", status_word(rep->c[i].status), rep->c[i].name, rep->c[i].detail);
        printf("%s\n", rep->ok ? "RESULT: all checks passed" : "RESULT: FAILED");
        if (rep->ok && rep->simulated)
            printf("NOTE: this bundle is SIMULATED: it is not evidence of a real enclave ceremony\n");
    }
    int ok = rep->ok;
    free(rep);
    return ok ? 0 : 1;
}
