/* drand round arithmetic against round_time_vectors.json, plus edge cases
 * (overflow, margins, inverse relations) and time parsing. */
#include <stdint.h>
#include <stdlib.h>

#include "drand/round.h"
#include "test_drand_vectors.h"

static int chain_for(ns_drand_chain *c, json_t *chains, const char *name) {
    size_t i;
    json_t *e;
    json_array_foreach(chains, i, e) {
        if (strcmp(drand_vec_str(e, "beacon_id"), name) == 0) return drand_vec_chain(c, e);
    }
    return -1;
}

static void test_vectors(json_t *rt, json_t *chains) {
    json_t *cases = json_object_get(rt, "cases");
    CHECK(json_array_size(cases) >= 27);
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e) {
        ns_drand_chain c;
        const char *name = drand_vec_str(e, "chain");
        CHECK(chain_for(&c, chains, name) == 0);
        int64_t t = drand_vec_int(e, "t");
        uint64_t cur = ns_drand_round_at(&c, t);
        CHECK_MSG(cur == (uint64_t)drand_vec_int(e, "current_round"), "%s t=%lld: current %llu", name,
                  (long long)t, (unsigned long long)cur);
        json_t *tc = json_object_get(e, "time_of_current_round");
        if (cur) {
            int64_t when = 0;
            CHECK(ns_drand_time_of(&when, &c, cur, NULL) == 0);
            CHECK(json_is_integer(tc) && when == json_integer_value(tc));
        } else {
            CHECK(json_is_null(tc));
        }
        uint64_t next;
        int64_t next_t;
        CHECK(ns_drand_next_round_after(&next, &next_t, &c, t, 0, NULL) == 0);
        CHECK_MSG(next == (uint64_t)drand_vec_int(e, "next_round") &&
                      next_t == drand_vec_int(e, "time_of_next_round"),
                  "%s t=%lld: next %llu at %lld", name, (long long)t, (unsigned long long)next,
                  (long long)next_t);
        /* Margin m is the same as asking at t + m. */
        uint64_t n2, n3;
        CHECK(ns_drand_next_round_after(&n2, NULL, &c, t, 7, NULL) == 0);
        CHECK(ns_drand_next_round_after(&n3, NULL, &c, t + 7, 0, NULL) == 0);
        CHECK(n2 == n3);
    }
}

static void test_properties(void) {
    const char *names[] = {"quicknet", "default"};
    for (int k = 0; k < 2; k++) {
        ns_drand_chain c;
        CHECK(ns_drand_chain_lookup(&c, names[k], 0, NULL) == 0);
        for (int i = 0; i < 2000; i++) {
            int64_t t = c.genesis_time - 100 + (int64_t)(ns_test_rand64() % 2000000000u);
            int64_t m = (int64_t)(ns_test_rand64() % 1000);
            uint64_t r = ns_drand_round_at(&c, t), nr;
            int64_t tr, nt;
            if (r) {
                CHECK(ns_drand_time_of(&tr, &c, r, NULL) == 0);
                CHECK(tr <= t && t < tr + (int64_t)c.period);
            }
            CHECK(ns_drand_next_round_after(&nr, &nt, &c, t, m, NULL) == 0);
            CHECK(nt > t + m && nt - (int64_t)c.period <= t + m);
            CHECK(ns_drand_round_at(&c, nt) == nr);
        }
        int64_t t;
        ns_error err;
        CHECK(ns_drand_time_of(&t, &c, 0, &err) != 0);
        CHECK(ns_drand_time_of(&t, &c, 1, NULL) == 0 && t == c.genesis_time);
        CHECK(ns_drand_time_of(&t, &c, UINT64_MAX, &err) != 0);
        CHECK(ns_drand_time_of(&t, &c, (uint64_t)INT64_MAX, &err) != 0);
        /* The largest round that fits, and the one after it. */
        uint64_t last = ((uint64_t)INT64_MAX - (uint64_t)c.genesis_time) / c.period + 1;
        CHECK(ns_drand_time_of(&t, &c, last, NULL) == 0 && t > INT64_MAX - (int64_t)c.period);
        CHECK(ns_drand_time_of(&t, &c, last + 1, NULL) != 0);
        uint64_t r;
        CHECK(ns_drand_next_round_after(&r, &t, &c, INT64_MAX - 5, 10, &err) != 0);
        CHECK(ns_drand_next_round_after(&r, &t, &c, 0, -1, &err) != 0);
        CHECK(ns_drand_next_round_after(&r, &t, &c, INT64_MAX, 0, &err) != 0);
        CHECK(ns_drand_round_at(&c, INT64_MIN) == 0);
        CHECK(ns_drand_round_at(&c, INT64_MAX) == last);
    }
}

static void test_parse_time(void) {
    struct {
        const char *s;
        int64_t want;
    } ok[] = {
        {"1700000000", 1700000000},
        {"0", 0},
        {"-5", -5},
        {"2023-11-14T22:13:20Z", 1700000000},
        {"2023-11-14t22:13:20z", 1700000000},
        {"2023-11-14 22:13:20Z", 1700000000},
        {"2023-11-14T22:13:20.999Z", 1700000000},
        {"2023-11-14T23:13:20+01:00", 1700000000},
        {"2023-11-14T20:43:20-01:30", 1700000000},
        {"1970-01-01T00:00:00Z", 0},
        {"2000-02-29T00:00:00Z", 951782400},
        {"2020-07-22T15:17:30Z", 1595431050},
        {"2023-08-23T15:09:27Z", 1692803367},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t t = -1;
        ns_error err;
        int rc = ns_drand_parse_time(&t, ok[i].s, &err);
        CHECK_MSG(rc == 0 && t == ok[i].want, "parse '%s' -> %d %lld", ok[i].s, rc, (long long)t);
    }
    const char *bad[] = {"", "x", "17e8", "2023-11-14", "2023-11-14T22:13:20", "2023-13-01T00:00:00Z",
                         "2023-02-29T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20+1:00",
                         "2023-11-14T22:13:20Zjunk", "99999999999999999999999", "2023-11-14T22:13:20.Z",
                         "--1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t;
        CHECK_MSG(ns_drand_parse_time(&t, bad[i], NULL) != 0, "accepted '%s'", bad[i]);
    }
    int64_t now;
    CHECK(ns_drand_parse_time(&now, "now", NULL) == 0 && now > 1700000000);
    char buf[32];
    ns_drand_format_time(buf, sizeof buf, 1700000000);
    CHECK(strcmp(buf, "2023-11-14T22:13:20Z") == 0);
}

int main(void) {
    json_t *rt = drand_vec_load("round_time_vectors.json");
    json_t *ch = drand_vec_load("chains.json");
    if (rt && ch) test_vectors(rt, json_object_get(ch, "chains"));
    json_decref(rt);
    json_decref(ch);
    test_properties();
    test_parse_time();
    return ns_test_report("drand_round");
}
