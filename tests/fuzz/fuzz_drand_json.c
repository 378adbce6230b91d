/* libFuzzer target: drand JSON decoders (beacon and /info), message
 * construction, verification against the pinned chains, JSON output
 * round trip, and time parsing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drand/beacon.h"
#include "drand/chains.h"
#include "drand/round.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *json = (const char *)data;
    ns_drand_beacon b;
    ns_error err;
    if (ns_drand_beacon_parse(&b, json, size, &err) == 0) {
        if (b.round == 0 || b.signature_len > 96 || b.previous_signature_len > 96) abort();
        const char *names[] = {"quicknet", "default"};
        for (int i = 0; i < 2; i++) {
            ns_drand_chain c;
            if (ns_drand_chain_lookup(&c, names[i], 0, &err) != 0) abort();
            uint8_t m[32];
            (void)ns_drand_beacon_message(m, &c, &b, &err);
            (void)ns_drand_beacon_verify(&c, &b, 0, &err);
            char *out = ns_drand_beacon_to_json(&c, &b);
            if (out) {
                ns_drand_beacon b2;
                if (ns_drand_beacon_parse(&b2, out, strlen(out), &err) != 0) abort();
                if (b2.round != b.round || b2.signature_len != b.signature_len ||
                    memcmp(b2.signature, b.signature, b.signature_len) != 0)
                    abort();
                free(out);
            }
        }
    }
    ns_drand_chain info;
    if (ns_drand_chain_from_info_json(&info, json, size, &err) == 0) {
        uint8_t h[32];
        ns_drand_chain_compute_hash(h, &info);
        ns_drand_chain pinned;
        if (ns_drand_chain_lookup(&pinned, "quicknet", 0, &err) != 0) abort();
        (void)ns_drand_chain_compare(&pinned, &info, &err);
    }
    if (size < 128) {
        char s[129];
        memcpy(s, data, size);
        s[size] = '\0';
        int64_t t;
        (void)ns_drand_parse_time(&t, s, &err);
    }
    return 0;
}
