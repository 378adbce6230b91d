#include "drand/beacon.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bls12_381.h"
#include "util/hash.h"
#include "util/hex.h"

/* Decodes a hex string field of at most cap bytes. */
static int hex_field(uint8_t *out, size_t cap, size_t *len, const char *s, const char *name,
                     ns_error *err) {
    size_t n = strlen(s);
    if (n > 2 * cap) return ns_error_set(err, "drand beacon: %s is longer than %zu bytes", name, cap);
    long got = ns_hex_decode(out, cap, s);
    if (got < 0) return ns_error_set(err, "drand beacon: %s is not valid hex", name);
    *len = (size_t)got;
    return 0;
}

int ns_drand_beacon_parse(ns_drand_beacon *out, const char *json, size_t len, ns_error *err) {
    memset(out, 0, sizeof *out);
    if (len > NS_DRAND_JSON_MAX)
        return ns_error_set(err, "drand beacon: %zu bytes of JSON is too large", len);
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return ns_error_set(err, "drand beacon: invalid JSON at line %d: %.160s", jerr.line,
                            jerr.text);
    int rc = -1;
    if (!json_is_object(root)) {
        ns_error_set(err, "drand beacon: not a JSON object");
        goto done;
    }
    json_t *r = json_object_get(root, "round");
    if (!json_is_integer(r) || json_integer_value(r) < 1) {
        ns_error_set(err, "drand beacon: \"round\" must be an integer >= 1");
        goto done;
    }
    out->round = (uint64_t)json_integer_value(r);
    json_t *sig = json_object_get(root, "signature");
    if (!json_is_string(sig)) {
        ns_error_set(err, "drand beacon: \"signature\" missing or not a string");
        goto done;
    }
    if (hex_field(out->signature, sizeof out->signature, &out->signature_len,
                  json_string_value(sig), "signature", err) != 0)
        goto done;
    json_t *prev = json_object_get(root, "previous_signature");
    if (prev && !json_is_null(prev)) {
        if (!json_is_string(prev)) {
            ns_error_set(err, "drand beacon: \"previous_signature\" is not a string");
            goto done;
        }
        out->has_previous_signature = 1;
        if (hex_field(out->previous_signature, sizeof out->previous_signature,
                      &out->previous_signature_len, json_string_value(prev), "previous_signature",
                      err) != 0)
            goto done;
    }
    json_t *rnd = json_object_get(root, "randomness");
    if (rnd && !json_is_null(rnd)) {
        size_t n = 0;
        if (!json_is_string(rnd) ||
            hex_field(out->randomness, sizeof out->randomness, &n, json_string_value(rnd),
                      "randomness", err) != 0 ||
            n != 32) {
            ns_error_set(err, "drand beacon: \"randomness\" is not 32 bytes of hex");
            goto done;
        }
        out->has_randomness = 1;
    }
    rc = 0;
done:
    json_decref(root);
    return rc;
}

int ns_drand_beacon_message(uint8_t out[32], const ns_drand_chain *c, const ns_drand_beacon *b,
                            ns_error *err) {
    uint8_t buf[96 + 8];
    size_t n = 0;
    if (ns_drand_scheme_is_chained(c->scheme)) {
        size_t want = b->round == 1 ? 32 : 96;
        if (!b->has_previous_signature || b->previous_signature_len == 0)
            return ns_error_set(err, "drand beacon round %" PRIu64
                                ": chained beacon without previous_signature", b->round);
        if (b->previous_signature_len != want)
            return ns_error_set(err, "drand beacon round %" PRIu64
                                ": previous_signature is %zu bytes, expected %zu", b->round,
                                b->previous_signature_len, want);
        memcpy(buf, b->previous_signature, want);
        n = want;
    }
    uint64_t r = b->round;
    for (int i = 7; i >= 0; i--, r >>= 8) buf[n + (size_t)i] = (uint8_t)r;
    n += 8;
    ns_sha256(out, buf, n);
    return 0;
}

