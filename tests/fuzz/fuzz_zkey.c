/* libFuzzer target: the zkey reader (header, section sizes, section 10 with
 * params and contribution hashes), on the raw input and on a valid key
 * patched by the input. */
#include <stddef.h>
#include <stdint.h>

#include "formats/r1cs.h"
#include "formats/zkey.h"
#include "fuzz_patch.h"

static void parse(const uint8_t *data, size_t size) {
    ns_zkey z;
    ns_zkey_mpc m;
    ns_error err;
    if (ns_zkey_parse(&z, data, size, "fuzz.zkey", 2, &err) != 0) return;
    uint64_t len;
    const uint8_t *h = ns_zkey_section(&z, 9, &len);
    if (h != NULL && len > 0) (void)h[len - 1];
    if (ns_zkey_mpc_parse(&m, &z, &err) != 0) return;
    for (uint32_t i = 0; i < m.n; i++) {
        uint8_t out[64];
        ns_zkey_contribution_hash(out, &m.c[i]);
    }
    ns_zkey_mpc_free(&m);
}

static void build_base(fz_buf *b) {
    fz_header(b, "zkey", 10);
    size_t s = fz_begin(b, 1);
    fz_u32(b, 1);
    fz_end(b, s);
    s = fz_begin(b, 2);
    fz_u32(b, 32);
    fz_put(b, bn254_q_le, 32);
    fz_u32(b, 32);
    fz_put(b, bn254_r_le, 32);
    fz_u32(b, 3); /* nVars */
    fz_u32(b, 1); /* nPublic */
    fz_u32(b, 4); /* domain */
    fz_zeros(b, 576);
    fz_end(b, s);
    static const uint32_t npts[10] = {0, 0, 0, 2, 0, 3, 3, 3, 1, 4};
    for (uint32_t id = 3; id <= 9; id++) {
        s = fz_begin(b, id);
        if (id == 4) {
            fz_u32(b, 1);
            fz_zeros(b, 44);
        } else {
            fz_zeros(b, (size_t)npts[id] * (id == 7 ? 128 : 64));
        }
        fz_end(b, s);
    }
    s = fz_begin(b, 10);
    fz_zeros(b, 64);
    fz_u32(b, 2);
    for (int i = 0; i < 2; i++) {
        fz_zeros(b, 384);
        fz_u32(b, (uint32_t)i);
        static const uint8_t params[] = {1, 3, 'b', 'o', 'b', 2, 10, 3, 2, 0xaa, 0xbb};
        fz_u32(b, i ? sizeof params : 5);
        fz_put(b, params, i ? sizeof params : 5);
    }
    fz_end(b, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static fz_buf base;
    return fz_run(&base, build_base, parse, data, size);
}
