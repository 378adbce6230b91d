/* The phase-2 transcript on top of zkey section 10 (whose records
 * formats/zkey.h parses, writes and hashes): the running transcript hash,
 * snarkjs' hash printout and the beacon arguments (docs/snarkjs-formats.md,
 * "Section 10").  Nothing here is secret. */
#ifndef NS_PHASE2_TRANSCRIPT_H
#define NS_PHASE2_TRANSCRIPT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "formats/zkey.h"
#include "util/error.h"
#include "util/hash.h"

#define NS_P2_BEACON_HASH_MAX NS_MPC_BEACON_HASH_MAX /* beacon hash: 1..255 bytes */

/* Hasher over csHash and the pubkeys of the first k records (k <= m->n);
 * the transcript of record k is this plus U(g1_s) U(g1_sx).  NULL on OOM. */
ns_hash *ns_p2_transcript_prefix(const ns_zkey_mpc *m, uint32_t k);

/* snarkjs formatHash: title line then 4 lines of "\t\t" + 4 BE u32 groups. */
void ns_p2_format_hash(FILE *out, const uint8_t h[64], const char *title);

/* zkey beacon argument rules (as snarkjs 0.7.6 checks them): hex without 0x, even length, 1..255
 * bytes; 10 <= exp <= 63 (decimal).  Return 0 or -1 with snarkjs' message. */
int ns_p2_beacon_parse_hash(uint8_t out[NS_P2_BEACON_HASH_MAX], size_t *len, const char *hex,
                            ns_error *err);
int ns_p2_beacon_parse_exp(unsigned *exp, const char *text, ns_error *err);
/* rngFromBeaconParams: cur = SHA-256(cur) 2^exp times; the 32-byte digest
 * seeds the ChaCha RNG.  exp in 10..63 (callers check). */
void ns_p2_beacon_digest(uint8_t out[32], const uint8_t *hash, size_t len, unsigned exp);

#endif
