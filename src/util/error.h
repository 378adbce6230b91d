/* One-line error messages carried up the stack.
 *
 * Functions that can fail on bad input or I/O take an `ns_error *` last and
 * return 0 on success, -1 on failure after filling it.  The CLI prints the
 * message as one line: "nitrosetup: <message>".  Messages name the file and
 * what is wrong ("circuit.r1cs: section 2 truncated at constraint 17"). */
#ifndef NS_UTIL_ERROR_H
#define NS_UTIL_ERROR_H

#include <stddef.h>

typedef struct {
    char msg[512];
} ns_error;

/* Set the message (printf-style); always returns -1 so callers can
 * `return ns_error_set(err, "...")`.  A NULL err is allowed. */
int ns_error_set(ns_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the current message: "<prefix>: <old message>".  Returns -1. */
int ns_error_prefix(ns_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Print "nitrosetup: <msg>" on stderr. */
void ns_error_print(const ns_error *err);

#endif
