/* Enclave Image File (EIF) measurement, offline.
 *
 * Layout (big-endian): a 548-byte header (magic ".eif", version, flags,
 * default_mem, default_cpus, reserved, num_sections, section_offsets[32],
 * section_sizes[32], unused, crc32) followed back to back by sections,
 * each a 12-byte header {type u16, flags u16, size u64} and its data.
 *   PCR0 = extend(kernel || cmdline || ramdisk_1 || ... || ramdisk_n)
 *   PCR1 = extend(kernel || cmdline || ramdisk_1)
 *   PCR2 = extend(ramdisk_2 || ... || ramdisk_n)
 *   PCR8 = extend(DER of the signing certificate)     (signed images only)
 * with extend(stream) = SHA384(0^48 || SHA384(stream)).  The metadata
 * section is not measured.  The file is checked strictly: magic, version
 * 1..4, section table consistent with the section headers, sections back to
 * back to the end of the file, known types, exactly one kernel and one
 * cmdline before the ramdisks, at least one ramdisk, CRC32 (versions >= 2). */
#ifndef NS_NITRO_EIF_H
#define NS_NITRO_EIF_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_EIF_HEADER_LEN 548
#define NS_EIF_MAX_SECTIONS 32

typedef struct {
    uint16_t version, flags;
    uint64_t default_mem, default_cpus;
    uint16_t num_sections;
    unsigned nramdisks;
    int has_metadata;
    int has_crc;            /* version >= 2 */
    uint32_t crc32;         /* stored = computed when has_crc */
    int is_signed;          /* signature section present: pcr8 valid */
    int signature_pcr0_ok;  /* signed image: the signed register_value equals PCR0 */
    int signature_valid;    /* signed image: the COSE signature (ES256/384/512) verifies
                             * with the signing certificate's key (not its chain: PCR8
                             * pins the certificate itself) */
    uint8_t pcr0[48], pcr1[48], pcr2[48], pcr8[48];
} ns_eif_measurement;

/* Measures an image in memory. */
int ns_eif_measure(ns_eif_measurement *m, const uint8_t *data, size_t n, ns_error *err);
/* Maps and measures a file; errors are prefixed with the path. */
int ns_eif_measure_file(ns_eif_measurement *m, const char *path, ns_error *err);

/* SHA384(0^48 || SHA384(data)): `nitro-cli pcr --input` on a byte string. */
void ns_eif_pcr_of_bytes(uint8_t out[48], const uint8_t *data, size_t n);
/* SHA384(old || data): one PCR extension. */
void ns_eif_pcr_extend(uint8_t pcr[48], const uint8_t *data, size_t n);

/* CRC-32 (zlib / ISO-HDLC) continuing from crc (start with 0). */
uint32_t ns_eif_crc32(uint32_t crc, const uint8_t *p, size_t n);

#endif
