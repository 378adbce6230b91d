#include "phase2/export_solidity.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "curve/bn254.h"
#include "formats/encode.h"
#include "phase2/verifier_code.h"
#include "util/hex.h"
#include "util/keccak.h"
#include "util/mapfile.h"
#include "util/outfile.h"

#define VK_WORDS_FIXED 14 /* alpha 2, beta 4, gamma 4, delta 4 */
#define INIT_LOADER_LEN 13

const uint8_t *ns_verifier_prefix_code(size_t *len) {
    *len = ns_verifier_prefix_len;
    return ns_verifier_prefix;
}

const char *ns_verifier_source(size_t *len) {
    *len = ns_verifier_sol_len;
    return (const char *)ns_verifier_sol;
}

uint64_t ns_verifier_runtime_len(uint32_t npublic) {
    return ns_verifier_prefix_len + 32 * ((uint64_t)VK_WORDS_FIXED + 2 * ((uint64_t)npublic + 1) + 1);
}

void ns_verifier_selector(uint8_t sel[4], uint32_t npublic) {
    char sig[96];
    if (npublic == 0)
        snprintf(sig, sizeof sig, "verifyProof(uint256[2],uint256[2][2],uint256[2])");
    else
        snprintf(sig, sizeof sig, "verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[%u])", npublic);
    uint8_t h[NS_KECCAK256_LEN];
    ns_keccak256(h, sig, strlen(sig));
    memcpy(sel, h, 4);
}

static int is_zero(const uint8_t *p, size_t n) {
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

/* G1 LEM -> x, y big-endian words; valid point or infinity (zeros). */
static int put_g1(uint8_t *out, const uint8_t lem[64]) {
    bn254_g1_affine p;
    if (!bn254_fq_from_lem(&p.x, lem) || !bn254_fq_from_lem(&p.y, lem + 32)) return -1;
    if (!bn254_g1_affine_on_curve(&p)) return -1;
    ns_fq_lem_to_be(out, lem);
    ns_fq_lem_to_be(out + 32, lem + 32);
    return 0;
}

/* G2 LEM (x.c0 x.c1 y.c0 y.c1) -> x.c1 x.c0 y.c1 y.c0 (EIP-197 order). */
static int put_g2(uint8_t *out, const uint8_t lem[128]) {
    if (is_zero(lem, 128)) {
        memset(out, 0, 128);
        return 0;
    }
    bn254_g2_affine p;
    if (!bn254_fq_from_lem(&p.x.c0, lem) || !bn254_fq_from_lem(&p.x.c1, lem + 32) ||
        !bn254_fq_from_lem(&p.y.c0, lem + 64) || !bn254_fq_from_lem(&p.y.c1, lem + 96))
        return -1;
    if (!bn254_g2_check_var(&p)) return -1;
    ns_fq_lem_to_be(out, lem + 32);
    ns_fq_lem_to_be(out + 32, lem);
    ns_fq_lem_to_be(out + 64, lem + 96);
    ns_fq_lem_to_be(out + 96, lem + 64);
    return 0;
}

int ns_verifier_runtime(uint8_t **code, size_t *len, const ns_zkey *z, ns_error *err) {
    const ns_zkey_header *h = &z->h;
    const char *path = z->bf.path;
    uint32_t n = h->npublic;
    uint64_t total = ns_verifier_runtime_len(n);
    if (total >= (1u << 24))
        return ns_error_set(err, "%s: %u public signals: the verifier code would be %llu bytes (limit 2^24)", path,
                            n, (unsigned long long)total);
    uint8_t *c = malloc(total);
    if (c == NULL) return ns_error_set(err, "%s: out of memory", path);
    memcpy(c, ns_verifier_prefix, ns_verifier_prefix_len);
    uint8_t *w = c + ns_verifier_prefix_len;
    if (put_g1(w, h->alpha1) != 0 || is_zero(h->alpha1, 64)) {
        free(c);
        return ns_error_set(err, "%s: section 2: alpha1 is not a valid G1 point", path);
    }
    const uint8_t *g2[3] = {h->beta2, h->gamma2, h->delta2};
    static const char *g2name[3] = {"beta2", "gamma2", "delta2"};
    for (int i = 0; i < 3; i++) {
        if (put_g2(w + 64 + 128 * i, g2[i]) != 0 || is_zero(g2[i], 128)) {
            free(c);
            return ns_error_set(err, "%s: section 2: %s is not a valid G2 point", path, g2name[i]);
        }
    }
    uint64_t icsize;
    const uint8_t *ic = ns_zkey_section(z, 3, &icsize);
    if (ic == NULL || icsize < 64 * ((uint64_t)n + 1)) {
        free(c);
        return ns_error_set(err, "%s: section 3 (IC) is missing or short", path);
    }
    w += 32 * VK_WORDS_FIXED;
    for (uint64_t i = 0; i <= n; i++, w += 64) {
        if (put_g1(w, ic + 64 * i) != 0) {
            free(c);
            return ns_error_set(err, "%s: section 3 (IC): point %llu is not a valid G1 point", path,
                                (unsigned long long)i);
        }
    }
    memset(w, 0, 32);
    ns_verifier_selector(w, n);
    w[28] = (uint8_t)(n >> 24);
    w[29] = (uint8_t)(n >> 16);
    w[30] = (uint8_t)(n >> 8);
    w[31] = (uint8_t)n;
    *code = c;
    *len = (size_t)total;
    return 0;
}

int ns_verifier_runtime_file(uint8_t **code, size_t *len, const char *zkey_path, ns_error *err) {
    ns_mapfile map;
    ns_zkey z;
    if (ns_zkey_open(&z, &map, zkey_path, 2, err) != 0) return -1;
    int rc = ns_verifier_runtime(code, len, &z, err);
    ns_mapfile_close(&map);
    return rc;
}

int ns_verifier_initcode(uint8_t **code, size_t *len, const uint8_t *runtime, size_t runtime_len, ns_error *err) {
    if (runtime_len >= (1u << 24)) return ns_error_set(err, "runtime code of %zu bytes: too long", runtime_len);
    uint8_t *c = malloc(INIT_LOADER_LEN + runtime_len);
    if (c == NULL) return ns_error_set(err, "out of memory");
    const uint8_t loader[INIT_LOADER_LEN] = {
        0x62, (uint8_t)(runtime_len >> 16), (uint8_t)(runtime_len >> 8), (uint8_t)runtime_len, /* PUSH3 len */
        0x80,                                                                                /* DUP1 */
        0x60, INIT_LOADER_LEN,                                                               /* PUSH1 13 */
        0x60, 0x00,                                                                          /* PUSH1 0 */
        0x39,                                                                                /* CODECOPY */
        0x60, 0x00,                                                                          /* PUSH1 0 */
        0xf3,                                                                                /* RETURN */
    };
    memcpy(c, loader, INIT_LOADER_LEN);
    memcpy(c + INIT_LOADER_LEN, runtime, runtime_len);
    *code = c;
    *len = INIT_LOADER_LEN + runtime_len;
    return 0;
}

char *ns_verifier_abi_json(uint32_t npublic) {
    char pub[160] = "";
    if (npublic > 0)
        snprintf(pub, sizeof pub,
                 ",\n      {\"internalType\": \"uint256[%u]\", \"name\": \"_pubSignals\", \"type\": \"uint256[%u]\"}",
                 npublic, npublic);
    const char *fmt =
        "[\n  {\n    \"inputs\": [\n"
        "      {\"internalType\": \"uint256[2]\", \"name\": \"_pA\", \"type\": \"uint256[2]\"},\n"
        "      {\"internalType\": \"uint256[2][2]\", \"name\": \"_pB\", \"type\": \"uint256[2][2]\"},\n"
        "      {\"internalType\": \"uint256[2]\", \"name\": \"_pC\", \"type\": \"uint256[2]\"}%s\n"
        "    ],\n"
        "    \"name\": \"verifyProof\",\n"
        "    \"outputs\": [{\"internalType\": \"bool\", \"name\": \"\", \"type\": \"bool\"}],\n"
        "    \"stateMutability\": \"view\",\n"
        "    \"type\": \"function\"\n  }\n]\n";
    size_t n = strlen(fmt) + strlen(pub) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, fmt, pub);
    return s;
}

