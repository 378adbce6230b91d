/* ZCash/zkcrypto point encodings: the 1000-point zkcrypto serialization
 * files (record k = [k]G, compressed and uncompressed, G1 and G2) must
 * encode and decode exactly; the must-reject cases of point_encoding_cases.json
 * must fail with the right status; flag, canonicality, on-curve and
 * subgroup rules are exercised on derived negatives and random bytes. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve/bls12_381_group.h"
#include "testutil.h"
#include "util/hex.h"

static uint8_t *read_dat(const char *name, size_t want) {
    char rel[256];
    size_t len = 0;
    snprintf(rel, sizeof rel, "zkcrypto-serialization/%s", name);
    uint8_t *d = ns_test_read_file(ns_test_vector_path(rel), &len);
    CHECK_MSG(d != NULL && len == want, "%s: missing or wrong size (%zu)", name, len);
    if (d != NULL && len != want) {
        free(d);
        return NULL;
    }
    return d;
}

static int g1_aff_eq(const bls_g1_affine *a, const bls_g1_affine *b) {
    if (a->inf || b->inf) return a->inf == b->inf;
    return bls_fp_eq(&a->x, &b->x) && bls_fp_eq(&a->y, &b->y);
}

static int g2_aff_eq(const bls_g2_affine *a, const bls_g2_affine *b) {
    if (a->inf || b->inf) return a->inf == b->inf;
    return bls_fp2_eq(&a->x, &b->x) && bls_fp2_eq(&a->y, &b->y);
}

static void test_zkcrypto_g1(void) {
    uint8_t *c = read_dat("g1_compressed_valid_test_vectors.dat", 48000);
    uint8_t *u = read_dat("g1_uncompressed_valid_test_vectors.dat", 96000);
    if (!c || !u) goto out;
    bls_g1 g, p;
    bls_g1_generator(&g);
    bls_g1_set_infinity(&p);
    int bad = 0;
    for (int k = 0; k < 1000; k++) {
        bls_g1_affine a, d;
        uint8_t buf[96];
        bls_g1_to_affine_var(&a, &p);
        bls_g1_to_compressed(buf, &a);
        bad += memcmp(buf, c + 48 * k, 48) != 0;
        bls_g1_to_uncompressed(buf, &a);
        bad += memcmp(buf, u + 96 * k, 96) != 0;
        bad += bls_g1_from_compressed_var(&d, c + 48 * k) != BLS_OK || !g1_aff_eq(&d, &a);
        bad += bls_g1_from_uncompressed_var(&d, u + 96 * k) != BLS_OK || !g1_aff_eq(&d, &a);
        if (k == 999) {
            /* [999]G by scalar multiplication agrees with 999 additions */
            uint64_t s = 999;
            bls_g1 q;
            bls_g1_mul_var(&q, &g, &s, 1);
            CHECK(bls_g1_eq_var(&q, &p));
        }
        bls_g1_add_var(&p, &p, &g);
    }
    CHECK_MSG(bad == 0, "zkcrypto G1: %d mismatches", bad);
out:
    free(c);
    free(u);
}

static void test_zkcrypto_g2(void) {
    uint8_t *c = read_dat("g2_compressed_valid_test_vectors.dat", 96000);
    uint8_t *u = read_dat("g2_uncompressed_valid_test_vectors.dat", 192000);
    if (!c || !u) goto out;
    bls_g2 g, p;
    bls_g2_generator(&g);
    bls_g2_set_infinity(&p);
    int bad = 0;
    for (int k = 0; k < 1000; k++) {
        bls_g2_affine a, d;
        uint8_t buf[192];
        bls_g2_to_affine_var(&a, &p);
        bls_g2_to_compressed(buf, &a);
        bad += memcmp(buf, c + 96 * k, 96) != 0;
        bls_g2_to_uncompressed(buf, &a);
        bad += memcmp(buf, u + 192 * k, 192) != 0;
        bad += bls_g2_from_compressed_var(&d, c + 96 * k) != BLS_OK || !g2_aff_eq(&d, &a);
        bad += bls_g2_from_uncompressed_var(&d, u + 192 * k) != BLS_OK || !g2_aff_eq(&d, &a);
        if (k == 999) {
            uint64_t s = 999;
            bls_g2 q;
            bls_g2_mul_var(&q, &g, &s, 1);
            CHECK(bls_g2_eq_var(&q, &p));
        }
        bls_g2_add_var(&p, &p, &g);
    }
    CHECK_MSG(bad == 0, "zkcrypto G2: %d mismatches", bad);
out:
    free(c);
    free(u);
}

/* Expected decoder status for the cases of drand/point_encoding_cases.json (by group and name). */
static bls_status case_status(int g2, const char *name, const char *expect) {
    if (strcmp(expect, "valid") == 0 || strncmp(expect, "valid-encoding", 14) == 0) return BLS_OK;
    if (strncmp(name, "not_in_subgroup", 15) == 0) return BLS_NOT_IN_GROUP;
    if (strcmp(name, "x_not_on_curve") == 0 || strcmp(name, "generator_halves_swapped") == 0)
        return BLS_NOT_ON_CURVE;
    (void)g2;
    return BLS_BAD_ENCODING;
}

