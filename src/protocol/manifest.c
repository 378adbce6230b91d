#include "protocol/manifest.h"

#include <stdlib.h>
#include <string.h>

#include "protocol/policy.h"
#include "util/hex.h"

char *ns_json_canonical(const json_t *o) {
    return json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
}

json_t *ns_json_parse_canonical(const char *text, size_t len, const char *what, ns_error *err) {
    json_error_t je;
    json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (o == NULL) {
        ns_error_set(err, "%s: invalid JSON: %s (line %d)", what, je.text, je.line);
        return NULL;
    }
    char *again = ns_json_canonical(o);
    int same = again != NULL && strlen(again) == len && memcmp(again, text, len) == 0;
    free(again);
    if (!same) {
        json_decref(o);
        ns_error_set(err, "%s: not in canonical form (sorted keys, compact)", what);
        return NULL;
    }
    return o;
}

static json_t *hexv(const uint8_t *b, size_t n) {
    char buf[2 * 192 + 1];
    ns_hex_encode(buf, b, n);
    return json_string(buf);
}

/* Strict accessors: every key must exist with the right type. */
static int get_hex(uint8_t *out, size_t n, const json_t *o, const char *key, const char *what,
                   ns_error *err) {
    const char *s = json_string_value(json_object_get(o, key));
    if (s == NULL || strlen(s) != 2 * n || ns_hex_decode(out, n, s) != (long)n)
        return ns_error_set(err, "%s: '%s' must be %zu bytes of lower-case hex", what, key, n);
    for (const char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'F') return ns_error_set(err, "%s: '%s' has upper-case hex", what, key);
    return 0;
}

static int get_uint(uint64_t *out, const json_t *o, const char *key, const char *what, ns_error *err) {
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return ns_error_set(err, "%s: '%s' must be a non-negative integer", what, key);
    *out = (uint64_t)json_integer_value(v);
    return 0;
}

static int get_str(char *out, size_t cap, const json_t *o, const char *key, const char *what,
                   ns_error *err) {
    const char *s = json_string_value(json_object_get(o, key));
    if (s == NULL || strlen(s) >= cap) return ns_error_set(err, "%s: '%s' must be a string", what, key);
    strcpy(out, s);
    return 0;
}

static int get_bool(int *out, const json_t *o, const char *key, const char *what, ns_error *err) {
    json_t *v = json_object_get(o, key);
    if (!json_is_boolean(v)) return ns_error_set(err, "%s: '%s' must be a boolean", what, key);
    *out = json_is_true(v);
    return 0;
}

static int only_keys(const json_t *o, const char *const *keys, const char *what, ns_error *err) {
    const char *k;
    json_t *v;
    size_t n = 0;
    json_object_foreach((json_t *)o, k, v) {
        int known = 0;
        for (size_t i = 0; keys[i] != NULL; i++) known |= strcmp(k, keys[i]) == 0;
        if (!known) return ns_error_set(err, "%s: unknown key '%s'", what, k);
        n++;
    }
    (void)n;
    return 0;
}

static json_t *chain_json(const ns_chain_ref *c) {
    return json_pack("{s:s, s:o, s:I, s:I, s:b}", "name", c->name, "hash", hexv(c->hash, 32),
                     "genesis_time", (json_int_t)c->genesis_time, "period", (json_int_t)c->period,
                     "simulated", c->simulated);
}

static int chain_from(ns_chain_ref *c, const json_t *o, const char *what, ns_error *err) {
    static const char *const K[] = {"name", "hash", "genesis_time", "period", "simulated", NULL};
    if (!json_is_object(o)) return ns_error_set(err, "%s: 'chain' must be an object", what);
    memset(c, 0, sizeof *c);
    if (only_keys(o, K, what, err) || get_str(c->name, sizeof c->name, o, "name", what, err) ||
        get_hex(c->hash, 32, o, "hash", what, err) ||
        get_uint(&c->genesis_time, o, "genesis_time", what, err) ||
        get_uint(&c->period, o, "period", what, err) || get_bool(&c->simulated, o, "simulated", what, err))
        return -1;
    if (c->period == 0 || c->period > 86400) return ns_error_set(err, "%s: bad chain period", what);
    return 0;
}

