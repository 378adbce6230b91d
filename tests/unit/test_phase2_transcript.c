/* zkey section 10: params TLV, parse/serialise, name normalisation, hashes,
 * formatHash, beacon argument rules and the beacon SHA-256 chain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254_encode.h"
#include "ff/bn254_field.h"
#include "phase2/transcript.h"
#include "testutil.h"
#include "util/hex.h"

static void hex_to(uint8_t *out, const char *hex) { ns_hex_decode(out, 4096, hex); }

/* Builds a record with identity points and the given params bytes. */
static size_t put_record(uint8_t *p, uint32_t type, const uint8_t *params, uint32_t plen, uint8_t tbyte) {
    memset(p, 0, NS_ZKEY_CONTRIB_FIXED);
    memset(p + 320, tbyte, 64); /* transcript */
    p[384] = (uint8_t)type;
    p[388] = (uint8_t)plen;
    p[389] = (uint8_t)(plen >> 8);
    if (plen > 0) memcpy(p + NS_ZKEY_CONTRIB_FIXED, params, plen);
    return NS_ZKEY_CONTRIB_FIXED + plen;
}

static void test_params_examples(void) {
    /* the two params lists of real snarkjs 0.7.6 runs */
    ns_zkey_contribution c;
    uint8_t out[NS_MPC_PARAMS_MAX];
    memset(&c, 0, sizeof c);
    c.p.has_name = 1;
    strcpy(c.p.name, "1st Contributor");
    c.p.name_len = 15;
    size_t n = ns_mpc_params_encode(out, &c.p, c.type == NS_ZKEY_TYPE_BEACON);
    CHECK(n == 17);
    CHECK(out[0] == 1 && out[1] == 15 && memcmp(out + 2, "1st Contributor", 15) == 0);

    memset(&c, 0, sizeof c);
    c.type = NS_ZKEY_TYPE_BEACON;
    c.p.has_name = 1;
    strcpy(c.p.name, "Final Beacon phase2");
    c.p.name_len = 19;
    c.p.has_exp = 1;
    c.p.num_iter_exp = 10;
    c.p.has_beacon_hash = 1;
    c.p.beacon_hash_len = 31;
    for (int i = 0; i < 31; i++) c.p.beacon_hash[i] = (uint8_t)(i + 1);
    n = ns_mpc_params_encode(out, &c.p, c.type == NS_ZKEY_TYPE_BEACON);
    CHECK(n == 56);
    CHECK(out[21] == 2 && out[22] == 10 && out[23] == 3 && out[24] == 31 && out[25] == 1 && out[55] == 31);

    /* beacon params are written only for type 1; empty name omitted */
    c.type = 0;
    c.p.name_len = 0;
    c.p.name[0] = 0;
    CHECK(ns_mpc_params_encode(out, &c.p, c.type == NS_ZKEY_TYPE_BEACON) == 0);
}

