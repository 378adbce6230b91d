/* Tests for src/formats: the binfile container, r1cs, ptau and zkey readers
 * (valid files built in memory plus truncated / oversized / duplicated /
 * bad-magic variants), the writer round trip, the params TLV, encodings,
 * and a prepared test ptau made by tests/ptau.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve/bn254_encode.h"
#include "ff/bn254_field.h"
#include "formats/binfile.h"
#include "formats/encode.h"
#include "formats/hermez.h"
#include "formats/mpc_params.h"
#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "formats/zkey.h"
#include "curve/bn254.h"
#include "phase2/export_solidity.h"
#include "testutil.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/keccak.h"

static size_t begin_sec(ns_test_buf *x, uint32_t id) {
    ns_test_put32(x, id);
    ns_test_put64(x, 0);
    return x->n;
}
static void end_sec(ns_test_buf *x, size_t start) { ns_put_le64(x->b + start - 8, x->n - start); }

/* r1cs with 2 constraints over 4 wires (1 output, 1 public input, 1 private). */
static ns_test_buf make_r1cs(void) {
    ns_test_buf x = {0};
    ns_test_put(&x, "r1cs", 4);
    ns_test_put32(&x, 1);
    ns_test_put32(&x, 3);
    size_t s = begin_sec(&x, 1);
    ns_test_put32(&x, 32);
    ns_test_put(&x, bn254_r_le, 32);
    ns_test_put32(&x, 4); /* nWires */
    ns_test_put32(&x, 1); /* nOut */
    ns_test_put32(&x, 1); /* nPubIn */
    ns_test_put32(&x, 1); /* nPrvIn */
    ns_test_put64(&x, 4); /* nLabels */
    ns_test_put32(&x, 2); /* nConstraints */
    end_sec(&x, s);
    s = begin_sec(&x, 2);
    uint8_t one[32] = {1}, minus1[32];
    memcpy(minus1, bn254_r_le, 32);
    minus1[0] -= 1;
    for (int j = 0; j < 2; j++) {
        ns_test_put32(&x, 1); /* A: wire 2 */
        ns_test_put32(&x, 2);
        ns_test_put(&x, one, 32);
        ns_test_put32(&x, 1); /* B: wire 3 */
        ns_test_put32(&x, 3);
        ns_test_put(&x, minus1, 32);
        ns_test_put32(&x, 2); /* C: wires 1, 0 */
        ns_test_put32(&x, 1);
        ns_test_put(&x, one, 32);
        ns_test_put32(&x, 0);
        ns_test_put(&x, one, 32);
    }
    end_sec(&x, s);
    s = begin_sec(&x, 3); /* wire -> label map */
    for (int i = 0; i < 4; i++) ns_test_put64(&x, (uint64_t)i);
    end_sec(&x, s);
    return x;
}

static void test_binfile(void) {
    ns_error err;
    ns_binfile bf;
    ns_test_buf x = make_r1cs();
    CHECK(ns_binfile_parse(&bf, x.b, x.n, "t.r1cs", "r1cs", 1, &err) == 0);
    CHECK(bf.nsections == 3 && bf.norder == 3 && bf.order[0] == 1 && bf.order[2] == 3);
    CHECK(bf.end == x.n);
    const uint8_t *p;
    uint64_t n;
    CHECK(ns_binfile_get(&bf, 2, &p, &n, &err) == 0 && n == 2 * (3 * 4 + 4 * 36));
    CHECK(ns_binfile_get(&bf, 7, &p, &n, &err) == -1 && strstr(err.msg, "t.r1cs: missing section 7") != NULL);
    /* bad magic / version / truncation at every length */
    CHECK(ns_binfile_parse(&bf, x.b, x.n, "t.r1cs", "zkey", 1, &err) == -1 && strstr(err.msg, "bad magic"));
    x.b[4] = 2;
    CHECK(ns_binfile_parse(&bf, x.b, x.n, "t.r1cs", "r1cs", 1, &err) == -1 && strstr(err.msg, "version 2"));
    x.b[4] = 1;
    int all_fail = 1;
    for (size_t cut = 0; cut < x.n; cut++)
        if (ns_binfile_parse(&bf, x.b, cut, "t.r1cs", "r1cs", 1, &err) == 0) all_fail = 0;
    CHECK(all_fail);
    /* section size with the high 32 bits set (64-bit offsets) */
    ns_test_buf y = {0};
    ns_test_put(&y, x.b, x.n);
    ns_put_le32(y.b + 12 + 8, 1);
    CHECK(ns_binfile_parse(&bf, y.b, y.n, "t.r1cs", "r1cs", 1, &err) == -1 && strstr(err.msg, "past the end"));
    /* declared count larger than present */
    memcpy(y.b, x.b, x.n);
    ns_put_le32(y.b + 8, 4);
    CHECK(ns_binfile_parse(&bf, y.b, y.n, "t.r1cs", "r1cs", 1, &err) == -1 && strstr(err.msg, "truncated"));
    /* duplicate: append a second section 1 */
    y.n = 0;
    ns_test_put(&y, x.b, x.n);
    ns_put_le32(y.b + 8, 4);
    size_t s = begin_sec(&y, 1);
    ns_test_put32(&y, 0);
    end_sec(&y, s);
    CHECK(ns_binfile_parse(&bf, y.b, y.n, "t.r1cs", "r1cs", 1, &err) == 0);
    CHECK(ns_binfile_get(&bf, 1, &p, &n, &err) == -1 && strstr(err.msg, "section 1 duplicated"));
    CHECK(ns_binfile_get(&bf, 2, &p, &n, &err) == 0);
    ns_r1cs r;
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == -1 && strstr(err.msg, "duplicated"));
    free(x.b);
    free(y.b);
}

