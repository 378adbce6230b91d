/* A minimal parallel-for over pthreads.  No global pool: each call starts
 * nthreads-1 workers and joins them (start-up is microseconds; every caller
 * passes chunks of milliseconds or more). */
#ifndef NS_UTIL_PARALLEL_H
#define NS_UTIL_PARALLEL_H

#include <stddef.h>

/* Number of online CPUs (at least 1). */
int ns_cpu_count(void);

/* Parses a --threads value: "0"/NULL = all cores.  Returns -1 when invalid. */
int ns_threads_parse(const char *s);

/* fn(ctx, begin, end, thread_index) is called on disjoint ranges covering
 * [0, n), in chunks of `grain` items handed out dynamically to nthreads
 * threads (nthreads <= 0 means all cores).  Returns 0, or the first non-zero
 * value returned by fn (remaining chunks are then skipped). */
typedef int (*ns_range_fn)(void *ctx, size_t begin, size_t end, int thread_index);
int ns_parallel_for(int nthreads, size_t n, size_t grain, ns_range_fn fn, void *ctx);

#endif
