/* Internal to src/phase2/new*.c: the zkey-new generator state. */
#ifndef NS_PHASE2_NEW_INTERNAL_H
#define NS_PHASE2_NEW_INTERNAL_H

#include <stdint.h>

#include "curve/bn254.h"
#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/progress.h"

typedef enum { P2N_IC_C = 0, P2N_A = 1, P2N_B1 = 2, P2N_B2 = 3 } p2n_kind;

typedef struct {
    const ns_r1cs *r;
    const ns_ptau *pt;
    uint32_t k;          /* log2 domain */
    uint64_t n;          /* domain size */
    uint32_t m, nvars, npub;
    const uint8_t *L1, *L2, *LA, *LB; /* Lagrange blocks for domain n (sections 12, 13, 14, 15) */
    /* CSR per matrix (0 A, 1 B, 2 C): terms of signal s are [off[s], off[s+1]) */
    uint64_t *off[3];
    uint32_t *row[3];    /* constraint index j */
    uint64_t *coef[3];   /* byte offset of the 32-byte coefficient in r->cons */
    int threads;
    ns_progress *prog;   /* may be NULL */
} p2n_ctx;

/* Builds the CSR (two passes over the constraints). */
int p2n_csr_build(p2n_ctx *c, ns_error *err);
void p2n_csr_free(p2n_ctx *c);

/* Checks every point of the four Lagrange blocks (coordinates < q, on
 * curve) and builds the CSR, on c->threads threads; side(side_ctx, err), if
 * not NULL, runs as one more task at the same time (work that needs
 * neither).  On failure the error is a bad point's (the first block, then
 * the lowest index), else the CSR's, else side's. */
int p2n_prepare(p2n_ctx *c, int (*side)(void *ctx, ns_error *err), void *side_ctx, ns_error *err);

/* Points of `kind` for signals [s0, s1) as LEM bytes (64 per G1 point, 128
 * per G2 point) into out and, if u is not NULL, as U bytes (the csHash
 * encoding, same sizes) into u. */
int p2n_points(p2n_ctx *c, p2n_kind kind, uint32_t s0, uint32_t s1, uint8_t *out, uint8_t *u, ns_error *err);

/* csHash H part: u32BE(n-1) then U(tauG1[i+n] - tauG1[i]) for the snarkjs
 * count of points (n-1 if n <= 2^14, else n; docs/snarkjs-formats.md, "Circuit hash"). */
int p2n_hash_h(p2n_ctx *c, ns_hash *h, ns_error *err);

#endif
