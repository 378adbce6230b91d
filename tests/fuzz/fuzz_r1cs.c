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

static fz_buf base;

static void build_base(void) {
    fz_put(&base, "r1cs", 4);
    fz_u32(&base, 1);
    fz_u32(&base, 3);
    size_t s = fz_begin(&base, 1);
    fz_u32(&base, 32);
    fz_put(&base, ns_bn254_r_le, 32);
    fz_u32(&base, 5);
    fz_u32(&base, 1);
    fz_u32(&base, 1);
    fz_u32(&base, 1);
    fz_u64(&base, 5);
    fz_u32(&base, 2);
    fz_end(&base, s);
    s = fz_begin(&base, 2);
    uint8_t one[32] = {1};
    for (int j = 0; j < 2; j++) {
        fz_u32(&base, 2);
        fz_u32(&base, 2), fz_put(&base, one, 32);
        fz_u32(&base, 0), fz_put(&base, one, 32);
        fz_u32(&base, 1);
        fz_u32(&base, 3), fz_put(&base, one, 32);
        fz_u32(&base, 1);
        fz_u32(&base, 4), fz_put(&base, one, 32);
    }
    fz_end(&base, s);
    s = fz_begin(&base, 3);
    fz_zeros(&base, 5 * 8);
    fz_end(&base, s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (base.n == 0) build_base();
    parse(data, size);
    uint8_t *t = fz_patched(&base, data, size);
    parse(t, base.n);
    free(t);
    return 0;
}
