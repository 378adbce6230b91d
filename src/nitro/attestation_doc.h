/* The Nitro attestation document (the COSE payload), parsed against a
 * strict schema:
 *   module_id   text, 1..NS_ATT_MAX_MODULE_ID printable ASCII
 *   digest      text, exactly "SHA384"
 *   timestamp   uint > 0, milliseconds since the Unix epoch
 *   pcrs        map uint(0..31) -> bstr(48), 1..32 entries
 *   certificate bstr 1..1024 (DER, the signing leaf)
 *   cabundle    array of bstr 1..1024, 1..NS_ATT_MAX_CABUNDLE entries,
 *               root first: [root, intermediate_1, ..., issuer of the leaf]
 *   public_key, user_data, nonce   bstr 0..1024 or null, key required
 * Exactly these nine text keys, each once (duplicates and unknown keys are
 * rejected), in any order; the map itself definite or indefinite.  Strings
 * must be definite-length.  Everything is copied into fixed buffers, so a
 * parsed document owns no heap memory. */
#ifndef NS_NITRO_ATTESTATION_DOC_H
#define NS_NITRO_ATTESTATION_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/cbor_util.h"
#include "util/error.h"

#define NS_ATT_PCR_COUNT 32
#define NS_ATT_PCR_LEN 48
#define NS_ATT_MAX_MODULE_ID 256
#define NS_ATT_MAX_CERT 1024
#define NS_ATT_MAX_CABUNDLE 8
#define NS_ATT_MAX_FIELD 1024 /* public_key, user_data, nonce */

typedef struct {
    uint8_t data[NS_ATT_MAX_CERT];
    size_t len;
} ns_att_cert;

typedef struct {
    int present; /* 0 when the value was CBOR null */
    uint8_t data[NS_ATT_MAX_FIELD];
    size_t len;
} ns_att_field;

typedef struct {
    char module_id[NS_ATT_MAX_MODULE_ID + 1];
    uint64_t timestamp_ms;
    uint32_t pcr_mask; /* bit i set when PCR i is in the document */
    uint8_t pcr[NS_ATT_PCR_COUNT][NS_ATT_PCR_LEN];
    ns_att_cert certificate;
    size_t cabundle_len;
    ns_att_cert cabundle[NS_ATT_MAX_CABUNDLE];
    ns_att_field public_key, user_data, nonce;
} ns_att_doc;

/* Parses the COSE payload bytes.  On error, err names the field. */
int ns_att_doc_parse(ns_att_doc *doc, const uint8_t *payload, size_t n, ns_error *err);

/* Encodes doc the way the NSM does (key order module_id, digest, timestamp,
 * pcrs, certificate, cabundle, public_key, user_data, nonce; definite map;
 * timestamp as 8-byte uint; absent optional fields as null).  Used by the
 * simulator and by tests that tamper with fields. */
void ns_att_doc_encode(ns_cbor_buf *b, const ns_att_doc *doc);

/* 1 when PCR0 is present and all zero: a debug-mode enclave. */
int ns_att_doc_is_debug(const ns_att_doc *doc);

#endif
