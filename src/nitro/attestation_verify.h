/* Verifying an AWS Nitro attestation document.
 *
 *   ns_att_policy pol;
 *   ns_att_policy_init(&pol);              // AWS root, chain checked at the doc's timestamp
 *   pol.nonce.data = challenge; pol.nonce.len = 32;
 *   ns_att_result *res = malloc(sizeof *res);
 *   if (ns_att_verify(res, cose, cose_len, &pol, &err) != 0) ...;  // internal error only
 *   if (!res->ok) for (i < res->nfail) puts(res->fail[i]);
 *   // res->doc.timestamp_ms, res->doc.pcr[..], res->doc.user_data ...
 *   // res->simulated: the trust anchor was not the AWS root (never accept as real)
 *
 * Checks, all run and reported (not stop-at-first), once the document parses:
 *  - COSE_Sign1 and payload schema (cose.h, attestation_doc.h);
 *  - cabundle[0] is byte-identical to the trust anchor, cabundle is ordered
 *    root first and chains to the leaf;
 *  - every certificate in the path (and the anchor) is inside its validity
 *    window at the validation instant;
 *  - OpenSSL PKIX path validation (basicConstraints, keyUsage, pathLen,
 *    signatures) to the anchor alone, no CRLs, no partial chains;
 *  - leaf: EC P-384 key, ecdsa-with-SHA384, digitalSignature, not a CA;
 *  - ES384 over the exact Sig_structure with the leaf key;
 *  - policy: expected PCRs, debug mode (PCR0 all zero) refused unless
 *    allow_debug (then res->untrustworthy), expected nonce / user_data /
 *    public_key (byte-exact; an expected field that is null fails). */
#ifndef NS_NITRO_ATTESTATION_VERIFY_H
#define NS_NITRO_ATTESTATION_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/attestation_doc.h"
#include "util/error.h"

#define NS_ATT_MAX_FAILURES 32
#define NS_ATT_FAIL_LEN 320

typedef struct {
    const uint8_t *data; /* NULL: no expectation */
    size_t len;
} ns_att_expect;

typedef struct {
    int at_set;        /* 0: validate the chain at the document's own timestamp */
    int64_t at;        /* validation instant, seconds since the epoch (when at_set) */
    int64_t now;       /* "now" for the leaf-expired-since report; 0 = time(NULL) */
    const uint8_t *trust_root_der; /* NULL: the compiled-in AWS root */
    size_t trust_root_len;
    uint32_t pcr_mask; /* bit i: pcr[i] is expected */
    uint8_t pcr[NS_ATT_PCR_COUNT][NS_ATT_PCR_LEN];
    int allow_debug;
    ns_att_expect nonce, user_data, public_key;
} ns_att_policy;

typedef struct {
    char subject[256];
    char issuer[256];
    int64_t not_before, not_after;
} ns_att_cert_info;

typedef struct {
    int ok;            /* 1 only when every check passed */
    int parsed;        /* doc below is valid */
    int simulated;     /* trust anchor is not the AWS Nitro root: NOT a real attestation */
    int debug;         /* PCR0 all zero */
    int untrustworthy; /* debug document accepted because of allow_debug */
    int tagged;        /* COSE tag 18 present */
    int64_t at;        /* instant the chain was checked at (seconds) */
    int64_t now;
    int leaf_expired_now; /* the leaf's notAfter is before now */
    ns_att_doc doc;
    size_t ncerts;     /* path: [leaf, cabundle[N-1], ..., cabundle[0]] */
    ns_att_cert_info certs[1 + NS_ATT_MAX_CABUNDLE];
    size_t nfail;
    char fail[NS_ATT_MAX_FAILURES][NS_ATT_FAIL_LEN];
} ns_att_result;

void ns_att_policy_init(ns_att_policy *pol);

/* Runs every check.  Returns 0 when the checks ran (res->ok says whether
 * they all passed), -1 on an internal error (bad trust root, no memory). */
int ns_att_verify(ns_att_result *res, const uint8_t *cose, size_t n, const ns_att_policy *pol, ns_error *err);

/* Parse only (no signature or chain check) and fill doc/certs for display.
 * Returns 0, or -1 with err when the document does not parse. */
int ns_att_inspect(ns_att_result *res, const uint8_t *cose, size_t n, ns_error *err);

/* "2024-11-30T16:22:48Z" (buf >= 32 bytes). */
void ns_att_format_time(char *buf, size_t cap, int64_t t);
/* Accepts seconds since the epoch ("1732983768", "@1732983768") or UTC
 * "YYYY-MM-DDTHH:MM:SS[Z]" / "YYYY-MM-DD HH:MM:SS". */
int ns_att_parse_time(int64_t *t, const char *s);

#endif
