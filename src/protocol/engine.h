/* The ceremony engine: every cryptographic or platform operation the host,
 * the enclave and the bundle verifier need from the lower layers (phase-2
 * engine, Nitro attestation and NSM, drand), behind one table of functions.
 *
 * src/app/engine_real.c fills it with the real modules (simulated NSM
 * and drand test chain when asked); unit tests substitute their own table to
 * exercise the protocol and the hostile cases quickly.  Every function
 * returns 0 or -1 with err filled. */
#ifndef NS_PROTOCOL_ENGINE_H
#define NS_PROTOCOL_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/conn.h"
#include "util/error.h"

#define NS_ENGINE_MAX_CERTS 8
#define NS_ENGINE_MAX_CERT 2048
#define NS_ENGINE_MAX_PCRS 32

/* One environment check of the enclave (rng source, getrandom, NSM ...). */
typedef struct {
    char name[40];
    int status; /* 0 ok, 1 simulated (local mode), -1 failed */
    char detail[200];
} ns_env_check;

/* What the protocol needs from an attestation document. */
typedef struct {
    uint64_t timestamp_ms;
    int ncerts;                          /* cabundle (root first), then the leaf last */
    uint8_t *certs[NS_ENGINE_MAX_CERTS + 1];
    size_t cert_len[NS_ENGINE_MAX_CERTS + 1];
    uint8_t pcrs[NS_ENGINE_MAX_PCRS][48];
    uint32_t pcr_present;                /* bit i set: PCR i present */
    uint8_t user_data[1024];
    size_t user_data_len;
    int has_user_data;
    uint8_t nonce[1024];
    size_t nonce_len;
    int has_nonce;
    int debug;                           /* PCR0 all zero */
    char module_id[257];                 /* the enclave's id on its host */
} ns_doc_info;

void ns_doc_info_free(ns_doc_info *d);

/* A drand beacon as delivered by the host. */
typedef struct {
    uint64_t round;
    uint8_t randomness[32];
    uint8_t signature[192];
    size_t signature_len;
    uint8_t previous_signature[192];
    size_t previous_signature_len; /* 0 for unchained schemes */
} ns_beacon;

/* The pinned drand chain. */
typedef struct {
    char name[64];          /* "quicknet", "sim" ... */
    uint8_t hash[32];       /* chain hash */
    uint64_t genesis_time;  /* UNIX seconds */
    uint64_t period;        /* seconds */
    int simulated;
} ns_chain_ref;

typedef struct ns_engine ns_engine;
struct ns_engine {
    void *ctx;
    int simulated_nsm;  /* attestation by the simulated NSM (local mode) */
    int simulated_drand;

    /* --- enclave environment and NSM --- */
    int (*env_check)(void *ctx, ns_env_check *checks, int *n, int cap, ns_error *err);
    int (*nsm_random)(void *ctx, uint8_t *out, size_t n, ns_error *err);
    /* *doc is malloc'd */
    int (*nsm_attest)(void *ctx, uint8_t **doc, size_t *doc_len, const uint8_t *user_data,
                      size_t ud_len, const uint8_t *nonce, size_t nonce_len, ns_error *err);

    /* --- attestation documents --- */
    /* Parses a document without checking trust. */
    int (*doc_parse)(void *ctx, ns_doc_info *info, const uint8_t *doc, size_t len, ns_error *err);
    /* Full verification: COSE signature, chain to the pinned root (the AWS
     * root, or root_der when not NULL, the simulator's) at the document's own
     * timestamp; fills info. */
    int (*doc_verify)(void *ctx, ns_doc_info *info, const uint8_t *doc, size_t len,
                      const uint8_t *root_der, size_t root_len, ns_error *err);
    /* DER of the root this engine's NSM chains to (for the bundle of a
     * simulated run; AWS root on Nitro).  *der is malloc'd. */
    int (*nsm_root)(void *ctx, uint8_t **der, size_t *len, ns_error *err);