static void test_cases(void) {
    json_error_t e;
    json_t *j = json_load_file(ns_test_vector_path("drand/point_encoding_cases.json"), 0, &e);
    CHECK_MSG(j != NULL, "point_encoding_cases.json: %s", e.text);
    if (!j) return;
    int n = 0;
    for (int g2 = 0; g2 < 2; g2++) {
        size_t i;
        json_t *c;
        size_t want_len = g2 ? 96 : 48;
        json_array_foreach(json_object_get(j, g2 ? "g2_96_bytes" : "g1_48_bytes"), i, c) {
            const char *name = json_string_value(json_object_get(c, "name"));
            const char *expect = json_string_value(json_object_get(c, "expect"));
            uint8_t b[128], back[96];
            long len = ns_hex_decode(b, sizeof b, json_string_value(json_object_get(c, "hex")));
            n++;
            if (len != (long)want_len) { /* length errors never reach the fixed-size decoders */
                CHECK(strcmp(expect, "invalid") == 0);
                continue;
            }
            bls_status want = case_status(g2, name, expect), got;
            int inf = 0;
            if (g2) {
                bls_g2_affine a;
                got = bls_g2_from_compressed_var(&a, b);
                if (got == BLS_OK) {
                    inf = a.inf;
                    bls_g2_to_compressed(back, &a);
                    CHECK_MSG(memcmp(back, b, 96) == 0, "G2 %s: re-encoding differs", name);
                }
            } else {
                bls_g1_affine a;
                got = bls_g1_from_compressed_var(&a, b);
                if (got == BLS_OK) {
                    inf = a.inf;
                    bls_g1_to_compressed(back, &a);
                    CHECK_MSG(memcmp(back, b, 48) == 0, "G1 %s: re-encoding differs", name);
                }
            }
            CHECK_MSG(got == want, "G%d %s: got '%s', want '%s'", g2 + 1, name, bls_status_str(got),
                      bls_status_str(want));
            CHECK(inf == (strcmp(name, "identity") == 0));
        }
    }
    CHECK(n == 19);
    json_decref(j);
}

static void test_derived_negatives(void) {
    bls_g1 g;
    bls_g1_affine a, d;
    uint8_t c[48], u[96], t[96];
    bls_g1_generator(&g);
    bls_g1_to_affine_var(&a, &g);
    bls_g1_to_compressed(c, &a);
    bls_g1_to_uncompressed(u, &a);
    /* sign bit flipped: decodes to -G */
    memcpy(t, c, 48);
    t[0] ^= 0x20;
    CHECK(bls_g1_from_compressed_var(&d, t) == BLS_OK && bls_fp_eq(&d.x, &a.x) && !bls_fp_eq(&d.y, &a.y));
    /* x = k + p (k small) fits in 381 bits: non-canonical, whatever k */
    for (unsigned k = 0; k < 4; k++) {
        static const uint8_t P[48] = {0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6,
                                      0x43, 0x4b, 0xac, 0xd7, 0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf,
                                      0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24, 0x1e, 0xab, 0xff, 0xfe,
                                      0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab};
        uint8_t xb[96];
        memcpy(xb, P, 48);
        xb[47] = (uint8_t)(xb[47] + k);
        xb[0] |= 0x80;
        CHECK(bls_g1_from_compressed_var(&d, xb) == BLS_BAD_ENCODING);
        memcpy(xb, c, 48); /* G2: c1 = generator's, c0 = k + p */
        memcpy(t, P, 48);
        t[47] = (uint8_t)(t[47] + k);
        bls_g2_affine dd;
        uint8_t g2b[96];
        bls_g2 gg;
        bls_g2_generator(&gg);
        bls_g2_to_affine_var(&dd, &gg);
        bls_g2_to_compressed(g2b, &dd);
        memcpy(g2b + 48, t, 48);
        CHECK(bls_g2_from_compressed_var(&dd, g2b) == BLS_BAD_ENCODING);
    }
    /* compressed decoder rejects C = 0; uncompressed rejects C = 1 and S = 1 */
    memcpy(t, c, 48);
    t[0] &= 0x7f;
    CHECK(bls_g1_from_compressed_var(&d, t) == BLS_BAD_ENCODING);
    memcpy(t, u, 96);
    t[0] |= 0x80;
    CHECK(bls_g1_from_uncompressed_var(&d, t) == BLS_BAD_ENCODING);
    memcpy(t, u, 96);
    t[0] |= 0x20;
    CHECK(bls_g1_from_uncompressed_var(&d, t) == BLS_BAD_ENCODING);
    /* uncompressed with y changed: off the curve */
    memcpy(t, u, 96);
    t[95] ^= 1;
    CHECK(bls_g1_from_uncompressed_var(&d, t) == BLS_NOT_ON_CURVE);
    /* uncompressed identity with a stray bit */
    memset(t, 0, 96);
    t[0] = 0x40;
    CHECK(bls_g1_from_uncompressed_var(&d, t) == BLS_OK && d.inf);
    t[50] = 1;
    CHECK(bls_g1_from_uncompressed_var(&d, t) == BLS_BAD_ENCODING);

    /* G2: the same rules */
    bls_g2 g2;
    bls_g2_affine a2, d2;
    uint8_t c2[96], u2[192], t2[192];
    bls_g2_generator(&g2);
    bls_g2_to_affine_var(&a2, &g2);
    bls_g2_to_compressed(c2, &a2);
    bls_g2_to_uncompressed(u2, &a2);
    memcpy(t2, c2, 96);
    t2[0] ^= 0x20;
    CHECK(bls_g2_from_compressed_var(&d2, t2) == BLS_OK && bls_fp2_eq(&d2.x, &a2.x) && !bls_fp2_eq(&d2.y, &a2.y));
    memcpy(t2, c2, 96);
    t2[0] &= 0x7f;
    CHECK(bls_g2_from_compressed_var(&d2, t2) == BLS_BAD_ENCODING);
    memcpy(t2, u2, 192);
    t2[0] |= 0x20;
    CHECK(bls_g2_from_uncompressed_var(&d2, t2) == BLS_BAD_ENCODING);
    memcpy(t2, u2, 192);
    t2[191] ^= 1;
    CHECK(bls_g2_from_uncompressed_var(&d2, t2) == BLS_NOT_ON_CURVE);
    memcpy(t2, u2, 192);
    memset(t2 + 96, 0xff, 48); /* y.c1 >= p */
    CHECK(bls_g2_from_uncompressed_var(&d2, t2) == BLS_BAD_ENCODING);
}

