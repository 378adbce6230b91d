#include "formats/ptau.h"

#include <string.h>

#include "ff/bn254_consts.h"
#include "formats/r1cs.h"

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
    uint64_t ps = point_size(id), have = len / ps;
    if (first > have || count > have - first)
        return ns_error_set(err, "%s: section %u (%s) too short (needs %llu points, has %llu)", pt->bf.path, id,
                            section_name(id), (unsigned long long)(first + count), (unsigned long long)have);
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
    if (len / ps < 2 * m - 1)
        return ns_error_set(err, "%s: section %u too short for domain 2^%u", pt->bf.path, id, log2n);
    *out = p + (m - 1) * ps;
    return 0;
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
