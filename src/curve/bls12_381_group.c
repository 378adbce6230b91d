/* BLS12-381 G1 and G2: Jacobian arithmetic, scalar multiplication,
 * endomorphisms, subgroup checks and cofactor clearing.  Variable time
 * (public data only).  Constants are Montgomery forms; the unit tests check
 * them against the canonical values in tests/vectors/drand. */
#include "curve/bls12_381_group.h"

#include <string.h>

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

/* ------------------------------------------------------------ G1 Jacobian */

void bls_g1_identity(bls_g1 *r) {
    bls_fp_one(&r->x);
    bls_fp_one(&r->y);
    bls_fp_zero(&r->z);
}

int bls_g1_is_identity(const bls_g1 *a) { return bls_fp_is_zero(&a->z); }

void bls_g1_from_affine(bls_g1 *r, const bls_g1_affine *a) {
    if (a->inf) {
        bls_g1_identity(r);
        return;
    }
    r->x = a->x;
    r->y = a->y;
    bls_fp_one(&r->z);
}

void bls_g1_to_affine_var(bls_g1_affine *r, const bls_g1 *a) {
    if (bls_g1_is_identity(a)) {
        bls_fp_zero(&r->x);
        bls_fp_zero(&r->y);
        r->inf = 1;
        return;
    }
    bls_fp zi, zi2;
    bls_fp_inv_var(&zi, &a->z);
    bls_fp_sqr(&zi2, &zi);
    bls_fp_mul(&r->x, &a->x, &zi2);
    bls_fp_mul(&zi2, &zi2, &zi);
    bls_fp_mul(&r->y, &a->y, &zi2);
    r->inf = 0;
}

void bls_g1_neg(bls_g1 *r, const bls_g1 *a) {
    r->x = a->x;
    bls_fp_neg(&r->y, &a->y);
    r->z = a->z;
}

/* dbl-2009-l (a = 0) */
void bls_g1_dbl(bls_g1 *r, const bls_g1 *a) {
    bls_fp A, B, C, D, E, F, t;
    bls_fp_sqr(&A, &a->x);
    bls_fp_sqr(&B, &a->y);
    bls_fp_sqr(&C, &B);
    bls_fp_add(&D, &a->x, &B);
    bls_fp_sqr(&D, &D);
    bls_fp_sub(&D, &D, &A);
    bls_fp_sub(&D, &D, &C);
    bls_fp_dbl(&D, &D);
    bls_fp_dbl(&E, &A);
    bls_fp_add(&E, &E, &A);
    bls_fp_sqr(&F, &E);
    bls_fp_mul(&t, &a->y, &a->z);
    bls_fp_dbl(&r->z, &t);
    bls_fp_dbl(&t, &D);
    bls_fp_sub(&r->x, &F, &t);
    bls_fp_sub(&t, &D, &r->x);
    bls_fp_mul(&t, &t, &E);
    bls_fp_dbl(&C, &C);
    bls_fp_dbl(&C, &C);
    bls_fp_dbl(&C, &C);
    bls_fp_sub(&r->y, &t, &C);
}

void bls_g1_add_var(bls_g1 *r, const bls_g1 *a, const bls_g1 *b) {
    if (bls_g1_is_identity(a)) {
        *r = *b;
        return;
    }
    if (bls_g1_is_identity(b)) {
        *r = *a;
        return;
    }
    bls_fp z1z1, z2z2, u1, u2, s1, s2, h, rr, hh, hhh, v, t;
    bls_fp_sqr(&z1z1, &a->z);
    bls_fp_sqr(&z2z2, &b->z);
    bls_fp_mul(&u1, &a->x, &z2z2);
    bls_fp_mul(&u2, &b->x, &z1z1);
    bls_fp_mul(&s1, &a->y, &b->z);
    bls_fp_mul(&s1, &s1, &z2z2);
    bls_fp_mul(&s2, &b->y, &a->z);
    bls_fp_mul(&s2, &s2, &z1z1);
    bls_fp_sub(&h, &u2, &u1);
    bls_fp_sub(&rr, &s2, &s1);
    if (bls_fp_is_zero(&h)) {
        if (bls_fp_is_zero(&rr)) bls_g1_dbl(r, a);
        else bls_g1_identity(r);
        return;
    }
    bls_fp_sqr(&hh, &h);
    bls_fp_mul(&hhh, &hh, &h);
    bls_fp_mul(&v, &u1, &hh);
    bls_fp_mul(&t, &a->z, &b->z);
    bls_fp_mul(&r->z, &t, &h);
    bls_fp_sqr(&t, &rr);
    bls_fp_sub(&t, &t, &hhh);
    bls_fp_sub(&t, &t, &v);
    bls_fp_sub(&r->x, &t, &v);
    bls_fp_sub(&t, &v, &r->x);
    bls_fp_mul(&t, &t, &rr);
    bls_fp_mul(&s1, &s1, &hhh);
    bls_fp_sub(&r->y, &t, &s1);
}

