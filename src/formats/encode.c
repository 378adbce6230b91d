#include "formats/encode.h"

#include <string.h>

#include "curve/bn254_encode.h"
#include "ff/bn254_field.h"
#include "formats/binfile.h"

static void limbs_from_le(uint64_t l[4], const uint8_t in[32]) {
    for (int i = 0; i < 4; i++) l[i] = ns_le64(in + 8 * i);
}
static void limbs_to_le(uint8_t out[32], const uint64_t l[4]) {
    for (int i = 0; i < 4; i++) ns_put_le64(out + 8 * i, l[i]);
}

/* Out of Montgomery form through the field code (ff/bn254_field.h): the
 * Montgomery reduction of a by 1, fully reduced, also for a >= q. */
void ns_fq_lem_to_le(uint8_t out[32], const uint8_t in[32]) {
    bn254_fq a;
    uint64_t c[4];
    limbs_from_le(a.l, in);
    bn254_fq_to_canonical(c, &a);
    limbs_to_le(out, c);
}

void ns_fq_lem_to_be(uint8_t out[32], const uint8_t in[32]) {
    uint8_t le[32];
    ns_fq_lem_to_le(le, in);
    for (int i = 0; i < 32; i++) out[i] = le[31 - i];
}

void ns_hash_g1_lem(ns_hash *h, const uint8_t lem[64]) {
    uint8_t u[64];
    bn254_g1_lem_to_u(u, lem);
    ns_hash_update(h, u, sizeof u);
}

void ns_hash_g2_lem(ns_hash *h, const uint8_t lem[128]) {
    uint8_t u[128];
    bn254_g2_lem_to_u(u, lem);
    ns_hash_update(h, u, sizeof u);
}

/* R^3 mod r (R = 2^256), Montgomery form of R^2: one Fr product
 * c·R³·R⁻¹ = c·R² mod r. */
static const bn254_fr ENC_R3 = {{0x5e94d8e1b4bf0040ull, 0x2a489cbe1cfbb6b8ull, 0x893cc664a19fcfedull,
                                 0x0cf8594b7fcc657cull}};

void ns_fr_coef_to_zkey(uint8_t out[32], const uint8_t coef_le[32]) {
    bn254_fr a, t;
    limbs_from_le(a.l, coef_le);
    bn254_fr_mul(&t, &a, &ENC_R3);
    limbs_to_le(out, t.l);
}

void ns_fr_coef_from_zkey(uint8_t out[32], const uint8_t val_le[32]) {
    bn254_fr a;
    uint64_t c[4];
    limbs_from_le(a.l, val_le);
    bn254_fr_to_canonical(a.l, &a);
    bn254_fr_to_canonical(c, &a);
    limbs_to_le(out, c);
}

void ns_le256_to_decimal(char *out, const uint8_t le[32]) {
    uint32_t w[8];
    for (int i = 0; i < 8; i++) w[i] = ns_le32(le + 4 * i);
    char tmp[80];
    int n = 0;
    for (;;) {
        int nz = 0;
        uint64_t rem = 0;
        for (int i = 7; i >= 0; i--) {
            uint64_t cur = rem << 32 | w[i];
            w[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
            nz |= w[i] != 0;
        }
        tmp[n++] = (char)('0' + rem);
        if (!nz) break;
    }
    for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    out[n] = 0;
}
