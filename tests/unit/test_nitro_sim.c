/* The NSM simulator: its documents have the structure of real ones, verify
 * only with its root passed explicitly (and then say simulated), fail on
 * tampering and outside their window; its PKI has AWS's profile; a real
 * document whose root is replaced by the simulator's fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nitro/attestation_verify.h"
#include "nitro/cose.h"
#include "nitro/nsm.h"
#include "nitro/nsm_sim.h"
#include "test_nitro_common.h"
#include "testutil.h"

static uint64_t clock_fn(void *ctx) { return *(uint64_t *)ctx; }

static uint8_t *sim_doc(ns_nsm_sim *sim, const ns_nsm_att_request *rq, size_t *len) {
    ns_nsm_transport t;
    ns_nsm_sim_transport(&t, sim);
    uint8_t *doc = malloc(NS_NSM_MAX_RESPONSE);
    ns_error err;
    if (doc == NULL || ns_nsm_attestation(&t, rq, doc, NS_NSM_MAX_RESPONSE, len, NULL, &err) != 0) {
        free(doc);
        CHECK_MSG(0, "simulated attestation failed: %s", err.msg);
        return NULL;
    }
    return doc;
}

static void check_profile(const ns_att_doc *d) {
    /* [root, regional, zonal, instance] + leaf, like AWS */
    CHECK(d->cabundle_len == 4);
    long want_pathlen[4] = {-1, 2, 1, 0};
    for (size_t i = 0; i < d->cabundle_len; i++) {
        const uint8_t *p = d->cabundle[i].data;
        X509 *x = d2i_X509(NULL, &p, (long)d->cabundle[i].len);
        CHECK(x != NULL);
        if (x == NULL) continue;
        CHECK(X509_check_ca(x) == 1);
        CHECK_MSG(X509_get_pathlen(x) == want_pathlen[i], "pathlen of cabundle[%zu]", i);
        uint32_t ku = X509_get_key_usage(x);
        CHECK(ku & KU_KEY_CERT_SIGN);
        CHECK(i == 3 ? ku == KU_KEY_CERT_SIGN : (ku & (KU_DIGITAL_SIGNATURE | KU_CRL_SIGN)) == (KU_DIGITAL_SIGNATURE | KU_CRL_SIGN));
        CHECK(X509_get_signature_nid(x) == NID_ecdsa_with_SHA384);
        int crit = -1;
        ASN1_BIT_STRING *kus = X509_get_ext_d2i(x, NID_key_usage, &crit, NULL);
        CHECK(crit == 1);
        ASN1_BIT_STRING_free(kus);
        X509_free(x);
    }
    const uint8_t *p = d->certificate.data;
    X509 *leaf = d2i_X509(NULL, &p, (long)d->certificate.len);
    CHECK(leaf != NULL);
    if (leaf == NULL) return;
    CHECK(X509_check_ca(leaf) == 0);
    CHECK(X509_get_key_usage(leaf) == KU_DIGITAL_SIGNATURE);
    int crit = -1;
    ASN1_BIT_STRING *kus = X509_get_ext_d2i(leaf, NID_key_usage, &crit, NULL);
    CHECK(crit == 0); /* non-critical, as on AWS's leaf */
    ASN1_BIT_STRING_free(kus);
    BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(leaf, NID_basic_constraints, &crit, NULL);
    CHECK(bc != NULL && crit == 1 && !bc->ca);
    BASIC_CONSTRAINTS_free(bc);
    CHECK(X509_get_ext_by_NID(leaf, NID_authority_key_identifier, -1) < 0);
    CHECK(X509_get0_notAfter(leaf) != NULL);
    X509_free(leaf);
}

