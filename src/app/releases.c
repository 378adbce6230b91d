#include "app/releases.h"

#include <string.h>

#include "util/hex.h"

/* No image has been released yet: the reproducible image build comes
 * first.  Until then `verify` of a real bundle needs --pcr 0=,1=,2=. */
static const ns_release_image TABLE[] = {
    {NULL, NULL, {NULL, NULL, NULL}},
};

const ns_release_image *ns_release_table(size_t *n) {
    size_t k = 0;
    while (TABLE[k].version != NULL) k++;
    *n = k;
    return TABLE;
}

const ns_release_image *ns_release_by_pcrs(const uint8_t pcrs[3][48]) {
    size_t n;
    const ns_release_image *t = ns_release_table(&n);
    for (size_t i = 0; i < n; i++) {
        int same = 1;
        for (int k = 0; k < 3 && same; k++) {
            uint8_t want[48];
            same = ns_hex_decode(want, 48, t[i].pcr[k]) == 48 && memcmp(want, pcrs[k], 48) == 0;
        }
        if (same) return &t[i];
    }
    return NULL;
}
