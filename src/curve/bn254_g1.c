/* BN254 G1: y^2 = x^3 + 3 over Fq, Jacobian coordinates.  The group law
 * (infinity, conversions, dbl, add, mixed add, neg, eq, on-curve, mul_var)
 * is instantiated from curve/point_impl.h; this file holds what is
 * specific to G1: the curve constant, the generator and the check. */
#include "curve/bn254.h"
#include "curve/bn254_fast.h"
#include "curve/bn254_wnaf.h"
#include "curve/point_impl.h"

/* r = flag ? a : r (flag 0 or 1) without branching: the template's select. */
static inline void bn254_fq_pt_cmov(bn254_fq *r, const bn254_fq *a, int flag) {
    bn254x_cmov(r, a, (uint64_t)0 - (uint64_t)(flag & 1));
}

/* b = 3 in Montgomery form (3 R mod q): a constant, not a Montgomery
 * product per on-curve check (zkey new checks ~330k points at 2^16). */
static void g1_curve_b(bn254_fq *b) {
    static const bn254_fq B3 = {{0x7a17caa950ad28d7ull, 0x1f6ac17ae15521b9ull, 0x334bea4e696bd284ull,
                                 0x2a1f6744ce179d8eull}};
    *b = B3;
}

NS_POINT_IMPL(bn254_g1, bn254_fq, g1_curve_b)

void bn254_g1_generator(bn254_g1 *r) {
    bn254_fq_one(&r->x);
    bn254_fq_from_u64(&r->y, 2);
    bn254_fq_one(&r->z);
}

void bn254_g1_affine_generator(bn254_g1_affine *r) {
    bn254_fq_one(&r->x);
    bn254_fq_from_u64(&r->y, 2);
}

int bn254_g1_check(const bn254_g1_affine *a) { return bn254_g1_affine_on_curve(a); }

void bn254_g1_affine_add_with_inv(bn254_g1_affine *r, const bn254_g1_affine *a, const bn254_g1_affine *b,
                                  const bn254_fq *inv) {
    bn254x_g1_affine_add_inv(r, a, b, inv);
}
