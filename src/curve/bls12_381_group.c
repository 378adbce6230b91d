/* BLS12-381 G1 and G2: Jacobian arithmetic (the group law of
 * curve/point_impl.h), scalar multiplication, endomorphisms, subgroup
 * checks and cofactor clearing.  Variable time
 * (public data only).  Constants are Montgomery forms; the unit tests check
 * them against the canonical values in tests/vectors/drand. */
#include "curve/bls12_381_group.h"

#include <string.h>

#include "curve/point_impl.h"

/* Generators (affine, Montgomery form) */
static const bls_fp G1_GEN_X = {{0x5cb38790fd530c16ULL, 0x7817fc679976fff5ULL, 0x154f95c7143ba1c1ULL, 0xf0ae6acdf3d0e747ULL, 0xedce6ecc21dbf440ULL, 0x120177419e0bfb75ULL}};
static const bls_fp G1_GEN_Y = {{0xbaac93d50ce72271ULL, 0x8c22631a7918fd8eULL, 0xdd595f13570725ceULL, 0x51ac582950405194ULL, 0x0e1c8c3fad0059c0ULL, 0x0bbc3efc5008a26aULL}};
static const bls_fp2 G2_GEN_X = {{{0xf5f28fa202940a10ULL, 0xb3f5fb2687b4961aULL, 0xa1a893b53e2ae580ULL, 0x9894999d1a3caee9ULL, 0x6f67b7631863366bULL, 0x058191924350bcd7ULL}}, {{0xa5a9c0759e23f606ULL, 0xaaa0c59dbccd60c3ULL, 0x3bb17e18e2867806ULL, 0x1b1ab6cc8541b367ULL, 0xc2b6ed0ef2158547ULL, 0x11922a097360edf3ULL}}};
static const bls_fp2 G2_GEN_Y = {{{0x4c730af860494c4aULL, 0x597cfa1f5e369c5aULL, 0xe7e6856caa0a635aULL, 0xbbefb5e96e0d495fULL, 0x07d3a975f0ef25a2ULL, 0x0083fd8e7e80dae5ULL}}, {{0xadc0fc92df64b05dULL, 0x18aa270a2b1461dcULL, 0x86adac6a3be4eba0ULL, 0x79495c4ec93da33aULL, 0xe7175850a43ccaedULL, 0x0b2bc2a163de1bf2ULL}}};
/* beta: the cube root of unity with phi(P) = [-z^2]P on G1 */
static const bls_fp G1_BETA = {{0x30f1361b798a64e8ULL, 0xf3b8ddab7ece5a2aULL, 0x16a8ca3ac61577f7ULL, 0xc26a2ff874fd029bULL, 0x3636b76660701c6eULL, 0x051ba4ab241b6160ULL}};
/* psi(x, y) = (PSI_C1 conj(x), PSI_C2 conj(y)); psi^2(x, y) = (PSI2_C1 x, -y) */
static const bls_fp2 PSI_C1 = {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0x890dc9e4867545c3ULL, 0x2af322533285a5d5ULL, 0x50880866309b7e2cULL, 0xa20d1b8c7e881024ULL, 0x14e4f04fe2db9068ULL, 0x14e56d3f1564853aULL}}};
static const bls_fp2 PSI_C2 = {{{0x3e2f585da55c9ad1ULL, 0x4294213d86c18183ULL, 0x382844c88b623732ULL, 0x92ad2afd19103e18ULL, 0x1d794e4fac7cf0b9ULL, 0x0bd592fc7d825ec8ULL}}, {{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL, 0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}}};
static const bls_fp2 PSI2_C1 = {{{0xcd03c9e48671f071ULL, 0x5dab22461fcda5d2ULL, 0x587042afd3851b95ULL, 0x8eb60ebe01bacb9eULL, 0x03f97d6e83d050d2ULL, 0x18f0206554638741ULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}};

static void g1_curve_b(bls_fp *b) { bls_fp_from_u64(b, 4); }
static void g2_curve_b(bls_fp2 *b) {
    bls_fp_from_u64(&b->c0, 4);
    b->c1 = b->c0;
}

/* ------------------------------------------------------------ group law */

/* Affine points carry an explicit identity flag here (ZCash encodings), so
 * the affine conversions and the curve equation are this file's; the
 * Jacobian law is curve/point_impl.h's, shared with BN254. */
#define BLS_GROUP_IMPL(P, F, curve_b)                                                                 \
    NS_POINT_INFINITY_IMPL(P, F)                                                                      \
    NS_POINT_DBL_IMPL(P, F)                                                                           \
    NS_POINT_ADD_VAR_IMPL(P, F)                                                                       \
    NS_POINT_NEG_EQ_IMPL(P, F)                                                                        \
    NS_POINT_MUL_BITS_VAR_IMPL(P)                                                                     \
                                                                                                      \
    void P##_from_affine(P *r, const P##_affine *a) {                                                 \
        if (a->inf) {                                                                                 \
            P##_set_infinity(r);                                                                      \
            return;                                                                                   \
        }                                                                                             \
        r->x = a->x;                                                                                  \
        r->y = a->y;                                                                                  \
        F##_one(&r->z);                                                                               \
    }                                                                                                 \
                                                                                                      \
    void P##_to_affine_var(P##_affine *r, const P *a) {                                               \
        if (P##_is_infinity(a)) {                                                                     \
            F##_zero(&r->x);                                                                          \
            F##_zero(&r->y);                                                                          \
            r->inf = 1;                                                                               \
            return;                                                                                   \
        }                                                                                             \
        F zi, zi2;                                                                                    \
        F##_inv_var(&zi, &a->z);                                                                      \
        F##_sqr(&zi2, &zi);                                                                           \
        F##_mul(&r->x, &a->x, &zi2);                                                                  \
        F##_mul(&zi2, &zi2, &zi);                                                                     \
        F##_mul(&r->y, &a->y, &zi2);                                                                  \
        r->inf = 0;                                                                                   \
    }                                                                                                 \
                                                                                                      \
    int P##_affine_on_curve_var(const P##_affine *a) {                                                \
        if (a->inf) return 1;                                                                         \
        F l, rr, b;                                                                                   \
        curve_b(&b);                                                                                  \
        F##_sqr(&l, &a->y);                                                                           \
        F##_sqr(&rr, &a->x);                                                                          \
        F##_mul(&rr, &rr, &a->x);                                                                     \
        F##_add(&rr, &rr, &b);                                                                        \
        return F##_eq(&l, &rr);                                                                       \
    }

