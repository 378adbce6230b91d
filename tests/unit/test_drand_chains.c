/* drand chain records: pinned fields against chains.json, chain hash
 * recomputation (all six published chains), /info parsing and comparison,
 * lookup rules (the simulated chain needs NS_DRAND_ALLOW_SIM). */
#include <stdlib.h>

#include "test_drand_vectors.h"

static void test_published_hashes(json_t *root) {
    json_t *chains = json_object_get(root, "chains");
    CHECK(json_array_size(chains) == 6);
    size_t i;
    json_t *e;
    json_array_foreach(chains, i, e) {
        ns_drand_chain c;
        CHECK(drand_vec_chain(&c, e) == 0);
        ns_error err;
        int ok = ns_drand_chain_check_hash(&c, &err) == 0;
        CHECK_MSG(ok, "chain %s: %s", drand_vec_str(e, "beacon_id"), ok ? "" : err.msg);
        /* One flipped bit of any hashed field changes the hash. */
        ns_drand_chain m = c;
        m.public_key[5] ^= 1;
        CHECK(ns_drand_chain_check_hash(&m, NULL) != 0);
        m = c;
        m.period++;
        CHECK(ns_drand_chain_check_hash(&m, NULL) != 0);
        m = c;
        m.genesis_time--;
        CHECK(ns_drand_chain_check_hash(&m, NULL) != 0);
        m = c;
        m.genesis_seed[31] ^= 0x80;
        CHECK(ns_drand_chain_check_hash(&m, NULL) != 0);
    }
}

/* The pinned records equal the transcribed ones field by field. */
static void test_pinned_match_vectors(json_t *root) {
    const char *names[] = {"quicknet", "default"};
    for (int k = 0; k < 2; k++) {
        json_t *chains = json_object_get(root, "chains"), *e, *found = NULL;
        size_t i;
        json_array_foreach(chains, i, e) if (strcmp(drand_vec_str(e, "beacon_id"), names[k]) == 0) found = e;
        CHECK(found != NULL);
        if (!found) continue;
        ns_drand_chain want, got;
        CHECK(drand_vec_chain(&want, found) == 0);
        ns_error err;
        CHECK(ns_drand_chain_lookup(&got, names[k], 0, &err) == 0);
        snprintf(want.name, sizeof want.name, "%s", got.name);
        CHECK_MSG(ns_drand_chain_compare(&got, &want, &err) == 0, "%s: %s", names[k], err.msg);
        CHECK(got.simulated == 0);
        CHECK(strcmp(ns_drand_scheme_name(got.scheme), drand_vec_str(found, "scheme")) == 0);
        CHECK(strcmp(ns_drand_scheme_dst(got.scheme), drand_vec_str(found, "dst")) == 0);
        /* Lookup by chain hash, in either case. */
        char hex[65];
        ns_hex_encode(hex, got.chain_hash, 32);
        ns_drand_chain byhash;
        CHECK(ns_drand_chain_lookup(&byhash, hex, 0, NULL) == 0 && strcmp(byhash.name, names[k]) == 0);
        for (char *p = hex; *p; p++)
            if (*p >= 'a' && *p <= 'f') *p = (char)(*p - 32);
        CHECK(ns_drand_chain_lookup(&byhash, hex, 0, NULL) == 0);
    }
}

static void test_lookup_rules(void) {
    ns_drand_chain c;
    ns_error err;
    CHECK(ns_drand_chain_lookup(&c, "sim", 0, &err) != 0);
    CHECK(strstr(err.msg, "SIMULATED") != NULL);
    CHECK(ns_drand_chain_lookup(&c, "sim", NS_DRAND_ALLOW_SIM, &err) == 0);
    CHECK(c.simulated == 1 && c.scheme == NS_DRAND_SCHEME_UNCHAINED_G1 && c.period == 3);
    CHECK(ns_drand_chain_check_hash(&c, NULL) == 0);
    CHECK(ns_drand_chain_lookup(&c, "evmnet", 0, &err) != 0);
    CHECK(ns_drand_chain_lookup(&c, "fastnet", NS_DRAND_ALLOW_SIM, &err) != 0);
    CHECK(ns_drand_chain_lookup(&c, "", 0, &err) != 0);
    CHECK(ns_drand_chain_count() == 3);
    for (size_t i = 0; i < ns_drand_chain_count(); i++) {
        CHECK(ns_drand_chain_get(&c, i, &err) == 0);
        CHECK(ns_drand_chain_check_hash(&c, &err) == 0);
        CHECK(c.public_key_len == ns_drand_scheme_pk_len(c.scheme));
    }
    CHECK(ns_drand_chain_get(&c, ns_drand_chain_count(), &err) != 0);
}

