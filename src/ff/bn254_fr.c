/* BN254 scalar field Fr (r in ff/bn254_consts.h, R = 2^256).  Every product
 * is bn254x_montmul of ff/bn254_fq_fast.h bound to r (the same CIOS as Fq's
 * portable path; r's top limb is < 2^62 too); ff/mont.h supplies additions
 * and masks.  The Montgomery constants were derived with Python big
 * integers; tests/unit/test_bn254_field.c re-derives them at run time. */
#include <string.h>

#include "ff/bn254_field.h"
#include "ff/bn254_consts.h"
#include "ff/bn254_fq_fast.h"
#include "ff/bn254_internal.h"

const ns_mont bn254_fr_mont = {
    .n = 4,
    .p = BN254_R_LIMBS,
    .pinv = BN254_RINV,
    .one = {0xac96341c4ffffffbULL, 0x36fc76959f60cd29ULL, 0x666ea36f7879462eULL, 0x0e0a77c19a07df2fULL},
    .r2 = {0x1bb8e645ae216da7ULL, 0x53fe3ab1e35c59e3ULL, 0x8c49833d53bb8085ULL, 0x0216d0b17f4e44a5ULL},
    .pm2 = BN254_RM2_LIMBS,
    .bits = 254,
};

#define FR (&bn254_fr_mont)

/* The one Fr product. */
static inline void fr_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    bn254x_montmul(r, a, b, BN254X_R, BN254X_RINV);
}

/* a (< r, canonical limbs) -> a R mod r */
static void fr_to_mont(bn254_fr *r, const uint64_t a[4]) { fr_mul(r->l, a, FR->r2); }

/* w[28] = 5^t with r - 1 = 2^28 * t (ffjavascript: nqr = 5), Montgomery form of
 * 19103219067921713944291392827692070036145651957329286315305642004821462161904. */
static const uint64_t ROOT28[4] = {0x636e735580d13d9cULL, 0xa22bf3742445ffd6ULL, 0x56452ac01eb203d8ULL,
                                   0x1860ef942963f9e7ULL};

void bn254_fr_zero(bn254_fr *r) { memset(r, 0, sizeof *r); }
void bn254_fr_one(bn254_fr *r) { memcpy(r->l, FR->one, sizeof r->l); }

void bn254_fr_from_u64(bn254_fr *r, uint64_t v) {
    const uint64_t t[4] = {v, 0, 0, 0};
    fr_mul(r->l, t, FR->r2);
}

void bn254_fr_add(bn254_fr *r, const bn254_fr *a, const bn254_fr *b) { ns_mont_add4(r->l, a->l, b->l, FR->p); }
void bn254_fr_sub(bn254_fr *r, const bn254_fr *a, const bn254_fr *b) { ns_mont_sub4(r->l, a->l, b->l, FR->p); }
void bn254_fr_neg(bn254_fr *r, const bn254_fr *a) { ns_mont_neg(r->l, a->l, FR); }

void bn254_fr_mul(bn254_fr *r, const bn254_fr *a, const bn254_fr *b) { fr_mul(r->l, a->l, b->l); }
void bn254_fr_sqr(bn254_fr *r, const bn254_fr *a) { fr_mul(r->l, a->l, a->l); }

/* a^(r-2) (0 -> 0): square and multiply over the public, fixed exponent,
 * so constant time in a. */
void bn254_fr_inv(bn254_fr *r, const bn254_fr *a) {
    static const uint64_t e[4] = BN254_RM2_LIMBS;
    bn254_fr acc, base = *a;
    bn254_fr_one(&acc);
    for (int bit = 253; bit >= 0; bit--) {
        bn254_fr_sqr(&acc, &acc);
        if ((e[bit / 64] >> (bit % 64)) & 1) bn254_fr_mul(&acc, &acc, &base);
    }
    *r = acc;
}

/* Fr inversions are rare (one per contribution): the Fermat one serves. */
void bn254_fr_inv_var(bn254_fr *r, const bn254_fr *a) { bn254_fr_inv(r, a); }
int bn254_fr_is_zero(const bn254_fr *a) { return (int)(ns_mont_is_zero_mask(a->l, FR) & 1); }
int bn254_fr_eq(const bn254_fr *a, const bn254_fr *b) { return (int)(ns_mont_eq_mask(a->l, b->l, FR) & 1); }

void bn254_fr_pow_var(bn254_fr *r, const bn254_fr *a, const uint64_t *e, int ebits) {
    bn254_fr acc, base = *a;
    bn254_fr_one(&acc);
    for (int bit = ebits - 1; bit >= 0; bit--) {
        bn254_fr_sqr(&acc, &acc);
        if ((e[bit / 64] >> (bit % 64)) & 1) bn254_fr_mul(&acc, &acc, &base);
    }
    *r = acc;
}

BN254_FIELD_BYTES_IMPL(fr, FR)

void bn254_fr_to_canonical(uint64_t out[4], const bn254_fr *a) { bn254x_fr_canonical(out, a->l); }

int bn254_fr_from_canonical(bn254_fr *r, const uint64_t in[4]) {
    if (!bn254_lt4(in, FR->p)) return 0;
    fr_to_mont(r, in);
    return 1;
}

void bn254_fr_root_of_unity(bn254_fr *r, int log2n) {
    bn254_fr w;
    memcpy(w.l, ROOT28, sizeof w.l);
    if (log2n < 0 || log2n > 28) { /* out of range: no such root; return 0 */
        bn254_fr_zero(r);
        return;
    }
    for (int k = 28; k > log2n; k--) bn254_fr_sqr(&w, &w);
    *r = w;
}
