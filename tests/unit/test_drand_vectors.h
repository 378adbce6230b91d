/* Helpers shared by the drand unit tests (header-only): loading the vector
 * files under tests/vectors/drand/ and building chain records. */
#ifndef NS_TEST_DRAND_VECTORS_H
#define NS_TEST_DRAND_VECTORS_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drand/chains.h"
#include "testutil.h"
#include "util/hex.h"

/* Path of a drand vector file (static buffer). */
static inline const char *drand_vec_path(const char *name) {
    char rel[256];
    snprintf(rel, sizeof rel, "drand/%s", name);
    return ns_test_vector_path(rel);
}

static inline json_t *drand_vec_load(const char *name) {
    const char *path = drand_vec_path(name);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    CHECK_MSG(j != NULL, "cannot load %s: %s", path, j ? "" : e.text);
    return j;
}

static inline const char *drand_vec_str(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static inline long long drand_vec_int(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v)) return json_integer_value(v);
    if (json_is_string(v)) return strtoll(json_string_value(v), NULL, 10);
    return -1;
}

/* Fills a chain record from a chains.json entry (scheme left as given). */
static inline int drand_vec_chain(ns_drand_chain *c, json_t *e) {
    memset(c, 0, sizeof *c);
    const char *pk = drand_vec_str(e, "public_key"), *seed = drand_vec_str(e, "genesis_seed");
    const char *hash = drand_vec_str(e, "chain_hash"), *id = drand_vec_str(e, "beacon_id");
    if (!pk || !seed || !hash || !id) return -1;
    long n = ns_hex_decode(c->public_key, sizeof c->public_key, pk);
    if (n < 0) return -1;
    c->public_key_len = (size_t)n;
    if (ns_hex_decode(c->genesis_seed, 32, seed) != 32 || ns_hex_decode(c->chain_hash, 32, hash) != 32)
        return -1;
    c->period = (uint32_t)drand_vec_int(e, "period");
    c->genesis_time = drand_vec_int(e, "genesis_time");
    /* "default (testnet)" is beacon id "default". */
    snprintf(c->beacon_id, sizeof c->beacon_id, "%s", strncmp(id, "default", 7) == 0 ? "default" : id);
    snprintf(c->name, sizeof c->name, "%s", id);
    const char *scheme = drand_vec_str(e, "scheme");
    if (scheme) ns_drand_scheme_from_name(&c->scheme, scheme, NULL);
    return 0;
}

#endif
