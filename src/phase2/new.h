/* Groth16 initial key ("zkey new" / "groth16 setup"), byte-identical to
 * snarkjs 0.7.6 (docs/snarkjs-formats.md, "zkey new").
 *
 * Inputs are a parsed .r1cs and a prepared .ptau (both memory-mapped).  The
 * generator streams: it builds compact per-signal term lists (CSR: 12 bytes
 * per r1cs term + 24 bytes per signal), then produces the sections in
 * snarkjs's physical order 1, 2, 4, 3, 9, 8, 5, 6, 7, 10 in bounded chunks
 * (each point is a multi-scalar multiplication over the ptau Lagrange
 * blocks), feeding them to a sink.  Peak memory is the CSR plus O(chunk);
 * the ptau is never copied as a whole.
 *
 * The circuit hash (csHash) is computed on the way, including snarkjs's
 * quirks: H part hashed from ptau section 2 with n points (count field n-1)
 * once n >= 2^15, and the past-the-end "point" emulated with wasm's
 * unreduced 256-bit arithmetic when n == 2^power.
 *
 * Every ptau point used is checked (coordinates < q, on the curve) before
 * it enters an MSM; G2 points are not subgroup-checked (snarkjs does not
 * either, and the group law is the same on the whole twist). */
#ifndef NS_PHASE2_NEW_H
#define NS_PHASE2_NEW_H

#include <stdint.h>

#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "formats/zkey.h"
#include "util/error.h"

/* Receives the zkey sections in physical order.  begin(id) / data(...)* /
 * end(id) for ids 1, 2, 4, 3, 9, 8, 5, 6, 7, 10; data chunks of a section
 * are consecutive payload bytes.  Any callback may be NULL.  A non-zero
 * return aborts generation (the callback fills err). */
typedef struct {
    void *ctx;
    int (*begin)(void *ctx, uint32_t id, ns_error *err);
    int (*data)(void *ctx, uint32_t id, const uint8_t *bytes, uint64_t n, ns_error *err);
    int (*end)(void *ctx, uint32_t id, ns_error *err);
} ns_p2new_sink;

typedef struct {
    int threads;        /* <= 0: all cores */
    int progress;       /* show progress with ETA on a TTY (util/progress.h) */
} ns_p2new_opts;

typedef struct {
    ns_zkey_header header;   /* header of the fresh key: alpha1/beta1/beta2
                                copied from ptau sections 4/5/6, gamma2 =
                                delta2 = G2 generator, delta1 = G1 generator */
    uint8_t cs_hash[64];     /* circuit hash, as stored in section 10 */
    uint32_t ncoefs;         /* records in section 4 */
    uint64_t nterms[3];      /* r1cs terms in A, B, C */
} ns_p2new_info;

/* Checks the inputs as snarkjs does, in its order (curve, size, prepared)
 * plus our bounds checks, and fills the cheap parts of info (header,
 * ncoefs, nterms; not cs_hash).  Errors (one line): "c.r1cs: curve is not
 * BN254 ...", "c.r1cs: circuit needs a domain of 2^12 (m + nPublic + 1 =
 * 2100 rows) but pot.ptau has power 11", "pot.ptau: powers of tau not
 * prepared for phase 2 (no section 12 ...)", "pot.ptau: section 13 too
 * short for domain 2^12", r1cs constraint errors. */
int ns_p2new_check(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, ns_error *err);

/* Generates the whole initial key into sink; fills info incl. cs_hash. */
int ns_p2new_generate(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, const ns_p2new_opts *opts,
                      const ns_p2new_sink *sink, ns_error *err);

/* `zkey new`: writes out_path atomically (nothing is left on failure). */
int ns_p2new_write(ns_p2new_info *info, const ns_r1cs *r1cs, const ns_ptau *ptau, const ns_p2new_opts *opts,
                   const char *out_path, ns_error *err);

/* For `zkey verify` (and the enclave): regenerates the initial key in
 * bounded memory and compares it with an existing key, without writing
 * anything.  On return 0:
 *   *mismatch = 0 if sections 3 (IC), 4 (coeffs), 5 (A), 6 (B1) and 7 (B2)
 *               of `zkey` are byte-identical to the fresh key's, else the id
 *               of the first section that differs (snarkjs messages: "IC
 *               section is not identical", "Coeffs ...", "A ...", "B1 ...",
 *               "B2 section is not identical");
 *   info->cs_hash = the fresh key's csHash (compare with section 10's),
 *   info->header  = the fresh key's header (compare alpha1, beta1, beta2,
 *                   gamma2 with zkey's; nVars, nPublic, domainSize).
 * Sections 8 and 9 of zkey are not compared (contributions rescale them;
 * check them with the random-linear-combination pairings).  The cost is
 * that of a full zkey new.  Returns -1 only on bad input / I/O. */
int ns_p2new_compare(ns_p2new_info *info, uint32_t *mismatch, const ns_r1cs *r1cs, const ns_ptau *ptau,
                     const ns_zkey *zkey, const ns_p2new_opts *opts, ns_error *err);

/* Exposed for tests: the H-hash "point" tauG1[i+n] - tauG1[i] when the
 * first operand is an arbitrary 64-byte LEM blob (two raw 256-bit
 * integers, possibly >= q) combined with wasmcurves' unreduced affine
 * addition; out = U encoding (64 bytes). */
void ns_p2new_wasm_sub_u(uint8_t out[64], const uint8_t p1_raw[64], const uint8_t p2_lem[64]);

#endif
