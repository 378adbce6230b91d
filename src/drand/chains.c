#include "drand/chains.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/hash.h"
#include "util/hex.h"

/* Pinned records, as hex strings (decoded and hash-checked on lookup). */
typedef struct {
    const char *name;
    ns_drand_scheme scheme;
    const char *public_key;
    uint32_t period;
    int64_t genesis_time;
    const char *genesis_seed;
    const char *beacon_id;
    const char *chain_hash;
    int simulated;
} chain_pin;

static const chain_pin PINNED[] = {
    {"quicknet", NS_DRAND_SCHEME_UNCHAINED_G1,
     "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c"
     "8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb"
     "5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
     3, 1692803367, "f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e",
     "quicknet", "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971", 0},
    {"default", NS_DRAND_SCHEME_CHAINED,
     "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a5699"
     "37c529eeda66c7293784a9402801af31",
     30, 1595431050, "176f93498eac9ca337150b46d21dd58673ea4e3581185f869672e59fa4cb390a",
     "default", "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce", 0},
    /* Simulated chain: secret key = SHA-256("nitrosetup drand simulator test
     * key") mod r, genesis seed = SHA-256("nitrosetup drand simulator genesis
     * seed").  The key is public: beacons of this chain prove nothing. */
    {"sim", NS_DRAND_SCHEME_UNCHAINED_G1,
     "901f986684ea37c0c1b03d483afbdf0bd60959850bba7fa4b310c0982ccb7017"
     "57fef1a9f74d1494e2c1236d8813d5d3032e8a6affac044216bb3ec6c75ecdcc"
     "2cf699c3cf5b78bd902b14ce874b26fd6351355e5f32ab3d9411a5b676b52431",
     3, 1700000000, "021f566c78666f28cbe75844b1bb19bc020f09bc4c08aeae76ee9f6b73c0b795",
     "nitrosetup-sim", "cf97eef9d6a44d21eb72e06917ea1ee888fe2557da77b29e28136d33801669ae", 1},
};

#define N_PINNED (sizeof(PINNED) / sizeof(PINNED[0]))

static const struct {
    const char *name;
    ns_drand_scheme scheme;
} SCHEMES[] = {
    {"pedersen-bls-chained", NS_DRAND_SCHEME_CHAINED},
    {"pedersen-bls-unchained", NS_DRAND_SCHEME_UNCHAINED_G2},
    {"bls-unchained-g1-rfc9380", NS_DRAND_SCHEME_UNCHAINED_G1},
    {"bls-unchained-on-g1", NS_DRAND_SCHEME_UNCHAINED_G1_LEGACY},
};

static const char DST_G1[] = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
static const char DST_G2[] = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_";

const char *ns_drand_scheme_name(ns_drand_scheme s) {
    for (size_t i = 0; i < sizeof(SCHEMES) / sizeof(SCHEMES[0]); i++)
        if (SCHEMES[i].scheme == s) return SCHEMES[i].name;
    return "unknown";
}

int ns_drand_scheme_from_name(ns_drand_scheme *out, const char *name, ns_error *err) {
    for (size_t i = 0; i < sizeof(SCHEMES) / sizeof(SCHEMES[0]); i++) {
        if (strcmp(SCHEMES[i].name, name) == 0) {
            *out = SCHEMES[i].scheme;
            return 0;
        }
    }
    return ns_error_set(err, "unsupported drand scheme '%.80s' (only BLS12-381 schemes are implemented)",
                        name);
}

size_t ns_drand_scheme_pk_len(ns_drand_scheme s) {
    return (s == NS_DRAND_SCHEME_UNCHAINED_G1 || s == NS_DRAND_SCHEME_UNCHAINED_G1_LEGACY) ? 96 : 48;
}

size_t ns_drand_scheme_sig_len(ns_drand_scheme s) {
    return ns_drand_scheme_pk_len(s) == 96 ? 48 : 96;
}

const char *ns_drand_scheme_dst(ns_drand_scheme s) {
    return s == NS_DRAND_SCHEME_UNCHAINED_G1 ? DST_G1 : DST_G2;
}