static void test_r1cs(void) {
    ns_error err;
    ns_r1cs r;
    ns_test_buf x = make_r1cs();
    CHECK(ns_r1cs_parse(&r, x.b, x.n, "t.r1cs", &err) == 0);
    CHECK(r.is_bn254 && r.nwires == 4 && r.nout == 1 && r.npubin == 1 && r.nprvin == 1 && r.nconstraints == 2);
    CHECK(ns_r1cs_npublic(&r) == 2);
    uint64_t t[3];
    CHECK(ns_r1cs_check(&r, t, &err) == 0 && t[0] == 2 && t[1] == 2 && t[2] == 4);
    ns_r1cs_iter it;
    ns_r1cs_lc abc[3];
    CHECK(ns_r1cs_iter_init(&it, &r, &err) == 0);
    CHECK(ns_r1cs_iter_next(&it, abc, &err) == 1 && abc[2].n == 2 && ns_r1cs_term_wire(&abc[2], 1) == 0);
    CHECK(ns_r1cs_iter_next(&it, abc, &err) == 1);
    CHECK(ns_r1cs_iter_next(&it, abc, &err) == 0);

    /* offsets: section 1 payload at 24; section 2 payload at 24+64+12 */
    const size_t s2 = 24 + 64 + 12;
    ns_test_buf y = {0};
    ns_test_put(&y, x.b, x.n);
    /* wire out of range */
    ns_put_le32(y.b + s2 + 4, 4);
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == 0);
    CHECK(ns_r1cs_check(&r, NULL, &err) == -1 && strstr(err.msg, "wire 4 out of range"));
    memcpy(y.b, x.b, x.n);
    /* coefficient == r */
    memcpy(y.b + s2 + 8, bn254_r_le, 32);
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == 0);
    CHECK(ns_r1cs_check(&r, NULL, &err) == -1 && strstr(err.msg, "not reduced"));
    memcpy(y.b, x.b, x.n);
    /* oversized LC count */
    ns_put_le32(y.b + s2, 0x7fffffff);
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == 0);
    CHECK(ns_r1cs_check(&r, NULL, &err) == -1 && strstr(err.msg, "truncated in constraint 0"));
    memcpy(y.b, x.b, x.n);
    /* oversized constraint count */
    ns_put_le32(y.b + 24 + 60, 0xffffffffu);
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == -1 && strstr(err.msg, "too short"));
    memcpy(y.b, x.b, x.n);
    /* fewer constraints declared than present -> trailing bytes */
    ns_put_le32(y.b + 24 + 60, 1);
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == 0);
    CHECK(ns_r1cs_check(&r, NULL, &err) == -1 && strstr(err.msg, "trailing"));
    memcpy(y.b, x.b, x.n);
    /* nWires too small for the declared inputs */
    ns_put_le32(y.b + 24 + 36, 2);
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == -1 && strstr(err.msg, "nWires"));
    memcpy(y.b, x.b, x.n);
    /* another prime: parse ok, iteration refused */
    y.b[24 + 4] ^= 1;
    CHECK(ns_r1cs_parse(&r, y.b, y.n, "t.r1cs", &err) == 0 && !r.is_bn254);
    CHECK(ns_r1cs_iter_init(&it, &r, &err) == -1 && strstr(err.msg, "not BN254"));
    free(x.b);
    free(y.b);

    /* domain rule: smallest power of two > m + nPub */
    CHECK(ns_groth16_domain_power(1, 1) == 2);   /* 2 -> 4 */
    CHECK(ns_groth16_domain_power(0, 0) == 1);
    CHECK(ns_groth16_domain_power(1000, 2) == 10); /* 1002 -> 1024 */
    CHECK(ns_groth16_domain_power(1022, 2) == 11); /* 1024 -> 2048 */
    CHECK(ns_groth16_domain_power(1021, 2) == 10); /* 1023 -> 1024 */
    CHECK(ns_groth16_domain_power(20000, 3) == 15);
}

