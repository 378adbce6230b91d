/* BN254 G2: y^2 = x^3 + 3/(9+u) over Fq2 (the D-type twist), Jacobian coordinates.
 * The group law (infinity, conversions, dbl, add, mixed add, neg, eq,
 * on-curve, mul_var) is instantiated from curve/point_impl.h; this file holds
 * what is specific to G2: the twist constant, the generator, psi and the
 * subgroup check. */
#include "curve/bn254.h"
#include "curve/bn254_wnaf.h"
#include "curve/point_impl.h"
#include "ff/bn254_fq_fast.h"

/* r = flag ? a : r (flag 0 or 1) without branching: the template's select. */
static inline void bn254_fq2_pt_cmov(bn254_fq2 *r, const bn254_fq2 *a, int flag) {
    uint64_t m = (uint64_t)0 - (uint64_t)(flag & 1);
    bn254x_cmov(&r->c0, &a->c0, m);
    bn254x_cmov(&r->c1, &a->c1, m);
}

#define F(name) bn254_fq2_##name

/* b' = 3 / (9 + u), Montgomery form (Python big integers) */
static const bn254_fq2 TWIST_B = {
    {{0x3bf938e377b802a8ULL, 0x020b1b273633535dULL, 0x26b7edf049755260ULL, 0x2514c6324384a86dULL}},
    {{0x38e7ecccd1dcff67ULL, 0x65f0b37d93ce0d3eULL, 0xd749d0dd22ac00aaULL, 0x0141b9ce4a688d4dULL}}};

/* Generator (wasmcurves build_bn128.js / EIP-197), Montgomery form */
static const bn254_g2_affine GEN = {
    {{{0x8e83b5d102bc2026ULL, 0xdceb1935497b0172ULL, 0xfbb8264797811adfULL, 0x19573841af96503bULL}},
     {{0xafb4737da84c6140ULL, 0x6043dd5a5802d8c4ULL, 0x09e950fc52a02f86ULL, 0x14fef0833aea7b6bULL}}},
    {{{0x619dfa9d886be9f6ULL, 0xfe7fd297f59e9b78ULL, 0xff9e1a62231b7dfeULL, 0x28fd7eebae9e4206ULL}},
     {{0x64095b56c71856eeULL, 0xdc57f922327d3cbbULL, 0x55f935be33351076ULL, 0x0da4a0e693fd6482ULL}}}};

static void g2_curve_b(bn254_fq2 *b) { *b = TWIST_B; }

NS_POINT_IMPL(bn254_g2, bn254_fq2, g2_curve_b)

void bn254_g2_generator(bn254_g2 *r) {
    r->x = GEN.x;
    r->y = GEN.y;
    F(one)(&r->z);
}

void bn254_g2_affine_generator(bn254_g2_affine *r) { *r = GEN; }

/* psi = untwist o Frobenius o twist: (x, y) -> (conj(x) xi^((q-1)/3), conj(y) xi^((q-1)/2)),
 * psi^2: (x, y) -> (x xi^((q^2-1)/3), y xi^((q^2-1)/2)).  Works on Jacobian points
 * because the Z conjugation commutes (Z^q is used). */
void bn254_g2_psi(bn254_g2 *r, const bn254_g2 *a, int power) {
    bn254_g2 t = *a;
    if (power & 1) {
        F(conj)(&t.x, &t.x);
        F(conj)(&t.y, &t.y);
        F(conj)(&t.z, &t.z);
    }
    F(mul)(&t.x, &t.x, bn254_fq12_frobenius_coeff(power, 2));
    F(mul)(&t.y, &t.y, bn254_fq12_frobenius_coeff(power, 3));
    *r = t;
}

/* [6x^2] with x = 4965661367192848881 (the BN parameter) */
static const uint64_t SIX_X2[4] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};

int bn254_g2_in_subgroup_var(const bn254_g2 *a) {
    /* Q is in the order-r subgroup iff psi(Q) == [6x^2] Q (El Housni, Guillevic,
     * Piellard, "Co-factor clearing and subgroup membership testing on
     * pairing-friendly curves", 2022; the check @noble/curves uses). */
    bn254_g2 l, rr;
    bn254_g2_mul_var(&l, a, SIX_X2);
    bn254_g2_psi(&rr, a, 1);
    return bn254_g2_eq_var(&l, &rr);
}

int bn254_g2_check_var(const bn254_g2_affine *a) {
    if (!bn254_g2_affine_on_curve(a)) return 0;
    bn254_g2 j;
    bn254_g2_from_affine(&j, a);
    return bn254_g2_in_subgroup_var(&j);
}