static void test_parse_roundtrip(void) {
    uint8_t sec[68 + 3 * (NS_ZKEY_CONTRIB_FIXED + 64)];
    uint8_t p1[] = {1, 5, 'a', 'l', 'i', 'c', 'e'};
    uint8_t p2[] = {1, 1, 'b', 2, 12, 3, 2, 0xab, 0xcd};
    memset(sec, 0x11, 64);
    sec[64] = 3;
    sec[65] = sec[66] = sec[67] = 0;
    size_t pos = 68;
    pos += put_record(sec + pos, 0, p1, sizeof p1, 0x21);
    pos += put_record(sec + pos, 1, p2, sizeof p2, 0x22);
    pos += put_record(sec + pos, 0, NULL, 0, 0x23);

    ns_zkey_mpc m;
    ns_error err = {{0}};
    CHECK(ns_zkey_mpc_parse_payload(&m, sec, pos, "t.zkey", &err) == 0);
    CHECK(m.n == 3);
    CHECK(m.c[0].p.has_name && strcmp(m.c[0].p.name, "alice") == 0 && m.c[0].type == 0);
    CHECK(m.c[1].type == 1 && m.c[1].p.has_exp && m.c[1].p.num_iter_exp == 12);
    CHECK(m.c[1].p.has_beacon_hash && m.c[1].p.beacon_hash_len == 2 && m.c[1].p.beacon_hash[1] == 0xcd);
    CHECK(!m.c[2].p.has_name && m.c[2].transcript[0] == 0x23);
    CHECK(ns_zkey_mpc_size(&m) == pos);
    uint8_t *again = malloc(pos);
    ns_zkey_mpc_serialize(again, &m);
    CHECK(memcmp(again, sec, pos) == 0);
    free(again);

    /* transcript prefix over zero points: H(csHash || 3 x (0^320 || transcript)) */
    ns_hash *h = ns_p2_transcript_prefix(&m, 2);
    uint8_t got[64], want[64], buf[64 + 2 * 384];
    ns_hash_final(h, got);
    ns_hash_free(h);
    memset(buf, 0x11, 64);
    memset(buf + 64, 0, 2 * 384);
    memset(buf + 64 + 320, 0x21, 64);
    memset(buf + 64 + 384 + 320, 0x22, 64);
    ns_blake2b512(want, buf, sizeof buf);
    CHECK(memcmp(got, want, 64) == 0);
    ns_zkey_contribution_hash(got, &m.c[0]);
    ns_blake2b512(want, buf + 64, 384);
    CHECK(memcmp(got, want, 64) == 0);
    ns_zkey_mpc_free(&m);

    /* malformed inputs */
    uint8_t bad[68 + NS_ZKEY_CONTRIB_FIXED + 8];
    memset(bad, 0, sizeof bad);
    bad[64] = 1;
    uint8_t unsorted[] = {2, 10, 1, 1, 'x'};
    size_t bl = 68 + put_record(bad + 68, 0, unsorted, sizeof unsorted, 0);
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl, "t.zkey", &err) == -1 && strstr(err.msg, "sorted") != NULL);
    uint8_t unknown[] = {4, 1};
    bl = 68 + put_record(bad + 68, 0, unknown, sizeof unknown, 0);
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl, "t.zkey", &err) == -1 && strstr(err.msg, "not recognized") != NULL);
    uint8_t overlong[] = {1, 9, 'x'};
    bl = 68 + put_record(bad + 68, 0, overlong, sizeof overlong, 0);
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl, "t.zkey", &err) == -1);
    bl = 68 + put_record(bad + 68, 0, NULL, 0, 0);
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl + 1, "t.zkey", &err) == -1 && strstr(err.msg, "trailing") != NULL);
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl - 1, "t.zkey", &err) == -1);
    bad[64] = 0xff;
    bad[65] = 0xff;
    bad[66] = 0xff;
    bad[67] = 0xff;
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl, "t.zkey", &err) == -1);
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, 67, "t.zkey", &err) == -1);
    /* exactly consumed with one record: ok */
    bad[64] = 1;
    bad[65] = bad[66] = bad[67] = 0;
    CHECK(ns_zkey_mpc_parse_payload(&m, bad, bl, "t.zkey", &err) == 0 && m.n == 1);
    ns_zkey_mpc_free(&m);
}

static void test_names(void) {
    char out[NS_MPC_NAME_MAX + 1];
    char in[300];
    CHECK(ns_mpc_name_normalize(out, "hello", 5) == 5 && strcmp(out, "hello") == 0);
    memset(in, 'a', 100);
    CHECK(ns_mpc_name_normalize(out, in, 100) == 64);
    /* 63 ASCII + U+1F600 (surrogate pair): the cut leaves a lone high surrogate -> U+FFFD */
    memset(in, 'b', 63);
    memcpy(in + 63, "\xF0\x9F\x98\x80", 4);
    size_t n = ns_mpc_name_normalize(out, in, 67);
    CHECK(n == 66 && memcmp(out + 63, "\xEF\xBF\xBD", 3) == 0);
    /* 62 ASCII + emoji fits exactly (64 units) */
    n = ns_mpc_name_normalize(out, in + 1, 66);
    CHECK(n == 66 && memcmp(out + 62, "\xF0\x9F\x98\x80", 4) == 0);
    /* é is one unit but two bytes */
    memset(in, 0, sizeof in);
    for (int i = 0; i < 70; i++) memcpy(in + 2 * i, "\xC3\xA9", 2);
    CHECK(ns_mpc_name_normalize(out, in, 140) == 128);
    /* invalid bytes -> U+FFFD each (WHATWG), BOM dropped */
    n = ns_mpc_name_normalize(out, "\xEF\xBB\xBFx\xFFy\xC3", 7);
    CHECK(n == 8 && memcmp(out, "x\xEF\xBF\xBDy\xEF\xBF\xBD", 8) == 0);
    /* truncated 3-byte sequence followed by ASCII: one U+FFFD, ASCII kept */
    n = ns_mpc_name_normalize(out, "\xE2\x82z", 3);
    CHECK(n == 4 && memcmp(out, "\xEF\xBF\xBDz", 4) == 0);
}

static void test_format_hash(void) {
    uint8_t h[64];
    for (int i = 0; i < 64; i++) h[i] = (uint8_t)i;
    FILE *f = tmpfile();
    ns_p2_format_hash(f, h, "Circuit Hash: ");
    rewind(f);
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    CHECK(strcmp(buf, "Circuit Hash: \n"
                      "\t\t00010203 04050607 08090a0b 0c0d0e0f\n"
                      "\t\t10111213 14151617 18191a1b 1c1d1e1f\n"
                      "\t\t20212223 24252627 28292a2b 2c2d2e2f\n"
                      "\t\t30313233 34353637 38393a3b 3c3d3e3f\n") == 0);
}