static void test_params(void) {
    ns_error err;
    ns_mpc_params p;
    uint8_t enc[600];
    uint8_t bh[31];
    for (int i = 0; i < 31; i++) bh[i] = (uint8_t)(i + 1);
    ns_mpc_params in;
    memset(&in, 0, sizeof in);
    in.has_name = 1;
    in.name_len = 19;
    memcpy(in.name, "Final Beacon phase2", 20);
    in.has_exp = 1;
    in.num_iter_exp = 10;
    in.has_beacon_hash = 1;
    in.beacon_hash_len = 31;
    memcpy(in.beacon_hash, bh, 31);
    size_t n = ns_mpc_params_encode(enc, &in, 1);
    CHECK(n == 56); /* docs/snarkjs-formats.md, "Section 10" example */
    CHECK(enc[0] == 1 && enc[1] == 19 && enc[21] == 2 && enc[22] == 10 && enc[23] == 3 && enc[24] == 31);
    CHECK(ns_mpc_params_parse(&p, enc, (uint32_t)n, &err) == 0 && p.has_name && strcmp(p.name, "Final Beacon phase2") == 0);
    CHECK(p.has_exp && p.num_iter_exp == 10 && p.has_beacon_hash && p.beacon_hash_len == 31 && p.beacon_hash[30] == 31);
    memset(&in, 0, sizeof in);
    CHECK(ns_mpc_params_encode(enc, &in, 0) == 0);
    CHECK(ns_mpc_params_parse(&p, enc, 0, &err) == 0 && !p.has_name);
    uint8_t unsorted[] = {2, 10, 1, 1, 'a'};
    CHECK(ns_mpc_params_parse(&p, unsorted, sizeof unsorted, &err) == -1 && strstr(err.msg, "sorted"));
    uint8_t dup[] = {1, 1, 'a', 1, 1, 'b'};
    CHECK(ns_mpc_params_parse(&p, dup, sizeof dup, &err) == -1);
    uint8_t unknown[] = {4, 0};
    CHECK(ns_mpc_params_parse(&p, unknown, sizeof unknown, &err) == -1 && strstr(err.msg, "not recognized"));
    uint8_t trunc[] = {1, 5, 'a', 'b'};
    CHECK(ns_mpc_params_parse(&p, trunc, sizeof trunc, &err) == -1 && strstr(err.msg, "truncated"));
    uint8_t trunc2[] = {1, 0, 2};
    CHECK(ns_mpc_params_parse(&p, trunc2, sizeof trunc2, &err) == -1);

    /* name cut at 64 UTF-16 code units */
    char name[400], out[NS_MPC_NAME_MAX + 1];
    memset(name, 'x', 70);
    name[70] = 0;
    ns_mpc_name_normalize(out, name, strlen(name));
    CHECK(strlen(out) == 64);
    /* 63 ASCII + one astral char (2 units): the high surrogate alone -> U+FFFD */
    memset(name, 'y', 63);
    memcpy(name + 63, "\xf0\x9f\x98\x80", 5);
    ns_mpc_name_normalize(out, name, strlen(name));
    CHECK(strlen(out) == 66 && memcmp(out + 63, "\xef\xbf\xbd", 3) == 0);
    /* 62 ASCII + astral: fits exactly */
    ns_mpc_name_normalize(out, name + 1, strlen(name + 1));
    CHECK(strlen(out) == 66 && memcmp(out + 62, "\xf0\x9f\x98\x80", 4) == 0);

    char dec[3 * 256 + 1];
    ns_mpc_name_decode(dec, "ok\xff\xc3\xa9\xe2\x82", 7); /* invalid byte, "é", truncated sequence */
    CHECK(strcmp(dec, "ok\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd") == 0);
    ns_mpc_name_decode(dec, "", 0);
    CHECK(dec[0] == 0);

    char text[NS_MPC_HASH_TEXT];
    uint8_t h[64];
    for (int i = 0; i < 64; i++) h[i] = (uint8_t)i;
    ns_mpc_format_hash(text, h);
    CHECK(strncmp(text, "\t\t00010203 04050607 08090a0b 0c0d0e0f\n\t\t10111213", 48) == 0);
    CHECK(strlen(text) == NS_MPC_HASH_TEXT - 1);
}

