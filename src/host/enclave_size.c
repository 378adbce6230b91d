#include "host/enclave_size.h"

#include <stdio.h>
#include <stdlib.h>

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
