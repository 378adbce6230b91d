/* Small helpers shared by the BN254 field and curve sources (not part of the
 * public contract). */
#ifndef NS_FF_BN254_INTERNAL_H
#define NS_FF_BN254_INTERNAL_H

#include <stdint.h>
#include <string.h>

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

/* out = the 32 bytes of in in reverse order (big- <-> little-endian). */
static inline void bn254_reverse32(uint8_t out[32], const uint8_t in[32]) {
    for (int i = 0; i < 32; i++) out[i] = in[31 - i];
}

/* The byte forms of a field f (fq or fr) with modulus description m,
 * written once: canonical little- and big-endian (range-checked and
 * converted without branching on the value), and LEM (the Montgomery
 * limbs as stored by snarkjs).  Needs bn254_<f>_to_canonical and a static
 * <f>_to_mont(bn254_<f> *r, const uint64_t a[4]) (a < modulus -> a R). */
#define BN254_FIELD_BYTES_IMPL(f, m)                                                                  \
    int bn254_##f##_from_le(bn254_##f *r, const uint8_t in[32]) {                                     \
        uint64_t t[4];                                                                                \
        bn254_load_le4(t, in);                                                                        \
        int ok = bn254_lt4(t, (m)->p);                                                                \
        f##_to_mont(r, t);                                                                            \
        return ok;                                                                                    \
    }                                                                                                 \
    void bn254_##f##_to_le(uint8_t out[32], const bn254_##f *a) {                                     \
        uint64_t c[4];                                                                                \
        bn254_##f##_to_canonical(c, a);                                                               \
        bn254_store_le4(out, c);                                                                      \
    }                                                                                                 \
    int bn254_##f##_from_be(bn254_##f *r, const uint8_t in[32]) {                                     \
        uint8_t le[32];                                                                               \
        bn254_reverse32(le, in);                                                                      \
        return bn254_##f##_from_le(r, le);                                                            \
    }                                                                                                 \
    void bn254_##f##_to_be(uint8_t out[32], const bn254_##f *a) {                                     \
        uint8_t le[32];                                                                               \
        bn254_##f##_to_le(le, a);                                                                     \
        bn254_reverse32(out, le);                                                                     \
    }                                                                                                 \
    int bn254_##f##_from_lem(bn254_##f *r, const uint8_t in[32]) {                                    \
        uint64_t t[4];                                                                                \
        bn254_load_le4(t, in);                                                                        \
        if (!bn254_lt4(t, (m)->p)) return 0;                                                          \
        memcpy(r->l, t, sizeof t);                                                                    \
        return 1;                                                                                     \
    }                                                                                                 \
    void bn254_##f##_to_lem(uint8_t out[32], const bn254_##f *a) { bn254_store_le4(out, a->l); }

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