void ns_drand_beacon_randomness(uint8_t out[32], const ns_drand_beacon *b) {
    ns_sha256(out, b->signature, b->signature_len);
}

int ns_drand_beacon_verify(const ns_drand_chain *c, const ns_drand_beacon *b, unsigned flags,
                           ns_error *err) {
    if (c->simulated && !(flags & NS_DRAND_ALLOW_SIM))
        return ns_error_set(err, "drand beacon round %" PRIu64
                            ": chain '%s' is SIMULATED (test key); refused outside simulation mode",
                            b->round, c->name);
    if (b->round == 0) return ns_error_set(err, "drand beacon: round 0 has no beacon");
    size_t sig_len = ns_drand_scheme_sig_len(c->scheme);
    if (b->signature_len != sig_len)
        return ns_error_set(err, "drand beacon round %" PRIu64
                            ": signature is %zu bytes, scheme %s needs %zu", b->round,
                            b->signature_len, ns_drand_scheme_name(c->scheme), sig_len);
    if (ns_drand_scheme_pk_len(c->scheme) != c->public_key_len)
        return ns_error_set(err, "drand: chain '%s' public key has the wrong length", c->name);
    uint8_t rnd[32];
    ns_drand_beacon_randomness(rnd, b);
    if (b->has_randomness && memcmp(rnd, b->randomness, 32) != 0)
        return ns_error_set(err, "drand beacon round %" PRIu64
                            ": randomness field is not SHA-256(signature)", b->round);
    uint8_t msg[32];
    if (ns_drand_beacon_message(msg, c, b, err) != 0) return -1;
    const char *dst = ns_drand_scheme_dst(c->scheme);
    bls_status st;
    if (sig_len == 48)
        st = bls_verify_sig_g1_var(c->public_key, msg, sizeof msg, (const uint8_t *)dst, strlen(dst),
                               b->signature);
    else
        st = bls_verify_sig_g2_var(c->public_key, msg, sizeof msg, (const uint8_t *)dst, strlen(dst),
                               b->signature);
    if (st != BLS_OK)
        return ns_error_set(err, "drand beacon round %" PRIu64 ": invalid for chain '%s': %s",
                            b->round, c->name, bls_status_str(st));
    return 0;
}

int ns_drand_beacon_verify_json(ns_drand_beacon *out, const ns_drand_chain *c, const char *json,
                                size_t len, uint64_t expected_round, unsigned flags,
                                ns_error *err) {
    if (ns_drand_beacon_parse(out, json, len, err) != 0) return -1;
    if (expected_round != 0 && out->round != expected_round)
        return ns_error_set(err, "drand beacon: got round %" PRIu64 ", asked for %" PRIu64,
                            out->round, expected_round);
    return ns_drand_beacon_verify(c, out, flags, err);
}

char *ns_drand_beacon_to_json(const ns_drand_chain *c, const ns_drand_beacon *b) {
    char rnd_hex[65], sig_hex[193], prev_hex[193];
    uint8_t rnd[32];
    ns_drand_beacon_randomness(rnd, b);
    ns_hex_encode(rnd_hex, rnd, 32);
    ns_hex_encode(sig_hex, b->signature, b->signature_len);
    int chained = ns_drand_scheme_is_chained(c->scheme) && b->has_previous_signature;
    if (chained) ns_hex_encode(prev_hex, b->previous_signature, b->previous_signature_len);
    size_t cap = 64 + 20 + sizeof rnd_hex + sizeof sig_hex + sizeof prev_hex + 64;
    char *s = malloc(cap);
    if (!s) return NULL;
    if (chained)
        snprintf(s, cap,
                 "{\"round\":%" PRIu64 ",\"randomness\":\"%s\",\"signature\":\"%s\","
                 "\"previous_signature\":\"%s\"}",
                 b->round, rnd_hex, sig_hex, prev_hex);
    else
        snprintf(s, cap, "{\"round\":%" PRIu64 ",\"randomness\":\"%s\",\"signature\":\"%s\"}",
                 b->round, rnd_hex, sig_hex);
    return s;
}
