/* util/tmpfs: grows a small tmpfs to a share of the RAM (as the enclave
 * does with AWS's half-RAM /tmp).  Needs root for the private mount
 * namespace; without it only the "not a tmpfs" path is checked. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "testutil.h"
#include "util/tmpfs.h"

int main(void) {
    ns_error err;
    uint64_t before = 0, after = 0;
    CHECK(ns_tmpfs_grow("/nonexistent-dir-xyz", 90, &before, &after, &err) == -1);
    CHECK(strstr(err.msg, "/nonexistent-dir-xyz") != NULL);
    if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        printf("tmpfs: not root (or no mount namespace): only the refusals were checked\n");
        return ns_test_report("tmpfs");
    }
    char dir[256];
    snprintf(dir, sizeof dir, "/tmp/ns-tmpfs-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    /* a directory on a disk (or whatever /tmp is) that is not this tmpfs */
    CHECK(mount("tmpfs", dir, "tmpfs", 0, "size=1m") == 0);
    char sub[300];
    snprintf(sub, sizeof sub, "%s/work", dir);
    CHECK(mkdir(sub, 0700) == 0);
    CHECK(ns_tmpfs_grow(sub, 50, &before, &after, &err) == 0);
    CHECK_MSG(before == 1u << 20, "before %llu", (unsigned long long)before);
    struct statfs s;
    CHECK(statfs(dir, &s) == 0);
    uint64_t size = (uint64_t)s.f_blocks * s.f_bsize;
    CHECK_MSG(size == after && after > (64u << 20), "after %llu, statfs %llu", (unsigned long long)after,
              (unsigned long long)size);
    /* already large enough: nothing to do */
    CHECK(ns_tmpfs_grow(sub, 10, &before, &after, &err) == 0 && before == after);
    CHECK(umount(dir) == 0);
    /* a plain directory: not a tmpfs (unless /tmp itself is one) */
    struct statfs t;
    CHECK(statfs(dir, &t) == 0);
    if ((unsigned long)t.f_type != 0x01021994) CHECK(ns_tmpfs_grow(dir, 90, NULL, NULL, &err) == 1);
    rmdir(dir);
    return ns_test_report("tmpfs");
}
