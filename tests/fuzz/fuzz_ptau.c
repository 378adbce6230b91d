/* libFuzzer target: the ptau reader (header, size checks, Lagrange views,
 * contributions with their params), on the raw input and on a valid
 * prepared power-2 file patched by the input. */
#include <stddef.h>
#include <stdint.h>

#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "fuzz_patch.h"

static int touch(void *ctx, uint32_t i, const ns_ptau_contribution *c) {
    (void)i;
    uint32_t *acc = ctx;
    *acc += c->type + c->beacon_hash_len + (uint8_t)c->name[0] + c->next_challenge[63] + c->tau_g1[0];
    if (c->beacon_hash_len) *acc += c->beacon_hash[c->beacon_hash_len - 1];
    return 0;
}

static void parse(const uint8_t *data, size_t size) {
    ns_ptau pt;
    ns_error err;
    if (ns_ptau_parse(&pt, data, size, "fuzz.ptau", &err) != 0) return;
    (void)ns_ptau_check_sizes(&pt, &err);
    uint32_t acc = 0;
    (void)ns_ptau_contrib_foreach(&pt, touch, &acc, &err);
    for (uint32_t id = 12; id <= 15; id++)
        for (uint32_t k = 0; k <= pt.power + 1; k++) {
            const uint8_t *p;
            if (ns_ptau_lagrange(&pt, id, k, &p, &err) == 0) {
                uint64_t n = (uint64_t)1 << k, ps = id == 13 ? 128 : 64;
                acc += p[0] + p[n * ps - 1]; /* first and last byte of the block */
            }
        }
    const uint8_t *p;
    uint64_t n = (uint64_t)1 << pt.power;
    if (ns_ptau_points(&pt, 2, 0, 2 * n - 1, &p, &err) == 0) acc += p[(2 * n - 1) * 64 - 1];
    (void)acc;
}

static void build_base(fz_buf *b) {
    const uint32_t power = 2, n = 1u << power;
    fz_header(b, "ptau", 11);
    size_t s = fz_begin(b, 1);
    fz_u32(b, 32);
    fz_put(b, bn254_q_le, 32);
    fz_u32(b, power);
    fz_u32(b, 5);
    fz_end(b, s);
    const uint64_t sizes[16] = {0, 0, (2 * n - 1) * 64, n * 128, n * 64, n * 64, 128, 0, 0, 0, 0, 0,
                                (4 * n - 1) * 64, (2 * n - 1) * 128, (2 * n - 1) * 64, (2 * n - 1) * 64};
    for (uint32_t id = 2; id <= 15; id++) {
        if (id > 7 && id < 12) continue;
        s = fz_begin(b, id);
        if (id == 7) {
            fz_u32(b, 2);
            for (int i = 0; i < 2; i++) {
                fz_zeros(b, 1496);
                fz_u32(b, (uint32_t)i);
                static const uint8_t params[] = {1, 1, 'x', 2, 11, 3, 1, 0x42};
                fz_u32(b, sizeof params);
                fz_put(b, params, sizeof params);
            }
        } else {
            fz_zeros(b, (size_t)sizes[id]);
        }
        fz_end(b, s);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static fz_buf base;
    return fz_run(&base, build_base, parse, data, size);
}
