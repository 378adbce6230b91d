#include "formats/zkey.h"

#include <stdlib.h>
#include <string.h>

#include "ff/bn254_consts.h"
#include "formats/r1cs.h"

static const char *section_name(uint32_t id) {
    static const char *names[] = {"", "protocol", "header", "IC", "coeffs", "A", "B1", "B2", "C", "H", "MPC params"};
    return id <= 10 ? names[id] : "?";
}

static int check_size(const ns_zkey *z, uint32_t id, uint64_t want, ns_error *err) {
    const uint8_t *p;
    uint64_t len;
    if (ns_binfile_get(&z->bf, id, &p, &len, err) != 0) return -1;
    if (len != want)
        return ns_error_set(err, "%s: section %u (%s) has %llu bytes, expected %llu", z->bf.path, id,
                            section_name(id), (unsigned long long)len, (unsigned long long)want);
    return 0;
}

int ns_zkey_parse(ns_zkey *z, const uint8_t *data, uint64_t size, const char *path, uint32_t max_version,
                  ns_error *err) {
    memset(z, 0, sizeof *z);
    if (ns_binfile_parse(&z->bf, data, size, path, "zkey", max_version, err) != 0) return -1;
    const uint8_t *p;
    uint64_t len;
    if (ns_binfile_get(&z->bf, 1, &p, &len, err) != 0) return -1;
    if (len != 4) return ns_error_set(err, "%s: section 1 (protocol) has %llu bytes, expected 4", path, (unsigned long long)len);
    z->protocol = ns_le32(p);
    if (z->protocol != NS_ZKEY_PROTOCOL_GROTH16)
        return ns_error_set(err, "%s: protocol %u is not groth16 (plonk = 2, fflonk = 10 are not supported)", path,
                            z->protocol);
    if (ns_binfile_get(&z->bf, 2, &p, &len, err) != 0) return -1;
    if (len != NS_ZKEY_HEADER_SIZE)
        return ns_error_set(err, "%s: section 2 (header) has %llu bytes, expected %d (BN254)", path,
                            (unsigned long long)len, NS_ZKEY_HEADER_SIZE);
    if (ns_le32(p) != 32 || memcmp(p + 4, bn254_q_le, 32) != 0 || ns_le32(p + 36) != 32 ||
        memcmp(p + 40, bn254_r_le, 32) != 0)
        return ns_error_set(err, "%s: section 2: curve is not BN254 (bn128)", path);
    ns_zkey_header *h = &z->h;
    ns_zkey_header_decode(h, p);
    uint32_t d = h->domain_size;
    if (d == 0 || (d & (d - 1)) != 0 || d > (1u << 28))
        return ns_error_set(err, "%s: section 2: domain size %u is not a power of two <= 2^28", path, d);
    h->power = 0;
    while ((1u << h->power) < d) h->power++;
    if (h->npublic >= h->nvars)
        return ns_error_set(err, "%s: section 2: nPublic %u must be smaller than nVars %u", path, h->npublic, h->nvars);
    uint64_t nv = h->nvars, np = h->npublic;
    if (check_size(z, 3, (np + 1) * 64, err) || check_size(z, 5, nv * 64, err) || check_size(z, 6, nv * 64, err) ||
        check_size(z, 7, nv * 128, err) || check_size(z, 8, (nv - np - 1) * 64, err) ||
        check_size(z, 9, (uint64_t)d * 64, err))
        return -1;
    if (ns_binfile_get(&z->bf, 4, &p, &len, err) != 0) return -1;
    if (len < 4) return ns_error_set(err, "%s: section 4 (coeffs) truncated", path);
    z->ncoefs = ns_le32(p);
    if (len != 4 + (uint64_t)z->ncoefs * NS_ZKEY_COEF_SIZE)
        return ns_error_set(err, "%s: section 4 (coeffs) has %llu bytes, expected %llu for %u coefficients", path,
                            (unsigned long long)len, 4 + (unsigned long long)z->ncoefs * NS_ZKEY_COEF_SIZE,
                            z->ncoefs);
    if (ns_binfile_get(&z->bf, 10, &p, &len, err) != 0) return -1;
    return 0;
}

int ns_zkey_open(ns_zkey *z, ns_mapfile *map, const char *path, uint32_t max_version, ns_error *err) {
    if (ns_mapfile_open(map, path, err) != 0) return -1;
    if (ns_zkey_parse(z, map->data, map->size, path, max_version, err) != 0) {
        ns_mapfile_close(map);
        return -1;
    }
    return 0;
}

const uint8_t *ns_zkey_section(const ns_zkey *z, uint32_t id, uint64_t *size) {
    const uint8_t *p = NULL;
    uint64_t len = 0;
    if (ns_binfile_get(&z->bf, id, &p, &len, NULL) != 0) return NULL;
    if (size != NULL) *size = len;
    return p;
}

int ns_zkey_write_protocol(ns_binwriter *w, ns_error *err) {
    if (ns_binwriter_begin(w, 1, err) != 0 || ns_binwriter_u32(w, NS_ZKEY_PROTOCOL_GROTH16, err) != 0) return -1;
    return ns_binwriter_end(w, err);
}

void ns_zkey_header_encode(uint8_t out[NS_ZKEY_HEADER_SIZE], const ns_zkey_header *h) {
    ns_put_le32(out, 32);
    memcpy(out + 4, bn254_q_le, 32);
    ns_put_le32(out + 36, 32);
    memcpy(out + 40, bn254_r_le, 32);
    ns_put_le32(out + 72, h->nvars);
    ns_put_le32(out + 76, h->npublic);
    ns_put_le32(out + 80, h->domain_size);
    memcpy(out + 84, h->alpha1, 64);
    memcpy(out + 148, h->beta1, 64);
    memcpy(out + 212, h->beta2, 128);
    memcpy(out + 340, h->gamma2, 128);
    memcpy(out + 468, h->delta1, 64);
    memcpy(out + 532, h->delta2, 128);
}

void ns_zkey_header_decode(ns_zkey_header *h, const uint8_t p[NS_ZKEY_HEADER_SIZE]) {
    h->nvars = ns_le32(p + 72);
    h->npublic = ns_le32(p + 76);
    h->domain_size = ns_le32(p + 80);
    memcpy(h->alpha1, p + 84, 64);
    memcpy(h->beta1, p + 148, 64);
    memcpy(h->beta2, p + 212, 128);
    memcpy(h->gamma2, p + 340, 128);
    memcpy(h->delta1, p + 468, 64);
    memcpy(h->delta2, p + 532, 128);
}

int ns_zkey_write_header(ns_binwriter *w, const ns_zkey_header *h, ns_error *err) {
    uint8_t b[NS_ZKEY_HEADER_SIZE];
    ns_zkey_header_encode(b, h);
    if (ns_binwriter_begin(w, 2, err) != 0 || ns_binwriter_write(w, b, sizeof b, err) != 0) return -1;
    return ns_binwriter_end(w, err);
}
