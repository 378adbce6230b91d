/* Hex encoding (lower case) and strict decoding. */
#ifndef NS_UTIL_HEX_H
#define NS_UTIL_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2*n hex digits and a NUL to out (size >= 2*n+1). */
void ns_hex_encode(char *out, const uint8_t *in, size_t n);

/* Decodes an even-length hex string (no 0x prefix, either case) into out.
 * Returns the number of bytes written, or -1 if the string is malformed or
 * longer than 2*cap digits. */
long ns_hex_decode(uint8_t *out, size_t cap, const char *hex);

#endif
