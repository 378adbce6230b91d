#include "nitro/attestation_doc.h"

#include <stdio.h>
#include <string.h>

#include <cbor.h>

enum {
    K_MODULE_ID, K_DIGEST, K_TIMESTAMP, K_PCRS, K_CERTIFICATE, K_CABUNDLE,
    K_PUBLIC_KEY, K_USER_DATA, K_NONCE, K_COUNT
};
static const char *const KEY_NAMES[K_COUNT] = {
    "module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle",
    "public_key", "user_data", "nonce",
};

static int key_index(const cbor_item_t *k) {
    if (!cbor_isa_string(k) || !cbor_string_is_definite(k)) return -2;
    size_t n = cbor_string_length(k);
    const unsigned char *s = cbor_string_handle(k);
    for (int i = 0; i < K_COUNT; i++)
        if (strlen(KEY_NAMES[i]) == n && (n == 0 || memcmp(KEY_NAMES[i], s, n) == 0)) return i;
    return -1;
}

static int definite_bstr(const cbor_item_t *it) {
    return cbor_isa_bytestring(it) && cbor_bytestring_is_definite(it);
}

static int get_bstr(uint8_t *out, size_t *out_len, size_t min, size_t max, const cbor_item_t *v,
                    const char *what, ns_error *err) {
    if (!definite_bstr(v)) return ns_error_set(err, "attestation document: %s is not a byte string", what);
    size_t n = cbor_bytestring_length(v);
    if (n < min || n > max)
        return ns_error_set(err, "attestation document: %s is %zu bytes, allowed %zu..%zu", what, n, min, max);
    if (n > 0) memcpy(out, cbor_bytestring_handle(v), n);
    *out_len = n;
    return 0;
}

static int get_optional(ns_att_field *f, const cbor_item_t *v, const char *what, ns_error *err) {
    if (cbor_is_null(v)) {
        f->present = 0;
        f->len = 0;
        return 0;
    }
    if (get_bstr(f->data, &f->len, 0, NS_ATT_MAX_FIELD, v, what, err) != 0) return -1;
    f->present = 1;
    return 0;
}

static int get_pcrs(ns_att_doc *doc, const cbor_item_t *v, ns_error *err) {
    if (!cbor_isa_map(v)) return ns_error_set(err, "attestation document: pcrs is not a map");
    size_t n = cbor_map_size(v);
    if (n < 1 || n > NS_ATT_PCR_COUNT)
        return ns_error_set(err, "attestation document: pcrs has %zu entries, allowed 1..%d", n, NS_ATT_PCR_COUNT);
    struct cbor_pair *e = cbor_map_handle(v);
    for (size_t i = 0; i < n; i++) {
        if (!cbor_isa_uint(e[i].key))
            return ns_error_set(err, "attestation document: pcrs key %zu is not an unsigned integer", i);
        uint64_t idx = cbor_get_int(e[i].key);
        if (idx >= NS_ATT_PCR_COUNT)
            return ns_error_set(err, "attestation document: PCR index %llu out of range 0..31", (unsigned long long)idx);
        if (doc->pcr_mask >> idx & 1)
            return ns_error_set(err, "attestation document: duplicate PCR index %llu", (unsigned long long)idx);
        if (!definite_bstr(e[i].value) || cbor_bytestring_length(e[i].value) != NS_ATT_PCR_LEN)
            return ns_error_set(err, "attestation document: PCR%llu is not a %d-byte string",
                                (unsigned long long)idx, NS_ATT_PCR_LEN);
        memcpy(doc->pcr[idx], cbor_bytestring_handle(e[i].value), NS_ATT_PCR_LEN);
        doc->pcr_mask |= (uint32_t)1 << idx;
    }
    return 0;
}

static int get_cabundle(ns_att_doc *doc, const cbor_item_t *v, ns_error *err) {
    if (!cbor_isa_array(v)) return ns_error_set(err, "attestation document: cabundle is not an array");
    size_t n = cbor_array_size(v);
    if (n < 1 || n > NS_ATT_MAX_CABUNDLE)
        return ns_error_set(err, "attestation document: cabundle has %zu certificates, allowed 1..%d", n,
                            NS_ATT_MAX_CABUNDLE);
    cbor_item_t **it = cbor_array_handle(v);
    for (size_t i = 0; i < n; i++) {
        char what[32];
        snprintf(what, sizeof what, "cabundle[%zu]", i);
        if (get_bstr(doc->cabundle[i].data, &doc->cabundle[i].len, 1, NS_ATT_MAX_CERT, it[i], what, err) != 0)
            return -1;
    }
    doc->cabundle_len = n;
    return 0;
}

