/* libFuzzer target for the attestation document parser: the input is
 * decoded as a COSE_Sign1 and, independently, as a bare payload map; a
 * document that decodes is also inspected (certificates parsed by OpenSSL)
 * and re-encoded, and the re-encoding must parse to the same document. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nitro/attestation_doc.h"
#include "nitro/attestation_verify.h"
#include "nitro/cose.h"

static void roundtrip(const ns_att_doc *d) {
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_att_doc_encode(&b, d);
    ns_att_doc *again = malloc(sizeof *again);
    ns_error err;
    if (again != NULL && !b.failed) {
        if (ns_att_doc_parse(again, b.data, b.len, &err) != 0) abort();
        if (strcmp(again->module_id, d->module_id) != 0 || again->timestamp_ms != d->timestamp_ms ||
            again->pcr_mask != d->pcr_mask || memcmp(again->pcr, d->pcr, sizeof d->pcr) != 0 ||
            again->cabundle_len != d->cabundle_len || again->nonce.present != d->nonce.present)
            abort();
    }
    free(again);
    ns_cbor_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ns_error err;
    ns_cose_sign1 *c = malloc(sizeof *c);
    ns_att_doc *d = malloc(sizeof *d);
    if (c == NULL || d == NULL) {
        free(c);
        free(d);
        return 0;
    }
    if (ns_cose_sign1_decode(c, data, size, &err) == 0) {
        if (ns_att_doc_parse(d, c->payload, c->payload_len, &err) == 0) {
            roundtrip(d);
            ns_att_result *r = malloc(sizeof *r);
            if (r != NULL) (void)ns_att_inspect(r, data, size, &err);
            free(r);
        }
    }
    if (ns_att_doc_parse(d, data, size, &err) == 0) roundtrip(d);
    free(c);
    free(d);
    return 0;
}
