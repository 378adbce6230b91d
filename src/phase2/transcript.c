#include "phase2/transcript.h"

#include <stdlib.h>
#include <string.h>

#include "curve/bn254_encode.h"
#include "ff/bn254_field.h"
#include "util/hex.h"

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* ---- parsing ---- */

static int parse_params(ns_p2_contribution *c, const uint8_t *p, uint32_t len, const char *path,
                        uint32_t idx, ns_error *err) {
    uint32_t pos = 0;
    unsigned last = 0;
    while (pos < len) {
        unsigned id = p[pos++];
        if (id <= last)
            return ns_error_set(err, "%s: section 10, contribution #%u: parameters are not sorted",
                                path, idx + 1);
        last = id;
        if (id == 1 || id == 3) {
            if (pos >= len) goto truncated;
            unsigned n = p[pos++];
            if (n > len - pos) goto truncated;
            if (id == 1) {
                c->has_name = 1;
                c->name_len = (uint8_t)n;
                memcpy(c->name, p + pos, n);
                c->name[n] = '\0';
            } else {
                c->has_beacon_hash = 1;
                c->beacon_hash_len = (uint8_t)n;
                memcpy(c->beacon_hash, p + pos, n);
            }
            pos += n;
        } else if (id == 2) {
            if (pos >= len) goto truncated;
            c->has_exp = 1;
            c->num_iterations_exp = p[pos++];
        } else {
            return ns_error_set(err, "%s: section 10, contribution #%u: unknown parameter %u", path,
                                idx + 1, id);
        }
    }
    return 0;
truncated:
    return ns_error_set(err, "%s: section 10, contribution #%u: parameters truncated", path,
                        idx + 1);
}

int ns_p2_mpc_parse(ns_p2_mpc *m, const uint8_t *p, uint64_t size, const char *path,
                    ns_error *err) {
    memset(m, 0, sizeof *m);
    if (size < 68) return ns_error_set(err, "%s: section 10 too short (%llu bytes)", path,
                                       (unsigned long long)size);
    memcpy(m->cs_hash, p, 64);
    uint32_t n = rd32(p + 64);
    uint64_t pos = 68;
    /* every record needs at least NS_P2_RECORD_FIXED bytes: bound n first */
    if ((uint64_t)n > (size - pos) / NS_P2_RECORD_FIXED)
        return ns_error_set(err, "%s: section 10 declares %u contributions but holds %llu bytes",
                            path, n, (unsigned long long)size);
    if (n > 0) {
        m->c = calloc(n, sizeof *m->c);
        if (m->c == NULL) return ns_error_set(err, "%s: out of memory", path);
    }
    for (uint32_t i = 0; i < n; i++) {
        ns_p2_contribution *c = &m->c[i];
        if (size - pos < NS_P2_RECORD_FIXED) goto truncated;
        const uint8_t *r = p + pos;
        memcpy(c->delta_after, r, 64);
        memcpy(c->g1_s, r + 64, 64);
        memcpy(c->g1_sx, r + 128, 64);
        memcpy(c->g2_spx, r + 192, 128);
        memcpy(c->transcript, r + 320, 64);
        c->type = rd32(r + 384);
        uint32_t plen = rd32(r + 388);
        pos += NS_P2_RECORD_FIXED;
        if (plen > size - pos) goto truncated;
        if (parse_params(c, p + pos, plen, path, i, err) != 0) {
            ns_p2_mpc_free(m);
            return -1;
        }
        pos += plen;
        m->n = i + 1;
    }
    m->n = n;
    if (pos != size) {
        ns_p2_mpc_free(m);
        return ns_error_set(err, "%s: section 10 has %llu unexpected trailing bytes", path,
                            (unsigned long long)(size - pos));
    }
    return 0;
truncated:
    ns_p2_mpc_free(m);
    return ns_error_set(err, "%s: section 10 truncated", path);
}

