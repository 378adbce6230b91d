#include "formats/ptau.h"

#include <stdlib.h>
#include <string.h>

#include "ff/bn254_consts.h"
#include "formats/r1cs.h"
#include "util/outfile.h"

static uint64_t point_size(uint32_t id);
static int is_point_section(uint32_t id) { return (id >= 2 && id <= 6) || (id >= 12 && id <= 15); }
static int parse_windows(ns_ptau *pt, ns_error *err);

int ns_ptau_parse(ns_ptau *pt, const uint8_t *data, uint64_t size, const char *path, ns_error *err) {
    memset(pt, 0, sizeof *pt);
    if (ns_binfile_parse(&pt->bf, data, size, path, "ptau", 1, err) != 0) return -1;
    const uint8_t *h;
    uint64_t hlen;
    if (ns_binfile_get(&pt->bf, 1, &h, &hlen, err) != 0) return -1;
    if (hlen < 4) return ns_error_set(err, "%s: section 1 (header) truncated", path);
    pt->n8 = ns_le32(h);
    if (pt->n8 != 32 || hlen < 4 + 32 + 4)
        return ns_error_set(err, "%s: unsupported curve (field size %u bytes; only BN254 is supported)", path,
                            pt->n8);
    if (memcmp(h + 4, bn254_q_le, 32) != 0)
        return ns_error_set(err, "%s: unsupported curve (prime is not BN254 q)", path);
    pt->power = ns_le32(h + 36);
    if (hlen == 44) pt->ceremony_power = ns_le32(h + 40);
    else if (hlen != 40)
        return ns_error_set(err, "%s: section 1 (header) has %llu bytes, expected 44", path,
                            (unsigned long long)hlen);
    if (pt->power < 1 || pt->power > NS_PTAU_MAX_POWER)
        return ns_error_set(err, "%s: invalid power %u (must be 1..%d)", path, pt->power, NS_PTAU_MAX_POWER);
    pt->prepared = 1;
    for (uint32_t id = 12; id <= 15; id++)
        if (pt->bf.sec[id].count == 0) pt->prepared = 0;
    for (uint32_t id = 0; id < 16; id++) pt->win_orig[id] = pt->bf.sec[id].size;
    if (pt->bf.sec[NS_PTAU_SEC_WINDOWS].count != 0) return parse_windows(pt, err);
    const ns_binfile_section *s2 = &pt->bf.sec[2];
    if (s2->count == 1 && s2->offset + s2->size + 64 <= size) pt->after_tau_g1 = data + s2->offset + s2->size;
    return 0;
}

const uint8_t *ns_ptau_after_tau_g1(const ns_ptau *pt) { return pt->after_tau_g1; }

/* Section 31 of a reduced copy: see ptau.h. */
static int parse_windows(ns_ptau *pt, ns_error *err) {
    const uint8_t *p;
    uint64_t len;
    if (ns_binfile_get(&pt->bf, NS_PTAU_SEC_WINDOWS, &p, &len, err) != 0) return -1;
    if (len < 80 || ns_le32(p) != 1 || ns_le32(p + 4) > NS_PTAU_MAX_POWER || (ns_le32(p + 8) != 0 && ns_le32(p + 8) != 64))
        return ns_error_set(err, "%s: section 31 (reduced-copy windows) malformed", pt->bf.path);
    pt->reduced = 1;
    pt->reduced_log2n = ns_le32(p + 4);
    pt->after_tau_g1 = ns_le32(p + 8) == 64 ? p + 12 : NULL;
    uint32_t count = ns_le32(p + 76);
    if (count > 16 || len != 80 + (uint64_t)count * 20)
        return ns_error_set(err, "%s: section 31 (reduced-copy windows) malformed", pt->bf.path);
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *r = p + 80 + 20 * (uint64_t)i;
        uint32_t id = ns_le32(r);
        uint64_t first = ns_le64(r + 4), orig = ns_le64(r + 12);
        const ns_binfile_section *s = &pt->bf.sec[id < 16 ? id : 0];
        /* section 2 is read from its start (the circuit hash), so its window starts at 0 */
        if (!is_point_section(id) || s->count != 1 || s->size % point_size(id) != 0 || first > orig / point_size(id) ||
            (id == 2 && first != 0) ||
            s->size / point_size(id) > orig / point_size(id) - first)
            return ns_error_set(err, "%s: section 31 (reduced-copy windows): bad window for section %u", pt->bf.path, id);
        pt->win_first[id] = first;
        pt->win_orig[id] = orig;
    }
    return 0;
}

