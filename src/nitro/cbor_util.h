/* CBOR helpers for the Nitro module.
 *
 * ns_cbor_scan: a bounded, allocation-free well-formedness walk run before
 * anything is handed to libcbor.  It rejects malformed heads, reserved
 * additional-information values, indefinite-length strings, nesting deeper
 * than max_depth, and any definite length or count that cannot fit in the
 * remaining input (every item needs at least one byte), so libcbor never
 * allocates from an attacker-chosen length.
 *
 * ns_cbor_buf: a tiny append-only encoder with minimal-length heads, used
 * where exact bytes matter (COSE Sig_structure, NSM requests, simulated
 * documents). */
#ifndef NS_NITRO_CBOR_UTIL_H
#define NS_NITRO_CBOR_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Walks exactly one data item at p[0..n).  On success stores its encoded
 * length in *item_len (which may be < n: the caller decides about trailing
 * bytes).  Errors name the offset. */
int ns_cbor_scan(const uint8_t *p, size_t n, unsigned max_depth, size_t *item_len, ns_error *err);

typedef struct {
    uint8_t *data;
    size_t len, cap;
    int failed; /* sticky: set on allocation failure */
} ns_cbor_buf;

void ns_cbor_buf_init(ns_cbor_buf *b);
void ns_cbor_buf_free(ns_cbor_buf *b);
/* Major type 0..7 with a minimally encoded argument. */
void ns_cbor_put_head(ns_cbor_buf *b, unsigned major, uint64_t arg);
/* uint with a forced 8-byte argument (0x1b), as the NSM encodes timestamps. */
void ns_cbor_put_uint64_wide(ns_cbor_buf *b, uint64_t v);
void ns_cbor_put_uint(ns_cbor_buf *b, uint64_t v);
void ns_cbor_put_bytes(ns_cbor_buf *b, const uint8_t *p, size_t n);   /* bstr */
void ns_cbor_put_text(ns_cbor_buf *b, const char *s);                 /* tstr */
void ns_cbor_put_raw(ns_cbor_buf *b, const uint8_t *p, size_t n);     /* no head */
void ns_cbor_put_null(ns_cbor_buf *b);
void ns_cbor_put_bool(ns_cbor_buf *b, int v);
/* bstr or null when p == NULL. */
void ns_cbor_put_bytes_or_null(ns_cbor_buf *b, const uint8_t *p, size_t n);

#endif
