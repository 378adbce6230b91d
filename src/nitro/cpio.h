/* newc ("070701") cpio archives in memory, encoded the way linuxkit's
 * vendored gocpio writes them, which is how nitro-cli makes both ramdisks
 * of an enclave image:
 *   - inode numbers count from 721, one per entry including the trailer;
 *   - mode = (permissions & 07777) | file type; nlink 2 for a directory,
 *     1 otherwise; dev 3:1 on every entry, rdev 0:0; check 0;
 *   - lower-case hex; the name and its NUL, and the data, padded to 4;
 *   - a "TRAILER!!!" entry (mode 0, mtime 0) and zero padding to a
 *     multiple of 512 bytes.
 * The caller chooses names, order, owners, modes and times (nitro/ramdisk.h
 * makes the canonical choices). */
#ifndef NS_NITRO_CPIO_H
#define NS_NITRO_CPIO_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define NS_CPIO_FIRST_INO 721u
/* linuxkit's default file time (2017-04-18 16:30:00 UTC). */
#define NS_CPIO_LINUXKIT_MTIME 1492533000u

typedef enum { NS_CPIO_FILE, NS_CPIO_DIR, NS_CPIO_SYMLINK } ns_cpio_type;

typedef struct {
    uint8_t *data;
    size_t len, cap;
    uint32_t ino;
    int finished;
} ns_cpio;

void ns_cpio_init(ns_cpio *c);
/* Appends one entry.  data is the file content or the symlink target
 * (NULL/0 for a directory).  perm is masked to 07777. */
int ns_cpio_add(ns_cpio *c, const char *name, ns_cpio_type type, uint32_t perm, uint32_t uid, uint32_t gid,
                uint32_t mtime, const void *data, size_t len, ns_error *err);
/* Appends the trailer and the padding to 512; no entry may follow. */
int ns_cpio_finish(ns_cpio *c, ns_error *err);
void ns_cpio_free(ns_cpio *c);

#endif
