/* ffjavascript's ChaCha20 RNG and the BN254 fromRng samplers (see bn254_rng.h). */
#include "curve/bn254_rng.h"

#include <string.h>

#include "util/wipe.h"

static inline uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

#define QR(s, a, b, c, d)                                                                                    \
    do {                                                                                                     \
        s[a] += s[b];                                                                                        \
        s[d] = rotl(s[d] ^ s[a], 16);                                                                        \
        s[c] += s[d];                                                                                        \
        s[b] = rotl(s[b] ^ s[c], 12);                                                                        \
        s[a] += s[b];                                                                                        \
        s[d] = rotl(s[d] ^ s[a], 8);                                                                         \
        s[c] += s[d];                                                                                        \
        s[b] = rotl(s[b] ^ s[c], 7);                                                                         \
    } while (0)

static void chacha_block(bn254_chacha *c) {
    uint32_t *x = c->buf;
    memcpy(x, c->state, sizeof c->buf);
    for (int i = 0; i < 10; i++) {
        QR(x, 0, 4, 8, 12);
        QR(x, 1, 5, 9, 13);
        QR(x, 2, 6, 10, 14);
        QR(x, 3, 7, 11, 15);
        QR(x, 0, 5, 10, 15);
        QR(x, 1, 6, 11, 12);
        QR(x, 2, 7, 8, 13);
        QR(x, 3, 4, 9, 14);
    }
    for (int i = 0; i < 16; i++) x[i] += c->state[i];
    c->idx = 0;
    /* 128-bit counter in words 12..15, branch-free carry */
    uint64_t carry = 1;
    for (int i = 12; i < 16; i++) {
        uint64_t s = (uint64_t)c->state[i] + carry;
        c->state[i] = (uint32_t)s;
        carry = s >> 32;
    }
}

void bn254_chacha_init(bn254_chacha *c, const uint32_t seed[8]) {
    static const uint32_t sigma[4] = {0x61707865, 0x3320646E, 0x79622D32, 0x6B206574};
    memcpy(c->state, sigma, sizeof sigma);
    memcpy(c->state + 4, seed, 8 * sizeof(uint32_t));
    memset(c->state + 12, 0, 4 * sizeof(uint32_t));
    memset(c->buf, 0, sizeof c->buf);
    c->idx = 16;
}

void bn254_chacha_init_hash(bn254_chacha *c, const uint8_t hash[32]) {
    uint32_t seed[8];
    for (int i = 0; i < 8; i++)
        seed[i] = ((uint32_t)hash[4 * i] << 24) | ((uint32_t)hash[4 * i + 1] << 16) |
                  ((uint32_t)hash[4 * i + 2] << 8) | (uint32_t)hash[4 * i + 3];
    bn254_chacha_init(c, seed);
    ns_wipe(seed, sizeof seed);
}

uint32_t bn254_chacha_u32(bn254_chacha *c) {
    if (c->idx == 16) chacha_block(c);
    return c->buf[c->idx++];
}

uint64_t bn254_chacha_u64(bn254_chacha *c) {
    uint64_t hi = bn254_chacha_u32(c);
    uint64_t lo = bn254_chacha_u32(c);
    return (hi << 32) | lo;
}

int bn254_chacha_bool(bn254_chacha *c) { return (int)(bn254_chacha_u32(c) & 1); }

void bn254_chacha_wipe(bn254_chacha *c) { ns_wipe(c, sizeof *c); }

/* v = 4 u64 (first least significant) masked to 254 bits, until v < p.
 * The result limbs are v itself (used as a Montgomery representation). */
static void sample_raw(uint64_t v[4], bn254_chacha *c, const uint64_t p[4]) {
    for (;;) {
        for (int i = 0; i < 4; i++) v[i] = bn254_chacha_u64(c);
        v[3] &= ((uint64_t)1 << 62) - 1;
        uint64_t bw = 0;
        for (int i = 0; i < 4; i++) {
            unsigned __int128 d = (unsigned __int128)v[i] - p[i] - bw;
            bw = (uint64_t)(d >> 64) & 1;
        }
        if (bw) return; /* v < p; the rejection outcome is independent of the accepted value */
    }
}

void bn254_fr_from_rng(bn254_fr *r, bn254_chacha *c, uint8_t raw_le[32]) {
    sample_raw(r->l, c, bn254_fr_mont.p);
    if (raw_le)
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 8; j++) raw_le[8 * i + j] = (uint8_t)(r->l[i] >> (8 * j));
}

void bn254_fq_from_rng(bn254_fq *r, bn254_chacha *c) { sample_raw(r->l, c, bn254_fq_mont.p); }

void bn254_g1_from_rng_var(bn254_g1_affine *r, bn254_chacha *c) {
    bn254_fq x, rhs, y, b;
    int greatest;
    bn254_fq_from_u64(&b, 3);
    for (;;) {
        bn254_fq_from_rng(&x, c);
        greatest = bn254_chacha_bool(c);
        bn254_fq_sqr(&rhs, &x);
        bn254_fq_mul(&rhs, &rhs, &x);
        bn254_fq_add(&rhs, &rhs, &b);
        if (bn254_fq_sqrt_var(&y, &rhs)) break;
    }
    if (greatest ^ bn254_fq_is_negative(&y)) bn254_fq_neg(&y, &y);
    r->x = x;
    r->y = y;
}

/* G2 cofactor 2q - r */
static const uint64_t G2_COFACTOR[4] = {0x345f2299c0f9fa8dULL, 0x06ceecda572a2489ULL, 0xb85045b68181585eULL,
                                        0x30644e72e131a029ULL};

void bn254_g2_from_rng_var(bn254_g2_affine *r, bn254_chacha *c) {
    bn254_fq2 x, rhs, y, b;
    int greatest;
    bn254_g2_affine gen;
    /* b' = y_G^2 - x_G^3 from the generator (avoids a second copy of the constant) */
    bn254_g2_affine_generator(&gen);
    bn254_fq2_sqr(&b, &gen.x);
    bn254_fq2_mul(&b, &b, &gen.x);
    bn254_fq2_sqr(&y, &gen.y);
    bn254_fq2_sub(&b, &y, &b);
    for (;;) {
        bn254_fq_from_rng(&x.c0, c);
        bn254_fq_from_rng(&x.c1, c);
        greatest = bn254_chacha_bool(c);
        bn254_fq2_sqr(&rhs, &x);
        bn254_fq2_mul(&rhs, &rhs, &x);
        bn254_fq2_add(&rhs, &rhs, &b);
        if (bn254_fq2_sqrt_var(&y, &rhs)) break;
    }
    if (greatest ^ bn254_fq2_is_negative(&y)) bn254_fq2_neg(&y, &y);
    bn254_g2 p;
    p.x = x;
    p.y = y;
    bn254_fq2_one(&p.z);
    bn254_g2_mul_var(&p, &p, G2_COFACTOR);
    bn254_g2_to_affine_var(r, &p);
}

void bn254_hash_to_g2_var(bn254_g2_affine *r, const uint8_t hash[32]) {
    bn254_chacha c;
    bn254_chacha_init_hash(&c, hash);
    bn254_g2_from_rng_var(r, &c);
    bn254_chacha_wipe(&c);
}
