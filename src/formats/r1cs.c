#include "formats/r1cs.h"

#include <string.h>

int ns_bn254_r_is_reduced(const uint8_t v[32]) {
    for (int i = 31; i >= 0; i--) {
        if (v[i] != bn254_r_le[i]) return v[i] < bn254_r_le[i];
    }
    return 0;
}

int ns_r1cs_parse(ns_r1cs *r, const uint8_t *data, uint64_t size, const char *path, ns_error *err) {
    memset(r, 0, sizeof *r);
    if (ns_binfile_parse(&r->bf, data, size, path, "r1cs", 1, err) != 0) return -1;
    const uint8_t *h;
    uint64_t hlen;
    if (ns_binfile_get(&r->bf, 1, &h, &hlen, err) != 0) return -1;
    ns_cursor c = {h, hlen};
    const uint8_t *p;
    if (ns_cursor_u32(&c, &r->n8) != 0) goto short_hdr;
    if (r->n8 == 0 || r->n8 % 8 != 0 || r->n8 > 128)
        return ns_error_set(err, "%s: section 1: invalid field size n8 = %u", path, r->n8);
    if (ns_cursor_take(&c, r->n8, &r->prime) != 0 || ns_cursor_u32(&c, &r->nwires) != 0 ||
        ns_cursor_u32(&c, &r->nout) != 0 || ns_cursor_u32(&c, &r->npubin) != 0 ||
        ns_cursor_u32(&c, &r->nprvin) != 0 || ns_cursor_u64(&c, &r->nlabels) != 0 ||
        ns_cursor_u32(&c, &r->nconstraints) != 0)
        goto short_hdr;
    (void)p;
    if (c.left != 0)
        return ns_error_set(err, "%s: section 1 has %llu unexpected trailing bytes", path,
                            (unsigned long long)c.left);
    uint64_t need = 1ull + r->nout + r->npubin + r->nprvin;
    if (r->nwires < need)
        return ns_error_set(err, "%s: header: nWires %u is smaller than 1 + outputs + inputs (%llu)", path,
                            r->nwires, (unsigned long long)need);
    r->is_bn254 = r->n8 == 32 && memcmp(r->prime, bn254_r_le, 32) == 0;
    if (ns_binfile_get(&r->bf, 2, &r->cons, &r->cons_size, err) != 0) return -1;
    /* every constraint needs at least 12 bytes (three empty LCs) */
    if ((uint64_t)r->nconstraints * 12 > r->cons_size)
        return ns_error_set(err, "%s: section 2 (%llu bytes) too short for %u constraints", path,
                            (unsigned long long)r->cons_size, r->nconstraints);
    return 0;
short_hdr:
    return ns_error_set(err, "%s: section 1 (header) truncated (%llu bytes)", path, (unsigned long long)hlen);
}

int ns_r1cs_iter_init(ns_r1cs_iter *it, const ns_r1cs *r, ns_error *err) {
    if (!r->is_bn254) return ns_error_set(err, "%s: r1cs field is not BN254 r (n8 = %u)", r->bf.path, r->n8);
    it->r = r;
    it->cur.p = r->cons;
    it->cur.left = r->cons_size;
    it->index = 0;
    return 0;
}

int ns_r1cs_iter_next(ns_r1cs_iter *it, ns_r1cs_lc abc[3], ns_error *err) {
    const ns_r1cs *r = it->r;
    if (it->index >= r->nconstraints) {
        if (it->cur.left != 0)
            return ns_error_set(err, "%s: section 2 has %llu trailing bytes after %u constraints", r->bf.path,
                                (unsigned long long)it->cur.left, r->nconstraints);
        return 0;
    }
    for (int k = 0; k < 3; k++) {
        uint32_t n;
        if (ns_cursor_u32(&it->cur, &n) != 0 ||
            ns_cursor_take(&it->cur, (uint64_t)n * NS_R1CS_TERM_SIZE, &abc[k].terms) != 0)
            return ns_error_set(err, "%s: section 2 truncated in constraint %u", r->bf.path, it->index);
        abc[k].n = n;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t w = ns_r1cs_term_wire(&abc[k], i);
            if (w >= r->nwires)
                return ns_error_set(err, "%s: constraint %u: wire %u out of range (nWires %u)", r->bf.path,
                                    it->index, w, r->nwires);
            if (!ns_bn254_r_is_reduced(ns_r1cs_term_coef(&abc[k], i)))
                return ns_error_set(err, "%s: constraint %u: coefficient not reduced modulo r", r->bf.path,
                                    it->index);
        }
    }
    it->index++;
    return 1;
}

int ns_r1cs_check(const ns_r1cs *r, uint64_t nterms[3], ns_error *err) {
    ns_r1cs_iter it;
    ns_r1cs_lc abc[3];
    uint64_t t[3] = {0, 0, 0};
    if (ns_r1cs_iter_init(&it, r, err) != 0) return -1;
    int rc;
    while ((rc = ns_r1cs_iter_next(&it, abc, err)) == 1)
        for (int k = 0; k < 3; k++) t[k] += abc[k].n;
    if (rc < 0) return -1;
    if (nterms != NULL) memcpy(nterms, t, sizeof t);
    return 0;
}

uint32_t ns_groth16_domain_power(uint64_t nconstraints, uint64_t npublic) {
    uint64_t v = nconstraints + npublic;
    uint32_t k = 0;
    while (v > 1) {
        v >>= 1;
        k++;
    }
    return k + 1;
}