static uint64_t point_size(uint32_t id) { return (id == 3 || id == 6 || id == 13) ? NS_G2_SIZE : NS_G1_SIZE; }

static uint64_t expected_points(const ns_ptau *pt, uint32_t id) {
    uint64_t n = 1ull << pt->power;
    switch (id) {
    case 2: return 2 * n - 1;
    case 3: case 4: case 5: return n;
    case 6: return 1;
    case 12: return 4 * n - 1;
    case 13: case 14: case 15: return 2 * n - 1;
    default: return 0;
    }
}

uint64_t ns_ptau_expected_size(const ns_ptau *pt, uint32_t id) { return expected_points(pt, id) * point_size(id); }

static const char *section_name(uint32_t id) {
    switch (id) {
    case 2: return "tauG1";
    case 3: return "tauG2";
    case 4: return "alphaTauG1";
    case 5: return "betaTauG1";
    case 6: return "betaG2";
    case 12: return "lagrange tauG1";
    case 13: return "lagrange tauG2";
    case 14: return "lagrange alphaTauG1";
    case 15: return "lagrange betaTauG1";
    default: return "?";
    }
}

int ns_ptau_check_sizes(const ns_ptau *pt, ns_error *err) {
    static const uint32_t ids[] = {2, 3, 4, 5, 6, 7, 12, 13, 14, 15};
    for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
        uint32_t id = ids[k];
        if (id >= 12 && pt->bf.sec[id].count == 0) continue;
        const uint8_t *p;
        uint64_t len;
        if (ns_binfile_get(&pt->bf, id, &p, &len, err) != 0) return -1;
        if (id == 7) continue;
        len = pt->win_orig[id];
        uint64_t want = ns_ptau_expected_size(pt, id);
        if (len != want)
            return ns_error_set(err, "%s: section %u (%s) has %llu bytes, expected %llu for power %u", pt->bf.path,
                                id, section_name(id), (unsigned long long)len, (unsigned long long)want, pt->power);
    }
    uint32_t n;
    return ns_ptau_contrib_count(pt, &n, err);
}

int ns_ptau_points(const ns_ptau *pt, uint32_t id, uint64_t first, uint64_t count, const uint8_t **out,
                   ns_error *err) {
    const uint8_t *p;
    uint64_t len;
    if (ns_binfile_get(&pt->bf, id, &p, &len, err) != 0) return -1;
    uint64_t ps = point_size(id), have = (id < 16 ? pt->win_orig[id] : len) / ps;
    if (first > have || count > have - first)
        return ns_error_set(err, "%s: section %u (%s) too short (needs %llu points, has %llu)", pt->bf.path, id,
                            section_name(id), (unsigned long long)(first + count), (unsigned long long)have);
    if (pt->reduced) {
        uint64_t wf = id < 16 ? pt->win_first[id] : 0, wn = len / ps;
        if (first < wf || first - wf > wn || count > wn - (first - wf))
            return ns_error_set(err, "%s: section %u (%s): points %llu..%llu are not kept in this reduced copy "
                                "(domain 2^%u)", pt->bf.path, id, section_name(id), (unsigned long long)first,
                                (unsigned long long)(first + count), pt->reduced_log2n);
        first -= wf;
    }
    *out = p + first * ps;
    return 0;
}

