/* `nitrosetup zkey verify`: exit 0 valid, 1 invalid, 2 usage. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "cli/zkey_commands.h"
#include "phase2/verify.h"
#include "util/hex.h"
#include "util/parallel.h"

static const ns_cmd_spec SPEC = {
    "zkey verify", "<circuit.r1cs> <pot.ptau> <in.zkey>", 2, 3,
    "   or: nitrosetup zkey verify --init <init.zkey> <pot.ptau> <in.zkey> [options]\n\n"
    "Verifies a Groth16 key and its contribution history (= snarkjs zkey verify): every\n"
    "transcript, proof of knowledge and beacon, the delta chain, the circuit hash, sections\n"
    "3-7 against the initial key (regenerated from the r1cs, or given with --init), and the\n"
    "L and H sections by random linear combinations and pairings.  Prints the contributions\n"
    "like snarkjs.  Exit status: 0 valid, 1 invalid (one line says what failed), 2 usage.\n",
};

static json_t *hexstr(const uint8_t *p, size_t n) {
    char buf[2 * 255 + 1];
    ns_hex_encode(buf, p, n);
    return json_string(buf);
}

static void print_json(const ns_phase2_verify_report *rep, int valid, const char *error,
                       unsigned require) {
    json_t *o = json_object();
    json_object_set_new(o, "valid", json_boolean(valid));
    json_object_set_new(o, "error", error ? json_string(error) : json_null());
    if (rep->mpc_ok) {
        json_object_set_new(o, "circuit_hash", hexstr(rep->cs_hash, 64));
        json_t *arr = json_array();
        for (uint32_t i = 0; i < rep->mpc.n; i++) {
            const ns_zkey_contribution *c = &rep->mpc.c[i];
            json_t *e = json_object();
            json_object_set_new(e, "index", json_integer(i + 1));
            json_object_set_new(e, "type", json_string(c->type == NS_ZKEY_TYPE_BEACON ? "beacon" : "contribution"));
            if (c->p.has_name) { /* valid UTF-8 for JSON (invalid bytes become U+FFFD, as TextDecoder) */
                char norm[NS_MPC_NAME_MAX + 1];
                size_t len = ns_mpc_name_normalize(norm, c->p.name, c->p.name_len);
                json_object_set_new(e, "name", json_stringn(norm, len));
            } else {
                json_object_set_new(e, "name", json_null());
            }
            if (valid) json_object_set_new(e, "contribution_hash", hexstr(rep->hash[i], 64));
            if (c->type == NS_ZKEY_TYPE_BEACON && c->p.has_beacon_hash) {
                json_object_set_new(e, "beacon_hash", hexstr(c->p.beacon_hash, c->p.beacon_hash_len));
                json_object_set_new(e, "num_iterations_exp", json_integer(c->p.num_iter_exp));
            }
            json_array_append_new(arr, e);
        }
        json_object_set_new(o, "contributions", arr);
        json_object_set_new(o, "n_contributions", json_integer(rep->mpc.n));
    }
    json_object_set_new(o, "required_contributions", json_integer(require));
    char *s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    if (s != NULL) printf("%s\n", s);
    free(s);
    json_decref(o);
}

static void print_text(const ns_phase2_verify_report *rep) {
    ns_p2_format_hash(stdout, rep->cs_hash, "Circuit Hash: ");
    for (uint32_t k = rep->mpc.n; k > 0; k--) {
        const ns_zkey_contribution *c = &rep->mpc.c[k - 1];
        char title[NS_MPC_NAME_MAX + 64];
        snprintf(title, sizeof title, "contribution #%u %s:", k, c->p.has_name ? c->p.name : "");
        printf("-------------------------\n");
        ns_p2_format_hash(stdout, rep->hash[k - 1], title);
        if (c->type == NS_ZKEY_TYPE_BEACON) {
            char hex[2 * NS_P2_BEACON_HASH_MAX + 1];
            ns_hex_encode(hex, c->p.beacon_hash, c->p.beacon_hash_len);
            printf("Beacon generator: %s\n", hex);
            printf("Beacon iterations Exp: %u\n", c->p.num_iter_exp);
        }
    }
    printf("-------------------------\n");
}

int ns_zkey_cmd_verify(int argc, char **argv) {
    const char *cmd = "zkey verify", *init = NULL;
    int json = 0, threads = 0, rc;
    long long require = 0;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "init", &init, "FILE", "compare with this initial key instead of an r1cs"),
        OPT_INT(0, "require-contributions", &require, "N", 0, 1000000,
                "fail unless the key has at least N contributions"),
        OPT_BOOL(0, "json", &json, "print the result as JSON on stdout"),
        OPT_THREADS(&threads),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *const *pos = (const char *const *)argv + 1;
    int npos = argc - 1;
    int want = init != NULL ? 2 : 3;
    if (npos != want)
        return ns_cli_usage_error(cmd, init != NULL ? "expected <pot.ptau> <in.zkey> after --init FILE"
                                                    : "expected <circuit.r1cs> <pot.ptau> <in.zkey>");
    const char *r1cs = init != NULL ? NULL : pos[0];
    const char *ptau = pos[want - 2], *zkey = pos[want - 1];

    ns_error err = {{0}};
    ns_phase2_verify_report rep;
    rc = ns_phase2_verify(zkey, init, r1cs, ptau, threads, &rep, &err);
    int valid = rc == 0;
    char msg[640];
    if (valid && (long long)rep.mpc.n < require) {
        valid = 0;
        snprintf(err.msg, sizeof err.msg, "%s: INVALID: %u contribution(s), at least %lld required", zkey,
                 rep.mpc.n, require);
    }
    snprintf(msg, sizeof msg, "%s", err.msg);
    if (json) {
        print_json(&rep, valid, valid ? NULL : msg, (unsigned)require);
    } else if (valid) {
        print_text(&rep);
        printf("ZKey Ok!\n");
    }
    if (valid && rep.mpc.n == 0)
        fprintf(stderr, "nitrosetup: WARNING: %s has NO contributions: its toxic waste is known (delta = 1); "
                        "never use it for proofs.  Use --require-contributions N to make this an error.\n",
                zkey);
    if (!valid) fprintf(stderr, "nitrosetup: zkey verify: %s\n", msg);
    ns_phase2_verify_report_free(&rep);
    return valid ? 0 : 1;
}
