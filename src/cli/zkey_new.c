/* `nitrosetup zkey new <circuit.r1cs> <pot.ptau> <out.zkey> [options]`:
 * the initial Groth16 key, byte-identical to `snarkjs zkey new`. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "cli/zkey_commands.h"
#include "phase2/new.h"
#include "util/parallel.h"
#include "util/progress.h"

static const ns_cmd_spec SPEC = {
    "zkey new", "<circuit.r1cs> <pot.ptau> <out.zkey>", 3, 3,
    "Creates the initial Groth16 key of a circuit from a prepared powers of tau\n"
    "file; the output is byte-identical to `snarkjs zkey new` (alias groth16\n"
    "setup) 0.7.6, including the circuit hash.  The ptau must be prepared for\n"
    "phase 2 and hold at least the domain n = 2^(floor(log2(m + nPublic)) + 1)\n"
    "(see `nitrosetup ptau pick`).  Every ptau point used is checked; memory stays\n"
    "around 12 bytes per r1cs term plus the pages of the ptau being read.\n"
    "The output is written atomically: nothing is left behind on failure.\n",
};

int ns_zkey_cmd_new(int argc, char **argv) {
    int quiet = 0, rc;
    ns_p2new_opts opts = {0, 1};
    const ns_opt OPTS[] = {
        OPT_THREADS(&opts.threads),
        OPT_BOOL('q', "quiet", &quiet, "do not print the circuit hash"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    char **pos = argv + 1;
    ns_error err;
    ns_mapfile mr, mp;
    ns_r1cs r;
    ns_ptau pt;
    if (ns_cli_open_r1cs(&r, &mr, pos[0], &err) != 0) goto fail0;
    if (ns_mapfile_open(&mp, pos[1], &err) != 0) goto fail1;
    if (ns_ptau_parse(&pt, mp.data, mp.size, pos[1], &err) != 0) goto fail2;
    ns_p2new_info info;
    double t0 = ns_now_seconds();
    if (ns_p2new_write(&info, &r, &pt, &opts, pos[2], &err) != 0) goto fail2;
    ns_mapfile_close(&mp);
    ns_mapfile_close(&mr);
    if (!quiet) {
        char text[NS_MPC_HASH_TEXT];
        ns_mpc_format_hash(text, info.cs_hash);
        printf("Circuit hash: \n%s", text);
        fprintf(stderr, "%s: %u signals, %u public, domain 2^%u, %u coefficients, %.2f s\n", pos[2],
                info.header.nvars, info.header.npublic, info.header.power, info.ncoefs, ns_now_seconds() - t0);
    }
    return 0;
fail2:
    ns_mapfile_close(&mp);
fail1:
    ns_mapfile_close(&mr);
fail0:
    ns_error_print(&err);
    return 2;
}
