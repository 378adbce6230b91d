#include "drand/http.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "drand/round.h"
#include "drand/sim.h"
#include "util/hex.h"
#include "util/http.h"

#ifndef NS_VERSION
#define NS_VERSION "0"
#endif

static const char *const LOE_RELAYS[] = {
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://api3.drand.sh",
    "https://drand.cloudflare.com",
    "https://api.drand.secureweb3.com:6875",
};

const char *const *ns_drand_default_relays(size_t *n) {
    *n = sizeof(LOE_RELAYS) / sizeof(LOE_RELAYS[0]);
    return LOE_RELAYS;
}

void ns_drand_fetch_opts_init(ns_drand_fetch_opts *o) {
    memset(o, 0, sizeof *o);
    o->timeout_ms = 10000;
    o->attempts = 3;
    o->backoff_ms = 500;
    o->max_wait_s = 3600;
    o->check_info = 1;
}

/* ---- small helpers ---- */

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms) {
    if (ms <= 0) return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void logf_(const ns_drand_fetch_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void logf_(const ns_drand_fetch_opts *o, const char *fmt, ...) {
    if (!o->log) return;
    va_list ap;
    va_start(ap, fmt);
    fputs("drand: ", o->log);
    vfprintf(o->log, fmt, ap);
    fputc('\n', o->log);
    va_end(ap);
    fflush(o->log);
}

/* ---- one HTTP GET ---- */

typedef struct {
    char *data;
    size_t len;
    int overflow;
} body_buf;

static int on_body(void *user, const void *ptr, size_t n) {
    body_buf *b = user;
    if (b->len + n > NS_DRAND_JSON_MAX) {
        b->overflow = 1;
        return -1; /* aborts the transfer */
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

/* GET base + path.  Returns 0 with *status set, or -1 (transport error,
 * err filled).  body->data must hold NS_DRAND_JSON_MAX + 1 bytes. */
static int http_get(ns_http *h, const char *base, const char *path, long timeout_ms, body_buf *body,
                    long *status, ns_error *err) {
    char url[1024];
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/') bl--;
    size_t pl = strlen(path);
    if (bl + pl + 1 > sizeof url) return ns_error_set(err, "relay URL too long");
    memcpy(url, base, bl);
    memcpy(url + bl, path, pl + 1);
    body->len = 0;
    body->overflow = 0;
    body->data[0] = '\0';
    ns_http_request req = {.timeout_ms = timeout_ms, .connect_timeout_ms = timeout_ms, .sink = on_body, .sink_ctx = body};
    int rc = ns_http_get(h, url, &req, status, err);
    if (body->overflow) return ns_error_set(err, "response larger than %d bytes", NS_DRAND_JSON_MAX);
    return rc;
}

static int check_relay_url(const char *relay, ns_error *err) {
    if (strcmp(relay, NS_DRAND_SIM_RELAY) == 0) return 0;
    if (strncmp(relay, "http://", 7) != 0 && strncmp(relay, "https://", 8) != 0)
        return ns_error_set(err, "relay '%.200s' is not an http:// or https:// URL", relay);
    return 0;
}

static int check_info_with(ns_http *h, body_buf *body, const ns_drand_chain *c, const char *relay,
                           const ns_drand_fetch_opts *o, ns_error *err) {
    char path[100], hash_hex[65];
    ns_hex_encode(hash_hex, c->chain_hash, 32);
    snprintf(path, sizeof path, "/%s/info", hash_hex);
    long status = 0;
    int64_t delay = o->backoff_ms;
    for (int attempt = 1;; attempt++) {
        if (http_get(h, relay, path, o->timeout_ms, body, &status, err) == 0 &&
            status == 200)
            break;
        if (status != 0 && status < 500 && status != 408 && status != 429)
            return ns_error_set(err, "%s/info: HTTP %ld", relay, status);
        if (status != 0) ns_error_set(err, "HTTP %ld", status);
        if (attempt >= o->attempts) return ns_error_prefix(err, "%s/info", relay);
        logf_(o, "%s/info: %s; retry %d/%d in %" PRId64 " ms", relay, err->msg, attempt + 1,
              o->attempts, delay);
        sleep_ms(delay);
        delay = delay * 2 > 8000 ? 8000 : delay * 2;
        status = 0;
    }
    ns_drand_chain served;
    if (ns_drand_chain_from_info_json(&served, body->data, body->len, err) != 0)
        return ns_error_prefix(err, "%s", relay);
    snprintf(served.name, sizeof served.name, "%s", c->name);
    /* The served fields must hash to the hash it claims, and all of it must
     * equal the pinned record. */
    if (ns_drand_chain_check_hash(&served, err) != 0) return ns_error_prefix(err, "%s: lying chain info", relay);
    if (ns_drand_chain_compare(c, &served, err) != 0) return ns_error_prefix(err, "%s", relay);
    return 0;
}

static ns_http *http_open(body_buf *body, ns_error *err) {
    body->data = malloc(NS_DRAND_JSON_MAX + 1);
    if (body->data == NULL) {
        ns_error_set(err, "drand: out of memory");
        return NULL;
    }
    ns_http *h = ns_http_open(err);
    if (h == NULL) {
        free(body->data);
        ns_error_prefix(err, "drand");
    }
    return h;
}

static void http_close(ns_http *h, body_buf *body) {
    ns_http_close(h);
    free(body->data);
}

int ns_drand_fetch_check_info(const ns_drand_chain *c, const char *relay,
                              const ns_drand_fetch_opts *o, ns_error *err) {
    if (check_relay_url(relay, err) != 0) return -1;
    if (strcmp(relay, NS_DRAND_SIM_RELAY) == 0) return ns_error_set(err, "%s has no /info", relay);
    body_buf body;
    ns_http *h = http_open(&body, err);
    if (!h) return -1;
    int rc = check_info_with(h, &body, c, relay, o, err);
    http_close(h, &body);
    return rc;
}

/* Tries one relay.  Returns 0 with a verified beacon, -1 otherwise. */
static int try_relay(ns_http *h, body_buf *body, ns_drand_beacon *out, const ns_drand_chain *c,
                     const char *relay, uint64_t round, const ns_drand_fetch_opts *o,
                     ns_error *err) {
    char path[128], hash_hex[65];
    ns_hex_encode(hash_hex, c->chain_hash, 32);
    if (round)
        snprintf(path, sizeof path, "/%s/public/%" PRIu64, hash_hex, round);
    else
        snprintf(path, sizeof path, "/%s/public/latest", hash_hex);
    int64_t t_round_ms = 0;
    if (round) {
        int64_t t;
        if (ns_drand_time_of(&t, c, round, err) != 0) return -1;
        t_round_ms = t * 1000;
    }
    int64_t delay = o->backoff_ms;
    for (int attempt = 1;; attempt++) {
        long status = 0;
        int64_t pause = delay;
        if (http_get(h, relay, path, o->timeout_ms, body, &status, err) != 0) {
            /* transport error or timeout: transient */
        } else if (status == 200) {
            if (ns_drand_beacon_verify_json(out, c, body->data, body->len, round, o->flags, err) != 0)
                return ns_error_prefix(err, "%s: rejected", relay);
            if (round == 0) {
                int64_t now = now_ms() / 1000;
                uint64_t expected = ns_drand_round_at(c, now);
                uint64_t tol = 60 / c->period > 2 ? 60 / c->period : 2;
                if (out->round + tol < expected)
                    return ns_error_set(err, "%s: stale: latest round %" PRIu64 " but round %" PRIu64
                                        " is due by the local clock", relay, out->round, expected);
                if (out->round > expected + 1)
                    logf_(o, "%s: verified round %" PRIu64 " is ahead of the local clock (round %" PRIu64
                          "): the clock is behind", relay, out->round, expected);
            }
            return 0;
        } else if (round && (status == 425 || status == 404)) {
            ns_error_set(err, "HTTP %ld (round %" PRIu64 " not available yet)", status, round);
            int64_t until = t_round_ms - now_ms() + 300;
            if (until > pause) pause = until;
            if (pause > 1000L * o->max_wait_s)
                return ns_error_prefix(err, "%s", relay);
        } else if (status >= 500 || status == 408 || status == 429) {
            ns_error_set(err, "HTTP %ld", status);
        } else {
            return ns_error_set(err, "%s: HTTP %ld for %s", relay, status, path);
        }
        if (attempt >= o->attempts) return ns_error_prefix(err, "%s", relay);
        logf_(o, "%s: %s; retry %d/%d in %" PRId64 " ms", relay, err->msg, attempt + 1,
              o->attempts, pause);
        sleep_ms(pause);
        delay = delay * 2 > 8000 ? 8000 : delay * 2;
    }
}

int ns_drand_fetch(ns_drand_beacon *out, const ns_drand_chain *c, uint64_t round,
                   const ns_drand_fetch_opts *opts, ns_error *err) {
    ns_drand_fetch_opts o = *opts;
    if (o.timeout_ms <= 0) o.timeout_ms = 10000;
    if (o.attempts <= 0) o.attempts = 1;
    if (o.attempts > 20) o.attempts = 20;
    if (o.backoff_ms < 0) o.backoff_ms = 0;
    if (c->simulated && !(o.flags & NS_DRAND_ALLOW_SIM))
        return ns_error_set(err, "drand: chain '%s' is SIMULATED; refused outside simulation mode",
                            c->name);
    const char *const *relays = o.relays;
    size_t n = o.n_relays;
    if (!relays || n == 0) relays = ns_drand_default_relays(&n);
    for (size_t i = 0; i < n; i++)
        if (check_relay_url(relays[i], err) != 0) return -1;

    if (round) {
        int64_t t;
        if (ns_drand_time_of(&t, c, round, err) != 0) return -1;
        int64_t ahead_ms = t * 1000 - now_ms();
        if (ahead_ms > 0) {
            if (!o.wait)
                return ns_error_set(err, "drand: round %" PRIu64 " of '%s' is scheduled at %" PRId64
                                    " (in %" PRId64 " s) and is not available yet",
                                    round, c->name, t, (ahead_ms + 999) / 1000);
            if (ahead_ms > 1000 * (int64_t)o.max_wait_s)
                return ns_error_set(err, "drand: round %" PRIu64 " is %" PRId64
                                    " s away, more than the %ld s wait limit",
                                    round, (ahead_ms + 999) / 1000, o.max_wait_s);
            logf_(&o, "waiting %" PRId64 " s for round %" PRIu64 " (at %" PRId64 ")",
                  (ahead_ms + 999) / 1000, round, t);
            sleep_ms(ahead_ms + 200);
        }
    }

    body_buf body;
    ns_http *h = http_open(&body, err);
    if (!h) return -1;
    int rc = -1;
    ns_error last;
    last.msg[0] = '\0';
    for (size_t i = 0; i < n && rc != 0; i++) {
        ns_error e;
        e.msg[0] = '\0';
        if (strcmp(relays[i], NS_DRAND_SIM_RELAY) == 0) {
            /* In-process simulator: signs with the test key, then the beacon
             * goes through the same verification as a relay's. */
            uint64_t r = round ? round : ns_drand_round_at(c, now_ms() / 1000);
            if (r != 0 && ns_drand_sim_sign(out, c, r, o.flags, &e) == 0 &&
                ns_drand_beacon_verify(c, out, o.flags, &e) == 0) {
                rc = 0;
                break;
            }
            if (r == 0) ns_error_set(&e, "no round before genesis");
            ns_error_prefix(&e, "%s", relays[i]);
            logf_(&o, "%s; trying the next relay", e.msg);
            last = e;
            continue;
        }
        if (o.check_info && check_info_with(h, &body, c, relays[i], &o, &e) != 0) {
            logf_(&o, "%s; trying the next relay", e.msg);
            last = e;
            continue;
        }
        if (try_relay(h, &body, out, c, relays[i], round, &o, &e) == 0) {
            rc = 0;
            break;
        }
        logf_(&o, "%s; trying the next relay", e.msg);
        last = e;
    }
    http_close(h, &body);
    if (rc != 0) {
        if (round)
            ns_error_set(err, "drand: no relay gave a valid beacon for round %" PRIu64 " (last: %s)",
                         round, last.msg);
        else
            ns_error_set(err, "drand: no relay gave a valid latest beacon (last: %s)", last.msg);
    }
    return rc;
}
