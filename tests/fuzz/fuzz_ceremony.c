/* libFuzzer target for the ceremony's untrusted-input parsers: protocol
 * frame headers, the user_data commitment (a decoded one must re-encode to
 * the input), manifest.json and drand.json (an accepted manifest must
 * re-serialise to the same text), and the circuit bundle checker (through a
 * memfd, extraction disabled). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "protocol/cbundle.h"
#include "protocol/commit.h"
#include "protocol/manifest.h"
#include "proto/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ns_error err;
    if (size >= NS_PROTO_HEADER_LEN) {
        int t;
        uint32_t n;
        if (ns_proto_header_decode(&t, &n, data, &err) == 0 && n > ns_proto_max_body(t)) abort();
    }
    ns_commitment c;
    if (ns_commitment_decode(&c, data, size, &err) == 0) {
        uint8_t again[NS_COMMIT_MAX];
        if (ns_commitment_encode(again, &c) != size || memcmp(again, data, size) != 0) abort();
    }
    ns_manifest *m = malloc(sizeof *m);
    if (m != NULL && ns_manifest_from_json(m, (const char *)data, size, &err) == 0) {
        char *s = ns_manifest_to_json(m);
        if (s != NULL && (strlen(s) != size || memcmp(s, data, size) != 0)) abort();
        free(s);
    }
    free(m);
    json_error_t je;
    json_t *o = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &je);
    if (o != NULL) {
        ns_chain_ref ch;
        ns_beacon b;
        ns_beacon_from_json(&ch, &b, o, &err);
        json_decref(o);
    }
    int fd = memfd_create("cbundle", 0);
    if (fd >= 0) {
        if (write(fd, data, size) == (ssize_t)size) {
            char path[64];
            snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
            ns_cbundle_info info;
            ns_cbundle_extract(path, NULL, &info, &err);
        }
        close(fd);
    }
    return 0;
}
