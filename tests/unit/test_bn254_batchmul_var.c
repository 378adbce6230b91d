/* Variable-time batch multiplication (bn254_g1_batch_mul_var, zkey beacon)
 * against the constant-time batch multiply and against bn254_g1_mul per
 * point: seeded random points (with infinity and duplicates) and scalars,
 * the edge scalars 0, 1, 2, r - 1, r - 2, r, 2^256 - 1, small ones, GLV
 * edges (lambda, -lambda, 2^128 +- 1, lattice-basis values, 10 lambda);
 * forced schedules that meet exceptional additions (every point must take
 * the fallback and still be right); the batched affine primitives with
 * exceptional entries.  Everything again on the portable (no MULX/ADX)
 * field code. */
#include <stdlib.h>
#include <string.h>

#include "curve/bn254_affine_batch.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_ctmul.h"
#include "curve/bn254_fast.h"
#include "ff/mont.h"
#include "testutil.h"

static ns_mont RM;

static const uint64_t LAMBDA[4] = {0x8b17ea66b99c90ddULL, 0x5bfc41088d8daaa7ULL, 0xb3c4d79d41a91758ULL, 0};

/* k = a * b mod r (canonical) */
static void mul_r(uint64_t k[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t am[4], bm[4];
    ns_mont_to_mont(am, a, &RM);
    ns_mont_to_mont(bm, b, &RM);
    ns_mont_mul(am, am, bm, &RM);
    ns_mont_from_mont(k, am, &RM);
}

static void rand_scalar(uint64_t k[4]) {
    for (int i = 0; i < 4; i++) k[i] = ns_test_rand64();
}

/* edge scalar number c < NCASES */
#define NCASES 19
static void edge_scalar(uint64_t k[4], int c) {
    memset(k, 0, 32);
    switch (c) {
    case 0: break;                                     /* 0 */
    case 1: k[0] = 1; break;                           /* 1 */
    case 2: k[0] = 2; break;                           /* 2 */
    case 3: memcpy(k, RM.p, 32); k[0] -= 1; break;     /* r - 1 */
    case 4: memcpy(k, RM.p, 32); k[0] -= 2; break;     /* r - 2 */
    case 5: memcpy(k, RM.p, 32); break;                /* r = 0 */
    case 6: memset(k, 0xff, 32); break;                /* 2^256 - 1 */
    case 7: k[0] = 15; break;
    case 8: k[0] = 31; break;
    case 9: k[0] = 0x10000; break;
    case 10: memcpy(k, LAMBDA, 32); break;             /* lambda */
    case 11: { uint64_t m1[4]; memcpy(m1, RM.p, 32); m1[0] -= 1; mul_r(k, LAMBDA, m1); } break; /* -lambda */
    case 12: k[2] = 1; break;                          /* 2^128 */
    case 13: k[0] = k[1] = ~(uint64_t)0; break;        /* 2^128 - 1 */
    case 14: k[0] = 1; k[2] = 1; break;                /* 2^128 + 1 */
    case 15: k[0] = 0x89d3256894d213e3ULL; break;      /* a1 = b2 of the GLV basis */
    case 16: k[0] = 0x0be4e1541221250bULL; k[1] = 0x6f4d8248eeb859fdULL; break; /* a2 */
    case 17: { uint64_t t[4] = {3, 0, 0, 0}; uint64_t u[4]; mul_r(u, LAMBDA, t); /* 3 lambda + 5 */
               u[0] += 5; memcpy(k, u, 32); } break;
    case 18: { uint64_t ten[4] = {10, 0, 0, 0}; mul_r(k, LAMBDA, ten); } break; /* 10 lambda */
    default: break;
    }
}

static void rand_points(bn254_g1_affine *pts, size_t n) {
    bn254_g1 g, p;
    bn254_g1_generator(&g);
    bn254_g1_affine pool[8];
    for (int i = 0; i < 8; i++) {
        uint64_t k[4];
        rand_scalar(k);
        bn254_g1_mul_var(&p, &g, k);
        bn254_g1_to_affine_var(&pool[i], &p);
    }
    bn254_g1 *jac = malloc(n * sizeof *jac);
    for (size_t i = 0; i < n; i++) {
        uint64_t c = ns_test_rand64() % 16, k[4];
        if (c == 0) {
            bn254_g1_set_infinity(&jac[i]);
        } else if (c == 1) {
            bn254_g1_from_affine(&jac[i], &pool[ns_test_rand64() % 8]); /* duplicates */
        } else {
            rand_scalar(k);
            k[3] &= 0x0fffffffffffffffULL;
            bn254_g1_mul_var(&jac[i], &g, k);
        }
    }
    bn254_g1_batch_to_affine_var(pts, jac, n);
    free(jac);
}

/* var against CT batch (bytes) on all points, against bn254_g1_mul on
 * every `stride`-th point. */
static int check_one(const bn254_g1_affine *in, size_t n, const uint64_t k[4], int threads, size_t stride,
                     size_t *nslow) {
    bn254_g1_affine *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    int bad = 0;
    *nslow = bn254_g1_batch_mul_var(a, in, n, k, threads);
    bn254_g1_batch_mul(b, in, n, k, threads);
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof a[i]) != 0) bad++;
    for (size_t i = 0; i < n; i += stride) {
        bn254_g1 p, r;
        bn254_g1_affine e;
        if (bn254_g1_affine_is_infinity(&in[i])) {
            bn254_g1_set_infinity(&p);
        } else {
            bn254_g1_from_affine(&p, &in[i]);
        }
        bn254_g1_mul(&r, &p, k);
        bn254_g1_to_affine_var(&e, &r);
        if (memcmp(&e, &a[i], sizeof e) != 0) bad++;
    }
    free(a);
    free(b);
    return bad;
}

