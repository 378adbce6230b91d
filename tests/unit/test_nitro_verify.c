/* Attestation documents: the five real NSM documents (tests/vectors/nitro)
 * verified against the compiled-in AWS root at their own timestamps and
 * compared field by field with expected.json; window edges; the negative
 * vectors; policy checks; generated tampering of every payload field, the
 * signature and every certificate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "nitro/attestation_verify.h"
#include "nitro/aws_root.h"
#include "nitro/cose.h"
#include "testutil.h"
#include "util/hex.h"

#define VEC "nitro/"

static const char *REAL[] = {
    "nitro-validator_2024-11-30_pubkey.cose",
    "nitro-validator_2026-01-03_userdata_indefmap.cose",
    "evervault_2022-10-12_debug.cose",
    "evervault_2022-10-13_nonce_pcr8.cose",
    "evervault_2023-09-18_debug_nonce_userdata.cose",
};

#include "test_nitro_common.h"

static uint8_t *load(const char *rel, size_t *n) {
    uint8_t *p = ns_test_read_file(nitro_vec_path(rel), n);
    CHECK_MSG(p != NULL, "cannot read %s", rel);
    return p;
}

static void dump_fails(const char *what, const ns_att_result *r) {
    for (size_t i = 0; i < r->nfail; i++) fprintf(stderr, "  [%s] %s\n", what, r->fail[i]);
}

static int64_t iso_time(const char *s) {
    /* expected.json uses "YYYY-MM-DDTHH:MM:SS+00:00" */
    char b[32];
    snprintf(b, sizeof b, "%.19sZ", s);
    int64_t t = 0;
    CHECK(ns_att_parse_time(&t, b) == 0);
    return t;
}

static int hex_eq(const uint8_t *p, size_t n, const char *hex) {
    uint8_t buf[1024];
    long k = ns_hex_decode(buf, sizeof buf, hex);
    return k == (long)n && memcmp(buf, p, n) == 0;
}

static void check_field(const char *name, const ns_att_field *f, json_t *want) {
    if (json_is_null(want))
        CHECK_MSG(!f->present, "%s must be null", name);
    else
        CHECK_MSG(f->present && hex_eq(f->data, f->len, json_string_value(want)), "%s differs", name);
}

