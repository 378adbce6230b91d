/* libFuzzer target for the zkey section-10 (MPC params) parser of
 * src/phase2/transcript.c: arbitrary bytes must either be rejected or parse
 * into records whose re-serialisation parses again to the same records
 * (names normalised as snarkjs writes them).  Also runs the name
 * normaliser and the beacon argument parsers on the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phase2/transcript.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ns_zkey_mpc m;
    ns_error err;
    char name[NS_MPC_NAME_MAX + 1];
    size_t len = ns_mpc_name_normalize(name, (const char *)data, size < 400 ? size : 400);
    if (len > 192 || name[len] != '\0') abort();

    if (size < 600) { /* beacon arguments: NUL-terminated copy of the input */
        char *s = malloc(size + 1);
        if (s == NULL) return 0;
        memcpy(s, data, size);
        s[size] = '\0';
        uint8_t h[NS_P2_BEACON_HASH_MAX];
        size_t hl = 0;
        unsigned e = 0;
        if (ns_p2_beacon_parse_hash(h, &hl, s, &err) == 0 && (hl == 0 || hl > 255)) abort();
        if (ns_p2_beacon_parse_exp(&e, s, &err) == 0 && (e < 10 || e > 63)) abort();
        free(s);
    }

    if (ns_zkey_mpc_parse_payload(&m, data, size, "fuzz.zkey", &err) != 0) return 0;
    uint64_t n = ns_zkey_mpc_size(&m);
    uint8_t *out = malloc(n);
    if (out == NULL) {
        ns_zkey_mpc_free(&m);
        return 0;
    }
    ns_zkey_mpc_serialize(out, &m);
    ns_zkey_mpc m2;
    if (ns_zkey_mpc_parse_payload(&m2, out, n, "again", &err) != 0) abort();
    if (m2.n != m.n || memcmp(m2.cs_hash, m.cs_hash, 64) != 0) abort();
    for (uint32_t i = 0; i < m.n; i++) {
        if (memcmp(m.c[i].transcript, m2.c[i].transcript, 64) != 0 || m.c[i].type != m2.c[i].type) abort();
        if (memcmp(m.c[i].g2_spx, m2.c[i].g2_spx, 128) != 0) abort();
    }
    /* serialising the re-parsed records is a fixed point */
    uint8_t *out2 = malloc(n);
    if (out2 != NULL) {
        if (ns_zkey_mpc_size(&m2) != n) abort();
        ns_zkey_mpc_serialize(out2, &m2);
        if (memcmp(out, out2, n) != 0) abort();
        free(out2);
    }
    free(out);
    ns_zkey_mpc_free(&m);
    ns_zkey_mpc_free(&m2);
    return 0;
}
