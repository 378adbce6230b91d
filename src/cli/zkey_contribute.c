/* `nitrosetup zkey contribute` and `nitrosetup zkey beacon`. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "cli/zkey_commands.h"
#include "phase2/contribute.h"
#include "phase2/transcript.h"
#include "util/parallel.h"
#include "util/wipe.h"

static const ns_cmd_spec CONTRIBUTE = {
    "zkey contribute", "<in.zkey> <out.zkey>", 2, 2,
    "Adds a secret contribution to a Groth16 key (= snarkjs zkey contribute).  The secret\n"
    "comes from 64 bytes of getrandom(2) hashed with the --entropy text (BLAKE2b-512, as\n"
    "snarkjs); without --entropy only OS randomness is used (no prompt).  It is wiped\n"
    "after use.  Prints the circuit hash and the contribution hash.\n",
};

static const ns_cmd_spec BEACON = {
    "zkey beacon", "<in.zkey> <out.zkey> <beaconHashHex> <numIterationsExp>", 4, 4,
    "Applies a public random beacon as the final contribution; the output is byte-identical\n"
    "to snarkjs zkey beacon.  beaconHashHex: 1..255 bytes as an even number of hex digits\n"
    "without 0x; the key is derived from SHA-256 iterated 2^numIterationsExp times\n"
    "(10..63).  Prints the contribution hash.\n",
};

int ns_zkey_cmd_contribute(int argc, char **argv) {
    const char *name = NULL, *entropy = NULL;
    int threads = 0, rc;
    const ns_opt OPTS[] = {
        OPT_STRING('n', "name", &name, "TEXT", "contributor name stored in the key (64 UTF-16 units max)"),
        OPT_STRING('e', "entropy", &entropy, "TEXT", "extra entropy mixed into the secret"),
        OPT_THREADS(&threads),
        OPT_END(),
    };
    if (ns_opt_parse(&CONTRIBUTE, OPTS, &argc, argv, &rc) != 0) return rc;

    ns_error err = {{0}};
    uint8_t seed[64];
    ns_phase2_result res;
    if (ns_phase2_random_seed(seed, entropy, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    rc = ns_phase2_contribute(argv[1], argv[2], seed, name, threads, 0, &res, &err);
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
    const char *name = NULL;
    int threads = 0, rc;
    const ns_opt OPTS[] = {
        OPT_STRING('n', "name", &name, "TEXT", "name stored in the key"),
        OPT_THREADS(&threads),
        OPT_END(),
    };
    if (ns_opt_parse(&BEACON, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_error err = {{0}};
    uint8_t bh[NS_P2_BEACON_HASH_MAX];
    size_t bhlen = 0;
    unsigned exp = 0;
    if (ns_p2_beacon_parse_hash(bh, &bhlen, argv[3], &err) != 0 || ns_p2_beacon_parse_exp(&exp, argv[4], &err) != 0)
        return ns_cli_usage_error(BEACON.cmd, "%s", err.msg);
    ns_phase2_result res;
    if (ns_phase2_beacon(argv[1], argv[2], bh, bhlen, exp, name, threads, 0, &res, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    ns_p2_format_hash(stdout, res.contribution_hash, "Contribution Hash: ");
    return 0;
}
