/* Shared by the test_nitro*.c tests: locate the vectors in tests/vectors/nitro
 * (through ns_test_vector_path), look for a failure
 * in a verification result, re-wrap a modified document. */
#ifndef NS_TEST_NITRO_COMMON_H
#define NS_TEST_NITRO_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nitro/attestation_verify.h"
#include "nitro/cbor_util.h"
#include "nitro/cose.h"
#include "testutil.h"

static inline const char *nitro_vec_path(const char *rel) { return ns_test_vector_path(rel); }

/* 1 iff one of r's failure lines contains needle. */
static inline int has_fail(const ns_att_result *r, const char *needle) {
    for (size_t i = 0; i < r->nfail; i++)
        if (strstr(r->fail[i], needle) != NULL) return 1;
    return 0;
}

/* Re-encodes the (possibly modified) document d and re-wraps it with the
 * ORIGINAL protected header and signature of orig; malloc'd, *out_len set. */
static inline uint8_t *rewrap(size_t *out_len, const ns_cose_sign1 *orig, const ns_att_doc *d) {
    ns_cbor_buf p, b;
    ns_cbor_buf_init(&p);
    ns_cbor_buf_init(&b);
    ns_att_doc_encode(&p, d);
    ns_cbor_put_head(&b, 4, 4);
    ns_cbor_put_bytes(&b, orig->protected_hdr, orig->protected_len);
    ns_cbor_put_head(&b, 5, 0);
    ns_cbor_put_bytes(&b, p.data, p.len);
    ns_cbor_put_bytes(&b, orig->signature, 96);
    ns_cbor_buf_free(&p);
    *out_len = b.len;
    return b.data;
}

#endif
