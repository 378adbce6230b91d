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
#include "test_bls_common.h"
#include "testutil.h"
#include "util/hash.h"
#include "util/hex.h"

/* "0xc0,0xc1" -> Fp2; 0 on NULL or a bad element */
static int parse_fp2(bls_fp2 *r, const char *s) {
    char buf[256];
    if (s == NULL) return 0;
    const char *comma = strchr(s, ',');
    if (comma == NULL || (size_t)(comma - s) >= sizeof buf) return 0;
    memcpy(buf, s, (size_t)(comma - s));
    buf[comma - s] = 0;
    return parse_fp(&r->c0, buf) && parse_fp(&r->c1, comma + 1);
}

/* Field elements and points of either group, so that one runner checks G1
 * (over Fp) and G2 (over Fp2).  An h2c_pair holds u0 and u1, or one
 * coordinate of two points; k picks the element. */
typedef union {
    bls_fp fp[2];
    bls_fp2 fp2[2];
} h2c_pair;
typedef union {
    bls_g1 g1;
    bls_g2 g2;
} h2c_point;

/* One group's hash-to-curve functions behind a common signature. */
typedef struct {
    const char *name;
    size_t compressed_len;
    int (*hash_to_field)(h2c_pair *u, size_t count, const uint8_t *msg, size_t msg_len, const char *dst);
    int (*parse)(h2c_pair *r, size_t k, const char *s);
    int (*eq)(const h2c_pair *a, const h2c_pair *b, size_t k);
    void (*sswu)(h2c_pair *x, h2c_pair *y, const h2c_pair *u, size_t k);
    void (*iso_map)(h2c_point *r, const h2c_pair *x, const h2c_pair *y, size_t k);
    void (*map_to_curve)(h2c_point *r, const h2c_pair *u, size_t k);
    /* hash_to_curve (ro = 1, _RO_) or encode_to_curve (ro = 0, _NU_) */
    int (*to_curve)(h2c_point *r, const uint8_t *msg, size_t msg_len, const char *dst, int ro);
    /* 1 iff p is the affine point {"x": ..., "y": ...} of o */
    int (*eq_affine_json)(const h2c_point *p, json_t *o);
    void (*to_compressed)(uint8_t *out, const h2c_point *p);
    int (*in_subgroup)(const h2c_point *p);
} h2c_group;

/* Defines h2c_<G>, the table of group G (g1, g2) over the field FE (fp, fp2)
 * with compressed points of CLEN bytes. */
#define H2C_GROUP(G, FE, CLEN)                                                                            \
    static int G##_hash_to_field(h2c_pair *u, size_t count, const uint8_t *msg, size_t msg_len,          \
                                 const char *dst) {                                                       \
        return bls_hash_to_##FE(u->FE, count, msg, msg_len, (const uint8_t *)dst, strlen(dst));           \
    }                                                                                                     \
    static int G##_parse(h2c_pair *r, size_t k, const char *s) { return parse_##FE(&r->FE[k], s); }       \
    static int G##_eq(const h2c_pair *a, const h2c_pair *b, size_t k) {                                   \
        return bls_##FE##_eq(&a->FE[k], &b->FE[k]);                                                       \
    }                                                                                                     \
    static void G##_sswu(h2c_pair *x, h2c_pair *y, const h2c_pair *u, size_t k) {                         \
        bls_sswu_##G##_var(&x->FE[k], &y->FE[k], &u->FE[k]);                                              \
    }                                                                                                     \
    static void G##_iso_map(h2c_point *r, const h2c_pair *x, const h2c_pair *y, size_t k) {               \
        bls_iso_map_##G##_var(&r->G, &x->FE[k], &y->FE[k]);                                               \
    }                                                                                                     \
    static void G##_map_to_curve(h2c_point *r, const h2c_pair *u, size_t k) {                             \
        bls_map_to_##G##_var(&r->G, &u->FE[k]);                                                           \
    }                                                                                                     \
    static int G##_to_curve(h2c_point *r, const uint8_t *msg, size_t msg_len, const char *dst, int ro) {  \
        const uint8_t *d = (const uint8_t *)dst;                                                          \
        return ro ? bls_hash_to_##G##_var(&r->G, msg, msg_len, d, strlen(dst))                            \
                  : bls_encode_to_##G##_var(&r->G, msg, msg_len, d, strlen(dst));                         \
    }                                                                                                     \
    static int G##_eq_affine_json(const h2c_point *p, json_t *o) {                                        \
        bls_##G##_affine a, want;                                                                         \
        bls_##G##_to_affine_var(&a, &p->G);                                                               \
        if (a.inf || !parse_##FE(&want.x, jstr(o, "x")) || !parse_##FE(&want.y, jstr(o, "y"))) return 0; \
        return bls_##FE##_eq(&a.x, &want.x) && bls_##FE##_eq(&a.y, &want.y);                              \
    }                                                                                                     \
    static void G##_to_compressed(uint8_t *out, const h2c_point *p) {                                     \
        bls_##G##_affine a;                                                                               \
        bls_##G##_to_affine_var(&a, &p->G);                                                               \
        bls_##G##_to_compressed(out, &a);                                                                 \
    }                                                                                                     \
    static int G##_in_subgroup(const h2c_point *p) { return bls_##G##_in_subgroup_var(&p->G); }           \
    static const h2c_group h2c_##G = {                                                                    \
        .name = #G, .compressed_len = CLEN, .hash_to_field = G##_hash_to_field, .parse = G##_parse,        \
        .eq = G##_eq, .sswu = G##_sswu, .iso_map = G##_iso_map, .map_to_curve = G##_map_to_curve,          \
        .to_curve = G##_to_curve, .eq_affine_json = G##_eq_affine_json,                                    \
        .to_compressed = G##_to_compressed, .in_subgroup = G##_in_subgroup}

