/* `nitrosetup zkey export verificationkey <in.zkey> <vk.json>`,
 * `nitrosetup zkey export solidity <final.zkey> <dir>` and
 * `nitrosetup zkey export soliditycalldata <public.json> <proof.json>`. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "cli/zkey_commands.h"
#include "phase2/export_solidity.h"
#include "phase2/export_vk.h"
#include "util/hex.h"

static const ns_cmd_spec SPEC = {
    "zkey export",
    "verificationkey <in.zkey> <vk.json>\n"
    "       nitrosetup zkey export solidity <final.zkey> <dir>\n"
    "       nitrosetup zkey export soliditycalldata <public.json> <proof.json>",
    3, 3,
    "verificationkey (vk): writes the Groth16 verification key as JSON,\n"
    "byte-identical to `snarkjs zkey export verificationkey` 0.7.6 (vk_alphabeta_12\n"
    "= e(alpha1, beta2) computed with our pairing).\n"
    "\n"
    "solidity: writes nitrosetup's own on-chain verifier for the key into <dir>\n"
    "(docs/onchain.md): Groth16Verifier.sol (the generic contract, MIT),\n"
    "verifier.runtime.bin (the runtime code: the compiled contract with the key\n"
    "appended, made without solc), verifier.init.hex (init code to deploy it) and\n"
    "verifier.abi.json; prints the runtime code's size and Keccak-256, which is\n"
    "the deployed contract's EXTCODEHASH.  The ABI is snarkjs's: verifyProof(uint[2]\n"
    "a, uint[2][2] b, uint[2] c, uint[n] pubSignals) returns (bool).\n"
    "\n"
    "soliditycalldata: prints a snarkjs Groth16 proof and its public signals as\n"
    "the arguments of verifyProof, exactly as `snarkjs zkey export\n"
    "soliditycalldata` 0.7.6 does (B in EIP-197 order).\n"
    "\n"
    "Outputs are written atomically.\n",
};

/* A JSON number string (decimal, or 0x hex as snarkjs also accepts) -> 32 bytes
 * big-endian; -1 if malformed or >= 2^256. */
static int parse_u256(uint8_t be[32], const json_t *v) {
    const char *s = json_string_value(v);
    if (s == NULL || *s == 0) return -1;
    memset(be, 0, 32);
    int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (hex) s += 2;
    if (*s == 0) return -1;
    for (; *s; s++) {
        unsigned d, base = hex ? 16 : 10;
        if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
        else if (hex && *s >= 'a' && *s <= 'f') d = (unsigned)(*s - 'a' + 10);
        else if (hex && *s >= 'A' && *s <= 'F') d = (unsigned)(*s - 'A' + 10);
        else return -1;
        unsigned carry = d;
        for (int i = 31; i >= 0; i--) {
            unsigned x = be[i] * base + carry;
            be[i] = (uint8_t)x;
            carry = x >> 8;
        }
        if (carry) return -1;
    }
    return 0;
}

/* snarkjs's p256: "0x" + 64 hex digits, in double quotes */
static int put_word(FILE *out, const json_t *v) {
    uint8_t be[32];
    char h[65];
    if (parse_u256(be, v) != 0) return -1;
    ns_hex_encode(h, be, 32);
    fprintf(out, "\"0x%s\"", h);
    return 0;
}

static json_t *load(const char *path) {
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (j == NULL) fprintf(stderr, "%s: %s: line %d: %s\n", ns_program_name, path, je.line, je.text);
    return j;
}

static int calldata(const char *pub_path, const char *proof_path) {
    json_t *pub = load(pub_path), *proof = NULL;
    if (pub == NULL) return 2;
    proof = load(proof_path);
    if (proof == NULL) {
        json_decref(pub);
        return 2;
    }
    int rc = 2;
    const json_t *a = json_object_get(proof, "pi_a"), *b = json_object_get(proof, "pi_b"),
                 *c = json_object_get(proof, "pi_c");
    const char *proto = json_string_value(json_object_get(proof, "protocol"));
    if (proto == NULL || strcmp(proto, "groth16") != 0) {
        fprintf(stderr, "%s: %s: not a groth16 proof (\"protocol\": \"groth16\")\n", ns_program_name, proof_path);
        goto out;
    }
    if (!json_is_array(pub)) {
        fprintf(stderr, "%s: %s: not a JSON array of public signals\n", ns_program_name, pub_path);
        goto out;
    }
    /* print into memory first: nothing on stdout unless everything parses */
    char *text = NULL;
    size_t tlen = 0;
    FILE *m = open_memstream(&text, &tlen);
    if (m == NULL) goto out;
    /* snarkjs's order: a, then b with each pair swapped (EIP-197), then c */
    const json_t *b0 = json_array_get(b, 0), *b1 = json_array_get(b, 1);
    const json_t *w[8] = {json_array_get(a, 0),  json_array_get(a, 1),  json_array_get(b0, 1), json_array_get(b0, 0),
                          json_array_get(b1, 1), json_array_get(b1, 0), json_array_get(c, 0),  json_array_get(c, 1)};
    static const char *const before[8] = {"[", ", ", "],[[", ", ", "],[", ", ", "]],[", ", "};
    int bad = 0;
    for (int i = 0; i < 8; i++) {
        fputs(before[i], m);
        bad |= put_word(m, w[i]);
    }
    fputs("],[", m);
    int badpub = 0;
    for (size_t i = 0; i < json_array_size(pub); i++) {
        if (i) fputc(',', m);
        badpub |= put_word(m, json_array_get(pub, i));
    }
    fputs("]\n", m);
    fclose(m);
    if (bad || badpub) {
        fprintf(stderr, "%s: %s: %s are not all numbers below 2^256\n", ns_program_name, bad ? proof_path : pub_path,
                bad ? "pi_a, pi_b, pi_c" : "the public signals");
    } else {
        fwrite(text, 1, tlen, stdout);
        rc = 0;
    }
    free(text);
out:
    json_decref(pub);
    json_decref(proof);
    return rc;
}

static int solidity(const char *zkey_path, const char *dir) {
    ns_error err;
    ns_mapfile map;
    ns_zkey z;
    if (ns_zkey_open(&z, &map, zkey_path, 2, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    uint8_t k[32];
    size_t len;
    int rc = ns_export_solidity(dir, &z, k, &len, &err);
    uint32_t n = z.h.npublic;
    ns_mapfile_close(&map);
    if (rc != 0) {
        ns_error_print(&err);
        return 2;
    }
    char kh[65];
    ns_hex_encode(kh, k, 32);
    printf("verifier for %u public signals: %s/verifier.runtime.bin, %zu bytes, keccak256 0x%s\n", n, dir, len, kh);
    if (len > NS_EIP170_MAX_CODE)
        fprintf(stderr, "%s: warning: %zu bytes exceed EIP-170's %d-byte limit: not deployable on Ethereum mainnet\n",
                ns_program_name, len, NS_EIP170_MAX_CODE);
    return 0;
}

int ns_zkey_cmd_export(int argc, char **argv) {
    int rc;
    const ns_opt OPTS[] = {OPT_END()};
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    if (strcmp(argv[1], "solidity") == 0) return solidity(argv[2], argv[3]);
    if (strcmp(argv[1], "soliditycalldata") == 0) return calldata(argv[2], argv[3]);
    if (strcmp(argv[1], "verificationkey") != 0 && strcmp(argv[1], "vk") != 0)
        return ns_cli_usage_error("zkey export", "unknown export '%s' (supported: verificationkey, solidity, soliditycalldata)",
                                  argv[1]);
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
