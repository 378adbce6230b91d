/* `nitrosetup zkey info <in.zkey> [--json]`: header, section layout and the
 * contribution list of a Groth16 zkey. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/opt.h"
#include "cli/zkey_commands.h"
#include "formats/zkey.h"
#include "util/hash.h"
#include "util/hex.h"

static const ns_cmd_spec SPEC = {
    "zkey info", "<in.zkey>", 1, 1,
    "Shows a Groth16 .zkey: curve, nVars, nPublic, domain size, section sizes and\n"
    "their physical order (zkey new writes 1,2,4,3,9,8,5,6,7,10; contribute and\n"
    "beacon 1..10), the circuit hash (csHash) and every contribution with its\n"
    "contribution hash (BLAKE2b-512 of its public key record, as snarkjs prints).\n"
    "All section sizes are checked against the header.\n",
};

/* One contribution as a JSON object (its name decoded as snarkjs shows it). */
static json_t *contribution_json(const ns_zkey_contribution *c, uint32_t index) {
    json_t *e = json_object();
    char tr[129], bh[511];
    ns_hex_encode(tr, c->transcript, 64);
    json_object_set_new(e, "index", json_integer(index));
    json_object_set_new(e, "type", json_string(c->type == 1 ? "beacon" : "contribution"));
    char nm[3 * 256 + 1];
    ns_mpc_name_decode(nm, c->p.name, c->p.has_name ? strlen(c->p.name) : 0);
    json_object_set_new(e, "name", json_string(nm));
    json_object_set_new(e, "transcript", json_string(tr));
    uint8_t ch[64];
    char chx[129];
    ns_zkey_contribution_hash(ch, c);
    ns_hex_encode(chx, ch, 64);
    json_object_set_new(e, "contributionHash", json_string(chx));
    if (c->p.has_exp) json_object_set_new(e, "numIterationsExp", json_integer(c->p.num_iter_exp));
    if (c->p.has_beacon_hash) {
        ns_hex_encode(bh, c->p.beacon_hash, c->p.beacon_hash_len);
        json_object_set_new(e, "beaconHash", json_string(bh));
    }
    return e;
}

/* The whole zkey as one JSON object: header, section layout, contributions. */
static json_t *info_json(const char *path, const ns_zkey *z, const ns_mapfile *map, const ns_zkey_mpc *mpc) {
    json_t *o = json_object(), *secs = json_array(), *order = json_array(), *cl = json_array();
    char cs[129];
    ns_hex_encode(cs, mpc->cs_hash, 64);
    json_object_set_new(o, "file", json_string(path));
    json_object_set_new(o, "version", json_integer(z->bf.version));
    json_object_set_new(o, "protocol", json_string("groth16"));
    json_object_set_new(o, "curve", json_string("bn128"));
    json_object_set_new(o, "nVars", json_integer(z->h.nvars));
    json_object_set_new(o, "nPublic", json_integer(z->h.npublic));
    json_object_set_new(o, "domainSize", json_integer(z->h.domain_size));
    json_object_set_new(o, "power", json_integer(z->h.power));
    json_object_set_new(o, "nCoefs", json_integer(z->ncoefs));
    json_object_set_new(o, "fileSize", json_integer((json_int_t)map->size));
    for (uint32_t k = 0; k < z->bf.norder; k++) json_array_append_new(order, json_integer(z->bf.order[k]));
    json_object_set_new(o, "sectionOrder", order);
    for (uint32_t id = 1; id <= 10; id++) {
        json_t *s = json_object();
        json_object_set_new(s, "id", json_integer(id));
        json_object_set_new(s, "offset", json_integer((json_int_t)z->bf.sec[id].offset));
        json_object_set_new(s, "size", json_integer((json_int_t)z->bf.sec[id].size));
        json_array_append_new(secs, s);
    }
    json_object_set_new(o, "sections", secs);
    json_object_set_new(o, "csHash", json_string(cs));
    for (uint32_t i = 0; i < mpc->n; i++) json_array_append_new(cl, contribution_json(&mpc->c[i], i + 1));
    json_object_set_new(o, "contributions", cl);
    return o;
}

