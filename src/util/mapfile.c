#include "util/mapfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int map_open(ns_mapfile *m, const char *path, int consume, ns_error *err) {
    memset(m, 0, sizeof *m);
    m->path = path;
    m->fd = -1;
    int fd = open(path, (consume ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return ns_error_set(err, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ns_error_set(err, "%s: not a regular file", path);
    }
    m->size = (uint64_t)st.st_size;
    if (m->size > 0) {
        void *p = mmap(NULL, (size_t)m->size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            close(fd);
            return ns_error_set(err, "%s: mmap failed: %s", path, strerror(e));
        }
        m->data = p;
    }
    if (consume) {
        m->consume = 1;
        m->fd = fd;
    } else {
        close(fd);
    }
    return 0;
}

int ns_mapfile_open(ns_mapfile *m, const char *path, ns_error *err) { return map_open(m, path, 0, err); }

int ns_mapfile_open_consume(ns_mapfile *m, const char *path, ns_error *err) { return map_open(m, path, 1, err); }

void ns_mapfile_close(ns_mapfile *m) {
    if (m->data != NULL) munmap((void *)m->data, (size_t)m->size);
    if (m->consume && m->fd >= 0) close(m->fd);
    m->consume = 0;
    m->fd = -1;
    m->data = NULL;
    m->size = 0;
}

static void advise(const ns_mapfile *m, uint64_t off, uint64_t len, int advice) {
    if (m->data == NULL || off >= m->size) return;
    if (len > m->size - off) len = m->size - off;
    long page = sysconf(_SC_PAGESIZE);
    uint64_t start = off & ~(uint64_t)(page - 1);
    madvise((void *)(m->data + start), (size_t)(len + (off - start)), advice);
}

void ns_mapfile_release(const ns_mapfile *m, uint64_t off, uint64_t len) {
    advise(m, off, len, MADV_DONTNEED);
    if (!m->consume || m->fd < 0 || off >= m->size) return;
    if (len > m->size - off) len = m->size - off;
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t lo = (off + page - 1) & ~(page - 1), hi = (off + len) & ~(page - 1);
    if (off + len == m->size) hi = off + len; /* the file's last partial page too */
    if (lo < hi) (void)fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)lo, (off_t)(hi - lo));
}

void ns_mapfile_willneed(const ns_mapfile *m, uint64_t off, uint64_t len) {
    advise(m, off, len, MADV_WILLNEED);
}
