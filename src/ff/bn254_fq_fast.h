/* Internal to the BN254 code (src/ff, src/curve; also timed by
 * src/cli/bench_curve.c): Fq arithmetic specialised to the fixed modulus and
 * fully inlined, for the field, scalar-multiplication and MSM hot loops.
 * Same representation as bn254_field.h (Montgomery, R = 2^256, fully
 * reduced), so values pass freely between this header and the public API.
 *
 * On x86-64 with BMI2 and ADX (detected once at start-up, in
 * bn254_fq_fast.c; NS_NO_ASM=1 in the environment forces the portable path)
 * products and squares use MULX/ADCX/ADOX; the portable C path is always
 * built and tested.  Everything here is constant time. */
#ifndef NS_FF_BN254_FQ_FAST_H
#define NS_FF_BN254_FQ_FAST_H

#include <stdint.h>

#include "ff/bn254_consts.h"
#include "ff/bn254_field.h"

typedef unsigned __int128 bn254x_u128;

#define BN254X_INLINE static inline __attribute__((always_inline))

static const uint64_t BN254X_Q[4] = BN254_Q_LIMBS;
static const uint64_t BN254X_QINV = BN254_QINV; /* -q^-1 mod 2^64 */
static const uint64_t BN254X_QONE[4] = {0xd35d438dc58f0d9dULL, 0x0a78eb28f5c70b3dULL, 0x666ea36f7879462cULL,
                                        0x0e0a77c19a07df2fULL}; /* R mod q */
static const uint64_t BN254X_R[4] = BN254_R_LIMBS;
static const uint64_t BN254X_RINV = BN254_RINV; /* -r^-1 mod 2^64 */

/* t (< 2m) -> t mod m, branch-free. */
BN254X_INLINE void bn254x_reduce_once(uint64_t r[4], const uint64_t t[4], const uint64_t m[4]) {
    uint64_t u[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        bn254x_u128 d = (bn254x_u128)t[i] - m[i] - borrow;
        u[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t keep = (uint64_t)0 - borrow;
    for (int i = 0; i < 4; i++) r[i] = (t[i] & keep) | (u[i] & ~keep);
}

/* Montgomery product for a 4-limb modulus whose top limb is < 2^62
 * (CIOS without the extra carry word). */
static inline void bn254x_montmul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4], const uint64_t m[4],
                                  uint64_t minv) {
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (int i = 0; i < 4; i++) {
        bn254x_u128 c;
        uint64_t bi = b[i];
        c = (bn254x_u128)a[0] * bi + t0;
        t0 = (uint64_t)c;
        c = (bn254x_u128)a[1] * bi + t1 + (uint64_t)(c >> 64);
        t1 = (uint64_t)c;
        c = (bn254x_u128)a[2] * bi + t2 + (uint64_t)(c >> 64);
        t2 = (uint64_t)c;
        c = (bn254x_u128)a[3] * bi + t3 + (uint64_t)(c >> 64);
        t3 = (uint64_t)c;
        uint64_t hi = (uint64_t)(c >> 64);
        uint64_t q = t0 * minv;
        c = (bn254x_u128)q * m[0] + t0;
        c = (bn254x_u128)q * m[1] + t1 + (uint64_t)(c >> 64);
        t0 = (uint64_t)c;
        c = (bn254x_u128)q * m[2] + t2 + (uint64_t)(c >> 64);
        t1 = (uint64_t)c;
        c = (bn254x_u128)q * m[3] + t3 + (uint64_t)(c >> 64);
        t2 = (uint64_t)c;
        t3 = hi + (uint64_t)(c >> 64);
    }
    uint64_t t[4] = {t0, t1, t2, t3};
    bn254x_reduce_once(r, t, m);
}

/* Optional x86-64 path: the same CIOS with MULX/ADCX/ADOX (two carry
 * chains), used when the CPU has BMI2 and ADX (bn254x_cpu_adx, set once at
 * start-up in bn254_fq_fast.c; NS_NO_ASM=1 in the environment forces the
 * portable path).  Constant time like the portable code. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !defined(NS_PORTABLE)
#define BN254X_HAVE_ASM 1
extern int bn254x_cpu_adx;

/* x86-64 baseline (no extension) add/sub/reduce, no branch: the final
 * conditional subtraction of q is u = t - q, then t = u unless that borrowed,
 * with CMOV (data-independent timing; 12 instructions and 5 cycles of
 * latency where masks from sbb took 17 and 10: an Fq product got 4% more
 * throughput and 9% less latency, an addition 26% more throughput). */
