#include "host/enclave_size.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MIB (1ull << 20)

static uint64_t max3(uint64_t a, uint64_t b, uint64_t c) {
    uint64_t m = a > b ? a : b;
    return m > c ? m : c;
}

uint64_t ns_enclave_memory_mib(uint64_t eif, uint64_t ptau, uint64_t zkey, uint64_t r1cs) {
    uint64_t files = ptau + 3 * zkey + r1cs, circom = 256 * MIB + 8 * r1cs;
    uint64_t need = max3(4 * eif, 2 * files, eif + files + circom + 512 * MIB);
    uint64_t mib = (need + MIB - 1) / MIB;
    mib += mib & 1; /* whole 2 MiB hugepages */
    return mib < 64 ? 64 : mib;
}

int ns_enclave_memory_for(int *mib, const char *eif, const char *ptau, const char *zkey, const char *r1cs,
                          ns_error *err) {
    const char *paths[4] = {eif, ptau, zkey, r1cs};
    uint64_t size[4];
    for (int i = 0; i < 4; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) return ns_error_set(err, "%s: %s", paths[i], strerror(errno));
        size[i] = (uint64_t)st.st_size;
    }
    uint64_t m = ns_enclave_memory_mib(size[0], size[1], size[2], size[3]);
    if (m > (1u << 30)) return ns_error_set(err, "the enclave would need %llu MiB", (unsigned long long)m);
    *mib = (int)m;
    return 0;
}

int ns_cpulist_count(const char *s) {
    int n = 0;
    while (*s == ' ') s++;
    while (*s && *s != '\n') {
        char *end;
        long a = strtol(s, &end, 10), b;
        if (end == s || a < 0) return -1;
        s = end;
        b = a;
        if (*s == '-') {
            b = strtol(s + 1, &end, 10);
            if (end == s + 1 || b < a) return -1;
            s = end;
        }
        if (b - a > 65536) return -1;
        n += (int)(b - a + 1);
        if (*s == ',') {
            s++;
            if (*s == 0 || *s == '\n') return -1;
        } else if (*s && *s != '\n') {
            return -1;
        }
    }
    return n > 0 ? n : -1;
}

int ns_enclave_cpu_count(const char *path, int fallback) {
    char line[4096];
    FILE *f = fopen(path, "r");
    if (f == NULL) return fallback;
    int n = fgets(line, sizeof line, f) != NULL ? ns_cpulist_count(line) : -1;
    fclose(f);
    return n > 0 ? n : fallback;
}
