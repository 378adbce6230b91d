/* The Hermez/Polygon prepared powers-of-tau files
 * (powersOfTau28_hez_final_XX.ptau, 54 contributions + a beacon): names,
 * download location and their published BLAKE2b-512 file hashes. */
#ifndef NS_FORMATS_HERMEZ_H
#define NS_FORMATS_HERMEZ_H

#include <stddef.h>
#include <stdint.h>

#define NS_HERMEZ_URL_BASE "https://storage.googleapis.com/zkevm/ptau/"
#define NS_HERMEZ_OLD_URL_BASE "https://hermez.s3-eu-west-1.amazonaws.com/"
#define NS_HERMEZ_MIN_POWER 8
#define NS_HERMEZ_MAX_POWER 28

typedef struct {
    uint32_t power;
    const char *file;   /* e.g. "powersOfTau28_hez_final_12.ptau" */
    const char *b2sum;  /* 128 lower-case hex digits */
} ns_hermez_ptau;

const ns_hermez_ptau *ns_hermez_table(size_t *n);
const ns_hermez_ptau *ns_hermez_by_power(uint32_t power); /* NULL if not 8..28 */
const ns_hermez_ptau *ns_hermez_by_hash(const char *hex);  /* NULL if unknown */
/* The smallest Hermez file for a Groth16 domain of 2^domain_power (power >=
 * domain_power; power 8 below that); NULL over NS_HERMEZ_MAX_POWER. */
const ns_hermez_ptau *ns_hermez_for_domain(uint32_t domain_power);
void ns_hermez_url(char *out, size_t cap, const ns_hermez_ptau *e);

#endif
