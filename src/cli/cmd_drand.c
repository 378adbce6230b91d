/* `nitrosetup drand <subcommand>`: pinned chains, round arithmetic, fetching
 * and verifying beacons (library: src/drand/). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "drand/beacon.h"
#include "drand/chains.h"
#include "drand/http.h"
#include "drand/round.h"
#include "util/hex.h"

#define MAX_RELAYS 16

/* Options shared by the subcommands; each table lists only what it documents. */
typedef struct {
    const char *chain;
    int json;
    int allow_sim;
    int wait;
    int no_info;
    long long margin;
    long long timeout_s;
    long long attempts;
    const char *relay_items[MAX_RELAYS];
    ns_opt_list relays;
} drand_args;

static void args_init(drand_args *a) {
    memset(a, 0, sizeof *a);
    a->chain = "quicknet";
    a->timeout_s = 10;
    a->attempts = 3;
    a->relays = (ns_opt_list){a->relay_items, 0, MAX_RELAYS};
}

#define DRAND_CHAIN(a) OPT_STRING(0, "chain", &(a).chain, "NAME", "quicknet (default), default, or a chain hash")
#define DRAND_JSON(a, h) OPT_BOOL(0, "json", &(a).json, (h))
#define DRAND_SIM(a) OPT_BOOL(0, "allow-sim", &(a).allow_sim, "accept the simulated test chain (--chain sim)")

static int lookup_chain(ns_drand_chain *c, const drand_args *a, const char *cmd) {
    ns_error err;
    if (ns_drand_chain_lookup(c, a->chain, a->allow_sim ? NS_DRAND_ALLOW_SIM : 0, &err) != 0) {
        if (strcmp(a->chain, "sim") == 0)
            return ns_cli_usage_error(cmd, "%s (add --allow-sim)", err.msg);
        return ns_cli_usage_error(cmd, "%s", err.msg);
    }
    return 0;
}

/* ---- chains ---- */

static const ns_cmd_spec CHAINS = {
    "drand chains", "", 0, 0,
    "Lists the pinned drand chains (name, chain hash, scheme, period, genesis,\n"
    "public key) and checks that each chain hash recomputes from its fields.\n"
    "'sim' is the simulated test chain: its key is public, its beacons prove nothing.\n",
};

static int cmd_chains(int argc, char **argv) {
    drand_args a;
    args_init(&a);
    int rc;
    const ns_opt OPTS[] = {OPT_JSON(&a.json), OPT_END()};
    if (ns_opt_parse(&CHAINS, OPTS, &argc, argv, &rc) != 0) return rc;
    int bad = 0;
    if (a.json) fputs("[", stdout);
    for (size_t i = 0; i < ns_drand_chain_count(); i++) {
        ns_drand_chain c;
        ns_error err;
        if (ns_drand_chain_get(&c, i, &err) != 0) {
            ns_error_print(&err);
            return 1;
        }
        int ok = ns_drand_chain_check_hash(&c, &err) == 0;
        if (!ok) {
            ns_error_print(&err);
            bad = 1;
        }
        char hash[65], seed[65], pk[193], when[32];
        ns_hex_encode(hash, c.chain_hash, 32);
        ns_hex_encode(seed, c.genesis_seed, 32);
        ns_hex_encode(pk, c.public_key, c.public_key_len);
        ns_drand_format_time(when, sizeof when, c.genesis_time);
        if (a.json) {
            printf("%s\n {\"name\":\"%s\",\"chain_hash\":\"%s\",\"scheme\":\"%s\",\"period\":%u,"
                   "\"genesis_time\":%" PRId64 ",\"genesis_seed\":\"%s\",\"beacon_id\":\"%s\","
                   "\"public_key\":\"%s\",\"simulated\":%s,\"hash_ok\":%s}",
                   i ? "," : "", c.name, hash, ns_drand_scheme_name(c.scheme), c.period,
                   c.genesis_time, seed, c.beacon_id, pk, c.simulated ? "true" : "false",
                   ok ? "true" : "false");
        } else {
            printf("%s%s\n  chain hash   %s (%s)\n  scheme       %s\n  period       %u s\n"
                   "  genesis      %" PRId64 " (%s)\n  genesis seed %s\n  beacon id    %s\n"
                   "  public key   %s\n",
                   i ? "\n" : "", c.name, hash, ok ? "recomputed: ok" : "MISMATCH",
                   ns_drand_scheme_name(c.scheme), c.period, c.genesis_time, when, seed,
                   c.beacon_id, pk);
            if (c.simulated) printf("  SIMULATED    test key; needs --allow-sim\n");
        }
    }
    if (a.json) fputs("\n]\n", stdout);
    return bad ? 1 : 0;
}

/* ---- round-at / next-round ---- */

static const ns_cmd_spec ROUND_AT = {
    "drand round-at", "<unix-seconds|RFC3339|now>", 1, 1,
    "Prints the round current at that time: the latest round scheduled at or\n"
    "before it (0 before genesis).\n",
};

