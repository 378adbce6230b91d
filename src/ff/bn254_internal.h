/* Small helpers shared by the BN254 field and curve sources (not part of the
 * public contract). */
#ifndef NS_FF_BN254_INTERNAL_H
#define NS_FF_BN254_INTERNAL_H

#include <stdint.h>

static inline void bn254_load_le4(uint64_t t[4], const uint8_t in[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int j = 7; j >= 0; j--) w = (w << 8) | in[8 * i + j];
        t[i] = w;
    }
}

static inline void bn254_store_le4(uint8_t out[32], const uint64_t t[4]) {
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 8; j++) out[8 * i + j] = (uint8_t)(t[i] >> (8 * j));
}

/* 1 iff a < b as 256-bit integers (constant time). */
static inline int bn254_lt4(const uint64_t a[4], const uint64_t b[4]) {
    uint64_t bw = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)a[i] - b[i] - bw;
        bw = (uint64_t)(d >> 64) & 1;
    }
    return (int)bw;
}

#endif