static void test_encode(void) {
    /* the byte forms of the moduli */
    char dec[80];
    ns_le256_to_decimal(dec, bn254_q_le);
    CHECK(strcmp(dec, "21888242871839275222246405745257275088696311157297823662689037894645226208583") == 0);
    ns_le256_to_decimal(dec, bn254_r_le);
    CHECK(strcmp(dec, "21888242871839275222246405745257275088548364400416034343698204186575808495617") == 0);
    uint8_t z[32] = {0};
    ns_le256_to_decimal(dec, z);
    CHECK(strcmp(dec, "0") == 0);
    /* coef 1 -> R^2 mod r; inverse round trip */
    uint8_t one[32] = {1}, v[32], back[32];
    ns_fr_coef_to_zkey(v, one);
    ns_le256_to_decimal(dec, v);
    CHECK(strcmp(dec, "944936681149208446651664254269745548490766851729442924617792859073125903783") == 0);
    ns_fr_coef_from_zkey(back, v);
    CHECK(memcmp(back, one, 32) == 0);
    /* round trips of large coefficients (r - 1, r - 2^k, mixed bytes) */
    for (int k = 0; k < 8; k++) {
        uint8_t c[32];
        memcpy(c, bn254_r_le, 32);
        c[0] -= 1;
        c[(k * 4) % 31] &= (uint8_t)(0x5a + k); /* clearing bits keeps it below r */
        ns_fr_coef_to_zkey(v, c);
        ns_fr_coef_from_zkey(back, v);
        CHECK_MSG(memcmp(back, c, 32) == 0, "coef round trip %d", k);
    }
    /* LEM(1) = R mod q -> U = 1 */
    uint8_t lem[64] = {0}, u[64];
    for (int i = 0; i < 4; i++) ns_put_le64(lem + 8 * i, bn254_fq_mont.one[i]);
    memcpy(lem + 32, lem, 32);
    CHECK(bn254_g1_lem_to_u(u, lem) == BN254_ENC_OK);
    CHECK(u[31] == 1 && u[63] == 1 && u[0] == 0);
    memset(lem, 0, sizeof lem);
    CHECK(bn254_g1_lem_to_u(u, lem) == BN254_ENC_OK);
    CHECK(memcmp(u, lem, 64) == 0);
    /* a coordinate >= q is reported, and the output is the identity's */
    memcpy(lem, bn254_q_le, 32);
    CHECK(bn254_g1_lem_to_u(u, lem) == BN254_ENC_RANGE);
    memset(lem, 0, sizeof lem);
    CHECK(memcmp(u, lem, 64) == 0);
    /* element conversion: LEM(1) -> canonical 1 */
    for (int i = 0; i < 4; i++) ns_put_le64(lem + 8 * i, bn254_fq_mont.one[i]);
    uint8_t be[32];
    ns_fq_lem_to_be(be, lem);
    CHECK(be[31] == 1 && be[0] == 0);
}

static void test_hermez(void) {
    size_t n;
    const ns_hermez_ptau *t = ns_hermez_table(&n);
    CHECK(n == 21 && t[0].power == 8 && t[20].power == 28);
    CHECK(ns_hermez_by_power(7) == NULL && ns_hermez_by_power(29) == NULL);
    const ns_hermez_ptau *e = ns_hermez_by_power(28);
    CHECK(e && strcmp(e->file, "powersOfTau28_hez_final.ptau") == 0 && strncmp(e->b2sum, "55c77ce8", 8) == 0);
    CHECK(ns_hermez_by_hash(ns_hermez_by_power(12)->b2sum)->power == 12);
    CHECK(ns_hermez_for_domain(0) == ns_hermez_by_power(8) && ns_hermez_for_domain(8) == ns_hermez_by_power(8));
    CHECK(ns_hermez_for_domain(9) == ns_hermez_by_power(9) && ns_hermez_for_domain(28) == e);
    CHECK(ns_hermez_for_domain(29) == NULL && ns_hermez_for_domain(UINT32_MAX) == NULL);
    char url[256];
    ns_hermez_url(url, sizeof url, ns_hermez_by_power(9));
    CHECK(strcmp(url, "https://storage.googleapis.com/zkevm/ptau/powersOfTau28_hez_final_09.ptau") == 0);
    for (size_t i = 0; i < n; i++) CHECK(strlen(t[i].b2sum) == 128);
}

