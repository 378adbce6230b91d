/* zkey section 10 ("MPC params") and the hashes derived from it, as
 * snarkjs 0.7.6 defines them (docs/snarkjs-formats.md, "Section 10", "RNG"):
 *
 *   csHash(64) · u32 nContributions · records
 *   record = deltaAfter(G1) · g1_s(G1) · g1_sx(G1) · g2_spx(G2) · transcript(64)
 *            · u32 type · u32 paramsLength · params (TLV: 1 name, 2 exp, 3 beacon hash)
 *
 * Points are kept as their LEM bytes (exactly as stored); hashing converts
 * them to the uncompressed big-endian "U" form.  Nothing here is secret. */
#ifndef NS_PHASE2_TRANSCRIPT_H
#define NS_PHASE2_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/error.h"
#include "util/hash.h"

#define NS_P2_NAME_MAX 255        /* a stored name is at most 255 bytes */
#define NS_P2_BEACON_HASH_MAX 255 /* beacon hash: 1..255 bytes */
#define NS_P2_RECORD_FIXED 392    /* record size without params bytes */
#define NS_P2_TYPE_CONTRIBUTION 0
#define NS_P2_TYPE_BEACON 1

typedef struct {
    uint8_t delta_after[64]; /* LEM G1 */
    uint8_t g1_s[64];        /* LEM G1 */
    uint8_t g1_sx[64];       /* LEM G1 */
    uint8_t g2_spx[128];     /* LEM G2 */
    uint8_t transcript[64];
    uint32_t type;
    int has_name;            /* name param present */
    uint8_t name_len;
    char name[NS_P2_NAME_MAX + 1]; /* bytes as stored, NUL-terminated */
    int has_exp;
    uint8_t num_iterations_exp;
    int has_beacon_hash;
    uint8_t beacon_hash_len;
    uint8_t beacon_hash[NS_P2_BEACON_HASH_MAX];
} ns_p2_contribution;

typedef struct {
    uint8_t cs_hash[64];
    uint32_t n;
    ns_p2_contribution *c; /* n records (malloc'd) */
} ns_p2_mpc;

/* Parses a section-10 payload with snarkjs' rules ("Parameters in the
 * contribution must be sorted", unknown parameter, length mismatch) plus
 * bounds checks; the payload must be consumed exactly.  path names the file. */
int ns_p2_mpc_parse(ns_p2_mpc *m, const uint8_t *p, uint64_t size, const char *path,
                    ns_error *err);
void ns_p2_mpc_free(ns_p2_mpc *m);
/* Appends one record (copied).  Returns -1 on allocation failure. */
int ns_p2_mpc_push(ns_p2_mpc *m, const ns_p2_contribution *c, ns_error *err);

/* Serialised params of a record as snarkjs' writer produces them (name
 * normalised to 64 UTF-16 code units, beacon params only for type 1).
 * out must hold NS_P2_PARAMS_MAX bytes; returns the length. */
#define NS_P2_PARAMS_MAX (2 + NS_P2_NAME_MAX + 2 + 2 + NS_P2_BEACON_HASH_MAX)
size_t ns_p2_params_encode(uint8_t *out, const ns_p2_contribution *c);
/* Size of the whole section-10 payload ns_p2_mpc_serialize writes. */
uint64_t ns_p2_mpc_size(const ns_p2_mpc *m);
/* Writes the payload into out (ns_p2_mpc_size bytes). */
void ns_p2_mpc_serialize(uint8_t *out, const ns_p2_mpc *m);

/* Name handling of snarkjs: JS substring(0, 64) of the text (64 UTF-16 code
 * units; a cut surrogate pair becomes U+FFFD) then UTF-8.  The input is
 * decoded as WHATWG TextDecoder does (invalid sequences -> U+FFFD, a
 * leading BOM dropped).  Returns the encoded length (<= 192). */
size_t ns_p2_name_normalize(char out[NS_P2_NAME_MAX + 1], const char *in, size_t len);

/* Converts LEM point bytes to U (uncompressed, big-endian, G2 as c1 c0).
 * Return 0, or -1 if a coordinate is not below q. */
int ns_p2_g1_lem_to_u(uint8_t out[64], const uint8_t lem[64]);
int ns_p2_g2_lem_to_u(uint8_t out[128], const uint8_t lem[128]);

/* hashPubKey: U(deltaAfter) U(g1_s) U(g1_sx) U(g2_spx) transcript. */
void ns_p2_hash_pubkey(ns_hash *h, const ns_p2_contribution *c);
/* H(hashPubKey(c)): the "Contribution Hash". */
void ns_p2_contribution_hash(uint8_t out[64], const ns_p2_contribution *c);
/* Hasher over csHash and the pubkeys of the first k records (k <= m->n);
 * the transcript of record k is this plus U(g1_s) U(g1_sx).  NULL on OOM. */
ns_hash *ns_p2_transcript_prefix(const ns_p2_mpc *m, uint32_t k);

/* snarkjs formatHash: title line then 4 lines of "\t\t" + 4 BE u32 groups. */
void ns_p2_format_hash(FILE *out, const uint8_t h[64], const char *title);

/* zkey beacon argument rules (as snarkjs): hex without 0x, even length, 1..255
 * bytes; 10 <= exp <= 63 (decimal).  Return 0 or -1 with snarkjs' message. */
int ns_p2_beacon_parse_hash(uint8_t out[NS_P2_BEACON_HASH_MAX], size_t *len, const char *hex,
                            ns_error *err);
int ns_p2_beacon_parse_exp(unsigned *exp, const char *text, ns_error *err);
/* rngFromBeaconParams: cur = SHA-256(cur) 2^exp times; the 32-byte digest
 * seeds the ChaCha RNG.  exp in 10..63 (callers check). */
void ns_p2_beacon_digest(uint8_t out[32], const uint8_t *hash, size_t len, unsigned exp);

#endif
