/* Measurements (PCR0, PCR1, PCR2) of the released enclave images, compiled
 * into the verifier: a bundle whose attestation documents carry one of
 * these entries was made by the image built from that release's source
 * (scripts/build-eif.sh reproduces it).  A bundle whose PCRs are in neither
 * this table nor the user's --pcr values fails verification. */
#ifndef NS_APP_RELEASES_H
#define NS_APP_RELEASES_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *version; /* nitrosetup version */
    const char *arch;    /* "x86_64", "aarch64" */
    const char *pcr[3];  /* 96 lower-case hex digits each */
} ns_release_image;

const ns_release_image *ns_release_table(size_t *n);
/* The entry of the compiled-in table whose PCR0, PCR1 and PCR2 all equal
 * pcrs[0..2], or NULL. */
const ns_release_image *ns_release_by_pcrs(const uint8_t pcrs[3][48]);
/* The same lookup in any table of n entries (tests use their own); an
 * entry whose hex is malformed never matches. */
const ns_release_image *ns_release_find(const ns_release_image *table, size_t n, const uint8_t pcrs[3][48]);

#endif