int ns_ptau_lagrange(const ns_ptau *pt, uint32_t id, uint32_t log2n, const uint8_t **out, ns_error *err) {
    if (id < 12 || id > 15) return ns_error_set(err, "%s: internal error: section %u has no Lagrange blocks", pt->bf.path, id);
    if (pt->bf.sec[12].count == 0)
        return ns_error_set(err, "%s: powers of tau not prepared for phase 2 (no section 12; run snarkjs powersoftau prepare phase2)",
                            pt->bf.path);
    uint32_t maxlog = pt->power + (id == 12 ? 1 : 0);
    if (log2n > maxlog)
        return ns_error_set(err, "%s: domain 2^%u is too big for section %u of a power-%u file", pt->bf.path, log2n,
                            id, pt->power);
    const uint8_t *p;
    uint64_t len;
    if (ns_binfile_get(&pt->bf, id, &p, &len, err) != 0) return -1;
    uint64_t m = 1ull << log2n, ps = point_size(id);
    if (pt->win_orig[id] / ps < 2 * m - 1)
        return ns_error_set(err, "%s: section %u too short for domain 2^%u", pt->bf.path, id, log2n);
    (void)len;
    return ns_ptau_points(pt, id, m - 1, m, out, err);
}

/* ---- section 7 ---- */

static int walk_contribs(const ns_ptau *pt, uint32_t *count,
                         int (*fn)(void *ctx, uint32_t i, const ns_ptau_contribution *c), void *ctx, ns_error *err) {
    const uint8_t *p;
    uint64_t len;
    if (ns_binfile_get(&pt->bf, 7, &p, &len, err) != 0) return -1;
    ns_cursor c = {p, len};
    uint32_t n;
    if (ns_cursor_u32(&c, &n) != 0) return ns_error_set(err, "%s: section 7 (contributions) truncated", pt->bf.path);
    if ((uint64_t)n * NS_PTAU_CONTRIB_FIXED > c.left)
        return ns_error_set(err, "%s: section 7: %u contributions do not fit in %llu bytes", pt->bf.path, n,
                            (unsigned long long)c.left);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *rec, *params;
        uint32_t plen;
        if (ns_cursor_take(&c, NS_PTAU_CONTRIB_FIXED, &rec) != 0)
            return ns_error_set(err, "%s: section 7 truncated in contribution %u", pt->bf.path, i + 1);
        plen = ns_le32(rec + 1500);
        if (ns_cursor_take(&c, plen, &params) != 0)
            return ns_error_set(err, "%s: section 7: parameters of contribution %u truncated", pt->bf.path, i + 1);
        ns_mpc_params mp;
        if (ns_mpc_params_parse(&mp, params, plen, err) != 0)
            return ns_error_prefix(err, "%s: section 7: contribution %u", pt->bf.path, i + 1);
        if (fn != NULL) {
            ns_ptau_contribution pc;
            memset(&pc, 0, sizeof pc);
            pc.tau_g1 = rec;
            pc.next_challenge = rec + 1432;
            pc.type = ns_le32(rec + 1496);
            memcpy(pc.name, mp.name, sizeof pc.name);
            pc.has_exp = mp.has_exp;
            pc.num_iter_exp = mp.num_iter_exp;
            pc.beacon_hash_len = mp.has_beacon_hash ? mp.beacon_hash_len : 0;
            pc.beacon_hash = mp.has_beacon_hash ? params + plen - mp.beacon_hash_len : NULL;
            int rc = fn(ctx, i, &pc);
            if (rc != 0) return rc;
        }
    }
    if (c.left != 0)
        return ns_error_set(err, "%s: section 7 has %llu trailing bytes", pt->bf.path, (unsigned long long)c.left);
    *count = n;
    return 0;
}

int ns_ptau_contrib_count(const ns_ptau *pt, uint32_t *count, ns_error *err) {
    return walk_contribs(pt, count, NULL, NULL, err);
}