static int get_field(ns_att_doc *doc, int k, const cbor_item_t *v, ns_error *err) {
    switch (k) {
    case K_MODULE_ID: {
        if (!cbor_isa_string(v) || !cbor_string_is_definite(v))
            return ns_error_set(err, "attestation document: module_id is not a text string");
        size_t n = cbor_string_length(v);
        if (n < 1 || n > NS_ATT_MAX_MODULE_ID)
            return ns_error_set(err, "attestation document: module_id length %zu out of range 1..%d", n,
                                NS_ATT_MAX_MODULE_ID);
        const unsigned char *s = cbor_string_handle(v);
        for (size_t i = 0; i < n; i++)
            if (s[i] < 0x21 || s[i] > 0x7e)
                return ns_error_set(err, "attestation document: module_id has a non-printable character");
        memcpy(doc->module_id, s, n);
        doc->module_id[n] = '\0';
        return 0;
    }
    case K_DIGEST:
        if (!cbor_isa_string(v) || !cbor_string_is_definite(v) || cbor_string_length(v) != 6 ||
            memcmp(cbor_string_handle(v), "SHA384", 6) != 0)
            return ns_error_set(err, "attestation document: digest must be \"SHA384\"");
        return 0;
    case K_TIMESTAMP:
        if (!cbor_isa_uint(v)) return ns_error_set(err, "attestation document: timestamp is not an unsigned integer");
        doc->timestamp_ms = cbor_get_int(v);
        if (doc->timestamp_ms == 0) return ns_error_set(err, "attestation document: timestamp is zero");
        if (doc->timestamp_ms > (uint64_t)INT64_MAX / 2)
            return ns_error_set(err, "attestation document: timestamp out of range");
        return 0;
    case K_PCRS:
        return get_pcrs(doc, v, err);
    case K_CERTIFICATE:
        return get_bstr(doc->certificate.data, &doc->certificate.len, 1, NS_ATT_MAX_CERT, v, "certificate", err);
    case K_CABUNDLE:
        return get_cabundle(doc, v, err);
    case K_PUBLIC_KEY:
        return get_optional(&doc->public_key, v, "public_key", err);
    case K_USER_DATA:
        return get_optional(&doc->user_data, v, "user_data", err);
    default:
        return get_optional(&doc->nonce, v, "nonce", err);
    }
}

int ns_att_doc_parse(ns_att_doc *doc, const uint8_t *payload, size_t n, ns_error *err) {
    memset(doc, 0, sizeof *doc);
    size_t used;
    if (ns_cbor_scan(payload, n, 3, &used, err) != 0) return ns_error_prefix(err, "attestation document");
    if (used != n) return ns_error_set(err, "attestation document: %zu trailing bytes after the map", n - used);
    struct cbor_load_result r;
    cbor_item_t *m = cbor_load(payload, n, &r);
    if (m == NULL) return ns_error_set(err, "attestation document: CBOR decode error (libcbor code %d)", (int)r.error.code);
    int rc = -1;
    unsigned seen = 0;
    if (r.read != n) {
        ns_error_set(err, "attestation document: trailing bytes after the map");
        goto done;
    }
    if (!cbor_isa_map(m)) {
        ns_error_set(err, "attestation document: payload is not a map");
        goto done;
    }
    size_t cnt = cbor_map_size(m);
    struct cbor_pair *e = cbor_map_handle(m);
    for (size_t i = 0; i < cnt; i++) {
        int k = key_index(e[i].key);
        if (k == -2) {
            ns_error_set(err, "attestation document: map key %zu is not a text string", i);
            goto done;
        }
        if (k < 0) {
            char shown[41];
            size_t kl = cbor_string_length(e[i].key), j;
            const unsigned char *ks = cbor_string_handle(e[i].key);
            for (j = 0; j < kl && j < sizeof shown - 1; j++) shown[j] = ks[j] >= 0x20 && ks[j] < 0x7f ? (char)ks[j] : '?';
            shown[j] = '\0';
            ns_error_set(err, "attestation document: unknown key \"%s\"", shown);
            goto done;
        }
        if (seen >> k & 1) {
            ns_error_set(err, "attestation document: duplicate key \"%s\"", KEY_NAMES[k]);
            goto done;
        }
        seen |= 1u << k;
        if (get_field(doc, k, e[i].value, err) != 0) goto done;
    }
    for (int k = 0; k < K_COUNT; k++)
        if (!(seen >> k & 1)) {
            ns_error_set(err, "attestation document: missing key \"%s\"", KEY_NAMES[k]);
            goto done;
        }
    rc = 0;
done:
    cbor_decref(&m);
    if (rc != 0) memset(doc, 0, sizeof *doc);
    return rc;
}

void ns_att_doc_encode(ns_cbor_buf *b, const ns_att_doc *doc) {
    ns_cbor_put_head(b, 5, K_COUNT);
    ns_cbor_put_text(b, "module_id");
    ns_cbor_put_text(b, doc->module_id);
    ns_cbor_put_text(b, "digest");
    ns_cbor_put_text(b, "SHA384");
    ns_cbor_put_text(b, "timestamp");
    ns_cbor_put_uint64_wide(b, doc->timestamp_ms);
    ns_cbor_put_text(b, "pcrs");
    unsigned npcr = 0;
    for (unsigned i = 0; i < NS_ATT_PCR_COUNT; i++) npcr += doc->pcr_mask >> i & 1;
    ns_cbor_put_head(b, 5, npcr);
    for (unsigned i = 0; i < NS_ATT_PCR_COUNT; i++)
        if (doc->pcr_mask >> i & 1) {
            ns_cbor_put_uint(b, i);
            ns_cbor_put_bytes(b, doc->pcr[i], NS_ATT_PCR_LEN);
        }
    ns_cbor_put_text(b, "certificate");
    ns_cbor_put_bytes(b, doc->certificate.data, doc->certificate.len);
    ns_cbor_put_text(b, "cabundle");
    ns_cbor_put_head(b, 4, doc->cabundle_len);
    for (size_t i = 0; i < doc->cabundle_len; i++) ns_cbor_put_bytes(b, doc->cabundle[i].data, doc->cabundle[i].len);
    const ns_att_field *f[3] = {&doc->public_key, &doc->user_data, &doc->nonce};
    const char *names[3] = {"public_key", "user_data", "nonce"};
    for (int i = 0; i < 3; i++) {
        ns_cbor_put_text(b, names[i]);
        ns_cbor_put_bytes_or_null(b, f[i]->present ? f[i]->data : NULL, f[i]->len);
    }
}

int ns_att_doc_is_debug(const ns_att_doc *doc) {
    if (!(doc->pcr_mask & 1)) return 0;
    for (int i = 0; i < NS_ATT_PCR_LEN; i++)
        if (doc->pcr[0][i] != 0) return 0;
    return 1;
}
