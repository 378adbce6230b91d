#include "nitro/nsm_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cbor.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nitro/attestation_doc.h"
#include "nitro/cose.h"
#include "nitro/eif.h"
#include "util/hex.h"

enum { C_ROOT, C_REGIONAL, C_ZONAL, C_INSTANCE, C_LEAF, C_COUNT };

struct ns_nsm_sim {
    ns_nsm_sim_config cfg;
    char module_id[64];
    char instance_id[32];
    char tag[17]; /* random hex used in CA names */
    EVP_PKEY *key[C_COUNT];
    X509 *cert[C_COUNT];
    uint8_t *der[C_COUNT];
    size_t der_len[C_COUNT];
    int64_t not_before[C_COUNT], not_after[C_COUNT];
    char *root_pem;
    size_t root_pem_len;
    uint8_t pcr[NS_ATT_PCR_COUNT][NS_ATT_PCR_LEN];
    uint32_t locked;
};

/* ---- configuration ---- */

static void image_pcrs(uint8_t pcr[16][48]) {
    static const char kernel[] = "nitrosetup simulated image: kernel";
    static const char cmdline[] = "console=ttyS0 reboot=k panic=30 pci=off nomodules";
    static const char rd1[] = "nitrosetup simulated image: bootstrap ramdisk";
    static const char rd2[] = "nitrosetup simulated image: application ramdisk";
    uint8_t buf[256];
    size_t n = 0;
    memcpy(buf + n, kernel, sizeof kernel - 1), n += sizeof kernel - 1;
    memcpy(buf + n, cmdline, sizeof cmdline - 1), n += sizeof cmdline - 1;
    memcpy(buf + n, rd1, sizeof rd1 - 1), n += sizeof rd1 - 1;
    ns_eif_pcr_of_bytes(pcr[1], buf, n);
    memcpy(buf + n, rd2, sizeof rd2 - 1), n += sizeof rd2 - 1;
    ns_eif_pcr_of_bytes(pcr[0], buf, n);
    ns_eif_pcr_of_bytes(pcr[2], (const uint8_t *)rd2, sizeof rd2 - 1);
}

void ns_nsm_sim_config_init(ns_nsm_sim_config *cfg) {
    memset(cfg, 0, sizeof *cfg);
    image_pcrs(cfg->pcr);
}

void ns_nsm_sim_config_debug(ns_nsm_sim_config *cfg) {
    memset(cfg->pcr[0], 0, 48);
    memset(cfg->pcr[1], 0, 48);
    memset(cfg->pcr[2], 0, 48);
    memset(cfg->pcr[8], 0, 48);
}

