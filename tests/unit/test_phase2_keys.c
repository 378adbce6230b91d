/* Phase-2 key derivation and curve helpers: the snarkjs beacon vector
 * (snarkjs 0.7.6 known answer: digest -> δ with the Montgomery quirk -> g1_s,
 * docs/snarkjs-formats.md "RNG"),
 * sameRatio, point loading/validation, batch multiplication over unaligned
 * LEM bytes against single constant-time multiplications. */
#include <stdlib.h>
#include <string.h>

#include "phase2/contribute.h"
#include "phase2/p2_curve.h"
#include "phase2/transcript.h"
#include "testutil.h"
#include "util/hex.h"

/* decimal string -> 4 little-endian limbs */
static void dec_to_limbs(uint64_t out[4], const char *s) {
    memset(out, 0, 4 * sizeof out[0]);
    for (; *s; s++) {
        unsigned __int128 carry = (unsigned)(*s - '0');
        for (int i = 0; i < 4; i++) {
            unsigned __int128 t = (unsigned __int128)out[i] * 10 + carry;
            out[i] = (uint64_t)t;
            carry = t >> 64;
        }
    }
}

static void fq_from_dec(bn254_fq *r, const char *s) {
    uint64_t l[4];
    uint8_t le[32];
    dec_to_limbs(l, s);
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 8; b++) le[8 * i + b] = (uint8_t)(l[i] >> (8 * b));
    bn254_fq_from_le(r, le);
}

static void test_beacon_vector(void) {
    uint8_t h[31], d[32];
    for (int i = 0; i < 31; i++) h[i] = (uint8_t)(i + 1);
    ns_p2_beacon_digest(d, h, sizeof h, 10);
    p2_rng rng;
    p2_rng_seed(&rng, d);
    bn254_fr delta;
    p2_fr_from_rng(&delta, &rng);
    /* the raw 32 bytes are v; the element is v * R^-1 */
    uint8_t lem[32], want_raw[32];
    bn254_fr_to_lem(lem, &delta);
    ns_hex_decode(want_raw, 32, "0c7e840d295d4bc14fde512048cb8af5b8873c9790d256b9637f368bd6756917");
    CHECK(memcmp(lem, want_raw, 32) == 0);
    uint64_t canon[4], want[4];
    bn254_fr_to_canonical(canon, &delta);
    dec_to_limbs(want, "245419528001706797440158906564465443062649850853982249214041232844358706575");
    CHECK(memcmp(canon, want, sizeof want) == 0);

    bn254_g1_affine g1s, exp;
    p2_g1_from_rng_var(&g1s, &rng);
    fq_from_dec(&exp.x, "4479198964310915047771313168227329308870517467537789003659707845470163506916");
    fq_from_dec(&exp.y, "15552833264422697478591749076681310391952599781681295170056107412410042822144");
    CHECK(bn254_fq_eq(&g1s.x, &exp.x) && bn254_fq_eq(&g1s.y, &exp.y));
    p2_rng_wipe(&rng);
}

static void test_hash_to_g2(void) {
    /* snarkjs 0.7.6 known answer: hashToG2(0x00..0x3f) */
    uint8_t h[64];
    for (int i = 0; i < 64; i++) h[i] = (uint8_t)i;
    bn254_g2_affine p;
    p2_hash_to_g2_var(&p, h);
    bn254_fq e;
    fq_from_dec(&e, "4331880802040179507408134841181032487087173600464364024802210002059667950604");
    CHECK(bn254_fq_eq(&p.x.c0, &e));
    fq_from_dec(&e, "4271516305872202364858900391755946161657037246250020514439168976697447665804");
    CHECK(bn254_fq_eq(&p.x.c1, &e));
    fq_from_dec(&e, "14194165528950986229237743759035044030322996258565805903348263410557850081640");
    CHECK(bn254_fq_eq(&p.y.c0, &e));
    fq_from_dec(&e, "3572495062036222432809855904167672718120072387698078762897023322348755581936");
    CHECK(bn254_fq_eq(&p.y.c1, &e));
    CHECK(bn254_g2_check_var(&p));
}