json_t *ns_beacon_to_json(const ns_chain_ref *chain, const ns_beacon *b) {
    json_t *o = json_pack("{s:o, s:I, s:o, s:o}", "chain", chain_json(chain), "round",
                          (json_int_t)b->round, "randomness", hexv(b->randomness, 32), "signature",
                          hexv(b->signature, b->signature_len));
    if (o != NULL && b->previous_signature_len > 0)
        json_object_set_new(o, "previous_signature",
                            hexv(b->previous_signature, b->previous_signature_len));
    return o;
}

static int get_var_hex(uint8_t *out, size_t *n, size_t cap, const json_t *o, const char *key,
                       const char *what, ns_error *err) {
    const char *s = json_string_value(json_object_get(o, key));
    long r = s ? ns_hex_decode(out, cap, s) : -1;
    if (r <= 0) return ns_error_set(err, "%s: '%s' must be hex of at most %zu bytes", what, key, cap);
    *n = (size_t)r;
    return 0;
}

int ns_beacon_from_json(ns_chain_ref *chain, ns_beacon *b, const json_t *o, ns_error *err) {
    static const char *const K[] = {"chain", "round", "randomness", "signature",
                                    "previous_signature", NULL};
    const char *what = "drand beacon";
    memset(b, 0, sizeof *b);
    if (!json_is_object(o)) return ns_error_set(err, "%s: not an object", what);
    if (only_keys(o, K, what, err) || chain_from(chain, json_object_get(o, "chain"), what, err) ||
        get_uint(&b->round, o, "round", what, err) ||
        get_hex(b->randomness, 32, o, "randomness", what, err) ||
        get_var_hex(b->signature, &b->signature_len, sizeof b->signature, o, "signature", what, err))
        return -1;
    if (json_object_get(o, "previous_signature") != NULL &&
        get_var_hex(b->previous_signature, &b->previous_signature_len, sizeof b->previous_signature,
                    o, "previous_signature", what, err))
        return -1;
    if (b->round == 0) return ns_error_set(err, "%s: round 0 is not a beacon", what);
    return 0;
}

char *ns_manifest_to_json(const ns_manifest *m) {
    json_t *arts = json_array();
    for (int i = 0; i < m->nart; i++)
        json_array_append_new(arts, json_pack("{s:s, s:I, s:o}", "name", m->art[i].name, "size",
                                              (json_int_t)m->art[i].size, "blake2b",
                                              hexv(m->art[i].hash, 64)));
    json_t *o = json_pack(
        "{s:s, s:{s:s, s:s}, s:{s:b, s:b, s:b},"
        " s:{s:I, s:i, s:o},"
        " s:{s:s, s:o, s:I, s:s}, s:{s:o}, s:{s:o}, s:{s:o}, s:{s:o}, s:{s:s, s:o},"
        " s:[{s:s, s:o}, {s:s, s:o}],"
        " s:{s:I, s:I, s:o}, s:o, s:o}",
        "format", m->has_verifier ? NS_MANIFEST_FORMAT : NS_MANIFEST_FORMAT_2,
        "tool", "name", "nitrosetup", "version", m->tool_version,
        "simulated", "nsm", m->simulated_nsm, "drand", m->simulated_drand, "debug_mode", m->debug_mode,
        "policy", "drand_margin_s", (json_int_t)m->margin, "beacon_num_iterations_exp", m->beacon_exp,
        "drand_chain", chain_json(&m->chain),
        "ptau", "name", m->ptau_name, "blake2b", hexv(m->ptau_hash, 64), "size", (json_int_t)m->ptau_size,
        "trust", ns_ptau_trust_name((ns_ptau_trust)m->ptau_trust),
        "zkey_0000", "blake2b", hexv(m->zkey0_hash, 64),
        "zkey_0001", "blake2b", hexv(m->zkey1_hash, 64),
        "r1cs", "blake2b", hexv(m->r1cs_hash, 64),
        "circuit_bundle", "blake2b", hexv(m->cbundle_hash, 64),
        "circom", "version", m->circom_version, "blake2b", hexv(m->circom_hash, 64),
        "contributions", "type", "enclave", "hash", hexv(m->contribution_hash, 64),
        "type", "beacon", "hash", hexv(m->beacon_contribution_hash, 64),
        "drand", "t1_ms", (json_int_t)m->t1_ms, "round", (json_int_t)m->round, "randomness",
        hexv(m->randomness, 32),
        "verification_key_blake2b", hexv(m->vk_hash, 64),
        "artifacts", arts);
    if (o == NULL) return NULL;
    if (m->has_verifier &&
        json_object_set_new(o, "verifier", json_pack("{s:o, s:I}", "keccak256", hexv(m->verifier_keccak, 32), "size",
                                                     (json_int_t)m->verifier_size)) != 0) {
        json_decref(o);
        return NULL;
    }
    char *s = ns_json_canonical(o);
    json_decref(o);
    return s;
}

