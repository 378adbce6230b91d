/* Groth16 .zkey files (docs/snarkjs-formats.md): reader over the mapped file and
 * writer helpers producing snarkjs's exact layout.
 *
 * Sections: 1 protocol (u32, 1 = groth16), 2 header, 3 IC, 4 coeffs, 5 A,
 * 6 B1, 7 B2, 8 C/L, 9 H, 10 MPC params.  ns_zkey_parse checks sections 1
 * and 2 and the sizes of 3..9 against the header (never trusting them);
 * section 10 is parsed by ns_zkey_mpc_parse (formats/zkey_mpc.c, the one
 * section-10 reader and writer).  Points stay in LEM form: pointers into
 * the file for sections 3..9, copies in the section-10 records. */
#ifndef NS_FORMATS_ZKEY_H
#define NS_FORMATS_ZKEY_H

#include <stdint.h>

#include "formats/binfile.h"
#include "formats/mpc_params.h"
#include "util/hash.h"

#define NS_ZKEY_HEADER_SIZE 660   /* section 2 payload for BN254 */
#define NS_ZKEY_COEF_SIZE 44      /* u32 matrix, u32 constraint, u32 signal, 32-byte value */
#define NS_ZKEY_CONTRIB_FIXED 392 /* contribution record without params */
#define NS_ZKEY_PROTOCOL_GROTH16 1

/* The Groth16 header (section 2) in memory; points are LEM bytes. */
typedef struct {
    uint32_t nvars, npublic, domain_size;
    uint32_t power;              /* log2(domain_size) */
    uint8_t alpha1[64], beta1[64], beta2[128], gamma2[128], delta1[64], delta2[128];
} ns_zkey_header;

typedef struct {
    ns_binfile bf;
    uint32_t protocol;
    ns_zkey_header h;
    uint32_t ncoefs;
} ns_zkey;

/* Parses a groth16 zkey with version <= max_version (snarkjs accepts 2 in
 * contribute/verify/export, 1 in readZKey).  Checks: protocol 1, header 660
 * bytes with BN254 q and r, n8 = 32, domain a power of two <= 2^28,
 * nPublic < nVars, sizes of 3 (nPub+1 G1), 5/6 (nVars G1), 7 (nVars G2), 8
 * (nVars-nPub-1 G1), 9 (domain G1) and 4 (count × 44 + 4).  Errors name the
 * file and section: "k.zkey: section 9 (H) has 1000 bytes, expected 65536". */
int ns_zkey_parse(ns_zkey *z, const uint8_t *data, uint64_t size, const char *path, uint32_t max_version,
                  ns_error *err);
int ns_zkey_open(ns_zkey *z, ns_mapfile *map, const char *path, uint32_t max_version, ns_error *err);

/* Payload of a point/coef section (already size-checked by parse). */
const uint8_t *ns_zkey_section(const ns_zkey *z, uint32_t id, uint64_t *size);

/* ---- section 10 ("MPC params"), formats/zkey_mpc.c ----
 *
 *   csHash(64) · u32 nContributions · records
 *   record = deltaAfter(G1) · g1_s(G1) · g1_sx(G1) · g2_spx(G2) · transcript(64)
 *            · u32 type · u32 paramsLength · params (TLV, formats/mpc_params.h)
 *
 * Points are kept as their LEM bytes; hashing converts them to U with
 * bn254_g1_lem_to_u.  Nothing here is secret. */
#define NS_ZKEY_TYPE_CONTRIBUTION 0
#define NS_ZKEY_TYPE_BEACON 1

typedef struct {
    uint8_t delta_after[64]; /* G1 LEM */
    uint8_t g1_s[64];        /* G1 LEM */
    uint8_t g1_sx[64];       /* G1 LEM */
    uint8_t g2_spx[128];     /* G2 LEM */
    uint8_t transcript[64];
    uint32_t type;           /* NS_ZKEY_TYPE_* */
    ns_mpc_params p;         /* parsed params */
} ns_zkey_contribution;

typedef struct {
    uint8_t cs_hash[64];
    uint32_t n;
    ns_zkey_contribution *c; /* n records (malloc'd) */
} ns_zkey_mpc;

/* Parses a section-10 payload with snarkjs' rules (parameters sorted, known,
 * within their length) plus bounds checks: the count is bounded by the size
 * before allocating and the payload must be consumed exactly.  path names
 * the file in messages. */
int ns_zkey_mpc_parse_payload(ns_zkey_mpc *m, const uint8_t *p, uint64_t size, const char *path, ns_error *err);
/* The same on section 10 of a parsed zkey. */
int ns_zkey_mpc_parse(ns_zkey_mpc *m, const ns_zkey *z, ns_error *err);
void ns_zkey_mpc_free(ns_zkey_mpc *m);
/* Appends one record (copied).  Returns -1 on allocation failure. */
int ns_zkey_mpc_push(ns_zkey_mpc *m, const ns_zkey_contribution *c, ns_error *err);
/* Size of the payload ns_zkey_mpc_serialize writes, and the writer: records
 * as snarkjs re-writes them (params re-encoded by ns_mpc_params_encode,
 * beacon params only for type 1). */
uint64_t ns_zkey_mpc_size(const ns_zkey_mpc *m);
void ns_zkey_mpc_serialize(uint8_t *out, const ns_zkey_mpc *m);

/* snarkjs hashPubKey: feeds U(deltaAfter) U(g1_s) U(g1_sx) U(g2_spx) and the
 * transcript (384 bytes) into h. */
void ns_zkey_hash_pubkey(ns_hash *h, const ns_zkey_contribution *c);
/* Contribution hash = BLAKE2b-512(hashPubKey(c)), the value snarkjs prints
 * as "Contribution Hash:" / "contribution #k <name>:".  Returns 0. */
int ns_zkey_contribution_hash(uint8_t out[64], const ns_zkey_contribution *c);

/* ---- writing ---- */
/* Section 1 (protocol = groth16) and section 2 from h (n8q/q/n8r/r are
 * BN254's).  Each call writes one complete section. */
int ns_zkey_write_protocol(ns_binwriter *w, ns_error *err);
int ns_zkey_write_header(ns_binwriter *w, const ns_zkey_header *h, ns_error *err);

/* Serialises the section 2 payload of h (n8q/q/n8r/r are BN254's). */
void ns_zkey_header_encode(uint8_t out[NS_ZKEY_HEADER_SIZE], const ns_zkey_header *h);
/* The inverse for the fields after the field descriptions (nvars, npublic,
 * domain_size and the six points); nothing is checked, power is not set. */
void ns_zkey_header_decode(ns_zkey_header *h, const uint8_t p[NS_ZKEY_HEADER_SIZE]);

#endif
