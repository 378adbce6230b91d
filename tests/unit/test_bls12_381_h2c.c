/* RFC 9380 hash-to-curve for BLS12-381 against the official vectors
 * (expand_message_xmd with 38- and 256-byte DSTs; G1/G2 RO and NU suites,
 * checking u, Q0/Q1 and P), the SSWU intermediate points on E', and the
 * drand trace (quicknet round 1, default round 2). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve/bls12_381_h2c.h"
#include "testutil.h"
#include "util/hash.h"
#include "util/hex.h"

/* "0x..." integer (any length up to 96 digits) -> Fp */
static int parse_fp(bls_fp *r, const char *s) {
    char buf[97];
    uint8_t b[48];
    if (strncmp(s, "0x", 2) == 0) s += 2;
    size_t n = strlen(s);
    if (n > 96) return 0;
    memset(buf, '0', 96 - n);
    memcpy(buf + 96 - n, s, n + 1);
    if (ns_hex_decode(b, 48, buf) != 48) return 0;
    return bls_fp_from_be(r, b);
}

/* "0xc0,0xc1" -> Fp2 */
static int parse_fp2(bls_fp2 *r, const char *s) {
    char buf[256];
    const char *comma = strchr(s, ',');
    if (comma == NULL || (size_t)(comma - s) >= sizeof buf) return 0;
    memcpy(buf, s, (size_t)(comma - s));
    buf[comma - s] = 0;
    return parse_fp(&r->c0, buf) && parse_fp(&r->c1, comma + 1);
}

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static json_t *load(const char *rel) {
    json_error_t e;
    json_t *j = json_load_file(ns_test_shared_path(rel), 0, &e);
    CHECK_MSG(j != NULL, "cannot load %s: %s", rel, e.text);
    return j;
}

static int g1_eq_affine_json(const bls_g1 *p, json_t *o) {
    bls_g1_affine a, want;
    bls_g1_to_affine_var(&a, p);
    if (a.inf || !parse_fp(&want.x, jstr(o, "x")) || !parse_fp(&want.y, jstr(o, "y"))) return 0;
    return bls_fp_eq(&a.x, &want.x) && bls_fp_eq(&a.y, &want.y);
}

static int g2_eq_affine_json(const bls_g2 *p, json_t *o) {
    bls_g2_affine a, want;
    bls_g2_to_affine_var(&a, p);
    if (a.inf || !parse_fp2(&want.x, jstr(o, "x")) || !parse_fp2(&want.y, jstr(o, "y"))) return 0;
    return bls_fp2_eq(&a.x, &want.x) && bls_fp2_eq(&a.y, &want.y);
}

static void test_expand(const char *rel) {
    json_t *j = load(rel);
    if (!j) return;
    const char *dst = jstr(j, "DST");
    json_t *tests = json_object_get(j, "tests");
    size_t i;
    json_t *t;
    int n = 0;
    json_array_foreach(tests, i, t) {
        const char *msg = jstr(t, "msg");
        size_t len = 0;
        sscanf(jstr(t, "len_in_bytes"), "%zx", &len);
        uint8_t out[1024], want[1024];
        CHECK(len <= sizeof out);
        long wl = ns_hex_decode(want, sizeof want, jstr(t, "uniform_bytes"));
        CHECK(wl == (long)len);
        CHECK(bls_expand_message_xmd(out, len, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst,
                                     strlen(dst)) == 0);
        CHECK_MSG(memcmp(out, want, len) == 0, "%s: expand_message_xmd test %zu (len %zu)", rel, i, len);
        n++;
    }
    CHECK(n == 10);
    json_decref(j);
}