static void test_real(json_t *expected, ns_att_result *r) {
    for (size_t k = 0; k < sizeof REAL / sizeof REAL[0]; k++) {
        char rel[256];
        snprintf(rel, sizeof rel, VEC "real/%s", REAL[k]);
        size_t n;
        uint8_t *doc = load(rel, &n);
        if (doc == NULL) continue;
        json_t *e = json_object_get(expected, REAL[k]);
        CHECK(e != NULL);
        int debug = strstr(REAL[k], "debug") != NULL;
        ns_att_policy pol;
        ns_att_policy_init(&pol);
        ns_error err;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0);
        CHECK_MSG(r->parsed, "%s does not parse", REAL[k]);
        CHECK(!r->simulated);
        CHECK_MSG(r->ok == !debug, "%s: ok=%d", REAL[k], r->ok);
        if (!r->ok && !debug) dump_fails(REAL[k], r);
        CHECK(r->debug == debug);
        if (debug) CHECK(r->nfail == 1 && has_fail(r, "debug mode"));
        CHECK(r->leaf_expired_now);
        /* fields against expected.json */
        CHECK(strcmp(r->doc.module_id, json_string_value(json_object_get(e, "module_id"))) == 0);
        CHECK(r->doc.timestamp_ms == (uint64_t)json_integer_value(json_object_get(e, "timestamp_ms")));
        json_t *pcrs = json_object_get(e, "pcrs");
        CHECK(r->doc.pcr_mask == 0xffff && json_object_size(pcrs) == 16);
        const char *key;
        json_t *val;
        json_object_foreach(pcrs, key, val) {
            int i = atoi(key);
            CHECK_MSG(hex_eq(r->doc.pcr[i], 48, json_string_value(val)), "%s PCR%d", REAL[k], i);
        }
        check_field("public_key", &r->doc.public_key, json_object_get(e, "public_key"));
        check_field("user_data", &r->doc.user_data, json_object_get(e, "user_data"));
        check_field("nonce", &r->doc.nonce, json_object_get(e, "nonce"));
        json_t *chain = json_object_get(e, "chain_leaf_to_root");
        CHECK(r->ncerts == json_array_size(chain) && r->ncerts == 5);
        for (size_t i = 0; i < r->ncerts && i < json_array_size(chain); i++) {
            json_t *c = json_array_get(chain, i);
            CHECK(strcmp(r->certs[i].subject, json_string_value(json_object_get(c, "subject"))) == 0);
            CHECK(r->certs[i].not_before == iso_time(json_string_value(json_object_get(c, "not_before"))));
            CHECK(r->certs[i].not_after == iso_time(json_string_value(json_object_get(c, "not_after"))));
        }
        /* debug documents pass with --allow-debug and are marked untrustworthy */
        pol.allow_debug = 1;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0);
        CHECK(r->ok && r->untrustworthy == debug);
        /* window edges: inside passes, one second outside fails and says so */
        json_t *win = json_object_get(e, "chain_valid_window");
        int64_t lo = iso_time(json_string_value(json_array_get(win, 0)));
        int64_t hi = iso_time(json_string_value(json_array_get(win, 1)));
        pol.at_set = 1;
        pol.at = lo;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && r->ok);
        pol.at = hi;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && r->ok);
        pol.at = lo - 1;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "is not yet valid at"));
        pol.at = hi + 1;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "has expired at"));
        pol.at = 1700000000 + 3 * 365 * 86400; /* long after every leaf */
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "leaf certificate") &&
              has_fail(r, "has expired at"));
        /* a different trust anchor (an intermediate of the document) fails */
        pol.at_set = 0;
        pol.trust_root_der = r->doc.cabundle[1].data;
        pol.trust_root_len = r->doc.cabundle[1].len;
        ns_att_doc copy_doc = r->doc;
        pol.trust_root_der = copy_doc.cabundle[1].data;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && r->simulated &&
              has_fail(r, "cabundle[0] is not the trusted root"));
        free(doc);
    }
}

static void test_sig_structure(void) {
    size_t n, m;
    uint8_t *doc = load(VEC "real/nitro-validator_2024-11-30_pubkey.cose", &n);
    uint8_t *tbs = load(VEC "real/nitro-validator_2024-11-30_pubkey.sig_structure.bin", &m);
    ns_cose_sign1 *c = malloc(sizeof *c);
    ns_error err;
    if (doc && tbs && c) {
        CHECK(ns_cose_sign1_decode(c, doc, n, &err) == 0);
        CHECK(!c->tagged && c->protected_len == 4 && memcmp(c->protected_hdr, NS_COSE_PROTECTED_ES384, 4) == 0);
        ns_cbor_buf b;
        ns_cbor_buf_init(&b);
        ns_cose_sig_structure(&b, c);
        CHECK(b.len == m && memcmp(b.data, tbs, m) == 0);
        ns_cbor_buf_free(&b);
    }
    uint8_t *tag = load(VEC "real/nitro-validator_2024-11-30_pubkey.tagged18.cose", &m);
    if (tag && c) {
        CHECK(ns_cose_sign1_decode(c, tag, m, &err) == 0 && c->tagged);
        tag[0] = 0xd3; /* tag 19 */
        CHECK(ns_cose_sign1_decode(c, tag, m, &err) != 0);
    }
    free(c);
    free(doc);
    free(tbs);
    free(tag);
}

