/* The iden3 "binfile" container shared by .r1cs, .ptau, .zkey and .wtns:
 *
 *   magic[4] · u32 version · u32 nSections · nSections × { u32 id, u64 size, payload }
 *
 * all little-endian, no padding (docs/snarkjs-formats.md).  The reader works on a
 * byte range (normally a memory-mapped file, see ns_binfile_open) and never
 * trusts a size: every section header and payload is checked against the
 * end of the input, offsets are 64-bit.  Section ids may appear in any
 * physical order; ids 1..NS_BINFILE_MAX_ID are indexed (a duplicate is only
 * an error when that section is asked for, as in snarkjs), other ids are
 * skipped.
 *
 * The writer emits the same layout through ns_outfile (atomic: nothing is
 * left behind unless ns_binwriter_commit succeeds), back-patching each
 * section size when the section ends, as snarkjs does. */
#ifndef NS_FORMATS_BINFILE_H
#define NS_FORMATS_BINFILE_H

#include <stdint.h>

#include "util/error.h"
#include "util/mapfile.h"
#include "util/outfile.h"

#define NS_BINFILE_MAX_ID 31
#define NS_BINFILE_MAX_ORDER 64 /* physical order remembered for `info` */

typedef struct {
    uint64_t offset;  /* payload offset in the file */
    uint64_t size;    /* payload size */
    uint32_t count;   /* occurrences of this id (0 = missing, >1 = duplicated) */
} ns_binfile_section;

typedef struct {
    const uint8_t *data;
    uint64_t size;
    const char *path;     /* for error messages (borrowed) */
    char magic[5];
    uint32_t version;
    uint32_t nsections;   /* declared == found (checked) */
    ns_binfile_section sec[NS_BINFILE_MAX_ID + 1];
    uint32_t norder;      /* min(nsections, NS_BINFILE_MAX_ORDER) */
    uint32_t order[NS_BINFILE_MAX_ORDER]; /* ids in physical order */
    uint64_t end;         /* offset just past the last section */
} ns_binfile;

/* Parses the container in data[0..size).  magic is the expected 4-byte type
 * ("r1cs", "ptau", "zkey"); versions 1..max_version are accepted.  path only
 * names the input in messages.  Errors: "<path>: not a <magic> file (bad
 * magic)", "<path>: unsupported <magic> version N", "<path>: section header
 * K (id I) truncated", "<path>: section I (size S) extends past the end of
 * the file". */
int ns_binfile_parse(ns_binfile *bf, const uint8_t *data, uint64_t size, const char *path,
                     const char *magic, uint32_t max_version, ns_error *err);

/* ns_mapfile_open + ns_binfile_parse.  On failure the map is closed. */
int ns_binfile_open(ns_binfile *bf, ns_mapfile *map, const char *path, const char *magic,
                    uint32_t max_version, ns_error *err);

/* The payload of the unique section id: "<path>: missing section I" /
 * "<path>: section I duplicated". */
int ns_binfile_get(const ns_binfile *bf, uint32_t id, const uint8_t **payload, uint64_t *size,
                   ns_error *err);
/* 1 if the section is present exactly once. */
int ns_binfile_has(const ns_binfile *bf, uint32_t id);

/* Little-endian loads (no bounds checks: callers check first). */
static inline uint32_t ns_le32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t ns_le64(const uint8_t *p) { return ns_le32(p) | (uint64_t)ns_le32(p + 4) << 32; }
static inline void ns_put_le32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}
static inline void ns_put_le64(uint8_t *p, uint64_t v) {
    ns_put_le32(p, (uint32_t)v);
    ns_put_le32(p + 4, (uint32_t)(v >> 32));
}

/* A bounded cursor over a payload, for the format parsers. */
typedef struct {
    const uint8_t *p;
    uint64_t left;
} ns_cursor;

static inline int ns_cursor_take(ns_cursor *c, uint64_t n, const uint8_t **out) {
    if (n > c->left) return -1;
    *out = c->p;
    c->p += n;
    c->left -= n;
    return 0;
}
static inline int ns_cursor_u32(ns_cursor *c, uint32_t *v) {
    const uint8_t *p;
    if (ns_cursor_take(c, 4, &p) != 0) return -1;
    *v = ns_le32(p);
    return 0;
}
static inline int ns_cursor_u64(ns_cursor *c, uint64_t *v) {
    const uint8_t *p;
    if (ns_cursor_take(c, 8, &p) != 0) return -1;
    *v = ns_le64(p);
    return 0;
}

/* ---- writer ---- */
typedef struct {
    ns_outfile out;
    const char *path;       /* borrowed */
    int64_t section_start;  /* offset of the open section's size field, or -1 */
    uint64_t section_bytes; /* payload bytes written into the open section */
    uint32_t declared;      /* declared number of sections */
    uint32_t written;       /* sections ended so far */
    int open;
} ns_binwriter;

/* Creates path's temporary file and writes magic, version and the declared
 * section count. */
int ns_binwriter_open(ns_binwriter *w, const char *path, const char *magic, uint32_t version,
                      uint32_t nsections, ns_error *err);
int ns_binwriter_begin(ns_binwriter *w, uint32_t id, ns_error *err);
int ns_binwriter_write(ns_binwriter *w, const void *data, uint64_t n, ns_error *err);
int ns_binwriter_u32(ns_binwriter *w, uint32_t v, ns_error *err);
int ns_binwriter_end(ns_binwriter *w, ns_error *err);
/* Whole section copied verbatim from a parsed input (re-emits the header). */
int ns_binwriter_copy(ns_binwriter *w, const ns_binfile *in, uint32_t id, ns_error *err);
/* Checks that every declared section was written, then renames into place. */
int ns_binwriter_commit(ns_binwriter *w, ns_error *err);
void ns_binwriter_abort(ns_binwriter *w);

#endif