static void run_suite(const char *label, size_t n, int nrand) {
    bn254_g1_affine *in = malloc(n * sizeof *in);
    rand_points(in, n);
    memset(&in[0], 0, sizeof in[0]); /* an infinity at the front */
    size_t nslow;
    for (int c = 0; c < NCASES; c++) {
        uint64_t k[4];
        edge_scalar(k, c);
        int bad = check_one(in, n, k, 1 + (c & 1), 7, &nslow);
        CHECK_MSG(bad == 0, "%s: edge scalar %d: %d wrong", label, c, bad);
        CHECK_MSG(nslow == 0, "%s: edge scalar %d: %zu exceptional points", label, c, nslow);
    }
    for (int t = 0; t < nrand; t++) {
        uint64_t k[4];
        rand_scalar(k);
        if (t % 3 == 0) k[3] = k[2] = 0; /* short scalars */
        int bad = check_one(in, n, k, 1 + (t & 1), 13, &nslow);
        CHECK_MSG(bad == 0 && nslow == 0, "%s: random scalar %d: %d wrong, %zu exceptional", label, t, bad,
                  nslow);
    }
    /* forced exceptional schedules: every point must take the fallback and
     * still be right */
    {
        size_t ninf = 0;
        for (size_t i = 0; i < n; i++) ninf += bn254_g1_affine_is_infinity(&in[i]);
        struct {
            int8_t d1[4], d2[4];
            int len;
            uint64_t k[4]; /* the scalar of the schedule, lambda-part computed below */
            int lam;       /* k = k + lam * lambda */
        } sched[] = {
            {{1, 1}, {0, 0}, 2, {3, 0, 0, 0}, 0},           /* 2P + P: P = P in the merged step */
            {{-1, 1}, {0, 0}, 2, {1, 0, 0, 0}, 0},          /* -2P + P: 2a = -q */
            {{0, 0}, {3, 3}, 2, {0, 0, 0, 0}, 9},           /* phi side: 2(3L) + 3L */
            {{0, 0, 3}, {0, 0, 0}, 3, {12, 0, 0, 0}, 0},     /* no exception: plain doublings */
            {{1, 3}, {1, 0}, 2, {7, 0, 0, 0}, 1},           /* 2(3P) + P + L: both halves, no exception */
        };
        for (size_t s = 0; s < sizeof sched / sizeof sched[0]; s++) {
            uint64_t k[4], lk[4] = {0, 0, 0, 0};
            memcpy(k, sched[s].k, 32);
            if (sched[s].lam) {
                uint64_t m[4] = {(uint64_t)sched[s].lam, 0, 0, 0}, t[4], km[4];
                mul_r(lk, LAMBDA, m);
                ns_mont_to_mont(t, lk, &RM);
                ns_mont_to_mont(km, k, &RM);
                ns_mont_add(km, km, t, &RM);
                ns_mont_from_mont(k, km, &RM);
            }
            bn254_g1_affine *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
            size_t ns = bn254x_g1_batch_mul_digits(a, in, n, sched[s].d1, sched[s].d2, sched[s].len, k, 2);
            bn254_g1_batch_mul(b, in, n, k, 2);
            size_t want = (s < 3) ? n - ninf : 0;
            CHECK_MSG(ns == want, "%s: schedule %zu: %zu exceptional, expected %zu", label, s, ns, want);
            CHECK_MSG(memcmp(a, b, n * sizeof *a) == 0, "%s: schedule %zu: results differ", label, s);
            free(a);
            free(b);
        }
        int8_t z[2] = {0, 0}, ev[2] = {2, 1};
        uint64_t one[4] = {1, 0, 0, 0};
        CHECK(bn254x_g1_batch_mul_digits(NULL, in, 0, ev, z, 2, one, 1) == (size_t)-1);
        CHECK(bn254x_g1_batch_mul_digits(NULL, in, 0, z, z, 2, one, 1) == (size_t)-1);
    }
    /* small n, in place, Fr entry point */
    {
        uint64_t kc[4], km[4];
        rand_scalar(kc);
        kc[3] &= 0x0fffffffffffffffULL;
        ns_mont_to_mont(km, kc, &RM);
        bn254_fr kf;
        memcpy(kf.l, km, 32);
        for (size_t m = 0; m <= 3; m++) {
            bn254_g1_affine cp[3], ref[3];
            memcpy(cp, in + 1, m * sizeof *cp);
            bn254_g1_batch_mul(ref, in + 1, m, kc, 1);
            bn254_g1_batch_mul_fr_var(cp, cp, m, &kf, 2);
            CHECK_MSG(m == 0 || memcmp(cp, ref, m * sizeof *cp) == 0, "%s: in place fr m=%zu", label, m);
        }
        bn254_g1_affine *cp = malloc(n * sizeof *cp), *ref = malloc(n * sizeof *ref);
        memcpy(cp, in, n * sizeof *cp);
        bn254_g1_batch_mul(ref, in, n, kc, 2);
        bn254_g1_batch_mul_fr_var(cp, cp, n, &kf, 2);
        CHECK_MSG(memcmp(cp, ref, n * sizeof *cp) == 0, "%s: in place fr n=%zu", label, n);
        free(cp);
        free(ref);
    }
    free(in);
}

