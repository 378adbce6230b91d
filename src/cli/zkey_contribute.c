/* `nitrosetup zkey contribute` and `nitrosetup zkey beacon`. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/zkey_commands.h"
#include "phase2/contribute.h"
#include "phase2/transcript.h"
#include "util/parallel.h"
#include "util/wipe.h"

/* Matches "--long", "--long=V", "-s", "-s=V"; *val gets V or the next
 * argument.  Returns 1 if matched, 0 if not, -1 if the value is missing. */
static int opt_value(int argc, char **argv, int *i, const char *lng, const char *shrt,
                     const char **val) {
    const char *a = argv[*i];
    const char *names[2] = {lng, shrt};
    for (int k = 0; k < 2; k++) {
        const char *nm = names[k];
        if (nm == NULL) continue;
        size_t n = strlen(nm);
        if (strncmp(a, nm, n) != 0) continue;
        if (a[n] == '=') {
            *val = a + n + 1;
            return 1;
        }
        if (a[n] == '\0') {
            if (*i + 1 >= argc) return -1;
            *val = argv[++*i];
            return 1;
        }
    }
    return 0;
}

typedef struct {
    const char *pos[4];
    int npos;
    const char *name, *entropy, *threads;
} args;

static int parse(int argc, char **argv, const char *cmd, int want_entropy, int maxpos, args *a) {
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int m;
        if ((m = opt_value(argc, argv, &i, "--name", "-n", &v)) != 0) {
            if (m < 0) return ns_cli_usage_error(cmd, "--name needs a value");
            a->name = v;
        } else if (want_entropy && (m = opt_value(argc, argv, &i, "--entropy", "-e", &v)) != 0) {
            if (m < 0) return ns_cli_usage_error(cmd, "--entropy needs a value");
            a->entropy = v;
        } else if ((m = opt_value(argc, argv, &i, "--threads", "-t", &v)) != 0) {
            if (m < 0) return ns_cli_usage_error(cmd, "--threads needs a value");
            a->threads = v;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return ns_cli_usage_error(cmd, "unknown option '%s'", argv[i]);
        } else {
            if (a->npos >= maxpos) return ns_cli_usage_error(cmd, "too many arguments");
            a->pos[a->npos++] = argv[i];
        }
    }
    if (a->npos != maxpos) return ns_cli_usage_error(cmd, "expected %d arguments", maxpos);
    return 0;
}

int ns_zkey_cmd_contribute(int argc, char **argv) {
    const char *cmd = "zkey contribute";
    if (ns_cli_wants_help(argc, argv)) {
        printf("usage: nitrosetup zkey contribute <in.zkey> <out.zkey> [--name TEXT] [--entropy TEXT]\n"
               "                                  [--threads N]\n\n"
               "Adds a secret contribution to a Groth16 key (= snarkjs zkey contribute).  The secret\n"
               "comes from 64 bytes of getrandom(2) hashed with the --entropy text (BLAKE2b-512, as\n"
               "snarkjs); without --entropy only OS randomness is used (no prompt).  It is wiped\n"
               "after use.  Prints the circuit hash and the contribution hash.\n\n"
               "  -n, --name TEXT     contributor name stored in the key (64 UTF-16 units max)\n"
               "  -e, --entropy TEXT  extra entropy mixed into the secret\n"
               "  -t, --threads N     worker threads (default: all cores)\n");
        return 0;
    }
    args a;
    int rc = parse(argc, argv, cmd, 1, 2, &a);
    if (rc != 0) return rc;
    int threads = ns_threads_parse(a.threads);
    if (threads < 0) return ns_cli_usage_error(cmd, "bad --threads value '%s'", a.threads);

    ns_error err = {{0}};
    uint8_t seed[64];
    ns_phase2_result res;
    if (ns_phase2_random_seed(seed, a.entropy, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    rc = ns_phase2_contribute(a.pos[0], a.pos[1], seed, a.name, threads, &res, &err);
    ns_wipe(seed, sizeof seed);
    if (rc != 0) {
        ns_error_print(&err);
        return 2;
    }
    ns_p2_format_hash(stdout, res.cs_hash, "Circuit Hash: ");
    ns_p2_format_hash(stdout, res.contribution_hash, "Contribution Hash: ");
    return 0;
}

int ns_zkey_cmd_beacon(int argc, char **argv) {
    const char *cmd = "zkey beacon";
    if (ns_cli_wants_help(argc, argv)) {
        printf("usage: nitrosetup zkey beacon <in.zkey> <out.zkey> <beaconHashHex> <numIterationsExp>\n"
               "                              [--name TEXT] [--threads N]\n\n"
               "Applies a public random beacon as the final contribution; the output is byte-identical\n"
               "to snarkjs zkey beacon.  beaconHashHex: 1..255 bytes as an even number of hex digits\n"
               "without 0x; the key is derived from SHA-256 iterated 2^numIterationsExp times\n"
               "(10..63).  Prints the contribution hash.\n\n"
               "  -n, --name TEXT     name stored in the key\n"
               "  -t, --threads N     worker threads (default: all cores)\n");
        return 0;
    }
    args a;
    int rc = parse(argc, argv, cmd, 0, 4, &a);
    if (rc != 0) return rc;
    int threads = ns_threads_parse(a.threads);
    if (threads < 0) return ns_cli_usage_error(cmd, "bad --threads value '%s'", a.threads);
    ns_error err = {{0}};
    uint8_t bh[NS_P2_BEACON_HASH_MAX];
    size_t bhlen = 0;
    unsigned exp = 0;
    if (ns_p2_beacon_parse_hash(bh, &bhlen, a.pos[2], &err) != 0 ||
        ns_p2_beacon_parse_exp(&exp, a.pos[3], &err) != 0)
        return ns_cli_usage_error(cmd, "%s", err.msg);
    ns_phase2_result res;
    if (ns_phase2_beacon(a.pos[0], a.pos[1], bh, bhlen, exp, a.name, threads, &res, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    ns_p2_format_hash(stdout, res.contribution_hash, "Contribution Hash: ");
    return 0;
}
