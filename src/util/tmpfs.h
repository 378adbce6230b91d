/* Growing a tmpfs.  AWS's enclave init mounts /tmp as a tmpfs capped at
 * half the RAM, but the enclave keeps its files there (it has no disk), so
 * at scale the cap, not the RAM, would end a ceremony with ENOSPC.  The
 * enclave (root inside, on Nitro only) raises its work directory's tmpfs to
 * a share of the RAM; the memory the host gives it is sized for its peak
 * (protocol/sizing.h), so the cap only has to stay out of the way. */
#ifndef NS_UTIL_TMPFS_H
#define NS_UTIL_TMPFS_H

#include <stdint.h>

#include "util/error.h"

/* If dir lies on a tmpfs smaller than percent % of MemTotal, remounts that
 * tmpfs with size = percent % of MemTotal.  Returns 1 when dir is not on a
 * tmpfs (nothing done), 0 when the tmpfs is (now) at least that large, -1
 * with err set when it could not be grown.  *before and *after (either may
 * be NULL) get the tmpfs's size in bytes. */
int ns_tmpfs_grow(const char *dir, unsigned percent, uint64_t *before, uint64_t *after, ns_error *err);

#endif
