#include "nitro/eif.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "nitro/cbor_util.h"
#include "util/hash.h"
#include "util/mapfile.h"

enum { SEC_KERNEL = 1, SEC_CMDLINE = 2, SEC_RAMDISK = 3, SEC_SIGNATURE = 4, SEC_METADATA = 5 };

static uint64_t be(const uint8_t *p, int w) {
    uint64_t v = 0;
    for (int i = 0; i < w; i++) v = v << 8 | p[i];
    return v;
}

uint32_t ns_eif_crc32(uint32_t crc, const uint8_t *p, size_t n) {
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    crc = ~crc;
    for (size_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

void ns_eif_pcr_extend(uint8_t pcr[48], const uint8_t *data, size_t n) {
    ns_hash *h = ns_hash_new(NS_HASH_SHA384);
    if (h == NULL) abort();
    ns_hash_update(h, pcr, 48);
    ns_hash_update(h, data, n);
    ns_hash_final(h, pcr);
    ns_hash_free(h);
}

void ns_eif_pcr_of_bytes(uint8_t out[48], const uint8_t *data, size_t n) {
    uint8_t d[48];
    ns_hash *h = ns_hash_new(NS_HASH_SHA384);
    if (h == NULL) abort();
    ns_hash_update(h, data, n);
    ns_hash_final(h, d);
    ns_hash_free(h);
    memset(out, 0, 48);
    ns_eif_pcr_extend(out, d, 48);
}

/* Reads the "array of uint8" serde encoding of a byte vector. */
static int u8_array(const cbor_item_t *v, uint8_t **out, size_t *len) {
    if (v == NULL || !cbor_isa_array(v)) return -1;
    size_t n = cbor_array_size(v);
    uint8_t *b = malloc(n ? n : 1);
    if (b == NULL) return -1;
    cbor_item_t **it = cbor_array_handle(v);
    for (size_t i = 0; i < n; i++) {
        if (!cbor_isa_uint(it[i]) || cbor_get_int(it[i]) > 255) {
            free(b);
            return -1;
        }
        b[i] = (uint8_t)cbor_get_int(it[i]);
    }
    *out = b;
    *len = n;
    return 0;
}

static const cbor_item_t *map_get(const cbor_item_t *m, const char *key) {
    if (m == NULL || !cbor_isa_map(m)) return NULL;
    size_t kl = strlen(key);
    struct cbor_pair *e = cbor_map_handle(m);
    for (size_t i = 0; i < cbor_map_size(m); i++)
        if (cbor_isa_string(e[i].key) && cbor_string_is_definite(e[i].key) && cbor_string_length(e[i].key) == kl &&
            memcmp(cbor_string_handle(e[i].key), key, kl) == 0)
            return e[i].value;
    return NULL;
}

/* The signature section's COSE_Sign1 (ES256, ES384 or ES512, as the AWS
 * signing tool picks by key size) over {"register_index": 0,
 * "register_value": [48 x u8]}.  Sets *valid when the signature verifies
 * with the certificate's key and *pcr0 to the signed register value. */
static int check_signed_pcr0(const uint8_t *sig, size_t n, X509 *cert, int *valid, uint8_t pcr0[48]) {
    size_t used;
    *valid = 0;
    if (n == 0 || ns_cbor_scan(sig, n, 4, &used, NULL) != 0 || used != n) return -1;
    size_t off = sig[0] == 0xd2 ? 1 : 0;
    struct cbor_load_result r;
    cbor_item_t *c = cbor_load(sig + off, n - off, &r);
    if (c == NULL) return -1;
    int rc = -1;
    cbor_item_t **it = cbor_isa_array(c) && cbor_array_size(c) == 4 ? cbor_array_handle(c) : NULL;
    if (it == NULL) goto done;
    for (int i = 0; i < 4; i++)
        if (i != 1 && !(cbor_isa_bytestring(it[i]) && cbor_bytestring_is_definite(it[i]))) goto done;
    /* protected header {1: alg} */
    const uint8_t *ph = cbor_bytestring_handle(it[0]);
    size_t phl = cbor_bytestring_length(it[0]);
    int alg = 0;
    if (phl > 0 && ns_cbor_scan(ph, phl, 2, &used, NULL) == 0 && used == phl) {
        cbor_item_t *m = cbor_load(ph, phl, &r);
        if (m != NULL && cbor_isa_map(m)) {
            struct cbor_pair *e = cbor_map_handle(m);
            for (size_t i = 0; i < cbor_map_size(m); i++)
                if (cbor_isa_uint(e[i].key) && cbor_get_int(e[i].key) == 1 && cbor_isa_negint(e[i].value) &&
                    cbor_get_int(e[i].value) < 64)
                    alg = -1 - (int)cbor_get_int(e[i].value);
        }
        if (m != NULL) cbor_decref(&m);
    }
    const EVP_MD *md = alg == -7 ? EVP_sha256() : alg == -35 ? EVP_sha384() : alg == -36 ? EVP_sha512() : NULL;
    size_t half = alg == -7 ? 32 : alg == -35 ? 48 : 66;
    /* payload: register_value */
    const uint8_t *pl = cbor_bytestring_handle(it[2]);
    size_t pll = cbor_bytestring_length(it[2]);
    if (pll == 0 || ns_cbor_scan(pl, pll, 3, &used, NULL) != 0 || used != pll) goto done;
    cbor_item_t *m = cbor_load(pl, pll, &r);
    uint8_t *v = NULL;
    size_t vl = 0;
    const cbor_item_t *idx = map_get(m, "register_index");
    if (m != NULL && idx != NULL && cbor_isa_uint(idx) && cbor_get_int(idx) == 0 &&
        u8_array(map_get(m, "register_value"), &v, &vl) == 0 && vl == 48) {
        memcpy(pcr0, v, 48);
        rc = 0;
    }
    free(v);
    if (m != NULL) cbor_decref(&m);
    if (rc != 0 || md == NULL || cbor_bytestring_length(it[3]) != 2 * half) goto done;
    /* Sig_structure ["Signature1", protected, h'', payload] */
    ns_cbor_buf tbs;
    ns_cbor_buf_init(&tbs);
    ns_cbor_put_head(&tbs, 4, 4);
    ns_cbor_put_text(&tbs, "Signature1");
    ns_cbor_put_bytes(&tbs, ph, phl);
    ns_cbor_put_head(&tbs, 2, 0);
    ns_cbor_put_bytes(&tbs, pl, pll);
    const uint8_t *raw = cbor_bytestring_handle(it[3]);
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *br = BN_bin2bn(raw, (int)half, NULL), *bs = BN_bin2bn(raw + half, (int)half, NULL);
    uint8_t *der = NULL;
    int dl = -1;
    if (es != NULL && br != NULL && bs != NULL && ECDSA_SIG_set0(es, br, bs) == 1) {
        br = bs = NULL;
        dl = i2d_ECDSA_SIG(es, &der);
    }
    BN_free(br);
    BN_free(bs);
    ECDSA_SIG_free(es);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY *pk = X509_get0_pubkey(cert);
    if (dl > 0 && ctx != NULL && pk != NULL && !tbs.failed && EVP_DigestVerifyInit(ctx, NULL, md, NULL, pk) == 1 &&
        EVP_DigestVerify(ctx, der, (size_t)dl, tbs.data, tbs.len) == 1)
        *valid = 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    ns_cbor_buf_free(&tbs);
done:
    cbor_decref(&c);
    return rc;
}

/* Signature section: PCR8 from entry 0's certificate (PEM bytes). */
static int measure_signature(ns_eif_measurement *m, const uint8_t *p, size_t n, ns_error *err) {
    size_t used;
    if (ns_cbor_scan(p, n, 4, &used, err) != 0) return ns_error_prefix(err, "EIF signature section");
    if (used != n) return ns_error_set(err, "EIF signature section: trailing bytes");
    struct cbor_load_result r;
    cbor_item_t *arr = cbor_load(p, n, &r);
    if (arr == NULL) return ns_error_set(err, "EIF signature section: CBOR decode error");
    int rc = -1;
    uint8_t *pem = NULL, *sig = NULL;
    size_t pem_len = 0, sig_len = 0;
    X509 *x = NULL;
    if (!cbor_isa_array(arr) || cbor_array_size(arr) < 1) {
        ns_error_set(err, "EIF signature section: not a non-empty array");
        goto done;
    }
    const cbor_item_t *e0 = cbor_array_handle(arr)[0];
    if (u8_array(map_get(e0, "signing_certificate"), &pem, &pem_len) != 0 ||
        u8_array(map_get(e0, "signature"), &sig, &sig_len) != 0) {
        ns_error_set(err, "EIF signature section: entry 0 lacks signing_certificate/signature byte arrays");
        goto done;
    }
    BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
    x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (x == NULL) {
        ns_error_set(err, "EIF signature section: signing_certificate is not a PEM certificate");
        goto done;
    }
    uint8_t *der = NULL;
    int dl = i2d_X509(x, &der);
    if (dl <= 0) {
        ns_error_set(err, "EIF signature section: cannot encode the certificate");
        goto done;
    }
    ns_eif_pcr_of_bytes(m->pcr8, der, (size_t)dl);
    OPENSSL_free(der);
    uint8_t v[48];
    int valid = 0;
    m->signature_pcr0_ok = check_signed_pcr0(sig, sig_len, x, &valid, v) == 0 && memcmp(v, m->pcr0, 48) == 0;
    m->signature_valid = valid;
    m->is_signed = 1;
    rc = 0;
done:
    X509_free(x);
    free(pem);
    free(sig);
    cbor_decref(&arr);
    return rc;
}

/* Longer than 100 lines on purpose: one pass over the sections in file
 * order, each validated (bounds, type, size, CRC) and hashed into the PCRs
 * it belongs to; split up, the four running hash states and the section
 * cursor would travel through every helper, and the order of the checks,
 * which the EIF vectors pin, would be harder to read. */
int ns_eif_measure(ns_eif_measurement *m, const uint8_t *d, size_t n, ns_error *err) {
    memset(m, 0, sizeof *m);
    if (n < NS_EIF_HEADER_LEN) return ns_error_set(err, "EIF: file shorter than the %d-byte header", NS_EIF_HEADER_LEN);
    if (memcmp(d, ".eif", 4) != 0) return ns_error_set(err, "EIF: bad magic (not an enclave image file)");
    m->version = (uint16_t)be(d + 4, 2);
    m->flags = (uint16_t)be(d + 6, 2);
    m->default_mem = be(d + 8, 8);
    m->default_cpus = be(d + 16, 8);
    m->num_sections = (uint16_t)be(d + 26, 2);
    if (m->version < 1 || m->version > 4) return ns_error_set(err, "EIF: unsupported version %u", m->version);
    if (m->num_sections < 3 || m->num_sections > NS_EIF_MAX_SECTIONS)
        return ns_error_set(err, "EIF: %u sections, expected 3..%d", m->num_sections, NS_EIF_MAX_SECTIONS);
    m->has_crc = m->version >= 2;
    uint32_t stored = (uint32_t)be(d + 544, 4);
    uint32_t crc = ns_eif_crc32(0, d, 544);

    ns_hash *h0 = ns_hash_new(NS_HASH_SHA384), *h1 = ns_hash_new(NS_HASH_SHA384), *h2 = ns_hash_new(NS_HASH_SHA384);
    int rc = -1, nkernel = 0, ncmdline = 0, nsig = 0;
    const uint8_t *sig = NULL;
    size_t sig_len = 0;
    if (h0 == NULL || h1 == NULL || h2 == NULL) {
        ns_error_set(err, "EIF: out of memory");
        goto done;
    }
    uint64_t pos = NS_EIF_HEADER_LEN;
    for (unsigned i = 0; i < m->num_sections; i++) {
        uint64_t off = be(d + 28 + 8 * i, 8), size = be(d + 284 + 8 * i, 8);
        if (off != pos) {
            ns_error_set(err, "EIF: section %u at offset %llu, expected %llu (sections must be back to back)", i,
                         (unsigned long long)off, (unsigned long long)pos);
            goto done;
        }
        if (n - pos < 12 || size > n - pos - 12) {
            ns_error_set(err, "EIF: section %u runs past the end of the file", i);
            goto done;
        }
        const uint8_t *sh = d + pos;
        unsigned type = (unsigned)be(sh, 2);
        if (be(sh + 4, 8) != size) {
            ns_error_set(err, "EIF: section %u size %llu disagrees with the header table (%llu)", i,
                         (unsigned long long)be(sh + 4, 8), (unsigned long long)size);
            goto done;
        }
        const uint8_t *data = sh + 12;
        crc = ns_eif_crc32(crc, sh, 12 + (size_t)size);
        switch (type) {
        case SEC_KERNEL:
            if (nkernel++ || ncmdline || m->nramdisks) {
                ns_error_set(err, "EIF: section %u: the kernel must come first and only once", i);
                goto done;
            }
            ns_hash_update(h0, data, (size_t)size);
            ns_hash_update(h1, data, (size_t)size);
            break;
        case SEC_CMDLINE:
            if (ncmdline++ || !nkernel || m->nramdisks) {
                ns_error_set(err, "EIF: section %u: the cmdline must follow the kernel, once", i);
                goto done;
            }
            ns_hash_update(h0, data, (size_t)size);
            ns_hash_update(h1, data, (size_t)size);
            break;
        case SEC_RAMDISK:
            if (!ncmdline) {
                ns_error_set(err, "EIF: section %u: ramdisk before kernel and cmdline", i);
                goto done;
            }
            ns_hash_update(h0, data, (size_t)size);
            ns_hash_update(m->nramdisks == 0 ? h1 : h2, data, (size_t)size);
            m->nramdisks++;
            break;
        case SEC_SIGNATURE:
            if (nsig++ || m->version < 3) {
                ns_error_set(err, "EIF: section %u: unexpected signature section", i);
                goto done;
            }
            sig = data;
            sig_len = (size_t)size;
            break;
        case SEC_METADATA:
            if (m->has_metadata++ || m->version < 4) {
                ns_error_set(err, "EIF: section %u: unexpected metadata section", i);
                goto done;
            }
            break;
        default:
            ns_error_set(err, "EIF: section %u has unknown type %u", i, type);
            goto done;
        }
        pos += 12 + size;
    }
    if (pos != n) {
        ns_error_set(err, "EIF: %llu bytes after the last section", (unsigned long long)(n - pos));
        goto done;
    }
    if (!nkernel || !ncmdline || !m->nramdisks) {
        ns_error_set(err, "EIF: kernel, cmdline and at least one ramdisk are required");
        goto done;
    }
    if (m->has_crc && crc != stored) {
        ns_error_set(err, "EIF: CRC32 mismatch (header %08x, computed %08x)", stored, crc);
        goto done;
    }
    m->crc32 = crc;
    uint8_t dig[48];
    ns_hash *hs[3] = {h0, h1, h2};
    uint8_t *outs[3] = {m->pcr0, m->pcr1, m->pcr2};
    for (int k = 0; k < 3; k++) {
        ns_hash_final(hs[k], dig);
        memset(outs[k], 0, 48);
        ns_eif_pcr_extend(outs[k], dig, 48);
    }
    if (sig != NULL && measure_signature(m, sig, sig_len, err) != 0) goto done;
    rc = 0;
done:
    ns_hash_free(h0);
    ns_hash_free(h1);
    ns_hash_free(h2);
    return rc;
}

int ns_eif_measure_file(ns_eif_measurement *m, const char *path, ns_error *err) {
    ns_mapfile f;
    if (ns_mapfile_open(&f, path, err) != 0) return -1;
    int rc = ns_eif_measure(m, f.data, (size_t)f.size, err);
    ns_mapfile_close(&f);
    if (rc != 0) ns_error_prefix(err, "%s", path);
    return rc;
}