static uint8_t *read_fixture(unsigned power, size_t *len, char *path, size_t cap) {
    snprintf(path, cap, "%s", ns_test_ptau_path(power));
    return ns_test_read_file(path, len);
}

static void test_ptau_fixture(void) {
    char path[4096];
    size_t len;
    uint8_t *d = read_fixture(8, &len, path, sizeof path);
    CHECK_MSG(d != NULL, "cannot read %s", path);
    if (d == NULL) return;
    ns_error err;
    ns_ptau pt;
    CHECK(ns_ptau_parse(&pt, d, len, "pot08.ptau", &err) == 0);
    CHECK(pt.power == 8 && pt.ceremony_power == 8 && pt.prepared);
    CHECK(ns_ptau_check_sizes(&pt, &err) == 0);
    CHECK(len == 1152ull * 256 - 68 + pt.bf.sec[7].size); /* 1152 n - 68 + section 7 (docs/snarkjs-formats.md) */
    const uint8_t *p;
    CHECK(ns_ptau_lagrange(&pt, 12, 9, &p, &err) == 0);   /* 2^(power+1) block exists in 12 */
    CHECK(ns_ptau_lagrange(&pt, 13, 9, &p, &err) == -1);
    CHECK(ns_ptau_lagrange(&pt, 15, 8, &p, &err) == 0);
    CHECK(p == pt.bf.data + pt.bf.sec[15].offset + 255 * 64);
    CHECK(ns_ptau_points(&pt, 2, 0, 511, &p, &err) == 0);
    CHECK(ns_ptau_points(&pt, 2, 1, 511, &p, &err) == -1 && strstr(err.msg, "too short"));
    /* first tauG1 point is the generator (1, 2) in LEM */
    uint8_t u[64];
    CHECK(bn254_g1_lem_to_u(u, p) == BN254_ENC_OK);
    CHECK(u[31] == 1 && u[63] == 2);
    uint32_t nc;
    CHECK(ns_ptau_contrib_count(&pt, &nc, &err) == 0 && nc == 1);

    /* section 12 truncated: shrink its declared size (it is not last: 13..15 follow,
     * so rebuild a file that ends inside section 12 instead) */
    uint64_t off12 = pt.bf.sec[12].offset;
    uint8_t *t = malloc(len);
    memcpy(t, d, len);
    uint64_t newsize = 300 * 64; /* blocks up to 2^7 (255 points) fit, 2^8 needs 511 */
    ns_put_le64(t + off12 - 8, newsize);
    ns_put_le32(t + 8, 8); /* drop sections 13..15 from the count */
    ns_ptau tp;
    CHECK(ns_ptau_parse(&tp, t, off12 + newsize, "pot.ptau", &err) == 0);
    CHECK(ns_ptau_lagrange(&tp, 12, 7, &p, &err) == 0);
    CHECK(ns_ptau_lagrange(&tp, 12, 8, &p, &err) == -1 &&
          strcmp(err.msg, "pot.ptau: section 12 too short for domain 2^8") == 0);
    CHECK(ns_ptau_check_sizes(&tp, &err) == -1);
    /* not prepared */
    ns_put_le32(t + 8, 7);
    CHECK(ns_ptau_parse(&tp, t, off12 - 12, "pot.ptau", &err) == 0 && !tp.prepared);
    CHECK(ns_ptau_lagrange(&tp, 12, 4, &p, &err) == -1 && strstr(err.msg, "not prepared"));
    /* bad power, bad curve */
    memcpy(t, d, len);
    uint64_t h1 = pt.bf.sec[1].offset;
    ns_put_le32(t + h1 + 36, 29);
    CHECK(ns_ptau_parse(&tp, t, len, "pot.ptau", &err) == -1 && strstr(err.msg, "power 29"));
    memcpy(t, d, len);
    t[h1 + 4] ^= 1;
    CHECK(ns_ptau_parse(&tp, t, len, "pot.ptau", &err) == -1 && strstr(err.msg, "curve"));
    /* contribution count too large */
    memcpy(t, d, len);
    ns_put_le32(t + pt.bf.sec[7].offset, 1000);
    CHECK(ns_ptau_parse(&tp, t, len, "pot.ptau", &err) == 0);
    CHECK(ns_ptau_contrib_count(&tp, &nc, &err) == -1);
    free(t);
    free(d);
}

