/* drand HTTP client: the checks that need no relay (argument validation,
 * simulated-chain opt-in, future rounds without waiting, wait limit) and
 * failure against a closed local port.  Relay behaviour is covered by
 * tests/compat/drand_http.test.sh with the simulator. */
#include <string.h>
#include <time.h>

#include "drand/http.h"
#include "drand/round.h"
#include "testutil.h"

/* A local TCP port with nothing listening is refused at once. */
static const char *const CLOSED[] = {"http://127.0.0.1:1", "http://127.0.0.1:1/"};

int main(void) {
    ns_drand_chain qn, sim;
    CHECK(ns_drand_chain_lookup(&qn, "quicknet", 0, NULL) == 0);
    CHECK(ns_drand_chain_lookup(&sim, "sim", NS_DRAND_ALLOW_SIM, NULL) == 0);
    ns_drand_fetch_opts o;
    ns_drand_fetch_opts_init(&o);
    CHECK(o.timeout_ms > 0 && o.attempts > 0 && o.check_info && !o.wait && o.flags == 0);
    size_t n;
    const char *const *def = ns_drand_default_relays(&n);
    CHECK(n == 5);
    for (size_t i = 0; i < n; i++) CHECK(strncmp(def[i], "https://", 8) == 0);

    o.relays = CLOSED;
    o.n_relays = 2;
    o.attempts = 2;
    o.backoff_ms = 10;
    o.timeout_ms = 2000;
    ns_drand_beacon b;
    ns_error err;

    /* Simulated chain without the flag: refused before any request. */
    CHECK(ns_drand_fetch(&b, &sim, 1, &o, &err) != 0 && strstr(err.msg, "SIMULATED"));

    /* Relay URLs must be http(s). */
    const char *const ftp[] = {"ftp://127.0.0.1/"};
    ns_drand_fetch_opts f = o;
    f.relays = ftp;
    f.n_relays = 1;
    CHECK(ns_drand_fetch(&b, &qn, 1, &f, &err) != 0 && strstr(err.msg, "http"));
    CHECK(ns_drand_fetch_check_info(&qn, "file:///etc/passwd", &o, &err) != 0);

    /* Future rounds: refused without waiting, and beyond the wait limit. */
    uint64_t future;
    CHECK(ns_drand_next_round_after(&future, NULL, &qn, (int64_t)time(NULL), 600, NULL) == 0);
    time_t t0 = time(NULL);
    CHECK(ns_drand_fetch(&b, &qn, future, &o, &err) != 0 && strstr(err.msg, "not available yet"));
    f = o;
    f.wait = 1;
    f.max_wait_s = 60;
    CHECK(ns_drand_fetch(&b, &qn, future, &f, &err) != 0 && strstr(err.msg, "wait limit"));
    CHECK(time(NULL) - t0 <= 1);

    /* A closed port: every relay fails, the error names the last one. */
    CHECK(ns_drand_fetch(&b, &qn, 5, &o, &err) != 0);
    CHECK_MSG(strstr(err.msg, "no relay") && strstr(err.msg, "127.0.0.1:1"), "%s", err.msg);
    CHECK(ns_drand_fetch(&b, &qn, 0, &o, &err) != 0 && strstr(err.msg, "latest"));
    CHECK(ns_drand_fetch_check_info(&qn, CLOSED[0], &o, &err) != 0);
    f = o;
    f.check_info = 0;
    CHECK(ns_drand_fetch(&b, &qn, 5, &f, &err) != 0);
    return ns_test_report("drand_http");
}
