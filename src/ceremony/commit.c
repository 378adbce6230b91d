#include "ceremony/commit.h"

#include <string.h>

static size_t put_uint(uint8_t *o, uint8_t major, uint64_t v) {
    major <<= 5;
    if (v < 24) {
        o[0] = (uint8_t)(major | v);
        return 1;
    }
    if (v <= 0xff) {
        o[0] = major | 24;
        o[1] = (uint8_t)v;
        return 2;
    }
    if (v <= 0xffff) {
        o[0] = major | 25;
        o[1] = (uint8_t)(v >> 8);
        o[2] = (uint8_t)v;
        return 3;
    }
    o[0] = major | 26;
    for (int i = 0; i < 4; i++) o[1 + i] = (uint8_t)(v >> (24 - 8 * i));
    return 5;
}

static size_t put_bstr(uint8_t *o, const uint8_t *b, size_t n) {
    size_t k = put_uint(o, 2, n);
    memcpy(o + k, b, n);
    return k + n;
}

size_t ns_commitment_encode(uint8_t out[NS_COMMIT_MAX], const ns_commitment *c) {
    size_t n = 0;
    n += put_uint(out + n, 4, 8);
    n += put_uint(out + n, 0, NS_COMMIT_VERSION);
    n += put_bstr(out + n, c->cbundle, 64);
    n += put_bstr(out + n, c->r1cs, 64);
    n += put_bstr(out + n, c->ptau, 64);
    n += put_bstr(out + n, c->zkey0, 64);
    n += put_bstr(out + n, c->contrib, 64);
    n += put_bstr(out + n, c->chain, 32);
    n += put_uint(out + n, 0, c->margin);
    return n;
}

int ns_commitment_decode(ns_commitment *c, const uint8_t *in, size_t len, ns_error *err) {
    static const size_t FIXED = 1 + 1 + 5 * 66 + 34;
    if (len < FIXED + 1 || len > NS_COMMIT_MAX)
        return ns_error_set(err, "user_data: %zu bytes is not a ceremony commitment", len);
    memset(c, 0, sizeof *c);
    if (in[0] != 0x88 || in[1] != NS_COMMIT_VERSION)
        return ns_error_set(err, "user_data: not a version-%d ceremony commitment", NS_COMMIT_VERSION);
    size_t off = 2;
    uint8_t *dst[5] = {c->cbundle, c->r1cs, c->ptau, c->zkey0, c->contrib};
    for (int i = 0; i < 5; i++) {
        if (in[off] != 0x58 || in[off + 1] != 64)
            return ns_error_set(err, "user_data: field %d is not a 64-byte string", i + 1);
        memcpy(dst[i], in + off + 2, 64);
        off += 66;
    }
    if (in[off] != 0x58 || in[off + 1] != 32)
        return ns_error_set(err, "user_data: the drand chain hash is not a 32-byte string");
    memcpy(c->chain, in + off + 2, 32);
    off += 34;
    uint8_t hd = in[off];
    size_t need;
    uint64_t v = 0;
    if (hd < 24) {
        need = 1;
        v = hd;
    } else if (hd == 24) {
        need = 2;
    } else if (hd == 25) {
        need = 3;
    } else if (hd == 26) {
        need = 5;
    } else {
        return ns_error_set(err, "user_data: the margin is not a 32-bit unsigned integer");
    }
    if (len - off != need) return ns_error_set(err, "user_data: wrong length or trailing bytes");
    for (size_t i = 1; i < need; i++) v = (v << 8) | in[off + i];
    c->margin = (uint32_t)v;
    /* Only the shortest form is canonical. */
    uint8_t again[NS_COMMIT_MAX];
    if (ns_commitment_encode(again, c) != len || memcmp(again, in, len) != 0)
        return ns_error_set(err, "user_data: non-canonical encoding");
    return 0;
}
