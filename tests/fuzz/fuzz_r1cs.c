/* libFuzzer target: the r1cs reader (container, header, every constraint),
 * on the raw input and on a valid file patched by the input. */
#include <stddef.h>
#include <stdint.h>

#include "formats/r1cs.h"
#include "fuzz_patch.h"

static void parse(const uint8_t *data, size_t size) {
    ns_r1cs r;
    ns_error err;
    if (ns_r1cs_parse(&r, data, size, "fuzz.r1cs", &err) != 0) return;
    uint64_t t[3];
    (void)ns_r1cs_check(&r, t, &err);
    (void)ns_groth16_domain_power(r.nconstraints, ns_r1cs_npublic(&r));
}

static void build_base(fz_buf *b) {
    fz_header(b, "r1cs", 3);
    size_t s = fz_begin(b, 1);
    fz_u32(b, 32);
    fz_put(b, bn254_r_le, 32);
    fz_u32(b, 5);
    fz_u32(b, 1);
    fz_u32(b, 1);
    fz_u32(b, 1);
    fz_u64(b, 5);
    fz_u32(b, 2);
    fz_end(b, s);
    s = fz_begin(b, 2);
    uint8_t one[32] = {1};
    for (int j = 0; j < 2; j++) {
        fz_u32(b, 2);
        fz_u32(b, 2), fz_put(b, one, 32);
        fz_u32(b, 0), fz_put(b, one, 32);
        fz_u32(b, 1);
        fz_u32(b, 3), fz_put(b, one, 32);
        fz_u32(b, 1);
        fz_u32(b, 4), fz_put(b, one, 32);
    }
    fz_end(b, s);
    s = fz_begin(b, 3);
    fz_zeros(b, 5 * 8);
    fz_end(b, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static fz_buf base;
    return fz_run(&base, build_base, parse, data, size);
}