static void test_negative(ns_att_result *r) {
    static const struct { const char *file, *reason; } NEG[] = {
        {"neg_payload_pcr0_bitflip.cose", "signature: the ES384 COSE signature does not verify"},
        {"neg_module_id_changed.cose", "signature: the ES384 COSE signature does not verify"},
        {"neg_signature_bitflip.cose", "signature: the ES384 COSE signature does not verify"},
        {"neg_sig_wrong_length.cose", "signature is 95 bytes"},
        {"neg_alg_es256_header.cose", "only ES384 (-35) is accepted"},
        {"neg_truncated.cose", "runs past the end"},
        {"neg_trailing_garbage.cose", "trailing bytes"},
        {"neg_nitro-validator_2026-01-03_as_published_corrupt.cose", "document: COSE_Sign1: CBOR"},
    };
    for (size_t i = 0; i < sizeof NEG / sizeof NEG[0]; i++) {
        char rel[256];
        snprintf(rel, sizeof rel, VEC "negative/%s", NEG[i].file);
        size_t n;
        uint8_t *doc = load(rel, &n);
        if (doc == NULL) continue;
        ns_att_policy pol;
        ns_att_policy_init(&pol);
        ns_error err;
        CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0);
        CHECK_MSG(!r->ok && r->nfail == 1 && has_fail(r, NEG[i].reason), "%s: wrong reason", NEG[i].file);
        if (r->nfail != 1 || !has_fail(r, NEG[i].reason)) dump_fails(NEG[i].file, r);
        free(doc);
    }
}

static void test_policy(ns_att_result *r) {
    size_t n;
    uint8_t *doc = load(VEC "real/evervault_2022-10-13_nonce_pcr8.cose", &n);
    uint8_t *doc2 = NULL;
    if (doc == NULL) return;
    ns_att_policy pol;
    ns_att_policy_init(&pol);
    ns_error err;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && r->ok);
    ns_att_doc d = r->doc;
    /* all PCRs as expected */
    pol.pcr_mask = d.pcr_mask;
    memcpy(pol.pcr, d.pcr, sizeof pol.pcr);
    pol.nonce.data = d.nonce.data;
    pol.nonce.len = d.nonce.len;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && r->ok);
    pol.pcr[2][47] ^= 1;
    pol.pcr[8][0] ^= 1;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && r->nfail == 2 && has_fail(r, "PCR2: expected") &&
          has_fail(r, "PCR8: expected"));
    pol.pcr_mask = 1u << 20; /* PCR20 not in the document */
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "PCR20: missing"));
    pol.pcr_mask = 0;
    uint8_t bad[256];
    memcpy(bad, d.nonce.data, d.nonce.len);
    bad[100] ^= 0x80;
    pol.nonce.data = bad;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "nonce: expected"));
    pol.nonce.len = 32;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "nonce: expected"));
    pol.nonce.data = NULL;
    static const uint8_t ud[3] = {1, 2, 3};
    pol.user_data.data = ud;
    pol.user_data.len = 3;
    pol.public_key.data = ud;
    pol.public_key.len = 3;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && r->nfail == 2 &&
          has_fail(r, "user_data: the document has none") && has_fail(r, "public_key: the document has none"));
    /* user_data / public_key match on documents that carry them */
    size_t n2;
    doc2 = load(VEC "real/evervault_2022-10-12_debug.cose", &n2);
    if (doc2 != NULL) {
        ns_att_policy_init(&pol);
        pol.allow_debug = 1;
        pol.user_data.data = (const uint8_t *)"hello, world!";
        pol.user_data.len = 13;
        pol.public_key.data = (const uint8_t *)"my super secret key";
        pol.public_key.len = 19;
        CHECK(ns_att_verify(r, doc2, n2, &pol, &err) == 0 && r->ok && r->untrustworthy);
        pol.user_data.len = 12;
        CHECK(ns_att_verify(r, doc2, n2, &pol, &err) == 0 && !r->ok && has_fail(r, "user_data: expected"));
        pol.user_data.len = 13;
        pol.nonce.data = ud;
        pol.nonce.len = 3;
        CHECK(ns_att_verify(r, doc2, n2, &pol, &err) == 0 && !r->ok && has_fail(r, "nonce: the document has none"));
    }
    free(doc);
    free(doc2);
}

