#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

#ifndef NS_BENCH_SOURCE_DIR
#define NS_BENCH_SOURCE_DIR ""
#endif

uint64_t bench_rng(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void bench_scalar(uint64_t k[4], uint64_t *state) {
    for (int i = 0; i < 4; i++) k[i] = bench_rng(state);
    k[3] &= 0x0fffffffffffffffULL;
}

void bench_le32(uint8_t out[32], const uint64_t k[4]) {
    for (int i = 0; i < 32; i++) out[i] = (uint8_t)(k[i / 8] >> (8 * (i % 8)));
}

int bench_save(const char *dir, const char *name, const void *p, size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int ok = fwrite(p, 1, n, f) == n;
    return fclose(f) == 0 && ok ? 0 : -1;
}

double bench_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

const char *bench_source_dir(void) {
    const char *s = getenv("NS_SOURCE");
    if (s && *s) return s;
    return *NS_BENCH_SOURCE_DIR ? NS_BENCH_SOURCE_DIR : NULL;
}

const char *bench_compat_dir(char *buf, size_t cap) {
    const char *env = getenv("NS_COMPAT");
    if (env && *env) return env;
    const char *src = bench_source_dir();
    if (!src) return NULL;
    snprintf(buf, cap, "%s/tests/compat", src);
    return buf;
}