/* A minimal valid zkey with nVars 3, nPub 1, domain 4, built in memory. */
static ns_test_buf make_zkey(uint32_t ncontrib) {
    ns_test_buf x = {0};
    ns_test_put(&x, "zkey", 4);
    ns_test_put32(&x, 1);
    ns_test_put32(&x, 10);
    size_t s = begin_sec(&x, 1);
    ns_test_put32(&x, 1);
    end_sec(&x, s);
    s = begin_sec(&x, 2);
    ns_test_put32(&x, 32);
    ns_test_put(&x, bn254_q_le, 32);
    ns_test_put32(&x, 32);
    ns_test_put(&x, bn254_r_le, 32);
    ns_test_put32(&x, 3);
    ns_test_put32(&x, 1);
    ns_test_put32(&x, 4);
    uint8_t pts[576] = {0};
    ns_test_put(&x, pts, 576);
    end_sec(&x, s);
    static const uint32_t counts[] = {0, 0, 0, 2, 0, 3, 3, 3, 1, 4};
    for (uint32_t id = 3; id <= 9; id++) {
        s = begin_sec(&x, id);
        if (id == 4) {
            ns_test_put32(&x, 1);
            uint8_t rec[44] = {0};
            ns_test_put(&x, rec, 44);
        } else {
            uint32_t ps = id == 7 ? 128 : 64;
            for (uint32_t i = 0; i < counts[id]; i++) ns_test_put(&x, pts, ps);
        }
        end_sec(&x, s);
    }
    s = begin_sec(&x, 10);
    uint8_t cs[64];
    for (int i = 0; i < 64; i++) cs[i] = (uint8_t)(0xa0 + i);
    ns_test_put(&x, cs, 64);
    ns_test_put32(&x, ncontrib);
    for (uint32_t i = 0; i < ncontrib; i++) {
        uint8_t rec[384] = {0};
        ns_test_put(&x, rec, 384);
        ns_test_put32(&x, 0);
        uint8_t params[] = {1, 3, 'b', 'o', 'b'};
        ns_test_put32(&x, sizeof params);
        ns_test_put(&x, params, sizeof params);
    }
    end_sec(&x, s);
    return x;
}

