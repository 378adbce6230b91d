/* Contribution parameters: the small TLV list that snarkjs appends to each
 * contribution record in ptau section 7 and zkey section 10, contributor
 * names as snarkjs cuts and decodes them, and snarkjs' hash layout. */
#ifndef NS_FORMATS_MPC_PARAMS_H
#define NS_FORMATS_MPC_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_MPC_NAME_MAX 255        /* a stored name is at most 255 bytes */
#define NS_MPC_BEACON_HASH_MAX 255 /* beacon hash: 1..255 bytes */

typedef struct {
    int has_name;
    uint32_t name_len;                 /* bytes as stored (<= 255) */
    char name[NS_MPC_NAME_MAX + 1];    /* the stored bytes, NUL-terminated */
    int has_exp;
    uint32_t num_iter_exp;
    int has_beacon_hash;
    uint32_t beacon_hash_len;
    uint8_t beacon_hash[NS_MPC_BEACON_HASH_MAX];
} ns_mpc_params;

/* Parses params with snarkjs's rules: 1-byte type ids strictly increasing
 * (1 name: u8 len + bytes; 2 numIterationsExp: u8; 3 beaconHash: u8 len +
 * bytes), anything else is "parameter not recognized"; every field must fit
 * within len.  Returns 0 or -1 with a message (no file prefix). */
int ns_mpc_params_parse(ns_mpc_params *out, const uint8_t *p, uint32_t len, ns_error *err);

/* Encodes params as snarkjs' writer does: the name (if present, normalised
 * with ns_mpc_name_normalize and omitted when that is empty) and, for a
 * beacon record, numIterationsExp and beaconHash (0 / empty if absent).
 * out must hold NS_MPC_PARAMS_MAX bytes; returns the length. */
#define NS_MPC_PARAMS_MAX (2 + NS_MPC_NAME_MAX + 2 + 2 + NS_MPC_BEACON_HASH_MAX)
size_t ns_mpc_params_encode(uint8_t *out, const ns_mpc_params *p, int beacon);

/* snarkjs' name handling: JS substring(0, 64) of the text (64 UTF-16 code
 * units; a cut surrogate pair becomes U+FFFD) then UTF-8.  The input is
 * decoded as WHATWG TextDecoder does (invalid sequences -> U+FFFD, a leading
 * BOM dropped).  Returns the encoded length (<= 192); out holds
 * NS_MPC_NAME_MAX + 1 bytes. */
size_t ns_mpc_name_normalize(char out[NS_MPC_NAME_MAX + 1], const char *in, size_t len);

/* Stored name bytes -> valid UTF-8 as JS TextDecoder shows them (invalid
 * sequences and NUL become U+FFFD, no cut).  out must hold 3*len+1 bytes. */
void ns_mpc_name_decode(char *out, const char *in, size_t len);

/* snarkjs formatHash layout: 4 lines, each two TABs then four groups of 8
 * lower-case hex digits separated by spaces, each line ending in "\n".
 * out must hold NS_MPC_HASH_TEXT bytes. */
#define NS_MPC_HASH_TEXT (4 * (2 + 4 * 8 + 3 + 1) + 1)
void ns_mpc_format_hash(char *out, const uint8_t hash[64]);

#endif
