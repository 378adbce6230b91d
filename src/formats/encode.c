#include "formats/encode.h"

#include <string.h>

#include "ff/mont.h"
#include "formats/binfile.h"
#include "formats/r1cs.h"

/* BN254 q and r Montgomery descriptions (R = 2^256), constant tables; the
 * unit tests check them against ns_mont_init. */
const ns_mont ns_encode_mont_q = {4, {0x3c208c16d87cfd47ull, 0x97816a916871ca8dull, 0xb85045b68181585dull, 0x30644e72e131a029ull}, 0x87d20782e4866389ull, {0xd35d438dc58f0d9dull, 0x0a78eb28f5c70b3dull, 0x666ea36f7879462cull, 0x0e0a77c19a07df2full}, {0xf32cfc5b538afa89ull, 0xb5e71911d44501fbull, 0x47ab1eff0a417ff6ull, 0x06d89f71cab8351full}, {0x3c208c16d87cfd45ull, 0x97816a916871ca8dull, 0xb85045b68181585dull, 0x30644e72e131a029ull}, 254};
const ns_mont ns_encode_mont_r = {4, {0x43e1f593f0000001ull, 0x2833e84879b97091ull, 0xb85045b68181585dull, 0x30644e72e131a029ull}, 0xc2e1f593efffffffull, {0xac96341c4ffffffbull, 0x36fc76959f60cd29ull, 0x666ea36f7879462eull, 0x0e0a77c19a07df2full}, {0x1bb8e645ae216da7ull, 0x53fe3ab1e35c59e3ull, 0x8c49833d53bb8085ull, 0x0216d0b17f4e44a5ull}, {0x43e1f593efffffffull, 0x2833e84879b97091ull, 0xb85045b68181585dull, 0x30644e72e131a029ull}, 254};

static void limbs_from_le(uint64_t l[4], const uint8_t in[32]) {
    for (int i = 0; i < 4; i++) l[i] = ns_le64(in + 8 * i);
}
static void limbs_to_le(uint8_t out[32], const uint64_t l[4]) {
    for (int i = 0; i < 4; i++) ns_put_le64(out + 8 * i, l[i]);
}

void ns_fq_lem_to_le(uint8_t out[32], const uint8_t in[32]) {
    const ns_mont *m = &ns_encode_mont_q;
    uint64_t a[4], r[4];
    limbs_from_le(a, in);
    ns_mont_from_mont(r, a, m);
    limbs_to_le(out, r);
}

void ns_fq_lem_to_be(uint8_t out[32], const uint8_t in[32]) {
    uint8_t le[32];
    ns_fq_lem_to_le(le, in);
    for (int i = 0; i < 32; i++) out[i] = le[31 - i];
}

static int all_zero(const uint8_t *p, size_t n) {
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= p[i];
    return acc == 0;
}

void ns_g1_lem_to_u(uint8_t out[64], const uint8_t in[64]) {
    if (all_zero(in, 64)) {
        memset(out, 0, 64);
        return;
    }
    ns_fq_lem_to_be(out, in);
    ns_fq_lem_to_be(out + 32, in + 32);
}

void ns_g2_lem_to_u(uint8_t out[128], const uint8_t in[128]) {
    if (all_zero(in, 128)) {
        memset(out, 0, 128);
        return;
    }
    ns_fq_lem_to_be(out, in + 32);       /* x.c1 */
    ns_fq_lem_to_be(out + 32, in);       /* x.c0 */
    ns_fq_lem_to_be(out + 64, in + 96);  /* y.c1 */
    ns_fq_lem_to_be(out + 96, in + 64);  /* y.c0 */
}

void ns_hash_g1_lem(ns_hash *h, const uint8_t lem[64]) {
    uint8_t u[64];
    ns_g1_lem_to_u(u, lem);
    ns_hash_update(h, u, sizeof u);
}

void ns_hash_g2_lem(ns_hash *h, const uint8_t lem[128]) {
    uint8_t u[128];
    ns_g2_lem_to_u(u, lem);
    ns_hash_update(h, u, sizeof u);
}

/* R^3 mod r (R = 2^256): one Montgomery product c·R³·R⁻¹ = c·R² mod r. */
static const uint64_t ENC_R3[4] = {0x5e94d8e1b4bf0040ull, 0x2a489cbe1cfbb6b8ull, 0x893cc664a19fcfedull,
                                   0x0cf8594b7fcc657cull};

void ns_fr_coef_to_zkey(uint8_t out[32], const uint8_t coef_le[32]) {
    uint64_t a[4], t[4];
    limbs_from_le(a, coef_le);
    ns_mont_mul(t, a, ENC_R3, &ns_encode_mont_r);
    limbs_to_le(out, t);
}

void ns_fr_coef_from_zkey(uint8_t out[32], const uint8_t val_le[32]) {
    const ns_mont *m = &ns_encode_mont_r;
    uint64_t a[4];
    limbs_from_le(a, val_le);
    ns_mont_from_mont(a, a, m);
    ns_mont_from_mont(a, a, m);
    limbs_to_le(out, a);
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