static void test_zkey(void) {
    ns_error err;
    ns_zkey z;
    ns_zkey_mpc m;
    ns_test_buf x = make_zkey(2);
    CHECK(ns_zkey_parse(&z, x.b, x.n, "k.zkey", 2, &err) == 0);
    CHECK(z.h.nvars == 3 && z.h.npublic == 1 && z.h.domain_size == 4 && z.h.power == 2 && z.ncoefs == 1);
    CHECK(ns_zkey_mpc_parse(&m, &z, &err) == 0 && m.n == 2 && m.cs_hash[0] == 0xa0);
    CHECK(m.c[1].p.has_name && strcmp(m.c[1].p.name, "bob") == 0 && m.c[1].p.name_len == 3);
    ns_zkey_mpc_free(&m);
    /* every truncation fails cleanly */
    int all_fail = 1;
    for (size_t cut = 0; cut < x.n; cut++)
        if (ns_zkey_parse(&z, x.b, cut, "k.zkey", 2, &err) == 0 && ns_zkey_mpc_parse(&m, &z, &err) == 0) {
            all_fail = 0;
            ns_zkey_mpc_free(&m);
        }
    CHECK(all_fail);
    ns_test_buf y = {0};
    ns_test_put(&y, x.b, x.n);
    /* protocol plonk */
    ns_put_le32(y.b + 24, 2);
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == -1 && strstr(err.msg, "not groth16"));
    memcpy(y.b, x.b, x.n);
    /* header nVars inflated -> section size mismatch names the section */
    const size_t h = 24 + 4 + 12;
    ns_put_le32(y.b + h + 72, 4);
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == -1 &&
          strcmp(err.msg, "k.zkey: section 5 (A) has 192 bytes, expected 256") == 0);
    memcpy(y.b, x.b, x.n);
    ns_put_le32(y.b + h + 80, 6); /* domain not a power of two */
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == -1 && strstr(err.msg, "power of two"));
    memcpy(y.b, x.b, x.n);
    ns_put_le32(y.b + h + 76, 3); /* nPublic >= nVars */
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == -1);
    memcpy(y.b, x.b, x.n);
    ns_put_le32(y.b + 4, 3); /* version 3 */
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == -1);
    memcpy(y.b, x.b, x.n);
    /* contribution count larger than the section */
    uint64_t s10 = 0;
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == 0);
    s10 = z.bf.sec[10].offset;
    ns_put_le32(y.b + s10 + 64, 0x10000000);
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == 0);
    CHECK(ns_zkey_mpc_parse(&m, &z, &err) == -1 && strstr(err.msg, "do not fit"));
    memcpy(y.b, x.b, x.n);
    ns_put_le32(y.b + s10 + 64, 1); /* fewer than present -> trailing bytes */
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == 0);
    CHECK(ns_zkey_mpc_parse(&m, &z, &err) == -1 && strstr(err.msg, "trailing"));
    memcpy(y.b, x.b, x.n);
    y.b[s10 + 68 + 392] = 5; /* unknown param id */
    CHECK(ns_zkey_parse(&z, y.b, y.n, "k.zkey", 2, &err) == 0);
    CHECK(ns_zkey_mpc_parse(&m, &z, &err) == -1 && strstr(err.msg, "contribution 1") && strstr(err.msg, "not recognized"));

    /* writer round trip: re-emit the same key section by section (order 1..10) */
    CHECK(ns_zkey_parse(&z, x.b, x.n, "k.zkey", 2, &err) == 0 && ns_zkey_mpc_parse(&m, &z, &err) == 0);
    char tmpl[] = "/tmp/ns_test_formats_XXXXXX";
    char *dir = mkdtemp(tmpl);
    CHECK(dir != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/out.zkey", dir);
    ns_binwriter w;
    int ok = ns_binwriter_open(&w, path, "zkey", 1, 10, &err) == 0 && ns_zkey_write_protocol(&w, &err) == 0 &&
             ns_zkey_write_header(&w, &z.h, &err) == 0;
    for (uint32_t id = 3; ok && id <= 9; id++) ok = ns_binwriter_copy(&w, &z.bf, id, &err) == 0;
    uint8_t s10buf[1024];
    CHECK(ns_zkey_mpc_size(&m) <= sizeof s10buf);
    ns_zkey_mpc_serialize(s10buf, &m);
    ok = ok && ns_binwriter_begin(&w, 10, &err) == 0 && ns_binwriter_write(&w, s10buf, ns_zkey_mpc_size(&m), &err) == 0 &&
         ns_binwriter_end(&w, &err) == 0 && ns_binwriter_commit(&w, &err) == 0;
    CHECK_MSG(ok, "writer: %s", err.msg);
    size_t olen;
    uint8_t *o = ns_test_read_file(path, &olen);
    CHECK(o != NULL && olen == x.n && memcmp(o, x.b, x.n) == 0);
    free(o);
    /* an aborted writer leaves nothing */
    snprintf(path, sizeof path, "%s/aborted.zkey", dir);
    CHECK(ns_binwriter_open(&w, path, "zkey", 1, 10, &err) == 0 && ns_zkey_write_protocol(&w, &err) == 0);
    CHECK(ns_binwriter_commit(&w, &err) == -1 && strstr(err.msg, "1 of 10"));
    CHECK(access(path, F_OK) != 0);
    ns_zkey_mpc_free(&m);
    snprintf(path, sizeof path, "%s/out.zkey", dir);
    unlink(path);
    rmdir(dir);
    free(x.b);
    free(y.b);
}

/* The on-chain verifier (phase2/export_solidity.h) on make_zkey's key with
 * real points: alpha = G1 generator, beta = gamma = delta = G2 generator,
 * IC = [G1 generator, infinity].  The layout against docs/onchain.md; the
 * selectors against snarkjs's (keccak256 of the signature, @noble/hashes);
 * the prefix and source against contracts/ (NS_SOURCE). */
static void put_word_be(uint8_t out[32], const bn254_fq *a) { bn254_fq_to_be(out, a); }

