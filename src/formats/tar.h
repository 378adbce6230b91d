/* Canonical ustar archives: the one form the circuit bundle uses (regular
 * files only, mode 0644, uid/gid 0, mtime 0, no user or group names, names
 * under 100 bytes, zero padding, two zero blocks at the end).  The reader
 * accepts exactly what the writer produces: every header must equal the
 * canonical header for its name and size. */
#ifndef NS_FORMATS_TAR_H
#define NS_FORMATS_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/outfile.h"

#define NS_TAR_BLOCK 512
#define NS_TAR_NAME_MAX 99

/* Writes one entry (header, data, padding). */
int ns_tar_put(ns_outfile *o, const char *name, const uint8_t *data, size_t n, ns_error *err);
/* Writes the two end-of-archive blocks. */
int ns_tar_end(ns_outfile *o, ns_error *err);

typedef struct {
    const uint8_t *d;
    uint64_t size, off;
    uint64_t max_entry;  /* largest entry accepted */
    const char *what;    /* file name for errors */
    int idx;
} ns_tar_reader;

typedef struct {
    char name[NS_TAR_NAME_MAX + 1];
    const uint8_t *data;
    uint64_t size;
} ns_tar_entry;

void ns_tar_reader_init(ns_tar_reader *r, const uint8_t *d, uint64_t size, uint64_t max_entry, const char *what);
/* The next entry: 1, 0 at a valid end of archive (nothing after it), -1
 * with err on anything non-canonical. */
int ns_tar_next(ns_tar_reader *r, ns_tar_entry *e, ns_error *err);

#endif