static uint64_t now_ms(const ns_nsm_sim *s) {
    if (s->cfg.clock_ms != NULL) return s->cfg.clock_ms(s->cfg.clock_ctx);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ---- test PKI ---- */

static int add_ext(X509 *x, X509 *issuer, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (e == NULL) return -1;
    int ok = X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
    return ok == 1 ? 0 : -1;
}

static void set_name(X509_NAME *n, const char *cn) {
    X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"nitrosetup", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "OU", MBSTRING_ASC, (const unsigned char *)"SIMULATED", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
}

static const struct {
    int64_t lifetime; /* seconds */
    const char *bc, *ku;
} PROFILE[C_COUNT] = {
    {30LL * 365 * 86400, "critical,CA:TRUE", "critical,digitalSignature,keyCertSign,cRLSign"},
    {20LL * 86400, "critical,CA:TRUE,pathlen:2", "critical,digitalSignature,keyCertSign,cRLSign"},
    {6LL * 86400, "critical,CA:TRUE,pathlen:1", "critical,digitalSignature,keyCertSign,cRLSign"},
    {1LL * 86400, "critical,CA:TRUE,pathlen:0", "critical,keyCertSign"},
    {3LL * 3600, "critical,CA:FALSE", "digitalSignature"},
};

static void cert_cn(char *out, size_t cap, const ns_nsm_sim *s, int i) {
    switch (i) {
    case C_ROOT: snprintf(out, cap, "simulated.nitro-enclaves"); break;
    case C_REGIONAL: snprintf(out, cap, "%s.sim-region.simulated.nitro-enclaves", s->tag); break;
    case C_ZONAL: snprintf(out, cap, "%s.zonal.sim-region.simulated.nitro-enclaves", s->tag); break;
    case C_INSTANCE: snprintf(out, cap, "%s.sim-region.simulated.nitro-enclaves", s->instance_id); break;
    default: snprintf(out, cap, "%s.sim-region.simulated", s->module_id); break;
    }
}

/* (Re)creates certificate i with a fresh key, signed by i-1 (root: self). */
static int make_cert(ns_nsm_sim *s, int i, int64_t now, ns_error *err) {
    EVP_PKEY *key = EVP_EC_gen("P-384");
    X509 *x = X509_new();
    if (key == NULL || x == NULL) goto fail;
    X509 *issuer = i == C_ROOT ? x : s->cert[i - 1];
    EVP_PKEY *ikey = i == C_ROOT ? key : s->key[i - 1];
    uint8_t serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1) goto fail;
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
    ASN1_INTEGER *ai = bn ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    BN_free(bn);
    if (ai == NULL || X509_set_version(x, 2) != 1 || X509_set_serialNumber(x, ai) != 1) {
        ASN1_INTEGER_free(ai);
        goto fail;
    }
    ASN1_INTEGER_free(ai);
    char cn[160];
    cert_cn(cn, sizeof cn, s, i);
    set_name(X509_get_subject_name(x), cn);
    X509_set_issuer_name(x, X509_get_subject_name(issuer));
    int64_t nb = i == C_LEAF ? now - 3 : now - 3600;
    int64_t na = nb + PROFILE[i].lifetime;
    if (ASN1_TIME_set(X509_getm_notBefore(x), (time_t)nb) == NULL ||
        ASN1_TIME_set(X509_getm_notAfter(x), (time_t)na) == NULL || X509_set_pubkey(x, key) != 1)
        goto fail;
    if (add_ext(x, issuer, NID_basic_constraints, PROFILE[i].bc) != 0 ||
        add_ext(x, issuer, NID_key_usage, PROFILE[i].ku) != 0)
        goto fail;
    if (i != C_LEAF && add_ext(x, issuer, NID_subject_key_identifier, "hash") != 0) goto fail;
    if (i != C_LEAF && i != C_ROOT && add_ext(x, issuer, NID_authority_key_identifier, "keyid:always") != 0) goto fail;
    if (X509_sign(x, ikey, EVP_sha384()) <= 0) goto fail;
    uint8_t *der = NULL;
    int dl = i2d_X509(x, &der);
    if (dl <= 0 || dl > NS_ATT_MAX_CERT) {
        OPENSSL_free(der);
        goto fail;
    }
    EVP_PKEY_free(s->key[i]);
    X509_free(s->cert[i]);
    OPENSSL_free(s->der[i]);
    s->key[i] = key;
    s->cert[i] = x;
    s->der[i] = der;
    s->der_len[i] = (size_t)dl;
    s->not_before[i] = nb;
    s->not_after[i] = na;
    return 0;
fail:
    EVP_PKEY_free(key);
    X509_free(x);
    return ns_error_set(err, "NSM simulator: cannot create the test certificate %d", i);
}

/* Renews every certificate from the first one that is not comfortably
 * valid at `now` (the leaf every 3 hours, like the real NSM). */
static int ensure_valid(ns_nsm_sim *s, int64_t now, ns_error *err) {
    for (int i = C_REGIONAL; i < C_COUNT; i++)
        if (s->cert[i] == NULL || now < s->not_before[i] || now + 60 > s->not_after[i]) {
            for (int j = i; j < C_COUNT; j++)
                if (make_cert(s, j, now, err) != 0) return -1;
            return 0;
        }
    return 0;
}