/* The batched affine primitives directly: exceptional entries (a = q,
 * a = -q, 2a = -q) are flagged, and every other entry of the same batch is
 * still right (a zero denominator must not spoil the shared inversion). */
static void test_affine_batch(const char *label) {
    enum { M = 40 };
    bn254_g1_affine a[M], q[M], r[M], want[M];
    bn254_fq den[M], pre[M], t1[M], t2[M];
    unsigned char bad[M], expect[M];
    bn254x_batch_ws ws = {den, pre, bad, t1, t2, NULL};
    for (int op = 0; op < 3; op++) { /* add, sub, dbl_add */
        rand_points(a, M);
        rand_points(q, M);
        memset(expect, 0, sizeof expect);
        for (int i = 0; i < M; i++) {
            bn254_g1 t, u;
            bn254_g1_generator(&t);
            if (bn254_g1_affine_is_infinity(&a[i])) bn254_g1_to_affine_var(&a[i], &t);
            bn254_g1_dbl(&t, &t);
            if (bn254_g1_affine_is_infinity(&q[i])) bn254_g1_to_affine_var(&q[i], &t);
            /* i % 4: 0, 1 plain; 2 q = a (first denominator zero for all three
             * ops); 3 for dbl_add q = -2a (second denominator zero) */
            if (i % 4 == 2) {
                q[i] = a[i];
                expect[i] = 1;
            }
            if (i % 4 == 3 && op == 2) {
                bn254_g1_from_affine(&t, &a[i]);
                bn254_g1_dbl(&t, &t);
                bn254_g1_neg(&t, &t);
                bn254_g1_to_affine_var(&q[i], &t);
                expect[i] = 1;
            }
            if (!expect[i]) {
                bn254_g1_affine nq = q[i];
                bn254_g1_from_affine(&t, &a[i]);
                if (op == 2) bn254_g1_dbl(&t, &t);
                if (op == 1) bn254_g1_affine_neg(&nq, &q[i]);
                bn254_g1_from_affine(&u, &nq);
                bn254_g1_add_var(&t, &t, &u);
                bn254_g1_to_affine_var(&want[i], &t);
            }
        }
        memset(bad, 0, sizeof bad);
        const bn254_fq *flat = (const bn254_fq *)(const void *)q;
        memcpy(r, a, sizeof r);
        if (op < 2)
            bn254x_batch_add_affine(&ws, r, 1, a, 1, &flat[0], 2, &flat[1], 2, op == 1, M);
        else
            bn254x_batch_dbl_add_affine(&ws, r, &flat[0], 2, &flat[1], 2, 0, M);
        int wrong = 0;
        for (int i = 0; i < M; i++) {
            if (bad[i] != expect[i]) wrong++;
            if (!expect[i] && memcmp(&r[i], &want[i], sizeof r[i]) != 0) wrong++;
        }
        CHECK_MSG(wrong == 0, "%s: affine batch op %d: %d wrong", label, op, wrong);
    }
    /* doubling and the odd-multiple table */
    bn254_g1_affine tab[M * 8], p2[M];
    rand_points(a, M);
    for (int i = 0; i < M; i++)
        if (bn254_g1_affine_is_infinity(&a[i])) bn254_g1_affine_generator(&a[i]);
    memcpy(p2, a, sizeof p2);
    memset(bad, 0, sizeof bad);
    bn254x_batch_odd_multiples(&ws, tab, 8, p2, M);
    int wrong = 0;
    for (int i = 0; i < M; i++) {
        bn254_g1 p, e;
        bn254_g1_affine ea;
        bn254_g1_from_affine(&p, &a[i]);
        for (int j = 0; j < 8; j++) {
            uint64_t k[4] = {(uint64_t)(2 * j + 1), 0, 0, 0};
            bn254_g1_mul_var(&e, &p, k);
            bn254_g1_to_affine_var(&ea, &e);
            if (memcmp(&ea, &tab[i * 8 + j], sizeof ea) != 0) wrong++;
        }
        bn254_g1_dbl(&e, &p);
        bn254_g1_to_affine_var(&ea, &e);
        if (memcmp(&ea, &p2[i], sizeof ea) != 0 || bad[i]) wrong++;
    }
    CHECK_MSG(wrong == 0, "%s: odd multiples: %d wrong", label, wrong);
}

