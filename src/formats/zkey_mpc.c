/* zkey section 10: the contribution records, parsed, written and hashed by
 * this file only (zkey info, the ceremony engine, zkey contribute / beacon /
 * verify all read the same bytes through ns_zkey_mpc_parse_payload). */
#include "formats/zkey.h"

#include <stdlib.h>
#include <string.h>

#include "curve/bn254_encode.h"

int ns_zkey_mpc_parse_payload(ns_zkey_mpc *m, const uint8_t *p, uint64_t size, const char *path, ns_error *err) {
    memset(m, 0, sizeof *m);
    ns_cursor c = {p, size};
    const uint8_t *cs;
    uint32_t n;
    if (ns_cursor_take(&c, 64, &cs) != 0 || ns_cursor_u32(&c, &n) != 0)
        return ns_error_set(err, "%s: section 10 (MPC params) truncated (%llu bytes)", path,
                            (unsigned long long)size);
    memcpy(m->cs_hash, cs, 64);
    /* every record needs at least NS_ZKEY_CONTRIB_FIXED bytes: bound n first */
    if ((uint64_t)n > c.left / NS_ZKEY_CONTRIB_FIXED)
        return ns_error_set(err, "%s: section 10: %u contributions do not fit in %llu bytes", path, n,
                            (unsigned long long)c.left);
    if (n > 0) {
        m->c = calloc(n, sizeof *m->c);
        if (m->c == NULL) return ns_error_set(err, "%s: out of memory", path);
    }
    for (uint32_t i = 0; i < n; i++) {
        ns_zkey_contribution *k = &m->c[i];
        const uint8_t *rec, *params;
        if (ns_cursor_take(&c, NS_ZKEY_CONTRIB_FIXED, &rec) != 0) {
            ns_error_set(err, "%s: section 10 truncated in contribution %u", path, i + 1);
            goto fail;
        }
        memcpy(k->delta_after, rec, 64);
        memcpy(k->g1_s, rec + 64, 64);
        memcpy(k->g1_sx, rec + 128, 64);
        memcpy(k->g2_spx, rec + 192, 128);
        memcpy(k->transcript, rec + 320, 64);
        k->type = ns_le32(rec + 384);
        uint32_t plen = ns_le32(rec + 388);
        if (ns_cursor_take(&c, plen, &params) != 0) {
            ns_error_set(err, "%s: section 10: parameters of contribution %u truncated", path, i + 1);
            goto fail;
        }
        if (ns_mpc_params_parse(&k->p, params, plen, err) != 0) {
            ns_error_prefix(err, "%s: section 10: contribution %u", path, i + 1);
            goto fail;
        }
    }
    if (c.left != 0) {
        ns_error_set(err, "%s: section 10 has %llu trailing bytes", path, (unsigned long long)c.left);
        goto fail;
    }
    m->n = n;
    return 0;
fail:
    ns_zkey_mpc_free(m);
    return -1;
}

int ns_zkey_mpc_parse(ns_zkey_mpc *m, const ns_zkey *z, ns_error *err) {
    const uint8_t *p;
    uint64_t len;
    memset(m, 0, sizeof *m);
    if (ns_binfile_get(&z->bf, 10, &p, &len, err) != 0) return -1;
    return ns_zkey_mpc_parse_payload(m, p, len, z->bf.path, err);
}

void ns_zkey_mpc_free(ns_zkey_mpc *m) {
    free(m->c);
    m->c = NULL;
    m->n = 0;
}

int ns_zkey_mpc_push(ns_zkey_mpc *m, const ns_zkey_contribution *c, ns_error *err) {
    ns_zkey_contribution *nc = realloc(m->c, ((size_t)m->n + 1) * sizeof *nc);
    if (nc == NULL) return ns_error_set(err, "out of memory");
    m->c = nc;
    m->c[m->n++] = *c;
    return 0;
}

uint64_t ns_zkey_mpc_size(const ns_zkey_mpc *m) {
    uint8_t params[NS_MPC_PARAMS_MAX];
    uint64_t size = 68;
    for (uint32_t i = 0; i < m->n; i++)
        size += NS_ZKEY_CONTRIB_FIXED + ns_mpc_params_encode(params, &m->c[i].p, m->c[i].type == NS_ZKEY_TYPE_BEACON);
    return size;
}

void ns_zkey_mpc_serialize(uint8_t *out, const ns_zkey_mpc *m) {
    memcpy(out, m->cs_hash, 64);
    ns_put_le32(out + 64, m->n);
    uint8_t *p = out + 68;
    for (uint32_t i = 0; i < m->n; i++) {
        const ns_zkey_contribution *c = &m->c[i];
        memcpy(p, c->delta_after, 64);
        memcpy(p + 64, c->g1_s, 64);
        memcpy(p + 128, c->g1_sx, 64);
        memcpy(p + 192, c->g2_spx, 128);
        memcpy(p + 320, c->transcript, 64);
        ns_put_le32(p + 384, c->type);
        size_t plen = ns_mpc_params_encode(p + NS_ZKEY_CONTRIB_FIXED, &c->p, c->type == NS_ZKEY_TYPE_BEACON);
        ns_put_le32(p + 388, (uint32_t)plen);
        p += NS_ZKEY_CONTRIB_FIXED + plen;
    }
}

/* hashPubKey's 384 bytes: U(deltaAfter) U(g1_s) U(g1_sx) U(g2_spx) transcript */
static void pubkey_bytes(uint8_t out[384], const ns_zkey_contribution *c) {
    bn254_g1_lem_to_u(out, c->delta_after);
    bn254_g1_lem_to_u(out + 64, c->g1_s);
    bn254_g1_lem_to_u(out + 128, c->g1_sx);
    bn254_g2_lem_to_u(out + 192, c->g2_spx);
    memcpy(out + 320, c->transcript, 64);
}

void ns_zkey_hash_pubkey(ns_hash *h, const ns_zkey_contribution *c) {
    uint8_t b[384];
    pubkey_bytes(b, c);
    ns_hash_update(h, b, sizeof b);
}

int ns_zkey_contribution_hash(uint8_t out[64], const ns_zkey_contribution *c) {
    uint8_t b[384];
    pubkey_bytes(b, c);
    ns_blake2b512(out, b, sizeof b);
    return 0;
}
