/* drand beacons: every real beacon in the vectors verifies, every must-reject
 * case is rejected, messages match the trace, scheme dispatch on the other
 * networks' beacons, the simulated chain only under NS_DRAND_ALLOW_SIM, and
 * the JSON decoder's negative cases. */
#include <stdlib.h>

#include "drand/beacon.h"
#include "test_drand_vectors.h"
#include "util/hash.h"

/* Builds drand JSON from a vector entry (round, signature, and the optional
 * previous_signature / randomness exactly as the entry has them). */
static char *entry_json(json_t *e) {
    json_t *o = json_object();
    json_object_set_new(o, "round", json_integer(drand_vec_int(e, "round")));
    const char *keys[] = {"signature", "previous_signature", "randomness"};
    for (int i = 0; i < 3; i++) {
        const char *v = drand_vec_str(e, keys[i]);
        if (v) json_object_set_new(o, keys[i], json_string(v));
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static int verify_entry(const ns_drand_chain *c, json_t *e, unsigned flags, ns_error *err) {
    char *s = entry_json(e);
    ns_drand_beacon b;
    int rc = ns_drand_beacon_verify_json(&b, c, s, strlen(s), (uint64_t)drand_vec_int(e, "round"),
                                         flags, err);
    free(s);
    return rc;
}

static void test_valid(const char *file, const char *chain_name, size_t want_count) {
    json_t *root = drand_vec_load(file);
    if (!root) return;
    ns_drand_chain c, other;
    CHECK(ns_drand_chain_lookup(&c, chain_name, 0, NULL) == 0);
    CHECK(ns_drand_chain_lookup(&other, strcmp(chain_name, "quicknet") ? "quicknet" : "default", 0, NULL) == 0);
    json_t *beacons = json_object_get(root, "beacons");
    CHECK(json_array_size(beacons) == want_count);
    size_t i;
    json_t *e;
    json_array_foreach(beacons, i, e) {
        long long round = drand_vec_int(e, "round");
        ns_error err;
        int ok = verify_entry(&c, e, 0, &err) == 0;
        CHECK_MSG(ok, "%s round %lld: %s", chain_name, round, ok ? "" : err.msg);
        /* Randomness is SHA-256(signature), recomputed. */
        char *s = entry_json(e);
        ns_drand_beacon b;
        CHECK(ns_drand_beacon_parse(&b, s, strlen(s), NULL) == 0);
        uint8_t rnd[32], want[32];
        ns_drand_beacon_randomness(rnd, &b);
        CHECK(ns_hex_decode(want, 32, drand_vec_str(e, "randomness")) == 32 && memcmp(rnd, want, 32) == 0);
        /* JSON output round-trips. */
        char *out = ns_drand_beacon_to_json(&c, &b);
        ns_drand_beacon b2;
        CHECK(out && ns_drand_beacon_verify_json(&b2, &c, out, strlen(out), b.round, 0, NULL) == 0);
        CHECK(out && b2.has_randomness && memcmp(b2.randomness, want, 32) == 0);
        free(out);
        /* Another round, the other chain, a flipped randomness: rejected. */
        b2 = b;
        b2.round++;
        b2.has_randomness = 0;
        CHECK(ns_drand_beacon_verify(&c, &b2, 0, NULL) != 0);
        CHECK(ns_drand_beacon_verify(&other, &b, 0, NULL) != 0);
        b2 = b;
        b2.randomness[0] ^= 1;
        CHECK(ns_drand_beacon_verify(&c, &b2, 0, &err) != 0 && strstr(err.msg, "randomness"));
        /* Asked for another round: rejected before any cryptography. */
        CHECK(ns_drand_beacon_verify_json(&b2, &c, s, strlen(s), b.round + 1, 0, &err) != 0);
        free(s);
    }
    json_decref(root);
}

static void test_invalid(void) {
    json_t *root = drand_vec_load("beacons_invalid.json");
    if (!root) return;
    json_t *cases = json_object_get(root, "cases");
    CHECK(json_array_size(cases) == 20);
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e) {
        const char *id = drand_vec_str(e, "id");
        ns_drand_chain c;
        CHECK(ns_drand_chain_lookup(&c, drand_vec_str(e, "chain"), 0, NULL) == 0);
        /* Cases that change how the message is hashed rather than the beacon
         * are run under the scheme that hashes that way (with the real key). */
        if (strcmp(id, "qn_wrong_dst_g2_tag_on_g1") == 0) {
            CHECK(verify_entry(&c, e, 0, NULL) == 0); /* the beacon itself is real */
            c.scheme = NS_DRAND_SCHEME_UNCHAINED_G1_LEGACY;
        } else if (strcmp(id, "df_unchained_message_for_chained_beacon") == 0) {
            c.scheme = NS_DRAND_SCHEME_UNCHAINED_G2;
        }
        ns_error err;
        err.msg[0] = 0;
        int rejected = verify_entry(&c, e, 0, &err) != 0;
        CHECK_MSG(rejected, "%s was accepted", id);
        if (rejected) CHECK_MSG(err.msg[0] != 0, "%s: empty reason", id);
    }
    json_decref(root);
}

static void test_other_networks(void) {
    json_t *root = drand_vec_load("beacons_other_networks.json");
    if (!root) return;
    ns_drand_chain qn, df;
    CHECK(ns_drand_chain_lookup(&qn, "quicknet", 0, NULL) == 0);
    CHECK(ns_drand_chain_lookup(&df, "default", 0, NULL) == 0);
    size_t i, n_ok = 0;
    json_t *e;
    json_array_foreach(json_object_get(root, "beacons"), i, e) {
        const char *scheme = drand_vec_str(e, "scheme");
        ns_drand_chain c;
        memset(&c, 0, sizeof c);
        snprintf(c.name, sizeof c.name, "other");
        if (ns_drand_scheme_from_name(&c.scheme, scheme, NULL) != 0) {
            CHECK(strstr(scheme, "bn254") != NULL); /* only evmnet is out of scope */
        } else {
            c.public_key_len = ns_drand_scheme_pk_len(c.scheme);
            CHECK(ns_hex_decode(c.public_key, c.public_key_len, drand_vec_str(e, "public_key")) ==
                  (long)c.public_key_len);
            CHECK(strcmp(ns_drand_scheme_dst(c.scheme), drand_vec_str(e, "dst")) == 0);
            ns_error err;
            int ok = verify_entry(&c, e, 0, &err) == 0;
            CHECK_MSG(ok, "%s round %s: %s", drand_vec_str(e, "network"), drand_vec_str(e, "round"),
                      ok ? "" : err.msg);
            n_ok += ok;
        }
        /* None of them is a beacon of the pinned chains. */
        CHECK(verify_entry(&qn, e, 0, NULL) != 0);
        CHECK(verify_entry(&df, e, 0, NULL) != 0);
    }
    CHECK(n_ok == 11);
    json_decref(root);
}

static void test_trace(void) {
    json_t *root = drand_vec_load("drand_trace.json");
    if (!root) return;
    struct {
        const char *key, *chain, *mkey;
    } t[] = {{"quicknet_round_1", "quicknet", "M_sha256_of_round_be64"},
             {"default_round_2", "default", "M_sha256"}};
    for (int k = 0; k < 2; k++) {
        json_t *e = json_object_get(root, t[k].key);
        ns_drand_chain c;
        CHECK(ns_drand_chain_lookup(&c, t[k].chain, 0, NULL) == 0);
        ns_drand_beacon b;
        memset(&b, 0, sizeof b);
        b.round = (uint64_t)drand_vec_int(e, "round");
        const char *prev = drand_vec_str(e, "previous_signature");
        if (prev) {
            b.has_previous_signature = 1;
            b.previous_signature_len = (size_t)ns_hex_decode(b.previous_signature, 96, prev);
        }
        uint8_t m[32], want[32];
        CHECK(ns_drand_beacon_message(m, &c, &b, NULL) == 0);
        CHECK(ns_hex_decode(want, 32, drand_vec_str(e, t[k].mkey)) == 32);
        CHECK_MSG(memcmp(m, want, 32) == 0, "%s: message differs", t[k].key);
        CHECK(strcmp(ns_drand_scheme_dst(c.scheme), drand_vec_str(e, "dst")) == 0);
        b.signature_len = (size_t)ns_hex_decode(b.signature, 96, drand_vec_str(e, "signature_hex"));
        uint8_t rnd[32];
        ns_drand_beacon_randomness(rnd, &b);
        CHECK(ns_hex_decode(want, 32, drand_vec_str(e, "randomness")) == 32 && memcmp(rnd, want, 32) == 0);
        CHECK(ns_drand_beacon_verify(&c, &b, 0, NULL) == 0);
    }
    json_decref(root);
}

/* Known answers from the simulator's key (drand_sim.js / @noble/curves). */
static void test_simulated(void) {
    static const char *sim1 =
        "{\"round\":1,\"signature\":\"8a455fed8c94708ed672359107f27e52d4610c441d097d85570ebb49157f2bd3"
        "1f0f757f38ceaca698e1b70cb71ed4f2\",\"randomness\":"
        "\"b91891c18d175cec8c0e44e34ea1d212f89fb9718002db7974bf45c8a0c8ecf1\"}";
    ns_drand_chain sim, qn;
    CHECK(ns_drand_chain_lookup(&sim, "sim", NS_DRAND_ALLOW_SIM, NULL) == 0);
    CHECK(ns_drand_chain_lookup(&qn, "quicknet", 0, NULL) == 0);
    ns_drand_beacon b;
    ns_error err;
    CHECK(ns_drand_beacon_verify_json(&b, &sim, sim1, strlen(sim1), 1, NS_DRAND_ALLOW_SIM, &err) == 0);
    CHECK(ns_drand_beacon_verify_json(&b, &sim, sim1, strlen(sim1), 1, 0, &err) != 0);
    CHECK(strstr(err.msg, "SIMULATED") != NULL);
    CHECK(ns_drand_beacon_verify_json(&b, &qn, sim1, strlen(sim1), 1, NS_DRAND_ALLOW_SIM, NULL) != 0);
    b.round = 2;
    CHECK(ns_drand_beacon_verify(&sim, &b, NS_DRAND_ALLOW_SIM, NULL) != 0);
}

static void test_parse_negative(void) {
    const char *sig48 = "b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b";
    char buf[1024];
    const char *bad[] = {
        "", "null", "[]", "{}", "{\"round\":1}", "{\"signature\":\"00\"}",
        "{\"round\":0,\"signature\":\"%s\"}", "{\"round\":-1,\"signature\":\"%s\"}",
        "{\"round\":1.5,\"signature\":\"%s\"}", "{\"round\":\"1\",\"signature\":\"%s\"}",
        "{\"round\":18446744073709551616,\"signature\":\"%s\"}", "{\"round\":1,\"signature\":\"%sz\"}",
        "{\"round\":1,\"signature\":\"%s0\"}", "{\"round\":1,\"signature\":\"0x%s\"}",
        "{\"round\":1,\"signature\":\"%s%s%s\"}", "{\"round\":1,\"signature\":7}",
        "{\"round\":1,\"signature\":\"%s\",\"randomness\":\"00\"}",
        "{\"round\":1,\"signature\":\"%s\",\"randomness\":5}",
        "{\"round\":1,\"signature\":\"%s\",\"previous_signature\":{}}",
        "{\"round\":1,\"round\":2,\"signature\":\"%s\"}", "{\"round\":1,\"signature\":\"%s\"} x",
        "{\"round\":1,\"signature\":\"%s\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(buf, sizeof buf, bad[i], sig48, sig48, sig48);
        ns_drand_beacon b;
        ns_error err;
        err.msg[0] = 0;
        CHECK_MSG(ns_drand_beacon_parse(&b, buf, strlen(buf), &err) != 0 && err.msg[0], "accepted %s", buf);
    }
    /* Accepted: unknown fields, null optional fields, upper-case hex. */
    snprintf(buf, sizeof buf, "{\"round\":2,\"signature\":\"%s\",\"previous_signature\":null,\"x\":[1]}", sig48);
    ns_drand_beacon b;
    CHECK(ns_drand_beacon_parse(&b, buf, strlen(buf), NULL) == 0 && b.round == 2 && b.signature_len == 48 &&
          !b.has_previous_signature && !b.has_randomness);
    /* Too large an input is refused before parsing. */
    size_t big = NS_DRAND_JSON_MAX + 1;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    CHECK(ns_drand_beacon_parse(&b, huge, big, NULL) != 0);
    free(huge);
    /* Chained scheme rules. */
    ns_drand_chain df;
    CHECK(ns_drand_chain_lookup(&df, "default", 0, NULL) == 0);
    memset(&b, 0, sizeof b);
    b.round = 5;
    uint8_t m[32];
    ns_error err;
    CHECK(ns_drand_beacon_message(m, &df, &b, &err) != 0);
    b.has_previous_signature = 1;
    b.previous_signature_len = 32;
    CHECK(ns_drand_beacon_message(m, &df, &b, &err) != 0); /* 32 bytes only for round 1 */
    b.round = 1;
    CHECK(ns_drand_beacon_message(m, &df, &b, &err) == 0);
    b.previous_signature_len = 96;
    CHECK(ns_drand_beacon_message(m, &df, &b, &err) != 0);
}

int main(void) {
    test_valid("beacons_quicknet_valid.json", "quicknet", 10);
    test_valid("beacons_default_valid.json", "default", 9);
    test_invalid();
    test_other_networks();
    test_trace();
    test_simulated();
    test_parse_negative();
    return ns_test_report("drand_beacon");
}
