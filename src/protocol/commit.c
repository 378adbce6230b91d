#include "protocol/commit.h"

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

static size_t put_str(uint8_t *o, uint8_t major, const void *b, size_t n) {
    size_t k = put_uint(o, major, n);
    memcpy(o + k, b, n);
    return k + n;
}

int ns_circom_version_ok(const char *s) {
    size_t n = strnlen(s, NS_CIRCOM_VERSION_MAX + 1);
    if (n == 0 || n > NS_CIRCOM_VERSION_MAX) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 0x20 || s[i] > 0x7e) return 0;
    return 1;
}

size_t ns_commitment_encode(uint8_t out[NS_COMMIT_MAX], const ns_commitment *c) {
    if (!ns_circom_version_ok(c->circom_version)) return 0;
    size_t n = 0;
    n += put_uint(out + n, 4, 10);
    n += put_uint(out + n, 0, NS_COMMIT_VERSION);
    n += put_str(out + n, 2, c->cbundle, 64);
    n += put_str(out + n, 2, c->r1cs, 64);
    n += put_str(out + n, 2, c->ptau, 64);
    n += put_str(out + n, 2, c->zkey0, 64);
    n += put_str(out + n, 2, c->contrib, 64);
    n += put_str(out + n, 2, c->chain, 32);
    n += put_uint(out + n, 0, c->margin);
    n += put_str(out + n, 2, c->circom, 64);
    n += put_str(out + n, 3, c->circom_version, strlen(c->circom_version));
    return n;
}

typedef struct {
    const uint8_t *p;
    size_t len, off;
} cursor;

/* Reads a head of the given major type; the value must fit 32 bits. */
static int get_head(cursor *k, uint8_t major, uint64_t *v) {
    if (k->off >= k->len || (k->p[k->off] >> 5) != major) return -1;
    uint8_t ai = k->p[k->off] & 31;
    size_t need = ai < 24 ? 0 : ai == 24 ? 1 : ai == 25 ? 2 : ai == 26 ? 4 : 99;
    if (need == 99 || k->len - k->off - 1 < need) return -1;
    uint64_t x = ai < 24 ? ai : 0;
    for (size_t i = 0; i < need; i++) x = (x << 8) | k->p[k->off + 1 + i];
    k->off += 1 + need;
    *v = x;
    return 0;
}

static int get_fixed(cursor *k, uint8_t major, void *out, size_t n) {
    uint64_t L;
    if (get_head(k, major, &L) != 0 || L != n || k->len - k->off < n) return -1;
    memcpy(out, k->p + k->off, n);
    k->off += n;
    return 0;
}

int ns_commitment_decode(ns_commitment *c, const uint8_t *in, size_t len, ns_error *err) {
    memset(c, 0, sizeof *c);
    if (len > NS_COMMIT_MAX) return ns_error_set(err, "user_data: %zu bytes is not a ceremony commitment", len);
    cursor k = {in, len, 0};
    uint64_t v;
    if (get_head(&k, 4, &v) != 0 || v != 10 || get_head(&k, 0, &v) != 0 || v != NS_COMMIT_VERSION)
        return ns_error_set(err, "user_data: not a version-%d ceremony commitment", NS_COMMIT_VERSION);
    uint8_t *dst[5] = {c->cbundle, c->r1cs, c->ptau, c->zkey0, c->contrib};
    for (int i = 0; i < 5; i++)
        if (get_fixed(&k, 2, dst[i], 64) != 0)
            return ns_error_set(err, "user_data: field %d is not a 64-byte string", i + 1);
    if (get_fixed(&k, 2, c->chain, 32) != 0)
        return ns_error_set(err, "user_data: the drand chain hash is not a 32-byte string");
    if (get_head(&k, 0, &v) != 0) return ns_error_set(err, "user_data: the margin is not a 32-bit unsigned integer");
    c->margin = (uint32_t)v;
    if (get_fixed(&k, 2, c->circom, 64) != 0)
        return ns_error_set(err, "user_data: the circom program hash is not a 64-byte string");
    uint64_t L;
    if (get_head(&k, 3, &L) != 0 || L == 0 || L > NS_CIRCOM_VERSION_MAX || len - k.off != L)
        return ns_error_set(err, "user_data: bad circom version string, wrong length or trailing bytes");
    memcpy(c->circom_version, in + k.off, L);
    c->circom_version[L] = 0;
    if (!ns_circom_version_ok(c->circom_version))
        return ns_error_set(err, "user_data: the circom version is not printable ASCII");
    /* Only the shortest form is canonical. */
    uint8_t again[NS_COMMIT_MAX];
    if (ns_commitment_encode(again, c) != len || memcmp(again, in, len) != 0)
        return ns_error_set(err, "user_data: non-canonical encoding");
    return 0;
}
