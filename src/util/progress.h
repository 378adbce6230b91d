/* Progress with ETA on stderr, only when stderr is a terminal (or when
 * NS_PROGRESS=1 forces it).  Thread-safe: workers call ns_progress_add. */
#ifndef NS_UTIL_PROGRESS_H
#define NS_UTIL_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct {
    const char *label;
    uint64_t total;
    atomic_uint_fast64_t done;
    double start;           /* monotonic seconds */
    atomic_uint_fast64_t last_draw_ms;
    int enabled;
} ns_progress;

void ns_progress_start(ns_progress *p, const char *label, uint64_t total);
void ns_progress_add(ns_progress *p, uint64_t n);
/* Clears the line and prints "<label>: done in X s" (when enabled). */
void ns_progress_finish(ns_progress *p);

double ns_now_seconds(void); /* CLOCK_MONOTONIC */

#endif
