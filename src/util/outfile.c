#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/interrupt.h"

int ns_outfile_open(ns_outfile *out, const char *path, ns_error *err) {
    memset(out, 0, sizeof *out);
    out->fd = -1;
    out->intr_slot = -1;
    size_t len = strlen(path);
    out->path = strdup(path);
    out->tmp_path = malloc(len + 16);
    if (out->path == NULL || out->tmp_path == NULL) {
        free(out->path);
        free(out->tmp_path);
        return ns_error_set(err, "%s: out of memory", path);
    }
    snprintf(out->tmp_path, len + 16, "%s.tmp.XXXXXX", path);
    out->fd = mkstemp(out->tmp_path);
    if (out->fd < 0) {
        int e = errno;
        free(out->path);
        free(out->tmp_path);
        out->path = out->tmp_path = NULL;
        return ns_error_set(err, "%s: cannot create: %s", path, strerror(e));
    }
    out->intr_slot = ns_interrupt_track_file(out->tmp_path);
    fchmod(out->fd, 0644);
    out->fp = fdopen(out->fd, "w+b");
    if (out->fp == NULL) {
        ns_outfile_abort(out);
        return ns_error_set(err, "%s: cannot open stream", path);
    }
    setvbuf(out->fp, NULL, _IOFBF, 1 << 20);
    return 0;
}

int ns_outfile_write(ns_outfile *out, const void *data, size_t n, ns_error *err) {
    if (n > 0 && fwrite(data, 1, n, out->fp) != n)
        return ns_error_set(err, "%s: write failed: %s", out->path, strerror(errno));
    return 0;
}

int ns_outfile_seek(ns_outfile *out, uint64_t offset, ns_error *err) {
    if (fseeko(out->fp, (off_t)offset, SEEK_SET) != 0)
        return ns_error_set(err, "%s: seek failed: %s", out->path, strerror(errno));
    return 0;
}

int64_t ns_outfile_tell(ns_outfile *out) { return (int64_t)ftello(out->fp); }

void ns_outfile_start_writeback(ns_outfile *out) {
    if (out->fp == NULL || fflush(out->fp) != 0) return; /* a real error shows again at commit */
#ifdef __linux__
    (void)sync_file_range(out->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

int ns_outfile_commit(ns_outfile *out, ns_error *err) {
    if (out->fp == NULL) return ns_error_set(err, "outfile: not open");
    if (fflush(out->fp) != 0 || fsync(out->fd) != 0) {
        int e = errno;
        ns_error_set(err, "%s: write failed: %s", out->path, strerror(e));
        ns_outfile_abort(out);
        return -1;
    }
    fclose(out->fp);
    out->fp = NULL;
    out->fd = -1;
    if (rename(out->tmp_path, out->path) != 0) {
        int e = errno;
        ns_error_set(err, "%s: cannot rename into place: %s", out->path, strerror(e));
        unlink(out->tmp_path);
        ns_interrupt_untrack(out->intr_slot);
        out->intr_slot = -1;
        free(out->path);
        free(out->tmp_path);
        out->path = out->tmp_path = NULL;
        return -1;
    }
    ns_interrupt_untrack(out->intr_slot);
    out->intr_slot = -1;
    free(out->path);
    free(out->tmp_path);
    out->path = out->tmp_path = NULL;
    return 0;
}

void ns_outfile_abort(ns_outfile *out) {
    if (out->fp != NULL) fclose(out->fp);
    else if (out->fd >= 0) close(out->fd);
    if (out->tmp_path != NULL) {
        unlink(out->tmp_path);
        ns_interrupt_untrack(out->intr_slot);
    }
    out->intr_slot = -1;
    free(out->path);
    free(out->tmp_path);
    out->fp = NULL;
    out->fd = -1;
    out->path = out->tmp_path = NULL;
}

int ns_write_file_atomic(const char *path, const void *data, size_t n, ns_error *err) {
    ns_outfile out;
    if (ns_outfile_open(&out, path, err) != 0) return -1;
    if (ns_outfile_write(&out, data, n, err) != 0) {
        ns_outfile_abort(&out);
        return -1;
    }
    return ns_outfile_commit(&out, err);
}