int ns_ptau_contrib_foreach(const ns_ptau *pt, int (*fn)(void *ctx, uint32_t i, const ns_ptau_contribution *c),
                            void *ctx, ns_error *err) {
    uint32_t n;
    return walk_contribs(pt, &n, fn, ctx, err);
}

/* ---- reduced copy ---- */

struct ns_ptau_filter {
    ns_outfile out;
    uint32_t log2n;
    uint64_t pos;             /* bytes of the original consumed */
    uint8_t hdr[12];          /* the container or a section header being read */
    uint32_t hdr_have;
    int in_header;            /* 1: the 12-byte container header, 0: sections */
    uint32_t nsections, seen;
    int in_payload;
    uint32_t id;
    uint64_t size, off;       /* current payload: size, bytes consumed */
    uint64_t keep_lo, keep_hi;/* kept byte range of the payload */
    uint64_t sec2_end;        /* position after section 2's payload (0: not yet) */
    uint8_t after[64];
    uint32_t after_have;
    uint32_t nwin;
    uint8_t win[16 * 20];
};

/* The points of section id a key of domain 2^log2n reads: [first, first+count). */
static void keep_points(uint32_t id, uint32_t log2n, uint64_t *first, uint64_t *count) {
    uint64_t n = 1ull << log2n;
    *first = 0;
    *count = 0;
    switch (id) {
    case 2: *count = 2 * n; break;                 /* H check, circuit hash (tauG1[2n-1]) */
    case 3: case 4: case 5: case 6: *count = 1; break; /* alpha1, beta1, beta2 (3: the first, for completeness) */
    case 12: *first = n - 1; *count = 3 * n; break; /* blocks 2^k and 2^(k+1) */
    case 13: case 14: case 15: *first = n - 1; *count = n; break;
    default: break;
    }
}

ns_ptau_filter *ns_ptau_filter_new(const char *out_path, uint32_t log2n, ns_error *err) {
    if (log2n > NS_PTAU_MAX_POWER) {
        ns_error_set(err, "%s: domain 2^%u is too large", out_path, log2n);
        return NULL;
    }
    ns_ptau_filter *f = calloc(1, sizeof *f);
    if (f == NULL) {
        ns_error_set(err, "out of memory");
        return NULL;
    }
    if (ns_outfile_open(&f->out, out_path, err) != 0) {
        free(f);
        return NULL;
    }
    f->log2n = log2n;
    f->in_header = 1;
    return f;
}

void ns_ptau_filter_abort(ns_ptau_filter *f) {
    if (f == NULL) return;
    ns_outfile_abort(&f->out);
    free(f);
}

static int start_section(ns_ptau_filter *f, ns_error *err) {
    f->id = ns_le32(f->hdr);
    f->size = ns_le64(f->hdr + 4);
    f->off = 0;
    f->in_payload = 1;
    f->seen++;
    if (f->id == NS_PTAU_SEC_WINDOWS)
        return ns_error_set(err, "%s: the ptau has a section %u, which reduced copies reserve", f->out.path, f->id);
    if (f->id == 1 || f->id == 7) {
        f->keep_lo = 0;
        f->keep_hi = f->size;
    } else if (is_point_section(f->id)) {
        uint64_t first, count, ps = point_size(f->id), have = f->size / ps;
        keep_points(f->id, f->log2n, &first, &count);
        if (first > have) first = have;
        if (count > have - first) count = have - first;
        f->keep_lo = first * ps;
        f->keep_hi = (first + count) * ps;
        if (f->nwin < 16) {
            uint8_t *r = f->win + 20 * f->nwin++;
            ns_put_le32(r, f->id);
            ns_put_le64(r + 4, first);
            ns_put_le64(r + 12, f->size);
        }
    } else {
        f->keep_lo = f->keep_hi = 0;
    }
    uint8_t h[12];
    ns_put_le32(h, f->id);
    ns_put_le64(h + 4, f->keep_hi - f->keep_lo);
    return ns_outfile_write(&f->out, h, 12, err);
}