static int sub_hash(uint8_t *out, const json_t *o, const char *key, ns_error *err) {
    static const char *const K[] = {"blake2b", NULL};
    const json_t *s = json_object_get(o, key);
    char what[64];
    snprintf(what, sizeof what, "manifest.json: %s", key);
    if (!json_is_object(s)) return ns_error_set(err, "%s: missing", what);
    return only_keys(s, K, what, err) || get_hex(out, 64, s, "blake2b", what, err);
}

/* About 100 lines on purpose: one strict reader per manifest key, in the
 * document's order, each refusing unknown keys and wrong types; the keys are
 * the format, so the list reads best in one place. */
int ns_manifest_from_json(ns_manifest *m, const char *text, size_t len, ns_error *err) {
    static const char *const K[] = {"format", "tool", "simulated", "policy", "ptau", "zkey_0000",
                                    "zkey_0001", "r1cs", "circuit_bundle", "circom", "contributions", "drand",
                                    "verification_key_blake2b", "artifacts", "verifier", NULL};
    const char *W = "manifest.json";
    memset(m, 0, sizeof *m);
    json_t *o = ns_json_parse_canonical(text, len, W, err);
    if (o == NULL) return -1;
    int rc = -1;
    const char *fmt = json_string_value(json_object_get(o, "format"));
    if (!json_is_object(o) || only_keys(o, K, W, err)) goto out;
    if (fmt == NULL || (strcmp(fmt, NS_MANIFEST_FORMAT) != 0 && strcmp(fmt, NS_MANIFEST_FORMAT_2) != 0)) {
        ns_error_set(err, "%s: unknown format", W);
        goto out;
    }
    {
        /* format 3 has "verifier" {keccak256, size}; format 2 has not */
        static const char *const VK[] = {"keccak256", "size", NULL};
        json_t *ver = json_object_get(o, "verifier");
        m->has_verifier = strcmp(fmt, NS_MANIFEST_FORMAT) == 0;
        if (!m->has_verifier && ver != NULL) {
            ns_error_set(err, "%s: format %s has no 'verifier'", W, fmt);
            goto out;
        }
        if (m->has_verifier && (!json_is_object(ver) || only_keys(ver, VK, W, err) ||
                                get_hex(m->verifier_keccak, 32, ver, "keccak256", W, err) ||
                                get_uint(&m->verifier_size, ver, "size", W, err))) {
            if (!json_is_object(ver)) ns_error_set(err, "%s: format %s needs 'verifier' {keccak256, size}", W, fmt);
            goto out;
        }
    }
    json_t *tool = json_object_get(o, "tool"), *sim = json_object_get(o, "simulated"),
           *pol = json_object_get(o, "policy"), *pt = json_object_get(o, "ptau"),
           *con = json_object_get(o, "contributions"), *dr = json_object_get(o, "drand"),
           *arts = json_object_get(o, "artifacts");
    uint64_t u;
    if (!json_is_object(tool) || get_str(m->tool_version, sizeof m->tool_version, tool, "version", W, err))
        goto out;
    if (!json_is_object(sim) || get_bool(&m->simulated_nsm, sim, "nsm", W, err) ||
        get_bool(&m->simulated_drand, sim, "drand", W, err) ||
        get_bool(&m->debug_mode, sim, "debug_mode", W, err))
        goto out;
    if (!json_is_object(pol) || get_uint(&u, pol, "drand_margin_s", W, err)) goto out;
    m->margin = (uint32_t)u;
    if (get_uint(&u, pol, "beacon_num_iterations_exp", W, err)) goto out;
    m->beacon_exp = (int)u;
    if (chain_from(&m->chain, json_object_get(pol, "drand_chain"), W, err)) goto out;
    if (!json_is_object(pt) || get_str(m->ptau_name, sizeof m->ptau_name, pt, "name", W, err) ||
        get_hex(m->ptau_hash, 64, pt, "blake2b", W, err) || get_uint(&m->ptau_size, pt, "size", W, err))
        goto out;
    {
        static const char *const PK[] = {"name", "blake2b", "size", "trust", NULL};
        char tr[32];
        ns_ptau_trust t;
        if (only_keys(pt, PK, W, err) || get_str(tr, sizeof tr, pt, "trust", W, err)) goto out;
        if (ns_ptau_trust_from_name(&t, tr) != 0 || t == NS_PTAU_UNTRUSTED) {
            ns_error_set(err, "%s: ptau.trust '%s' is not hermez, image-pin or user-pin", W, tr);
            goto out;
        }
        m->ptau_trust = (int)t;
    }
    {
        static const char *const CK[] = {"version", "blake2b", NULL};
        json_t *cc = json_object_get(o, "circom");
        if (!json_is_object(cc) || only_keys(cc, CK, W, err) ||
            get_str(m->circom_version, sizeof m->circom_version, cc, "version", W, err) ||
            get_hex(m->circom_hash, 64, cc, "blake2b", W, err))
            goto out;
    }
    if (sub_hash(m->zkey0_hash, o, "zkey_0000", err) || sub_hash(m->zkey1_hash, o, "zkey_0001", err) ||
        sub_hash(m->r1cs_hash, o, "r1cs", err) || sub_hash(m->cbundle_hash, o, "circuit_bundle", err))
        goto out;
    if (!json_is_array(con) || json_array_size(con) != 2 ||
        get_hex(m->contribution_hash, 64, json_array_get(con, 0), "hash", W, err) ||
        get_hex(m->beacon_contribution_hash, 64, json_array_get(con, 1), "hash", W, err)) {
        if (err && !strstr(err->msg, "hash")) ns_error_set(err, "%s: bad contributions", W);
        goto out;
    }
    if (!json_is_object(dr) || get_uint(&m->t1_ms, dr, "t1_ms", W, err) ||
        get_uint(&m->round, dr, "round", W, err) || get_hex(m->randomness, 32, dr, "randomness", W, err))
        goto out;
    if (get_hex(m->vk_hash, 64, o, "verification_key_blake2b", W, err)) goto out;
    if (!json_is_array(arts) || json_array_size(arts) > NS_MANIFEST_MAX_ARTIFACTS) {
        ns_error_set(err, "%s: bad artifacts list", W);
        goto out;
    }
    for (size_t i = 0; i < json_array_size(arts); i++) {
        json_t *a = json_array_get(arts, i);
        ns_artifact *x = &m->art[m->nart];
        if (!json_is_object(a) || get_str(x->name, sizeof x->name, a, "name", W, err) ||
            get_uint(&x->size, a, "size", W, err) || get_hex(x->hash, 64, a, "blake2b", W, err))
            goto out;
        if (strchr(x->name, '/') != NULL || x->name[0] == '.' || ns_manifest_artifact(m, x->name) != NULL) {
            ns_error_set(err, "%s: bad or duplicate artifact name '%s'", W, x->name);
            goto out;
        }
        m->nart++;
    }
    rc = 0;
out:
    json_decref(o);
    return rc;
}

const ns_artifact *ns_manifest_artifact(const ns_manifest *m, const char *name) {
    for (int i = 0; i < m->nart; i++)
        if (strcmp(m->art[i].name, name) == 0) return &m->art[i];
    return NULL;
}
