#include "nitro/attestation_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nitro/aws_root.h"
#include "nitro/cose.h"
#include "util/hex.h"

static void add_fail(ns_att_result *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_fail(ns_att_result *res, const char *fmt, ...) {
    if (res->nfail >= NS_ATT_MAX_FAILURES) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->fail[res->nfail], NS_ATT_FAIL_LEN, fmt, ap);
    va_end(ap);
    res->nfail++;
}

void ns_att_policy_init(ns_att_policy *pol) { memset(pol, 0, sizeof *pol); }

void ns_att_format_time(char *buf, size_t cap, int64_t t) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, cap, "@%lld", (long long)t);
}

int ns_att_parse_time(int64_t *t, const char *s) {
    if (s == NULL || *s == '\0') return -1;
    const char *p = s[0] == '@' ? s + 1 : s;
    char *end;
    if (*p >= '0' && *p <= '9') {
        long long v = strtoll(p, &end, 10);
        if (*end == '\0') {
            *t = v;
            return 0;
        }
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h, mi, se, used = 0;
    char sep;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &se, &used) != 7) return -1;
    if (sep != 'T' && sep != ' ') return -1;
    if (strcmp(s + used, "") != 0 && strcmp(s + used, "Z") != 0) return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *t = (int64_t)timegm(&tm);
    return 0;
}

static int64_t asn1_to_time(const ASN1_TIME *a) {
    struct tm tm;
    if (a == NULL || ASN1_TIME_to_tm(a, &tm) != 1) return INT64_MIN;
    return (int64_t)timegm(&tm);
}

static void name_str(char *out, size_t cap, const X509_NAME *n) {
    out[0] = '\0';
    BIO *b = BIO_new(BIO_s_mem());
    if (b == NULL) return;
    if (X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        int k = BIO_read(b, out, (int)cap - 1);
        out[k > 0 ? k : 0] = '\0';
    }
    BIO_free(b);
}

static X509 *der_to_x509(const uint8_t *p, size_t n) {
    const uint8_t *q = p;
    X509 *x = d2i_X509(NULL, &q, (long)n);
    if (x != NULL && (size_t)(q - p) != n) {
        X509_free(x);
        return NULL;
    }
    return x;
}

static void cert_info(ns_att_cert_info *ci, X509 *x) {
    name_str(ci->subject, sizeof ci->subject, X509_get_subject_name(x));
    name_str(ci->issuer, sizeof ci->issuer, X509_get_issuer_name(x));
    ci->not_before = asn1_to_time(X509_get0_notBefore(x));
    ci->not_after = asn1_to_time(X509_get0_notAfter(x));
}

/* Path position i (0 = leaf) as a human label. */
static void path_label(char *out, size_t cap, size_t i, size_t ncab) {
    if (i == 0)
        snprintf(out, cap, "leaf certificate");
    else if (i == ncab)
        snprintf(out, cap, "cabundle[0] (root)");
    else
        snprintf(out, cap, "cabundle[%zu]", ncab - i);
}

static void check_time(ns_att_result *res, const ns_att_cert_info *ci, const char *label, int64_t at) {
    char tat[40], tb[40];
    ns_att_format_time(tat, sizeof tat, at);
    if (ci->not_before == INT64_MIN || ci->not_after == INT64_MIN) {
        add_fail(res, "certificate validity: %s has an unreadable validity period", label);
    } else if (at < ci->not_before) {
        ns_att_format_time(tb, sizeof tb, ci->not_before);
        add_fail(res, "certificate validity: %s (%s) is not yet valid at %s (valid from %s)", label, ci->subject, tat, tb);
    } else if (at > ci->not_after) {
        ns_att_format_time(tb, sizeof tb, ci->not_after);
        add_fail(res, "certificate validity: %s (%s) has expired at %s (valid until %s)", label, ci->subject, tat, tb);
    }
}

static void check_leaf_profile(ns_att_result *res, X509 *leaf) {
    EVP_PKEY *pk = X509_get0_pubkey(leaf);
    char group[64] = "";
    size_t glen = 0;
    if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC ||
        EVP_PKEY_get_group_name(pk, group, sizeof group, &glen) != 1 || strcmp(group, "secp384r1") != 0)
        add_fail(res, "leaf certificate: public key is not EC P-384");
    if (X509_get_signature_nid(leaf) != NID_ecdsa_with_SHA384)
        add_fail(res, "leaf certificate: signature algorithm is not ecdsa-with-SHA384");
    uint32_t ku = X509_get_key_usage(leaf);
    if (ku == UINT32_MAX || !(ku & KU_DIGITAL_SIGNATURE))
        add_fail(res, "leaf certificate: keyUsage lacks digitalSignature");
    if (X509_check_ca(leaf) != 0) add_fail(res, "leaf certificate: is a CA certificate");
}

/* OpenSSL path validation with time checks disabled (done above with
 * precise messages); the built chain must equal the document's path. */
