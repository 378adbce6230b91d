/* `nitrosetup ptau info|hash|pick`: inspect powers-of-tau files, identify
 * the published Hermez files by hash, and pick the smallest one a circuit
 * needs. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "formats/hermez.h"
#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "util/hash.h"
#include "util/hex.h"

static const ns_cmd_spec INFO = {
    "ptau info", "<pot.ptau>", 1, 1,
    "Shows the header (power, ceremony power), section sizes (checked against the\n"
    "power), whether the file is prepared for phase 2 (sections 12-15), and the\n"
    "contributions recorded in section 7.\n",
};

static const ns_cmd_spec HASH = {
    "ptau hash", "<pot.ptau>", 1, 1,
    "BLAKE2b-512 of the whole file (as `b2sum`) and whether it is one of the\n"
    "published Hermez powersOfTau28_hez_final_XX.ptau files (with its URL).\n",
};

#define PTAU_STR_(x) #x
#define PTAU_STR(x) PTAU_STR_(x)

static const ns_cmd_spec PICK = {
    "ptau pick", "<circuit.r1cs>", 1, 1,
    "The smallest Hermez file that fits the circuit.  Rule (snarkjs zkey new): the\n"
    "Groth16 domain n = 2^(floor(log2(m + nPublic)) + 1), i.e. the smallest power of\n"
    "two > m + nPublic (m constraints, nPublic = outputs + public inputs), must\n"
    "satisfy n <= 2^power.  Hermez files exist for powers " PTAU_STR(NS_HERMEZ_MIN_POWER) ".." PTAU_STR(
        NS_HERMEZ_MAX_POWER) " (power 28 is\n"
    "powersOfTau28_hez_final.ptau, 288 GiB).\n",
};

static void print_json(json_t *o) {
    char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("%s\n", s);
    free(s);
    json_decref(o);
}

typedef struct {
    int json;
    json_t *arr;
} contrib_ctx;

static int show_contrib(void *vctx, uint32_t i, const ns_ptau_contribution *c) {
    contrib_ctx *ctx = vctx;
    char hex[129], bh[511], nm[3 * 256 + 1];
    ns_hex_encode(hex, c->next_challenge, 64);
    ns_mpc_name_decode(nm, c->name, strlen(c->name));
    bh[0] = 0;
    if (c->beacon_hash_len > 0) ns_hex_encode(bh, c->beacon_hash, c->beacon_hash_len);
    if (ctx->json) {
        json_t *o = json_object();
        json_object_set_new(o, "index", json_integer(i + 1));
        json_object_set_new(o, "type", json_string(c->type == 1 ? "beacon" : "contribution"));
        json_object_set_new(o, "name", json_string(nm));
        json_object_set_new(o, "nextChallenge", json_string(hex));
        if (c->type == 1) {
            json_object_set_new(o, "numIterationsExp", json_integer(c->num_iter_exp));
            json_object_set_new(o, "beaconHash", json_string(bh));
        }
        json_array_append_new(ctx->arr, o);
    } else {
        printf("  #%u %s%s%s%s\n", i + 1, c->type == 1 ? "beacon" : "contribution", nm[0] ? " \"" : "", nm,
               nm[0] ? "\"" : "");
        if (c->type == 1) printf("      beacon hash %s, 2^%u iterations\n", bh, c->num_iter_exp);
        printf("      next challenge %.32s...\n", hex);
    }
    return 0;
}

static int cmd_info(int argc, char **argv) {
    int json = 0, rc;
    const ns_opt OPTS[] = {OPT_JSON(&json), OPT_END()};
    if (ns_opt_parse(&INFO, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_error err;
    ns_mapfile map;
    ns_ptau pt;
    if (ns_mapfile_open(&map, path, &err) != 0) goto fail_nomap;
    if (ns_ptau_parse(&pt, map.data, map.size, path, &err) != 0 || ns_ptau_check_sizes(&pt, &err) != 0) goto fail;
    uint32_t ncontrib = 0;
    ns_ptau_contrib_count(&pt, &ncontrib, &err);
    static const uint32_t ids[] = {1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15};
    if (json) {
        json_t *o = json_object(), *secs = json_array();
        contrib_ctx ctx = {1, json_array()};
        json_object_set_new(o, "file", json_string(path));
        json_object_set_new(o, "curve", json_string("bn128"));
        json_object_set_new(o, "power", json_integer(pt.power));
        json_object_set_new(o, "ceremonyPower", json_integer(pt.ceremony_power));
        json_object_set_new(o, "prepared", json_boolean(pt.prepared));
        json_object_set_new(o, "maxDomainPower", json_integer(pt.power));
        json_object_set_new(o, "fileSize", json_integer((json_int_t)map.size));
        for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
            if (!ns_binfile_has(&pt.bf, ids[k])) continue;
            json_t *s = json_object();
            json_object_set_new(s, "id", json_integer(ids[k]));
            json_object_set_new(s, "offset", json_integer((json_int_t)pt.bf.sec[ids[k]].offset));
            json_object_set_new(s, "size", json_integer((json_int_t)pt.bf.sec[ids[k]].size));
            json_array_append_new(secs, s);
        }
        json_object_set_new(o, "sections", secs);
        if (ns_ptau_contrib_foreach(&pt, show_contrib, &ctx, &err) != 0) {
            json_decref(ctx.arr);
            json_decref(o);
            goto fail;
        }
        json_object_set_new(o, "contributions", ctx.arr);
        print_json(o);
    } else {
        printf("%s: ptau version %u, curve bn128\n", path, pt.bf.version);
        printf("  power               %u (2^%u powers; circuits with m + nPublic < 2^%u)\n", pt.power, pt.power,
               pt.power);
        printf("  ceremony power      %u\n", pt.ceremony_power);
        printf("  prepared (phase 2)  %s\n", pt.prepared ? "yes (sections 12-15 present)" : "no (run snarkjs powersoftau prepare phase2)");
        printf("  file size           %llu bytes\n", (unsigned long long)map.size);
        printf("  sections (physical order):");
        for (uint32_t k = 0; k < pt.bf.norder; k++) printf(" %u", pt.bf.order[k]);
        printf("\n");
        printf("  contributions       %u\n", ncontrib);
        contrib_ctx ctx = {0, NULL};
        if (ns_ptau_contrib_foreach(&pt, show_contrib, &ctx, &err) != 0) goto fail;
    }
    ns_mapfile_close(&map);
    return 0;
fail:
    ns_mapfile_close(&map);
fail_nomap:
    ns_error_print(&err);
    return 2;
}

static int cmd_hash(int argc, char **argv) {
    int json = 0, check = 0, rc;
    const ns_opt OPTS[] = {
        OPT_JSON(&json),
        OPT_BOOL(0, "check", &check, "exit 1 when the file is not a known Hermez file"),
        OPT_END(),
    };
    if (ns_opt_parse(&HASH, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_error err;
    uint8_t h[NS_BLAKE2B_LEN];
    uint64_t size;
    if (ns_blake2b512_file(h, path, &size, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    char hex[2 * NS_BLAKE2B_LEN + 1], url[256];
    ns_hex_encode(hex, h, sizeof h);
    const ns_hermez_ptau *hz = ns_hermez_by_hash(hex);
    if (hz) ns_hermez_url(url, sizeof url, hz);
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "file", json_string(path));
        json_object_set_new(o, "size", json_integer((json_int_t)size));
        json_object_set_new(o, "blake2b512", json_string(hex));
        json_object_set_new(o, "hermez", json_boolean(hz != NULL));
        if (hz) {
            json_object_set_new(o, "hermezFile", json_string(hz->file));
            json_object_set_new(o, "hermezPower", json_integer(hz->power));
            json_object_set_new(o, "url", json_string(url));
        }
        print_json(o);
    } else {
        printf("%s  %s\n", hex, path);
        if (hz) printf("known Hermez file: %s (power %u)\n  %s\n", hz->file, hz->power, url);
        else printf("not a known Hermez powersOfTau28_hez_final file\n");
    }
    return (check && hz == NULL) ? 1 : 0;
}

static int cmd_pick(int argc, char **argv) {
    int json = 0, rc;
    const ns_opt OPTS[] = {OPT_JSON(&json), OPT_END()};
    if (ns_opt_parse(&PICK, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_error err;
    ns_mapfile map;
    ns_r1cs r;
    if (ns_cli_open_r1cs(&r, &map, path, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    uint32_t npub = ns_r1cs_npublic(&r);
    uint64_t rows = (uint64_t)r.nconstraints + npub;
    uint32_t k = ns_groth16_domain_power(r.nconstraints, npub);
    ns_mapfile_close(&map);
    const ns_hermez_ptau *hz = ns_hermez_for_domain(k);
    if (hz == NULL) {
        ns_error_set(&err, "%s: circuit needs a domain of 2^%u (m + nPublic = %llu), larger than the biggest ptau (2^%d)",
                     path, k, (unsigned long long)rows, NS_HERMEZ_MAX_POWER);
        ns_error_print(&err);
        return 2;
    }
    uint32_t power = hz->power;
    char url[256];
    ns_hermez_url(url, sizeof url, hz);
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "circuit", json_string(path));
        json_object_set_new(o, "nConstraints", json_integer(r.nconstraints));
        json_object_set_new(o, "nPublic", json_integer(npub));
        json_object_set_new(o, "domainPower", json_integer(k));
        json_object_set_new(o, "domainSize", json_integer((json_int_t)1 << k));
        json_object_set_new(o, "power", json_integer(power));
        json_object_set_new(o, "file", json_string(hz->file));
        json_object_set_new(o, "url", json_string(url));
        json_object_set_new(o, "blake2b512", json_string(hz->b2sum));
        print_json(o);
    } else {
        printf("circuit: m = %u constraints, nPublic = %u; m + nPublic = %llu\n", r.nconstraints, npub,
               (unsigned long long)rows);
        printf("domain:  n = 2^(floor(log2(%llu)) + 1) = 2^%u = %llu; needs n <= 2^power\n", (unsigned long long)rows,
               k, 1ull << k);
        printf("power:   %u%s\n", power, power > k ? " (smallest Hermez file)" : "");
        printf("file:    %s\nurl:     %s\nb2sum:   %s\n", hz->file, url, hz->b2sum);
    }
    return 0;
}

static const ns_cli_subcommand SUBS[] = {
    {"info", cmd_info, "<pot.ptau>: header, sections, phase-2 preparation, contributions"},
    {"hash", cmd_hash, "<pot.ptau>: BLAKE2b-512, and which Hermez file it is"},
    {"pick", cmd_pick, "<circuit.r1cs>: the smallest Hermez file that fits the circuit"},
};

int ns_cmd_ptau(int argc, char **argv) {
    return ns_cli_dispatch("ptau", "Inspect, hash and pick powers-of-tau files.\n", SUBS, sizeof SUBS / sizeof SUBS[0],
                           argc, argv);
}
