#include "nitro/cose.h"

#include <string.h>

#include <cbor.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

const uint8_t NS_COSE_PROTECTED_ES384[4] = {0xa1, 0x01, 0x38, 0x22};

/* Protected header: a map with exactly one entry {1: -35}. */
static int check_protected(const uint8_t *p, size_t n, ns_error *err) {
    size_t used;
    if (ns_cbor_scan(p, n, 2, &used, err) != 0) return ns_error_prefix(err, "COSE protected header");
    if (used != n) return ns_error_set(err, "COSE protected header: trailing bytes");
    struct cbor_load_result r;
    cbor_item_t *m = cbor_load(p, n, &r);
    if (m == NULL) return ns_error_set(err, "COSE protected header: not decodable");
    int rc = -1;
    if (!cbor_isa_map(m)) {
        ns_error_set(err, "COSE protected header is not a map");
    } else if (cbor_map_size(m) != 1) {
        ns_error_set(err, "COSE protected header must hold exactly the alg parameter (has %zu entries)",
                     cbor_map_size(m));
    } else {
        struct cbor_pair *e = cbor_map_handle(m);
        if (!cbor_isa_uint(e[0].key) || cbor_get_int(e[0].key) != 1) {
            ns_error_set(err, "COSE protected header: the only parameter must be alg (1)");
        } else if (!cbor_isa_negint(e[0].value) || cbor_get_int(e[0].value) != 34) {
            if (cbor_isa_negint(e[0].value))
                ns_error_set(err, "COSE alg is %lld, only ES384 (-35) is accepted",
                             -1 - (long long)cbor_get_int(e[0].value));
            else
                ns_error_set(err, "COSE alg is not an integer; only ES384 (-35) is accepted");
        } else {
            rc = 0;
        }
    }
    cbor_decref(&m);
    return rc;
}

static int definite_bstr(const cbor_item_t *it) {
    return cbor_isa_bytestring(it) && cbor_bytestring_is_definite(it);
}

int ns_cose_sign1_decode(ns_cose_sign1 *out, const uint8_t *in, size_t n, ns_error *err) {
    memset(out, 0, sizeof *out);
    if (n > NS_COSE_MAX_INPUT) return ns_error_set(err, "COSE_Sign1 too large (%zu bytes, limit %d)", n, NS_COSE_MAX_INPUT);
    size_t used;
    if (ns_cbor_scan(in, n, 4, &used, err) != 0) return ns_error_prefix(err, "COSE_Sign1");
    if (used != n) return ns_error_set(err, "COSE_Sign1: %zu trailing bytes after the top-level item", n - used);
    /* Tag 18 is stripped here (libcbor 0.8 mis-decodes a tagged array);
     * anything else with major type 6 is refused.  The scan above already
     * proved the rest is exactly one well-formed item. */
    size_t off = 0;
    if (in[0] >> 5 == 6) {
        if (in[0] != 0xd2)
            return ns_error_set(err, "COSE_Sign1: unexpected CBOR tag (only 18 = COSE_Sign1 is accepted)");
        off = 1;
        out->tagged = 1;
        if (n - off > 0 && in[off] >> 5 == 6)
            return ns_error_set(err, "COSE_Sign1: nested CBOR tags are not accepted");
    }
    struct cbor_load_result r;
    cbor_item_t *root = cbor_load(in + off, n - off, &r);
    if (root == NULL) return ns_error_set(err, "COSE_Sign1: CBOR decode error (libcbor code %d)", (int)r.error.code);
    int rc = -1;
    cbor_item_t *arr = root;
    if (r.read != n - off) {
        ns_error_set(err, "COSE_Sign1: trailing bytes after the top-level item");
        goto done;
    }
    if (!cbor_isa_array(arr) || !cbor_array_is_definite(arr) || cbor_array_size(arr) != 4) {
        ns_error_set(err, "COSE_Sign1: top-level item is not an array of 4");
        goto done;
    }
    cbor_item_t **it = cbor_array_handle(arr);
    if (!definite_bstr(it[0])) {
        ns_error_set(err, "COSE_Sign1: protected header is not a byte string");
        goto done;
    }
    size_t plen = cbor_bytestring_length(it[0]);
    if (plen == 0 || plen > NS_COSE_MAX_PROTECTED) {
        ns_error_set(err, "COSE_Sign1: protected header length %zu out of range", plen);
        goto done;
    }
    if (check_protected(cbor_bytestring_handle(it[0]), plen, err) != 0) goto done;
    memcpy(out->protected_hdr, cbor_bytestring_handle(it[0]), plen);
    out->protected_len = plen;
    if (!cbor_isa_map(it[1])) {
        ns_error_set(err, "COSE_Sign1: unprotected header is not a map");
        goto done;
    }
    if (!definite_bstr(it[2])) {
        ns_error_set(err, "COSE_Sign1: payload is not a byte string");
        goto done;
    }
    size_t len = cbor_bytestring_length(it[2]);
    if (len == 0 || len > NS_COSE_MAX_PAYLOAD) {
        ns_error_set(err, "COSE_Sign1: payload length %zu out of range 1..%d", len, NS_COSE_MAX_PAYLOAD);
        goto done;
    }
    memcpy(out->payload, cbor_bytestring_handle(it[2]), len);
    out->payload_len = len;
    if (!definite_bstr(it[3])) {
        ns_error_set(err, "COSE_Sign1: signature is not a byte string");
        goto done;
    }
    if (cbor_bytestring_length(it[3]) != NS_COSE_SIG_LEN) {
        ns_error_set(err, "COSE_Sign1: signature is %zu bytes, ES384 needs exactly %d (r||s)",
                     cbor_bytestring_length(it[3]), NS_COSE_SIG_LEN);
        goto done;
    }
    memcpy(out->signature, cbor_bytestring_handle(it[3]), NS_COSE_SIG_LEN);
    rc = 0;
done:
    cbor_decref(&root);
    return rc;
}

