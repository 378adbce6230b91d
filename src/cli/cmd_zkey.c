/* `nitrosetup zkey <subcommand>`: dispatch only; each subcommand lives in
 * its own file (src/cli/zkey_*.c). */
#include "cli/commands.h"
#include "cli/zkey_commands.h"

static const ns_cli_subcommand SUBS[] = {
    {"new", ns_zkey_cmd_new, "<circuit.r1cs> <pot.ptau> <out.zkey>: initial key (= snarkjs zkey new)"},
    {"contribute", ns_zkey_cmd_contribute, "<in.zkey> <out.zkey>: add a secret contribution"},
    {"beacon", ns_zkey_cmd_beacon, "<in.zkey> <out.zkey> <hashHex> <exp>: apply a random beacon"},
    {"verify", ns_zkey_cmd_verify, "<circuit.r1cs> <pot.ptau> <in.zkey>: verify a key and its history"},
    {"export", ns_zkey_cmd_export, "verificationkey|solidity|soliditycalldata ...: verification key, on-chain verifier, calldata"},
    {"info", ns_zkey_cmd_info, "<in.zkey>: header, sizes and contributions"},
};

int ns_cmd_zkey(int argc, char **argv) {
    return ns_cli_dispatch("zkey", "Native Groth16 phase-2 engine; reads and writes snarkjs 0.7.6 .zkey files.\n", SUBS,
                           sizeof SUBS / sizeof SUBS[0], argc, argv);
}