void bls_g1_mul_var(bls_g1 *r, const bls_g1 *a, const uint64_t *k, size_t nlimbs) {
    bls_g1 acc, base = *a;
    bls_g1_identity(&acc);
    for (size_t i = nlimbs * 64; i-- > 0;) {
        bls_g1_dbl(&acc, &acc);
        if ((k[i / 64] >> (i % 64)) & 1) bls_g1_add_var(&acc, &acc, &base);
    }
    *r = acc;
}

int bls_g1_eq_var(const bls_g1 *a, const bls_g1 *b) {
    int ia = bls_g1_is_identity(a), ib = bls_g1_is_identity(b);
    if (ia || ib) return ia && ib;
    bls_fp z1z1, z2z2, l, rr;
    bls_fp_sqr(&z1z1, &a->z);
    bls_fp_sqr(&z2z2, &b->z);
    bls_fp_mul(&l, &a->x, &z2z2);
    bls_fp_mul(&rr, &b->x, &z1z1);
    if (!bls_fp_eq(&l, &rr)) return 0;
    bls_fp_mul(&z1z1, &z1z1, &a->z);
    bls_fp_mul(&z2z2, &z2z2, &b->z);
    bls_fp_mul(&l, &a->y, &z2z2);
    bls_fp_mul(&rr, &b->y, &z1z1);
    return bls_fp_eq(&l, &rr);
}

int bls_g1_affine_on_curve_var(const bls_g1_affine *a) {
    if (a->inf) return 1;
    bls_fp l, rr, b;
    g1_curve_b(&b);
    bls_fp_sqr(&l, &a->y);
    bls_fp_sqr(&rr, &a->x);
    bls_fp_mul(&rr, &rr, &a->x);
    bls_fp_add(&rr, &rr, &b);
    return bls_fp_eq(&l, &rr);
}

/* ------------------------------------------------------------ G2 Jacobian */

void bls_g2_identity(bls_g2 *r) {
    bls_fp2_one(&r->x);
    bls_fp2_one(&r->y);
    bls_fp2_zero(&r->z);
}

int bls_g2_is_identity(const bls_g2 *a) { return bls_fp2_is_zero(&a->z); }

void bls_g2_from_affine(bls_g2 *r, const bls_g2_affine *a) {
    if (a->inf) {
        bls_g2_identity(r);
        return;
    }
    r->x = a->x;
    r->y = a->y;
    bls_fp2_one(&r->z);
}

void bls_g2_to_affine_var(bls_g2_affine *r, const bls_g2 *a) {
    if (bls_g2_is_identity(a)) {
        bls_fp2_zero(&r->x);
        bls_fp2_zero(&r->y);
        r->inf = 1;
        return;
    }
    bls_fp2 zi, zi2;
    bls_fp2_inv_var(&zi, &a->z);
    bls_fp2_sqr(&zi2, &zi);
    bls_fp2_mul(&r->x, &a->x, &zi2);
    bls_fp2_mul(&zi2, &zi2, &zi);
    bls_fp2_mul(&r->y, &a->y, &zi2);
    r->inf = 0;
}

void bls_g2_neg(bls_g2 *r, const bls_g2 *a) {
    r->x = a->x;
    bls_fp2_neg(&r->y, &a->y);
    r->z = a->z;
}

/* dbl-2009-l (a = 0); every read of a comes before the first write of r. */
void bls_g2_dbl_parts(bls_g2 *r, bls_fp2 *E, bls_fp2 *B, const bls_g2 *a) {
    bls_fp2 A, C, D, F, t;
    bls_fp2_sqr(&A, &a->x);
    bls_fp2_sqr(B, &a->y);
    bls_fp2_sqr(&C, B);
    bls_fp2_add(&D, &a->x, B);
    bls_fp2_sqr(&D, &D);
    bls_fp2_sub(&D, &D, &A);
    bls_fp2_sub(&D, &D, &C);
    bls_fp2_dbl(&D, &D);
    bls_fp2_dbl(E, &A);
    bls_fp2_add(E, E, &A);
    bls_fp2_sqr(&F, E);
    bls_fp2_mul(&t, &a->y, &a->z);
    bls_fp2_dbl(&r->z, &t);
    bls_fp2_dbl(&t, &D);
    bls_fp2_sub(&r->x, &F, &t);
    bls_fp2_sub(&t, &D, &r->x);
    bls_fp2_mul(&t, &t, E);
    bls_fp2_dbl(&C, &C);
    bls_fp2_dbl(&C, &C);
    bls_fp2_dbl(&C, &C);
    bls_fp2_sub(&r->y, &t, &C);
}

