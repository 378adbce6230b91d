/* EIF measurement: the synthetic vector (PCR0/1/2, CRC32, header fields
 * from its expected.json), `nitro-cli pcr --input` on "hello", structural
 * mutations that must be refused, and a signed image built here (PCR8 and
 * the signed PCR0 check). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "nitro/cbor_util.h"
#include "nitro/cose.h"
#include "nitro/eif.h"
#include "nitro/nsm_sim.h"
#include "test_nitro_common.h"
#include "testutil.h"
#include "util/hex.h"

#define SYN "nitro/synthetic/synthetic_v4_3ramdisks"

static int hex_is(const uint8_t *p, size_t n, const char *hex) {
    uint8_t b[64];
    return hex != NULL && ns_hex_decode(b, sizeof b, hex) == (long)n && memcmp(b, p, n) == 0;
}

static void put_be(uint8_t *p, uint64_t v, int w) {
    for (int i = w - 1; i >= 0; i--, v >>= 8) p[i] = (uint8_t)v;
}

static void fix_crc(uint8_t *d, size_t n) {
    uint32_t c = ns_eif_crc32(0, d, 544);
    c = ns_eif_crc32(c, d + 548, n - 548);
    put_be(d + 544, c, 4);
}

static void put_u8_array(ns_cbor_buf *b, const uint8_t *p, size_t n) {
    ns_cbor_put_head(b, 4, n);
    for (size_t i = 0; i < n; i++) ns_cbor_put_uint(b, p[i]);
}

/* The synthetic image plus a signature section (entry 0 = {signing_certificate:
 * PEM bytes, signature: COSE_Sign1 over {register_index: 0, register_value: pcr0}}). */
static uint8_t *build_signed(size_t *out_len, const uint8_t *eif, size_t n, unsigned nsec, const uint8_t *pem,
                             size_t pem_len, const uint8_t pcr0[48], EVP_PKEY *key) {
    ns_cbor_buf pl, cose, sec;
    ns_cbor_buf_init(&pl);
    ns_cbor_buf_init(&cose);
    ns_cbor_buf_init(&sec);
    ns_cbor_put_head(&pl, 5, 2);
    ns_cbor_put_text(&pl, "register_index");
    ns_cbor_put_uint(&pl, 0);
    ns_cbor_put_text(&pl, "register_value");
    put_u8_array(&pl, pcr0, 48);
    static const uint8_t prot[4] = {0xa1, 0x01, 0x38, 0x22}, sig[96] = {1};
    if (key != NULL) {
        ns_cose_sign1 *c = calloc(1, sizeof *c);
        ns_error err;
        memcpy(c->protected_hdr, prot, 4);
        c->protected_len = 4;
        memcpy(c->payload, pl.data, pl.len);
        c->payload_len = pl.len;
        CHECK(ns_cose_sign_es384(c, key, &cose, &err) == 0);
        free(c);
    } else {
        ns_cbor_put_head(&cose, 4, 4);
        ns_cbor_put_bytes(&cose, prot, 4);
        ns_cbor_put_head(&cose, 5, 0);
        ns_cbor_put_bytes(&cose, pl.data, pl.len);
        ns_cbor_put_bytes(&cose, sig, 96);
    }
    ns_cbor_put_head(&sec, 4, 1);
    ns_cbor_put_head(&sec, 5, 2);
    ns_cbor_put_text(&sec, "signing_certificate");
    put_u8_array(&sec, pem, pem_len);
    ns_cbor_put_text(&sec, "signature");
    put_u8_array(&sec, cose.data, cose.len);
    uint8_t *s = malloc(n + 12 + sec.len);
    memcpy(s, eif, n);
    put_be(s + n, 4, 2);
    put_be(s + n + 2, 0, 2);
    put_be(s + n + 4, sec.len, 8);
    memcpy(s + n + 12, sec.data, sec.len);
    put_be(s + 26, nsec + 1, 2);
    put_be(s + 28 + 8 * nsec, n, 8);
    put_be(s + 284 + 8 * nsec, sec.len, 8);
    *out_len = n + 12 + sec.len;
    fix_crc(s, *out_len);
    ns_cbor_buf_free(&pl);
    ns_cbor_buf_free(&cose);
    ns_cbor_buf_free(&sec);
    return s;
}

