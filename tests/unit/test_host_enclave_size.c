/* host --eif without --memory/--cpu-count: the memory formula (each of its
 * three terms decisive in turn, 2 MiB pages, the 64 MiB floor) and the
 * allocator CPU list parser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/enclave_size.h"
#include "testutil.h"

#define MIB (1ull << 20)

int main(void) {
    /* 4 x image decides: a 400 MiB image, tiny circuit */
    CHECK(ns_enclave_memory_mib(400 * MIB + 1, 300000, 5000, 400) == 1602); /* 1600 + 4 bytes -> 1601 -> 1602 */
    /* today's 133 MB image and multiplier: image + files + circom + 512 MiB */
    CHECK(ns_enclave_memory_mib(132727989, 300000, 5000, 400) == 896);
    /* image + files + circom + 512 MiB decides: 100 + (100 + 30 + 10) + (256 + 80) + 512 */
    CHECK(ns_enclave_memory_mib(100 * MIB, 100 * MIB, 10 * MIB, 10 * MIB) == 1088);
    /* 2 x files decides (the /tmp tmpfs holds half the RAM) */
    CHECK(ns_enclave_memory_mib(100 * MIB, 1024 * MIB, 1024 * MIB, 0) == 2 * 4096);
    /* odd MiB rounded up to whole 2 MiB pages; at least 64 */
    CHECK(ns_enclave_memory_mib(0, MIB + 1, 0, 0) == 770);
    CHECK(ns_enclave_memory_mib(1, 0, 0, 0) % 2 == 0);
    CHECK(ns_enclave_memory_mib(0, 0, 0, 0) == 768);
    /* a 2^20 Hermez ptau (1.2 GB), its keys (~0.6 GB each), a 150 MB r1cs */
    CHECK(ns_enclave_memory_mib(133 * 1000 * 1000ull, 1208 * MIB, 600 * MIB, 150 * MIB) == 2 * (1208 + 1800 + 150));

    CHECK(ns_cpulist_count("2-7,10\n") == 7);
    CHECK(ns_cpulist_count("1") == 1);
    CHECK(ns_cpulist_count("0-1,4-5") == 4);
    CHECK(ns_cpulist_count("") == -1);
    CHECK(ns_cpulist_count("\n") == -1);
    CHECK(ns_cpulist_count("3-2") == -1);
    CHECK(ns_cpulist_count("1,") == -1);
    CHECK(ns_cpulist_count("a") == -1);
    CHECK(ns_cpulist_count("1;2") == -1);
    CHECK(ns_enclave_cpu_count("/nonexistent/ne_cpus", 2) == 2);
    char path[] = "/tmp/ns-ne-cpus-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK(write(fd, "2-5\n", 4) == 4);
        close(fd);
        CHECK(ns_enclave_cpu_count(path, 2) == 4);
        FILE *f = fopen(path, "w");
        if (f) fclose(f);
        CHECK(ns_enclave_cpu_count(path, 2) == 2); /* empty pool list: fallback */
        /* sizes from files: 3 empty files and this one (0 bytes) -> 768 MiB */
        int mib = 0;
        ns_error err;
        CHECK(ns_enclave_memory_for(&mib, path, path, path, path, &err) == 0 && mib == 768);
        CHECK(ns_enclave_memory_for(&mib, path, "/nonexistent/ptau", path, path, &err) != 0);
        CHECK(strstr(err.msg, "/nonexistent/ptau") != NULL);
        unlink(path);
    }
    return ns_test_report("host_enclave_size");
}
