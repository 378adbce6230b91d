#include "util/tmpfs.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static uint64_t mem_total(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (f == NULL) return 0;
    char line[256];
    unsigned long long kib = 0;
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "MemTotal: %llu kB", &kib) == 1) break;
    fclose(f);
    return (uint64_t)kib * 1024;
}

/* The mount point holding path (the longest one that is a prefix of it),
 * from /proc/self/mountinfo (field 5; octal escapes for spaces are left
 * as they are: such a path simply does not match). */
static int mount_point(char *out, size_t cap, const char *path) {
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (f == NULL) return -1;
    char line[8192], mp[4096];
    size_t best = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1) continue;
        size_t n = strlen(mp);
        int prefix = strcmp(mp, "/") == 0 || (strncmp(path, mp, n) == 0 && (path[n] == 0 || path[n] == '/'));
        if (prefix && n >= best && n < cap) {
            best = n;
            memcpy(out, mp, n + 1);
        }
    }
    fclose(f);
    return best > 0 ? 0 : -1;
}

static uint64_t fs_size(const struct statfs *s) { return (uint64_t)s->f_blocks * (uint64_t)s->f_bsize; }

int ns_tmpfs_grow(const char *dir, unsigned percent, uint64_t *before, uint64_t *after, ns_error *err) {
    struct statfs s;
    char real[PATH_MAX], mp[4096];
    if (statfs(dir, &s) != 0) return ns_error_set(err, "%s: %s", dir, strerror(errno));
    if (before != NULL) *before = fs_size(&s);
    if (after != NULL) *after = fs_size(&s);
    if ((unsigned long)s.f_type != TMPFS_MAGIC) return 1;
    uint64_t total = mem_total(), want = total / 100 * (percent > 100 ? 100 : percent);
    if (total == 0) return ns_error_set(err, "/proc/meminfo: no MemTotal");
    if (fs_size(&s) >= want) return 0;
    if (realpath(dir, real) == NULL) return ns_error_set(err, "%s: %s", dir, strerror(errno));
    if (mount_point(mp, sizeof mp, real) != 0) return ns_error_set(err, "%s: no mount point found", real);
    char opt[64];
    snprintf(opt, sizeof opt, "size=%llu", (unsigned long long)want);
    if (mount(NULL, mp, NULL, MS_REMOUNT, opt) != 0)
        return ns_error_set(err, "%s: cannot grow the tmpfs to %llu MiB: %s", mp, (unsigned long long)(want >> 20),
                            strerror(errno));
    if (statfs(dir, &s) != 0) return ns_error_set(err, "%s: %s", dir, strerror(errno));
    if (after != NULL) *after = fs_size(&s);
    if (fs_size(&s) + (1u << 20) < want) return ns_error_set(err, "%s: the tmpfs did not grow", mp);
    return 0;
}