int ns_drand_scheme_is_chained(ns_drand_scheme s) {
    return s == NS_DRAND_SCHEME_CHAINED;
}

size_t ns_drand_chain_count(void) {
    return N_PINNED;
}

static int decode_exact(uint8_t *out, size_t len, const char *hex) {
    return ns_hex_decode(out, len, hex) == (long)len ? 0 : -1;
}

int ns_drand_chain_get(ns_drand_chain *out, size_t i, ns_error *err) {
    if (i >= N_PINNED) return ns_error_set(err, "drand: no pinned chain #%zu", i);
    const chain_pin *p = &PINNED[i];
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", p->name);
    snprintf(out->beacon_id, sizeof out->beacon_id, "%s", p->beacon_id);
    out->scheme = p->scheme;
    out->public_key_len = ns_drand_scheme_pk_len(p->scheme);
    out->period = p->period;
    out->genesis_time = p->genesis_time;
    out->simulated = p->simulated;
    if (decode_exact(out->public_key, out->public_key_len, p->public_key) != 0 ||
        decode_exact(out->genesis_seed, 32, p->genesis_seed) != 0 ||
        decode_exact(out->chain_hash, 32, p->chain_hash) != 0)
        return ns_error_set(err, "drand: pinned chain '%s' is malformed", p->name);
    return 0;
}

int ns_drand_chain_lookup(ns_drand_chain *out, const char *name_or_hash, unsigned flags,
                          ns_error *err) {
    for (size_t i = 0; i < N_PINNED; i++) {
        if (strcmp(PINNED[i].name, name_or_hash) != 0 &&
            strcasecmp(PINNED[i].chain_hash, name_or_hash) != 0)
            continue;
        if (PINNED[i].simulated && !(flags & NS_DRAND_ALLOW_SIM))
            return ns_error_set(err,
                                "drand: chain '%s' is the SIMULATED test chain (public test key); "
                                "it is only accepted in simulation mode",
                                PINNED[i].name);
        if (ns_drand_chain_get(out, i, err) != 0) return -1;
        return ns_drand_chain_check_hash(out, err);
    }
    return ns_error_set(err, "drand: unknown chain '%.80s' (known: quicknet, default)", name_or_hash);
}

static void be32(uint8_t out[4], uint32_t v) {
    for (int i = 3; i >= 0; i--, v >>= 8) out[i] = (uint8_t)v;
}

static void be64(uint8_t out[8], uint64_t v) {
    for (int i = 7; i >= 0; i--, v >>= 8) out[i] = (uint8_t)v;
}

void ns_drand_chain_compute_hash(uint8_t out[32], const ns_drand_chain *c) {
    /* 4 + 8 + 128 + 32 + 64 bytes at most. */
    uint8_t buf[4 + 8 + 128 + 32 + NS_DRAND_BEACON_ID_MAX];
    size_t n = 0;
    be32(buf, c->period);
    be64(buf + 4, (uint64_t)c->genesis_time);
    n = 12;
    memcpy(buf + n, c->public_key, c->public_key_len);
    n += c->public_key_len;
    memcpy(buf + n, c->genesis_seed, 32);
    n += 32;
    size_t id_len = strnlen(c->beacon_id, sizeof c->beacon_id);
    if (id_len > 0 && strcmp(c->beacon_id, "default") != 0) {
        memcpy(buf + n, c->beacon_id, id_len);
        n += id_len;
    }
    ns_sha256(out, buf, n);
}

int ns_drand_chain_check_hash(const ns_drand_chain *c, ns_error *err) {
    uint8_t h[32];
    ns_drand_chain_compute_hash(h, c);
    if (memcmp(h, c->chain_hash, 32) != 0) {
        char got[65], want[65];
        ns_hex_encode(got, h, 32);
        ns_hex_encode(want, c->chain_hash, 32);
        return ns_error_set(err, "drand: chain '%s': fields hash to %s, not the chain hash %s",
                            c->name[0] ? c->name : c->beacon_id, got, want);
    }
    return 0;
}

/* ---- /info JSON ---- */