static int check_chain(ns_att_result *res, X509 *anchor, X509 *leaf, X509 **cab, size_t ncab) {
    X509_STORE *store = X509_STORE_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    int rc = -1;
    if (store == NULL || untrusted == NULL || ctx == NULL || X509_STORE_add_cert(store, anchor) != 1) goto done;
    for (size_t i = 1; i < ncab; i++)
        if (!sk_X509_push(untrusted, cab[i])) goto done;
    if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) goto done;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
    X509_VERIFY_PARAM_set_depth(param, NS_ATT_MAX_CABUNDLE + 1);
    rc = 0;
    if (X509_verify_cert(ctx) != 1) {
        int e = X509_STORE_CTX_get_error(ctx);
        add_fail(res, "certificate chain: %s (at depth %d)", X509_verify_cert_error_string(e),
                 X509_STORE_CTX_get_error_depth(ctx));
        goto done;
    }
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    int same = chain != NULL && (size_t)sk_X509_num(chain) == ncab + 1;
    for (size_t i = 0; same && i <= ncab; i++) {
        X509 *want = i == 0 ? leaf : cab[ncab - i];
        if (i == ncab) want = anchor;
        if (X509_cmp(sk_X509_value(chain, (int)i), want) != 0) same = 0;
    }
    if (!same) add_fail(res, "certificate chain: the validated path is not [certificate, cabundle[N-1], ..., cabundle[0]]");
done:
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    X509_STORE_free(store);
    return rc;
}

static void check_expect(ns_att_result *res, const char *name, const ns_att_expect *want, const ns_att_field *have) {
    if (want->data == NULL) return;
    char w[2 * 64 + 4], h[2 * 64 + 4];
    size_t wl = want->len > 64 ? 64 : want->len, hl = have->len > 64 ? 64 : have->len;
    ns_hex_encode(w, want->data, wl);
    if (want->len > 64) strcat(w, "...");
    if (!have->present) {
        add_fail(res, "%s: the document has none (null), expected %s", name, w);
        return;
    }
    if (have->len != want->len || memcmp(have->data, want->data, want->len) != 0) {
        ns_hex_encode(h, have->data, hl);
        if (have->len > 64) strcat(h, "...");
        add_fail(res, "%s: expected %s (%zu bytes), the document has %s (%zu bytes)", name, w, want->len,
                 have->len ? h : "(empty)", have->len);
    }
}

static void check_policy(ns_att_result *res, const ns_att_policy *pol) {
    const ns_att_doc *d = &res->doc;
    for (int i = 0; i < NS_ATT_PCR_COUNT; i++) {
        if (!(pol->pcr_mask >> i & 1)) continue;
        char w[2 * NS_ATT_PCR_LEN + 1], h[2 * NS_ATT_PCR_LEN + 1];
        ns_hex_encode(w, pol->pcr[i], NS_ATT_PCR_LEN);
        if (!(d->pcr_mask >> i & 1)) {
            add_fail(res, "PCR%d: missing from the document, expected %s", i, w);
        } else if (memcmp(d->pcr[i], pol->pcr[i], NS_ATT_PCR_LEN) != 0) {
            ns_hex_encode(h, d->pcr[i], NS_ATT_PCR_LEN);
            add_fail(res, "PCR%d: expected %s, the document has %s", i, w, h);
        }
    }
    if (!(d->pcr_mask & 1)) add_fail(res, "PCR0: missing from the document");
    res->debug = ns_att_doc_is_debug(d);
    if (res->debug) {
        if (pol->allow_debug)
            res->untrustworthy = 1;
        else
            add_fail(res, "debug mode: PCR0 is all zero (enclave started with --debug-mode, its memory is "
                          "readable by the host); refused without --allow-debug");
    }
    check_expect(res, "nonce", &pol->nonce, &d->nonce);
    check_expect(res, "user_data", &pol->user_data, &d->user_data);
    check_expect(res, "public_key", &pol->public_key, &d->public_key);
}

/* Decodes COSE + payload into res; on failure records one failure line. */
static int decode(ns_att_result *res, ns_cose_sign1 *cose, const uint8_t *in, size_t n, ns_error *err) {
    if (ns_cose_sign1_decode(cose, in, n, err) != 0 || ns_att_doc_parse(&res->doc, cose->payload, cose->payload_len, err) != 0)
        return -1;
    res->tagged = cose->tagged;
    res->parsed = 1;
    return 0;
}

static void free_certs(X509 *leaf, X509 **cab, size_t n) {
    X509_free(leaf);
    for (size_t i = 0; i < n; i++) X509_free(cab[i]);
}

int ns_att_inspect(ns_att_result *res, const uint8_t *in, size_t n, ns_error *err) {
    memset(res, 0, sizeof *res);
    ns_cose_sign1 *cose = malloc(sizeof *cose);
    if (cose == NULL) return ns_error_set(err, "out of memory");
    int rc = decode(res, cose, in, n, err);
    free(cose);
    if (rc != 0) return -1;
    const ns_att_doc *d = &res->doc;
    res->ncerts = 1 + d->cabundle_len;
    for (size_t i = 0; i < res->ncerts; i++) {
        const ns_att_cert *c = i == 0 ? &d->certificate : &d->cabundle[d->cabundle_len - i];
        X509 *x = der_to_x509(c->data, c->len);
        if (x == NULL) {
            snprintf(res->certs[i].subject, sizeof res->certs[i].subject, "(not a valid DER certificate)");
            res->certs[i].not_before = res->certs[i].not_after = INT64_MIN;
            continue;
        }
        cert_info(&res->certs[i], x);
        X509_free(x);
    }
    res->debug = ns_att_doc_is_debug(d);
    return 0;
}

