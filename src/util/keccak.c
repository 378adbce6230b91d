/* Keccak-256: Keccak-f[1600] (24 rounds), rate 136 bytes, capacity 512,
 * padding 0x01 ... 0x80, output the first 32 bytes of the state with lanes
 * little-endian (The Keccak reference, version 3.0, and FIPS 202 section 3
 * for the step mappings; Ethereum's "keccak256" is this function). */
#include "util/keccak.h"

#include <string.h>

#define RATE 136

static const uint64_t RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rho offsets and the pi permutation, walked as one cycle starting at lane 1
 * (FIPS 202 3.2.2-3.2.3): lane PI[i] receives the previous lane rotated by
 * RHO[i]. */
static const unsigned RHO[24] = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                 27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
static const unsigned PI[24] = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

static inline uint64_t rotl(uint64_t x, unsigned n) { return (x << n) | (x >> (64 - n)); }

static void keccak_f1600(uint64_t a[25]) {
    for (int round = 0; round < 24; round++) {
        uint64_t c[5], t;
        /* theta */
        for (int x = 0; x < 5; x++) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; x++) {
            t = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) a[y + x] ^= t;
        }
        /* rho and pi */
        t = a[1];
        for (int i = 0; i < 24; i++) {
            uint64_t next = a[PI[i]];
            a[PI[i]] = rotl(t, RHO[i]);
            t = next;
        }
        /* chi */
        for (int y = 0; y < 25; y += 5) {
            for (int x = 0; x < 5; x++) c[x] = a[y + x];
            for (int x = 0; x < 5; x++) a[y + x] = c[x] ^ (~c[(x + 1) % 5] & c[(x + 2) % 5]);
        }
        /* iota */
        a[0] ^= RC[round];
    }
}

/* XOR one byte into the state at byte offset i of the block (lanes are
 * little-endian, whatever the host's byte order). */
static inline void xor_byte(uint64_t a[25], size_t i, uint8_t b) { a[i / 8] ^= (uint64_t)b << (8 * (i % 8)); }

void ns_keccak256_init(ns_keccak256_ctx *c) {
    memset(c->a, 0, sizeof c->a);
    c->pos = 0;
}

void ns_keccak256_update(ns_keccak256_ctx *c, const void *data, size_t n) {
    const uint8_t *p = data;
    while (n > 0) {
        if (c->pos == 0 && n >= RATE) {
            /* a whole block at once */
            for (size_t i = 0; i < RATE / 8; i++) {
                uint64_t w = 0;
                for (int k = 7; k >= 0; k--) w = (w << 8) | p[8 * i + (size_t)k];
                c->a[i] ^= w;
            }
            keccak_f1600(c->a);
            p += RATE;
            n -= RATE;
            continue;
        }
        xor_byte(c->a, c->pos++, *p++);
        n--;
        if (c->pos == RATE) {
            keccak_f1600(c->a);
            c->pos = 0;
        }
    }
}

void ns_keccak256_final(ns_keccak256_ctx *c, uint8_t out[NS_KECCAK256_LEN]) {
    xor_byte(c->a, c->pos, 0x01);
    xor_byte(c->a, RATE - 1, 0x80);
    keccak_f1600(c->a);
    for (size_t i = 0; i < NS_KECCAK256_LEN; i++) out[i] = (uint8_t)(c->a[i / 8] >> (8 * (i % 8)));
    memset(c, 0, sizeof *c);
}

void ns_keccak256(uint8_t out[NS_KECCAK256_LEN], const void *data, size_t n) {
    ns_keccak256_ctx c;
    ns_keccak256_init(&c);
    ns_keccak256_update(&c, data, n);
    ns_keccak256_final(&c, out);
}