#define BN254X_QOPS [q0] "m"(BN254X_Q[0]), [q1] "m"(BN254X_Q[1]), [q2] "m"(BN254X_Q[2]), [q3] "m"(BN254X_Q[3])
/* t -= q unless that borrows */
#define BN254X_SUBQ_CMOV                                                                            \
    "movq %[t0], %[u0]\n\tmovq %[t1], %[u1]\n\tmovq %[t2], %[u2]\n\tmovq %[t3], %[u3]\n\t"          \
    "subq %[q0], %[u0]\n\tsbbq %[q1], %[u1]\n\tsbbq %[q2], %[u2]\n\tsbbq %[q3], %[u3]\n\t"          \
    "cmovncq %[u0], %[t0]\n\tcmovncq %[u1], %[t1]\n\tcmovncq %[u2], %[t2]\n\tcmovncq %[u3], %[t3]\n\t"

BN254X_INLINE void bn254x_reduce_q_asm(uint64_t r[4], uint64_t t0, uint64_t t1, uint64_t t2, uint64_t t3) {
    uint64_t u0, u1, u2, u3;
    __asm__(BN254X_SUBQ_CMOV
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [u0] "=&r"(u0), [u1] "=&r"(u1),
              [u2] "=&r"(u2), [u3] "=&r"(u3)
            : BN254X_QOPS
            : "cc");
    r[0] = t0, r[1] = t1, r[2] = t2, r[3] = t3;
}

BN254X_INLINE void bn254x_add_asm(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0 = a[0], t1 = a[1], t2 = a[2], t3 = a[3], u0, u1, u2, u3;
    __asm__("addq %[b0], %[t0]\n\tadcq %[b1], %[t1]\n\tadcq %[b2], %[t2]\n\tadcq %[b3], %[t3]\n\t" BN254X_SUBQ_CMOV
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [u0] "=&r"(u0), [u1] "=&r"(u1),
              [u2] "=&r"(u2), [u3] "=&r"(u3)
            : [b0] "m"(b[0]), [b1] "m"(b[1]), [b2] "m"(b[2]), [b3] "m"(b[3]), BN254X_QOPS
            : "cc");
    r[0] = t0, r[1] = t1, r[2] = t2, r[3] = t3;
}

BN254X_INLINE void bn254x_sub_asm(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0 = a[0], t1 = a[1], t2 = a[2], t3 = a[3], u0, u1, u2, u3, m;
    __asm__("subq %[b0], %[t0]\n\tsbbq %[b1], %[t1]\n\tsbbq %[b2], %[t2]\n\tsbbq %[b3], %[t3]\n\t"
            "sbbq %[m], %[m]\n\t"
            "movq %[q0], %[u0]\n\tandq %[m], %[u0]\n\tmovq %[q1], %[u1]\n\tandq %[m], %[u1]\n\t"
            "movq %[q2], %[u2]\n\tandq %[m], %[u2]\n\tmovq %[q3], %[u3]\n\tandq %[m], %[u3]\n\t"
            "addq %[u0], %[t0]\n\tadcq %[u1], %[t1]\n\tadcq %[u2], %[t2]\n\tadcq %[u3], %[t3]\n\t"
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [u0] "=&r"(u0), [u1] "=&r"(u1),
              [u2] "=&r"(u2), [u3] "=&r"(u3), [m] "=&r"(m)
            : [b0] "m"(b[0]), [b1] "m"(b[1]), [b2] "m"(b[2]), [b3] "m"(b[3]), BN254X_QOPS
            : "cc");
    r[0] = t0, r[1] = t1, r[2] = t2, r[3] = t3;
}

/* one product row: t += a * b[I/8] (T0..T3 in, T4 fresh; Z a scratch
 * register, zeroed here) */