static void test_tamper(ns_att_result *r) {
    size_t n;
    uint8_t *doc = load(VEC "real/evervault_2022-10-13_nonce_pcr8.cose", &n);
    if (doc == NULL) return;
    ns_cose_sign1 *c = malloc(sizeof *c);
    ns_att_doc *d = malloc(sizeof *d), *t = malloc(sizeof *t);
    ns_error err;
    ns_att_policy pol;
    ns_att_policy_init(&pol);
    CHECK(ns_cose_sign1_decode(c, doc, n, &err) == 0 && ns_att_doc_parse(d, c->payload, c->payload_len, &err) == 0);
    /* our encoder reproduces the NSM's payload byte for byte */
    ns_cbor_buf p;
    ns_cbor_buf_init(&p);
    ns_att_doc_encode(&p, d);
    CHECK(p.len == c->payload_len && memcmp(p.data, c->payload, p.len) == 0);
    ns_cbor_buf_free(&p);
    size_t m;
    uint8_t *x = rewrap(&m, c, d);
    CHECK(m == n && memcmp(x, doc, n) == 0);
    free(x);
    for (int field = 0; field < 14; field++) {
        *t = *d;
        switch (field) {
        case 0: t->module_id[3] ^= 1; break;
        case 1: t->timestamp_ms += 1; break;
        case 2: t->pcr[0][5] ^= 1; break;
        case 3: t->pcr[8][47] ^= 1; break;
        case 4: t->pcr_mask &= ~(1u << 15); break;
        case 5: t->certificate.data[t->certificate.len - 1] ^= 1; break;
        case 6: t->cabundle[1].data[t->cabundle[1].len - 1] ^= 1; break;
        case 7: t->cabundle[2].data[t->cabundle[2].len - 1] ^= 1; break;
        case 8: t->cabundle[3].data[t->cabundle[3].len - 1] ^= 1; break;
        case 9: t->cabundle[0].data[t->cabundle[0].len - 1] ^= 1; break;
        case 10: t->nonce.data[0] ^= 1; break;
        case 11: t->user_data.present = 1; t->user_data.len = 0; break;
        case 12: t->public_key.present = 1; t->public_key.len = 1; t->public_key.data[0] = 4; break;
        default: t->nonce.present = 0; break;
        }
        x = rewrap(&m, c, t);
        CHECK(ns_att_verify(r, x, m, &pol, &err) == 0);
        CHECK_MSG(!r->ok && r->nfail >= 1, "tampered field %d accepted", field);
        if (field >= 5 && field <= 9)
            CHECK_MSG(has_fail(r, "certificate") || has_fail(r, "cabundle"), "field %d: no chain failure", field);
        else
            CHECK_MSG(r->nfail == 1 && has_fail(r, "signature: the ES384"), "field %d: wrong reason", field);
        free(x);
    }
    /* structural certificate tampering: garbage DER, swapped order, missing root */
    for (int k = 0; k < 4; k++) {
        *t = *d;
        const char *want = NULL;
        switch (k) {
        case 0:
            memset(t->cabundle[2].data, 0x30, 10);
            t->cabundle[2].len = 10;
            want = "cabundle[2]: not a valid DER X.509 certificate";
            break;
        case 1:
            t->certificate.len = 100;
            want = "certificate: not a valid DER X.509 certificate";
            break;
        case 2:
            t->cabundle[1] = d->cabundle[2];
            t->cabundle[2] = d->cabundle[1];
            want = "cabundle order: cabundle[1] is not issued by cabundle[0]";
            break;
        default:
            for (size_t i = 0; i + 1 < d->cabundle_len; i++) t->cabundle[i] = d->cabundle[i + 1];
            t->cabundle_len = d->cabundle_len - 1;
            want = "cabundle[0] is not the trusted root";
            break;
        }
        x = rewrap(&m, c, t);
        CHECK(ns_att_verify(r, x, m, &pol, &err) == 0);
        CHECK_MSG(!r->ok && has_fail(r, want), "structural tamper %d", k);
        if (!has_fail(r, want)) dump_fails("structural", r);
        free(x);
    }
    /* show/inspect copes with a broken certificate */
    *t = *d;
    t->certificate.len = 100;
    x = rewrap(&m, c, t);
    CHECK(ns_att_inspect(r, x, m, &err) == 0 && strstr(r->certs[0].subject, "not a valid DER") != NULL);
    free(x);
    /* every byte position of the signature matters */
    for (int i = 0; i < 96; i += 7) {
        uint8_t *y = malloc(n);
        memcpy(y, doc, n);
        y[n - 96 + i] ^= 0x40;
        CHECK(ns_att_verify(r, y, n, &pol, &err) == 0 && !r->ok && has_fail(r, "signature"));
        free(y);
    }
    free(c);
    free(d);
    free(t);
    free(doc);
}

