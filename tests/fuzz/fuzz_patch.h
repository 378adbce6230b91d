/* Shared by the format fuzz targets: besides parsing the raw input, apply
 * the input as a list of byte patches to a small valid file built in code,
 * so that the parsers see nearly-valid files (deep coverage without a seed
 * corpus in git).  Patch record: u16 offset (mod file size), u8 xor mask. */
#ifndef NS_FUZZ_PATCH_H
#define NS_FUZZ_PATCH_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *b;
    size_t n, cap;
} fz_buf;

static void fz_put(fz_buf *x, const void *p, size_t n) {
    if (x->n + n > x->cap) {
        x->cap = (x->n + n) * 2 + 64;
        x->b = realloc(x->b, x->cap);
    }
    memcpy(x->b + x->n, p, n);
    x->n += n;
}
static void fz_u32(fz_buf *x, uint32_t v) {
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fz_put(x, b, 4);
}
static void fz_u64(fz_buf *x, uint64_t v) {
    fz_u32(x, (uint32_t)v);
    fz_u32(x, (uint32_t)(v >> 32));
}
static void fz_zeros(fz_buf *x, size_t n) {
    uint8_t z[256] = {0};
    while (n > 0) {
        size_t k = n < sizeof z ? n : sizeof z;
        fz_put(x, z, k);
        n -= k;
    }
}
/* Container header of the iden3 binary formats: magic, version 1, nsections. */
static void fz_header(fz_buf *x, const char magic[4], uint32_t nsections) {
    fz_put(x, magic, 4);
    fz_u32(x, 1);
    fz_u32(x, nsections);
}
static size_t fz_begin(fz_buf *x, uint32_t id) {
    fz_u32(x, id);
    fz_u64(x, 0);
    return x->n;
}
static void fz_end(fz_buf *x, size_t start) {
    uint64_t len = x->n - start;
    for (int i = 0; i < 8; i++) x->b[start - 8 + i] = (uint8_t)(len >> (8 * i));
}

/* Copy of base with the patches of data applied; the caller frees it. */
static uint8_t *fz_patched(const fz_buf *base, const uint8_t *data, size_t size) {
    uint8_t *t = malloc(base->n);
    memcpy(t, base->b, base->n);
    for (size_t i = 0; i + 3 <= size; i += 3) {
        size_t off = ((size_t)data[i] | (size_t)data[i + 1] << 8) % base->n;
        t[off] ^= data[i + 2];
    }
    return t;
}

/* The body of a patching target's LLVMFuzzerTestOneInput: parse the raw
 * input, then the base file (built by build on the first call) patched by
 * the input. */
static int fz_run(fz_buf *base, void (*build)(fz_buf *), void (*parse)(const uint8_t *, size_t),
                  const uint8_t *data, size_t size) {
    if (base->n == 0) build(base);
    parse(data, size);
    uint8_t *t = fz_patched(base, data, size);
    parse(t, base->n);
    free(t);
    return 0;
}

#endif
