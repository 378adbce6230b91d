/* In-process simulated-chain signer: the test key's public key equals the
 * pinned "sim" record (derived independently with @noble/curves), the
 * signature of round 1 equals noble's, signed beacons verify only in
 * simulation mode, and ns_drand_fetch serves them through the "sim:" relay
 * with the usual round/time rules. */
#include <string.h>
#include <time.h>

#include "drand/http.h"
#include "drand/round.h"
#include "drand/sim.h"
#include "testutil.h"
#include "util/hex.h"

int main(void) {
    ns_drand_chain sim, qn;
    CHECK(ns_drand_chain_lookup(&sim, "sim", NS_DRAND_ALLOW_SIM, NULL) == 0);
    CHECK(ns_drand_chain_lookup(&qn, "quicknet", 0, NULL) == 0);
    uint8_t pk[96];
    ns_drand_sim_public_key(pk);
    CHECK(memcmp(pk, sim.public_key, 96) == 0);

    /* Round 1, as signed by drand_sim.js (@noble/curves, same key). */
    ns_drand_beacon b;
    ns_error err;
    CHECK(ns_drand_sim_sign(&b, &sim, 1, NS_DRAND_ALLOW_SIM, &err) == 0);
    char hex[97];
    ns_hex_encode(hex, b.signature, b.signature_len);
    CHECK_MSG(strcmp(hex, "8a455fed8c94708ed672359107f27e52d4610c441d097d85570ebb49157f2bd3"
                          "1f0f757f38ceaca698e1b70cb71ed4f2") == 0, "round 1 signature %s", hex);
    CHECK(ns_drand_beacon_verify(&sim, &b, NS_DRAND_ALLOW_SIM, NULL) == 0);
    CHECK(ns_drand_beacon_verify(&sim, &b, 0, NULL) != 0);
    CHECK(ns_drand_beacon_verify(&qn, &b, NS_DRAND_ALLOW_SIM, NULL) != 0);
    for (uint64_t r = 2; r < 5; r++) {
        ns_drand_beacon c;
        CHECK(ns_drand_sim_sign(&c, &sim, r, NS_DRAND_ALLOW_SIM, NULL) == 0);
        CHECK(ns_drand_beacon_verify(&sim, &c, NS_DRAND_ALLOW_SIM, NULL) == 0);
        CHECK(memcmp(c.signature, b.signature, 48) != 0);
        c.round = r + 1;
        CHECK(ns_drand_beacon_verify(&sim, &c, NS_DRAND_ALLOW_SIM, NULL) != 0);
    }
    /* Refusals: real chains, no flag, round 0, another key. */
    CHECK(ns_drand_sim_sign(&b, &qn, 1, NS_DRAND_ALLOW_SIM, &err) != 0);
    CHECK(ns_drand_sim_sign(&b, &sim, 1, 0, &err) != 0);
    CHECK(ns_drand_sim_sign(&b, &sim, 0, NS_DRAND_ALLOW_SIM, &err) != 0);
    ns_drand_chain other = sim;
    other.public_key[10] ^= 1;
    CHECK(ns_drand_sim_sign(&b, &other, 1, NS_DRAND_ALLOW_SIM, &err) != 0);

    /* Through ns_drand_fetch with the "sim:" relay. */
    static const char *const relays[] = {NS_DRAND_SIM_RELAY};
    ns_drand_fetch_opts o;
    ns_drand_fetch_opts_init(&o);
    o.relays = relays;
    o.n_relays = 1;
    o.flags = NS_DRAND_ALLOW_SIM;
    int64_t now = (int64_t)time(NULL);
    uint64_t cur = ns_drand_round_at(&sim, now);
    CHECK(ns_drand_fetch(&b, &sim, cur - 3, &o, &err) == 0 && b.round == cur - 3);
    CHECK(ns_drand_fetch(&b, &sim, 0, &o, &err) == 0 && b.round >= cur && b.round <= cur + 1);
    uint64_t next;
    int64_t t_next;
    CHECK(ns_drand_next_round_after(&next, &t_next, &sim, now, 0, NULL) == 0);
    CHECK(ns_drand_fetch(&b, &sim, next + 1, &o, &err) != 0 && strstr(err.msg, "not available yet"));
    o.wait = 1; /* at most one period and a bit */
    CHECK(ns_drand_fetch(&b, &sim, next, &o, &err) == 0 && b.round == next);
    CHECK((int64_t)time(NULL) >= t_next);
    o.flags = 0;
    CHECK(ns_drand_fetch(&b, &sim, cur - 3, &o, &err) != 0);
    o.flags = NS_DRAND_ALLOW_SIM;
    CHECK(ns_drand_fetch(&b, &qn, 5, &o, &err) != 0); /* quicknet from "sim:": refused */
    return ns_test_report("drand_sim");
}
