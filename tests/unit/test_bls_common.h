/* Shared by the test_bls12_381*.c tests: JSON vectors from tests/vectors and
 * their "0x..." field elements. */
#ifndef NS_TEST_BLS_COMMON_H
#define NS_TEST_BLS_COMMON_H

#include <jansson.h>
#include <stddef.h>
#include <string.h>

#include "ff/bls12_381_field.h"
#include "testutil.h"
#include "util/hex.h"

/* Parses the JSON file rel of tests/vectors; a failed CHECK and NULL if it cannot. */
static inline json_t *load(const char *rel) {
    json_error_t e;
    json_t *j = json_load_file(ns_test_vector_path(rel), 0, &e);
    CHECK_MSG(j != NULL, "cannot load %s: %s", rel, e.text);
    return j;
}

/* The string member k of o, or NULL. */
static inline const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* "0x..." integer (up to 96 hex digits, below p) -> Fp; 0 on NULL, bad hex or >= p. */
static inline int parse_fp(bls_fp *r, const char *s) {
    char buf[97];
    uint8_t b[48];
    if (s == NULL) return 0;
    if (strncmp(s, "0x", 2) == 0) s += 2;
    size_t n = strlen(s);
    if (n > 96) return 0;
    memset(buf, '0', 96 - n);
    memcpy(buf + 96 - n, s, n + 1);
    if (ns_hex_decode(b, 48, buf) != 48) return 0;
    return bls_fp_from_be(r, b);
}

#endif
