/* libFuzzer target for the attestation document parser: the input is
 * decoded as a COSE_Sign1 and, independently, as a bare payload map; a
 * document that decodes is also inspected (certificates parsed by OpenSSL)
 * and re-encoded, and the re-encoding must parse to the same document.
 * The same bytes also go to the other untrusted-input parsers of the
 * module: NSM responses (through a transport returning them) and EIF images. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nitro/attestation_doc.h"
#include "nitro/attestation_verify.h"
#include "nitro/cose.h"
#include "nitro/eif.h"
#include "nitro/nsm.h"

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

typedef struct {
    const uint8_t *p;
    size_t n;
} canned;

static int canned_call(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap, size_t *rlen,
                       ns_error *err) {
    const canned *c = ctx;
    (void)req;
    (void)req_len;
    (void)err;
    size_t k = c->n < cap ? c->n : cap;
    memcpy(resp, c->p, k);
    *rlen = k;
    return 0;
}

static void nsm_responses(const uint8_t *data, size_t size) {
    canned c = {data, size};
    ns_nsm_transport t = {&c, canned_call, NULL};
    ns_error err;
    ns_nsm_code code;
    uint8_t buf[64], pcr[48];
    int locked;
    ns_nsm_description d;
    (void)ns_nsm_get_random(&t, buf, sizeof buf, &code, &err);
    (void)ns_nsm_describe_pcr(&t, 1, &locked, pcr, &code, &err);
    (void)ns_nsm_describe_nsm(&t, &d, &code, &err);
    (void)ns_nsm_lock_pcrs(&t, 16, &code, &err);
    uint8_t *doc = malloc(NS_NSM_MAX_RESPONSE);
    size_t dl;
    ns_nsm_att_request rq = {0};
    if (doc != NULL) (void)ns_nsm_attestation(&t, &rq, doc, NS_NSM_MAX_RESPONSE, &dl, &code, &err);
    free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    nsm_responses(data, size);
    ns_eif_measurement em;
    ns_error eerr;
    (void)ns_eif_measure(&em, data, size, &eerr);
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
