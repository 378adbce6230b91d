/* BN254 pairing: e(G1, G2) against the published value (snarkjs-phase2.md,
 * equal to @noble/curves), bilinearity, multi-pairing checks, infinity
 * inputs, and the fast final exponentiation against a plain
 * exponentiation by k (q^4 - q^2 + 1)/r. */
#include <string.h>

#include "curve/bn254.h"
#include "testutil.h"
#include "util/hex.h"

/* (q^4 - q^2 + 1) / r (Python big integers) */
static const uint64_t HARD_EXP[12] = {
    0xe81bb482ccdf42b1ULL, 0x5abf5cc4f49c36d4ULL, 0xf1154e7e1da014fdULL, 0xdcc7b44c87cdbacfULL,
    0xaaa441e3954bcf8aULL, 0x6b887d56d5095f23ULL, 0x79581e16f3fd90c6ULL, 0x3b1b1355d189227dULL,
    0x4e529a5861876f6bULL, 0x6c0eb522d5b12278ULL, 0x331ec15183177fafULL, 0x01baaa710b0759adULL};
/* k = 2x(6x^2 + 3x + 1), x = 4965661367192848881 */
static const uint64_t K_MULT[3] = {0x2e5d4e223ddedaf4ULL, 0x1ea96b02d9d9e38dULL, 0x3bec47df15e307c8ULL};

static void fq12_pow(bn254_fq12 *r, const bn254_fq12 *a, const uint64_t *e, int ebits) {
    bn254_fq12 acc, base = *a;
    bn254_fq12_one(&acc);
    for (int bit = ebits - 1; bit >= 0; bit--) {
        bn254_fq12_sqr(&acc, &acc);
        if ((e[bit / 64] >> (bit % 64)) & 1) bn254_fq12_mul(&acc, &acc, &base);
    }
    *r = acc;
}

static int fq_eq_hex(const bn254_fq *a, const char *hex) {
    uint8_t b[32], c[32];
    if (ns_hex_decode(b, 32, hex) != 32) return 0;
    bn254_fq_to_be(c, a);
    return memcmp(b, c, 32) == 0;
}

static void rand_scalar(bn254_fr *f, uint64_t k[4]) {
    uint8_t b[32];
    do {
        ns_test_rand_bytes(b, 32);
        b[31] &= 0x3f;
    } while (!bn254_fr_from_le(f, b));
    bn254_fr_to_canonical(k, f);
}

