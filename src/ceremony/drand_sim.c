#include "ceremony/drand_sim.h"

#include <string.h>
#include <time.h>

#include "curve/bls12_381_group.h"
#include "curve/bls12_381_h2c.h"
#include "drand/round.h"
#include "util/hash.h"
#include "util/wipe.h"

static const char SIM_KEY_SEED[] = "nitrosetup drand simulator test key";

int ns_drand_sim_sign(ns_drand_beacon *out, const ns_drand_chain *c, uint64_t round, ns_error *err) {
    if (!c->simulated || c->scheme != NS_DRAND_SCHEME_UNCHAINED_G1)
        return ns_error_set(err, "drand simulator: chain '%s' is not the simulated chain", c->name);
    int64_t when;
    if (round == 0 || ns_drand_time_of(&when, c, round, err) != 0) return -1;
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        if ((int64_t)now.tv_sec >= when) break;
        int64_t left = when - (int64_t)now.tv_sec;
        if (left > 3600) return ns_error_set(err, "drand simulator: round %llu is more than an hour away",
                                             (unsigned long long)round);
        struct timespec d = {left > 1 ? 1 : 0, left > 1 ? 0 : 1000000000L - now.tv_nsec};
        if (d.tv_nsec >= 1000000000L) d.tv_nsec = 999999999L;
        nanosleep(&d, NULL);
    }
    /* message = SHA-256(be64(round)), the unchained scheme's */
    uint8_t rb[8], msg[32], skb[32];
    for (int i = 0; i < 8; i++) rb[i] = (uint8_t)(round >> (56 - 8 * i));
    ns_sha256(msg, rb, 8);
    ns_sha256(skb, SIM_KEY_SEED, sizeof SIM_KEY_SEED - 1);
    uint64_t k[4];
    for (int i = 0; i < 4; i++) {
        k[i] = 0;
        for (int j = 0; j < 8; j++) k[i] |= (uint64_t)skb[31 - 8 * i - j] << (8 * j);
    }
    const char *dst = ns_drand_scheme_dst(c->scheme);
    bls_g1 h, s;
    if (bls_hash_to_g1_var(&h, msg, sizeof msg, (const uint8_t *)dst, strlen(dst)) != 0) {
        ns_wipe(skb, sizeof skb);
        ns_wipe(k, sizeof k);
        return ns_error_set(err, "drand simulator: hash to curve failed");
    }
    bls_g1_mul_var(&s, &h, k, 4);
    ns_wipe(skb, sizeof skb);
    ns_wipe(k, sizeof k);
    bls_g1_affine a;
    bls_g1_to_affine_var(&a, &s);
    memset(out, 0, sizeof *out);
    out->round = round;
    bls_g1_to_compressed(out->signature, &a);
    out->signature_len = 48;
    ns_drand_beacon_randomness(out->randomness, out);
    out->has_randomness = 1;
    return 0;
}