int main(void) {
    ns_nsm_sim_config cfg;
    ns_nsm_sim_config_init(&cfg);
    uint64_t clk = 1767472867402ULL;
    cfg.clock_ms = clock_fn;
    cfg.clock_ctx = &clk;
    ns_error err;
    ns_nsm_sim *sim = ns_nsm_sim_new(&cfg, &err), *other = ns_nsm_sim_new(&cfg, &err);
    CHECK(sim != NULL && other != NULL);
    if (sim == NULL || other == NULL) return ns_test_report("nitro_sim");
    const uint8_t *root, *oroot;
    size_t rl, orl;
    ns_nsm_sim_root_der(sim, &root, &rl);
    ns_nsm_sim_root_der(other, &oroot, &orl);
    const char *pem;
    size_t pem_len;
    ns_nsm_sim_root_pem(sim, &pem, &pem_len);
    CHECK(pem_len > 100 && strncmp(pem, "-----BEGIN CERTIFICATE-----", 27) == 0);

    uint8_t nonce[32];
    memset(nonce, 7, sizeof nonce);
    ns_nsm_att_request rq = {NULL, 0, nonce, sizeof nonce, NULL, 0};
    size_t n;
    uint8_t *doc = sim_doc(sim, &rq, &n);
    ns_att_result *r = malloc(sizeof *r);
    ns_att_policy pol;
    if (doc == NULL || r == NULL) return ns_test_report("nitro_sim");

    /* structure of real documents: untagged, a1 01 38 22, empty unprotected
     * map, 2-byte payload length, definite 9-key map in AWS's order */
    static const uint8_t prefix[] = {0x84, 0x44, 0xa1, 0x01, 0x38, 0x22, 0xa0, 0x59};
    CHECK(memcmp(doc, prefix, sizeof prefix) == 0);
    static const uint8_t payload_prefix[] = {0xa9, 0x69, 'm', 'o', 'd', 'u', 'l', 'e', '_', 'i', 'd'};
    CHECK(memcmp(doc + 10, payload_prefix, sizeof payload_prefix) == 0);
    static const char *order[] = {"module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle",
                                  "public_key", "user_data", "nonce"};
    const uint8_t *last = doc;
    for (int i = 0; i < 9; i++) {
        const uint8_t *k = memmem(doc, n, order[i], strlen(order[i]));
        CHECK_MSG(k != NULL && k > last, "key %s out of order", order[i]);
        if (k) last = k;
    }
    CHECK(memmem(doc, n, "timestamp\x1b", 10) != NULL);
    CHECK(memmem(doc, n, "pcrs\xb0\x00\x58\x30", 8) != NULL);
    CHECK(memmem(doc, n, "cabundle\x84", 9) != NULL);
    CHECK(memmem(doc, n, "public_key\xf6", 11) != NULL && memmem(doc, n, "user_data\xf6", 10) != NULL);

    /* by default (AWS root) it fails; with its root it passes, flagged simulated */
    ns_att_policy_init(&pol);
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && !r->simulated &&
          has_fail(r, "cabundle[0] is not the trusted root (AWS Nitro Enclaves root G1)"));
    pol.trust_root_der = oroot;
    pol.trust_root_len = orl;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "certificate chain"));
    pol.trust_root_der = root;
    pol.trust_root_len = rl;
    pol.nonce.data = nonce;
    pol.nonce.len = sizeof nonce;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && r->ok && r->simulated && !r->debug);
    for (size_t i = 0; i < r->nfail; i++) fprintf(stderr, "  %s\n", r->fail[i]);
    CHECK(r->doc.timestamp_ms == clk && r->doc.nonce.present && !r->doc.user_data.present);
    CHECK(memcmp(r->doc.pcr[0], cfg.pcr[0], 48) == 0 && memcmp(r->doc.pcr[2], cfg.pcr[2], 48) == 0);
    check_profile(&r->doc);
    /* window: the leaf lives 3 hours from 3 s before the first document */
    pol.at_set = 1;
    pol.at = (int64_t)(clk / 1000) + 3 * 3600 + 1;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "leaf certificate") &&
          has_fail(r, "has expired at"));
    pol.at = (int64_t)(clk / 1000) - 5;
    CHECK(ns_att_verify(r, doc, n, &pol, &err) == 0 && !r->ok && has_fail(r, "is not yet valid at"));
    pol.at_set = 0;

    /* tampering with each payload field breaks the signature */
    ns_cose_sign1 *c = malloc(sizeof *c);
    ns_att_doc *d = malloc(sizeof *d), *t = malloc(sizeof *t);
    CHECK(ns_cose_sign1_decode(c, doc, n, &err) == 0 && ns_att_doc_parse(d, c->payload, c->payload_len, &err) == 0);
    for (int f = 0; f < 7; f++) {
        *t = *d;
        switch (f) {
        case 0: t->module_id[5] ^= 1; break;
        case 1: t->timestamp_ms -= 1000; break;
        case 2: t->pcr[1][0] ^= 0x80; break;
        case 3: t->nonce.data[31] ^= 1; break;
        case 4: t->user_data.present = 1; t->user_data.len = 1; break;
        case 5: t->public_key.present = 1; t->public_key.len = 0; break;
        default: t->pcr_mask |= 1u << 16; break;
        }
        size_t m;
        uint8_t *x = rewrap(&m, c, t);
        pol.nonce.data = NULL;
        CHECK(ns_att_verify(r, x, m, &pol, &err) == 0);
        CHECK_MSG(!r->ok && r->nfail == 1 && has_fail(r, "signature: the ES384"), "sim tamper %d", f);
        free(x);
    }
    /* the signature, each byte position group */
    for (int i = 0; i < 96; i += 11) {
        uint8_t *y = malloc(n);
        memcpy(y, doc, n);
        y[n - 96 + i] ^= 1;
        CHECK(ns_att_verify(r, y, n, &pol, &err) == 0 && !r->ok && has_fail(r, "signature"));
        free(y);
    }
    /* a certificate of the simulator's bundle swapped for the other simulator's */
    size_t n2;
    uint8_t *doc2 = sim_doc(other, &rq, &n2);
    ns_cose_sign1 *c2 = malloc(sizeof *c2);
    ns_att_doc *d2 = malloc(sizeof *d2);
    if (doc2 && ns_cose_sign1_decode(c2, doc2, n2, &err) == 0 && ns_att_doc_parse(d2, c2->payload, c2->payload_len, &err) == 0) {
        for (int k = 1; k <= 4; k++) {
            *t = *d;
            if (k == 4)
                t->certificate = d2->certificate;
            else
                t->cabundle[k] = d2->cabundle[k];
            size_t m;
            uint8_t *x = rewrap(&m, c, t);
            CHECK(ns_att_verify(r, x, m, &pol, &err) == 0);
            CHECK_MSG(!r->ok && (has_fail(r, "certificate chain") || has_fail(r, "cabundle order")), "swap %d", k);
            free(x);
        }
    }
    free(doc2);
    free(c2);
    free(d2);

    /* a REAL document whose root is replaced by the simulator's fails,
     * with the AWS root and with the simulator's root alike */
    size_t rn;
    uint8_t *real = ns_test_read_file(nitro_vec_path("nitro/real/nitro-validator_2024-11-30_pubkey.cose"), &rn);
    CHECK(real != NULL);
    if (real && ns_cose_sign1_decode(c, real, rn, &err) == 0 && ns_att_doc_parse(d, c->payload, c->payload_len, &err) == 0) {
        memcpy(d->cabundle[0].data, root, rl);
        d->cabundle[0].len = rl;
        size_t m;
        uint8_t *x = rewrap(&m, c, d);
        ns_att_policy_init(&pol);
        CHECK(ns_att_verify(r, x, m, &pol, &err) == 0 && !r->ok && has_fail(r, "cabundle[0] is not the trusted root"));
        pol.trust_root_der = root;
        pol.trust_root_len = rl;
        CHECK(ns_att_verify(r, x, m, &pol, &err) == 0 && !r->ok && r->simulated && has_fail(r, "certificate chain"));
        free(x);
    }
    free(real);

    /* a debug-mode simulated enclave is refused unless allowed */
    ns_nsm_sim_config dcfg = cfg;
    ns_nsm_sim_config_debug(&dcfg);
    ns_nsm_sim *dsim = ns_nsm_sim_new(&dcfg, &err);
    CHECK(dsim != NULL);
    if (dsim != NULL) {
        size_t dn;
        uint8_t *dd = sim_doc(dsim, &rq, &dn);
        const uint8_t *droot;
        size_t drl;
        ns_nsm_sim_root_der(dsim, &droot, &drl);
        ns_att_policy_init(&pol);
        pol.trust_root_der = droot;
        pol.trust_root_len = drl;
        CHECK(dd && ns_att_verify(r, dd, dn, &pol, &err) == 0 && !r->ok && r->debug && has_fail(r, "debug mode"));
        pol.allow_debug = 1;
        CHECK(dd && ns_att_verify(r, dd, dn, &pol, &err) == 0 && r->ok && r->untrustworthy && r->simulated);
        free(dd);
        ns_nsm_sim_free(dsim);
    }
    free(c);
    free(d);
    free(t);
    free(r);
    free(doc);
    ns_nsm_sim_free(sim);
    ns_nsm_sim_free(other);
    return ns_test_report("nitro_sim");
}
