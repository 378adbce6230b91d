/* Powers-of-tau .ptau files (docs/snarkjs-formats.md): header, bounded views of
 * the point sections, the Lagrange blocks of a prepared file, and the
 * contribution list (section 7).
 *
 * All points are returned as pointers into the mapped file (affine LEM:
 * G1 64 bytes, G2 128 bytes).  Every view checks that the section is long
 * enough before returning ("pot.ptau: section 12 too short for domain
 * 2^11"); snarkjs itself loops forever on truncated files.  Points are not
 * validated here (callers that need it check them on use). */
#ifndef NS_FORMATS_PTAU_H
#define NS_FORMATS_PTAU_H

#include <stdint.h>

#include "formats/binfile.h"
#include "formats/mpc_params.h"

#define NS_G1_SIZE 64
#define NS_G2_SIZE 128
#define NS_PTAU_MAX_POWER 28 /* BN254 Fr has 2-adicity 28 */

#define NS_PTAU_SEC_WINDOWS 31 /* the window table of a reduced copy (below) */

typedef struct {
    ns_binfile bf;
    uint32_t n8;            /* 32 */
    uint32_t power;         /* this file holds 2^power powers */
    uint32_t ceremony_power;/* power of the original ceremony (0 if absent) */
    int prepared;           /* sections 12..15 all present */
    /* A reduced copy (section 31 present): point section id keeps the
     * points [win_first[id], win_first[id] + kept) of an original payload of
     * win_orig[id] bytes.  Plain files: win_first 0, win_orig the payload. */
    int reduced;
    uint32_t reduced_log2n;
    uint64_t win_first[16], win_orig[16];
    const uint8_t *after_tau_g1; /* the 64 file bytes after section 2, or NULL */
} ns_ptau;

/* Parses the container and header; requires a BN254 file (n8 = 32, q =
 * BN254 q) with 1 <= power <= 28.  Does not require sections 12-15. */
int ns_ptau_parse(ns_ptau *pt, const uint8_t *data, uint64_t size, const char *path, ns_error *err);

/* Expected payload sizes for a file of this power (prepared or truncated). */
uint64_t ns_ptau_expected_size(const ns_ptau *pt, uint32_t id);

/* Checks sections 2..6 (and 12..15 if present) have exactly the expected
 * sizes; used by `ptau info` and before long computations. */
int ns_ptau_check_sizes(const ns_ptau *pt, ns_error *err);

/* count points of section id (2..6, 12..15) starting at point index first.
 * Error "<path>: section I too short (needs N points, has M)". */
int ns_ptau_points(const ns_ptau *pt, uint32_t id, uint64_t first, uint64_t count, const uint8_t **out,
                   ns_error *err);

/* The Lagrange block for domain 2^log2n in section id (12: G1, 13: G2,
 * 14: alpha G1, 15: beta G1): 2^log2n points starting at point 2^log2n - 1.
 * Section 12 holds blocks up to 2^(power+1), 13-15 up to 2^power.
 * Errors: "<path>: powers of tau not prepared for phase 2 (no section 12)",
 * "<path>: section 12 too short for domain 2^11". */
int ns_ptau_lagrange(const ns_ptau *pt, uint32_t id, uint32_t log2n, const uint8_t **out, ns_error *err);

/* The 64 bytes that follow section 2's payload in the original file, or
 * NULL when the file ends first (snarkjs's circuit hash reads them as the
 * point tauG1[2n-1] when the domain is 2^power: docs/snarkjs-formats.md). */
const uint8_t *ns_ptau_after_tau_g1(const ns_ptau *pt);

/* ---- reduced copy: what a key of one domain needs, streamed ----
 *
 * The enclave must hash the whole ptau but keeps only what `zkey new` and
 * `zkey verify` read for a key of domain n = 2^log2n: tauG1[0, 2n) (the H
 * check and the circuit hash), the first point of sections 3, 4, 5, section
 * 6, the Lagrange blocks 2^log2n and 2^(log2n+1) of section 12 and 2^log2n of
 * 13, 14, 15, sections 1 and 7 whole, and the 64 bytes after section 2.
 * That is 576 n bytes of points instead of the 1152 * 2^power of the file.
 *
 * The copy is a binfile `ptau` with the same sections in the same order (each
 * holding its window, other ids empty) and a last section 31: u32 1, u32
 * log2n, u32 after_len (0 or 64), 64 bytes (the bytes after section 2), u32
 * count, count x {u32 id, u64 first point, u64 original payload bytes}.
 * ns_ptau_parse reads it, and every view (ns_ptau_points, ns_ptau_lagrange)
 * returns exactly the bytes of the original or fails ("not kept in this
 * reduced copy"), so `zkey new` and `zkey verify` give the same results on
 * the copy as on the original, for a key of that domain.  The copy is
 * an enclave-internal file: the ptau's identity is the hash of the original,
 * taken by the caller over the same stream. */
typedef struct ns_ptau_filter ns_ptau_filter;

/* Starts a reduced copy at out_path (written through ns_outfile: nothing is
 * left behind on failure). */
ns_ptau_filter *ns_ptau_filter_new(const char *out_path, uint32_t log2n, ns_error *err);
/* The next bytes of the original file, in order. */
int ns_ptau_filter_write(ns_ptau_filter *f, const uint8_t *data, size_t n, ns_error *err);
/* Checks the stream was a complete container, writes the window table,
 * commits the copy; *kept (may be NULL) = its size.  Frees f either way. */
int ns_ptau_filter_finish(ns_ptau_filter *f, uint64_t *kept, ns_error *err);
void ns_ptau_filter_abort(ns_ptau_filter *f);

/* ---- section 7 ---- */
typedef struct {
    uint32_t type;               /* 0 contribution, 1 beacon */
    const uint8_t *next_challenge; /* 64 bytes */
    const uint8_t *tau_g1;       /* first point of the record (G1) */
    char name[256];              /* UTF-8 as stored ("" if none) */
    int has_exp;
    uint32_t num_iter_exp;
    uint32_t beacon_hash_len;
    const uint8_t *beacon_hash;
} ns_ptau_contribution;

#define NS_PTAU_CONTRIB_FIXED 1504

/* Number of records in section 7 (bounded by the section size). */
int ns_ptau_contrib_count(const ns_ptau *pt, uint32_t *count, ns_error *err);
/* Parses all records; calls fn for each.  fn returns 0 to continue. */
int ns_ptau_contrib_foreach(const ns_ptau *pt, int (*fn)(void *ctx, uint32_t i, const ns_ptau_contribution *c),
                            void *ctx, ns_error *err);

#endif
