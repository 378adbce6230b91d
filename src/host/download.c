#include "host/download.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/http.h"
#include "util/progress.h"

typedef struct {
    FILE *f;
    ns_progress prog;
    int started;
    uint64_t base;
    void (*cb)(void *ctx, uint64_t done, uint64_t total);
    void *cb_ctx;
} dl_ctx;

static int on_data(void *v, const void *p, size_t n) {
    dl_ctx *c = v;
    return fwrite(p, 1, n, c->f) == n ? 0 : -1;
}

static void on_progress(void *v, uint64_t total, uint64_t now) {
    dl_ctx *c = v;
    if (c->cb != NULL) {
        c->cb(c->cb_ctx, c->base + now, total > 0 ? c->base + total : 0);
        return;
    }
    if (total > 0 && !c->started) {
        ns_progress_start(&c->prog, "download", total + c->base);
        ns_progress_add(&c->prog, c->base);
        c->started = 1;
    }
    if (c->started) {
        uint64_t done = now + c->base, seen = atomic_load(&c->prog.done);
        if (done > seen) ns_progress_add(&c->prog, done - seen);
    }
}

int ns_download_resumable(const char *dest, const char *url, ns_error *err) {
    return ns_download_resumable_cb(dest, url, NULL, NULL, err);
}

int ns_download_resumable_cb(const char *dest, const char *url, void (*progress)(void *ctx, uint64_t done, uint64_t total),
                             void *ctx, ns_error *err) {
    char part[4200];
    if (snprintf(part, sizeof part, "%s.part", dest) >= (int)sizeof part)
        return ns_error_set(err, "%s: path too long", dest);
    struct stat st;
    uint64_t have = stat(part, &st) == 0 ? (uint64_t)st.st_size : 0;
    dl_ctx c;
    memset(&c, 0, sizeof c);
    c.base = have;
    c.cb = progress;
    c.cb_ctx = ctx;
    c.f = fopen(part, have > 0 ? "ab" : "wb");
    if (c.f == NULL) return ns_error_set(err, "%s: %s", part, strerror(errno));
    if (have > 0) fprintf(stderr, "nitrosetup: [host] ptau: resuming %s at %llu bytes\n", url, (unsigned long long)have);
    ns_http *h = ns_http_open(err);
    if (h == NULL) {
        fclose(c.f);
        return ns_error_prefix(err, "download");
    }
    /* No overall timeout (files are gigabytes); abort when slower than 1 KiB/s for a minute. */
    ns_http_request req = {.connect_timeout_ms = 30000, .low_speed_bytes = 1024, .low_speed_s = 60,
                           .resume_from = have, .fail_on_http_error = 1,
                           .sink = on_data, .sink_ctx = &c, .progress = on_progress, .progress_ctx = &c};
    long code = 0;
    ns_error herr;
    int r = ns_http_get(h, url, &req, &code, &herr);
    ns_http_close(h);
    int werr = fclose(c.f) != 0;
    if (c.started) ns_progress_finish(&c.prog);
    if (r != 0)
        return ns_error_set(err, "%s: download failed (%s); run again to resume from %s", url, herr.msg, part);
    if (werr) return ns_error_set(err, "%s: write failed", part);
    if (have > 0 && code != 0 && code != 206)
        return ns_error_set(err, "%s: the server ignored the resume request (HTTP %ld); delete %s and retry", url,
                            code, part);
    if (rename(part, dest) != 0) return ns_error_set(err, "%s: %s", dest, strerror(errno));
    return 0;
}
