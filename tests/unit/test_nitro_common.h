/* Shared by the test_nitro*.c tests: locate the research vectors
 * (ns_test_shared_path handles the worktree fallback). */
#ifndef NS_TEST_NITRO_COMMON_H
#define NS_TEST_NITRO_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testutil.h"

static inline const char *nitro_vec_path(const char *rel) { return ns_test_shared_path(rel); }

#endif
