/* Shared by the test_nitro*.c tests: locate the research vectors.  CTest
 * passes NS_SHARED=<source>/../shared, which is right for /work/main; in a
 * worktree (/work/wt/<name>) the shared directory is two levels up, so
 * fall back to NS_SOURCE/../../shared when the first path does not exist. */
#ifndef NS_TEST_NITRO_COMMON_H
#define NS_TEST_NITRO_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

static inline const char *nitro_vec_path(const char *rel) {
    static char buf[4096];
    const char *p = ns_test_shared_path(rel);
    if (access(p, R_OK) == 0) return p;
    const char *src = getenv("NS_SOURCE");
    if (src != NULL) {
        snprintf(buf, sizeof buf, "%s/../../shared/%s", src, rel);
        if (access(buf, R_OK) == 0) return buf;
    }
    return p;
}

#endif
