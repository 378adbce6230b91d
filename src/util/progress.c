#include "util/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

double ns_now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void ns_progress_start(ns_progress *p, const char *label, uint64_t total) {
    const char *force = getenv("NS_PROGRESS");
    p->label = label;
    p->total = total;
    atomic_init(&p->done, 0);
    atomic_init(&p->last_draw_ms, 0);
    p->start = ns_now_seconds();
    p->enabled = (force != NULL && strcmp(force, "1") == 0) || isatty(2);
}

static void draw(ns_progress *p, uint64_t done) {
    double el = ns_now_seconds() - p->start;
    double frac = p->total ? (double)done / (double)p->total : 1.0;
    if (frac > 1.0) frac = 1.0;
    double eta = frac > 0.0 ? el * (1.0 - frac) / frac : 0.0;
    fprintf(stderr, "\r\033[K%s: %5.1f%%  elapsed %.0fs  ETA %.0fs", p->label, 100.0 * frac, el, eta);
    fflush(stderr);
}

void ns_progress_add(ns_progress *p, uint64_t n) {
    uint64_t done = atomic_fetch_add(&p->done, n) + n;
    if (!p->enabled) return;
    uint64_t now_ms = (uint64_t)((ns_now_seconds() - p->start) * 1000.0);
    uint64_t last = atomic_load(&p->last_draw_ms);
    if (now_ms < last + 250) return;
    if (!atomic_compare_exchange_strong(&p->last_draw_ms, &last, now_ms)) return;
    draw(p, done);
}

void ns_progress_finish(ns_progress *p) {
    if (!p->enabled) return;
    fprintf(stderr, "\r\033[K%s: done in %.1fs\n", p->label, ns_now_seconds() - p->start);
}