static const char *get_str(json_t *obj, const char *a, const char *b) {
    json_t *v = json_object_get(obj, a);
    if (!v && b) v = json_object_get(obj, b);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int get_int(json_int_t *out, json_t *obj, const char *key) {
    json_t *v = json_object_get(obj, key);
    if (!json_is_integer(v)) return -1;
    *out = json_integer_value(v);
    return 0;
}

int ns_drand_chain_from_info_json(ns_drand_chain *out, const char *json, size_t len,
                                  ns_error *err) {
    if (len > 65536) return ns_error_set(err, "drand info: %zu bytes is too large", len);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) return ns_error_set(err, "drand info: invalid JSON: %.200s", jerr.text);
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (!json_is_object(root)) {
        ns_error_set(err, "drand info: not a JSON object");
        goto done;
    }
    const char *pk = get_str(root, "public_key", NULL);
    const char *hash = get_str(root, "hash", "chain_hash");
    const char *seed = get_str(root, "groupHash", "genesis_seed");
    const char *scheme = get_str(root, "schemeID", "scheme");
    const char *id = get_str(root, "beacon_id", NULL);
    json_t *meta = json_object_get(root, "metadata");
    if (!id && json_is_object(meta)) id = get_str(meta, "beaconID", NULL);
    json_int_t period, genesis;
    if (!pk || !hash || !seed || !scheme) {
        ns_error_set(err, "drand info: missing public_key, hash, genesis seed or scheme");
        goto done;
    }
    if (get_int(&period, root, "period") != 0 || get_int(&genesis, root, "genesis_time") != 0 ||
        period <= 0 || period > 86400 || genesis < 0) {
        ns_error_set(err, "drand info: period or genesis_time missing or out of range");
        goto done;
    }
    if (ns_drand_scheme_from_name(&out->scheme, scheme, err) != 0) goto done;
    out->public_key_len = ns_drand_scheme_pk_len(out->scheme);
    if (decode_exact(out->public_key, out->public_key_len, pk) != 0 ||
        strlen(pk) != 2 * out->public_key_len) {
        ns_error_set(err, "drand info: public_key is not %zu bytes of hex", out->public_key_len);
        goto done;
    }
    if (strlen(seed) != 64 || decode_exact(out->genesis_seed, 32, seed) != 0 ||
        strlen(hash) != 64 || decode_exact(out->chain_hash, 32, hash) != 0) {
        ns_error_set(err, "drand info: chain hash or genesis seed is not 32 bytes of hex");
        goto done;
    }
    if (!id) id = "default";
    if (strlen(id) >= NS_DRAND_BEACON_ID_MAX) {
        ns_error_set(err, "drand info: beacon id too long");
        goto done;
    }
    snprintf(out->beacon_id, sizeof out->beacon_id, "%s", id);
    snprintf(out->name, sizeof out->name, "%s", id);
    out->period = (uint32_t)period;
    out->genesis_time = (int64_t)genesis;
    rc = 0;
done:
    json_decref(root);
    return rc;
}

int ns_drand_chain_compare(const ns_drand_chain *pinned, const ns_drand_chain *other,
                           ns_error *err) {
    const char *what = NULL;
    if (memcmp(pinned->chain_hash, other->chain_hash, 32) != 0) what = "chain hash";
    else if (pinned->scheme != other->scheme) what = "scheme";
    else if (pinned->public_key_len != other->public_key_len ||
             memcmp(pinned->public_key, other->public_key, pinned->public_key_len) != 0)
        what = "public key";
    else if (pinned->period != other->period) what = "period";
    else if (pinned->genesis_time != other->genesis_time) what = "genesis time";
    else if (memcmp(pinned->genesis_seed, other->genesis_seed, 32) != 0) what = "genesis seed";
    else if (strcmp(pinned->beacon_id, other->beacon_id) != 0 &&
             !((pinned->beacon_id[0] == 0 || strcmp(pinned->beacon_id, "default") == 0) &&
               (other->beacon_id[0] == 0 || strcmp(other->beacon_id, "default") == 0)))
        what = "beacon id";
    if (what)
        return ns_error_set(err, "drand: chain info differs from the pinned '%s' chain in its %s",
                            pinned->name, what);
    return 0;
}
