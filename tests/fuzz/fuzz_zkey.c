/* libFuzzer target: the zkey reader (header, section sizes, section 10 with
 * params and contribution hashes). */
#include <stddef.h>
#include <stdint.h>

#include "formats/zkey.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ns_zkey z;
    ns_zkey_mpc m;
    ns_error err;
    if (ns_zkey_parse(&z, data, size, "fuzz.zkey", 2, &err) != 0) return 0;
    uint64_t len;
    const uint8_t *h = ns_zkey_section(&z, 9, &len);
    if (h != NULL && len > 0) (void)h[len - 1];
    if (ns_zkey_mpc_parse(&m, &z, &err) != 0) return 0;
    for (uint32_t i = 0; i < m.n; i++) {
        uint8_t out[64];
        ns_zkey_contribution_hash(out, &m.c[i]);
    }
    ns_zkey_mpc_free(&m);
    return 0;
}
