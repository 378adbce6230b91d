/* drand chains: pinned chain records and the chain hash.
 *
 * A chain is trusted through a record compiled into the binary (public key,
 * period, genesis time, genesis seed, beacon id, scheme) whose chain hash is
 * recomputed from those fields:
 *
 *   chain_hash = SHA-256(be32(period) || be64(genesis_time) || public_key
 *                        || genesis_seed || beacon_id)
 *
 * where beacon_id is omitted when it is "" or "default" (drand
 * common/chain/info.go).  The scheme is not hashed and is pinned separately.
 *
 * Pinned chains: "quicknet" (bls-unchained-g1-rfc9380, the default),
 * "default" (pedersen-bls-chained, the 2020 League of Entropy chain) and
 * "sim", a simulated chain signed with a published test key.  The simulated
 * chain is returned only when NS_DRAND_ALLOW_SIM is passed, and a beacon of
 * it verifies only under the same flag: anything built on it is SIMULATED. */
#ifndef NS_DRAND_CHAINS_H
#define NS_DRAND_CHAINS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Flags for lookups and verification. */
#define NS_DRAND_ALLOW_SIM 1u /* accept the simulated test chain */

typedef enum {
    NS_DRAND_SCHEME_CHAINED = 0,       /* pedersen-bls-chained: pk G1, sig G2, M = H(prev||round) */
    NS_DRAND_SCHEME_UNCHAINED_G2,      /* pedersen-bls-unchained: pk G1, sig G2, M = H(round) */
    NS_DRAND_SCHEME_UNCHAINED_G1,      /* bls-unchained-g1-rfc9380: pk G2, sig G1, G1 DST */
    NS_DRAND_SCHEME_UNCHAINED_G1_LEGACY, /* bls-unchained-on-g1 (retired fastnet): G1 sig, G2 DST */
} ns_drand_scheme;

#define NS_DRAND_BEACON_ID_MAX 64

typedef struct {
    char name[NS_DRAND_BEACON_ID_MAX];       /* short name used on the command line */
    ns_drand_scheme scheme;
    uint8_t public_key[128];
    size_t public_key_len;                   /* 48 (G1 key) or 96 (G2 key); up to 128 for hashing */
    uint32_t period;                         /* seconds, > 0 */
    int64_t genesis_time;                    /* UNIX seconds of round 1 */
    uint8_t genesis_seed[32];
    char beacon_id[NS_DRAND_BEACON_ID_MAX];
    uint8_t chain_hash[32];                  /* pinned (or, from /info, as claimed) */
    int simulated;                           /* 1 for the test chain */
} ns_drand_chain;

/* Scheme id string <-> enum.  Unknown (or non-BLS12-381) ids fail. */
const char *ns_drand_scheme_name(ns_drand_scheme s);
int ns_drand_scheme_from_name(ns_drand_scheme *out, const char *name, ns_error *err);
/* Byte lengths of the public key and signature for a scheme. */
size_t ns_drand_scheme_pk_len(ns_drand_scheme s);
size_t ns_drand_scheme_sig_len(ns_drand_scheme s);
/* Domain separation tag for hash-to-curve (NUL-terminated ASCII). */
const char *ns_drand_scheme_dst(ns_drand_scheme s);
int ns_drand_scheme_is_chained(ns_drand_scheme s);

/* Number of pinned chains, including the simulated one. */
size_t ns_drand_chain_count(void);
/* Decodes pinned record i (0 <= i < count) into out. */
int ns_drand_chain_get(ns_drand_chain *out, size_t i, ns_error *err);
/* Finds a pinned chain by name ("quicknet", "default", "sim") or by its
 * 64-hex-digit chain hash.  The simulated chain needs NS_DRAND_ALLOW_SIM.
 * The record's pinned hash is checked against its fields. */
int ns_drand_chain_lookup(ns_drand_chain *out, const char *name_or_hash, unsigned flags,
                          ns_error *err);

/* Recomputes the chain hash from the record's fields. */
void ns_drand_chain_compute_hash(uint8_t out[32], const ns_drand_chain *c);
/* 0 if the recomputed hash equals c->chain_hash, else -1 with a message. */
int ns_drand_chain_check_hash(const ns_drand_chain *c, ns_error *err);

/* Parses a relay's /info JSON (v1: hash, groupHash, schemeID,
 * metadata.beaconID; v2: chain_hash, genesis_seed, scheme, beacon_id) into a
 * record; chain_hash holds the hash the relay claims (not yet checked). */
int ns_drand_chain_from_info_json(ns_drand_chain *out, const char *json, size_t len,
                                  ns_error *err);

/* 0 when the two records describe the same chain (every hashed field,
 * scheme and hash equal); -1 naming the first field that differs. */
int ns_drand_chain_compare(const ns_drand_chain *pinned, const ns_drand_chain *other,
                           ns_error *err);

#endif
