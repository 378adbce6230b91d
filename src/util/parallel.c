#include "util/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

int ns_cpu_count(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}

int ns_threads_parse(const char *s) {
    if (s == NULL) return ns_cpu_count();
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0 || v > 1024) return -1;
    return v == 0 ? ns_cpu_count() : (int)v;
}

typedef struct {
    ns_range_fn fn;
    void *ctx;
    size_t n, grain;
    atomic_size_t next;
    atomic_int result;
} pf_shared;

typedef struct {
    pf_shared *sh;
    int index;
} pf_worker;

static void *pf_run(void *arg) {
    pf_worker *w = arg;
    pf_shared *sh = w->sh;
    for (;;) {
        if (atomic_load(&sh->result) != 0) break;
        size_t b = atomic_fetch_add(&sh->next, sh->grain);
        if (b >= sh->n) break;
        size_t e = b + sh->grain < sh->n ? b + sh->grain : sh->n;
        int r = sh->fn(sh->ctx, b, e, w->index);
        if (r != 0) {
            int zero = 0;
            atomic_compare_exchange_strong(&sh->result, &zero, r);
            break;
        }
    }
    return NULL;
}

int ns_parallel_for(int nthreads, size_t n, size_t grain, ns_range_fn fn, void *ctx) {
    if (n == 0) return 0;
    if (nthreads <= 0) nthreads = ns_cpu_count();
    if (grain == 0) grain = 1;
    size_t chunks = (n + grain - 1) / grain;
    if ((size_t)nthreads > chunks) nthreads = (int)chunks;
    pf_shared sh = {.fn = fn, .ctx = ctx, .n = n, .grain = grain};
    atomic_init(&sh.next, 0);
    atomic_init(&sh.result, 0);
    pthread_t *tids = calloc((size_t)nthreads, sizeof *tids);
    pf_worker *ws = calloc((size_t)nthreads, sizeof *ws);
    if (tids == NULL || ws == NULL) {
        free(tids);
        free(ws);
        nthreads = 1;
        pf_worker w = {&sh, 0};
        pf_run(&w);
        return atomic_load(&sh.result);
    }
    int started = 1;
    for (int i = 1; i < nthreads; i++) {
        ws[i].sh = &sh;
        ws[i].index = i;
        if (pthread_create(&tids[i], NULL, pf_run, &ws[i]) != 0) break;
        started++;
    }
    ws[0].sh = &sh;
    ws[0].index = 0;
    pf_run(&ws[0]);
    for (int i = 1; i < started; i++) pthread_join(tids[i], NULL);
    free(tids);
    free(ws);
    return atomic_load(&sh.result);
}
