/* Groth16 .zkey files (docs/snarkjs-formats.md): reader over the mapped file and
 * writer helpers producing snarkjs's exact layout.
 *
 * Sections: 1 protocol (u32, 1 = groth16), 2 header, 3 IC, 4 coeffs, 5 A,
 * 6 B1, 7 B2, 8 C/L, 9 H, 10 MPC params.  ns_zkey_parse checks sections 1
 * and 2 and the sizes of 3..9 against the header (never trusting them);
 * section 10 is parsed by ns_zkey_mpc_parse.  Points stay in LEM form as
 * pointers into the file. */
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

/* One contribution of section 10. */
typedef struct {
    const uint8_t *delta_after; /* G1 LEM */
    const uint8_t *g1_s;        /* G1 LEM */
    const uint8_t *g1_sx;       /* G1 LEM */
    const uint8_t *g2_spx;      /* G2 LEM */
    const uint8_t *transcript;  /* 64 bytes */
    uint32_t type;              /* 0 contribution, 1 beacon */
    const uint8_t *params;      /* raw TLV bytes (for re-writing verbatim) */
    uint32_t params_len;
    ns_mpc_params p;            /* parsed params */
} ns_zkey_contribution;

typedef struct {
    const uint8_t *cs_hash;     /* 64 bytes */
    uint32_t n;
    ns_zkey_contribution *c;    /* n records (malloc'd) */
} ns_zkey_mpc;

/* Parses section 10 (count bounded by the section size before allocating;
 * params with snarkjs's TLV rules; the section must be consumed exactly). */
int ns_zkey_mpc_parse(ns_zkey_mpc *m, const ns_zkey *z, ns_error *err);
void ns_zkey_mpc_free(ns_zkey_mpc *m);

/* snarkjs hashPubKey: feeds U(deltaAfter) U(g1_s) U(g1_sx) U(g2_spx) and the
 * transcript (384 bytes) into h. */
void ns_zkey_hash_pubkey(ns_hash *h, const ns_zkey_contribution *c);
/* Contribution hash = BLAKE2b-512(hashPubKey(c)), the value snarkjs prints
 * as "Contribution Hash:" / "contribution #k <name>:". Returns 0, or -1 on
 * allocation failure. */
int ns_zkey_contribution_hash(uint8_t out[64], const ns_zkey_contribution *c);

/* ---- writing ---- */
/* Section 1 (protocol = groth16) and section 2 from h (n8q/q/n8r/r are
 * BN254's).  Each call writes one complete section. */
int ns_zkey_write_protocol(ns_binwriter *w, ns_error *err);
int ns_zkey_write_header(ns_binwriter *w, const ns_zkey_header *h, ns_error *err);
/* Section 10: csHash, count, then the given records (params written as
 * given in each record's params/params_len), plus optionally one new
 * record `extra` at the end. */
int ns_zkey_write_mpc(ns_binwriter *w, const uint8_t cs_hash[64], const ns_zkey_contribution *c, uint32_t n,
                      const ns_zkey_contribution *extra, ns_error *err);

/* Serialises the section 2 payload of h (n8q/q/n8r/r are BN254's). */
void ns_zkey_header_encode(uint8_t out[NS_ZKEY_HEADER_SIZE], const ns_zkey_header *h);
/* The inverse for the fields after the field descriptions (nvars, npublic,
 * domain_size and the six points); nothing is checked, power is not set. */
void ns_zkey_header_decode(ns_zkey_header *h, const uint8_t p[NS_ZKEY_HEADER_SIZE]);
/* Serialises one contribution record (392 + params_len bytes) into out. */
void ns_zkey_contribution_encode(uint8_t *out, const ns_zkey_contribution *c);

#endif