static void test_suite_g1(const char *rel, int ro) {
    json_t *j = load(rel);
    if (!j) return;
    const char *dst = jstr(j, "dst");
    json_t *vecs = json_object_get(j, "vectors");
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(vecs, i, v) {
        const char *msg = jstr(v, "msg");
        json_t *uj = json_object_get(v, "u");
        bls_fp u[2], want;
        size_t cnt = ro ? 2 : 1;
        CHECK(bls_hash_to_fp(u, cnt, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)) == 0);
        for (size_t k = 0; k < cnt; k++) {
            CHECK(parse_fp(&want, json_string_value(json_array_get(uj, k))));
            CHECK_MSG(bls_fp_eq(&u[k], &want), "%s vector %zu: u[%zu]", rel, i, k);
        }
        bls_g1 q, p;
        if (ro) {
            bls_map_to_g1_var(&q, &u[0]);
            CHECK_MSG(g1_eq_affine_json(&q, json_object_get(v, "Q0")), "%s vector %zu: Q0", rel, i);
            bls_map_to_g1_var(&q, &u[1]);
            CHECK_MSG(g1_eq_affine_json(&q, json_object_get(v, "Q1")), "%s vector %zu: Q1", rel, i);
            CHECK(bls_hash_to_g1_var(&p, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)) == 0);
        } else {
            bls_map_to_g1_var(&q, &u[0]);
            CHECK_MSG(g1_eq_affine_json(&q, json_object_get(v, "Q")), "%s vector %zu: Q", rel, i);
            CHECK(bls_encode_to_g1_var(&p, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)) == 0);
        }
        CHECK_MSG(g1_eq_affine_json(&p, json_object_get(v, "P")), "%s vector %zu: P", rel, i);
        CHECK(bls_g1_in_subgroup_var(&p));
        n++;
    }
    CHECK(n == 5);
    json_decref(j);
}

static void test_suite_g2(const char *rel, int ro) {
    json_t *j = load(rel);
    if (!j) return;
    const char *dst = jstr(j, "dst");
    json_t *vecs = json_object_get(j, "vectors");
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(vecs, i, v) {
        const char *msg = jstr(v, "msg");
        json_t *uj = json_object_get(v, "u");
        bls_fp2 u[2], want;
        size_t cnt = ro ? 2 : 1;
        CHECK(bls_hash_to_fp2(u, cnt, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)) == 0);
        for (size_t k = 0; k < cnt; k++) {
            CHECK(parse_fp2(&want, json_string_value(json_array_get(uj, k))));
            CHECK_MSG(bls_fp2_eq(&u[k], &want), "%s vector %zu: u[%zu]", rel, i, k);
        }
        bls_g2 q, p;
        if (ro) {
            bls_map_to_g2_var(&q, &u[0]);
            CHECK_MSG(g2_eq_affine_json(&q, json_object_get(v, "Q0")), "%s vector %zu: Q0", rel, i);
            bls_map_to_g2_var(&q, &u[1]);
            CHECK_MSG(g2_eq_affine_json(&q, json_object_get(v, "Q1")), "%s vector %zu: Q1", rel, i);
            CHECK(bls_hash_to_g2_var(&p, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)) == 0);
        } else {
            bls_map_to_g2_var(&q, &u[0]);
            CHECK_MSG(g2_eq_affine_json(&q, json_object_get(v, "Q")), "%s vector %zu: Q", rel, i);
            CHECK(bls_encode_to_g2_var(&p, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)) == 0);
        }
        CHECK_MSG(g2_eq_affine_json(&p, json_object_get(v, "P")), "%s vector %zu: P", rel, i);
        CHECK(bls_g2_in_subgroup_var(&p));
        n++;
    }
    CHECK(n == 5);
    json_decref(j);
}

