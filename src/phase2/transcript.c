#include "phase2/transcript.h"

#include <stdlib.h>
#include <string.h>

#include "curve/bn254_encode.h"
#include "ff/bn254_field.h"
#include "util/hex.h"

ns_hash *ns_p2_transcript_prefix(const ns_zkey_mpc *m, uint32_t k) {
    ns_hash *h = ns_hash_new(NS_HASH_BLAKE2B512);
    if (h == NULL) return NULL;
    ns_hash_update(h, m->cs_hash, 64);
    for (uint32_t i = 0; i < k && i < m->n; i++) ns_zkey_hash_pubkey(h, &m->c[i]);
    return h;
}

void ns_p2_format_hash(FILE *out, const uint8_t h[64], const char *title) {
    char text[NS_MPC_HASH_TEXT];
    ns_mpc_format_hash(text, h);
    if (title != NULL) fprintf(out, "%s\n", title);
    fputs(text, out);
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
