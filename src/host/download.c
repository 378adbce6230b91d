#include "host/download.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/progress.h"

typedef struct {
    FILE *f;
    ns_progress prog;
    int started;
    curl_off_t base;
} dl_ctx;

static size_t on_data(char *p, size_t size, size_t n, void *v) {
    dl_ctx *c = v;
    return fwrite(p, size, n, c->f) * size;
}

static int on_progress(void *v, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un) {
    (void)ut, (void)un;
    dl_ctx *c = v;
    if (total > 0 && !c->started) {
        ns_progress_start(&c->prog, "download", (uint64_t)(total + c->base));
        ns_progress_add(&c->prog, (uint64_t)c->base);
        c->started = 1;
    }
    if (c->started) {
        uint64_t done = (uint64_t)(now + c->base), seen = atomic_load(&c->prog.done);
        if (done > seen) ns_progress_add(&c->prog, done - seen);
    }
    return 0;
}

int ns_download_resumable(const char *dest, const char *url, ns_error *err) {
    char part[4200];
    if (snprintf(part, sizeof part, "%s.part", dest) >= (int)sizeof part)
        return ns_error_set(err, "%s: path too long", dest);
    struct stat st;
    curl_off_t have = stat(part, &st) == 0 ? (curl_off_t)st.st_size : 0;
    dl_ctx c;
    memset(&c, 0, sizeof c);
    c.base = have;
    c.f = fopen(part, have > 0 ? "ab" : "wb");
    if (c.f == NULL) return ns_error_set(err, "%s: %s", part, strerror(errno));
    if (have > 0) fprintf(stderr, "nitrosetup: [host] ptau: resuming %s at %lld bytes\n", url, (long long)have);
    CURL *h = curl_easy_init();
    if (h == NULL) {
        fclose(c.f);
        return ns_error_set(err, "download: cannot initialise libcurl");
    }
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "nitrosetup/" NS_VERSION);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &c);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
    /* Abort when slower than 1 KiB/s for a minute. */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    if (have > 0) curl_easy_setopt(h, CURLOPT_RESUME_FROM_LARGE, have);
    CURLcode r = curl_easy_perform(h);
    long code = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(h);
    int werr = fclose(c.f) != 0;
    if (c.started) ns_progress_finish(&c.prog);
    if (r != CURLE_OK)
        return ns_error_set(err, "%s: download failed (%s); run again to resume from %s", url,
                            ebuf[0] ? ebuf : curl_easy_strerror(r), part);
    if (werr) return ns_error_set(err, "%s: write failed", part);
    if (have > 0 && code != 0 && code != 206)
        return ns_error_set(err, "%s: the server ignored the resume request (HTTP %ld); delete %s and retry", url,
                            code, part);
    if (rename(part, dest) != 0) return ns_error_set(err, "%s: %s", dest, strerror(errno));
    return 0;
}
