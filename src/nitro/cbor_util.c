#include "nitro/cbor_util.h"

#include <stdlib.h>
#include <string.h>

/* Reads one head at p[*pos]; returns 0 and sets major/ai/arg, or -1. */
static int read_head(const uint8_t *p, size_t n, size_t *pos, unsigned *major, unsigned *ai,
                     uint64_t *arg, ns_error *err) {
    size_t at = *pos;
    if (at >= n) return ns_error_set(err, "CBOR truncated at offset %zu", at);
    uint8_t ib = p[at++];
    *major = ib >> 5;
    *ai = ib & 31;
    if (*ai < 24) {
        *arg = *ai;
    } else if (*ai <= 27) {
        size_t w = (size_t)1 << (*ai - 24);
        if (n - at < w) return ns_error_set(err, "CBOR truncated head at offset %zu", *pos);
        uint64_t v = 0;
        for (size_t i = 0; i < w; i++) v = v << 8 | p[at + i];
        at += w;
        *arg = v;
    } else if (*ai == 31) {
        if (*major == 0 || *major == 1 || *major == 6)
            return ns_error_set(err, "CBOR invalid indefinite length at offset %zu", *pos);
        *arg = 0;
    } else {
        return ns_error_set(err, "CBOR reserved additional information at offset %zu", *pos);
    }
    *pos = at;
    return 0;
}

static int scan_item(const uint8_t *p, size_t n, size_t *pos, unsigned depth, unsigned max_depth,
                     ns_error *err) {
    if (depth > max_depth) return ns_error_set(err, "CBOR nested deeper than %u at offset %zu", max_depth, *pos);
    size_t start = *pos;
    unsigned major = 0, ai = 0;
    uint64_t arg = 0;
    if (read_head(p, n, pos, &major, &ai, &arg, err) != 0) return -1;
    size_t rem = n - *pos;
    switch (major) {
    case 0:
    case 1:
        return 0;
    case 2:
    case 3:
        if (ai == 31)
            return ns_error_set(err, "CBOR indefinite-length string at offset %zu not accepted", start);
        if (arg > rem) return ns_error_set(err, "CBOR string at offset %zu runs past the end (%llu > %zu bytes)",
                                           start, (unsigned long long)arg, rem);
        *pos += (size_t)arg;
        return 0;
    case 4:
    case 5: {
        unsigned per = major == 5 ? 2 : 1;
        if (ai == 31) {
            for (;;) {
                if (*pos >= n) return ns_error_set(err, "CBOR indefinite container at offset %zu not terminated", start);
                if (p[*pos] == 0xff) {
                    (*pos)++;
                    return 0;
                }
                for (unsigned k = 0; k < per; k++)
                    if (scan_item(p, n, pos, depth + 1, max_depth, err) != 0) return -1;
            }
        }
        if (arg > rem / per)
            return ns_error_set(err, "CBOR %s at offset %zu claims %llu entries, more than the input holds",
                                major == 4 ? "array" : "map", start, (unsigned long long)arg);
        for (uint64_t i = 0; i < arg * per; i++)
            if (scan_item(p, n, pos, depth + 1, max_depth, err) != 0) return -1;
        return 0;
    }
    case 6:
        return scan_item(p, n, pos, depth + 1, max_depth, err);
    default: /* 7: simple values and floats */
        if (ai == 31) return ns_error_set(err, "CBOR unexpected break at offset %zu", start);
        if (ai == 24 && arg < 32) return ns_error_set(err, "CBOR invalid simple value at offset %zu", start);
        return 0;
    }
}

int ns_cbor_scan(const uint8_t *p, size_t n, unsigned max_depth, size_t *item_len, ns_error *err) {
    size_t pos = 0;
    if (n == 0) return ns_error_set(err, "CBOR input is empty");
    if (scan_item(p, n, &pos, 0, max_depth, err) != 0) return -1;
    *item_len = pos;
    return 0;
}

void ns_cbor_buf_init(ns_cbor_buf *b) { memset(b, 0, sizeof *b); }

void ns_cbor_buf_free(ns_cbor_buf *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}

void ns_cbor_put_raw(ns_cbor_buf *b, const uint8_t *p, size_t n) {
    if (b->failed || n == 0) return;
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return;
            }
            cap *= 2;
        }
        uint8_t *d = realloc(b->data, cap);
        if (d == NULL) {
            b->failed = 1;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_head_width(ns_cbor_buf *b, unsigned major, uint64_t arg, unsigned width) {
    uint8_t h[9];
    size_t k = 0;
    if (width == 0) {
        h[k++] = (uint8_t)(major << 5 | arg);
    } else {
        unsigned ai = width == 1 ? 24 : width == 2 ? 25 : width == 4 ? 26 : 27;
        h[k++] = (uint8_t)(major << 5 | ai);
        for (unsigned i = width; i-- > 0;) h[k++] = (uint8_t)(arg >> (8 * i));
    }
    ns_cbor_put_raw(b, h, k);
}

void ns_cbor_put_head(ns_cbor_buf *b, unsigned major, uint64_t arg) {
    unsigned w = arg < 24 ? 0 : arg <= 0xff ? 1 : arg <= 0xffff ? 2 : arg <= 0xffffffffu ? 4 : 8;
    put_head_width(b, major, arg, w);
}

void ns_cbor_put_uint64_wide(ns_cbor_buf *b, uint64_t v) { put_head_width(b, 0, v, 8); }
void ns_cbor_put_uint(ns_cbor_buf *b, uint64_t v) { ns_cbor_put_head(b, 0, v); }

void ns_cbor_put_bytes(ns_cbor_buf *b, const uint8_t *p, size_t n) {
    ns_cbor_put_head(b, 2, n);
    ns_cbor_put_raw(b, p, n);
}

void ns_cbor_put_text(ns_cbor_buf *b, const char *s) {
    size_t n = strlen(s);
    ns_cbor_put_head(b, 3, n);
    ns_cbor_put_raw(b, (const uint8_t *)s, n);
}

void ns_cbor_put_null(ns_cbor_buf *b) {
    uint8_t v = 0xf6;
    ns_cbor_put_raw(b, &v, 1);
}

void ns_cbor_put_bool(ns_cbor_buf *b, int v) {
    uint8_t x = v ? 0xf5 : 0xf4;
    ns_cbor_put_raw(b, &x, 1);
}

void ns_cbor_put_bytes_or_null(ns_cbor_buf *b, const uint8_t *p, size_t n) {
    if (p == NULL)
        ns_cbor_put_null(b);
    else
        ns_cbor_put_bytes(b, p, n);
}