#define BN254X_PROW(I, T0, T1, T2, T3, T4)                                                         \
    "xorl %k[z], %k[z]\n\t"                                                                          \
    "movq " #I "(%[b]), %%rdx\n\t"                                                                   \
    "mulxq 0(%[a]), %[lo], %[hi]\n\t"                                                                \
    "adoxq %[lo], %[" #T0 "]\n\t"                                                                    \
    "adcxq %[hi], %[" #T1 "]\n\t"                                                                    \
    "mulxq 8(%[a]), %[lo], %[hi]\n\t"                                                                \
    "adoxq %[lo], %[" #T1 "]\n\t"                                                                    \
    "adcxq %[hi], %[" #T2 "]\n\t"                                                                    \
    "mulxq 16(%[a]), %[lo], %[hi]\n\t"                                                               \
    "adoxq %[lo], %[" #T2 "]\n\t"                                                                    \
    "adcxq %[hi], %[" #T3 "]\n\t"                                                                    \
    "mulxq 24(%[a]), %[lo], %[" #T4 "]\n\t"                                                          \
    "adoxq %[lo], %[" #T3 "]\n\t"                                                                    \
    "adcxq %[z], %[" #T4 "]\n\t"                                                                     \
    "adoxq %[z], %[" #T4 "]\n\t"

/* one row of the product, then one reduction step; the result is left in
 * T1..T4 and T0 is free */
#define BN254X_ROW(I, T0, T1, T2, T3, T4) \
    BN254X_PROW(I, T0, T1, T2, T3, T4)                                                                 \
    "movq %[" #T0 "], %%rdx\n\t"                                                                       \
    "imulq %[qinv], %%rdx\n\t"                                                                         \
    "xorl %k[z], %k[z]\n\t"                                                                            \
    "mulxq %[q0], %[lo], %[hi]\n\t"                                                                    \
    "adoxq %[" #T0 "], %[lo]\n\t"                                                                      \
    "adcxq %[hi], %[" #T1 "]\n\t"                                                                      \
    "mulxq %[q1], %[lo], %[hi]\n\t"                                                                    \
    "adoxq %[lo], %[" #T1 "]\n\t"                                                                      \
    "adcxq %[hi], %[" #T2 "]\n\t"                                                                      \
    "mulxq %[q2], %[lo], %[hi]\n\t"                                                                    \
    "adoxq %[lo], %[" #T2 "]\n\t"                                                                      \
    "adcxq %[hi], %[" #T3 "]\n\t"                                                                      \
    "mulxq %[q3], %[lo], %[hi]\n\t"                                                                    \
    "adoxq %[lo], %[" #T3 "]\n\t"                                                                      \
    "adcxq %[hi], %[" #T4 "]\n\t"                                                                      \
    "adoxq %[z], %[" #T4 "]\n\t"

BN254X_INLINE void bn254x_montmul_q_adx(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t r0, r1, r2, r3, r4, lo, hi, z;
    __asm__("xorl %k[r0], %k[r0]\n\t"
            "xorl %k[r1], %k[r1]\n\t"
            "xorl %k[r2], %k[r2]\n\t"
            "xorl %k[r3], %k[r3]\n\t" BN254X_ROW(0, r0, r1, r2, r3, r4) BN254X_ROW(8, r1, r2, r3, r4, r0)
                BN254X_ROW(16, r2, r3, r4, r0, r1) BN254X_ROW(24, r3, r4, r0, r1, r2)
            : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4), [lo] "=&r"(lo),
              [hi] "=&r"(hi), [z] "=&r"(z)
            : [a] "r"(a), [b] "r"(b), "m"(*(const uint64_t(*)[4])a), "m"(*(const uint64_t(*)[4])b),
              [q0] "m"(BN254X_Q[0]), [q1] "m"(BN254X_Q[1]), [q2] "m"(BN254X_Q[2]), [q3] "m"(BN254X_Q[3]),
              [qinv] "m"(BN254X_QINV)
            : "rdx", "cc");
    bn254x_reduce_q_asm(r, r4, r0, r1, r2);
}
#undef BN254X_ROW

/* Montgomery reduction round of the 8-limb square: m = T_i * qinv,
 * T += m q 2^(64 i); the carry out of T_{i+4} is kept in T_i (zero after the
 * first addition) and added by the next round.  Z is a zero register. */