/* SSWU outputs on E' before the isogeny, for the RO vectors. */
static void test_sswu_intermediate(void) {
    json_t *j = load("research/vectors/drand/h2c_sswu_intermediate.json");
    if (!j) return;
    const char *d1 = jstr(j, "dst_g1"), *d2 = jstr(j, "dst_g2");
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(json_object_get(j, "g1"), i, v) {
        const char *msg = jstr(v, "msg");
        bls_fp u[2], x, y, wx, wy;
        CHECK(bls_hash_to_fp(u, 2, (const uint8_t *)msg, strlen(msg), (const uint8_t *)d1, strlen(d1)) == 0);
        for (int k = 0; k < 2; k++) {
            json_t *e = json_object_get(v, k ? "E_prime_1" : "E_prime_0");
            bls_sswu_g1_var(&x, &y, &u[k]);
            CHECK(parse_fp(&wx, jstr(e, "x")) && parse_fp(&wy, jstr(e, "y")));
            CHECK_MSG(bls_fp_eq(&x, &wx) && bls_fp_eq(&y, &wy), "sswu g1 vector %zu point %d", i, k);
            n++;
        }
    }
    json_array_foreach(json_object_get(j, "g2"), i, v) {
        const char *msg = jstr(v, "msg");
        bls_fp2 u[2], x, y, wx, wy;
        CHECK(bls_hash_to_fp2(u, 2, (const uint8_t *)msg, strlen(msg), (const uint8_t *)d2, strlen(d2)) == 0);
        for (int k = 0; k < 2; k++) {
            json_t *e = json_object_get(v, k ? "E_prime_1" : "E_prime_0");
            bls_sswu_g2_var(&x, &y, &u[k]);
            int ok = json_is_string(json_object_get(e, "x")) ? parse_fp2(&wx, jstr(e, "x")) && parse_fp2(&wy, jstr(e, "y"))
                                                              : 0;
            CHECK_MSG(ok, "sswu g2 vector %zu point %d: unparsable", i, k);
            CHECK_MSG(bls_fp2_eq(&x, &wx) && bls_fp2_eq(&y, &wy), "sswu g2 vector %zu point %d", i, k);
            n++;
        }
    }
    CHECK(n == 20);
    json_decref(j);
}

/* drand trace: every intermediate value for quicknet round 1 (G1) and
 * default round 2 (G2). */