void ns_cose_sig_structure(ns_cbor_buf *b, const ns_cose_sign1 *c) {
    static const uint8_t empty = 0;
    ns_cbor_put_head(b, 4, 4);
    ns_cbor_put_text(b, "Signature1");
    ns_cbor_put_bytes(b, c->protected_hdr, c->protected_len);
    ns_cbor_put_bytes(b, &empty, 0);
    ns_cbor_put_bytes(b, c->payload, c->payload_len);
}

/* r || s (48 + 48) -> DER ECDSA-Sig-Value.  Returns length or -1. */
static int raw_to_der(uint8_t *der, size_t cap, const uint8_t raw[NS_COSE_SIG_LEN]) {
    ECDSA_SIG *s = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, 48, NULL), *sv = BN_bin2bn(raw + 48, 48, NULL);
    int len = -1;
    if (s == NULL || r == NULL || sv == NULL || ECDSA_SIG_set0(s, r, sv) != 1) {
        BN_free(r);
        BN_free(sv);
        ECDSA_SIG_free(s);
        return -1;
    }
    int need = i2d_ECDSA_SIG(s, NULL);
    if (need > 0 && (size_t)need <= cap) {
        uint8_t *p = der;
        len = i2d_ECDSA_SIG(s, &p);
    }
    ECDSA_SIG_free(s);
    return len;
}

int ns_cose_verify_es384(const ns_cose_sign1 *c, void *evp_pkey, ns_error *err) {
    ns_cbor_buf tbs;
    ns_cbor_buf_init(&tbs);
    ns_cose_sig_structure(&tbs, c);
    uint8_t der[128];
    int dlen = raw_to_der(der, sizeof der, c->signature);
    if (tbs.failed || dlen < 0) {
        ns_cbor_buf_free(&tbs);
        return ns_error_set(err, "COSE signature: out of memory");
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = -1;
    if (md == NULL || EVP_DigestVerifyInit(md, NULL, EVP_sha384(), NULL, (EVP_PKEY *)evp_pkey) != 1) {
        ns_error_set(err, "COSE signature: cannot initialise ES384 verification");
    } else {
        int v = EVP_DigestVerify(md, der, (size_t)dlen, tbs.data, tbs.len);
        rc = v == 1 ? 1 : 0;
    }
    EVP_MD_CTX_free(md);
    ns_cbor_buf_free(&tbs);
    return rc;
}

int ns_cose_sign_es384(ns_cose_sign1 *c, void *evp_pkey, ns_cbor_buf *b, ns_error *err) {
    ns_cbor_buf tbs;
    ns_cbor_buf_init(&tbs);
    ns_cose_sig_structure(&tbs, c);
    if (tbs.failed) {
        ns_cbor_buf_free(&tbs);
        return ns_error_set(err, "COSE sign: out of memory");
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    uint8_t der[160];
    size_t dlen = sizeof der;
    int rc = -1;
    if (md == NULL || EVP_DigestSignInit(md, NULL, EVP_sha384(), NULL, (EVP_PKEY *)evp_pkey) != 1 ||
        EVP_DigestSign(md, der, &dlen, tbs.data, tbs.len) != 1) {
        ns_error_set(err, "COSE sign: ES384 signing failed");
        goto done;
    }
    const uint8_t *p = der;
    ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
    if (s == NULL || BN_bn2binpad(ECDSA_SIG_get0_r(s), c->signature, 48) != 48 ||
        BN_bn2binpad(ECDSA_SIG_get0_s(s), c->signature + 48, 48) != 48) {
        ECDSA_SIG_free(s);
        ns_error_set(err, "COSE sign: unexpected signature encoding");
        goto done;
    }
    ECDSA_SIG_free(s);
    ns_cbor_put_head(b, 4, 4);
    ns_cbor_put_bytes(b, c->protected_hdr, c->protected_len);
    ns_cbor_put_head(b, 5, 0);
    ns_cbor_put_bytes(b, c->payload, c->payload_len);
    ns_cbor_put_bytes(b, c->signature, NS_COSE_SIG_LEN);
    if (b->failed) {
        ns_error_set(err, "COSE sign: out of memory");
        goto done;
    }
    rc = 0;
done:
    EVP_MD_CTX_free(md);
    ns_cbor_buf_free(&tbs);
    return rc;
}
