#include "formats/mpc_params.h"

#include <string.h>

int ns_mpc_params_parse(ns_mpc_params *out, const uint8_t *p, uint32_t len, ns_error *err) {
    memset(out, 0, sizeof *out);
    uint32_t pos = 0;
    unsigned last = 0;
    while (pos < len) {
        unsigned type = p[pos++];
        if (type <= last) return ns_error_set(err, "parameters must be sorted (id %u after %u)", type, last);
        last = type;
        if (type == 1 || type == 3) {
            if (pos >= len) goto truncated;
            uint32_t n = p[pos++];
            if (n > len - pos) goto truncated;
            if (type == 1) {
                memcpy(out->name, p + pos, n);
                out->name[n] = 0;
                out->name_len = n;
                out->has_name = 1;
            } else {
                memcpy(out->beacon_hash, p + pos, n);
                out->beacon_hash_len = n;
                out->has_beacon_hash = 1;
            }
            pos += n;
        } else if (type == 2) {
            if (pos >= len) goto truncated;
            out->num_iter_exp = p[pos++];
            out->has_exp = 1;
        } else {
            return ns_error_set(err, "parameter %u not recognized", type);
        }
    }
    return 0;
truncated:
    return ns_error_set(err, "parameters truncated (%u bytes declared)", len);
}

/* One step of the WHATWG UTF-8 decoder: returns the code point (U+FFFD on
 * error) and advances *i by the bytes consumed (a maximal invalid subpart
 * counts once; the offending byte starts the next step). */
static uint32_t utf8_next(const uint8_t *s, size_t len, size_t *i) {
    size_t k = *i;
    uint8_t b = s[k++];
    if (b < 0x80) {
        *i = k;
        return b;
    }
    unsigned need;
    uint32_t cp;
    uint8_t lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        cp = b & 0x0F;
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        cp = b & 0x07;
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
    } else {
        *i = k;
        return 0xFFFD;
    }
    while (need > 0) {
        if (k >= len || s[k] < lo || s[k] > hi) {
            *i = k;
            return 0xFFFD;
        }
        cp = cp << 6 | (s[k++] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
        need--;
    }
    *i = k;
    return cp;
}

static size_t utf8_put(char *out, uint32_t cp) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t ns_mpc_name_normalize(char out[NS_MPC_NAME_MAX + 1], const char *in, size_t len) {
    const uint8_t *s = (const uint8_t *)in;
    size_t i = 0, o = 0, units = 0;
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3; /* BOM */
    while (i < len && units < 64) {
        uint32_t cp = utf8_next(s, len, &i);
        if (cp >= 0x10000) {
            if (units == 63) { /* only the high surrogate fits: TextEncoder writes U+FFFD */
                o += utf8_put(out + o, 0xFFFD);
                units++;
                break;
            }
            units += 2;
        } else {
            units++;
        }
        o += utf8_put(out + o, cp);
    }
    out[o] = '\0';
    return o;
}

void ns_mpc_name_decode(char *out, const char *in, size_t len) {
    const uint8_t *s = (const uint8_t *)in;
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp = utf8_next(s, len, &i);
        o += utf8_put(out + o, cp == 0 ? 0xFFFD : cp); /* keep the output a C string */
    }
    out[o] = '\0';
}

size_t ns_mpc_params_encode(uint8_t *out, const ns_mpc_params *p, int beacon) {
    size_t n = 0;
    if (p->has_name && p->name_len > 0) {
        char norm[NS_MPC_NAME_MAX + 1];
        size_t len = ns_mpc_name_normalize(norm, p->name, p->name_len);
        if (len > 0) { /* JS `if (c.name)`: an empty string is omitted */
            out[n++] = 1;
            out[n++] = (uint8_t)len;
            memcpy(out + n, norm, len);
            n += len;
        }
    }
    if (beacon) {
        out[n++] = 2;
        out[n++] = p->has_exp ? (uint8_t)p->num_iter_exp : 0;
        out[n++] = 3;
        out[n++] = p->has_beacon_hash ? (uint8_t)p->beacon_hash_len : 0;
        if (p->has_beacon_hash) {
            memcpy(out + n, p->beacon_hash, p->beacon_hash_len);
            n += p->beacon_hash_len;
        }
    }
    return n;
}

void ns_mpc_format_hash(char *out, const uint8_t hash[64]) {
    static const char hexd[] = "0123456789abcdef";
    size_t o = 0;
    for (int line = 0; line < 4; line++) {
        out[o++] = '\t';
        out[o++] = '\t';
        for (int g = 0; g < 4; g++) {
            for (int b = 0; b < 4; b++) {
                uint8_t v = hash[line * 16 + g * 4 + b];
                out[o++] = hexd[v >> 4];
                out[o++] = hexd[v & 15];
            }
            out[o++] = g < 3 ? ' ' : '\n';
        }
    }
    out[o] = 0;
}
