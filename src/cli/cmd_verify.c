/* `nitrosetup verify <bundle-dir>`: offline verification of a ceremony bundle. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "app/engine_real.h"
#include "app/verify.h"
#include "protocol/policy.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "drand/chains.h"
#include "host/host.h"
#include "util/hex.h"
#include "util/interrupt.h"
#include "util/rmtree.h"
#include "protocol/manifest.h"
#include <sys/stat.h>

static const ns_cmd_spec SPEC = {
    "verify", "<bundle-dir>", 1, 1,
    "Checks a ceremony bundle offline: both attestation documents (signature, certificate\n"
    "chain at their own timestamps, not debug, same PCRs, same enclave), the enclave image\n"
    "(PCR0, PCR1, PCR2 must equal --pcr values or a released image compiled in), attestation\n"
    "#1's nonce and user_data against the bundle, the ptau (a Hermez file or pinned), the drand\n"
    "round (first after T1 + margin) and its signature, the final key's beacon parameters, the\n"
    "contributions, the zkey against circuit.r1cs and the ptau, every manifest hash and\n"
    "attestation #2's nonce, the on-chain verifier rebuilt from final.zkey (format 3), and with\n"
    "--rpc URL --address 0x... the code deployed at that address (eth_getCode; its Keccak-256\n"
    "must be the manifest's).  One line per check, the warnings in one line, then the verdict.\n"
    "Exit status: 0 every check passed (trusted, or simulated with --allow-simulated: the report\n"
    "says which), 1 a check failed or could not run, 2 usage error.\n",
};

#define MAX_PCR_ARGS 32

static const char *status_word(ns_check_status s) {
    switch (s) {
    case NS_CHECK_PASS: return "ok";
    case NS_CHECK_FAIL: return "FAIL";
    case NS_CHECK_SKIP: return "SKIP";
    default: return "warn";
    }
}

/* Without --ptau: a Hermez ptau from the cache, when the manifest names one
 * (out gets its path). */
static const char *cached_ptau(char *out, size_t cap, const char *dir, int quiet) {
    char mp[4200], cdir[4096];
    const char *found = NULL;
    snprintf(mp, sizeof mp, "%s/manifest.json", dir);
    FILE *f = fopen(mp, "rb");
    char *buf = malloc(1 << 20);
    size_t n = (f && buf) ? fread(buf, 1, 1 << 20, f) : 0;
    if (f) fclose(f);
    ns_manifest *m = malloc(sizeof *m);
    ns_error e2;
    ns_host_ptau_cache_dir(cdir, sizeof cdir);
    if (buf && m && cdir[0] && n < (1 << 20) && ns_manifest_from_json(m, buf, n, &e2) == 0 &&
        strcmp(m->ptau_name, "custom") != 0 && strchr(m->ptau_name, '/') == NULL) {
        struct stat st;
        snprintf(out, cap, "%s/%s", cdir, m->ptau_name);
        if (stat(out, &st) == 0) {
            found = out;
            if (!quiet) fprintf(stderr, "nitrosetup: verify: using the cached %s\n", out);
        }
    }
    free(m);
    free(buf);
    return found;
}

/* The report: one line per check, every warning in one line (a warning
 * never reads as success), the verdict; or the same as JSON. */
static void print_report(const ns_verify_report *rep, const char *dir, int json) {
    char warns[2048] = "";
    json_t *warr = json_array();
    for (int i = 0; i < rep->n; i++) {
        if (rep->c[i].status != NS_CHECK_WARN) continue;
        size_t L = strlen(warns);
        snprintf(warns + L, sizeof warns - L, "%s%s", L ? "; " : "", rep->c[i].name);
        json_array_append_new(warr, json_pack("{s:s, s:s}", "check", rep->c[i].name, "detail", rep->c[i].detail));
    }
    if (json) {
        json_t *arr = json_array();
        for (int i = 0; i < rep->n; i++)
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "check", rep->c[i].name, "status",
                                                 status_word(rep->c[i].status), "detail", rep->c[i].detail));
        json_t *out = json_pack("{s:s, s:b, s:b, s:b, s:O, s:o}", "bundle", dir, "ok", rep->ok, "trusted",
                                rep->trusted, "simulated", rep->simulated, "warnings", warr, "checks", arr);
        char *s = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
        if (s) printf("%s\n", s);
        free(s);
        json_decref(out);
    } else {
        printf("nitrosetup verify %s\n", dir);
        for (int i = 0; i < rep->n; i++)
            printf("  %-4s %-24s %s\n", status_word(rep->c[i].status), rep->c[i].name, rep->c[i].detail);
        if (rep->nwarn > 0) printf("WARNINGS (%d): %s\n", rep->nwarn, warns);
        if (!rep->ok)
            printf("RESULT: FAILED\n");
        else if (rep->trusted)
            printf("RESULT: all checks passed: TRUSTED\n");
        else
            printf("RESULT: NOT TRUSTED: the checks ran and passed, but with %d warning(s)%s\n", rep->nwarn,
                   rep->simulated ? "; this bundle is SIMULATED, not evidence of a real enclave ceremony" : "");
    }
    json_decref(warr);
}

