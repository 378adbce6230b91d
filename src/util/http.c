#include "util/http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct ns_http {
    CURL *curl;
};

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
static CURLcode http_init_rc = CURLE_FAILED_INIT;

static void http_global_init(void) { http_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

ns_http *ns_http_open(ns_error *err) {
    pthread_once(&http_once, http_global_init);
    if (http_init_rc != CURLE_OK) {
        ns_error_set(err, "libcurl initialisation failed: %s", curl_easy_strerror(http_init_rc));
        return NULL;
    }
    ns_http *h = malloc(sizeof *h);
    if (h != NULL && (h->curl = curl_easy_init()) != NULL) return h;
    free(h);
    ns_error_set(err, "cannot initialise libcurl (out of memory)");
    return NULL;
}

void ns_http_close(ns_http *h) {
    if (h == NULL) return;
    curl_easy_cleanup(h->curl);
    free(h);
}

static size_t http_on_body(char *p, size_t size, size_t n, void *v) {
    const ns_http_request *req = v;
    size_t len = size * n;
    if (req->sink == NULL) return len;
    return req->sink(req->sink_ctx, p, len) == 0 ? len : 0;
}

static int http_on_progress(void *v, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un) {
    (void)ut, (void)un;
    const ns_http_request *req = v;
    req->progress(req->progress_ctx, total > 0 ? (uint64_t)total : 0, now > 0 ? (uint64_t)now : 0);
    return 0;
}

static int perform(ns_http *h, const char *url, const ns_http_request *req, const char *content_type,
                   const void *body, size_t body_len, long *status, ns_error *err) {
    CURL *c = h->curl;
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "nitrosetup/" NS_VERSION);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 30000L);
    if (req->timeout_ms > 0) curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
    if (req->low_speed_s > 0) {
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, req->low_speed_bytes);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, req->low_speed_s);
    }
    if (req->resume_from > 0) curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)req->resume_from);
    if (req->fail_on_http_error) curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, (void *)req);
    if (req->progress != NULL) {
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, http_on_progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)req);
    }
    struct curl_slist *headers = NULL;
    for (const char *const *hd = req->headers; hd != NULL && *hd != NULL; hd++) {
        struct curl_slist *more = curl_slist_append(headers, *hd);
        if (more == NULL) {
            curl_slist_free_all(headers);
            return ns_error_set(err, "out of memory");
        }
        headers = more;
    }
    if (req->method != NULL) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req->method);
    if (body != NULL) {
        char ct[128];
        snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
        struct curl_slist *more = curl_slist_append(headers, ct);
        if (more == NULL) {
            curl_slist_free_all(headers);
            return ns_error_set(err, "out of memory");
        }
        headers = more;
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    if (headers != NULL) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(headers);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (status != NULL) *status = code;
    if (rc != CURLE_OK) return ns_error_set(err, "%s", ebuf[0] ? ebuf : curl_easy_strerror(rc));
    return 0;
}

int ns_http_get(ns_http *h, const char *url, const ns_http_request *req, long *status, ns_error *err) {
    return perform(h, url, req, NULL, NULL, 0, status, err);
}

int ns_http_post(ns_http *h, const char *url, const char *content_type, const void *body, size_t body_len,
                 const ns_http_request *req, long *status, ns_error *err) {
    return perform(h, url, req, content_type, body, body_len, status, err);
}
