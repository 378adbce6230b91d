/* Client for the Nitro Secure Module (NSM), from inside an enclave.
 *
 * Requests are CBOR (serde externally-tagged enums, exact bytes in the
 * test vectors tests/vectors/nitro/nsm_requests.txt); the transport carries one request and
 * one response.  Production: ns_nsm_open_device() = ioctl(NSM_IOCTL_RAW) on
 * /dev/nsm.  Tests and local ceremonies: the simulator (nsm_sim.h) offers
 * the same transport, so everything above it is exercised without a device.
 *
 *   ns_nsm_transport t;
 *   if (ns_nsm_open_device(&t, NULL, &err) != 0) ...;        // or ns_nsm_sim_transport()
 *   uint8_t *doc = malloc(NS_NSM_MAX_RESPONSE); size_t doc_len;
 *   ns_nsm_attestation(&t, &(ns_nsm_att_request){ .user_data = h, .user_data_len = 32,
 *                      .nonce = n, .nonce_len = 32 }, doc, NS_NSM_MAX_RESPONSE, &doc_len, &err);
 *   ns_nsm_get_random(&t, seed, 64, &err);
 *   ns_nsm_close(&t);
 *
 * Every function returns 0 or -1 with err filled; an NSM error response is
 * reported as "NSM error <Name>" and *code (when non-NULL) set. */
#ifndef NS_NITRO_NSM_H
#define NS_NITRO_NSM_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/cbor_util.h"
#include "util/error.h"

#define NS_NSM_MAX_REQUEST 4096    /* the driver refuses larger requests (EMSGSIZE) */
#define NS_NSM_MAX_RESPONSE 12288  /* the device's response buffer */
#define NS_NSM_MAX_FIELD 1024      /* user_data / nonce / public_key accepted by the device */
#define NS_NSM_RANDOM_MAX 256      /* bytes per GetRandom call */
#define NS_NSM_IOCTL_RAW 0xC0200A00u /* _IOWR(0x0A, 0, struct nsm_raw) */

/* Error codes, numbered as AWS's libnsm does (0 = success). */
typedef enum {
    NS_NSM_SUCCESS = 0,
    NS_NSM_INVALID_ARGUMENT = 1,
    NS_NSM_INVALID_INDEX = 2,
    NS_NSM_INVALID_RESPONSE = 3,
    NS_NSM_READ_ONLY_INDEX = 4,
    NS_NSM_INVALID_OPERATION = 5,
    NS_NSM_BUFFER_TOO_SMALL = 6,
    NS_NSM_INPUT_TOO_LARGE = 7,
    NS_NSM_INTERNAL_ERROR = 8,
} ns_nsm_code;

/* One request/response exchange.  call() writes at most resp_cap bytes
 * (the device truncates silently: callers pass NS_NSM_MAX_RESPONSE) and
 * returns 0, or -1 with err on a transport failure. */
typedef struct {
    void *ctx;
    int (*call)(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap,
                size_t *resp_len, ns_error *err);
    void (*close)(void *ctx); /* may be NULL */
} ns_nsm_transport;

/* Opens the device (path NULL = "/dev/nsm"). */
int ns_nsm_open_device(ns_nsm_transport *t, const char *path, ns_error *err);
void ns_nsm_close(ns_nsm_transport *t);

typedef struct {
    const uint8_t *user_data; size_t user_data_len;   /* NULL = not supplied (sent as null) */
    const uint8_t *nonce; size_t nonce_len;
    const uint8_t *public_key; size_t public_key_len;
} ns_nsm_att_request;

/* Attestation: doc receives the COSE_Sign1 document. */
int ns_nsm_attestation(const ns_nsm_transport *t, const ns_nsm_att_request *rq, uint8_t *doc, size_t cap,
                       size_t *doc_len, ns_nsm_code *code, ns_error *err);
/* GetRandom, repeated until n bytes are filled. */
int ns_nsm_get_random(const ns_nsm_transport *t, uint8_t *out, size_t n, ns_nsm_code *code, ns_error *err);
int ns_nsm_describe_pcr(const ns_nsm_transport *t, uint16_t index, int *locked, uint8_t data[48],
                        ns_nsm_code *code, ns_error *err);
int ns_nsm_extend_pcr(const ns_nsm_transport *t, uint16_t index, const uint8_t *data, size_t n,
                      uint8_t out[48], ns_nsm_code *code, ns_error *err);
int ns_nsm_lock_pcr(const ns_nsm_transport *t, uint16_t index, ns_nsm_code *code, ns_error *err);
int ns_nsm_lock_pcrs(const ns_nsm_transport *t, uint16_t range, ns_nsm_code *code, ns_error *err);

typedef struct {
    uint16_t version_major, version_minor, version_patch;
    char module_id[257];
    uint16_t max_pcrs;
    uint32_t locked_pcrs; /* bit mask */
    char digest[16];      /* "SHA384" */
} ns_nsm_description;
int ns_nsm_describe_nsm(const ns_nsm_transport *t, ns_nsm_description *d, ns_nsm_code *code, ns_error *err);

/* Request encoders (exposed for byte-exact tests and the simulator). */
void ns_nsm_encode_get_random(ns_cbor_buf *b);
void ns_nsm_encode_describe_nsm(ns_cbor_buf *b);
void ns_nsm_encode_describe_pcr(ns_cbor_buf *b, uint16_t index);
void ns_nsm_encode_extend_pcr(ns_cbor_buf *b, uint16_t index, const uint8_t *data, size_t n);
void ns_nsm_encode_lock_pcr(ns_cbor_buf *b, uint16_t index);
void ns_nsm_encode_lock_pcrs(ns_cbor_buf *b, uint16_t range);
void ns_nsm_encode_attestation(ns_cbor_buf *b, const ns_nsm_att_request *rq);

/* "InvalidArgument" <-> NS_NSM_INVALID_ARGUMENT; unknown names map to
 * NS_NSM_INTERNAL_ERROR, unknown codes to NULL. */
ns_nsm_code ns_nsm_code_from_name(const char *name, size_t len);
const char *ns_nsm_code_name(ns_nsm_code c);

#endif
