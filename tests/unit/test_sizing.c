/* protocol/sizing: the enclave memory model and the instance choice. */
#include <string.h>

#include "protocol/sizing.h"
#include "testutil.h"

int main(void) {
    /* measured (bench/ceremony-scale: the chain circuit filling 2^14, 16380
     * constraints, 16384 wires, 2 public): final.zkey 7 734 442 bytes,
     * circuit.r1cs 2 096 776 bytes */
    uint64_t n14 = 1u << 14;
    uint64_t z = ns_sizing_zkey_bytes(14, n14, 2, 2 * (n14 - 4));
    CHECK_MSG(z > 7734442 - 1024 && z < 7734442 + 1024, "zkey estimate %llu", (unsigned long long)z);
    {
        ns_sizing_in c = {.power = 14, .constraints = n14 - 4, .wires = n14};
        ns_sizing r;
        CHECK(ns_sizing_enclave(&r, &c) == 0 && r.r1cs > 2096776 - 1024 && r.r1cs < 2096776 + 1024);
    }
    CHECK(ns_sizing_ptau_kept(14) == 576 * n14 + 256 * 1024);
    CHECK(ns_sizing_ptau_kept(29) == 0);

    ns_sizing s;
    ns_sizing_in in;
    memset(&in, 0, sizeof in);
    CHECK(ns_sizing_enclave(&s, &in) != 0); /* power 0 */
    in.power = 29;
    CHECK(ns_sizing_enclave(&s, &in) != 0);
    in.power = 20;
    CHECK(ns_sizing_enclave(&s, &in) == 0);
    CHECK(s.files == s.ptau_kept + s.zkey + s.r1cs);
    CHECK(s.work == (s.circom > s.engine ? s.circom : s.engine));
    CHECK(s.peak == (s.circom + s.r1cs > s.files + s.engine ? s.circom + s.r1cs : s.files + s.engine));
    CHECK(s.memory_mib * (1u << 20) >= s.peak * 11 / 10 + (512u << 20));
    CHECK(s.memory_mib > 4096 ? s.memory_mib % 1024 == 0 : s.memory_mib % 2 == 0); /* 1 GiB / 2 MiB pages */
    /* compile first: circom's heap never adds to the key and the ptau.  At
     * 2^26 (a circuit filling its domain) circom's 2.1 KB per constraint is
     * the peak, and the enclave fits the 256 GiB class (r6i.8xlarge), where
     * files + circom together would need r6i.16xlarge. */
    in.power = 26;
    CHECK(ns_sizing_enclave(&s, &in) == 0);
    CHECK(s.peak == s.circom + s.r1cs && s.peak < s.files + s.circom);
    CHECK_MSG(s.memory_mib < 200 * 1024, "2^26: %llu MiB", (unsigned long long)s.memory_mib);
    CHECK(ns_sizing_instance_for(s.memory_mib) != NULL &&
          strcmp(ns_sizing_instance_for(s.memory_mib)->name, "r6i.8xlarge") == 0);
    CHECK((s.files + s.circom) / 100 * 110 / (1 << 20) > 200 * 1024);
    /* the image's unpacked root file system is counted, in 2 MiB pages */
    memset(&in, 0, sizeof in);
    in.power = 8;
    CHECK(ns_sizing_enclave(&s, &in) == 0 && s.memory_mib % 2 == 0);
    uint64_t small = s.memory_mib;
    in.eif_bytes = 130u << 20;
    CHECK(ns_sizing_enclave(&s, &in) == 0 && s.memory_mib == small + 130 + (small % 2 ? 1 : 0));
    /* known sizes win over estimates */
    memset(&in, 0, sizeof in);
    in.power = 20;
    CHECK(ns_sizing_enclave(&s, &in) == 0);
    uint64_t est = s.memory_mib;
    in.zkey_bytes = 64ull << 30;
    CHECK(ns_sizing_enclave(&s, &in) == 0 && s.zkey == 64ull << 30 && s.memory_mib > est + 64 * 1024);
    /* the image rule: at least 4x the EIF */
    memset(&in, 0, sizeof in);
    in.power = 10;
    in.eif_bytes = 900ull << 20;
    CHECK(ns_sizing_enclave(&s, &in) == 0 && s.memory_mib == 3600);
    CHECK(ns_sizing_memory_for_eif(1) == 1 && ns_sizing_memory_for_eif(1u << 20) == 4);
    /* monotone in the power; the shorthand agrees with the full form */
    uint64_t prev = 0;
    for (uint32_t p = 1; p <= 28; p++) {
        uint64_t m = ns_sizing_memory_mib(p, 0);
        CHECK_MSG(m > 0 && m >= prev, "power %u: %llu MiB", p, (unsigned long long)m);
        prev = m;
    }
    CHECK(ns_sizing_memory_mib(0, 0) == 0 && ns_sizing_memory_mib(29, 0) == 0);
    CHECK(ns_sizing_memory_mib_files("/nonexistent.r1cs", "/nonexistent.zkey", NULL, NULL) == 0);
    /* instances: smallest that holds it; none beyond one 512 GiB node */
    int ni;
    const ns_instance *t = ns_sizing_instance_table(&ni);
    CHECK(ni >= 2);
    for (int i = 0; i < ni; i++) {
        CHECK(t[i].enclave_vcpus == t[i].vcpus - 2 && t[i].enclave_mib < t[i].ram_gib * 1024u);
        if (i > 0) CHECK(t[i].enclave_mib > t[i - 1].enclave_mib && t[i].usd_per_hour > t[i - 1].usd_per_hour);
        CHECK(ns_sizing_instance_for(t[i].enclave_mib) == &t[i]);
        if (i + 1 < ni) CHECK(ns_sizing_instance_for(t[i].enclave_mib + 1) == &t[i + 1]);
    }
    CHECK(ns_sizing_instance_for(1) == &t[0]);
    CHECK(ns_sizing_instance_for(t[ni - 1].enclave_mib + 1) == NULL);
    return ns_test_report("sizing");
}