/* --json: prints the object, or fails (2) when a value is not valid UTF-8. */
static int print_info_json(const char *path, const ns_zkey *z, const ns_mapfile *map, const ns_zkey_mpc *mpc) {
    json_t *o = info_json(path, z, map, mpc);
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (s == NULL || json_string_value(json_object_get(o, "file")) == NULL) {
        /* jansson refuses invalid UTF-8 (e.g. a binary name): fall back */
        fprintf(stderr, "nitrosetup: %s: cannot encode as JSON (invalid UTF-8 in a name?)\n", path);
        free(s);
        json_decref(o);
        return 2;
    }
    printf("%s\n", s);
    free(s);
    json_decref(o);
    return 0;
}

/* The text report: header, sections, then each contribution with its hash
 * in snarkjs's four-line layout. */
static void print_info_text(const char *path, const ns_zkey *z, const ns_mapfile *map, const ns_zkey_mpc *mpc) {
    char text[NS_MPC_HASH_TEXT];
    printf("%s: zkey version %u, groth16, curve bn128\n", path, z->bf.version);
    printf("  nVars               %u\n", z->h.nvars);
    printf("  nPublic             %u\n", z->h.npublic);
    printf("  domain size         %u (2^%u)\n", z->h.domain_size, z->h.power);
    printf("  coefficients        %u\n", z->ncoefs);
    printf("  file size           %llu bytes\n", (unsigned long long)map->size);
    printf("  sections (physical order):");
    for (uint32_t k = 0; k < z->bf.norder; k++) printf(" %u", z->bf.order[k]);
    printf("\n");
    static const char *names[] = {"", "protocol", "header", "IC", "coeffs", "A", "B1", "B2", "C", "H", "MPC"};
    for (uint32_t id = 1; id <= 10; id++)
        printf("    %2u %-9s %llu bytes\n", id, names[id], (unsigned long long)z->bf.sec[id].size);
    ns_mpc_format_hash(text, mpc->cs_hash);
    printf("Circuit hash:\n%s", text);
    printf("contributions: %u\n", mpc->n);
    for (uint32_t i = 0; i < mpc->n; i++) {
        const ns_zkey_contribution *c = &mpc->c[i];
        char nm[3 * 256 + 1];
        ns_mpc_name_decode(nm, c->p.name, c->p.has_name ? strlen(c->p.name) : 0);
        printf("  #%u %s%s%s%s\n", i + 1, c->type == 1 ? "beacon" : "contribution", c->p.has_name ? " \"" : "", nm,
               c->p.has_name ? "\"" : "");
        if (c->p.has_beacon_hash) {
            char bh[511];
            ns_hex_encode(bh, c->p.beacon_hash, c->p.beacon_hash_len);
            printf("      beacon hash %s, 2^%u iterations\n", bh, c->p.num_iter_exp);
        }
        uint8_t ch[64];
        ns_zkey_contribution_hash(ch, c);
        ns_mpc_format_hash(text, ch);
        printf("      contribution hash:\n%s", text);
    }
}

int ns_zkey_cmd_info(int argc, char **argv) {
    int json = 0, rc;
    const ns_opt OPTS[] = {
        OPT_JSON(&json),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_error err;
    ns_mapfile map;
    ns_zkey z;
    ns_zkey_mpc mpc;
    if (ns_zkey_open(&z, &map, path, 2, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    if (ns_zkey_mpc_parse(&mpc, &z, &err) != 0) {
        ns_error_print(&err);
        ns_mapfile_close(&map);
        return 2;
    }
    rc = 0;
    if (json)
        rc = print_info_json(path, &z, &map, &mpc);
    else
        print_info_text(path, &z, &map, &mpc);
    ns_zkey_mpc_free(&mpc);
    ns_mapfile_close(&map);
    return rc;
}
