/* BN254 G1/G2 group law: generators, group orders, complete vs variable-time
 * additions on all special cases, scalar multiplication linearity, batch
 * conversion, on-curve and G2 subgroup checks (psi criterion cross-checked
 * against r*Q == O).  The group-law checks are written once
 * (BN254_GROUP_TESTS) and instantiated for G1 and G2. */
#include <string.h>

#include "curve/bn254.h"
#include "testutil.h"

static const uint64_t R_ORDER[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                    0x30644e72e131a029ULL};
/* G2 cofactor 2q - r */
static const uint64_t H2[4] = {0x345f2299c0f9fa8dULL, 0x06ceecda572a2489ULL, 0xb85045b68181585eULL,
                               0x30644e72e131a029ULL};

static void rand_scalar(uint64_t k[4]) {
    bn254_fr f;
    uint8_t b[32];
    do {
        ns_test_rand_bytes(b, 32);
        b[31] &= 0x3f;
    } while (!bn254_fr_from_le(&f, b));
    bn254_fr_to_canonical(k, &f);
}

static void fr_of(bn254_fr *f, const uint64_t k[4]) { CHECK(bn254_fr_from_canonical(f, k)); }

/* Random a, b and their sum s and product ab mod r, as canonical limbs. */
static void rand_scalar_pair(uint64_t a[4], uint64_t b[4], uint64_t s[4], uint64_t ab[4]) {
    bn254_fr fa, fb, fs, fab;
    rand_scalar(a);
    rand_scalar(b);
    fr_of(&fa, a);
    fr_of(&fb, b);
    bn254_fr_add(&fs, &fa, &fb);
    bn254_fr_to_canonical(s, &fs);
    bn254_fr_mul(&fab, &fa, &fb);
    bn254_fr_to_canonical(ab, &fab);
}

/* Defines, for group G (g1, g2) with coordinates in F (fq, fq2):
 *   test_<G>_special()      generator, order, doubling vs the four adders,
 *                           P + (-P), identity operands, an off-curve point;
 *   test_<G>_random(iters)  linearity of mul and agreement of all adders on
 *                           random multiples of the generator;
 *   test_<G>_batch(n, step, base, inf_mask)  batch affine conversion of
 *                           (i*step + base) G, i < n <= 16, with the points
 *                           whose bit is set in inf_mask made the identity. */
/* G1's check is constant time, G2's (subgroup) is not: one name for the template. */
static int g1_check_point(const bn254_g1_affine *a) { return bn254_g1_check(a); }
static int g2_check_point(const bn254_g2_affine *a) { return bn254_g2_check_var(a); }

