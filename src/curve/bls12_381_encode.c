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

/* ---------------------------------------------------------------- G1 */

static bls_status g1_decompress(bls_g1_affine *r, const uint8_t in[48], int check_group) {
    uint8_t f = in[0];
    if (!(f & FLAG_C)) return BLS_BAD_ENCODING;
    if (f & FLAG_I) {
        if ((f & FLAG_S) || !rest_is_zero(in, 48)) return BLS_BAD_ENCODING;
        bls_fp_zero(&r->x);
        bls_fp_zero(&r->y);
        r->inf = 1;
        return BLS_OK;
    }
    bls_fp x, y, rhs, b;
    if (!read_fp(&x, in, 1)) return BLS_BAD_ENCODING;
    bls_fp_from_u64(&b, 4);
    bls_fp_sqr(&rhs, &x);
    bls_fp_mul(&rhs, &rhs, &x);
    bls_fp_add(&rhs, &rhs, &b);
    if (!bls_fp_sqrt_var(&y, &rhs)) return BLS_NOT_ON_CURVE;
    if (bls_fp_is_lex_largest(&y) != !!(f & FLAG_S)) bls_fp_neg(&y, &y);
    r->x = x;
    r->y = y;
    r->inf = 0;
    if (check_group) {
        bls_g1 j;
        bls_g1_from_affine(&j, r);
        if (!bls_g1_in_subgroup_var(&j)) return BLS_NOT_IN_GROUP;
    }
    return BLS_OK;
}

bls_status bls_g1_from_compressed_var(bls_g1_affine *r, const uint8_t in[48]) {
    return g1_decompress(r, in, 1);
}

bls_status bls_g1_from_compressed_unchecked_var(bls_g1_affine *r, const uint8_t in[48]) {
    return g1_decompress(r, in, 0);
}

bls_status bls_g1_from_uncompressed_var(bls_g1_affine *r, const uint8_t in[96]) {
    uint8_t f = in[0];
    if (f & (FLAG_C | FLAG_S)) return BLS_BAD_ENCODING;
    if (f & FLAG_I) {
        if (!rest_is_zero(in, 96)) return BLS_BAD_ENCODING;
        bls_fp_zero(&r->x);
        bls_fp_zero(&r->y);
        r->inf = 1;
        return BLS_OK;
    }
    bls_g1_affine a;
    if (!read_fp(&a.x, in, 1) || !read_fp(&a.y, in + 48, 0)) return BLS_BAD_ENCODING;
    a.inf = 0;
    if (!bls_g1_affine_on_curve_var(&a)) return BLS_NOT_ON_CURVE;
    bls_g1 j;
    bls_g1_from_affine(&j, &a);
    if (!bls_g1_in_subgroup_var(&j)) return BLS_NOT_IN_GROUP;
    *r = a;
    return BLS_OK;
}

void bls_g1_to_compressed(uint8_t out[48], const bls_g1_affine *a) {
    if (a->inf) {
        memset(out, 0, 48);
        out[0] = FLAG_C | FLAG_I;
        return;
    }
    bls_fp_to_be(out, &a->x);
    out[0] |= FLAG_C;
    if (bls_fp_is_lex_largest(&a->y)) out[0] |= FLAG_S;
}

void bls_g1_to_uncompressed(uint8_t out[96], const bls_g1_affine *a) {
    if (a->inf) {
        memset(out, 0, 96);
        out[0] = FLAG_I;
        return;
    }
    bls_fp_to_be(out, &a->x);
    bls_fp_to_be(out + 48, &a->y);
}

/* ---------------------------------------------------------------- G2 */

static int read_fp2(bls_fp2 *r, const uint8_t *in, int first) {
    return read_fp(&r->c1, in, first) && read_fp(&r->c0, in + 48, 0);
}

static void write_fp2(uint8_t *out, const bls_fp2 *a) {
    bls_fp_to_be(out, &a->c1);
    bls_fp_to_be(out + 48, &a->c0);
}

static bls_status g2_decompress(bls_g2_affine *r, const uint8_t in[96], int check_group) {
    uint8_t f = in[0];
    if (!(f & FLAG_C)) return BLS_BAD_ENCODING;
    if (f & FLAG_I) {
        if ((f & FLAG_S) || !rest_is_zero(in, 96)) return BLS_BAD_ENCODING;
        bls_fp2_zero(&r->x);
        bls_fp2_zero(&r->y);
        r->inf = 1;
        return BLS_OK;
    }
    bls_fp2 x, y, rhs, b;
    if (!read_fp2(&x, in, 1)) return BLS_BAD_ENCODING;
    bls_fp_from_u64(&b.c0, 4);
    b.c1 = b.c0;
    bls_fp2_sqr(&rhs, &x);
    bls_fp2_mul(&rhs, &rhs, &x);
    bls_fp2_add(&rhs, &rhs, &b);
    if (!bls_fp2_sqrt_var(&y, &rhs)) return BLS_NOT_ON_CURVE;
    if (bls_fp2_is_lex_largest(&y) != !!(f & FLAG_S)) bls_fp2_neg(&y, &y);
    r->x = x;
    r->y = y;
    r->inf = 0;
    if (check_group) {
        bls_g2 j;
        bls_g2_from_affine(&j, r);
        if (!bls_g2_in_subgroup_var(&j)) return BLS_NOT_IN_GROUP;
    }
    return BLS_OK;
}

bls_status bls_g2_from_compressed_var(bls_g2_affine *r, const uint8_t in[96]) {
    return g2_decompress(r, in, 1);
}

bls_status bls_g2_from_compressed_unchecked_var(bls_g2_affine *r, const uint8_t in[96]) {
    return g2_decompress(r, in, 0);
}

bls_status bls_g2_from_uncompressed_var(bls_g2_affine *r, const uint8_t in[192]) {
    uint8_t f = in[0];
    if (f & (FLAG_C | FLAG_S)) return BLS_BAD_ENCODING;
    if (f & FLAG_I) {
        if (!rest_is_zero(in, 192)) return BLS_BAD_ENCODING;
        bls_fp2_zero(&r->x);
        bls_fp2_zero(&r->y);
        r->inf = 1;
        return BLS_OK;
    }
    bls_g2_affine a;
    if (!read_fp2(&a.x, in, 1) || !read_fp2(&a.y, in + 96, 0)) return BLS_BAD_ENCODING;
    a.inf = 0;
    if (!bls_g2_affine_on_curve_var(&a)) return BLS_NOT_ON_CURVE;
    bls_g2 j;
    bls_g2_from_affine(&j, &a);
    if (!bls_g2_in_subgroup_var(&j)) return BLS_NOT_IN_GROUP;
    *r = a;
    return BLS_OK;
}

void bls_g2_to_compressed(uint8_t out[96], const bls_g2_affine *a) {
    if (a->inf) {
        memset(out, 0, 96);
        out[0] = FLAG_C | FLAG_I;
        return;
    }
    write_fp2(out, &a->x);
    out[0] |= FLAG_C;
    if (bls_fp2_is_lex_largest(&a->y)) out[0] |= FLAG_S;
}

void bls_g2_to_uncompressed(uint8_t out[192], const bls_g2_affine *a) {
    if (a->inf) {
        memset(out, 0, 192);
        out[0] = FLAG_I;
        return;
    }
    write_fp2(out, &a->x);
    write_fp2(out + 96, &a->y);
}