#define BN254X_RED(Ti, T1, T2, T3, T4, Cin, Z)                                                      \
    "movq %[" #Ti "], %%rdx\n\t"                                                                    \
    "imulq %[qinv], %%rdx\n\t"                                                                      \
    "xorl %k[lo], %k[lo]\n\t"                                                                       \
    "mulxq %[q0], %[lo], %[hi]\n\t"                                                                 \
    "adoxq %[lo], %[" #Ti "]\n\t"                                                                   \
    "adcxq %[hi], %[" #T1 "]\n\t"                                                                   \
    "mulxq %[q1], %[lo], %[hi]\n\t"                                                                 \
    "adoxq %[lo], %[" #T1 "]\n\t"                                                                   \
    "adcxq %[hi], %[" #T2 "]\n\t"                                                                   \
    "mulxq %[q2], %[lo], %[hi]\n\t"                                                                 \
    "adoxq %[lo], %[" #T2 "]\n\t"                                                                   \
    "adcxq %[hi], %[" #T3 "]\n\t"                                                                   \
    "mulxq %[q3], %[lo], %[hi]\n\t"                                                                 \
    "adoxq %[lo], %[" #T3 "]\n\t"                                                                   \
    "adcxq %[hi], %[" #T4 "]\n\t"                                                                   \
    "adoxq %[" #Cin "], %[" #T4 "]\n\t"                                                             \
    "adcxq %[" #Z "], %[" #Ti "]\n\t"                                                               \
    "adoxq %[" #Z "], %[" #Ti "]\n\t"

/* Squaring: cross products once, doubled, plus the squares (10 MULX instead
 * of 16), then the same Montgomery reduction.  12 registers, so it also
 * builds with a frame pointer (sanitizer builds). */
BN254X_INLINE void bn254x_montsqr_q_adx(uint64_t r[4], const uint64_t a[4]) {
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, lo, hi;
    const uint64_t *ap = a;
    __asm__("xorl %k[t7], %k[t7]\n\t" /* t7 = 0 (zero register for now), flags clear */
            "movq 0(%[a]), %%rdx\n\t"
            "mulxq 8(%[a]), %[t1], %[t2]\n\t"
            "mulxq 16(%[a]), %[lo], %[t3]\n\t"
            "adcxq %[lo], %[t2]\n\t"
            "mulxq 24(%[a]), %[lo], %[t4]\n\t"
            "adcxq %[lo], %[t3]\n\t"
            "adcxq %[t7], %[t4]\n\t"
            "xorl %k[lo], %k[lo]\n\t"
            "movq 8(%[a]), %%rdx\n\t"
            "mulxq 16(%[a]), %[lo], %[hi]\n\t"
            "adoxq %[lo], %[t3]\n\t"
            "adcxq %[hi], %[t4]\n\t"
            "mulxq 24(%[a]), %[lo], %[t5]\n\t"
            "adoxq %[lo], %[t4]\n\t"
            "adcxq %[t7], %[t5]\n\t"
            "adoxq %[t7], %[t5]\n\t"
            "xorl %k[lo], %k[lo]\n\t"
            "movq 16(%[a]), %%rdx\n\t"
            "mulxq 24(%[a]), %[lo], %[t6]\n\t"
            "adcxq %[lo], %[t5]\n\t"
            "adcxq %[t7], %[t6]\n\t"
            /* double (CF chain) and add the squares (OF chain) */
            "xorl %k[t7], %k[t7]\n\t"
            "movq 0(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[t0], %[hi]\n\t"
            "adcxq %[t1], %[t1]\n\t"
            "adoxq %[hi], %[t1]\n\t"
            "movq 8(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[lo], %[hi]\n\t"
            "adcxq %[t2], %[t2]\n\t"
            "adoxq %[lo], %[t2]\n\t"
            "adcxq %[t3], %[t3]\n\t"
            "adoxq %[hi], %[t3]\n\t"
            "movq 16(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[lo], %[hi]\n\t"
            "adcxq %[t4], %[t4]\n\t"
            "adoxq %[lo], %[t4]\n\t"
            "adcxq %[t5], %[t5]\n\t"
            "adoxq %[hi], %[t5]\n\t"
            "movq 24(%[a]), %%rdx\n\t"
            "mulxq %%rdx, %[lo], %[hi]\n\t"
            "adcxq %[t6], %[t6]\n\t"
            "adoxq %[lo], %[t6]\n\t"
            "adcxq %[t7], %[t7]\n\t"
            "adoxq %[hi], %[t7]\n\t"
            /* the pointer register becomes the zero register */
            "xorl %k[a], %k[a]\n\t" BN254X_RED(t0, t1, t2, t3, t4, a, a) BN254X_RED(t1, t2, t3, t4, t5, t0, a)
                BN254X_RED(t2, t3, t4, t5, t6, t1, a) BN254X_RED(t3, t4, t5, t6, t7, t2, a)
            : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5),
              [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi), [a] "+&r"(ap)
            : "m"(*(const uint64_t(*)[4])a), [q0] "m"(BN254X_Q[0]), [q1] "m"(BN254X_Q[1]),
              [q2] "m"(BN254X_Q[2]), [q3] "m"(BN254X_Q[3]), [qinv] "m"(BN254X_QINV)
            : "rdx", "cc");
    (void)t3;
    (void)ap;
    bn254x_reduce_q_asm(r, t4, t5, t6, t7);
}