static void test_schemes(void) {
    const char *names[] = {"pedersen-bls-chained", "pedersen-bls-unchained", "bls-unchained-g1-rfc9380",
                           "bls-unchained-on-g1"};
    for (int i = 0; i < 4; i++) {
        ns_drand_scheme s;
        CHECK(ns_drand_scheme_from_name(&s, names[i], NULL) == 0);
        CHECK(strcmp(ns_drand_scheme_name(s), names[i]) == 0);
        CHECK(ns_drand_scheme_pk_len(s) + ns_drand_scheme_sig_len(s) == 144);
    }
    ns_drand_scheme s;
    ns_error err;
    CHECK(ns_drand_scheme_from_name(&s, "bls-bn254-unchained-on-g1", &err) != 0);
    CHECK(ns_drand_scheme_from_name(&s, "", NULL) != 0);
    CHECK(ns_drand_scheme_is_chained(NS_DRAND_SCHEME_CHAINED));
    CHECK(!ns_drand_scheme_is_chained(NS_DRAND_SCHEME_UNCHAINED_G1));
    CHECK(strcmp(ns_drand_scheme_dst(NS_DRAND_SCHEME_UNCHAINED_G1_LEGACY),
                 "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_") == 0);
}

static void test_info_json(json_t *root) {
    const char *keys[] = {"info_json_v1_example_default", "info_json_v2_example_quicknet"};
    const char *names[] = {"default", "quicknet"};
    for (int k = 0; k < 2; k++) {
        json_t *info = json_object_get(root, keys[k]);
        char *s = json_dumps(info, JSON_COMPACT);
        ns_drand_chain pinned, served;
        ns_error err;
        CHECK(ns_drand_chain_lookup(&pinned, names[k], 0, NULL) == 0);
        CHECK_MSG(ns_drand_chain_from_info_json(&served, s, strlen(s), &err) == 0, "%s", err.msg);
        CHECK(ns_drand_chain_check_hash(&served, NULL) == 0);
        CHECK_MSG(ns_drand_chain_compare(&pinned, &served, &err) == 0, "%s", err.msg);
        free(s);

        /* A lying relay: another public key under the pinned hash. */
        json_t *lie = json_deep_copy(info);
        char pk[300];
        snprintf(pk, sizeof pk, "%s", json_string_value(json_object_get(lie, "public_key")));
        pk[10] = pk[10] == '0' ? '1' : '0';
        json_object_set_new(lie, "public_key", json_string(pk));
        s = json_dumps(lie, JSON_COMPACT);
        CHECK(ns_drand_chain_from_info_json(&served, s, strlen(s), NULL) == 0);
        CHECK(ns_drand_chain_check_hash(&served, NULL) != 0);
        CHECK(ns_drand_chain_compare(&pinned, &served, &err) != 0 && strstr(err.msg, "public key"));
        free(s);
        json_decref(lie);

        /* Another scheme under the same fields is caught by the comparison. */
        lie = json_deep_copy(info);
        const char *skey = json_object_get(lie, "schemeID") ? "schemeID" : "scheme";
        json_object_set_new(lie, skey, json_string("pedersen-bls-unchained"));
        s = json_dumps(lie, JSON_COMPACT);
        if (ns_drand_chain_from_info_json(&served, s, strlen(s), NULL) == 0)
            CHECK(ns_drand_chain_compare(&pinned, &served, NULL) != 0);
        free(s);
        json_decref(lie);
    }
    /* Malformed inputs. */
    ns_drand_chain c;
    const char *bad[] = {"", "[]", "{", "{\"period\":3}", "{\"public_key\":\"zz\",\"period\":3,\"genesis_time\":1,"
                         "\"hash\":\"00\",\"groupHash\":\"00\",\"schemeID\":\"bls-unchained-g1-rfc9380\"}",
                         "{\"public_key\":\"00\",\"period\":-3,\"genesis_time\":1,\"hash\":\"00\","
                         "\"groupHash\":\"00\",\"schemeID\":\"pedersen-bls-chained\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(ns_drand_chain_from_info_json(&c, bad[i], strlen(bad[i]), NULL) != 0);
}

int main(void) {
    json_t *root = drand_vec_load("chains.json");
    if (root) {
        test_published_hashes(root);
        test_pinned_match_vectors(root);
        test_info_json(root);
        json_decref(root);
    }
    test_lookup_rules();
    test_schemes();
    return ns_test_report("drand_chains");
}