H2C_GROUP(g1, fp, 48);
H2C_GROUP(g2, fp2, 96);

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

/* One RFC 9380 suite file of group g: u, Q0/Q1 (RO) or Q (NU), and P. */
static void test_suite(const h2c_group *g, const char *rel, int ro) {
    json_t *j = load(rel);
    if (!j) return;
    const char *dst = jstr(j, "dst");
    json_t *vecs = json_object_get(j, "vectors");
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(vecs, i, v) {
        const uint8_t *msg = (const uint8_t *)jstr(v, "msg");
        size_t msg_len = strlen((const char *)msg);
        json_t *uj = json_object_get(v, "u");
        h2c_pair u, want;
        size_t cnt = ro ? 2 : 1;
        CHECK(g->hash_to_field(&u, cnt, msg, msg_len, dst) == 0);
        for (size_t k = 0; k < cnt; k++) {
            CHECK(g->parse(&want, k, json_string_value(json_array_get(uj, k))));
            CHECK_MSG(g->eq(&u, &want, k), "%s vector %zu: u[%zu]", rel, i, k);
        }
        h2c_point q, p;
        for (size_t k = 0; k < cnt; k++) {
            const char *qname = ro ? (k ? "Q1" : "Q0") : "Q";
            g->map_to_curve(&q, &u, k);
            CHECK_MSG(g->eq_affine_json(&q, json_object_get(v, qname)), "%s vector %zu: %s", rel, i, qname);
        }
        CHECK(g->to_curve(&p, msg, msg_len, dst, ro) == 0);
        CHECK_MSG(g->eq_affine_json(&p, json_object_get(v, "P")), "%s vector %zu: P", rel, i);
        CHECK(g->in_subgroup(&p));
        n++;
    }
    CHECK(n == 5);
    json_decref(j);
}

/* SSWU outputs on E' before the isogeny for the RO vectors vecs of group g;
 * returns the number of points checked. */
static int check_sswu_points(const h2c_group *g, json_t *vecs, const char *dst) {
    size_t i;
    json_t *v;
    int n = 0;
    json_array_foreach(vecs, i, v) {
        const char *msg = jstr(v, "msg");
        h2c_pair u, x, y, wx, wy;
        CHECK(g->hash_to_field(&u, 2, (const uint8_t *)msg, strlen(msg), dst) == 0);
        for (size_t k = 0; k < 2; k++) {
            json_t *e = json_object_get(v, k ? "E_prime_1" : "E_prime_0");
            g->sswu(&x, &y, &u, k);
            int ok = json_is_string(json_object_get(e, "x")) && g->parse(&wx, k, jstr(e, "x")) &&
                     g->parse(&wy, k, jstr(e, "y"));
            CHECK_MSG(ok, "sswu %s vector %zu point %zu: unparsable", g->name, i, k);
            CHECK_MSG(ok && g->eq(&x, &wx, k) && g->eq(&y, &wy, k), "sswu %s vector %zu point %zu", g->name, i, k);
            n++;
        }
    }
    return n;
}

