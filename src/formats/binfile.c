#include "formats/binfile.h"

#include <string.h>

int ns_binfile_parse(ns_binfile *bf, const uint8_t *data, uint64_t size, const char *path,
                     const char *magic, uint32_t max_version, ns_error *err) {
    memset(bf, 0, sizeof *bf);
    bf->data = data;
    bf->size = size;
    bf->path = path;
    if (size < 12) {
        if (size >= 4 && memcmp(data, magic, 4) != 0)
            return ns_error_set(err, "%s: not a %s file (bad magic)", path, magic);
        return ns_error_set(err, "%s: truncated %s header (%llu bytes)", path, magic,
                            (unsigned long long)size);
    }
    if (memcmp(data, magic, 4) != 0) return ns_error_set(err, "%s: not a %s file (bad magic)", path, magic);
    memcpy(bf->magic, data, 4);
    bf->version = ns_le32(data + 4);
    bf->nsections = ns_le32(data + 8);
    if (bf->version < 1 || bf->version > max_version)
        return ns_error_set(err, "%s: unsupported %s version %u", path, magic, bf->version);
    uint64_t off = 12;
    for (uint32_t k = 0; k < bf->nsections; k++) {
        if (size - off < 12)
            return ns_error_set(err, "%s: section header %u of %u truncated (file has %llu bytes)", path,
                                k + 1, bf->nsections, (unsigned long long)size);
        uint32_t id = ns_le32(data + off);
        uint64_t len = ns_le64(data + off + 4);
        off += 12;
        if (len > size - off)
            return ns_error_set(err, "%s: section %u (%llu bytes at offset %llu) extends past the end of the file",
                                path, id, (unsigned long long)len, (unsigned long long)off);
        if (id >= 1 && id <= NS_BINFILE_MAX_ID) {
            ns_binfile_section *s = &bf->sec[id];
            if (s->count == 0) {
                s->offset = off;
                s->size = len;
            }
            if (s->count < UINT32_MAX) s->count++;
        }
        if (k < NS_BINFILE_MAX_ORDER) bf->order[bf->norder++] = id;
        off += len;
    }
    bf->end = off;
    return 0;
}

int ns_binfile_open(ns_binfile *bf, ns_mapfile *map, const char *path, const char *magic,
                    uint32_t max_version, ns_error *err) {
    if (ns_mapfile_open(map, path, err) != 0) return -1;
    if (ns_binfile_parse(bf, map->data, map->size, path, magic, max_version, err) != 0) {
        ns_mapfile_close(map);
        return -1;
    }
    return 0;
}

int ns_binfile_get(const ns_binfile *bf, uint32_t id, const uint8_t **payload, uint64_t *size,
                   ns_error *err) {
    if (id < 1 || id > NS_BINFILE_MAX_ID || bf->sec[id].count == 0)
        return ns_error_set(err, "%s: missing section %u", bf->path, id);
    if (bf->sec[id].count > 1) return ns_error_set(err, "%s: section %u duplicated", bf->path, id);
    *payload = bf->data + bf->sec[id].offset;
    *size = bf->sec[id].size;
    return 0;
}

int ns_binfile_has(const ns_binfile *bf, uint32_t id) {
    return id >= 1 && id <= NS_BINFILE_MAX_ID && bf->sec[id].count == 1;
}

/* ---- writer ---- */

int ns_binwriter_open(ns_binwriter *w, const char *path, const char *magic, uint32_t version,
                      uint32_t nsections, ns_error *err) {
    memset(w, 0, sizeof *w);
    w->path = path;
    w->section_start = -1;
    w->declared = nsections;
    if (ns_outfile_open(&w->out, path, err) != 0) return -1;
    w->open = 1;
    uint8_t hdr[12];
    memcpy(hdr, magic, 4);
    ns_put_le32(hdr + 4, version);
    ns_put_le32(hdr + 8, nsections);
    if (ns_outfile_write(&w->out, hdr, sizeof hdr, err) != 0) {
        ns_binwriter_abort(w);
        return -1;
    }
    return 0;
}

int ns_binwriter_begin(ns_binwriter *w, uint32_t id, ns_error *err) {
    if (w->section_start >= 0) return ns_error_set(err, "%s: internal error: section still open", w->path);
    uint8_t hdr[12] = {0};
    ns_put_le32(hdr, id);
    w->section_start = ns_outfile_tell(&w->out) + 4;
    w->section_bytes = 0;
    return ns_outfile_write(&w->out, hdr, sizeof hdr, err);
}

int ns_binwriter_write(ns_binwriter *w, const void *data, uint64_t n, ns_error *err) {
    const uint8_t *p = data;
    while (n > 0) { /* fwrite takes size_t; keep chunks moderate */
        size_t chunk = n > (1u << 30) ? (1u << 30) : (size_t)n;
        if (ns_outfile_write(&w->out, p, chunk, err) != 0) return -1;
        p += chunk;
        n -= chunk;
        w->section_bytes += chunk;
    }
    return 0;
}

int ns_binwriter_u32(ns_binwriter *w, uint32_t v, ns_error *err) {
    uint8_t b[4];
    ns_put_le32(b, v);
    return ns_binwriter_write(w, b, 4, err);
}

int ns_binwriter_end(ns_binwriter *w, ns_error *err) {
    if (w->section_start < 0) return ns_error_set(err, "%s: internal error: no open section", w->path);
    int64_t here = ns_outfile_tell(&w->out);
    uint8_t b[8];
    ns_put_le64(b, w->section_bytes);
    if (ns_outfile_seek(&w->out, (uint64_t)w->section_start, err) != 0 ||
        ns_outfile_write(&w->out, b, 8, err) != 0 || ns_outfile_seek(&w->out, (uint64_t)here, err) != 0)
        return -1;
    w->section_start = -1;
    w->written++;
    ns_outfile_start_writeback(&w->out); /* the disk catches up while the next section is computed */
    return 0;
}

int ns_binwriter_copy(ns_binwriter *w, const ns_binfile *in, uint32_t id, ns_error *err) {
    const uint8_t *p = NULL;
    uint64_t n = 0;
    if (ns_binfile_get(in, id, &p, &n, err) != 0) return -1;
    if (ns_binwriter_begin(w, id, err) != 0 || ns_binwriter_write(w, p, n, err) != 0) return -1;
    return ns_binwriter_end(w, err);
}

int ns_binwriter_commit(ns_binwriter *w, ns_error *err) {
    if (!w->open) return ns_error_set(err, "%s: internal error: writer not open", w->path);
    if (w->section_start >= 0 || w->written != w->declared) {
        ns_error_set(err, "%s: internal error: %u of %u sections written", w->path, w->written, w->declared);
        ns_binwriter_abort(w);
        return -1;
    }
    w->open = 0;
    return ns_outfile_commit(&w->out, err);
}

void ns_binwriter_abort(ns_binwriter *w) {
    if (w->open) ns_outfile_abort(&w->out);
    w->open = 0;
}
