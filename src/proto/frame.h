/* Ceremony wire protocol: versioned, typed, length-prefixed frames.
 *
 * Every frame is a 12-byte header followed by a body:
 *
 *   offset 0  4 bytes  magic "NSCP"
 *          4  1 byte   protocol version (NS_PROTO_VERSION)
 *          5  1 byte   message type (ns_msg_type)
 *          6  2 bytes  flags, must be zero
 *          8  4 bytes  body length, big-endian
 *
 * Each message type has its own hard body limit (ns_proto_max_body); a
 * header announcing more is rejected before anything is allocated.  The
 * transport-independent send/receive code is in proto/conn.h. */
#ifndef NS_PROTO_FRAME_H
#define NS_PROTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_PROTO_VERSION 2 /* 2: READY, the big inputs after the compile */
#define NS_PROTO_HEADER_LEN 12
#define NS_PROTO_CHUNK_MAX (1u << 20) /* file chunk body limit */
#define NS_PROTO_JSON_MAX (64u << 10) /* control message (JSON) body limit */
#define NS_PROTO_DOC_MAX (16u << 10)  /* attestation document limit */

/* One message type per protocol step (see docs/ceremony.md). */
typedef enum {
    NS_MSG_HELLO = 1,      /* host -> enclave: JSON, tool version and mode */
    NS_MSG_ENV = 2,        /* enclave -> host: JSON, environment checks and pinned policy */
    NS_MSG_FILE_BEGIN = 3, /* either: JSON {"name","size"} */
    NS_MSG_FILE_CHUNK = 4, /* either: raw bytes, at most NS_PROTO_CHUNK_MAX */
    NS_MSG_FILE_END = 5,   /* either: the sender's BLAKE2b-512 of the file (64 bytes) */
    NS_MSG_PROGRESS = 6,   /* enclave -> host: JSON {"step","message"} */
    NS_MSG_ATTEST1 = 7,    /* enclave -> host: attestation document #1 (COSE_Sign1) */
    NS_MSG_CERTCHAIN = 8,  /* host -> enclave: JSON {"certs":[hex DER, root first]} */
    NS_MSG_DRAND = 9,      /* host -> enclave: JSON beacon {"round","randomness","signature",...} */
    NS_MSG_ATTEST2 = 10,   /* enclave -> host: attestation document #2 (COSE_Sign1) */
    NS_MSG_DONE = 11,      /* enclave -> host: JSON summary, last message */
    NS_MSG_ERROR = 12,     /* either: JSON {"step","message"}; the sender then closes */
    NS_MSG_READY = 13      /* enclave -> host: JSON {"want":[names]}, after compiling the circuit:
                              only then does the host send 0000.zkey and the ptau, so circom's
                              peak never adds to theirs in enclave memory */
} ns_msg_type;

#define NS_MSG_TYPE_MAX 13

/* Largest body a message of this type may carry; 0 for an unknown type. */
size_t ns_proto_max_body(int type);
/* "HELLO", "FILE_CHUNK", ... or "unknown". */
const char *ns_proto_type_name(int type);

void ns_proto_header_encode(uint8_t out[NS_PROTO_HEADER_LEN], int type, uint32_t len);
/* Checks magic, version, flags, type and the per-type body limit. */
int ns_proto_header_decode(int *type, uint32_t *len, const uint8_t in[NS_PROTO_HEADER_LEN],
                           ns_error *err);

#endif