ns_nsm_sim *ns_nsm_sim_new(const ns_nsm_sim_config *cfg, ns_error *err) {
    ns_nsm_sim *s = calloc(1, sizeof *s);
    if (s == NULL) {
        ns_error_set(err, "NSM simulator: out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    uint8_t rnd[16];
    char hex[33];
    if (RAND_bytes(rnd, sizeof rnd) != 1) goto fail_rand;
    ns_hex_encode(hex, rnd, sizeof rnd);
    if (cfg->module_id[0] != '\0') {
        const char *enc = strstr(cfg->module_id, "-enc");
        size_t il = enc ? (size_t)(enc - cfg->module_id) : strlen(cfg->module_id);
        if (il >= sizeof s->instance_id || strlen(cfg->module_id) >= sizeof s->module_id) {
            ns_error_set(err, "NSM simulator: module_id too long");
            free(s);
            return NULL;
        }
        memcpy(s->module_id, cfg->module_id, strlen(cfg->module_id) + 1);
        memcpy(s->instance_id, cfg->module_id, il);
        s->instance_id[il] = '\0';
    } else {
        snprintf(s->instance_id, sizeof s->instance_id, "i-%.17s", hex);
        snprintf(s->module_id, sizeof s->module_id, "%s-enc%.16s", s->instance_id, hex + 16);
    }
    if (RAND_bytes(rnd, 8) != 1) goto fail_rand;
    ns_hex_encode(s->tag, rnd, 8);
    for (int i = 0; i < 16; i++) memcpy(s->pcr[i], cfg->pcr[i], 48);
    memset(s->pcr[4], 0, 48);
    ns_eif_pcr_extend(s->pcr[4], (const uint8_t *)s->instance_id, strlen(s->instance_id));
    s->locked = 0xffff;
    int64_t now = (int64_t)(now_ms(s) / 1000);
    if (make_cert(s, C_ROOT, now, err) != 0 || ensure_valid(s, now, err) != 0) {
        ns_nsm_sim_free(s);
        return NULL;
    }
    BIO *b = BIO_new(BIO_s_mem());
    char *mem;
    long ml;
    if (b == NULL || PEM_write_bio_X509(b, s->cert[C_ROOT]) != 1 || (ml = BIO_get_mem_data(b, &mem)) <= 0 ||
        (s->root_pem = malloc((size_t)ml + 1)) == NULL) {
        BIO_free(b);
        ns_nsm_sim_free(s);
        ns_error_set(err, "NSM simulator: cannot encode the root certificate");
        return NULL;
    }
    memcpy(s->root_pem, mem, (size_t)ml);
    s->root_pem[ml] = '\0';
    s->root_pem_len = (size_t)ml;
    BIO_free(b);
    return s;
fail_rand:
    free(s);
    ns_error_set(err, "NSM simulator: no randomness");
    return NULL;
}

void ns_nsm_sim_free(ns_nsm_sim *s) {
    if (s == NULL) return;
    for (int i = 0; i < C_COUNT; i++) {
        EVP_PKEY_free(s->key[i]);
        X509_free(s->cert[i]);
        OPENSSL_free(s->der[i]);
    }
    free(s->root_pem);
    free(s);
}

void ns_nsm_sim_root_der(const ns_nsm_sim *s, const uint8_t **der, size_t *len) {
    *der = s->der[C_ROOT];
    *len = s->der_len[C_ROOT];
}

void ns_nsm_sim_root_pem(const ns_nsm_sim *s, const char **pem, size_t *len) {
    *pem = s->root_pem;
    *len = s->root_pem_len;
}

/* ---- request handling ---- */

static int text_is(const cbor_item_t *it, const char *str) {
    size_t n = strlen(str);
    return cbor_isa_string(it) && cbor_string_is_definite(it) && cbor_string_length(it) == n &&
           memcmp(cbor_string_handle(it), str, n) == 0;
}

static void reply_error(ns_cbor_buf *o, const char *name) {
    ns_cbor_put_head(o, 5, 1);
    ns_cbor_put_text(o, "Error");
    ns_cbor_put_text(o, name);
}

/* Reads an index-like uint field that must be the only key of map m. */
static int only_uint(const cbor_item_t *m, const char *key, uint64_t *v) {
    if (!cbor_isa_map(m) || cbor_map_size(m) != 1) return -1;
    struct cbor_pair *e = cbor_map_handle(m);
    if (!text_is(e[0].key, key) || !cbor_isa_uint(e[0].value)) return -1;
    *v = cbor_get_int(e[0].value);
    return 0;
}

static int attest(ns_nsm_sim *s, const cbor_item_t *args, ns_cbor_buf *o, ns_error *err) {
    const char *names[3] = {"user_data", "nonce", "public_key"};
    const cbor_item_t *val[3] = {NULL, NULL, NULL};
    if (!cbor_isa_map(args)) {
        reply_error(o, "InvalidArgument");
        return 0;
    }
    struct cbor_pair *e = cbor_map_handle(args);
    for (size_t i = 0; i < cbor_map_size(args); i++) {
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (text_is(e[i].key, names[j])) k = j;
        if (k < 0 || val[k] != NULL) {
            reply_error(o, "InvalidArgument");
            return 0;
        }
        val[k] = e[i].value;
        if (cbor_is_null(val[k])) continue;
        if (!cbor_isa_bytestring(val[k]) || !cbor_bytestring_is_definite(val[k])) {
            reply_error(o, "InvalidArgument");
            return 0;
        }
        if (cbor_bytestring_length(val[k]) > NS_NSM_MAX_FIELD) {
            reply_error(o, "InputTooLarge");
            return 0;
        }
    }
    uint64_t ms = now_ms(s);
    if (ensure_valid(s, (int64_t)(ms / 1000), err) != 0) return -1;
    ns_att_doc *d = calloc(1, sizeof *d);
    ns_cose_sign1 *c = calloc(1, sizeof *c);
    int rc = -1;
    if (d == NULL || c == NULL) {
        ns_error_set(err, "NSM simulator: out of memory");
        goto done;
    }
    snprintf(d->module_id, sizeof d->module_id, "%s", s->module_id);
    d->timestamp_ms = ms;
    d->pcr_mask = s->locked;
    memcpy(d->pcr, s->pcr, sizeof d->pcr);
    memcpy(d->certificate.data, s->der[C_LEAF], s->der_len[C_LEAF]);
    d->certificate.len = s->der_len[C_LEAF];
    d->cabundle_len = 4;
    for (int i = 0; i < 4; i++) {
        memcpy(d->cabundle[i].data, s->der[i], s->der_len[i]);
        d->cabundle[i].len = s->der_len[i];
    }
    ns_att_field *f[3] = {&d->user_data, &d->nonce, &d->public_key};
    for (int k = 0; k < 3; k++)
        if (val[k] != NULL && !cbor_is_null(val[k])) {
            f[k]->present = 1;
            f[k]->len = cbor_bytestring_length(val[k]);
            memcpy(f[k]->data, cbor_bytestring_handle(val[k]), f[k]->len);
        }
    ns_cbor_buf payload, doc;
    ns_cbor_buf_init(&payload);
    ns_cbor_buf_init(&doc);
    ns_att_doc_encode(&payload, d);
    if (payload.failed || payload.len > NS_COSE_MAX_PAYLOAD) {
        ns_cbor_buf_free(&payload);
        ns_error_set(err, "NSM simulator: cannot encode the document");
        goto done;
    }
    memcpy(c->protected_hdr, NS_COSE_PROTECTED_ES384, 4);
    c->protected_len = 4;
    memcpy(c->payload, payload.data, payload.len);
    c->payload_len = payload.len;
    ns_cbor_buf_free(&payload);
    if (ns_cose_sign_es384(c, s->key[C_LEAF], &doc, err) != 0) {
        ns_cbor_buf_free(&doc);
        goto done;
    }
    ns_cbor_put_head(o, 5, 1);
    ns_cbor_put_text(o, "Attestation");
    ns_cbor_put_head(o, 5, 1);
    ns_cbor_put_text(o, "document");
    ns_cbor_put_bytes(o, doc.data, doc.len);
    ns_cbor_buf_free(&doc);
    rc = 0;
done:
    free(d);
    free(c);
    return rc;
}

static void describe_nsm(const ns_nsm_sim *s, ns_cbor_buf *o) {
    ns_cbor_put_head(o, 5, 1);
    ns_cbor_put_text(o, "DescribeNSM");
    ns_cbor_put_head(o, 5, 7);
    ns_cbor_put_text(o, "version_major");
    ns_cbor_put_uint(o, 1);
    ns_cbor_put_text(o, "version_minor");
    ns_cbor_put_uint(o, 0);
    ns_cbor_put_text(o, "version_patch");
    ns_cbor_put_uint(o, 0);
    ns_cbor_put_text(o, "module_id");
    ns_cbor_put_text(o, s->module_id);
    ns_cbor_put_text(o, "max_pcrs");
    ns_cbor_put_uint(o, NS_ATT_PCR_COUNT);
    ns_cbor_put_text(o, "locked_pcrs");
    unsigned n = 0;
    for (int i = 0; i < NS_ATT_PCR_COUNT; i++) n += s->locked >> i & 1;
    ns_cbor_put_head(o, 4, n);
    for (int i = 0; i < NS_ATT_PCR_COUNT; i++)
        if (s->locked >> i & 1) ns_cbor_put_uint(o, (uint64_t)i);
    ns_cbor_put_text(o, "digest");
    ns_cbor_put_text(o, "SHA384");
}

static int dispatch(ns_nsm_sim *s, const cbor_item_t *rq, ns_cbor_buf *o, ns_error *err) {
    if (text_is(rq, "GetRandom")) {
        uint8_t r[NS_NSM_RANDOM_MAX];
        if (RAND_bytes(r, sizeof r) != 1) return ns_error_set(err, "NSM simulator: no randomness");
        ns_cbor_put_head(o, 5, 1);
        ns_cbor_put_text(o, "GetRandom");
        ns_cbor_put_head(o, 5, 1);
        ns_cbor_put_text(o, "random");
        ns_cbor_put_bytes(o, r, sizeof r);
        return 0;
    }
    if (text_is(rq, "DescribeNSM")) {
        describe_nsm(s, o);
        return 0;
    }
    if (!cbor_isa_map(rq) || cbor_map_size(rq) != 1) {
        reply_error(o, "InvalidOperation");
        return 0;
    }
    struct cbor_pair *e = cbor_map_handle(rq);
    const cbor_item_t *args = e[0].value;
    uint64_t v;
    if (text_is(e[0].key, "Attestation")) return attest(s, args, o, err);
    if (text_is(e[0].key, "DescribePCR")) {
        if (only_uint(args, "index", &v) != 0) return reply_error(o, "InvalidArgument"), 0;
        if (v >= NS_ATT_PCR_COUNT) return reply_error(o, "InvalidIndex"), 0;
        ns_cbor_put_head(o, 5, 1);
        ns_cbor_put_text(o, "DescribePCR");
        ns_cbor_put_head(o, 5, 2);
        ns_cbor_put_text(o, "lock");
        ns_cbor_put_bool(o, s->locked >> v & 1);
        ns_cbor_put_text(o, "data");
        ns_cbor_put_bytes(o, s->pcr[v], 48);
        return 0;
    }
    if (text_is(e[0].key, "ExtendPCR")) {
        const cbor_item_t *idx = NULL, *data = NULL;
        if (cbor_isa_map(args) && cbor_map_size(args) == 2) {
            struct cbor_pair *a = cbor_map_handle(args);
            for (int i = 0; i < 2; i++) {
                if (text_is(a[i].key, "index")) idx = a[i].value;
                if (text_is(a[i].key, "data")) data = a[i].value;
            }
        }
        if (idx == NULL || data == NULL || !cbor_isa_uint(idx) || !cbor_isa_bytestring(data) ||
            !cbor_bytestring_is_definite(data))
            return reply_error(o, "InvalidArgument"), 0;
        v = cbor_get_int(idx);
        if (v >= NS_ATT_PCR_COUNT) return reply_error(o, "InvalidIndex"), 0;
        if (s->locked >> v & 1) return reply_error(o, "ReadOnlyIndex"), 0;
        ns_eif_pcr_extend(s->pcr[v], cbor_bytestring_handle(data), cbor_bytestring_length(data));
        ns_cbor_put_head(o, 5, 1);
        ns_cbor_put_text(o, "ExtendPCR");
        ns_cbor_put_head(o, 5, 1);
        ns_cbor_put_text(o, "data");
        ns_cbor_put_bytes(o, s->pcr[v], 48);
        return 0;
    }
    if (text_is(e[0].key, "LockPCR")) {
        if (only_uint(args, "index", &v) != 0) return reply_error(o, "InvalidArgument"), 0;
        if (v >= NS_ATT_PCR_COUNT) return reply_error(o, "InvalidIndex"), 0;
        s->locked |= (uint32_t)1 << v;
        ns_cbor_put_text(o, "LockPCR");
        return 0;
    }
    if (text_is(e[0].key, "LockPCRs")) {
        if (only_uint(args, "range", &v) != 0) return reply_error(o, "InvalidArgument"), 0;
        if (v > NS_ATT_PCR_COUNT) return reply_error(o, "InvalidIndex"), 0;
        for (uint64_t i = 0; i < v; i++) s->locked |= (uint32_t)1 << i;
        ns_cbor_put_text(o, "LockPCRs");
        return 0;
    }
    reply_error(o, "InvalidOperation");
    return 0;
}

int ns_nsm_sim_handle(ns_nsm_sim *s, const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap,
                      size_t *resp_len, ns_error *err) {
    if (req_len > NS_NSM_MAX_REQUEST)
        return ns_error_set(err, "request too large (%zu bytes, EMSGSIZE)", req_len);
    ns_cbor_buf o;
    ns_cbor_buf_init(&o);
    size_t used;
    ns_error perr;
    cbor_item_t *rq = NULL;
    if (ns_cbor_scan(req, req_len, 4, &used, &perr) != 0 || used != req_len) {
        reply_error(&o, "InvalidArgument");
    } else {
        struct cbor_load_result lr;
        rq = cbor_load(req, req_len, &lr);
        if (rq == NULL) {
            reply_error(&o, "InvalidArgument");
        } else if (dispatch(s, rq, &o, err) != 0) {
            cbor_decref(&rq);
            ns_cbor_buf_free(&o);
            return -1;
        }
    }
    if (rq != NULL) cbor_decref(&rq);
    if (o.failed) {
        ns_cbor_buf_free(&o);
        return ns_error_set(err, "NSM simulator: out of memory");
    }
    size_t n = o.len < resp_cap ? o.len : resp_cap; /* the device truncates silently */
    memcpy(resp, o.data, n);
    *resp_len = n;
    ns_cbor_buf_free(&o);
    return 0;
}

static int sim_call(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap, size_t *resp_len,
                    ns_error *err) {
    return ns_nsm_sim_handle(ctx, req, req_len, resp, resp_cap, resp_len, err);
}

void ns_nsm_sim_transport(ns_nsm_transport *t, ns_nsm_sim *sim) {
    t->ctx = sim;
    t->call = sim_call;
    t->close = NULL;
}