static void test_beacon(void) {
    uint8_t h[NS_P2_BEACON_HASH_MAX], d[32], want[32];
    size_t len = 0;
    unsigned e = 0;
    ns_error err = {{0}};
    CHECK(ns_p2_beacon_parse_hash(h, &len, "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
                                  &err) == 0 && len == 31);
    /* known answer: the digest snarkjs 0.7.6 seeds its RNG with for this beacon */
    ns_p2_beacon_digest(d, h, len, 10);
    hex_to(want, "bbe43775a1c1572c6d505f6b80f9dcaec388c14b5f4bb3d4b0a59793c27e8721");
    CHECK(memcmp(d, want, 32) == 0);
    CHECK(ns_p2_beacon_parse_hash(h, &len, "0x0102", &err) == -1);
    CHECK(ns_p2_beacon_parse_hash(h, &len, "012", &err) == -1);
    CHECK(ns_p2_beacon_parse_hash(h, &len, "", &err) == -1);
    CHECK(ns_p2_beacon_parse_hash(h, &len, "zz", &err) == -1);
    char big[2 * 256 + 1];
    memset(big, 'a', 2 * 255);
    big[2 * 255] = 0;
    CHECK(ns_p2_beacon_parse_hash(h, &len, big, &err) == 0 && len == 255);
    memset(big, 'a', 2 * 256);
    big[2 * 256] = 0;
    CHECK(ns_p2_beacon_parse_hash(h, &len, big, &err) == -1 && strstr(err.msg, "255") != NULL);
    CHECK(ns_p2_beacon_parse_exp(&e, "10", &err) == 0 && e == 10);
    CHECK(ns_p2_beacon_parse_exp(&e, "63", &err) == 0 && e == 63);
    CHECK(ns_p2_beacon_parse_exp(&e, "9", &err) == -1);
    CHECK(ns_p2_beacon_parse_exp(&e, "64", &err) == -1);
    CHECK(ns_p2_beacon_parse_exp(&e, "1x", &err) == -1);
    CHECK(ns_p2_beacon_parse_exp(&e, "", &err) == -1);
}

static void test_lem_to_u(void) {
    /* G1 generator (1, 2) in LEM -> U = BE(1) || BE(2) */
    bn254_fq one, two;
    uint8_t lem[64], u[64], want[64];
    bn254_fq_from_u64(&one, 1);
    bn254_fq_from_u64(&two, 2);
    bn254_fq_to_lem(lem, &one);
    bn254_fq_to_lem(lem + 32, &two);
    CHECK(bn254_g1_lem_to_u(u, lem) == 0);
    memset(want, 0, 64);
    want[31] = 1;
    want[63] = 2;
    CHECK(memcmp(u, want, 64) == 0);
    /* G2: coefficient order flips (c1 first) */
    uint8_t lem2[128], u2[128];
    memset(lem2, 0, sizeof lem2);
    bn254_fq_to_lem(lem2, &one);      /* x.c0 = 1 */
    bn254_fq_to_lem(lem2 + 96, &two); /* y.c1 = 2 */
    CHECK(bn254_g2_lem_to_u(u2, lem2) == 0);
    CHECK(u2[63] == 1 && u2[31] == 0 && u2[95] == 2 && u2[127] == 0);
    memset(lem, 0xff, 32); /* >= q */
    CHECK(bn254_g1_lem_to_u(u, lem) == -1);
}

static void test_hash_clone(void) {
    /* the verifier forks the running transcript hasher per contribution */
    ns_hash *a = ns_hash_new(NS_HASH_BLAKE2B512);
    ns_hash_update(a, "abc", 3);
    ns_hash *b = ns_hash_clone(a);
    CHECK(b != NULL);
    ns_hash_update(b, "def", 3);
    uint8_t ga[64], gb[64], wa[64], wb[64];
    ns_hash_final(a, ga);
    ns_hash_final(b, gb);
    ns_blake2b512(wa, "abc", 3);
    ns_blake2b512(wb, "abcdef", 6);
    CHECK(memcmp(ga, wa, 64) == 0 && memcmp(gb, wb, 64) == 0);
    ns_hash_free(a);
    ns_hash_free(b);
}

int main(void) {
    test_hash_clone();
    test_params_examples();
    test_parse_roundtrip();
    test_names();
    test_format_hash();
    test_beacon();
    test_lem_to_u();
    return ns_test_report("phase2_transcript");
}
