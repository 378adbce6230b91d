#include "curve/bn254_ctmul.h"

#include <stdlib.h>

#include "curve/bn254_fast.h"
#include "util/wipe.h"

/* All-ones if a == b (small integers), else 0; no comparison instruction
 * whose flags feed a branch. */
static uint64_t eq_mask(uint64_t a, uint64_t b) {
    uint64_t x = a ^ b;
    return ((x | (0 - x)) >> 63) - 1;
}

static void g2_cmov(bn254_g2 *r, const bn254_g2 *a, uint64_t mask) {
    bn254x_cmov(&r->x.c0, &a->x.c0, mask);
    bn254x_cmov(&r->x.c1, &a->x.c1, mask);
    bn254x_cmov(&r->y.c0, &a->y.c0, mask);
    bn254x_cmov(&r->y.c1, &a->y.c1, mask);
    bn254x_cmov(&r->z.c0, &a->z.c0, mask);
    bn254x_cmov(&r->z.c1, &a->z.c1, mask);
}

/* The fixed-window ladder, written once for both groups: table 0..15 P by
 * complete additions, then for each of the 64 nibbles from the top four
 * doublings, a masked read of the whole table and one complete addition.
 * G1 runs on the inlined formulas of curve/bn254_fast.h, G2 on the group
 * API's complete (branch-free) law. */
#define CTMUL_IMPL(G, SET_INF, ADD, DBL, CMOV)                                                        \
    void bn254_##G##_mul(bn254_##G *r, const bn254_##G *p, const uint64_t k[4]) {                     \
        bn254_##G tab[16], acc, t;                                                                    \
        SET_INF(&tab[0]);                                                                             \
        tab[1] = *p;                                                                                  \
        for (int i = 2; i < 16; i++) ADD(&tab[i], &tab[i - 1], p);                                    \
        SET_INF(&acc);                                                                                \
        for (int w = 63; w >= 0; w--) {                                                               \
            for (int d = 0; d < 4; d++) DBL(&acc, &acc);                                              \
            uint64_t nib = (k[w / 16] >> (4 * (w % 16))) & 15;                                        \
            t = tab[0];                                                                               \
            for (uint64_t i = 1; i < 16; i++) CMOV(&t, &tab[i], eq_mask(i, nib));                     \
            ADD(&acc, &acc, &t);                                                                      \
            nib = 0;                                                                                  \
        }                                                                                             \
        *r = acc;                                                                                     \
        ns_wipe(tab, sizeof tab);                                                                     \
        ns_wipe(&t, sizeof t);                                                                        \
        ns_wipe(&acc, sizeof acc);                                                                    \
    }                                                                                                 \
                                                                                                      \
    void bn254_##G##_mul_fr(bn254_##G *r, const bn254_##G *p, const bn254_fr *k) {                    \
        uint64_t kc[4];                                                                               \
        bn254x_fr_canonical(kc, k->l);                                                                \
        bn254_##G##_mul(r, p, kc);                                                                    \
        ns_wipe(kc, sizeof kc);                                                                       \
    }

CTMUL_IMPL(g1, bn254x_g1_set_inf, bn254x_g1_add_complete, bn254x_g1_dbl, bn254x_g1_cmov)
CTMUL_IMPL(g2, bn254_g2_set_infinity, bn254_g2_add, bn254_g2_dbl, g2_cmov)