int main(void) {
    size_t n;
    uint8_t *eif = ns_test_read_file(nitro_vec_path(SYN ".eif"), &n);
    json_error_t je;
    json_t *e = json_load_file(nitro_vec_path(SYN ".expected.json"), 0, &je);
    CHECK(eif != NULL && e != NULL);
    if (eif == NULL || e == NULL) return ns_test_report("nitro_eif");
    ns_eif_measurement m;
    ns_error err;
    CHECK(ns_eif_measure(&m, eif, n, &err) == 0);
    CHECK(hex_is(m.pcr0, 48, json_string_value(json_object_get(e, "PCR0"))));
    CHECK(hex_is(m.pcr1, 48, json_string_value(json_object_get(e, "PCR1"))));
    CHECK(hex_is(m.pcr2, 48, json_string_value(json_object_get(e, "PCR2"))));
    char crc[9];
    snprintf(crc, sizeof crc, "%08x", m.crc32);
    CHECK(strcmp(crc, json_string_value(json_object_get(e, "eif_crc32"))) == 0);
    json_t *h = json_object_get(e, "header");
    CHECK(m.version == json_integer_value(json_object_get(h, "version")) && m.flags == 0);
    CHECK(m.num_sections == json_integer_value(json_object_get(h, "num_sections")) && m.nramdisks == 3);
    CHECK(m.default_mem == (uint64_t)json_integer_value(json_object_get(h, "default_mem")));
    CHECK(!m.is_signed && m.has_metadata);
    json_t *ex = json_object_get(e, "nitro_cli_pcr_input_example");
    uint8_t pcr[48];
    ns_eif_pcr_of_bytes(pcr, (const uint8_t *)"hello", 5);
    CHECK(hex_is(pcr, 48, json_string_value(json_object_get(ex, "PCR"))));
    CHECK(ns_eif_measure_file(&m, nitro_vec_path(SYN ".eif"), &err) == 0);

    /* mutations */
    uint8_t *x = malloc(n + 4096);
    struct {
        int off;
        uint8_t xor;
        const char *reason;
    } MUT[] = {
        {0, 0x01, "bad magic"},
        {5, 0x10, "unsupported version"},
        {27, 0x40, "sections"},
        {28 + 7, 0x01, "back to back"},
        {284 + 7, 0x01, "disagrees"},
        {548 + 1, 0x06, "unknown type"},
        {600, 0x01, "CRC32 mismatch"},
        {544, 0x01, "CRC32 mismatch"},
    };
    for (size_t i = 0; i < sizeof MUT / sizeof MUT[0]; i++) {
        memcpy(x, eif, n);
        x[MUT[i].off] ^= MUT[i].xor;
        CHECK_MSG(ns_eif_measure(&m, x, n, &err) != 0 && strstr(err.msg, MUT[i].reason), "mutation %zu: %s", i,
                  err.msg);
    }
    memcpy(x, eif, n);
    x[n] = 0;
    CHECK(ns_eif_measure(&m, x, n + 1, &err) != 0 && strstr(err.msg, "after the last section"));
    CHECK(ns_eif_measure(&m, x, n - 1, &err) != 0 && strstr(err.msg, "past the end"));
    CHECK(ns_eif_measure(&m, x, 100, &err) != 0 && strstr(err.msg, "shorter"));
    /* swap the kernel's type with the cmdline's: order violation */
    memcpy(x, eif, n);
    x[548 + 1] = 2;
    fix_crc(x, n);
    CHECK(ns_eif_measure(&m, x, n, &err) != 0 && strstr(err.msg, "cmdline must follow"));

    /* a signed image: append a signature section holding the simulator's
     * root as signing certificate and a COSE_Sign1 over PCR0 */
    ns_nsm_sim_config cfg;
    ns_nsm_sim_config_init(&cfg);
    ns_nsm_sim *sim = ns_nsm_sim_new(&cfg, &err);
    CHECK(sim != NULL);
    if (sim != NULL) {
        CHECK(ns_eif_measure(&m, eif, n, &err) == 0);
        uint8_t pcr0[48];
        memcpy(pcr0, m.pcr0, 48);
        const char *pem;
        size_t pem_len, sn;
        const uint8_t *der;
        size_t der_len;
        ns_nsm_sim_root_pem(sim, &pem, &pem_len);
        ns_nsm_sim_root_der(sim, &der, &der_len);
        uint8_t *s = build_signed(&sn, eif, n, m.num_sections, (const uint8_t *)pem, pem_len, pcr0, NULL);
        CHECK(ns_eif_measure(&m, s, sn, &err) == 0);
        uint8_t want8[48];
        ns_eif_pcr_of_bytes(want8, der, der_len);
        CHECK(m.is_signed && memcmp(m.pcr8, want8, 48) == 0 && m.signature_pcr0_ok && !m.signature_valid);
        CHECK(memcmp(m.pcr0, pcr0, 48) == 0);
        free(s);
        /* a really signed image: own P-384 key and self-signed certificate */
        EVP_PKEY *key = EVP_EC_gen("P-384");
        X509 *cert = X509_new();
        CHECK(key != NULL && cert != NULL);
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
        X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC, (const unsigned char *)"eif signer", -1, -1, 0);
        X509_set_issuer_name(cert, X509_get_subject_name(cert));
        X509_gmtime_adj(X509_getm_notBefore(cert), 0);
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
        X509_set_pubkey(cert, key);
        CHECK(X509_sign(cert, key, EVP_sha384()) > 0);
        BIO *bio = BIO_new(BIO_s_mem());
        PEM_write_bio_X509(bio, cert);
        char *cpem;
        long cpl = BIO_get_mem_data(bio, &cpem);
        uint8_t *cder = NULL;
        int cdl = i2d_X509(cert, &cder);
        s = build_signed(&sn, eif, n, 6, (const uint8_t *)cpem, (size_t)cpl, pcr0, key);
        CHECK(ns_eif_measure(&m, s, sn, &err) == 0 && m.is_signed && m.signature_valid && m.signature_pcr0_ok);
        ns_eif_pcr_of_bytes(want8, cder, (size_t)cdl);
        CHECK(memcmp(m.pcr8, want8, 48) == 0);
        free(s);
        /* signed by a different key than the certificate's */
        EVP_PKEY *key2 = EVP_EC_gen("P-384");
        s = build_signed(&sn, eif, n, 6, (const uint8_t *)cpem, (size_t)cpl, pcr0, key2);
        CHECK(ns_eif_measure(&m, s, sn, &err) == 0 && m.is_signed && !m.signature_valid && m.signature_pcr0_ok);
        free(s);
        EVP_PKEY_free(key2);
        OPENSSL_free(cder);
        BIO_free(bio);
        X509_free(cert);
        EVP_PKEY_free(key);
        /* a signature over another PCR0 is noticed */
        uint8_t other[48];
        memcpy(other, pcr0, 48);
        other[0] ^= 1;
        s = build_signed(&sn, eif, n, 6, (const uint8_t *)pem, pem_len, other, NULL);
        CHECK(ns_eif_measure(&m, s, sn, &err) == 0 && m.is_signed && !m.signature_pcr0_ok);
        free(s);
        /* a signing certificate that is not PEM is an error */
        s = build_signed(&sn, eif, n, 6, (const uint8_t *)"not a certificate", 17, pcr0, NULL);
        CHECK(ns_eif_measure(&m, s, sn, &err) != 0 && strstr(err.msg, "signature section"));
        free(s);
        ns_nsm_sim_free(sim);
    }
    free(x);
    free(eif);
    json_decref(e);
    return ns_test_report("nitro_eif");
}
