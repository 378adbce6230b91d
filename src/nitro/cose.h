/* COSE_Sign1 (RFC 9052) as produced by the AWS Nitro Secure Module:
 * [protected: bstr {1: -35}, unprotected: map, payload: bstr, signature: bstr(96)],
 * untagged or wrapped in CBOR tag 18.  Only ES384 is accepted. */
#ifndef NS_NITRO_COSE_H
#define NS_NITRO_COSE_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/cbor_util.h"
#include "util/error.h"

#define NS_COSE_MAX_INPUT 32768   /* whole COSE_Sign1 */
#define NS_COSE_MAX_PAYLOAD 16384 /* AWS CDDL: payload 1..16384 bytes */
#define NS_COSE_MAX_PROTECTED 64
#define NS_COSE_SIG_LEN 96        /* r || s, 48 bytes each */
#define NS_COSE_ALG_ES384 (-35)

typedef struct {
    int tagged;                             /* input was wrapped in tag 18 */
    uint8_t protected_hdr[NS_COSE_MAX_PROTECTED]; /* exact bytes of item 0 */
    size_t protected_len;
    uint8_t payload[NS_COSE_MAX_PAYLOAD];   /* exact bytes of item 2 */
    size_t payload_len;
    uint8_t signature[NS_COSE_SIG_LEN];     /* raw r || s */
} ns_cose_sign1;

/* Strict decode: exactly one item, no trailing bytes, alg == ES384 and no
 * other protected header parameter, unprotected header a map, payload
 * 1..16384 bytes, signature exactly 96 bytes.  Nothing is allocated before
 * the input has been bounds-checked (ns_cbor_scan). */
int ns_cose_sign1_decode(ns_cose_sign1 *out, const uint8_t *in, size_t n, ns_error *err);

/* Sig_structure ["Signature1", protected, h'', payload] — the bytes that
 * are hashed with SHA-384 and signed.  Appended to *b. */
void ns_cose_sig_structure(ns_cbor_buf *b, const ns_cose_sign1 *c);

/* Verifies the ES384 signature with an EC P-384 public key (EVP_PKEY *).
 * Returns 1 valid, 0 invalid, -1 internal error (err filled). */
int ns_cose_verify_es384(const ns_cose_sign1 *c, void *evp_pkey, ns_error *err);

/* Signs (for the simulator): fills c->signature over the Sig_structure of
 * c->protected_hdr/c->payload with an EC P-384 private key, and encodes
 * the untagged COSE_Sign1 into *b. */
int ns_cose_sign_es384(ns_cose_sign1 *c, void *evp_pkey, ns_cbor_buf *b, ns_error *err);

/* The protected header every Nitro document carries: a1 01 38 22. */
extern const uint8_t NS_COSE_PROTECTED_ES384[4];

#endif
