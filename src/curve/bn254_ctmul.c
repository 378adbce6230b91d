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

void bn254_g1_mul(bn254_g1 *r, const bn254_g1 *p, const uint64_t k[4]) {
    bn254_g1 tab[16], acc, t;
    bn254x_g1_set_inf(&tab[0]);
    tab[1] = *p;
    for (int i = 2; i < 16; i++) bn254x_g1_add_complete(&tab[i], &tab[i - 1], p);
    bn254x_g1_set_inf(&acc);
    for (int w = 63; w >= 0; w--) {
        for (int d = 0; d < 4; d++) bn254x_g1_dbl(&acc, &acc);
        uint64_t nib = (k[w / 16] >> (4 * (w % 16))) & 15;
        t = tab[0];
        for (uint64_t i = 1; i < 16; i++) bn254x_g1_cmov(&t, &tab[i], eq_mask(i, nib));
        bn254x_g1_add_complete(&acc, &acc, &t);
        nib = 0;
    }
    *r = acc;
    ns_wipe(tab, sizeof tab);
    ns_wipe(&t, sizeof t);
    ns_wipe(&acc, sizeof acc);
}

void bn254_g1_mul_fr(bn254_g1 *r, const bn254_g1 *p, const bn254_fr *k) {
    uint64_t kc[4];
    bn254x_fr_canonical(kc, k->l);
    bn254_g1_mul(r, p, kc);
    ns_wipe(kc, sizeof kc);
}

static void g2_cmov(bn254_g2 *r, const bn254_g2 *a, uint64_t mask) {
    bn254x_cmov(&r->x.c0, &a->x.c0, mask);
    bn254x_cmov(&r->x.c1, &a->x.c1, mask);
    bn254x_cmov(&r->y.c0, &a->y.c0, mask);
    bn254x_cmov(&r->y.c1, &a->y.c1, mask);
    bn254x_cmov(&r->z.c0, &a->z.c0, mask);
    bn254x_cmov(&r->z.c1, &a->z.c1, mask);
}

/* Same schedule as G1 over the group API's complete (branch-free) G2 law. */
void bn254_g2_mul(bn254_g2 *r, const bn254_g2 *p, const uint64_t k[4]) {
    bn254_g2 tab[16], acc, t;
    bn254_g2_set_infinity(&tab[0]);
    tab[1] = *p;
    for (int i = 2; i < 16; i++) bn254_g2_add(&tab[i], &tab[i - 1], p);
    bn254_g2_set_infinity(&acc);
    for (int w = 63; w >= 0; w--) {
        for (int d = 0; d < 4; d++) bn254_g2_dbl(&acc, &acc);
        uint64_t nib = (k[w / 16] >> (4 * (w % 16))) & 15;
        t = tab[0];
        for (uint64_t i = 1; i < 16; i++) g2_cmov(&t, &tab[i], eq_mask(i, nib));
        bn254_g2_add(&acc, &acc, &t);
        nib = 0;
    }
    *r = acc;
    ns_wipe(tab, sizeof tab);
    ns_wipe(&t, sizeof t);
    ns_wipe(&acc, sizeof acc);
}

void bn254_g2_mul_fr(bn254_g2 *r, const bn254_g2 *p, const bn254_fr *k) {
    uint64_t kc[4];
    bn254x_fr_canonical(kc, k->l);
    bn254_g2_mul(r, p, kc);
    ns_wipe(kc, sizeof kc);
}