static void test_drand_trace(void) {
    json_t *j = load("research/vectors/drand/drand_trace.json");
    if (!j) return;
    json_t *q = json_object_get(j, "quicknet_round_1");
    json_t *d = json_object_get(j, "default_round_2");
    uint8_t m[32], rb[8] = {0, 0, 0, 0, 0, 0, 0, 1}, want[128], got[256];
    const char *dst = jstr(q, "dst");

    /* quicknet: M = SHA-256(be64(1)) */
    ns_sha256(m, rb, 8);
    CHECK(ns_hex_decode(want, 32, jstr(q, "M_sha256_of_round_be64")) == 32 && memcmp(m, want, 32) == 0);
    CHECK(bls_expand_message_xmd(got, 128, m, 32, (const uint8_t *)dst, strlen(dst)) == 0);
    CHECK(ns_hex_decode(want, 128, jstr(q, "uniform_bytes_128")) == 128 && memcmp(got, want, 128) == 0);
    bls_fp u[2], w, x, y;
    CHECK(bls_hash_to_fp(u, 2, m, 32, (const uint8_t *)dst, strlen(dst)) == 0);
    CHECK(parse_fp(&w, jstr(q, "u0")) && bls_fp_eq(&w, &u[0]));
    CHECK(parse_fp(&w, jstr(q, "u1")) && bls_fp_eq(&w, &u[1]));
    for (int k = 0; k < 2; k++) {
        json_t *e = json_object_get(q, k ? "sswu_Eprime_1" : "sswu_Eprime_0");
        bls_sswu_g1_var(&x, &y, &u[k]);
        CHECK(parse_fp(&w, jstr(e, "x")) && bls_fp_eq(&w, &x));
        CHECK(parse_fp(&w, jstr(e, "y")) && bls_fp_eq(&w, &y));
        bls_g1 qk;
        bls_iso_map_g1_var(&qk, &x, &y);
        CHECK_MSG(g1_eq_affine_json(&qk, json_object_get(q, k ? "Q1" : "Q0")), "quicknet trace Q%d", k);
    }
    bls_g1 h1;
    bls_g1_affine a1;
    CHECK(bls_hash_to_g1_var(&h1, m, 32, (const uint8_t *)dst, strlen(dst)) == 0);
    CHECK_MSG(g1_eq_affine_json(&h1, json_object_get(q, "H_M_affine")), "quicknet round 1 H(M)");
    bls_g1_to_affine_var(&a1, &h1);
    bls_g1_to_compressed(got, &a1);
    CHECK(ns_hex_decode(want, 48, jstr(q, "H_M_compressed")) == 48 && memcmp(got, want, 48) == 0);

    /* default round 2: M = SHA-256(previous_signature || be64(2)) */
    dst = jstr(d, "dst");
    uint8_t pre[104];
    CHECK(ns_hex_decode(pre, 96, jstr(d, "previous_signature")) == 96);
    memset(pre + 96, 0, 8);
    pre[103] = 2;
    ns_sha256(m, pre, sizeof pre);
    CHECK(ns_hex_decode(want, 32, jstr(d, "M_sha256")) == 32 && memcmp(m, want, 32) == 0);
    CHECK(bls_expand_message_xmd(got, 256, m, 32, (const uint8_t *)dst, strlen(dst)) == 0);
    CHECK(ns_hex_decode(want, 128, jstr(d, "uniform_bytes_256")) == -1); /* 256 bytes: too long for cap */
    {
        uint8_t w256[256];
        CHECK(ns_hex_decode(w256, 256, jstr(d, "uniform_bytes_256")) == 256 && memcmp(got, w256, 256) == 0);
    }
    bls_fp2 u2[2], w2, x2, y2;
    CHECK(bls_hash_to_fp2(u2, 2, m, 32, (const uint8_t *)dst, strlen(dst)) == 0);
    CHECK(parse_fp2(&w2, jstr(d, "u0")) && bls_fp2_eq(&w2, &u2[0]));
    CHECK(parse_fp2(&w2, jstr(d, "u1")) && bls_fp2_eq(&w2, &u2[1]));
    for (int k = 0; k < 2; k++) {
        json_t *e = json_object_get(d, k ? "sswu_Eprime_1" : "sswu_Eprime_0");
        bls_sswu_g2_var(&x2, &y2, &u2[k]);
        CHECK(parse_fp2(&w2, jstr(e, "x")) && bls_fp2_eq(&w2, &x2));
        CHECK(parse_fp2(&w2, jstr(e, "y")) && bls_fp2_eq(&w2, &y2));
        bls_g2 qk;
        bls_iso_map_g2_var(&qk, &x2, &y2);
        CHECK_MSG(g2_eq_affine_json(&qk, json_object_get(d, k ? "Q1" : "Q0")), "default trace Q%d", k);
    }
    bls_g2 h2;
    bls_g2_affine a2;
    CHECK(bls_hash_to_g2_var(&h2, m, 32, (const uint8_t *)dst, strlen(dst)) == 0);
    CHECK_MSG(g2_eq_affine_json(&h2, json_object_get(d, "H_M_affine")), "default round 2 H(M)");
    bls_g2_to_affine_var(&a2, &h2);
    bls_g2_to_compressed(got, &a2);
    CHECK(ns_hex_decode(want, 96, jstr(d, "H_M_compressed")) == 96 && memcmp(got, want, 96) == 0);
    json_decref(j);
}

int main(void) {
    test_expand("research/vectors/rfc9380/expand_message_xmd_SHA256_38.json");
    test_expand("research/vectors/rfc9380/expand_message_xmd_SHA256_256.json");
    test_suite_g1("research/vectors/rfc9380/BLS12381G1_XMD-SHA-256_SSWU_RO_.json", 1);
    test_suite_g1("research/vectors/rfc9380/BLS12381G1_XMD-SHA-256_SSWU_NU_.json", 0);
    test_suite_g2("research/vectors/rfc9380/BLS12381G2_XMD-SHA-256_SSWU_RO_.json", 1);
    test_suite_g2("research/vectors/rfc9380/BLS12381G2_XMD-SHA-256_SSWU_NU_.json", 0);
    test_sswu_intermediate();
    test_drand_trace();
    /* length limits */
    uint8_t big[8];
    CHECK(bls_expand_message_xmd(big, 0, NULL, 0, (const uint8_t *)"x", 1) == -1);
    CHECK(bls_expand_message_xmd(big, 65536, NULL, 0, (const uint8_t *)"x", 1) == -1);
    CHECK(bls_expand_message_xmd(big, 255 * 32 + 1, NULL, 0, (const uint8_t *)"x", 1) == -1);
    return ns_test_report("bls12_381_h2c");
}