void bls_g2_dbl(bls_g2 *r, const bls_g2 *a) {
    bls_fp2 E, B;
    bls_g2_dbl_parts(r, &E, &B, a);
}

void bls_g2_add_var(bls_g2 *r, const bls_g2 *a, const bls_g2 *b) {
    if (bls_g2_is_identity(a)) {
        *r = *b;
        return;
    }
    if (bls_g2_is_identity(b)) {
        *r = *a;
        return;
    }
    bls_fp2 z1z1, z2z2, u1, u2, s1, s2, h, rr, hh, hhh, v, t;
    bls_fp2_sqr(&z1z1, &a->z);
    bls_fp2_sqr(&z2z2, &b->z);
    bls_fp2_mul(&u1, &a->x, &z2z2);
    bls_fp2_mul(&u2, &b->x, &z1z1);
    bls_fp2_mul(&s1, &a->y, &b->z);
    bls_fp2_mul(&s1, &s1, &z2z2);
    bls_fp2_mul(&s2, &b->y, &a->z);
    bls_fp2_mul(&s2, &s2, &z1z1);
    bls_fp2_sub(&h, &u2, &u1);
    bls_fp2_sub(&rr, &s2, &s1);
    if (bls_fp2_is_zero(&h)) {
        if (bls_fp2_is_zero(&rr)) bls_g2_dbl(r, a);
        else bls_g2_identity(r);
        return;
    }
    bls_fp2_sqr(&hh, &h);
    bls_fp2_mul(&hhh, &hh, &h);
    bls_fp2_mul(&v, &u1, &hh);
    bls_fp2_mul(&t, &a->z, &b->z);
    bls_fp2_mul(&r->z, &t, &h);
    bls_fp2_sqr(&t, &rr);
    bls_fp2_sub(&t, &t, &hhh);
    bls_fp2_sub(&t, &t, &v);
    bls_fp2_sub(&r->x, &t, &v);
    bls_fp2_sub(&t, &v, &r->x);
    bls_fp2_mul(&t, &t, &rr);
    bls_fp2_mul(&s1, &s1, &hhh);
    bls_fp2_sub(&r->y, &t, &s1);
}

void bls_g2_mul_var(bls_g2 *r, const bls_g2 *a, const uint64_t *k, size_t nlimbs) {
    bls_g2 acc, base = *a;
    bls_g2_identity(&acc);
    for (size_t i = nlimbs * 64; i-- > 0;) {
        bls_g2_dbl(&acc, &acc);
        if ((k[i / 64] >> (i % 64)) & 1) bls_g2_add_var(&acc, &acc, &base);
    }
    *r = acc;
}

int bls_g2_eq_var(const bls_g2 *a, const bls_g2 *b) {
    int ia = bls_g2_is_identity(a), ib = bls_g2_is_identity(b);
    if (ia || ib) return ia && ib;
    bls_fp2 z1z1, z2z2, l, rr;
    bls_fp2_sqr(&z1z1, &a->z);
    bls_fp2_sqr(&z2z2, &b->z);
    bls_fp2_mul(&l, &a->x, &z2z2);
    bls_fp2_mul(&rr, &b->x, &z1z1);
    if (!bls_fp2_eq(&l, &rr)) return 0;
    bls_fp2_mul(&z1z1, &z1z1, &a->z);
    bls_fp2_mul(&z2z2, &z2z2, &b->z);
    bls_fp2_mul(&l, &a->y, &z2z2);
    bls_fp2_mul(&rr, &b->y, &z1z1);
    return bls_fp2_eq(&l, &rr);
}

int bls_g2_affine_on_curve_var(const bls_g2_affine *a) {
    if (a->inf) return 1;
    bls_fp2 l, rr, b;
    g2_curve_b(&b);
    bls_fp2_sqr(&l, &a->y);
    bls_fp2_sqr(&rr, &a->x);
    bls_fp2_mul(&rr, &rr, &a->x);
    bls_fp2_add(&rr, &rr, &b);
    return bls_fp2_eq(&l, &rr);
}

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