/* The full 8-limb product t = a b (no reduction), for lazily reduced
 * extension-field products: one row per limb of b, the finished low limb of
 * each row stored, five accumulator registers. */
#define BN254X_WROW(I, T0, T1, T2, T3, T4) \
    BN254X_PROW(I, T0, T1, T2, T3, T4) "movq %[" #T0 "], " #I "(%[o])\n\t"

BN254X_INLINE void bn254x_mul_wide_adx(uint64_t o[8], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t r0, r1, r2, r3, r4, lo, hi, z;
    __asm__("xorl %k[r0], %k[r0]\n\t"
            "xorl %k[r1], %k[r1]\n\t"
            "xorl %k[r2], %k[r2]\n\t"
            "xorl %k[r3], %k[r3]\n\t" BN254X_WROW(0, r0, r1, r2, r3, r4) BN254X_WROW(8, r1, r2, r3, r4, r0)
                BN254X_WROW(16, r2, r3, r4, r0, r1) BN254X_WROW(24, r3, r4, r0, r1, r2)
            "movq %[r4], 32(%[o])\n\tmovq %[r0], 40(%[o])\n\tmovq %[r1], 48(%[o])\n\tmovq %[r2], 56(%[o])\n\t"
            : [r0] "=&r"(r0), [r1] "=&r"(r1), [r2] "=&r"(r2), [r3] "=&r"(r3), [r4] "=&r"(r4), [lo] "=&r"(lo),
              [hi] "=&r"(hi), [z] "=&r"(z), "=m"(*(uint64_t(*)[8])o)
            : [a] "r"(a), [b] "r"(b), [o] "r"(o), "m"(*(const uint64_t(*)[4])a), "m"(*(const uint64_t(*)[4])b)
            : "rdx", "cc");
}
#undef BN254X_WROW
#undef BN254X_PROW

/* r = t / 2^256 mod q, fully reduced, for any t < q 2^256 (8 limbs): the
 * squaring's Montgomery reduction on its own. */
BN254X_INLINE void bn254x_redc_adx(uint64_t r[4], const uint64_t t[8]) {
    uint64_t t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7], lo, hi, a;
    __asm__("xorl %k[a], %k[a]\n\t" BN254X_RED(t0, t1, t2, t3, t4, a, a) BN254X_RED(t1, t2, t3, t4, t5, t0, a)
                BN254X_RED(t2, t3, t4, t5, t6, t1, a) BN254X_RED(t3, t4, t5, t6, t7, t2, a)
            : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "+&r"(t4), [t5] "+&r"(t5),
              [t6] "+&r"(t6), [t7] "+&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi), [a] "=&r"(a)
            : [q0] "m"(BN254X_Q[0]), [q1] "m"(BN254X_Q[1]), [q2] "m"(BN254X_Q[2]), [q3] "m"(BN254X_Q[3]),
              [qinv] "m"(BN254X_QINV)
            : "rdx", "cc");
    (void)t3;
    bn254x_reduce_q_asm(r, t4, t5, t6, t7);
}
#undef BN254X_RED

#endif

/* Out-of-line portable product (bn254_fq_fast.c), so the inlined fast path
 * stays small. */
void bn254x_mul_portable(bn254_fq *r, const bn254_fq *a, const bn254_fq *b);

