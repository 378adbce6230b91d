/* `nitrosetup zkey export verificationkey <in.zkey> <vk.json>`. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "cli/zkey_commands.h"
#include "phase2/export_vk.h"

static const ns_cmd_spec SPEC = {
    "zkey export", "verificationkey <in.zkey> <vk.json>", 3, 3,
    "Writes the Groth16 verification key as JSON, byte-identical to\n"
    "`snarkjs zkey export verificationkey` 0.7.6 (vk_alphabeta_12 = e(alpha1, beta2)\n"
    "computed with our pairing).  The output is written atomically.  `vk` is\n"
    "short for verificationkey.\n",
};

int ns_zkey_cmd_export(int argc, char **argv) {
    int rc;
    const ns_opt OPTS[] = {OPT_END()};
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if (strcmp(argv[1], "verificationkey") != 0 && strcmp(argv[1], "vk") != 0)
        return ns_cli_usage_error("zkey export", "unknown export '%s' (supported: verificationkey)", argv[1]);
    ns_error err;
    ns_mapfile map;
    ns_zkey z;
    if (ns_zkey_open(&z, &map, argv[2], 2, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    rc = ns_export_vk_write(&z, argv[3], &err);
    ns_mapfile_close(&map);
    if (rc != 0) {
        ns_error_print(&err);
        return 2;
    }
    return 0;
}
