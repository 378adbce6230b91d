/* circom .r1cs files (docs/snarkjs-formats.md): header (section 1) and streaming
 * iteration over the constraints (section 2) straight from the mapped file.
 *
 * ns_r1cs_parse checks the container and the header; the constraint
 * section is validated lazily by the iterator (each LC count is bounded by
 * the bytes left, every wire id by nWires, every coefficient must be < the
 * prime) or eagerly by ns_r1cs_check.  Only n8 = 32 files can be iterated
 * (the only size Groth16 over BN254 accepts); other fields are reported by
 * `info`. */
#ifndef NS_FORMATS_R1CS_H
#define NS_FORMATS_R1CS_H

#include <stdint.h>

#include "ff/bn254_consts.h" /* bn254_q_le, bn254_r_le */

#include "formats/binfile.h"

typedef struct {
    ns_binfile bf;
    uint32_t n8;
    const uint8_t *prime;   /* n8 bytes LE */
    uint32_t nwires;        /* includes wire 0 = ONE */
    uint32_t nout, npubin, nprvin;
    uint64_t nlabels;
    uint32_t nconstraints;
    int is_bn254;           /* n8 == 32 and prime == BN254 r */
    const uint8_t *cons;    /* section 2 payload (NULL if absent) */
    uint64_t cons_size;
} ns_r1cs;

/* nPublic for Groth16 = outputs + public inputs. */
static inline uint32_t ns_r1cs_npublic(const ns_r1cs *r) { return r->nout + r->npubin; }

/* Parses the container and section 1, and locates section 2 (required,
 * unique).  Header sanity: nWires >= 1 + nOut + nPubIn + nPrvIn (no
 * overflow). */
int ns_r1cs_parse(ns_r1cs *r, const uint8_t *data, uint64_t size, const char *path, ns_error *err);

/* One linear combination: n terms of {u32 wire, 32-byte LE coefficient}. */
typedef struct {
    uint32_t n;
    const uint8_t *terms; /* n × 36 bytes */
} ns_r1cs_lc;

#define NS_R1CS_TERM_SIZE 36
static inline uint32_t ns_r1cs_term_wire(const ns_r1cs_lc *lc, uint32_t i) {
    return ns_le32(lc->terms + (uint64_t)i * NS_R1CS_TERM_SIZE);
}
static inline const uint8_t *ns_r1cs_term_coef(const ns_r1cs_lc *lc, uint32_t i) {
    return lc->terms + (uint64_t)i * NS_R1CS_TERM_SIZE + 4;
}

typedef struct {
    const ns_r1cs *r;
    ns_cursor cur;
    uint32_t index;      /* constraint to read next */
} ns_r1cs_iter;

/* Requires a BN254 file ("<path>: r1cs field is not BN254 (n8 = N)" otherwise). */
int ns_r1cs_iter_init(ns_r1cs_iter *it, const ns_r1cs *r, ns_error *err);
/* Reads constraint it->index into abc[0..2] (A, B, C).  Returns 1 when a
 * constraint was read, 0 at the end (after checking that the section holds
 * nothing more), -1 on malformed data:
 * "<path>: section 2 truncated in constraint J", "<path>: constraint J:
 * wire W out of range (nWires N)", "<path>: constraint J: coefficient not
 * reduced modulo r", "<path>: section 2 has N trailing bytes". */
int ns_r1cs_iter_next(ns_r1cs_iter *it, ns_r1cs_lc abc[3], ns_error *err);

/* Validates the whole constraint section; optionally counts terms per matrix. */
int ns_r1cs_check(const ns_r1cs *r, uint64_t nterms[3], ns_error *err);

/* Groth16 domain: n = 2^k with k = floor(log2(m + nPublic)) + 1, the smallest
 * power of two strictly greater than m + nPublic (m constraint rows plus
 * nPublic + 1 rows for the public signals), as snarkjs zkey new computes it. */
uint32_t ns_groth16_domain_power(uint64_t nconstraints, uint64_t npublic);

/* 1 if the 32-byte LE integer is < BN254 r. */
int ns_bn254_r_is_reduced(const uint8_t v[32]);

#endif