#define BN254_GROUP_TESTS(G, F)                                                                           \
    static void test_##G##_special(void) {                                                                \
        bn254_##G g, t, u, o, ng;                                                                         \
        bn254_##G##_affine ga, aa, nga, inf_a;                                                            \
        bn254_##G##_generator(&g);                                                                        \
        bn254_##G##_affine_generator(&ga);                                                                \
        CHECK(bn254_##G##_affine_on_curve(&ga));                                                          \
        CHECK(G##_check_point(&ga));                                                                    \
        bn254_##G##_set_infinity(&o);                                                                     \
        /* r G = O; (r - 1) G = -G */                                                                     \
        bn254_##G##_mul_var(&t, &g, R_ORDER);                                                             \
        CHECK(bn254_##G##_is_infinity(&t));                                                               \
        uint64_t rm1[4] = {R_ORDER[0] - 1, R_ORDER[1], R_ORDER[2], R_ORDER[3]};                           \
        bn254_##G##_mul_var(&t, &g, rm1);                                                                 \
        bn254_##G##_neg(&u, &g);                                                                          \
        CHECK(bn254_##G##_eq_var(&t, &u));                                                                \
        /* 2G == G + G in all four adders (the complete ones take their doubling path) */                 \
        bn254_##G##_dbl(&t, &g);                                                                          \
        bn254_##G##_add(&u, &g, &g);                                                                      \
        CHECK(bn254_##G##_eq_var(&t, &u));                                                                \
        bn254_##G##_add_var(&u, &g, &g);                                                                  \
        CHECK(bn254_##G##_eq_var(&t, &u));                                                                \
        bn254_##G##_add_affine(&u, &g, &ga);                                                              \
        CHECK(bn254_##G##_eq_var(&t, &u));                                                                \
        bn254_##G##_add_affine_var(&u, &g, &ga);                                                          \
        CHECK(bn254_##G##_eq_var(&t, &u));                                                                \
        /* P + (-P) = O in all four adders, and in either order for the Jacobian ones */                  \
        bn254_##G##_neg(&ng, &g);                                                                         \
        bn254_##G##_affine_neg(&nga, &ga);                                                                \
        bn254_##G##_add(&u, &g, &ng);                                                                     \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_add_var(&u, &g, &ng);                                                                 \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_add_var(&u, &ng, &g);                                                                 \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_add_affine(&u, &g, &nga);                                                             \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_add_affine_var(&u, &g, &nga);                                                         \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        /* identity operands */                                                                           \
        memset(&inf_a, 0, sizeof inf_a);                                                                  \
        CHECK(bn254_##G##_affine_is_infinity(&inf_a) && bn254_##G##_affine_on_curve(&inf_a) &&            \
              G##_check_point(&inf_a));                                                                 \
        bn254_##G##_add(&u, &o, &g);                                                                      \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_add(&u, &g, &o);                                                                      \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_add(&u, &o, &o);                                                                      \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_add_var(&u, &o, &g);                                                                  \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_add_affine(&u, &o, &ga);                                                              \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_add_affine(&u, &g, &inf_a);                                                           \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_add_affine(&u, &o, &inf_a);                                                           \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_add_affine_var(&u, &o, &ga);                                                          \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_add_affine_var(&u, &g, &inf_a);                                                       \
        CHECK(bn254_##G##_eq_var(&u, &g));                                                                \
        bn254_##G##_dbl(&u, &o);                                                                          \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        bn254_##G##_to_affine(&aa, &o);                                                                   \
        CHECK(bn254_##G##_affine_is_infinity(&aa));                                                       \
        bn254_##G##_from_affine(&u, &inf_a);                                                              \
        CHECK(bn254_##G##_is_infinity(&u));                                                               \
        /* off-curve point rejected */                                                                    \
        aa = ga;                                                                                          \
        bn254_##F##_add(&aa.y, &aa.y, &aa.x);                                                             \
        CHECK(!G##_check_point(&aa));                                                                   \
    }                                                                                                     \
                                                                                                          \
    static void test_##G##_random(int iters) {                                                            \
        bn254_##G g, t, u, pa, pb, ps, sum, pa2;                                                          \
        bn254_##G##_affine pba, pba2;                                                                     \
        bn254_##G##_generator(&g);                                                                        \
        for (int i = 0; i < iters; i++) {                                                                 \
            uint64_t a[4], b[4], s[4], ab[4];                                                             \
            rand_scalar_pair(a, b, s, ab);                                                                \
            /* aG + bG == (a + b)G with every adder */                                                    \
            bn254_##G##_mul_var(&pa, &g, a);                                                              \
            bn254_##G##_mul_var(&pb, &g, b);                                                              \
            bn254_##G##_mul_var(&ps, &g, s);                                                              \
            bn254_##G##_add(&sum, &pa, &pb);                                                              \
            CHECK(bn254_##G##_eq_var(&sum, &ps));                                                         \
            bn254_##G##_add_var(&sum, &pa, &pb);                                                          \
            CHECK(bn254_##G##_eq_var(&sum, &ps));                                                         \
            bn254_##G##_to_affine(&pba, &pb);                                                             \
            CHECK(G##_check_point(&pba));                                                               \
            bn254_##G##_to_affine_var(&pba2, &pb);                                                        \
            CHECK(memcmp(&pba, &pba2, sizeof pba) == 0);                                                  \
            bn254_##G##_add_affine(&sum, &pa, &pba);                                                      \
            CHECK(bn254_##G##_eq_var(&sum, &ps));                                                         \
            bn254_##G##_add_affine_var(&sum, &pa, &pba);                                                  \
            CHECK(bn254_##G##_eq_var(&sum, &ps));                                                         \
            /* a (b G) == (a b) G */                                                                      \
            bn254_##G##_mul_var(&t, &pb, a);                                                              \
            bn254_##G##_mul_var(&u, &g, ab);                                                              \
            CHECK(bn254_##G##_eq_var(&t, &u));                                                            \
            /* doubling inside the complete adds, operands with different Z */                           \
            bn254_##G##_from_affine(&pa2, &pba);                                                          \
            bn254_##G##_add(&sum, &pb, &pa2);                                                             \
            bn254_##G##_dbl(&t, &pb);                                                                     \
            CHECK(bn254_##G##_eq_var(&sum, &t));                                                          \
            bn254_##G##_add_affine(&sum, &pb, &pba);                                                      \
            CHECK(bn254_##G##_eq_var(&sum, &t));                                                          \
            CHECK(!bn254_##G##_eq_var(&pa, &pb));                                                         \
        }                                                                                                 \
    }                                                                                                     \
                                                                                                          \
    static void test_##G##_batch(int n, uint64_t step, uint64_t base, unsigned inf_mask) {                \
        bn254_##G g, pts[16];                                                                             \
        bn254_##G##_affine aff[16], one;                                                                  \
        CHECK(n <= 16);                                                                                   \
        bn254_##G##_generator(&g);                                                                        \
        for (int i = 0; i < n; i++) {                                                                     \
            uint64_t k[4] = {(uint64_t)i * step + base, 0, 0, 0};                                         \
            bn254_##G##_mul_var(&pts[i], &g, k);                                                          \
            if (inf_mask >> i & 1) bn254_##G##_set_infinity(&pts[i]);                                     \
        }                                                                                                 \
        bn254_##G##_batch_to_affine_var(aff, pts, (size_t)n);                                             \
        for (int i = 0; i < n; i++) {                                                                     \
            bn254_##G##_to_affine(&one, &pts[i]);                                                         \
            CHECK(memcmp(&one, &aff[i], sizeof one) == 0);                                                \
        }                                                                                                 \
    }

BN254_GROUP_TESTS(g1, fq)
BN254_GROUP_TESTS(g2, fq2)

/* psi acts on G2 as multiplication by q mod r = q - r. */
static void test_g2_psi(void) {
    static const uint64_t Q_MINUS_R[4] = {0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};
    bn254_g2 g, t, u;
    bn254_g2_generator(&g);
    bn254_g2_psi(&t, &g, 1);
    bn254_g2_mul_var(&u, &g, Q_MINUS_R);
    CHECK(bn254_g2_eq_var(&t, &u));
}

/* A random point of the twist E'(Fq2) (almost surely outside G2). */
static void rand_twist_point(bn254_g2_affine *rp) {
    for (;;) {
        uint8_t bx[32];
        ns_test_rand_bytes(bx, 32);
        bx[31] &= 0x1f;
        if (!bn254_fq_from_le(&rp->x.c0, bx)) continue;
        ns_test_rand_bytes(bx, 32);
        bx[31] &= 0x1f;
        if (!bn254_fq_from_le(&rp->x.c1, bx)) continue;
        bn254_fq2 rhs, bb;
        bn254_fq2_sqr(&rhs, &rp->x);
        bn254_fq2_mul(&rhs, &rhs, &rp->x);
        bn254_g2_affine gg;
        bn254_g2_affine_generator(&gg);
        /* b' = y_G^2 - x_G^3 */
        bn254_fq2_sqr(&bb, &gg.x);
        bn254_fq2_mul(&bb, &bb, &gg.x);
        bn254_fq2 y2;
        bn254_fq2_sqr(&y2, &gg.y);
        bn254_fq2_sub(&bb, &y2, &bb);
        bn254_fq2_add(&rhs, &rhs, &bb);
        if (bn254_fq2_sqrt_var(&rp->y, &rhs)) return;
    }
}

/* The subgroup test on random twist points: it agrees with r*Q == O, and
 * clearing the cofactor lands in G2. */
static void test_g2_subgroup(int iters) {
    for (int i = 0; i < iters; i++) {
        bn254_g2_affine rp;
        rand_twist_point(&rp);
        CHECK(bn254_g2_affine_on_curve(&rp));
        bn254_g2 rj, rr;
        bn254_g2_from_affine(&rj, &rp);
        bn254_g2_mul_var(&rr, &rj, R_ORDER);
        int by_order = bn254_g2_is_infinity(&rr);
        CHECK(bn254_g2_in_subgroup_var(&rj) == by_order);
        CHECK(!bn254_g2_check_var(&rp));
        bn254_g2_mul_var(&rj, &rj, H2);
        CHECK(bn254_g2_in_subgroup_var(&rj));
        bn254_g2_mul_var(&rr, &rj, R_ORDER);
        CHECK(bn254_g2_is_infinity(&rr));
        bn254_g2_affine ca;
        bn254_g2_to_affine_var(&ca, &rj);
        CHECK(bn254_g2_check_var(&ca));
        /* off-curve */
        ca.y.c0 = ca.x.c1;
        CHECK(!bn254_g2_check_var(&ca));
    }
}

int main(void) {
    test_g1_special();
    test_g1_random(40);
    test_g1_batch(9, 77, 1, 0x044); /* identities at 2 and 6 */
    test_g2_special();
    test_g2_psi();
    test_g2_random(15);
    test_g2_subgroup(15);
    test_g2_batch(5, 1001, 3, 0x009); /* identities at 0 and 3 */
    return ns_test_report("bn254_curve");
}
