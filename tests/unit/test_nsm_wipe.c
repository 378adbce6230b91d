/* NSM GetRandom leaves no entropy in freed heap: this executable is linked
 * with -Wl,--wrap=free, so every free() made by our code (the NSM response
 * buffer) passes through __wrap_free, which looks for the response's random
 * bytes before releasing the block.  It fails without the wipes in
 * nitro/nsm.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitro/nsm.h"
#include "testutil.h"

void __real_free(void *p);
void __wrap_free(void *p);

static uint8_t g_marker[64];
static int g_armed, g_leaks;

/* malloc_usable_size would do, but the marker is found in any prefix we scan. */
#include <malloc.h>
void __wrap_free(void *p) {
    if (g_armed && p != NULL) {
        size_t n = malloc_usable_size(p);
        const uint8_t *b = p;
        for (size_t i = 0; i + 16 <= n; i++)
            if (memcmp(b + i, g_marker, 16) == 0) {
                g_leaks++;
                break;
            }
    }
    __real_free(p);
}

/* A transport answering GetRandom with {"GetRandom": {"random": marker}}. */
static int fake_call(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap, size_t *resp_len,
                     ns_error *err) {
    (void)ctx, (void)req, (void)req_len, (void)err;
    static const uint8_t head[] = {0xa1, 0x69, 'G', 'e', 't', 'R', 'a', 'n', 'd', 'o', 'm',
                                   0xa1, 0x66, 'r', 'a', 'n', 'd', 'o', 'm', 0x58, 64};
    if (cap < sizeof head + 64) return -1;
    memcpy(resp, head, sizeof head);
    memcpy(resp + sizeof head, g_marker, 64);
    *resp_len = sizeof head + 64;
    return 0;
}

int main(void) {
    for (int i = 0; i < 64; i++) g_marker[i] = (uint8_t)(0xA5 ^ (i * 37));
    ns_nsm_transport t;
    memset(&t, 0, sizeof t);
    t.call = fake_call;
    uint8_t out[64];
    ns_error err;
    g_armed = 1;
    int rc = ns_nsm_get_random(&t, out, sizeof out, NULL, &err);
    g_armed = 0;
    CHECK_MSG(rc == 0, "GetRandom: %s", rc ? err.msg : "");
    CHECK(memcmp(out, g_marker, 64) == 0);
    CHECK_MSG(g_leaks == 0, "%d freed block(s) still held the random bytes", g_leaks);
    return ns_test_report("nsm_wipe");
}
