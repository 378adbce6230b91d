/* Writing an Enclave Image File (the layout in nitro/eif.h), as nitro-cli's
 * EifBuilder lays it out: version 4; flags 0 (x86_64) or 1 (aarch64);
 * default_mem 1 GiB and default_cpus 2 (not measured; run-enclave takes
 * its own values); sections kernel, cmdline, metadata, ramdisk 1..n, back
 * to back from offset 548; CRC32 over the header's first 544 bytes and
 * every section header and its data.
 *
 * The metadata section (not measured) holds nitro-cli's keys, all present
 * and deterministic: ImageName, ImageVersion, BuildMetadata {BuildTime,
 * BuildTool, BuildToolVersion, OperatingSystem, KernelVersion}, DockerInfo
 * (null) and CustomMetadata; compact JSON in that order.  Nothing of the
 * time of the build or the machine goes in unless the caller puts it in,
 * so the same inputs give the same file. */
#ifndef NS_NITRO_EIF_WRITE_H
#define NS_NITRO_EIF_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "nitro/eif.h"
#include "util/error.h"

#define NS_EIF_MAX_RAMDISKS 8

typedef struct {
    const char *image_name, *image_version;
    const char *build_time;         /* e.g. "2026-12-07T15:00:00+00:00" */
    const char *build_tool, *build_tool_version;
    const char *operating_system, *kernel_version;
    const char *custom_json;        /* a JSON value for CustomMetadata, or NULL for null */
} ns_eif_metadata;

typedef struct {
    int aarch64;
    const uint8_t *kernel;
    size_t kernel_len;
    const char *cmdline;            /* written trimmed of leading/trailing white space, as nitro-cli does */
    const uint8_t *ramdisk[NS_EIF_MAX_RAMDISKS];
    size_t ramdisk_len[NS_EIF_MAX_RAMDISKS];
    int nramdisks;                  /* >= 1; the first is the bootstrap ramdisk (PCR1) */
    ns_eif_metadata meta;
} ns_eif_image;

/* Writes the image to path atomically (temporary file + rename).  pcr0..2
 * (may be NULL) receive the measurements computed while writing, size the
 * file size. */
int ns_eif_write(const char *path, const ns_eif_image *img, uint8_t pcrs[3][48], uint64_t *size, ns_error *err);

/* The smallest enclave memory nitro-cli accepts for an image of this size,
 * in MiB: at least 4 x the file size (run-enclave's rule, error E26),
 * rounded up to whole MiB, and at least 64 MiB (the driver's minimum). */
uint64_t ns_eif_min_memory_mib(uint64_t eif_size);

/* The cmdline as nitro-cli stores it: s without leading and trailing white
 * space (space, \t, \n, \v, \f, \r); returns its length, start in *start. */
size_t ns_eif_trim_cmdline(const char *s, const char **start);

#endif