BLS_GROUP_IMPL(bls_g1, bls_fp, g1_curve_b)
BLS_GROUP_IMPL(bls_g2, bls_fp2, g2_curve_b)

void bls_g2_dbl_parts(bls_g2 *r, bls_fp2 *E, bls_fp2 *B, const bls_g2 *a) { bls_g2_dbl_core(r, E, B, a); }

/* ------------------------------------------------------------ specifics */

void bls_g1_generator(bls_g1 *r) {
    r->x = G1_GEN_X;
    r->y = G1_GEN_Y;
    bls_fp_one(&r->z);
}

void bls_g1_generator_affine(bls_g1_affine *r) {
    r->x = G1_GEN_X;
    r->y = G1_GEN_Y;
    r->inf = 0;
}

void bls_g2_generator_affine(bls_g2_affine *r) {
    r->x = G2_GEN_X;
    r->y = G2_GEN_Y;
    r->inf = 0;
}

void bls_g2_generator(bls_g2 *r) {
    r->x = G2_GEN_X;
    r->y = G2_GEN_Y;
    bls_fp2_one(&r->z);
}

int bls_g1_in_subgroup_var(const bls_g1 *a) {
    const uint64_t zabs = BLS_Z_ABS;
    bls_g1 phi, t;
    phi.x = a->x;
    bls_fp_mul(&phi.x, &a->x, &G1_BETA);
    phi.y = a->y;
    phi.z = a->z;
    bls_g1_mul_var(&t, a, &zabs, 1);
    bls_g1_mul_var(&t, &t, &zabs, 1);
    bls_g1_neg(&t, &t);
    return bls_g1_eq_var(&phi, &t);
}

void bls_g1_clear_cofactor_var(bls_g1 *r, const bls_g1 *a) {
    const uint64_t heff = 0xd201000000010001ULL;
    bls_g1_mul_var(r, a, &heff, 1);
}

/* Frobenius commutes with the Jacobian scaling: conj(X/Z^2) = conj(X)/conj(Z)^2. */
void bls_g2_psi(bls_g2 *r, const bls_g2 *a) {
    bls_fp2_conj(&r->x, &a->x);
    bls_fp2_mul(&r->x, &r->x, &PSI_C1);
    bls_fp2_conj(&r->y, &a->y);
    bls_fp2_mul(&r->y, &r->y, &PSI_C2);
    bls_fp2_conj(&r->z, &a->z);
}

void bls_g2_psi2(bls_g2 *r, const bls_g2 *a) {
    bls_fp2_mul(&r->x, &a->x, &PSI2_C1);
    bls_fp2_neg(&r->y, &a->y);
    r->z = a->z;
}

/* [z]P with z < 0 */
static void g2_mul_by_z(bls_g2 *r, const bls_g2 *a) {
    const uint64_t zabs = BLS_Z_ABS;
    bls_g2_mul_var(r, a, &zabs, 1);
    bls_g2_neg(r, r);
}

int bls_g2_in_subgroup_var(const bls_g2 *a) {
    bls_g2 p, t;
    bls_g2_psi(&p, a);
    g2_mul_by_z(&t, a);
    return bls_g2_eq_var(&p, &t);
}

/* RFC 9380 App. G.3 with c1 = z. */
void bls_g2_clear_cofactor_var(bls_g2 *r, const bls_g2 *a) {
    bls_g2 t1, t2, t3, np;
    g2_mul_by_z(&t1, a);          /* t1 = c1 P */
    bls_g2_psi(&t2, a);           /* t2 = psi(P) */
    bls_g2_dbl(&t3, a);           /* t3 = 2P */
    bls_g2_psi2(&t3, &t3);        /* t3 = psi2(2P) */
    bls_g2_neg(&np, &t2);
    bls_g2_add_var(&t3, &t3, &np);/* t3 = t3 - t2 */
    bls_g2_add_var(&t2, &t1, &t2);/* t2 = t1 + t2 */
    g2_mul_by_z(&t2, &t2);        /* t2 = c1 t2 */
    bls_g2_add_var(&t3, &t3, &t2);/* t3 = t3 + t2 */
    bls_g2_neg(&np, &t1);
    bls_g2_add_var(&t3, &t3, &np);/* t3 = t3 - t1 */
    bls_g2_neg(&np, a);
    bls_g2_add_var(r, &t3, &np);  /* Q = t3 - P */
}
