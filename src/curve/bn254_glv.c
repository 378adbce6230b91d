#include "curve/bn254_glv.h"

#include <string.h>

#include "curve/bn254_fast.h"
#include "util/wipe.h"

/* GLV on G1: phi(x, y) = (beta x, y) = lambda (x, y) with
 * lambda = 0xb3c4d79d41a917585bfc41088d8daaa78b17ea66b99c90dd (mod r) and
 * beta = 0x59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffe (mod q).
 * k = k1 + k2 lambda (mod r) with |k1|, |k2| < 2^128 by Babai rounding on
 * the basis v1 = (a1, -b1'), v2 = (a2, b2) (b1' = |b1|):
 *   c1 = floor(k g1 / 2^256), c2 = floor(k g2 / 2^256),
 *   g1 = floor(2^256 b2 / r), g2 = floor(2^256 b1' / r),
 *   k1 = k - c1 a1 - c2 a2, k2 = c1 b1' - c2 b2.
 * (Constants computed with Python; checked by the unit and compat tests.) */
static const uint64_t GLV_BETA_MONT[4] = {0x71930c11d782e155ULL, 0xa6bb947cffbe3323ULL, 0xaa303344d4741444ULL,
                                          0x2c3b3f0d26594943ULL};
static const uint64_t GLV_G1[3] = {0xd91d232ec7e0b3d7ULL, 0x2ULL, 0};
static const uint64_t GLV_G2[3] = {0x7a7bd9d4391eb18dULL, 0x4ccef014a773d2cfULL, 0x2ULL};
static const uint64_t GLV_A1[1] = {0x89d3256894d213e3ULL};
static const uint64_t GLV_B1[2] = {0x8211bbeb7d4f1128ULL, 0x6f4d8248eeb859fcULL};
static const uint64_t GLV_A2[2] = {0x0be4e1541221250bULL, 0x6f4d8248eeb859fdULL};
static const uint64_t GLV_B2[1] = {0x89d3256894d213e3ULL};

void bn254x_glv_beta(bn254_fq *beta) { memcpy(beta->l, GLV_BETA_MONT, sizeof beta->l); }

/* k < 2^256 < 6r: five conditional subtractions, branch-free. */
void bn254x_reduce_r(uint64_t out[4], const uint64_t k[4]) {
    uint64_t t[4] = {k[0], k[1], k[2], k[3]};
    for (int i = 0; i < 5; i++) bn254x_reduce_once(t, t, BN254X_R);
    memcpy(out, t, sizeof t);
    ns_wipe(t, sizeof t);
}

/* out[0..3] = (a * b) mod 2^256, or with shift = 4 the limbs 4..7 of the
 * product; a has na limbs, b has nb limbs (sizes public). */
static void glv_mp_mul(uint64_t out[4], const uint64_t *a, int na, const uint64_t *b, int nb, int shift) {
    uint64_t t[8] = {0};
    for (int i = 0; i < na; i++) {
        bn254x_u128 c = 0;
        for (int j = 0; j < nb; j++) {
            c += (bn254x_u128)a[i] * b[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + nb] = (uint64_t)c;
    }
    for (int i = 0; i < 4; i++) out[i] = t[i + shift];
    ns_wipe(t, sizeof t);
}

/* r = a - b mod 2^256 */
static void glv_mp_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        bn254x_u128 d = (bn254x_u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
}

/* x (two's complement mod 2^256, |x| < 2^128) -> |x|, sign mask */
static uint64_t glv_abs(uint64_t x[4]) {
    uint64_t m = (uint64_t)0 - (x[3] >> 63);
    bn254x_u128 c = m & 1;
    for (int i = 0; i < 4; i++) {
        c += (bn254x_u128)(x[i] ^ m);
        x[i] = (uint64_t)c;
        c >>= 64;
    }
    return m;
}

void bn254x_glv_split(uint64_t k1[4], uint64_t k2[4], uint64_t sign[2], const uint64_t k[4]) {
    uint64_t c1[4], c2[4], t[4], u[4];
    glv_mp_mul(c1, k, 4, GLV_G1, 3, 4);
    glv_mp_mul(c2, k, 4, GLV_G2, 3, 4);
    /* c1 < 2^64, c2 < 2^128 */
    glv_mp_mul(t, c1, 1, GLV_A1, 1, 0);
    glv_mp_sub(k1, k, t);
    glv_mp_mul(t, c2, 2, GLV_A2, 2, 0);
    glv_mp_sub(k1, k1, t);
    glv_mp_mul(t, c1, 1, GLV_B1, 2, 0);
    glv_mp_mul(u, c2, 2, GLV_B2, 1, 0);
    glv_mp_sub(k2, t, u);
    sign[0] = glv_abs(k1);
    sign[1] = glv_abs(k2);
    ns_wipe(c1, sizeof c1);
    ns_wipe(c2, sizeof c2);
    ns_wipe(t, sizeof t);
    ns_wipe(u, sizeof u);
}