/* bn254x_inv_var against the constant-time Fermat inversion */
static void test_inv_var(const char *label, int count) {
    static const uint64_t q[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                  0x30644e72e131a029ULL};
    int wrong = 0;
    for (int i = 0; i < count; i++) {
        bn254_fq a, r1, r2;
        for (int j = 0; j < 4; j++) a.l[j] = ns_test_rand64();
        a.l[3] &= 0x1fffffffffffffffULL; /* < q for most draws */
        if (a.l[3] >= q[3]) a.l[3] = q[3] - 1;
        switch (i) {
        case 0: memset(&a, 0, sizeof a); break;
        case 1: memset(&a, 0, sizeof a); a.l[0] = 1; break;
        case 2: memcpy(a.l, q, 32); a.l[0] -= 1; break; /* q - 1 */
        case 3: memcpy(a.l, q, 32); a.l[0] -= 2; break;
        case 4: bn254x_one(&a); break;
        case 5: memset(&a, 0, sizeof a); a.l[0] = 2; break;
        case 6: memset(&a, 0, sizeof a); a.l[3] = 1; break; /* 2^192 */
        case 7: memset(&a, 0, sizeof a); a.l[0] = (uint64_t)1 << 62; break;
        default: break;
        }
        bn254x_inv_var(&r1, &a);
        bn254x_inv(&r2, &a);
        if (memcmp(&r1, &r2, sizeof r1) != 0) wrong++;
    }
    CHECK_MSG(wrong == 0, "%s: inv_var: %d of %d wrong", label, wrong, count);
}

int main(void) {
    static const uint64_t r[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                  0x30644e72e131a029ULL};
    ns_mont_init(&RM, 4, r);
    /* more than one block of points, a partial last block */
    test_inv_var("asm", 100000);
    test_affine_batch("asm");
    run_suite("asm", 1100, 30);
#ifdef BN254X_HAVE_ASM
    /* the portable field code, as on non-x86-64 hosts (NS_NO_ASM=1) */
    int saved = bn254x_cpu_adx;
    bn254x_cpu_adx = 0;
    test_inv_var("portable", 5000);
    test_affine_batch("portable");
    run_suite("portable", 300, 4);
    bn254x_cpu_adx = saved;
#endif
    return ns_test_report("bn254_batchmul_var");
}