void ns_p2_mpc_free(ns_p2_mpc *m) {
    free(m->c);
    m->c = NULL;
    m->n = 0;
}

int ns_p2_mpc_push(ns_p2_mpc *m, const ns_p2_contribution *c, ns_error *err) {
    ns_p2_contribution *nc = realloc(m->c, ((size_t)m->n + 1) * sizeof *nc);
    if (nc == NULL) return ns_error_set(err, "out of memory");
    m->c = nc;
    m->c[m->n++] = *c;
    return 0;
}

/* ---- names (UTF-8 <-> JS strings) ---- */

/* One step of the WHATWG UTF-8 decoder: returns the code point (U+FFFD on
 * error) and advances *i by the bytes consumed. */
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
            *i = k; /* the offending byte is processed again */
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

size_t ns_p2_name_normalize(char out[NS_P2_NAME_MAX + 1], const char *in, size_t len) {
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

/* ---- serialisation ---- */

size_t ns_p2_params_encode(uint8_t *out, const ns_p2_contribution *c) {
    size_t n = 0;
    if (c->has_name && c->name_len > 0) {
        char norm[NS_P2_NAME_MAX + 1];
        size_t len = ns_p2_name_normalize(norm, c->name, c->name_len);
        if (len > 0) { /* JS `if (c.name)`: an empty string is omitted */
            out[n++] = 1;
            out[n++] = (uint8_t)len;
            memcpy(out + n, norm, len);
            n += len;
        }
    }
    if (c->type == NS_P2_TYPE_BEACON) {
        out[n++] = 2;
        out[n++] = c->has_exp ? c->num_iterations_exp : 0;
        out[n++] = 3;
        out[n++] = c->has_beacon_hash ? c->beacon_hash_len : 0;
        if (c->has_beacon_hash) {
            memcpy(out + n, c->beacon_hash, c->beacon_hash_len);
            n += c->beacon_hash_len;
        }
    }
    return n;
}

uint64_t ns_p2_mpc_size(const ns_p2_mpc *m) {
    uint8_t params[NS_P2_PARAMS_MAX];
    uint64_t size = 68;
    for (uint32_t i = 0; i < m->n; i++)
        size += NS_P2_RECORD_FIXED + ns_p2_params_encode(params, &m->c[i]);
    return size;
}

void ns_p2_mpc_serialize(uint8_t *out, const ns_p2_mpc *m) {
    memcpy(out, m->cs_hash, 64);
    wr32(out + 64, m->n);
    uint8_t *p = out + 68;
    for (uint32_t i = 0; i < m->n; i++) {
        const ns_p2_contribution *c = &m->c[i];
        memcpy(p, c->delta_after, 64);
        memcpy(p + 64, c->g1_s, 64);
        memcpy(p + 128, c->g1_sx, 64);
        memcpy(p + 192, c->g2_spx, 128);
        memcpy(p + 320, c->transcript, 64);
        wr32(p + 384, c->type);
        size_t plen = ns_p2_params_encode(p + NS_P2_RECORD_FIXED, c);
        wr32(p + 388, (uint32_t)plen);
        p += NS_P2_RECORD_FIXED + plen;
    }
}

/* ---- hashing ---- */

void ns_p2_hash_pubkey(ns_hash *h, const ns_p2_contribution *c) {
    uint8_t u[128];
    bn254_g1_lem_to_u(u, c->delta_after);
    ns_hash_update(h, u, 64);
    bn254_g1_lem_to_u(u, c->g1_s);
    ns_hash_update(h, u, 64);
    bn254_g1_lem_to_u(u, c->g1_sx);
    ns_hash_update(h, u, 64);
    bn254_g2_lem_to_u(u, c->g2_spx);
    ns_hash_update(h, u, 128);
    ns_hash_update(h, c->transcript, 64);
}

void ns_p2_contribution_hash(uint8_t out[64], const ns_p2_contribution *c) {
    uint8_t buf[384], u[128];
    bn254_g1_lem_to_u(u, c->delta_after);
    memcpy(buf, u, 64);
    bn254_g1_lem_to_u(u, c->g1_s);
    memcpy(buf + 64, u, 64);
    bn254_g1_lem_to_u(u, c->g1_sx);
    memcpy(buf + 128, u, 64);
    bn254_g2_lem_to_u(u, c->g2_spx);
    memcpy(buf + 192, u, 128);
    memcpy(buf + 320, c->transcript, 64);
    ns_blake2b512(out, buf, sizeof buf);
}

ns_hash *ns_p2_transcript_prefix(const ns_p2_mpc *m, uint32_t k) {
    ns_hash *h = ns_hash_new(NS_HASH_BLAKE2B512);
    if (h == NULL) return NULL;
    ns_hash_update(h, m->cs_hash, 64);
    for (uint32_t i = 0; i < k && i < m->n; i++) ns_p2_hash_pubkey(h, &m->c[i]);
    return h;
}

void ns_p2_format_hash(FILE *out, const uint8_t h[64], const char *title) {
    if (title != NULL) fprintf(out, "%s\n", title);
    for (int i = 0; i < 4; i++) {
        fputs("\t\t", out);
        for (int j = 0; j < 4; j++) {
            const uint8_t *w = h + 16 * i + 4 * j;
            fprintf(out, "%s%02x%02x%02x%02x", j > 0 ? " " : "", w[0], w[1], w[2], w[3]);
        }
        fputc('\n', out);
    }
}

/* ---- beacon parameters ---- */

int ns_p2_beacon_parse_hash(uint8_t out[NS_P2_BEACON_HASH_MAX], size_t *len, const char *hex,
                            ns_error *err) {
    size_t n = strlen(hex);
    if (n == 0 || n % 2 != 0)
        return ns_error_set(err, "Invalid Beacon Hash. (It must be a valid hexadecimal sequence)");
    if (n / 2 > NS_P2_BEACON_HASH_MAX) {
        for (size_t i = 0; i < n; i++) {
            char ch = hex[i];
            int ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
            if (!ok)
                return ns_error_set(err,
                                    "Invalid Beacon Hash. (It must be a valid hexadecimal sequence)");
        }
        return ns_error_set(err, "Maximum length of beacon hash is 255 bytes");
    }
    long got = ns_hex_decode(out, NS_P2_BEACON_HASH_MAX, hex);
    if (got <= 0)
        return ns_error_set(err, "Invalid Beacon Hash. (It must be a valid hexadecimal sequence)");
    *len = (size_t)got;
    return 0;
}

int ns_p2_beacon_parse_exp(unsigned *exp, const char *text, ns_error *err) {
    unsigned long v = 0;
    size_t i = 0;
    if (text[0] == '\0') goto bad;
    for (; text[i] != '\0'; i++) {
        if (text[i] < '0' || text[i] > '9' || i > 4) goto bad;
        v = v * 10 + (unsigned long)(text[i] - '0');
    }
    if (v < 10 || v > 63) goto bad;
    *exp = (unsigned)v;
    return 0;
bad:
    return ns_error_set(err, "Invalid numIterationsExp. (Must be between 10 and 63)");
}

void ns_p2_beacon_digest(uint8_t out[32], const uint8_t *hash, size_t len, unsigned exp) {
    uint8_t cur[32];
    ns_sha256(cur, hash, len);
    uint64_t total = (uint64_t)1 << exp; /* exp <= 63 */
    ns_hash *h = ns_hash_new(NS_HASH_SHA256);
    for (uint64_t i = 1; i < total; i++) {
        if (h != NULL) {
            ns_hash_update(h, cur, 32);
            ns_hash_final(h, cur);
        } else {
            uint8_t t[32];
            ns_sha256(t, cur, 32);
            memcpy(cur, t, 32);
        }
    }
    ns_hash_free(h);
    memcpy(out, cur, 32);
}
