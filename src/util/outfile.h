/* Atomic output files: write to "<path>.tmp.XXXXXX" in the same directory,
 * then fsync and rename over <path> on commit.  An aborted (or never
 * committed) file is unlinked, so a failed command leaves no partial output;
 * the temporary file is also tracked for util/interrupt.h, so an interrupted
 * command leaves none either. */
#ifndef NS_UTIL_OUTFILE_H
#define NS_UTIL_OUTFILE_H

#include <stdint.h>
#include <stdio.h>

#include "util/error.h"

typedef struct {
    FILE *fp;         /* buffered stream; write with fwrite or ns_outfile_write */
    int fd;
    char *path;       /* final name */
    char *tmp_path;   /* temporary name */
    int intr_slot;    /* util/interrupt.h tracking of tmp_path, or -1 */
} ns_outfile;

int ns_outfile_open(ns_outfile *out, const char *path, ns_error *err);
int ns_outfile_write(ns_outfile *out, const void *data, size_t n, ns_error *err);
/* Seek within the temporary file (used to back-patch section sizes). */
int ns_outfile_seek(ns_outfile *out, uint64_t offset, ns_error *err);
int64_t ns_outfile_tell(ns_outfile *out);
/* Best effort, never fails: hands what was written so far to the kernel and
 * starts its write-out to disk without waiting (Linux sync_file_range; a
 * no-op elsewhere), so that the fsync of ns_outfile_commit has less left to
 * wait for.  Writers call it between large pieces of output. */
void ns_outfile_start_writeback(ns_outfile *out);
/* Flush, fsync, rename into place.  On failure the temp file is removed. */
int ns_outfile_commit(ns_outfile *out, ns_error *err);
/* Discard: close and unlink the temp file.  Safe to call after commit. */
void ns_outfile_abort(ns_outfile *out);

/* Convenience: write a whole buffer atomically. */
int ns_write_file_atomic(const char *path, const void *data, size_t n, ns_error *err);

#endif