static void test_sswu_intermediate(void) {
    json_t *j = load("drand/h2c_sswu_intermediate.json");
    if (!j) return;
    int n = check_sswu_points(&h2c_g1, json_object_get(j, "g1"), jstr(j, "dst_g1"));
    n += check_sswu_points(&h2c_g2, json_object_get(j, "g2"), jstr(j, "dst_g2"));
    CHECK(n == 20);
    json_decref(j);
}

/* Every intermediate value of hash_to_curve(m) in group g against the trace
 * t: u0, u1, the SSWU points on E', their images Q0, Q1, and H(M) affine and
 * compressed. */
static void check_trace(const h2c_group *g, json_t *t, const uint8_t m[32], const char *dst, const char *label) {
    h2c_pair u, w, x, y;
    CHECK(g->hash_to_field(&u, 2, m, 32, dst) == 0);
    CHECK(g->parse(&w, 0, jstr(t, "u0")) && g->eq(&w, &u, 0));
    CHECK(g->parse(&w, 1, jstr(t, "u1")) && g->eq(&w, &u, 1));
    for (size_t k = 0; k < 2; k++) {
        json_t *e = json_object_get(t, k ? "sswu_Eprime_1" : "sswu_Eprime_0");
        g->sswu(&x, &y, &u, k);
        CHECK(g->parse(&w, k, jstr(e, "x")) && g->eq(&w, &x, k));
        CHECK(g->parse(&w, k, jstr(e, "y")) && g->eq(&w, &y, k));
        h2c_point qk;
        g->iso_map(&qk, &x, &y, k);
        CHECK_MSG(g->eq_affine_json(&qk, json_object_get(t, k ? "Q1" : "Q0")), "%s trace Q%zu", label, k);
    }
    h2c_point h;
    uint8_t got[96], want[96];
    size_t clen = g->compressed_len;
    CHECK(g->to_curve(&h, m, 32, dst, 1) == 0);
    CHECK_MSG(g->eq_affine_json(&h, json_object_get(t, "H_M_affine")), "%s H(M)", label);
    g->to_compressed(got, &h);
    CHECK(ns_hex_decode(want, clen, jstr(t, "H_M_compressed")) == (long)clen && memcmp(got, want, clen) == 0);
}

/* drand trace: every intermediate value for quicknet round 1 (G1) and
 * default round 2 (G2). */
static void test_drand_trace(void) {
    json_t *j = load("drand/drand_trace.json");
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
    check_trace(&h2c_g1, q, m, dst, "quicknet round 1");

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
    check_trace(&h2c_g2, d, m, dst, "default round 2");
    json_decref(j);
}

int main(void) {
    test_expand("rfc9380/expand_message_xmd_SHA256_38.json");
    test_expand("rfc9380/expand_message_xmd_SHA256_256.json");
    test_suite(&h2c_g1, "rfc9380/BLS12381G1_XMD-SHA-256_SSWU_RO_.json", 1);
    test_suite(&h2c_g1, "rfc9380/BLS12381G1_XMD-SHA-256_SSWU_NU_.json", 0);
    test_suite(&h2c_g2, "rfc9380/BLS12381G2_XMD-SHA-256_SSWU_RO_.json", 1);
    test_suite(&h2c_g2, "rfc9380/BLS12381G2_XMD-SHA-256_SSWU_NU_.json", 0);
    test_sswu_intermediate();
    test_drand_trace();
    /* length limits */
    uint8_t big[8];
    CHECK(bls_expand_message_xmd(big, 0, NULL, 0, (const uint8_t *)"x", 1) == -1);
    CHECK(bls_expand_message_xmd(big, 65536, NULL, 0, (const uint8_t *)"x", 1) == -1);
    CHECK(bls_expand_message_xmd(big, 255 * 32 + 1, NULL, 0, (const uint8_t *)"x", 1) == -1);
    return ns_test_report("bls12_381_h2c");
}
