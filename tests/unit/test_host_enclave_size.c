/* host --eif without --cpu-count: the allocator CPU list parser (memory:
 * test_sizing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/enclave_size.h"
#include "testutil.h"

int main(void) {
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
        unlink(path);
    }
    return ns_test_report("host_enclave_size");
}