int main(void) {
    bn254_g1_affine p, pa;
    bn254_g2_affine q, qb;
    bn254_g1 pj;
    bn254_g2 qj;
    bn254_fq12 e, e2, t;
    bn254_g1_affine_generator(&p);
    bn254_g2_affine_generator(&q);
    bn254_g1_generator(&pj);
    bn254_g2_generator(&qj);

    /* known answer: e(G1, G2).c0.c0 */
    bn254_pairing_var(&e, &p, &q);
    CHECK(fq_eq_hex(&e.c0.c0.c0, "262b253feda94cfe0da01bde280a3ed6f87e5feb898578b55e1f63739d870e95"));
    CHECK(fq_eq_hex(&e.c0.c0.c1, "02e02d2cc795a2000a1b1f823879abbd397c4dea0918ed66b49d34b48efb8a4a"));
    CHECK(!bn254_fq12_is_one(&e));

    /* fast final exponentiation == plain exponentiation by k (q^4-q^2+1)/r */
    bn254_fq12 f, m;
    bn254_miller_loop_var(&f, &p, &q, 1);
    bn254_final_exp_easy_var(&m, &f);
    fq12_pow(&t, &m, HARD_EXP, 761);
    fq12_pow(&t, &t, K_MULT, 190);
    CHECK(bn254_fq12_eq(&t, &e));
    /* cyclotomic squaring == squaring on cyclotomic elements; e^r == 1 */
    bn254_fq12_cyclotomic_sqr(&t, &m);
    bn254_fq12_sqr(&e2, &m);
    CHECK(bn254_fq12_eq(&t, &e2));
    static const uint64_t R_ORDER[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                        0x30644e72e131a029ULL};
    fq12_pow(&t, &e, R_ORDER, 254);
    CHECK(bn254_fq12_is_one(&t));

    /* bilinearity: e(aP, bQ) == e(P, Q)^(ab) */
    for (int i = 0; i < 3; i++) {
        bn254_fr fa, fb, fab;
        uint64_t a[4], b[4], ab[4];
        rand_scalar(&fa, a);
        rand_scalar(&fb, b);
        bn254_fr_mul(&fab, &fa, &fb);
        bn254_fr_to_canonical(ab, &fab);
        bn254_g1 x;
        bn254_g2 y;
        bn254_g1_mul_var(&x, &pj, a);
        bn254_g2_mul_var(&y, &qj, b);
        bn254_g1_to_affine(&pa, &x);
        bn254_g2_to_affine(&qb, &y);
        bn254_pairing_var(&e2, &pa, &qb);
        fq12_pow(&t, &e, ab, 256);
        CHECK(bn254_fq12_eq(&e2, &t));
        /* e(aP, bQ) * e(-abP, Q) == 1 and e(aP, bQ) * e(abP, Q) != 1 */
        bn254_g1_affine pairs_p[3];
        bn254_g2_affine pairs_q[3];
        bn254_g1 z;
        bn254_g1_mul_var(&z, &pj, ab);
        pairs_p[0] = pa;
        pairs_q[0] = qb;
        bn254_g1_to_affine(&pairs_p[1], &z);
        pairs_q[1] = q;
        CHECK(!bn254_pairing_check_var(pairs_p, pairs_q, 2));
        bn254_g1_affine_neg(&pairs_p[1], &pairs_p[1]);
        CHECK(bn254_pairing_check_var(pairs_p, pairs_q, 2));
        /* an infinity pair contributes 1 */
        memset(&pairs_p[2], 0, sizeof pairs_p[2]);
        pairs_q[2] = q;
        CHECK(bn254_pairing_check_var(pairs_p, pairs_q, 3));
        pairs_p[2] = p;
        memset(&pairs_q[2], 0, sizeof pairs_q[2]);
        CHECK(bn254_pairing_check_var(pairs_p, pairs_q, 3));
        /* e(P, -Q) = e(P, Q)^-1 */
        bn254_g2_affine nq;
        bn254_g2_affine_neg(&nq, &qb);
        bn254_pairing_var(&t, &pa, &nq);
        bn254_fq12_mul(&t, &t, &e2);
        CHECK(bn254_fq12_is_one(&t));
    }
    bn254_g1_affine inf1;
    memset(&inf1, 0, sizeof inf1);
    bn254_pairing_var(&t, &inf1, &q);
    CHECK(bn254_fq12_is_one(&t));
    CHECK(bn254_pairing_check_var(&inf1, &q, 1));
    CHECK(bn254_pairing_check_var(NULL, NULL, 0));
    CHECK(!bn254_pairing_check_var(&p, &q, 1));
    /* more pairs than one shared Miller loop takes (8): e(P, Q)^19 e(-19P, Q)
     * == 1 over 20 pairs, and != 1 with one pair changed; the same with an
     * infinity pair in the second chunk */
    {
        bn254_g1_affine mp[20];
        bn254_g2_affine mq[20];
        bn254_g1 pj19;
        static const uint64_t k19[4] = {19, 0, 0, 0};
        bn254_g1 pjac;
        bn254_g1_from_affine(&pjac, &p);
        bn254_g1_mul_var(&pj19, &pjac, k19);
        for (int i = 0; i < 19; i++) {
            mp[i] = p;
            mq[i] = q;
        }
        bn254_g1_to_affine(&mp[19], &pj19);
        bn254_g1_affine_neg(&mp[19], &mp[19]);
        mq[19] = q;
        CHECK(bn254_pairing_check_var(mp, mq, 20));
        CHECK(!bn254_pairing_check_var(mp, mq, 19));
        bn254_g1_affine keep = mp[10];
        memset(&mp[10], 0, sizeof mp[10]);
        CHECK(!bn254_pairing_check_var(mp, mq, 20));
        mp[10] = keep;
        mq[19] = mq[0];
        bn254_g2_affine_neg(&mq[18], &mq[18]);
        CHECK(!bn254_pairing_check_var(mp, mq, 20));
    }
    return ns_test_report("bn254_pairing");
}
