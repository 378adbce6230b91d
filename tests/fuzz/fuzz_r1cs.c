/* libFuzzer target: the r1cs reader (container, header, every constraint). */
#include <stddef.h>
#include <stdint.h>

#include "formats/r1cs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ns_r1cs r;
    ns_error err;
    if (ns_r1cs_parse(&r, data, size, "fuzz.r1cs", &err) != 0) return 0;
    uint64_t t[3];
    (void)ns_r1cs_check(&r, t, &err);
    (void)ns_groth16_domain_power(r.nconstraints, ns_r1cs_npublic(&r));
    return 0;
}
