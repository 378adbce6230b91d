#include "protocol/policy.h"

#include <stdio.h>
#include <string.h>

#include "formats/hermez.h"
#include "util/hex.h"

/* Comma-separated BLAKE2b-512 hashes compiled in with -DNS_TRUSTED_PTAU. */
#ifndef NS_TRUSTED_PTAU_LIST
#define NS_TRUSTED_PTAU_LIST ""
#endif

int ns_ptau_pins_add_hex(ns_ptau_pins *p, const char *hex, ns_error *err) {
    if (p->n >= NS_PTAU_MAX_PINS) return ns_error_set(err, "--trust-ptau: at most %d pins", NS_PTAU_MAX_PINS);
    if (strlen(hex) != 128 || ns_hex_decode(p->hash[p->n], 64, hex) != 64)
        return ns_error_set(err, "--trust-ptau: expected the BLAKE2b-512 of the ptau file as 128 hex digits, got '%.40s%s'",
                            hex, strlen(hex) > 40 ? "..." : "");
    p->n++;
    return 0;
}

static int image_pinned(const uint8_t hash[64]) {
    const char *s = NS_TRUSTED_PTAU_LIST;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t L = e ? (size_t)(e - s) : strlen(s);
        char hex[129];
        uint8_t h[64];
        if (L == 128) {
            memcpy(hex, s, 128);
            hex[128] = 0;
            if (ns_hex_decode(h, 64, hex) == 64 && memcmp(h, hash, 64) == 0) return 1;
        }
        if (e == NULL) break;
        s = e + 1;
    }
    return 0;
}

int ns_ptau_image_pin_count(void) {
    int n = 0;
    for (const char *s = NS_TRUSTED_PTAU_LIST; *s; s++) n += *s == ',';
    return NS_TRUSTED_PTAU_LIST[0] ? n + 1 : 0;
}

ns_ptau_trust ns_ptau_policy_check(char *name, size_t cap, const uint8_t hash[64], const ns_ptau_pins *user) {
    char hex[129];
    ns_hex_encode(hex, hash, 64);
    const ns_hermez_ptau *e = ns_hermez_by_hash(hex);
    if (e != NULL) {
        snprintf(name, cap, "%s", e->file);
        return NS_PTAU_HERMEZ;
    }
    snprintf(name, cap, "custom");
    if (image_pinned(hash)) return NS_PTAU_IMAGE_PIN;
    for (int i = 0; user != NULL && i < user->n; i++)
        if (memcmp(user->hash[i], hash, 64) == 0) return NS_PTAU_USER_PIN;
    return NS_PTAU_UNTRUSTED;
}

static const char *const NAMES[] = {"untrusted", "hermez", "image-pin", "user-pin"};

const char *ns_ptau_trust_name(ns_ptau_trust t) {
    return (unsigned)t < sizeof NAMES / sizeof NAMES[0] ? NAMES[t] : "untrusted";
}

int ns_ptau_trust_from_name(ns_ptau_trust *t, const char *s) {
    for (size_t i = 0; i < sizeof NAMES / sizeof NAMES[0]; i++)
        if (strcmp(NAMES[i], s) == 0) {
            *t = (ns_ptau_trust)i;
            return 0;
        }
    return -1;
}

int ns_ptau_untrusted_error(ns_error *err, const char *what, const uint8_t hash[64]) {
    char hex[129];
    ns_hex_encode(hex, hash, 64);
    return ns_error_set(err,
                        "%s: BLAKE2b-512 %s is not a Hermez ptau nor pinned: whoever knows its phase-1 secrets "
                        "could forge proofs; use a Hermez file, or pin one you trust with --trust-ptau %s",
                        what, hex, hex);
}
