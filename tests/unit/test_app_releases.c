/* The released-image table: the lookup `verify` uses, on a test table
 * (all three PCRs must match; a malformed entry never matches), and the
 * compiled-in table's entries well-formed (empty until the first release). */
#include <ctype.h>
#include <string.h>

#include "app/releases.h"
#include "testutil.h"
#include "util/hex.h"

#define A "7a115939b97c7028b2ee74ed7b53f2cf1b9edc09a76d67da8090d9d2582d093db188dbc10ca37b166dbe1ea936d4122f"
#define B "5c0162fb9669b1308c22f3c0305c38594c282860a0ac72217e9982b9d67efaad488b163f93eb5882173c34c1206bf5dc"
#define C "0abbaf4c96e543b04fcf0ac92456cbce078e5280c1fb5a0fb0f8b78598fd656992f0b3c5db447de1b4ba49a8894d7e47"
#define D "9d37b2643a30a742663655d355c9711ac416258cbfd64fa811b145e3a9b74662faa176262fd4c576237f310b4bccf54c"

static const ns_release_image TEST_TABLE[] = {
    {"0.1.0", "x86_64", {A, B, C}},
    {"0.1.0", "aarch64", {D, B, C}},
    {"0.0.9", "x86_64", {A, B, "not hex"}},
    {"0.0.8", "x86_64", {A, NULL, C}},
};

static void pcrs_of(uint8_t p[3][48], const char *a, const char *b, const char *c) {
    ns_hex_decode(p[0], 48, a);
    ns_hex_decode(p[1], 48, b);
    ns_hex_decode(p[2], 48, c);
}

static int well_formed(const char *h) {
    if (h == NULL || strlen(h) != 96) return 0;
    for (int i = 0; i < 96; i++)
        if (!isxdigit((unsigned char)h[i]) || isupper((unsigned char)h[i])) return 0;
    return 1;
}

int main(void) {
    uint8_t p[3][48];
    size_t n = sizeof TEST_TABLE / sizeof TEST_TABLE[0];
    pcrs_of(p, A, B, C);
    const ns_release_image *r = ns_release_find(TEST_TABLE, n, p);
    CHECK(r == &TEST_TABLE[0]);
    pcrs_of(p, D, B, C);
    CHECK(ns_release_find(TEST_TABLE, n, p) == &TEST_TABLE[1]);
    /* one PCR off: no release */
    pcrs_of(p, A, B, D);
    CHECK(ns_release_find(TEST_TABLE, n, p) == NULL);
    pcrs_of(p, A, D, C);
    CHECK(ns_release_find(TEST_TABLE, n, p) == NULL);
    pcrs_of(p, A, B, C);
    p[2][47] ^= 1;
    CHECK(ns_release_find(TEST_TABLE, n, p) == NULL);
    CHECK(ns_release_find(TEST_TABLE, 0, p) == NULL);
    /* the compiled-in table: every entry complete and lower-case hex; no
     * entry matches the test values */
    size_t m;
    const ns_release_image *t = ns_release_table(&m);
    for (size_t i = 0; i < m; i++) {
        CHECK(t[i].version != NULL && t[i].arch != NULL);
        CHECK(strcmp(t[i].arch, "x86_64") == 0 || strcmp(t[i].arch, "aarch64") == 0);
        for (int k = 0; k < 3; k++) CHECK_MSG(well_formed(t[i].pcr[k]), "release entry %zu PCR%d", i, k);
    }
    pcrs_of(p, A, B, C);
    CHECK(ns_release_by_pcrs(p) == NULL);
    CHECK(m == 0); /* no release yet: remove this line with the first entry */
    return ns_test_report("app_releases");
}
