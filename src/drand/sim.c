#include "drand/sim.h"

#include <string.h>

#include "curve/bls12_381_group.h"
#include "curve/bls12_381_h2c.h"
#include "util/hash.h"

static const char SIM_KEY_LABEL[] = "nitrosetup drand simulator test key";

/* The (public) test scalar as little-endian limbs. */
static void sim_scalar(uint64_t k[4]) {
    uint8_t d[32];
    ns_sha256(d, SIM_KEY_LABEL, sizeof SIM_KEY_LABEL - 1);
    for (int i = 0; i < 4; i++) {
        uint64_t v = 0;
        for (int j = 0; j < 8; j++) v = v << 8 | d[(3 - i) * 8 + j];
        k[i] = v;
    }
}

void ns_drand_sim_public_key(uint8_t out[96]) {
    uint64_t k[4];
    sim_scalar(k);
    bls_g2 g, p;
    bls_g2_affine a;
    bls_g2_generator(&g);
    bls_g2_mul_var(&p, &g, k, 4);
    bls_g2_to_affine_var(&a, &p);
    bls_g2_to_compressed(out, &a);
}

int ns_drand_sim_sign(ns_drand_beacon *out, const ns_drand_chain *c, uint64_t round, unsigned flags,
                      ns_error *err) {
    if (!c->simulated || !(flags & NS_DRAND_ALLOW_SIM))
        return ns_error_set(err, "drand: the in-process simulator only signs the simulated chain, "
                                 "in simulation mode");
    if (c->scheme != NS_DRAND_SCHEME_UNCHAINED_G1 || c->public_key_len != 96)
        return ns_error_set(err, "drand: simulated chain '%s' has an unexpected scheme", c->name);
    uint8_t pk[96];
    ns_drand_sim_public_key(pk);
    if (memcmp(pk, c->public_key, 96) != 0)
        return ns_error_set(err, "drand: chain '%s' is not signed by the simulator's test key", c->name);
    if (round == 0) return ns_error_set(err, "drand: round 0 has no beacon");
    memset(out, 0, sizeof *out);
    out->round = round;
    uint8_t m[32];
    if (ns_drand_beacon_message(m, c, out, err) != 0) return -1;
    const char *dst = ns_drand_scheme_dst(c->scheme);
    bls_g1 h, s;
    if (bls_hash_to_g1_var(&h, m, sizeof m, (const uint8_t *)dst, strlen(dst)) != 0)
        return ns_error_set(err, "drand: hash to curve failed");
    uint64_t k[4];
    sim_scalar(k);
    bls_g1_mul_var(&s, &h, k, 4);
    bls_g1_affine a;
    bls_g1_to_affine_var(&a, &s);
    bls_g1_to_compressed(out->signature, &a);
    out->signature_len = 48;
    return 0;
}