static uint8_t *wrap_payload(size_t *len, const uint8_t *payload, size_t n) {
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    uint8_t sig[96] = {0};
    ns_cbor_put_head(&b, 4, 4);
    ns_cbor_put_bytes(&b, NS_COSE_PROTECTED_ES384, 4);
    ns_cbor_put_head(&b, 5, 0);
    ns_cbor_put_bytes(&b, payload, n);
    ns_cbor_put_bytes(&b, sig, 96);
    *len = b.len;
    return b.data;
}

/* Schema negatives built by hand: each must fail to parse with its reason. */
static void test_schema(void) {
    size_t n;
    uint8_t *doc = load(VEC "real/nitro-validator_2024-11-30_pubkey.cose", &n);
    if (doc == NULL) return;
    ns_cose_sign1 *c = malloc(sizeof *c);
    ns_att_doc *d = malloc(sizeof *d);
    ns_error err;
    CHECK(ns_cose_sign1_decode(c, doc, n, &err) == 0);
    const uint8_t *pl = c->payload;
    size_t pn = c->payload_len;
    /* payload starts a9 69 "module_id" ... ; build variants by editing a copy */
    uint8_t *buf = malloc(pn + 64);
    struct { const char *what; size_t (*make)(uint8_t *, const uint8_t *, size_t); } dummy;
    (void)dummy;
    /* 1: duplicate key - change the map count to 10 and append "nonce": null */
    memcpy(buf, pl, pn);
    buf[0] = 0xaa;
    memcpy(buf + pn, "\x65nonce\xf6", 7);
    CHECK(ns_att_doc_parse(d, buf, pn + 7, &err) != 0 && strstr(err.msg, "duplicate key \"nonce\""));
    /* 2: unknown key */
    memcpy(buf + pn, "\x65nancy\xf6", 7);
    CHECK(ns_att_doc_parse(d, buf, pn + 7, &err) != 0 && strstr(err.msg, "unknown key"));
    /* 3: missing key (count 8, drop the final "nonce": null = 7 bytes) */
    memcpy(buf, pl, pn);
    buf[0] = 0xa8;
    CHECK(ns_att_doc_parse(d, buf, pn - 7, &err) != 0 && strstr(err.msg, "missing key \"nonce\""));
    /* 4: trailing byte after the payload map */
    memcpy(buf, pl, pn);
    buf[pn] = 0;
    CHECK(ns_att_doc_parse(d, buf, pn + 1, &err) != 0 && strstr(err.msg, "trailing"));
    /* 5: digest "SHA384" -> "SHA256" (at a fixed place after module_id) */
    memcpy(buf, pl, pn);
    uint8_t *dg = memmem(buf, pn, "SHA384", 6);
    CHECK(dg != NULL);
    if (dg) {
        memcpy(dg, "SHA256", 6);
        CHECK(ns_att_doc_parse(d, buf, pn, &err) != 0 && strstr(err.msg, "digest"));
    }
    /* 6: PCR index 32 (first PCR key 0x00 -> 0x18 0x20 would change length; use 0x17 = 23 twice?) */
    memcpy(buf, pl, pn);
    uint8_t *pc = memmem(buf, pn, "\x64pcrs\xb0\x00\x58\x30", 9);
    CHECK(pc != NULL);
    if (pc) {
        pc[6] = 0x01; /* PCR0 key becomes 1: duplicate index */
        CHECK(ns_att_doc_parse(d, buf, pn, &err) != 0 && strstr(err.msg, "duplicate PCR index 1"));
        pc[6] = 0x20; /* key becomes negative integer -1 */
        CHECK(ns_att_doc_parse(d, buf, pn, &err) != 0 && strstr(err.msg, "not an unsigned integer"));
        pc[6] = 0x00;
        pc[8] = 0x2f; /* 47-byte PCR: the next byte becomes a key... structurally wrong */
        CHECK(ns_att_doc_parse(d, buf, pn, &err) != 0);
    }
    /* 7: timestamp as negative integer */
    memcpy(buf, pl, pn);
    uint8_t *ts = memmem(buf, pn, "\x69timestamp\x1b", 11);
    CHECK(ts != NULL);
    if (ts) {
        ts[10] = 0x3b;
        CHECK(ns_att_doc_parse(d, buf, pn, &err) != 0 && strstr(err.msg, "timestamp"));
    }
    /* 8: indefinite-length byte string, huge counts, deep nesting, array of
     * 2^32 items: all rejected before libcbor sees them */
    static const uint8_t indef_bstr[] = {0xa1, 0x65, 'n', 'o', 'n', 'c', 'e', 0x5f, 0x41, 0x00, 0xff};
    CHECK(ns_att_doc_parse(d, indef_bstr, sizeof indef_bstr, &err) != 0 && strstr(err.msg, "indefinite-length string"));
    static const uint8_t huge_arr[] = {0x9b, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    CHECK(ns_att_doc_parse(d, huge_arr, sizeof huge_arr, &err) != 0 && strstr(err.msg, "more than the input holds"));
    static const uint8_t huge_str[] = {0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
    CHECK(ns_att_doc_parse(d, huge_str, sizeof huge_str, &err) != 0 && strstr(err.msg, "runs past the end"));
    uint8_t deep[64];
    memset(deep, 0x81, sizeof deep);
    deep[63] = 0x00;
    CHECK(ns_att_doc_parse(d, deep, sizeof deep, &err) != 0 && strstr(err.msg, "nested deeper"));
    static const uint8_t not_map[] = {0x80};
    CHECK(ns_att_doc_parse(d, not_map, 1, &err) != 0 && strstr(err.msg, "not a map"));
    /* 9: COSE level: payload too big, unprotected not a map, extra protected param */
    size_t wl;
    uint8_t *w = wrap_payload(&wl, pl, pn);
    CHECK(ns_cose_sign1_decode(c, w, wl, &err) == 0);
    w[6] = 0x80; /* unprotected a0 -> empty array */
    CHECK(ns_cose_sign1_decode(c, w, wl, &err) != 0 && strstr(err.msg, "unprotected header is not a map"));
    free(w);
    static const uint8_t two_params[] = {0x84, 0x46, 0xa2, 0x01, 0x38, 0x22, 0x04, 0x00, 0xa0, 0x41, 0x00, 0x40};
    CHECK(ns_cose_sign1_decode(c, two_params, sizeof two_params, &err) != 0 && strstr(err.msg, "exactly the alg"));
    static const uint8_t three_items[] = {0x83, 0x44, 0xa1, 0x01, 0x38, 0x22, 0xa0, 0x41, 0x00};
    CHECK(ns_cose_sign1_decode(c, three_items, sizeof three_items, &err) != 0 && strstr(err.msg, "array of 4"));
    free(buf);
    free(c);
    free(d);
    free(doc);
}

int main(void) {
    ns_error err;
    CHECK(ns_aws_root_selftest(&err) == 0);
    size_t rn;
    uint8_t *root = load(VEC "root/AWS_NitroEnclaves_Root-G1.der", &rn);
    CHECK(root && rn == NS_AWS_NITRO_ROOT_DER_LEN && memcmp(root, NS_AWS_NITRO_ROOT_DER, rn) == 0);
    free(root);
    json_error_t je;
    json_t *expected = json_load_file(nitro_vec_path(VEC "real/expected.json"), 0, &je);
    CHECK(expected != NULL);
    ns_att_result *r = malloc(sizeof *r);
    if (expected && r) test_real(expected, r);
    test_sig_structure();
    if (r) {
        test_negative(r);
        test_policy(r);
        test_tamper(r);
    }
    test_schema();
    int64_t t;
    CHECK(ns_att_parse_time(&t, "2024-11-30T16:22:48Z") == 0 && t == 1732983768);
    CHECK(ns_att_parse_time(&t, "1732983768") == 0 && t == 1732983768);
    CHECK(ns_att_parse_time(&t, "2024-13-30T16:22:48Z") != 0);
    free(r);
    json_decref(expected);
    return ns_test_report("nitro_verify");
}