/* Random compressed strings: whatever decodes must be on the curve, in the
 * group, and re-encode to the same bytes; the unchecked decoder finds
 * points outside the subgroup, which the checked one must reject. */
static void test_random(void) {
    int ok1 = 0, ok2 = 0, outside1 = 0, outside2 = 0;
    for (int it = 0; it < 300; it++) {
        uint8_t b[96], back[96];
        ns_test_rand_bytes(b, sizeof b);
        b[0] = (uint8_t)((b[0] & 0x3f) | 0x80);
        b[0] &= 0x9f; /* C = 1, I = 0, keep S random below */
        if (it & 1) b[0] |= 0x20;
        b[0] &= 0xbf;
        if ((b[0] & 0x1f) > 0x19) b[0] = (uint8_t)((b[0] & 0xe0) | 0x19); /* usually < p */
        b[48] = (uint8_t)(b[48] % 0x1a);
        bls_g1_affine a;
        bls_status s = bls_g1_from_compressed_unchecked_var(&a, b);
        if (s == BLS_OK) {
            CHECK(bls_g1_affine_on_curve_var(&a));
            bls_g1_to_compressed(back, &a);
            CHECK(memcmp(back, b, 48) == 0);
            bls_g1 j;
            bls_g1_from_affine(&j, &a);
            uint64_t r[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                             0x73eda753299d7d48ULL};
            bls_g1 t;
            bls_g1_mul_var(&t, &j, r, 4);
            int in = bls_g1_is_infinity(&t);
            CHECK(bls_g1_in_subgroup_var(&j) == in); /* fast check == [r]P == O */
            CHECK((bls_g1_from_compressed_var(&a, b) == BLS_OK) == in);
            outside1 += !in;
            ok1++;
        }
        bls_g2_affine a2;
        s = bls_g2_from_compressed_unchecked_var(&a2, b);
        if (s == BLS_OK) {
            CHECK(bls_g2_affine_on_curve_var(&a2));
            bls_g2_to_compressed(back, &a2);
            CHECK(memcmp(back, b, 96) == 0);
            bls_g2 j, t;
            bls_g2_from_affine(&j, &a2);
            uint64_t r[4] = {0xffffffff00000001ULL, 0x53bda402fffe5bfeULL, 0x3339d80809a1d805ULL,
                             0x73eda753299d7d48ULL};
            bls_g2_mul_var(&t, &j, r, 4);
            int in = bls_g2_is_infinity(&t);
            CHECK(bls_g2_in_subgroup_var(&j) == in);
            CHECK((bls_g2_from_compressed_var(&a2, b) == BLS_OK) == in);
            outside2 += !in;
            ok2++;
        }
    }
    printf("random encodings: G1 %d on curve (%d outside G1), G2 %d on curve (%d outside G2)\n", ok1, outside1,
           ok2, outside2);
    CHECK(ok1 > 50 && ok2 > 50 && outside1 > 40 && outside2 > 40);
}

int main(void) {
    test_zkcrypto_g1();
    test_zkcrypto_g2();
    test_cases();
    test_derived_negatives();
    test_random();
    return ns_test_report("bls12_381_encode");
}
