/* The one HTTP client (libcurl), with one policy for every caller (drand
 * relays, ptau downloads): http and https only, also on redirects (at most
 * 3); TLS peer and host name verification always on; a connect timeout;
 * no signals (safe with threads); our User-Agent.
 *
 * curl_global_init runs once per process (pthread_once) and is never undone:
 * process-wide state that libcurl requires, like util/interrupt's list. */
#ifndef NS_UTIL_HTTP_H
#define NS_UTIL_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

typedef struct ns_http ns_http;

typedef struct {
    long timeout_ms;         /* the whole transfer; 0: no limit (large downloads) */
    long connect_timeout_ms; /* 0: 30 s */
    long low_speed_bytes;    /* abort when slower than this many bytes/s ... */
    long low_speed_s;        /* ... for this many seconds; 0: never */
    uint64_t resume_from;    /* ask for the bytes from this offset on (HTTP Range); 0: all */
    int fail_on_http_error;  /* an HTTP status >= 400 is a transfer error (no body is delivered) */
    /* Receives the body in pieces; returns 0 to go on, -1 to abort the transfer. */
    int (*sink)(void *ctx, const void *data, size_t n);
    void *sink_ctx;
    /* Optional: called now and then with the expected and received sizes (total 0: unknown). */
    void (*progress)(void *ctx, uint64_t total, uint64_t now);
    void *progress_ctx;
    const char *const *headers; /* extra request headers "Name: value", NULL-terminated; NULL: none */
    const char *method;         /* another method for ns_http_get ("PUT", no body: the IMDSv2 token); NULL: GET */
} ns_http_request;

/* A connection cache for a series of requests (one thread at a time). */
ns_http *ns_http_open(ns_error *err);
void ns_http_close(ns_http *h);

/* GET url.  0 with *status = the HTTP status (any value, unless
 * fail_on_http_error), or -1 with err = libcurl's reason (also when the
 * sink aborted: the caller knows why). */
int ns_http_get(ns_http *h, const char *url, const ns_http_request *req, long *status, ns_error *err);
/* POST body (Content-Type content_type) to url, otherwise as ns_http_get
 * (JSON-RPC: `verify --rpc`). */
int ns_http_post(ns_http *h, const char *url, const char *content_type, const void *body, size_t body_len,
                 const ns_http_request *req, long *status, ns_error *err);

#endif