int ns_ptau_filter_write(ns_ptau_filter *f, const uint8_t *data, size_t n, ns_error *err) {
    while (n > 0) {
        size_t take;
        int capture = f->sec2_end != 0 && f->after_have < 64;
        if (f->in_payload) {
            uint64_t left = f->size - f->off;
            take = n < left ? n : (size_t)left;
            uint64_t lo = f->off > f->keep_lo ? f->off : f->keep_lo;
            uint64_t hi = f->off + take < f->keep_hi ? f->off + take : f->keep_hi;
            if (lo < hi && ns_outfile_write(&f->out, data + (lo - f->off), (size_t)(hi - lo), err) != 0) return -1;
            f->off += take;
            if (f->off == f->size) {
                f->in_payload = 0;
                if (f->id == 2 && f->sec2_end == 0) f->sec2_end = f->pos + take;
            }
        } else if (!f->in_header && f->seen == f->nsections) {
            take = n; /* trailing bytes after the last section: not kept */
        } else {
            take = 12 - f->hdr_have;
            if (take > n) take = n;
            memcpy(f->hdr + f->hdr_have, data, take);
            f->hdr_have += (uint32_t)take;
            if (f->hdr_have == 12) {
                f->hdr_have = 0;
                if (f->in_header) {
                    if (memcmp(f->hdr, "ptau", 4) != 0 || ns_le32(f->hdr + 4) != 1)
                        return ns_error_set(err, "the ptau stream is not a version 1 ptau file");
                    f->nsections = ns_le32(f->hdr + 8);
                    f->in_header = 0;
                    uint8_t h[12];
                    memcpy(h, "ptau", 4);
                    ns_put_le32(h + 4, 1);
                    ns_put_le32(h + 8, f->nsections + 1);
                    if (ns_outfile_write(&f->out, h, 12, err) != 0) return -1;
                } else if (start_section(f, err) != 0) {
                    return -1;
                }
                if (f->in_payload && f->size == 0) f->in_payload = 0;
            }
        }
        if (capture) { /* the 64 bytes after section 2, whatever they belong to */
            size_t a = 64 - f->after_have;
            if (a > take) a = take;
            memcpy(f->after + f->after_have, data, a);
            f->after_have += (uint32_t)a;
        }
        f->pos += take;
        data += take;
        n -= take;
    }
    return 0;
}

int ns_ptau_filter_finish(ns_ptau_filter *f, uint64_t *kept, ns_error *err) {
    if (f->in_header || f->in_payload || f->hdr_have != 0 || f->seen != f->nsections) {
        ns_error_set(err, "the ptau stream ended inside its container (%u of %u sections)", f->seen, f->nsections);
        ns_ptau_filter_abort(f);
        return -1;
    }
    uint8_t w[12 + 80 + sizeof f->win];
    uint64_t len = 80 + 20 * (uint64_t)f->nwin;
    ns_put_le32(w, NS_PTAU_SEC_WINDOWS);
    ns_put_le64(w + 4, len);
    ns_put_le32(w + 12, 1);
    ns_put_le32(w + 16, f->log2n);
    memset(w + 24, 0, 64);
    ns_put_le32(w + 20, f->after_have == 64 ? 64 : 0);
    if (f->after_have == 64) memcpy(w + 24, f->after, 64);
    ns_put_le32(w + 88, f->nwin);
    memcpy(w + 92, f->win, 20 * (size_t)f->nwin);
    int rc = ns_outfile_write(&f->out, w, 12 + (size_t)len, err);
    int64_t size = ns_outfile_tell(&f->out);
    if (rc == 0) rc = ns_outfile_commit(&f->out, err);
    else ns_outfile_abort(&f->out);
    if (rc == 0 && kept != NULL) *kept = (uint64_t)size;
    free(f);
    return rc;
}
