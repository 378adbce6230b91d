/* Read-only memory-mapped input files.  Large inputs (ptau, zkey) are
 * mapped, never read whole into anonymous memory; the kernel pages them in
 * and out, so resident memory does not grow with the file size. */
#ifndef NS_UTIL_MAPFILE_H
#define NS_UTIL_MAPFILE_H

#include <stdint.h>

#include "util/error.h"

typedef struct {
    const uint8_t *data; /* NULL for an empty file */
    uint64_t size;
    const char *path;    /* borrowed: the caller's string */
    int consume, fd;     /* ns_mapfile_open_consume: release frees storage through fd */
} ns_mapfile;

int ns_mapfile_open(ns_mapfile *m, const char *path, ns_error *err);
void ns_mapfile_close(ns_mapfile *m);
/* For an input its caller deletes afterwards (the enclave's keys, which live
 * in RAM): like ns_mapfile_open, but ns_mapfile_release also frees the file's
 * storage of the whole pages in the range (fallocate PUNCH_HOLE; where the
 * filesystem cannot, the storage stays until the file is deleted).  The file
 * is then unusable: released ranges read as zeros. */
int ns_mapfile_open_consume(ns_mapfile *m, const char *path, ns_error *err);
/* Hint that [off, off+len) is no longer needed (MADV_DONTNEED). */
void ns_mapfile_release(const ns_mapfile *m, uint64_t off, uint64_t len);
/* Hint sequential access of [off, off+len) (MADV_WILLNEED). */
void ns_mapfile_willneed(const ns_mapfile *m, uint64_t off, uint64_t len);

#endif