BN254X_INLINE void bn254x_mul(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) {
#ifdef BN254X_HAVE_ASM
    if (bn254x_cpu_adx) {
        bn254x_montmul_q_adx(r->l, a->l, b->l);
        return;
    }
    bn254x_mul_portable(r, a, b);
#else
    bn254x_montmul(r->l, a->l, b->l, BN254X_Q, BN254X_QINV);
#endif
}
BN254X_INLINE void bn254x_sqr(bn254_fq *r, const bn254_fq *a) {
#ifdef BN254X_HAVE_ASM
    if (bn254x_cpu_adx) {
        bn254x_montsqr_q_adx(r->l, a->l);
        return;
    }
#endif
    bn254x_mul(r, a, a);
}

BN254X_INLINE void bn254x_add(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) {
#ifdef BN254X_HAVE_ASM
    bn254x_add_asm(r->l, a->l, b->l);
#else
    uint64_t t[4];
    bn254x_u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (bn254x_u128)a->l[i] + b->l[i];
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    bn254x_reduce_once(r->l, t, BN254X_Q);
#endif
}
BN254X_INLINE void bn254x_dbl(bn254_fq *r, const bn254_fq *a) { bn254x_add(r, a, a); }

BN254X_INLINE void bn254x_sub(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) {
#ifdef BN254X_HAVE_ASM
    bn254x_sub_asm(r->l, a->l, b->l);
#else
    uint64_t t[4], borrow = 0;
    for (int i = 0; i < 4; i++) {
        bn254x_u128 d = (bn254x_u128)a->l[i] - b->l[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - borrow;
    bn254x_u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (bn254x_u128)t[i] + (BN254X_Q[i] & mask);
        r->l[i] = (uint64_t)c;
        c >>= 64;
    }
#endif
}

static inline void bn254x_neg(bn254_fq *r, const bn254_fq *a) {
    bn254_fq z = {{0, 0, 0, 0}};
    bn254x_sub(r, &z, a);
}

/* All-ones if a == 0 else 0. */
BN254X_INLINE uint64_t bn254x_is_zero_mask(const bn254_fq *a) {
    uint64_t acc = a->l[0] | a->l[1] | a->l[2] | a->l[3];
    return ((acc | (0 - acc)) >> 63) - 1;
}
static inline int bn254x_is_zero_var(const bn254_fq *a) { return (a->l[0] | a->l[1] | a->l[2] | a->l[3]) == 0; }

/* r = mask ? a : r */
BN254X_INLINE void bn254x_cmov(bn254_fq *r, const bn254_fq *a, uint64_t mask) {
    for (int i = 0; i < 4; i++) r->l[i] ^= (r->l[i] ^ a->l[i]) & mask;
}

static inline void bn254x_one(bn254_fq *r) {
    for (int i = 0; i < 4; i++) r->l[i] = BN254X_QONE[i];
}

/* a^(q-2): constant time (the exponent is public and fixed). */
static inline void bn254x_inv(bn254_fq *r, const bn254_fq *a) {
    static const uint64_t e[4] = BN254_QM2_LIMBS;
    /* 4-bit fixed window over the public exponent. */
    bn254_fq tab[16], acc;
    bn254x_one(&tab[0]);
    tab[1] = *a;
    for (int i = 2; i < 16; i++) bn254x_mul(&tab[i], &tab[i - 1], a);
    bn254x_one(&acc);
    for (int i = 63; i >= 0; i--) {
        unsigned nib = (unsigned)(e[i / 16] >> (4 * (i % 16))) & 15;
        if (i != 63) {
            bn254x_sqr(&acc, &acc);
            bn254x_sqr(&acc, &acc);
            bn254x_sqr(&acc, &acc);
            bn254x_sqr(&acc, &acc);
        }
        bn254x_mul(&acc, &acc, &tab[nib]);
    }
    *r = acc;
}

/* r = 1 / a in Fq (Montgomery form, 0 -> 0), variable time
 * (bn254_fq_inv_var.c: Bernstein-Yang divsteps, about 5x faster than the
 * constant-time Fermat inversion bn254x_inv).  Public values only. */
void bn254x_inv_var(bn254_fq *r, const bn254_fq *a);

/* Canonical integer of a Montgomery-form Fr element (constant time). */
static inline void bn254x_fr_canonical(uint64_t out[4], const uint64_t a[4]) {
    static const uint64_t one[4] = {1, 0, 0, 0};
    bn254x_montmul(out, a, one, BN254X_R, BN254X_RINV);
}

#endif