static int write_in(const char *dir, const char *name, const void *data, size_t n, ns_error *err) {
    size_t pl = strlen(dir) + strlen(name) + 2;
    char *p = malloc(pl);
    if (p == NULL) return ns_error_set(err, "out of memory");
    snprintf(p, pl, "%s/%s", dir, name);
    int rc = ns_write_file_atomic(p, data, n, err);
    free(p);
    return rc;
}

int ns_export_solidity(const char *dir, const ns_zkey *z, uint8_t *keccak_out, size_t *len_out, ns_error *err) {
    uint8_t *rt = NULL, *init = NULL;
    size_t rtlen, initlen;
    char *hex = NULL, *abi = NULL;
    int rc = -1;
    if (ns_verifier_runtime(&rt, &rtlen, z, err) != 0) return -1;
    if (ns_verifier_initcode(&init, &initlen, rt, rtlen, err) != 0) goto out;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        ns_error_set(err, "%s: cannot create directory: %s", dir, strerror(errno));
        goto out;
    }
    hex = malloc(2 * initlen + 4);
    abi = ns_verifier_abi_json(z->h.npublic);
    if (hex == NULL || abi == NULL) {
        ns_error_set(err, "out of memory");
        goto out;
    }
    hex[0] = '0';
    hex[1] = 'x';
    ns_hex_encode(hex + 2, init, initlen);
    strcat(hex, "\n");
    if (write_in(dir, NS_VERIFIER_SOURCE_NAME, ns_verifier_sol, ns_verifier_sol_len, err) != 0 ||
        write_in(dir, "verifier.runtime.bin", rt, rtlen, err) != 0 ||
        write_in(dir, "verifier.init.hex", hex, strlen(hex), err) != 0 ||
        write_in(dir, "verifier.abi.json", abi, strlen(abi), err) != 0)
        goto out;
    if (keccak_out) ns_keccak256(keccak_out, rt, rtlen);
    if (len_out) *len_out = rtlen;
    rc = 0;
out:
    free(rt);
    free(init);
    free(hex);
    free(abi);
    return rc;
}