static void test_export_solidity(void) {
    ns_error err;
    uint8_t sel[4];
    ns_verifier_selector(sel, 1);
    CHECK(memcmp(sel, "\x43\x75\x3b\x4d", 4) == 0);
    ns_verifier_selector(sel, 2);
    CHECK(memcmp(sel, "\xf5\xc9\xd6\x9e", 4) == 0);
    ns_verifier_selector(sel, 0);
    CHECK(memcmp(sel, "\x66\x68\xa9\xfa", 4) == 0);

    size_t plen, slen;
    const uint8_t *prefix = ns_verifier_prefix_code(&plen);
    const char *src = ns_verifier_source(&slen);
    const char *root = getenv("NS_SOURCE");
    if (root) {
        char p[4096];
        snprintf(p, sizeof p, "%s/contracts/Groth16Verifier.runtime.hex", root);
        size_t hl;
        char *hex = (char *)ns_test_read_file(p, &hl);
        CHECK(hex != NULL);
        if (hex) {
            while (hl > 0 && (hex[hl - 1] == '\n' || hex[hl - 1] == '\r')) hex[--hl] = 0;
            uint8_t *b = malloc(hl / 2 + 1);
            CHECK(b && ns_hex_decode(b, hl / 2, hex) == (long)plen && memcmp(b, prefix, plen) == 0);
            free(b);
        }
        free(hex);
        snprintf(p, sizeof p, "%s/contracts/Groth16Verifier.sol", root);
        size_t sl;
        uint8_t *sol = ns_test_read_file(p, &sl);
        CHECK(sol && sl == slen && memcmp(sol, src, slen) == 0);
        free(sol);
    }
    CHECK(ns_verifier_runtime_len(1) == plen + 32 * (14 + 4 + 1));

    ns_test_buf x = make_zkey(0);
    ns_zkey z;
    CHECK(ns_zkey_parse(&z, x.b, x.n, "k.zkey", 2, &err) == 0);
    bn254_g1_affine g1;
    bn254_g2_affine g2;
    bn254_g1_affine_generator(&g1);
    bn254_g2_affine_generator(&g2);
    memcpy(z.h.alpha1, &g1, 64);
    memcpy(z.h.beta2, &g2, 128);
    memcpy(z.h.gamma2, &g2, 128);
    memcpy(z.h.delta2, &g2, 128);
    uint64_t icsize;
    uint8_t *ic = (uint8_t *)ns_zkey_section(&z, 3, &icsize);
    CHECK(icsize == 128);
    memcpy(ic, &g1, 64);
    memset(ic + 64, 0, 64);
    uint8_t *code = NULL;
    size_t len = 0;
    CHECK(ns_verifier_runtime(&code, &len, &z, &err) == 0 && len == ns_verifier_runtime_len(1));
    if (code) {
        uint8_t want[32 * 19] = {0}, *w = want;
        put_word_be(w, &g1.x), put_word_be(w + 32, &g1.y);
        for (int i = 0; i < 3; i++) {
            uint8_t *q = w + 64 + 128 * i;
            put_word_be(q, &g2.x.c1), put_word_be(q + 32, &g2.x.c0);
            put_word_be(q + 64, &g2.y.c1), put_word_be(q + 96, &g2.y.c0);
        }
        put_word_be(w + 448, &g1.x), put_word_be(w + 480, &g1.y); /* IC[0]; IC[1] = infinity = zeros */
        memcpy(w + 576, "\x43\x75\x3b\x4d", 4);
        w[607] = 1;
        CHECK(memcmp(code, prefix, plen) == 0 && memcmp(code + plen, want, sizeof want) == 0);
        uint8_t *init = NULL;
        size_t ilen = 0;
        CHECK(ns_verifier_initcode(&init, &ilen, code, len, &err) == 0 && ilen == len + 13);
        if (init) {
            const uint8_t loader[13] = {0x62, 0, (uint8_t)(len >> 8), (uint8_t)len, 0x80, 0x60, 13,
                                        0x60, 0,  0x39, 0x60, 0, 0xf3};
            CHECK(memcmp(init, loader, 13) == 0 && memcmp(init + 13, code, len) == 0);
        }
        free(init);
    }
    free(code);
    char *abi = ns_verifier_abi_json(3);
    CHECK(abi && strstr(abi, "\"type\": \"uint256[3]\"") && strstr(abi, "\"name\": \"verifyProof\""));
    free(abi);
    /* invalid points are refused, naming the file and the point */
    g1.y.l[0] ^= 1;
    memcpy(ic + 64, &g1, 64);
    CHECK(ns_verifier_runtime(&code, &len, &z, &err) == -1 && strstr(err.msg, "k.zkey: section 3 (IC): point 1"));
    memset(ic + 64, 0, 64);
    memset(z.h.delta2, 0, 128);
    CHECK(ns_verifier_runtime(&code, &len, &z, &err) == -1 && strstr(err.msg, "delta2 is not a valid G2 point"));
    free(x.b);
}

int main(void) {
    test_binfile();
    test_r1cs();
    test_params();
    test_encode();
    test_hermez();
    test_ptau_fixture();
    test_zkey();
    test_export_solidity();
    return ns_test_report("formats");
}