static void test_same_ratio_and_load(void) {
    bn254_g1_affine g1, a1, b1, zero1;
    bn254_g2_affine g2, a2, b2, zero2;
    bn254_fr k, k2;
    bn254_g1_affine_generator(&g1);
    bn254_g2_affine_generator(&g2);
    bn254_fr_from_u64(&k, 123456789);
    bn254_fr_from_u64(&k2, 987654321);
    p2_g1_mul(&a1, &g1, &k);
    p2_g2_mul(&a2, &g2, &k);
    p2_g1_mul(&b1, &g1, &k2);
    p2_g2_mul(&b2, &g2, &k2);
    CHECK(p2_same_ratio_var(&g1, &a1, &g2, &a2) == 1);
    CHECK(p2_same_ratio_var(&b1, &a1, &b2, &a2) == 1); /* a/b = k/k2 on both sides */
    CHECK(p2_same_ratio_var(&g1, &a1, &g2, &b2) == 0);
    memset(&zero1, 0, sizeof zero1);
    memset(&zero2, 0, sizeof zero2);
    CHECK(p2_same_ratio_var(&zero1, &zero1, &g2, &a2) == 0);
    CHECK(p2_same_ratio_var(&g1, &a1, &zero2, &zero2) == 0);

    uint8_t lem[128];
    bn254_g1_affine t1;
    bn254_g2_affine t2;
    p2_g1_store(lem, &a1);
    CHECK(p2_g1_load(&t1, lem) == 0 && bn254_fq_eq(&t1.x, &a1.x) && bn254_fq_eq(&t1.y, &a1.y));
    lem[40] ^= 1; /* off the curve */
    CHECK(p2_g1_load(&t1, lem) == -1);
    memset(lem, 0xff, 64); /* not canonical */
    CHECK(p2_g1_load(&t1, lem) == -1);
    memset(lem, 0, 64); /* identity */
    CHECK(p2_g1_load(&t1, lem) == 0 && bn254_g1_affine_is_infinity(&t1));
    p2_g2_store(lem, &a2);
    CHECK(p2_g2_load_var(&t2, lem) == 0 && bn254_fq2_eq(&t2.x, &a2.x));
    lem[100] ^= 1;
    CHECK(p2_g2_load_var(&t2, lem) == -1);
}

static void test_batch_mul(void) {
    enum { N = 37 };
    uint8_t *in = malloc(N * 64 + 3), *out = malloc(N * 64);
    bn254_g1_affine g1, p;
    bn254_fr k, s;
    bn254_g1_affine_generator(&g1);
    bn254_fr_from_u64(&k, 0xdeadbeefcafef00dULL);
    bn254_fr_sqr(&k, &k); /* a full-width scalar */
    for (int i = 0; i < N; i++) {
        bn254_fr_from_u64(&s, (uint64_t)i * 7919 + 1);
        p2_g1_mul(&p, &g1, &s);
        if (i == 5) memset(&p, 0, sizeof p); /* identity stays identity */
        p2_g1_store(in + 3 + 64 * i, &p);    /* deliberately unaligned */
    }
    p2_g1_batch_mul_lem(out, in + 3, N, &k, 2);
    int ok = 1;
    for (int i = 0; i < N; i++) {
        bn254_g1_affine q, r;
        uint8_t lem[64];
        p2_g1_load(&q, in + 3 + 64 * i);
        if (i == 5) {
            static const uint8_t zero[64];
            ok &= memcmp(out + 64 * i, zero, 64) == 0;
            continue;
        }
        p2_g1_mul(&r, &q, &k);
        p2_g1_store(lem, &r);
        ok &= memcmp(lem, out + 64 * i, 64) == 0;
    }
    CHECK(ok);
    free(in);
    free(out);
}

static void test_mix_entropy(void) {
    /* snarkjs getRandomRng: BLAKE2b-512(64 random bytes || UTF-8 entropy) */
    uint8_t rnd[64], seed[64], want[64], buf[64 + 6];
    ns_error err = {{0}};
    for (int i = 0; i < 64; i++) rnd[i] = (uint8_t)(200 - i);
    CHECK(ns_phase2_mix_entropy(seed, rnd, "h\xC3\xA9llo", &err) == 0);
    memcpy(buf, rnd, 64);
    memcpy(buf + 64, "h\xC3\xA9llo", 6);
    ns_blake2b512(want, buf, 64 + 6);
    CHECK(memcmp(seed, want, 64) == 0);
    CHECK(ns_phase2_mix_entropy(seed, rnd, NULL, &err) == 0);
    ns_blake2b512(want, rnd, 64);
    CHECK(memcmp(seed, want, 64) == 0);
    uint8_t a[64], b[64];
    CHECK(ns_phase2_random_seed(a, "x", &err) == 0 && ns_phase2_random_seed(b, "x", &err) == 0);
    CHECK(memcmp(a, b, 64) != 0); /* OS randomness is mixed in */
}

int main(void) {
    test_mix_entropy();
    test_beacon_vector();
    test_hash_to_g2();
    test_same_ratio_and_load();
    test_batch_mul();
    return ns_test_report("phase2_keys");
}
