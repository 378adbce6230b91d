/* snarkjs encodings (LEM/U) and the ffjavascript RNG samplers, against the
 * known answers of ffjavascript 0.3 / snarkjs 0.7.6 (reproduced by an
 * independent Python model) plus negative cases for the validating readers. */
#include <string.h>

#include "curve/bn254_encode.h"
#include "curve/bn254_rng.h"
#include "testutil.h"
#include "util/hex.h"

static int fq_eq_hex(const bn254_fq *a, const char *hex) {
    uint8_t b[32], c[32];
    if (ns_hex_decode(b, 32, hex) != 32) return 0;
    bn254_fq_to_be(c, a);
    return memcmp(b, c, 32) == 0;
}

static void test_chacha(void) {
    const uint32_t seed[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    bn254_chacha c;
    bn254_chacha_init(&c, seed);
    CHECK(bn254_chacha_u32(&c) == 0xf225c81aU);
    CHECK(bn254_chacha_u32(&c) == 0x3f1b748eU);
    CHECK(bn254_chacha_u32(&c) == 0xa84158c6U);
    CHECK(bn254_chacha_u32(&c) == 0x9f3dd7e5U);
    /* u64 = high word first */
    bn254_chacha d;
    bn254_chacha_init(&d, seed);
    CHECK(bn254_chacha_u64(&d) == 0xf225c81a3f1b748eULL);
    /* hash seeding: big-endian words */
    uint8_t h[32];
    for (int i = 0; i < 8; i++) {
        h[4 * i] = 0;
        h[4 * i + 1] = 0;
        h[4 * i + 2] = 0;
        h[4 * i + 3] = (uint8_t)i;
    }
    bn254_chacha_init_hash(&d, h);
    CHECK(bn254_chacha_u32(&d) == 0xf225c81aU);
    /* block boundary: 16 words per block, then a different block */
    bn254_chacha_init(&d, seed);
    uint32_t first[16];
    for (int i = 0; i < 16; i++) first[i] = bn254_chacha_u32(&d);
    CHECK(bn254_chacha_u32(&d) != first[0]);
    CHECK(d.state[12] == 2);
}

static void test_beacon_vector(void) {
    uint8_t digest[32];
    CHECK(ns_hex_decode(digest, 32, "bbe43775a1c1572c6d505f6b80f9dcaec388c14b5f4bb3d4b0a59793c27e8721") == 32);
    bn254_chacha c;
    bn254_chacha_init_hash(&c, digest);
    bn254_fr delta;
    uint8_t raw[32], want_raw[32];
    bn254_fr_from_rng(&delta, &c, raw);
    CHECK(ns_hex_decode(want_raw, 32, "176975d68b367f63b956d290973c87b8f58acb482051de4fc14b5d290d847e0c") == 32);
    uint8_t raw_be[32];
    for (int i = 0; i < 32; i++) raw_be[i] = raw[31 - i];
    CHECK(memcmp(raw_be, want_raw, 32) == 0);
    uint8_t db[32], want_d[32];
    bn254_fr_to_be(db, &delta);
    CHECK(ns_hex_decode(want_d, 32, "008ae70c3a45c92ad9c63de72a10cfee1d05d61cf5472f4bd3fb38ac464c658f") == 32);
    CHECK(memcmp(db, want_d, 32) == 0);
    /* LEM bytes of delta are the raw sampler output */
    bn254_fr_to_lem(db, &delta);
    CHECK(memcmp(db, raw, 32) == 0);
    bn254_g1_affine s;
    bn254_g1_from_rng_var(&s, &c);
    CHECK(bn254_g1_check(&s));
    CHECK(fq_eq_hex(&s.x, "09e723037c59f6b75ebf248acceed5e6ede9379de88709fa8ee01b868c4316e4"));
    CHECK(fq_eq_hex(&s.y, "226297780cd50e09ce89df14e4471e6294ad2ec5188217ce6974709bf4322e00"));
}

static void test_hash_to_g2(void) {
    uint8_t h[64];
    for (int i = 0; i < 64; i++) h[i] = (uint8_t)i;
    bn254_g2_affine p;
    bn254_hash_to_g2_var(&p, h);
    CHECK(bn254_g2_check_var(&p));
    CHECK(fq_eq_hex(&p.x.c0, "0993c1f526542d4ea0f7960fe68c321263da35704524158f53a5ec1f6ae3cc0c"));
    CHECK(fq_eq_hex(&p.x.c1, "097197b18b86f218d43cf232ae11cb0318f9ff79c8315ba8cc3494ece86bd08c"));
    CHECK(fq_eq_hex(&p.y.c0, "1f619cecd6aebc1a35e6397979d76d2caa56e4cacbc10cd20d93cf715a0dd968"));
    CHECK(fq_eq_hex(&p.y.c1, "07e5f5e692f511f13c16f270392204a3e2ebf321f8b80f73d87faaea048b7bf0"));
}

static void test_encodings(void) {
    bn254_g1_affine g, t;
    bn254_g2_affine h, u;
    bn254_g1_affine_generator(&g);
    bn254_g2_affine_generator(&h);
    uint8_t b1[64], b2[128];
    /* G1 U of the generator: BE(1) || BE(2) */
    bn254_g1_to_u(b1, &g);
    for (int i = 0; i < 64; i++) CHECK(b1[i] == (i == 31 ? 1 : i == 63 ? 2 : 0));
    CHECK(bn254_g1_from_u(&t, b1) == BN254_ENC_OK && memcmp(&t, &g, sizeof g) == 0);
    /* G1 LEM is the in-memory layout; R mod q for x = 1 */
    bn254_g1_to_lem(b1, &g);
    CHECK(memcmp(b1, &g, 64) == 0);
    CHECK(b1[0] == 0x9d && b1[31] == 0x0e);
    CHECK(bn254_g1_from_lem(&t, b1) == BN254_ENC_OK && memcmp(&t, &g, sizeof g) == 0);
    /* G2 LEM starts with LEM(x.c0) = 2620bc02d1b5838e... (as in every snarkjs ptau) */
    bn254_g2_to_lem(b2, &h);
    uint8_t pre[20];
    CHECK(ns_hex_decode(pre, 20, "2620bc02d1b5838e72017b493519ebdcdf1a8197") == 20);
    CHECK(memcmp(b2, pre, 20) == 0);
    CHECK(bn254_g2_from_lem_var(&u, b2) == BN254_ENC_OK && memcmp(&u, &h, sizeof h) == 0);
    /* G2 U: BE(x.c1) first */
    bn254_g2_to_u(b2, &h);
    uint8_t xc1[32];
    bn254_fq_to_be(xc1, &h.x.c1);
    CHECK(memcmp(b2, xc1, 32) == 0);
    CHECK(bn254_g2_from_u_var(&u, b2) == BN254_ENC_OK && memcmp(&u, &h, sizeof h) == 0);
    /* infinity: all zero bytes both ways; 0x40 flag reads as infinity in U */
    bn254_g1_affine inf1;
    bn254_g2_affine inf2;
    memset(&inf1, 0, sizeof inf1);
    memset(&inf2, 0, sizeof inf2);
    bn254_g1_to_u(b1, &inf1);
    for (int i = 0; i < 64; i++) CHECK(b1[i] == 0);
    bn254_g2_to_lem(b2, &inf2);
    for (int i = 0; i < 128; i++) CHECK(b2[i] == 0);
    CHECK(bn254_g2_from_lem_var(&u, b2) == BN254_ENC_OK && bn254_g2_affine_is_infinity(&u));
    CHECK(bn254_g2_from_u_var(&u, b2) == BN254_ENC_OK && bn254_g2_affine_is_infinity(&u));
    memset(b1, 0xff, 64);
    b1[0] = 0x40;
    CHECK(bn254_g1_from_u(&t, b1) == BN254_ENC_OK && bn254_g1_affine_is_infinity(&t));
    memset(b2, 0x11, 128);
    b2[0] = 0x40;
    CHECK(bn254_g2_from_u_var(&u, b2) == BN254_ENC_OK && bn254_g2_affine_is_infinity(&u));
    /* negative cases: coordinate >= q, off curve, outside the subgroup */
    bn254_g1_to_lem(b1, &g);
    memcpy(b1, bn254_fq_mont.p, 32); /* x = q (little-endian host) */
    CHECK(bn254_g1_from_lem(&t, b1) == BN254_ENC_RANGE);
    bn254_g1_to_lem(b1, &g);
    b1[40] ^= 1;
    CHECK(bn254_g1_from_lem(&t, b1) == BN254_ENC_CURVE);
    CHECK(bn254_g1_from_lem_unchecked(&t, b1) == BN254_ENC_OK);
    bn254_g1_to_u(b1, &g);
    b1[0] = 0x30;
    b1[1] = 0x65; /* > q */
    CHECK(bn254_g1_from_u(&t, b1) == BN254_ENC_RANGE);
    bn254_g2_to_lem(b2, &h);
    b2[70] ^= 4;
    CHECK(bn254_g2_from_lem_var(&u, b2) == BN254_ENC_CURVE);
    /* a twist point of order != r: G2.fromRng before the cofactor, rebuilt here */
    bn254_chacha c;
    const uint32_t seed[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    bn254_chacha_init(&c, seed);
    bn254_g2_affine rp;
    bn254_g2_affine gen;
    bn254_g2_affine_generator(&gen);
    bn254_fq2 bb, y2;
    bn254_fq2_sqr(&bb, &gen.x);
    bn254_fq2_mul(&bb, &bb, &gen.x);
    bn254_fq2_sqr(&y2, &gen.y);
    bn254_fq2_sub(&bb, &y2, &bb);
    for (;;) {
        bn254_fq_from_rng(&rp.x.c0, &c);
        bn254_fq_from_rng(&rp.x.c1, &c);
        bn254_fq2 rhs;
        bn254_fq2_sqr(&rhs, &rp.x);
        bn254_fq2_mul(&rhs, &rhs, &rp.x);
        bn254_fq2_add(&rhs, &rhs, &bb);
        if (bn254_fq2_sqrt_var(&rp.y, &rhs)) break;
    }
    bn254_g2_to_lem(b2, &rp);
    CHECK(bn254_g2_from_lem_var(&u, b2) == BN254_ENC_SUBGROUP);
    CHECK(bn254_g2_from_lem_unchecked(&u, b2) == BN254_ENC_OK);
    bn254_g2_to_u(b2, &rp);
    CHECK(bn254_g2_from_u_var(&u, b2) == BN254_ENC_SUBGROUP);
    CHECK(strcmp(bn254_enc_strerror(BN254_ENC_SUBGROUP), "point not in the order-r subgroup") == 0);
}

/* Random and near-valid inputs: the readers never accept an invalid point
 * and agree with the separate range/curve/subgroup predicates. */
static void test_decode_random(int iters) {
    bn254_g1_affine g;
    bn254_g2_affine h;
    bn254_g1_affine_generator(&g);
    bn254_g2_affine_generator(&h);
    for (int i = 0; i < iters; i++) {
        uint8_t b1[64], b2[128];
        bn254_g1_affine p;
        bn254_g2_affine q;
        int mode = i % 3;
        if (mode == 0) { /* random bytes, top bits cleared so the range check passes often */
            ns_test_rand_bytes(b1, 64);
            b1[31] &= 0x1f;
            b1[63] &= 0x1f;
            ns_test_rand_bytes(b2, 128);
            for (int k = 31; k < 128; k += 32) b2[k] &= 0x1f;
        } else { /* a valid encoding with one random bit flipped */
            bn254_g1_to_lem(b1, &g);
            bn254_g2_to_lem(b2, &h);
            uint64_t r = ns_test_rand64();
            b1[r % 64] ^= (uint8_t)(1u << ((r >> 8) % 8));
            b2[(r >> 16) % 128] ^= (uint8_t)(1u << ((r >> 24) % 8));
        }
        int rc1 = bn254_g1_from_lem(&p, b1);
        if (rc1 == BN254_ENC_OK) CHECK(bn254_g1_affine_on_curve(&p));
        int rc2 = bn254_g2_from_lem_var(&q, b2);
        if (rc2 == BN254_ENC_OK) CHECK(bn254_g2_check_var(&q));
        CHECK(rc1 != BN254_ENC_SUBGROUP);
        if (mode == 2) { /* U readers on the same bytes */
            rc1 = bn254_g1_from_u(&p, b1);
            if (rc1 == BN254_ENC_OK) CHECK(bn254_g1_check(&p));
            rc2 = bn254_g2_from_u_var(&q, b2);
            if (rc2 == BN254_ENC_OK) CHECK(bn254_g2_check_var(&q));
        }
    }
}

int main(void) {
    test_decode_random(600);
    test_chacha();
    test_beacon_vector();
    test_hash_to_g2();
    test_encodings();
    return ns_test_report("bn254_encode_rng");
}
