#include "drand/round.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t ns_drand_round_at(const ns_drand_chain *c, int64_t t) {
    if (c->period == 0 || t < c->genesis_time) return 0;
    /* t >= genesis, so the difference is non-negative and fits in uint64. */
    uint64_t d = (uint64_t)t - (uint64_t)c->genesis_time;
    return d / c->period + 1;
}

int ns_drand_time_of(int64_t *out, const ns_drand_chain *c, uint64_t round, ns_error *err) {
    if (round == 0) return ns_error_set(err, "drand: round 0 has no beacon (rounds start at 1)");
    if (c->period == 0) return ns_error_set(err, "drand: chain '%s' has period 0", c->name);
    uint64_t k = round - 1;
    uint64_t room = (uint64_t)INT64_MAX - (uint64_t)(c->genesis_time < 0 ? 0 : c->genesis_time);
    if (k > room / c->period)
        return ns_error_set(err, "drand: round %llu is out of range", (unsigned long long)round);
    *out = c->genesis_time + (int64_t)(k * c->period);
    return 0;
}

int ns_drand_next_round_after(uint64_t *round, int64_t *time_out, const ns_drand_chain *c,
                              int64_t t, int64_t margin, ns_error *err) {
    if (margin < 0) return ns_error_set(err, "drand: negative margin");
    if (t > INT64_MAX - margin) return ns_error_set(err, "drand: time + margin overflows");
    int64_t at = t + margin;
    uint64_t r = ns_drand_round_at(c, at) + 1; /* before genesis: round 1 */
    int64_t when = 0;
    if (ns_drand_time_of(&when, c, r, err) != 0) return -1;
    *round = r;
    if (time_out) *time_out = when;
    return 0;
}

static int parse_digits(const char **p, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        char ch = (*p)[i];
        if (ch < '0' || ch > '9') return -1;
        v = v * 10 + (ch - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m) {
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

int ns_drand_parse_time(int64_t *out, const char *s, ns_error *err) {
    if (strcmp(s, "now") == 0) {
        *out = (int64_t)time(NULL);
        return 0;
    }
    const char *p = s;
    if (*p == '-' || (*p >= '0' && *p <= '9')) {
        /* Plain seconds: all digits (optional leading '-'). */
        const char *q = p + (*p == '-');
        int all_digits = *q != '\0';
        for (const char *r = q; *r; r++)
            if (*r < '0' || *r > '9') all_digits = 0;
        if (all_digits) {
            errno = 0;
            char *end;
            long long v = strtoll(p, &end, 10);
            if (errno != 0 || *end) return ns_error_set(err, "time '%.60s' is out of range", s);
            *out = (int64_t)v;
            return 0;
        }
    }
    int Y, M, D, h, mi, sec;
    if (parse_digits(&p, 4, &Y) || *p++ != '-' || parse_digits(&p, 2, &M) || *p++ != '-' ||
        parse_digits(&p, 2, &D) || (*p != 'T' && *p != 't' && *p != ' '))
        goto bad;
    p++;
    if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi) || *p++ != ':' ||
        parse_digits(&p, 2, &sec))
        goto bad;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') goto bad;
        while (*p >= '0' && *p <= '9') p++;
    }
    int offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (parse_digits(&p, 2, &oh) || *p++ != ':' || parse_digits(&p, 2, &om) || oh > 23 ||
            om > 59)
            goto bad;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        goto bad;
    }
    if (*p != '\0' || M < 1 || M > 12 || D < 1 || D > days_in_month(Y, M) || h > 23 || mi > 59 ||
        sec > 60)
        goto bad;
    *out = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + sec - offset;
    return 0;
bad:
    return ns_error_set(err,
                        "'%.60s' is neither UNIX seconds nor an RFC 3339 time "
                        "(e.g. 2026-01-02T03:04:05Z)",
                        s);
}

void ns_drand_format_time(char *buf, size_t cap, int64_t t) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, cap, "%lld", (long long)t);
}
