#include "formats/tar.h"

#include <string.h>

static void octal(char *dst, size_t width, uint64_t v) {
    /* width-1 octal digits then NUL */
    dst[width - 1] = 0;
    for (size_t i = width - 1; i > 0; i--) {
        dst[i - 1] = (char)('0' + (v & 7));
        v >>= 3;
    }
}

static void header(uint8_t h[NS_TAR_BLOCK], const char *name, uint64_t size) {
    memset(h, 0, NS_TAR_BLOCK);
    memcpy(h, name, strlen(name));
    octal((char *)h + 100, 8, 0644);
    octal((char *)h + 108, 8, 0);
    octal((char *)h + 116, 8, 0);
    octal((char *)h + 124, 12, size);
    octal((char *)h + 136, 12, 0);
    memset(h + 148, ' ', 8);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    unsigned sum = 0;
    for (int i = 0; i < NS_TAR_BLOCK; i++) sum += h[i];
    octal((char *)h + 148, 7, sum);
    h[155] = ' ';
}

static const uint8_t ZERO[2 * NS_TAR_BLOCK];

int ns_tar_put(ns_outfile *o, const char *name, const uint8_t *data, size_t n, ns_error *err) {
    if (strlen(name) == 0 || strlen(name) > NS_TAR_NAME_MAX) return ns_error_set(err, "%s: name too long for ustar", name);
    uint8_t h[NS_TAR_BLOCK];
    header(h, name, n);
    if (ns_outfile_write(o, h, NS_TAR_BLOCK, err) != 0 || ns_outfile_write(o, data, n, err) != 0) return -1;
    size_t pad = (NS_TAR_BLOCK - n % NS_TAR_BLOCK) % NS_TAR_BLOCK;
    return ns_outfile_write(o, ZERO, pad, err);
}

int ns_tar_end(ns_outfile *o, ns_error *err) { return ns_outfile_write(o, ZERO, sizeof ZERO, err); }

void ns_tar_reader_init(ns_tar_reader *r, const uint8_t *d, uint64_t size, uint64_t max_entry, const char *what) {
    memset(r, 0, sizeof *r);
    r->d = d;
    r->size = size;
    r->max_entry = max_entry;
    r->what = what;
}

int ns_tar_next(ns_tar_reader *r, ns_tar_entry *e, ns_error *err) {
    if (r->size - r->off < NS_TAR_BLOCK) return ns_error_set(err, "%s: truncated (no end-of-archive blocks)", r->what);
    const uint8_t *h = r->d + r->off;
    if (memcmp(h, ZERO, NS_TAR_BLOCK) == 0) {
        if (r->size - r->off != 2 * NS_TAR_BLOCK)
            return ns_error_set(err, "%s: unexpected data after the end of the archive", r->what);
        if (memcmp(h + NS_TAR_BLOCK, ZERO, NS_TAR_BLOCK) != 0)
            return ns_error_set(err, "%s: bad end-of-archive block", r->what);
        return 0;
    }
    memcpy(e->name, h, 100 > sizeof e->name ? sizeof e->name : 100);
    size_t nl = strnlen((const char *)h, 100);
    if (nl == 0 || nl > NS_TAR_NAME_MAX) return ns_error_set(err, "%s: entry %d: bad name", r->what, r->idx);
    e->name[nl] = 0;
    /* The size is parsed, then the whole header must equal the canonical one. */
    uint64_t fsz = 0;
    for (int i = 0; i < 11; i++) {
        char c = (char)h[124 + i];
        if (c < '0' || c > '7') return ns_error_set(err, "%s: entry %s: bad size field", r->what, e->name);
        fsz = fsz * 8 + (uint64_t)(c - '0');
    }
    uint8_t canon[NS_TAR_BLOCK];
    header(canon, e->name, fsz);
    if (memcmp(canon, h, NS_TAR_BLOCK) != 0)
        return ns_error_set(err, "%s: entry %s: header is not in canonical form", r->what, e->name);
    r->off += NS_TAR_BLOCK;
    uint64_t padded = (fsz + NS_TAR_BLOCK - 1) / NS_TAR_BLOCK * NS_TAR_BLOCK;
    if (fsz > r->max_entry || padded > r->size - r->off)
        return ns_error_set(err, "%s: entry %s: size %llu out of range", r->what, e->name, (unsigned long long)fsz);
    for (uint64_t i = fsz; i < padded; i++)
        if (r->d[r->off + i] != 0) return ns_error_set(err, "%s: entry %s: non-zero padding", r->what, e->name);
    e->data = r->d + r->off;
    e->size = fsz;
    r->off += padded;
    r->idx++;
    return 1;
}
