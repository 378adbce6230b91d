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

uint32_t ns_mpc_params_encode(uint8_t *out, const char *name, int beacon, uint32_t num_iter_exp,
                              const uint8_t *beacon_hash, uint32_t beacon_hash_len) {
    uint32_t n = 0;
    if (name != NULL && name[0] != 0) {
        size_t l = strlen(name);
        if (l > 255) l = 255;
        out[n++] = 1;
        out[n++] = (uint8_t)l;
        memcpy(out + n, name, l);
        n += (uint32_t)l;
    }
    if (beacon) {
        out[n++] = 2;
        out[n++] = (uint8_t)num_iter_exp;
        if (beacon_hash_len > 255) beacon_hash_len = 255;
        out[n++] = 3;
        out[n++] = (uint8_t)beacon_hash_len;
        memcpy(out + n, beacon_hash, beacon_hash_len);
        n += beacon_hash_len;
    }
    return n;
}

/* Decodes one UTF-8 sequence at s; returns its length (>= 1) and the code
 * point in *cp, or U+FFFD for an invalid sequence (consuming one byte, or
 * the maximal valid prefix as the WHATWG decoder does -- close enough for
 * names, which come from the command line). */
static size_t utf8_next(const unsigned char *s, uint32_t *cp) {
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; v = c & 0x1f; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; v = c & 0x0f; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = 0xfffd; return 1; }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = 0xfffd;
            return (size_t)i;
        }
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
        *cp = 0xfffd;
        return (size_t)len;
    }
    *cp = v;
    return (size_t)len;
}

static size_t utf8_put(char *out, uint32_t cp) {
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = (unsigned char)(0xc0 | cp >> 6); o[1] = (unsigned char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (unsigned char)(0xf0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

void ns_mpc_name_decode(char *out, const char *in, size_t len) {
    /* copy to a NUL-terminated buffer so utf8_next never reads past len */
    unsigned char tmp[260];
    if (len > 255) len = 255;
    memcpy(tmp, in, len);
    memset(tmp + len, 0, 4);
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = utf8_next(tmp + i, &cp);
        if (i + k > len) { /* sequence cut by the end */
            k = len - i;
            cp = 0xfffd;
        }
        if (cp == 0) cp = 0xfffd; /* keep the output a C string */
        o += utf8_put(out + o, cp);
        i += k;
    }
    out[o] = 0;
}

void ns_mpc_name_cut(char *out, const char *name) {
    const unsigned char *s = (const unsigned char *)name;
    size_t o = 0;
    unsigned units = 0;
    while (*s && units < 64) {
        uint32_t cp;
        s += utf8_next(s, &cp);
        if (cp >= 0x10000) {
            if (units + 2 > 64) { /* high surrogate alone -> U+FFFD */
                o += utf8_put(out + o, 0xfffd);
                units = 64;
                break;
            }
            units += 2;
        } else {
            units += 1;
        }
        o += utf8_put(out + o, cp);
    }
    out[o] = 0;
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
