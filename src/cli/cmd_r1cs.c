/* `nitrosetup r1cs info <circuit.r1cs> [--json]`: header, term counts and
 * the Groth16 domain / smallest Hermez ptau the circuit needs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "formats/hermez.h"
#include "formats/r1cs.h"

static const ns_cmd_spec INFO = {
    "r1cs info", "<circuit.r1cs>", 1, 1,
    "Shows the header of a circom .r1cs file (field, wires, public outputs and\n"
    "inputs, private inputs, labels, constraints), validates every constraint\n"
    "(wire ids in range, coefficients reduced) and counts the A/B/C terms.\n"
    "Also prints the Groth16 domain: n = 2^(floor(log2(m + nPublic)) + 1), i.e. the\n"
    "smallest power of two > m + nPublic, and the smallest ptau power that fits.\n",
};

static int cmd_info(int argc, char **argv) {
    int json = 0, rc;
    const ns_opt OPTS[] = {OPT_JSON(&json), OPT_END()};
    if (ns_opt_parse(&INFO, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_error err;
    ns_mapfile map;
    ns_r1cs r;
    uint64_t t[3] = {0, 0, 0};
    if (ns_cli_open_r1cs(&r, &map, path, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    if (r.is_bn254 && ns_r1cs_check(&r, t, &err) != 0) {
        ns_error_print(&err);
        ns_mapfile_close(&map);
        return 2;
    }
    uint32_t npub = ns_r1cs_npublic(&r);
    uint32_t k = ns_groth16_domain_power(r.nconstraints, npub);
    const ns_hermez_ptau *hz = ns_hermez_for_domain(k);
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(path));
        json_object_set_new(o, "version", json_integer(r.bf.version));
        json_object_set_new(o, "curve", json_string(r.is_bn254 ? "bn128" : "unsupported"));
        json_object_set_new(o, "n8", json_integer(r.n8));
        json_object_set_new(o, "nWires", json_integer(r.nwires));
        json_object_set_new(o, "nOutputs", json_integer(r.nout));
        json_object_set_new(o, "nPubInputs", json_integer(r.npubin));
        json_object_set_new(o, "nPrvInputs", json_integer(r.nprvin));
        json_object_set_new(o, "nLabels", json_integer((json_int_t)r.nlabels));
        json_object_set_new(o, "nConstraints", json_integer(r.nconstraints));
        json_object_set_new(o, "nPublic", json_integer(npub));
        json_object_set_new(o, "termsA", json_integer((json_int_t)t[0]));
        json_object_set_new(o, "termsB", json_integer((json_int_t)t[1]));
        json_object_set_new(o, "termsC", json_integer((json_int_t)t[2]));
        json_object_set_new(o, "domainPower", json_integer(k));
        json_object_set_new(o, "domainSize", json_integer((json_int_t)1 << k));
        json_object_set_new(o, "hermezPtau", hz ? json_string(hz->file) : json_null());
        char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        printf("%s\n", s);
        free(s);
        json_decref(o);
    } else {
        if (r.is_bn254) printf("%s: r1cs version %u, field BN254 r (n8 %u)\n", path, r.bf.version, r.n8);
        else printf("%s: r1cs version %u, field is NOT BN254 r (n8 %u): unusable for Groth16 over bn128\n", path,
                    r.bf.version, r.n8);
        printf("  wires (nVars)       %u\n", r.nwires);
        printf("  public outputs      %u\n", r.nout);
        printf("  public inputs       %u\n", r.npubin);
        printf("  private inputs      %u\n", r.nprvin);
        printf("  labels              %llu\n", (unsigned long long)r.nlabels);
        printf("  constraints (m)     %u\n", r.nconstraints);
        if (r.is_bn254)
            printf("  terms A / B / C     %llu / %llu / %llu\n", (unsigned long long)t[0], (unsigned long long)t[1],
               (unsigned long long)t[2]);
        printf("  nPublic             %u (outputs + public inputs)\n", npub);
        printf("  Groth16 domain      2^%u = %llu (smallest power of two > m + nPublic = %llu)\n", k,
               1ull << k, (unsigned long long)r.nconstraints + npub);
        if (hz) printf("  smallest Hermez ptau %s\n", hz->file);
        else printf("  smallest Hermez ptau none: needs power %u > %d\n", k, NS_HERMEZ_MAX_POWER);
    }
    ns_mapfile_close(&map);
    return 0;
}

static const ns_cli_subcommand SUBS[] = {
    {"info", cmd_info, "<circuit.r1cs>: header, term counts, the Groth16 domain and ptau it needs"},
};

int ns_cmd_r1cs(int argc, char **argv) {
    return ns_cli_dispatch("r1cs", "Inspect circom .r1cs files.\n", SUBS, sizeof SUBS / sizeof SUBS[0], argc, argv);
}
