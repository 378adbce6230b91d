/* ZCash/zkcrypto point encodings for BLS12-381 (as used by drand, zkcrypto,
 * blst and noble).  Variable time: points are public. */
#include <string.h>

#include "curve/bls12_381_group.h"

#define FLAG_C 0x80
#define FLAG_I 0x40
#define FLAG_S 0x20

/* 1 iff every byte of in[0..n) is zero once the flag bits of in[0] are masked. */
static int rest_is_zero(const uint8_t *in, size_t n) {
    uint8_t acc = in[0] & 0x1f;
    for (size_t i = 1; i < n; i++) acc |= in[i];
    return acc == 0;
}

/* Reads a 48-byte big-endian coordinate, flags of the first byte masked when
 * `first`.  0 if the integer is >= p. */
static int read_fp(bls_fp *r, const uint8_t *in, int first) {
    uint8_t b[48];
    memcpy(b, in, 48);
    if (first) b[0] &= 0x1f;
    return bls_fp_from_be(r, b);
}

static void write_fp(uint8_t *out, const bls_fp *a) { bls_fp_to_be(out, a); }

/* Fp2 as c1 then c0. */
static int read_fp2(bls_fp2 *r, const uint8_t *in, int first) {
    return read_fp(&r->c1, in, first) && read_fp(&r->c0, in + 48, 0);
}

static void write_fp2(uint8_t *out, const bls_fp2 *a) {
    bls_fp_to_be(out, &a->c1);
    bls_fp_to_be(out + 48, &a->c0);
}

/* The curve constants b: 4 for G1, 4 (1 + u) for G2. */
static void g1_curve_b(bls_fp *b) { bls_fp_from_u64(b, 4); }

static void g2_curve_b(bls_fp2 *b) {
    bls_fp_from_u64(&b->c0, 4);
    b->c1 = b->c0;
}

/* The encodings of one group G over its coordinate field F (N bytes per
 * coordinate), written once for G1 (Fp, 48) and G2 (Fp2, 96). */
#define BLS_ENCODING_IMPL(G, F, N)                                                                    \
    static bls_status G##_decompress(bls_##G##_affine *r, const uint8_t in[N], int check_group) {     \
        uint8_t f = in[0];                                                                            \
        if (!(f & FLAG_C)) return BLS_BAD_ENCODING;                                                   \
        if (f & FLAG_I) {                                                                             \
            if ((f & FLAG_S) || !rest_is_zero(in, N)) return BLS_BAD_ENCODING;                        \
            bls_##F##_zero(&r->x);                                                                    \
            bls_##F##_zero(&r->y);                                                                    \
            r->inf = 1;                                                                               \
            return BLS_OK;                                                                            \
        }                                                                                             \
        bls_##F x, y, rhs, b;                                                                         \
        if (!read_##F(&x, in, 1)) return BLS_BAD_ENCODING;                                            \
        G##_curve_b(&b);                                                                              \
        bls_##F##_sqr(&rhs, &x);                                                                      \
        bls_##F##_mul(&rhs, &rhs, &x);                                                                \
        bls_##F##_add(&rhs, &rhs, &b);                                                                \
        if (!bls_##F##_sqrt_var(&y, &rhs)) return BLS_NOT_ON_CURVE;                                   \
        if (bls_##F##_is_lex_largest(&y) != !!(f & FLAG_S)) bls_##F##_neg(&y, &y);                    \
        r->x = x;                                                                                     \
        r->y = y;                                                                                     \
        r->inf = 0;                                                                                   \
        if (check_group) {                                                                            \
            bls_##G j;                                                                                \
            bls_##G##_from_affine(&j, r);                                                             \
            if (!bls_##G##_in_subgroup_var(&j)) return BLS_NOT_IN_GROUP;                              \
        }                                                                                             \
        return BLS_OK;                                                                                \
    }                                                                                                 \
                                                                                                      \
    bls_status bls_##G##_from_compressed_var(bls_##G##_affine *r, const uint8_t in[N]) {              \
        return G##_decompress(r, in, 1);                                                              \
    }                                                                                                 \
                                                                                                      \
    bls_status bls_##G##_from_compressed_unchecked_var(bls_##G##_affine *r, const uint8_t in[N]) {    \
        return G##_decompress(r, in, 0);                                                              \
    }                                                                                                 \
                                                                                                      \
    bls_status bls_##G##_from_uncompressed_var(bls_##G##_affine *r, const uint8_t in[2 * N]) {        \
        uint8_t f = in[0];                                                                            \
        if (f & (FLAG_C | FLAG_S)) return BLS_BAD_ENCODING;                                           \
        if (f & FLAG_I) {                                                                             \
            if (!rest_is_zero(in, 2 * N)) return BLS_BAD_ENCODING;                                   \
            bls_##F##_zero(&r->x);                                                                    \
            bls_##F##_zero(&r->y);                                                                    \
            r->inf = 1;                                                                               \
            return BLS_OK;                                                                            \
        }                                                                                             \
        bls_##G##_affine a;                                                                           \
        if (!read_##F(&a.x, in, 1) || !read_##F(&a.y, in + N, 0)) return BLS_BAD_ENCODING;           \
        a.inf = 0;                                                                                    \
        if (!bls_##G##_affine_on_curve_var(&a)) return BLS_NOT_ON_CURVE;                              \
        bls_##G j;                                                                                    \
        bls_##G##_from_affine(&j, &a);                                                                \
        if (!bls_##G##_in_subgroup_var(&j)) return BLS_NOT_IN_GROUP;                                  \
        *r = a;                                                                                       \
        return BLS_OK;                                                                                \
    }                                                                                                 \
                                                                                                      \
    void bls_##G##_to_compressed(uint8_t out[N], const bls_##G##_affine *a) {                         \
        if (a->inf) {                                                                                 \
            memset(out, 0, N);                                                                        \
            out[0] = FLAG_C | FLAG_I;                                                                 \
            return;                                                                                   \
        }                                                                                             \
        write_##F(out, &a->x);                                                                        \
        out[0] |= FLAG_C;                                                                             \
        if (bls_##F##_is_lex_largest(&a->y)) out[0] |= FLAG_S;                                        \
    }                                                                                                 \
                                                                                                      \
    void bls_##G##_to_uncompressed(uint8_t out[2 * N], const bls_##G##_affine *a) {                   \
        if (a->inf) {                                                                                 \
            memset(out, 0, 2 * N);                                                                    \
            out[0] = FLAG_I;                                                                          \
            return;                                                                                   \
        }                                                                                             \
        write_##F(out, &a->x);                                                                        \
        write_##F(out + N, &a->y);                                                                    \
    }

BLS_ENCODING_IMPL(g1, fp, 48)
BLS_ENCODING_IMPL(g2, fp2, 96)
