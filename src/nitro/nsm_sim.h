/* Simulated Nitro Secure Module, for local ceremonies and tests.
 *
 * It answers the same CBOR requests as the device (through the ns_nsm_transport
 * interface of nsm.h), keeps 32 PCRs (0..15 locked at start, 16..31
 * extendable and lockable), and signs attestation documents with a test PKI
 * generated at creation time: a P-384 root, regional (pathLen 2), zonal
 * (pathLen 1) and instance (pathLen 0) CAs and a 3-hour leaf, with the
 * extensions AWS's certificates carry.  Documents have the real structure,
 * key order and encodings (untagged COSE_Sign1, definite map, 8-byte
 * timestamp, null optional fields).
 *
 * The root is NOT the AWS root: a simulated document verifies only when the
 * verifier is given this root explicitly (ns_att_policy.trust_root_der /
 * --trust-root), and the result is then flagged `simulated`.  Subjects say
 * "SIMULATED" too.
 *
 *   ns_nsm_sim_config cfg; ns_nsm_sim_config_init(&cfg);
 *   memcpy(cfg.pcr[0], eif.pcr0, 48); ...   // from ns_eif_measure, or defaults
 *   ns_nsm_sim *sim = ns_nsm_sim_new(&cfg, &err);
 *   ns_nsm_transport t; ns_nsm_sim_transport(&t, sim);   // use with nsm.h
 *   ns_nsm_sim_root_pem(sim, &pem, &pem_len);            // publish for verifiers
 *   ns_nsm_sim_free(sim);  */
#ifndef NS_NITRO_NSM_SIM_H
#define NS_NITRO_NSM_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/nsm.h"
#include "util/error.h"

typedef struct ns_nsm_sim ns_nsm_sim;

typedef struct {
    /* "i-<17 hex>-enc<16 hex>"; empty = random. */
    char module_id[64];
    /* Values of the boot-time PCRs 0..15.  ns_nsm_sim_config_init fills
     * PCR0/1/2 from a fixed simulated image, PCR4 from the instance id as
     * AWS does, the rest zero.  Replace PCR0/1/2 (and 8) with an EIF
     * measurement to simulate a given image. */
    uint8_t pcr[16][48];
    /* Document clock in milliseconds since the epoch; NULL = real time. */
    uint64_t (*clock_ms)(void *ctx);
    void *clock_ctx;
} ns_nsm_sim_config;

void ns_nsm_sim_config_init(ns_nsm_sim_config *cfg);
/* Debug-mode enclave: PCR0, 1, 2 and 8 zero. */
void ns_nsm_sim_config_debug(ns_nsm_sim_config *cfg);

ns_nsm_sim *ns_nsm_sim_new(const ns_nsm_sim_config *cfg, ns_error *err);
void ns_nsm_sim_free(ns_nsm_sim *sim);

/* A transport that talks to sim (close() does nothing; free sim yourself). */
void ns_nsm_sim_transport(ns_nsm_transport *t, ns_nsm_sim *sim);

/* The simulator's root certificate, DER and PEM (owned by sim). */
void ns_nsm_sim_root_der(const ns_nsm_sim *sim, const uint8_t **der, size_t *len);
void ns_nsm_sim_root_pem(const ns_nsm_sim *sim, const char **pem, size_t *len);

/* Handles one raw CBOR request (what the transport does). */
int ns_nsm_sim_handle(ns_nsm_sim *sim, const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap,
                      size_t *resp_len, ns_error *err);

#endif
