/* Contribution parameters: the small TLV list that snarkjs appends to each
 * contribution record in ptau section 7 and zkey section 10
 * (docs/snarkjs-formats.md, "Section 10"). */
#ifndef NS_FORMATS_MPC_PARAMS_H
#define NS_FORMATS_MPC_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* ---- contribution parameters (TLV shared by ptau section 7 and zkey section 10) ---- */
typedef struct {
    int has_name;
    char name[256];          /* NUL-terminated raw bytes (<= 255) */
    int has_exp;
    uint32_t num_iter_exp;
    int has_beacon_hash;
    uint32_t beacon_hash_len;
    uint8_t beacon_hash[255];
} ns_mpc_params;

/* Parses params with snarkjs's rules: 1-byte type ids strictly increasing
 * (1 name: u8 len + bytes; 2 numIterationsExp: u8; 3 beaconHash: u8 len +
 * bytes), anything else is "parameter not recognized"; every field must fit
 * within len.  Returns 0 or -1 with a message (no file prefix). */
int ns_mpc_params_parse(ns_mpc_params *out, const uint8_t *p, uint32_t len, ns_error *err);

/* Encodes params as snarkjs writes them: name (if non-empty, already cut
 * to 64 UTF-16 code units by the caller -- see ns_mpc_name_cut) and, when
 * beacon is set, numIterationsExp and beaconHash.  out must hold 2 + 255 +
 * 2 + 2 + 255 bytes; returns the length. */
uint32_t ns_mpc_params_encode(uint8_t *out, const char *name, int beacon, uint32_t num_iter_exp,
                              const uint8_t *beacon_hash, uint32_t beacon_hash_len);

/* JS `name.substring(0, 64)` then UTF-8 encoding, on UTF-8 input: keeps the
 * first 64 UTF-16 code units; a surrogate pair cut in half becomes U+FFFD.
 * Invalid UTF-8 input bytes are replaced by U+FFFD as TextDecoder would.
 * out must hold 64*3+1 bytes. */
void ns_mpc_name_cut(char *out, const char *name);

/* Stored name bytes -> valid UTF-8 as JS TextDecoder shows them (invalid
 * sequences become U+FFFD).  out must hold 3*len+1 bytes. */
void ns_mpc_name_decode(char *out, const char *in, size_t len);

/* snarkjs formatHash layout: 4 lines, each two TABs then four groups of 8
 * lower-case hex digits separated by spaces, each line ending in "\n".
 * out must hold NS_MPC_HASH_TEXT bytes. */
#define NS_MPC_HASH_TEXT (4 * (2 + 4 * 8 + 3 + 1) + 1)
void ns_mpc_format_hash(char *out, const uint8_t hash[64]);

#endif
