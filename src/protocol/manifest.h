/* Bundle documents: manifest.json and drand.json, both canonical JSON
 * (UTF-8, object keys sorted, no insignificant whitespace, integers as
 * integers, byte strings as lower-case hex).  Parsing is strict: unknown or
 * missing keys, wrong types and any non-canonical text are rejected. */
#ifndef NS_PROTOCOL_MANIFEST_H
#define NS_PROTOCOL_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "protocol/engine.h"
#include "util/error.h"

/* Format 3 adds "verifier" (the on-chain verifier's runtime code, docs/onchain.md);
 * format 2 bundles (without it) are still read. */
#define NS_MANIFEST_FORMAT "nitrosetup-bundle-3"
#define NS_MANIFEST_FORMAT_2 "nitrosetup-bundle-2"
#define NS_MANIFEST_MAX_ARTIFACTS 16

typedef struct {
    char name[64];
    uint64_t size;
    uint8_t hash[64];
} ns_artifact;

typedef struct {
    char tool_version[32];
    int simulated_nsm, simulated_drand, debug_mode;
    /* pinned policy */
    uint32_t margin;
    int beacon_exp;
    ns_chain_ref chain;
    /* inputs */
    char ptau_name[128];  /* Hermez file name, or "custom" */
    uint8_t ptau_hash[64];
    uint64_t ptau_size;
    int ptau_trust;       /* ns_ptau_trust: why the enclave accepted it (the verifier decides anew) */
    char circom_version[65];
    uint8_t circom_hash[64];
    uint8_t zkey0_hash[64], zkey1_hash[64];
    uint8_t r1cs_hash[64], cbundle_hash[64];
    /* results */
    uint8_t contribution_hash[64], beacon_contribution_hash[64];
    uint64_t t1_ms, round;
    uint8_t randomness[32];
    uint8_t vk_hash[64];
    /* format 3: the on-chain verifier for final.zkey (verifier.runtime.bin):
     * Keccak-256 of its runtime code (the deployed contract's EXTCODEHASH)
     * and its size.  has_verifier = 0: a format-2 manifest, without it. */
    int has_verifier;
    uint8_t verifier_keccak[32];
    uint64_t verifier_size;
    ns_artifact art[NS_MANIFEST_MAX_ARTIFACTS];
    int nart;
} ns_manifest;

/* Canonical JSON text (malloc'd, NUL-terminated), or NULL on allocation
 * failure: format 3 when m->has_verifier, else format 2. */
char *ns_manifest_to_json(const ns_manifest *m);
int ns_manifest_from_json(ns_manifest *m, const char *text, size_t len, ns_error *err);
/* Finds an artifact by name, or NULL. */
const ns_artifact *ns_manifest_artifact(const ns_manifest *m, const char *name);

/* drand.json / the DRAND message: the beacon plus the chain it belongs to. */
json_t *ns_beacon_to_json(const ns_chain_ref *chain, const ns_beacon *b);
int ns_beacon_from_json(ns_chain_ref *chain, ns_beacon *b, const json_t *o, ns_error *err);

/* Canonical text of a JSON value (malloc'd). */
char *ns_json_canonical(const json_t *o);
/* Parses text and requires it to be canonical (re-serialises and compares). */
json_t *ns_json_parse_canonical(const char *text, size_t len, const char *what, ns_error *err);

#endif