    /* --- ptau / zkey (phase 2) --- */
    /* Identifies a ptau by its BLAKE2b-512: writes the Hermez file name and
     * returns 1 when it is in the embedded table, 0 when custom. */
    int (*ptau_identify)(void *ctx, char *name, size_t cap, const uint8_t hash[64], ns_error *err);
    /* The Hermez file name fitting the r1cs (the `ptau pick` rule). */
    int (*ptau_pick)(void *ctx, char *name, size_t cap, const char *r1cs, ns_error *err);
    /* Downloads a Hermez ptau by name to dest (resumable, with progress). */
    int (*ptau_download)(void *ctx, const char *dest, const char *name, ns_error *err);
    int (*zkey_new)(void *ctx, const char *out_zkey, const char *r1cs, const char *ptau, ns_error *err);
    /* Optional (NULL: the enclave stores the whole ptau).  Fills *sink to
     * receive a ptau and keep at out_ptau only what a key of the domain of
     * zkey (the received 0000.zkey, verified later) needs: a reduced copy
     * (formats/ptau.h) that zkey_verify reads like the whole file. */
    int (*ptau_reduce_sink)(void *ctx, ns_conn_sink *sink, const char *out_ptau, const char *zkey, ns_error *err);
    /* Full `zkey verify` of zkey against r1cs + ptau. */
    int (*zkey_verify)(void *ctx, const char *zkey, const char *r1cs, const char *ptau, ns_error *err);
    /* Contribution with the given entropy; contribution hash out (64 bytes).
     * zkey_contribute and zkey_beacon consume in_zkey (its storage is freed
     * as it is read: the enclave deletes it afterwards). */
    int (*zkey_contribute)(void *ctx, uint8_t contrib_hash[64], const char *out_zkey,
                           const char *in_zkey, const uint8_t *entropy, size_t entropy_len,
                           const char *name, ns_error *err);
    int (*zkey_beacon)(void *ctx, uint8_t contrib_hash[64], const char *out_zkey, const char *in_zkey,
                       const uint8_t *beacon_hash, size_t hash_len, int num_iterations_exp,
                       const char *name, ns_error *err);
    /* The last contribution of a zkey, when it is a beacon: its hash and exponent. */
    int (*zkey_last_beacon)(void *ctx, uint8_t *beacon_hash, size_t *hash_len, int *exp,
                            const char *zkey, ns_error *err);
    /* Every contribution of a zkey's section 10, in order: its hash (the
     * snarkjs contribution hash) and type (0 contribution, 1 beacon). */
    int (*zkey_contributions)(void *ctx, uint8_t (*hashes)[64], int *types, int cap, int *n,
                              const char *zkey, ns_error *err);
    int (*export_vk)(void *ctx, const char *out_json, const char *zkey, ns_error *err);
    /* The on-chain verifier for a zkey (phase2/export_solidity.h): its
     * runtime code (raw bytes) to out_runtime and the contract source to
     * out_source (NULL: not written); Keccak-256 and size of the runtime code out. */
    int (*export_verifier)(void *ctx, uint8_t keccak[32], uint64_t *size, const char *out_runtime,
                           const char *out_source, const char *zkey, ns_error *err);

    /* --- drand --- */
    int (*drand_chain)(void *ctx, ns_chain_ref *chain, ns_error *err);
    /* Fetches round r of the pinned chain, waiting until it exists. */
    int (*drand_fetch)(void *ctx, ns_beacon *b, uint64_t round, ns_error *err);
    /* Verifies signature, round binding and randomness of b on the chain. */
    int (*drand_verify)(void *ctx, const ns_chain_ref *chain, const ns_beacon *b, ns_error *err);
};

/* The drand round a ceremony commits to: the first round scheduled strictly
 * after t + margin (t in UNIX seconds), and its time, by drand/round.c (the
 * only round arithmetic; overflow-checked). */
int ns_chain_commit_round(uint64_t *round, int64_t *due, const ns_chain_ref *c, uint64_t t, uint32_t margin,
                          ns_error *err);
/* The scheduled time of a round (drand/round.c). */
int ns_chain_round_time(int64_t *out, const ns_chain_ref *c, uint64_t round, ns_error *err);

#endif
