#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ns_error_set(ns_error *err, const char *fmt, ...) {
    if (err == NULL) return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int ns_error_prefix(ns_error *err, const char *fmt, ...) {
    if (err == NULL) return -1;
    char prefix[256], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    size_t n = strlen(prefix);
    if (n > sizeof err->msg - 3) n = sizeof err->msg - 3;
    memcpy(err->msg, prefix, n);
    memcpy(err->msg + n, ": ", 2);
    size_t room = sizeof err->msg - n - 3;
    size_t m = strlen(old);
    if (m > room) m = room;
    memcpy(err->msg + n + 2, old, m);
    err->msg[n + 2 + m] = '\0';
    return -1;
}

void ns_error_print(const ns_error *err) {
    fprintf(stderr, "nitrosetup: %s\n", err->msg[0] ? err->msg : "unknown error");
}
