#include "proto/frame.h"

#include <string.h>

static const char *const TYPE_NAMES[NS_MSG_TYPE_MAX + 1] = {
    "unknown", "HELLO", "ENV", "FILE_BEGIN", "FILE_CHUNK", "FILE_END", "PROGRESS",
    "ATTEST1", "CERTCHAIN", "DRAND", "ATTEST2", "DONE", "ERROR", "READY",
};

size_t ns_proto_max_body(int type) {
    switch (type) {
    case NS_MSG_FILE_CHUNK: return NS_PROTO_CHUNK_MAX;
    case NS_MSG_FILE_END: return 64;
    case NS_MSG_ATTEST1:
    case NS_MSG_ATTEST2: return NS_PROTO_DOC_MAX;
    case NS_MSG_HELLO:
    case NS_MSG_ENV:
    case NS_MSG_FILE_BEGIN:
    case NS_MSG_PROGRESS:
    case NS_MSG_CERTCHAIN:
    case NS_MSG_DRAND:
    case NS_MSG_DONE:
    case NS_MSG_ERROR:
    case NS_MSG_READY: return NS_PROTO_JSON_MAX;
    default: return 0;
    }
}

const char *ns_proto_type_name(int type) {
    if (type < 1 || type > NS_MSG_TYPE_MAX) return TYPE_NAMES[0];
    return TYPE_NAMES[type];
}

void ns_proto_header_encode(uint8_t out[NS_PROTO_HEADER_LEN], int type, uint32_t len) {
    memcpy(out, "NSCP", 4);
    out[4] = NS_PROTO_VERSION;
    out[5] = (uint8_t)type;
    out[6] = 0;
    out[7] = 0;
    out[8] = (uint8_t)(len >> 24);
    out[9] = (uint8_t)(len >> 16);
    out[10] = (uint8_t)(len >> 8);
    out[11] = (uint8_t)len;
}

int ns_proto_header_decode(int *type, uint32_t *len, const uint8_t in[NS_PROTO_HEADER_LEN],
                           ns_error *err) {
    if (memcmp(in, "NSCP", 4) != 0) return ns_error_set(err, "protocol: bad frame magic");
    if (in[4] != NS_PROTO_VERSION)
        return ns_error_set(err, "protocol: unsupported version %u (expected %u)", in[4],
                            NS_PROTO_VERSION);
    if (in[6] != 0 || in[7] != 0) return ns_error_set(err, "protocol: non-zero frame flags");
    int t = in[5];
    size_t max = ns_proto_max_body(t);
    if (max == 0) return ns_error_set(err, "protocol: unknown message type %d", t);
    uint32_t n = ((uint32_t)in[8] << 24) | ((uint32_t)in[9] << 16) | ((uint32_t)in[10] << 8) | in[11];
    if (n > max)
        return ns_error_set(err, "protocol: %s frame of %u bytes exceeds the limit of %zu",
                            ns_proto_type_name(t), n, max);
    *type = t;
    *len = n;
    return 0;
}