/* Runs the verifier with a scratch directory that is always removed. */
static int run_verify(ns_verify_report *rep, const char *dir, ns_verify_opts *o, ns_error *err) {
    char work[4200];
    const char *tmp = getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/nitrosetup-verify-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    o->workdir = mkdtemp(work);
    int work_slot = o->workdir ? ns_interrupt_track_dir(work) : -1;
    int rc = ns_bundle_verify(rep, dir, o, err);
    if (o->workdir != NULL) ns_rmtree(work);
    ns_interrupt_untrack(work_slot);
    return rc;
}

int ns_cmd_verify(int argc, char **argv) {
    ns_verify_opts o;
    memset(&o, 0, sizeof o);
    const char *pcr_items[MAX_PCR_ARGS], *pin_items[NS_PTAU_MAX_PINS];
    ns_opt_list pcrs = {pcr_items, 0, MAX_PCR_ARGS}, pins = {pin_items, 0, NS_PTAU_MAX_PINS},
                libs = {o.libdirs, 0, NS_VERIFY_MAX_LIBS};
    int json = 0, rc;
    const char *rpc = NULL, *address = NULL;
    const ns_opt OPTS[] = {
        OPT_LIST(0, "pcr", &pcrs, "N=HEX",
                 "expected PCR N (48 bytes hex); give PCR0, PCR1 and PCR2 (e.g. from\n"
                 "`nitrosetup eif measure` of the image you rebuilt)"),
        OPT_STRING(0, "ptau", &o.ptau, "FILE", "the ptau of the ceremony (needed for the zkey check)"),
        OPT_LIST(0, "trust-ptau", &pins, "HEX", "trust this ptau (BLAKE2b-512 of the whole file) besides the Hermez files"),
        OPT_STRING(0, "circuit", &o.circuit, "FILE",
                   "check that the bundle's circuit is exactly this main file and its includes"),
        OPT_LIST('l', NULL, &libs, "DIR", "include directory for --circuit (repeatable, as given to the ceremony)"),
        OPT_BOOL(0, "recompile", &o.recompile, "compile circuit.tar again and compare with circuit.r1cs"),
        OPT_STRING(0, "circom", &o.circom_cmd, "CMD", "circom command for --recompile (default: circom)"),
        OPT_BOOL(0, "allow-simulated", &o.allow_simulated,
                 "check a simulated bundle (simulated NSM / drand) instead of failing it;\n"
                 "it is never reported as trusted"),
        OPT_STRING(0, "rpc", &rpc, "URL", "Ethereum JSON-RPC endpoint: check the contract at --address"),
        OPT_STRING(0, "address", &address, "0xADDR", "the deployed verifier (20 bytes hex) to compare, with --rpc"),
        OPT_BOOL(0, "json", &json, "machine-readable report on stdout ({ok, trusted, simulated, warnings, checks})"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if ((rpc == NULL) != (address == NULL)) return ns_cli_usage_error("verify", "--rpc and --address go together");
    if (address != NULL) {
        if (strncmp(address, "0x", 2) != 0 || strlen(address) != 42 || ns_hex_decode(o.address, 20, address + 2) != 20)
            return ns_cli_usage_error("verify", "--address: 0x and 40 hex digits, not '%s'", address);
        o.rpc_url = rpc;
    }
    const char *dir = argv[1];
    o.nlibs = libs.n;
    for (int i = 0; i < pins.n; i++) {
        ns_error perr;
        if (ns_ptau_pins_add_hex(&o.pins, pins.items[i], &perr) != 0) return ns_cli_usage_error("verify", "%s", perr.msg);
    }
    for (int i = 0; i < pcrs.n; i++)
        if (ns_cli_parse_pcr("verify", pcrs.items[i], &o.pcr_mask, o.pcr) != 0) return 2;
    if (o.pcr_mask != 0 && (o.pcr_mask & 7u) != 7u)
        return ns_cli_usage_error("verify", "give all of --pcr 0=, --pcr 1= and --pcr 2= (the image's measurements)");
    if (o.nlibs > 0 && o.circuit == NULL) return ns_cli_usage_error("verify", "-l goes with --circuit");
    if (o.circom_cmd == NULL) o.circom_cmd = "circom";
    struct stat dir_st;
    if (stat(dir, &dir_st) != 0 || !S_ISDIR(dir_st.st_mode)) {
        fprintf(stderr, "nitrosetup: %s: %s\n", dir, errno == ENOENT ? "no such bundle directory" : "not a bundle directory");
        return 2;
    }
    ns_error err;
    ns_engine eng;
    ns_engine_opts eo = {.allow_sim_verify = o.allow_simulated};
    ns_drand_chain q;
    if (ns_engine_real_init(&eng, &eo, &err) != 0 || ns_drand_chain_lookup(&q, "quicknet", 0, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    char cached[4400];
    if (o.ptau == NULL) o.ptau = cached_ptau(cached, sizeof cached, dir, json);
    o.eng = &eng;
    o.margin = NS_ENCLAVE_DRAND_MARGIN_S;
    o.beacon_exp = NS_ENCLAVE_BEACON_EXP;
    o.chain_hash = q.chain_hash;
    ns_verify_report *rep = malloc(sizeof *rep);
    rc = rep ? run_verify(rep, dir, &o, &err) : ns_error_set(&err, "out of memory");
    ns_engine_real_free(&eng);
    if (rc != 0) {
        ns_error_print(&err);
        free(rep);
        return 2;
    }
    print_report(rep, dir, json);
    int ok = rep->ok;
    free(rep);
    return ok ? 0 : 1;
}