int ns_att_verify(ns_att_result *res, const uint8_t *in, size_t n, const ns_att_policy *pol, ns_error *err) {
    memset(res, 0, sizeof *res);
    if (ns_aws_root_selftest(err) != 0) return -1;
    const uint8_t *anchor_der = pol->trust_root_der ? pol->trust_root_der : NS_AWS_NITRO_ROOT_DER;
    size_t anchor_len = pol->trust_root_der ? pol->trust_root_len : NS_AWS_NITRO_ROOT_DER_LEN;
    X509 *anchor = der_to_x509(anchor_der, anchor_len);
    if (anchor == NULL) return ns_error_set(err, "trust root is not a valid DER X.509 certificate");
    res->simulated = !(anchor_len == NS_AWS_NITRO_ROOT_DER_LEN && memcmp(anchor_der, NS_AWS_NITRO_ROOT_DER, anchor_len) == 0);
    res->now = pol->now ? pol->now : (int64_t)time(NULL);

    ns_cose_sign1 *cose = malloc(sizeof *cose);
    if (cose == NULL) {
        X509_free(anchor);
        return ns_error_set(err, "out of memory");
    }
    ns_error perr;
    if (decode(res, cose, in, n, &perr) != 0) {
        add_fail(res, "document: %s", perr.msg);
        free(cose);
        X509_free(anchor);
        return 0;
    }
    const ns_att_doc *d = &res->doc;
    res->at = pol->at_set ? pol->at : (int64_t)(d->timestamp_ms / 1000);

    X509 *leaf = der_to_x509(d->certificate.data, d->certificate.len);
    X509 *cab[NS_ATT_MAX_CABUNDLE] = {0};
    int certs_ok = leaf != NULL;
    if (leaf == NULL) add_fail(res, "certificate: not a valid DER X.509 certificate");
    for (size_t i = 0; i < d->cabundle_len; i++) {
        cab[i] = der_to_x509(d->cabundle[i].data, d->cabundle[i].len);
        if (cab[i] == NULL) {
            add_fail(res, "cabundle[%zu]: not a valid DER X.509 certificate", i);
            certs_ok = 0;
        }
    }
    if (!(d->cabundle[0].len == anchor_len && memcmp(d->cabundle[0].data, anchor_der, anchor_len) == 0))
        add_fail(res, "certificate chain: cabundle[0] is not the trusted root (%s)",
                 res->simulated ? "the --trust-root certificate" : "AWS Nitro Enclaves root G1");
    if (certs_ok) {
        size_t N = d->cabundle_len;
        res->ncerts = N + 1;
        for (size_t i = 0; i <= N; i++) {
            X509 *x = i == 0 ? leaf : cab[N - i];
            char label[40];
            cert_info(&res->certs[i], x);
            path_label(label, sizeof label, i, N);
            check_time(res, &res->certs[i], label, res->at);
        }
        if (X509_NAME_cmp(X509_get_subject_name(cab[0]), X509_get_issuer_name(cab[0])) != 0)
            add_fail(res, "cabundle order: cabundle[0] is not self-issued (the bundle must be root first)");
        for (size_t i = 1; i < N; i++)
            if (X509_NAME_cmp(X509_get_issuer_name(cab[i]), X509_get_subject_name(cab[i - 1])) != 0)
                add_fail(res, "cabundle order: cabundle[%zu] is not issued by cabundle[%zu]", i, i - 1);
        if (X509_NAME_cmp(X509_get_issuer_name(leaf), X509_get_subject_name(cab[N - 1])) != 0)
            add_fail(res, "cabundle order: the leaf certificate is not issued by the last cabundle entry");
        ns_att_cert_info ai;
        cert_info(&ai, anchor);
        check_time(res, &ai, "trust root", res->at);
        if (check_chain(res, anchor, leaf, cab, N) != 0) {
            free_certs(leaf, cab, N);
            free(cose);
            X509_free(anchor);
            return ns_error_set(err, "certificate chain: OpenSSL setup failed (out of memory?)");
        }
        check_leaf_profile(res, leaf);
        res->leaf_expired_now = res->certs[0].not_after != INT64_MIN && res->now > res->certs[0].not_after;
        int v = ns_cose_verify_es384(cose, X509_get0_pubkey(leaf), err);
        if (v < 0) {
            free_certs(leaf, cab, N);
            free(cose);
            X509_free(anchor);
            return -1;
        }
        if (v == 0) add_fail(res, "signature: the ES384 COSE signature does not verify with the leaf certificate's key");
    }
    check_policy(res, pol);
    res->ok = res->nfail == 0;
    free_certs(leaf, cab, d->cabundle_len);
    free(cose);
    X509_free(anchor);
    return 0;
}