static const ns_cmd_spec NEXT_ROUND = {
    "drand next-round", "<unix-seconds|RFC3339|now>", 1, 1,
    "Prints the first round whose scheduled time is strictly after t + margin,\n"
    "i.e. a round nobody can know at time t.\n",
};

static void print_round(int json, uint64_t round, int has_time, int64_t t) {
    if (json) {
        if (has_time)
            printf("{\"round\": %" PRIu64 ", \"time\": %" PRId64 "}\n", round, t);
        else
            printf("{\"round\": %" PRIu64 ", \"time\": null}\n", round);
        return;
    }
    if (!has_time) {
        printf("0 (before genesis: no beacon yet)\n");
        return;
    }
    char when[32];
    ns_drand_format_time(when, sizeof when, t);
    printf("%" PRIu64 " (at %" PRId64 ", %s)\n", round, t, when);
}

static int cmd_round(int argc, char **argv, int next) {
    const ns_cmd_spec *spec = next ? &NEXT_ROUND : &ROUND_AT;
    const char *cmd = spec->cmd;
    drand_args a;
    args_init(&a);
    int rc;
    const ns_opt AT[] = {DRAND_CHAIN(a), DRAND_JSON(a, "print {\"round\": N, \"time\": T}"), DRAND_SIM(a), OPT_END()};
    const ns_opt NEXT[] = {
        DRAND_CHAIN(a),
        DRAND_JSON(a, "print {\"round\": N, \"time\": T}"),
        DRAND_SIM(a),
        OPT_INT(0, "margin", &a.margin, "SECONDS", 0, 100LL * 365 * 86400, "extra delay (default 0)"),
        OPT_END(),
    };
    if (ns_opt_parse(spec, next ? NEXT : AT, &argc, argv, &rc) != 0) return rc;
    ns_drand_chain c;
    if (lookup_chain(&c, &a, cmd) != 0) return 2;
    int64_t t, when = 0;
    ns_error err;
    if (ns_drand_parse_time(&t, argv[1], &err) != 0) return ns_cli_usage_error(cmd, "%s", err.msg);
    uint64_t round;
    if (next) {
        if (ns_drand_next_round_after(&round, &when, &c, t, (int64_t)a.margin, &err) != 0)
            return ns_cli_usage_error(cmd, "%s", err.msg);
    } else {
        round = ns_drand_round_at(&c, t);
        if (round && ns_drand_time_of(&when, &c, round, &err) != 0)
            return ns_cli_usage_error(cmd, "%s", err.msg);
    }
    print_round(a.json, round, round != 0, when);
    return 0;
}

static int cmd_round_at(int argc, char **argv) {
    return cmd_round(argc, argv, 0);
}

static int cmd_next_round(int argc, char **argv) {
    return cmd_round(argc, argv, 1);
}

/* ---- fetch ---- */

static const ns_cmd_spec FETCH = {
    "drand fetch", "<round|latest>", 1, 1,
    "Fetches a beacon from drand relays, verifies it against the pinned chain\n"
    "(chain info, round, BLS signature, randomness = SHA-256(signature)) and\n"
    "prints it as drand JSON.  Relays are tried in order; failing, slow or lying\n"
    "relays are skipped.  Exit 0 with a verified beacon, 1 if none was obtained.\n",
};

