/* libFuzzer target: the ptau reader (header, size checks, Lagrange views,
 * contributions with their params). */
#include <stddef.h>
#include <stdint.h>

#include "formats/ptau.h"

static int touch(void *ctx, uint32_t i, const ns_ptau_contribution *c) {
    (void)i;
    uint32_t *acc = ctx;
    *acc += c->type + c->beacon_hash_len + (uint8_t)c->name[0] + c->next_challenge[63] + c->tau_g1[0];
    if (c->beacon_hash_len) *acc += c->beacon_hash[c->beacon_hash_len - 1];
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ns_ptau pt;
    ns_error err;
    if (ns_ptau_parse(&pt, data, size, "fuzz.ptau", &err) != 0) return 0;
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
    return (int)(acc & 0);
}