static int cmd_fetch(int argc, char **argv) {
    const char *cmd = FETCH.cmd;
    drand_args a;
    args_init(&a);
    int rc;
    const ns_opt OPTS[] = {
        DRAND_CHAIN(a),
        OPT_LIST(0, "relay", &a.relays, "URL",
                 "relay base URL, repeatable (default: the League of Entropy\n"
                 "relays api.drand.sh, api2/api3.drand.sh, drand.cloudflare.com,\n"
                 "api.drand.secureweb3.com:6875); sim: with --chain sim signs\n"
                 "simulated beacons in-process (test key)"),
        OPT_BOOL(0, "wait", &a.wait, "wait until a future round's time instead of refusing"),
        OPT_INT(0, "timeout", &a.timeout_s, "S", 1, 600, "per-request timeout in seconds (default 10)"),
        OPT_INT(0, "attempts", &a.attempts, "N", 1, 20, "tries per relay for transient errors (default 3)"),
        OPT_BOOL(0, "no-info-check", &a.no_info, "skip fetching /info (the beacon is still verified)"),
        DRAND_SIM(a),
        OPT_END(),
    };
    if (ns_opt_parse(&FETCH, OPTS, &argc, argv, &rc) != 0) return rc;
    for (int i = 0; i < a.relays.n; i++) {
        const char *u = a.relays.items[i];
        if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0 && strcmp(u, "sim:") != 0)
            return ns_cli_usage_error(cmd, "--relay wants an http:// or https:// URL (or sim:), got '%s'", u);
    }
    const char *round_arg = argv[1];
    ns_drand_chain c;
    if (lookup_chain(&c, &a, cmd) != 0) return 2;
    uint64_t round = 0;
    if (strcmp(round_arg, "latest") != 0) {
        char *end;
        unsigned long long v = strtoull(round_arg, &end, 10);
        if (!*round_arg || *end || v == 0 || round_arg[0] == '-')
            return ns_cli_usage_error(cmd, "round must be a number >= 1 or 'latest', got '%s'", round_arg);
        round = v;
    }
    ns_drand_fetch_opts o;
    ns_drand_fetch_opts_init(&o);
    o.relays = a.relays.n ? a.relays.items : NULL;
    o.n_relays = (size_t)a.relays.n;
    o.timeout_ms = (long)a.timeout_s * 1000;
    o.attempts = (int)a.attempts;
    o.wait = a.wait;
    o.check_info = !a.no_info;
    o.flags = a.allow_sim ? NS_DRAND_ALLOW_SIM : 0;
    o.log = stderr;
    ns_drand_beacon b;
    ns_error err;
    if (ns_drand_fetch(&b, &c, round, &o, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    char *json = ns_drand_beacon_to_json(&c, &b);
    if (!json) return fputs("nitrosetup: out of memory\n", stderr), 1;
    printf("%s\n", json);
    free(json);
    if (c.simulated) fprintf(stderr, "drand: SIMULATED chain '%s' (test key)\n", c.name);
    return 0;
}

/* ---- verify ---- */

static const ns_cmd_spec VERIFY = {
    "drand verify", "<beacon.json|->", 1, 1,
    "Verifies a beacon in drand's JSON form ({\"round\",\"signature\",\n"
    "\"previous_signature\" (chained), \"randomness\" (optional)}) against the pinned\n"
    "chain.  Exit 0 only when valid; otherwise one line says why (exit 1 invalid,\n"
    "2 unreadable input).\n",
};

static char *read_input(const char *path, size_t *len, ns_error *err) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        ns_error_set(err, "%s: cannot open", path);
        return NULL;
    }
    char *buf = malloc(NS_DRAND_JSON_MAX + 2);
    size_t n = buf ? fread(buf, 1, NS_DRAND_JSON_MAX + 1, f) : 0;
    int bad = !buf || ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        free(buf);
        ns_error_set(err, "%s: read error", path);
        return NULL;
    }
    if (n > NS_DRAND_JSON_MAX) {
        free(buf);
        ns_error_set(err, "%s: larger than %d bytes", path, NS_DRAND_JSON_MAX);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int cmd_verify(int argc, char **argv) {
    const char *cmd = VERIFY.cmd;
    drand_args a;
    args_init(&a);
    int rc;
    const ns_opt OPTS[] = {DRAND_CHAIN(a), DRAND_SIM(a), OPT_END()};
    if (ns_opt_parse(&VERIFY, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *path = argv[1];
    ns_drand_chain c;
    if (lookup_chain(&c, &a, cmd) != 0) return 2;
    ns_error err;
    size_t len;
    char *json = read_input(path, &len, &err);
    if (!json) {
        ns_error_print(&err);
        return 2;
    }
    ns_drand_beacon b;
    rc = 0;
    if (ns_drand_beacon_parse(&b, json, len, &err) != 0) {
        ns_error_prefix(&err, "%s", path);
        rc = 2;
    } else if (ns_drand_beacon_verify(&c, &b, a.allow_sim ? NS_DRAND_ALLOW_SIM : 0, &err) != 0) {
        ns_error_prefix(&err, "%s: INVALID", path);
        rc = 1;
    }
    free(json);
    if (rc) {
        ns_error_print(&err);
        return rc;
    }
    uint8_t rnd[32];
    char rnd_hex[65];
    ns_drand_beacon_randomness(rnd, &b);
    ns_hex_encode(rnd_hex, rnd, 32);
    printf("%s: valid %sbeacon, chain %s, round %" PRIu64 ", randomness %s\n", path,
           c.simulated ? "SIMULATED " : "", c.name, b.round, rnd_hex);
    return 0;
}

/* ---- dispatch ---- */

static const ns_cli_subcommand SUBS[] = {
    {"chains", cmd_chains, "[--json]: the pinned chains, chain hashes recomputed"},
    {"round-at", cmd_round_at, "<time>: the round current at a time"},
    {"next-round", cmd_next_round, "<time> [--margin S]: the first round after time + margin"},
    {"fetch", cmd_fetch, "<round|latest>: fetch and verify a beacon from the relays"},
    {"verify", cmd_verify, "<beacon.json>: verify a beacon against a pinned chain"},
};

int ns_cmd_drand(int argc, char **argv) {
    return ns_cli_dispatch("drand",
                           "drand randomness beacons: pinned chains (quicknet by default), round\n"
                           "arithmetic, fetching and verifying beacons.\n",
                           SUBS, sizeof SUBS / sizeof SUBS[0], argc, argv);
}
