/* Generic Montgomery arithmetic over n 64-bit limbs: the whole field
 * arithmetic of BLS12-381 Fp (n = 6); for BN254 Fq and Fr (n = 4) the
 * additions, masks and constant tables, while their one product lives in
 * ff/bn254_fq_fast.h (ns_mont_mul is the unit tests' independent reference
 * for it).
 *
 * Every function takes the modulus description and is `static inline`, so a
 * field module binds its constants in one-line wrappers and the compiler
 * unrolls the loops for the constant n (cf. blst's vect.h / mul_mont_n).
 *
 * Representation: little-endian limbs, value a·R mod p with R = 2^(64n),
 * always fully reduced (< p).  Requirements on p: odd, top limb < 2^62
 * (true for all our primes), so lazy sums of two elements fit in n limbs.
 *
 * Unless a name ends in _var, functions run in time independent of the
 * values (no secret-dependent branches or memory addresses). */
#ifndef NS_FF_MONT_H
#define NS_FF_MONT_H

#include <stddef.h>
#include <stdint.h>

#define NS_MONT_MAX_LIMBS 6

typedef unsigned __int128 ns_u128;

typedef struct {
    int n;                          /* limbs */
    uint64_t p[NS_MONT_MAX_LIMBS];  /* modulus */
    uint64_t pinv;                  /* -p^{-1} mod 2^64 */
    uint64_t one[NS_MONT_MAX_LIMBS];/* R mod p (Montgomery one) */
    uint64_t r2[NS_MONT_MAX_LIMBS]; /* R^2 mod p */
    uint64_t pm2[NS_MONT_MAX_LIMBS];/* p - 2 (Fermat inverse exponent) */
    int bits;                       /* bit length of p */
} ns_mont;

/* 6-limb add/sub (BLS12-381 Fp), straight-line versions of ns_mont_add and
 * ns_mont_sub below with the same results and constant-time behaviour.
 * Called directly by a 6-limb field (not dispatched from the generic
 * functions, so that 4-limb users never see 6-limb code). */
static inline void ns_mont_add6(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p) {
    uint64_t t[6], u[6];
    ns_u128 c = 0;
    c += (ns_u128)a[0] + b[0]; t[0] = (uint64_t)c; c >>= 64;
    c += (ns_u128)a[1] + b[1]; t[1] = (uint64_t)c; c >>= 64;
    c += (ns_u128)a[2] + b[2]; t[2] = (uint64_t)c; c >>= 64;
    c += (ns_u128)a[3] + b[3]; t[3] = (uint64_t)c; c >>= 64;
    c += (ns_u128)a[4] + b[4]; t[4] = (uint64_t)c; c >>= 64;
    c += (ns_u128)a[5] + b[5]; t[5] = (uint64_t)c;
    ns_u128 d;
    uint64_t bw;
    d = (ns_u128)t[0] - p[0]; u[0] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)t[1] - p[1] - bw; u[1] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)t[2] - p[2] - bw; u[2] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)t[3] - p[3] - bw; u[3] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)t[4] - p[4] - bw; u[4] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)t[5] - p[5] - bw; u[5] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    uint64_t keep = (uint64_t)0 - bw;
    r[0] = (t[0] & keep) | (u[0] & ~keep);
    r[1] = (t[1] & keep) | (u[1] & ~keep);
    r[2] = (t[2] & keep) | (u[2] & ~keep);
    r[3] = (t[3] & keep) | (u[3] & ~keep);
    r[4] = (t[4] & keep) | (u[4] & ~keep);
    r[5] = (t[5] & keep) | (u[5] & ~keep);
}

static inline void ns_mont_sub6(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p) {
    uint64_t t[6], bw;
    ns_u128 d;
    d = (ns_u128)a[0] - b[0]; t[0] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)a[1] - b[1] - bw; t[1] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)a[2] - b[2] - bw; t[2] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)a[3] - b[3] - bw; t[3] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)a[4] - b[4] - bw; t[4] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    d = (ns_u128)a[5] - b[5] - bw; t[5] = (uint64_t)d; bw = (uint64_t)(d >> 64) & 1;
    uint64_t mask = (uint64_t)0 - bw;
    ns_u128 c = 0;
    c += (ns_u128)t[0] + (p[0] & mask); r[0] = (uint64_t)c; c >>= 64;
    c += (ns_u128)t[1] + (p[1] & mask); r[1] = (uint64_t)c; c >>= 64;
    c += (ns_u128)t[2] + (p[2] & mask); r[2] = (uint64_t)c; c >>= 64;
    c += (ns_u128)t[3] + (p[3] & mask); r[3] = (uint64_t)c; c >>= 64;
    c += (ns_u128)t[4] + (p[4] & mask); r[4] = (uint64_t)c; c >>= 64;
    c += (ns_u128)t[5] + (p[5] & mask); r[5] = (uint64_t)c;
}

/* r = a + b mod p */
static inline void ns_mont_add(uint64_t *r, const uint64_t *a, const uint64_t *b, const ns_mont *m) {
    const int n = m->n;
    uint64_t t[NS_MONT_MAX_LIMBS], u[NS_MONT_MAX_LIMBS];
    ns_u128 c = 0;
    for (int i = 0; i < n; i++) {
        c += (ns_u128)a[i] + b[i];
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    /* u = t - p; keep t if it borrowed */
    uint64_t borrow = 0;
    for (int i = 0; i < n; i++) {
        ns_u128 d = (ns_u128)t[i] - m->p[i] - borrow;
        u[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - borrow; /* all ones: keep t */
    for (int i = 0; i < n; i++) r[i] = (t[i] & mask) | (u[i] & ~mask);
}

/* r = a - b mod p */
static inline void ns_mont_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, const ns_mont *m) {
    const int n = m->n;
    uint64_t t[NS_MONT_MAX_LIMBS];
    uint64_t borrow = 0;
    for (int i = 0; i < n; i++) {
        ns_u128 d = (ns_u128)a[i] - b[i] - borrow;
        t[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    uint64_t mask = (uint64_t)0 - borrow; /* add p back if it borrowed */
    ns_u128 c = 0;
    for (int i = 0; i < n; i++) {
        c += (ns_u128)t[i] + (m->p[i] & mask);
        r[i] = (uint64_t)c;
        c >>= 64;
    }
}

/* r = -a mod p */
static inline void ns_mont_neg(uint64_t *r, const uint64_t *a, const ns_mont *m) {
    const int n = m->n;
    uint64_t nz = 0;
    for (int i = 0; i < n; i++) nz |= a[i];
    uint64_t mask = (uint64_t)0 - (uint64_t)((nz | (0 - nz)) >> 63); /* 0 if a == 0 */
    uint64_t borrow = 0;
    for (int i = 0; i < n; i++) {
        ns_u128 d = (ns_u128)m->p[i] - a[i] - borrow;
        r[i] = (uint64_t)d & mask;
        borrow = (uint64_t)(d >> 64) & 1;
    }
}

/* 4-limb modular addition for p with top limb < 2^62 (the sum cannot
 * overflow 256 bits), constant time. */
static inline void ns_mont_add4(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p) {
    uint64_t t0, t1, t2, t3, u0, u1, u2, u3, c, bw;
    ns_u128 s;
    s = (ns_u128)a[0] + b[0];
    t0 = (uint64_t)s;
    c = (uint64_t)(s >> 64);
    s = (ns_u128)a[1] + b[1] + c;
    t1 = (uint64_t)s;
    c = (uint64_t)(s >> 64);
    s = (ns_u128)a[2] + b[2] + c;
    t2 = (uint64_t)s;
    c = (uint64_t)(s >> 64);
    t3 = a[3] + b[3] + c;
    s = (ns_u128)t0 - p[0];
    u0 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    s = (ns_u128)t1 - p[1] - bw;
    u1 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    s = (ns_u128)t2 - p[2] - bw;
    u2 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    s = (ns_u128)t3 - p[3] - bw;
    u3 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    uint64_t keep = (uint64_t)0 - bw; /* t < p: keep t */
    r[0] = (t0 & keep) | (u0 & ~keep);
    r[1] = (t1 & keep) | (u1 & ~keep);
    r[2] = (t2 & keep) | (u2 & ~keep);
    r[3] = (t3 & keep) | (u3 & ~keep);
}

/* 4-limb modular subtraction, constant time. */
static inline void ns_mont_sub4(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *p) {
    uint64_t t0, t1, t2, t3, c, bw;
    ns_u128 s;
    s = (ns_u128)a[0] - b[0];
    t0 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    s = (ns_u128)a[1] - b[1] - bw;
    t1 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    s = (ns_u128)a[2] - b[2] - bw;
    t2 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    s = (ns_u128)a[3] - b[3] - bw;
    t3 = (uint64_t)s;
    bw = (uint64_t)(s >> 64) & 1;
    uint64_t m = (uint64_t)0 - bw; /* add p back if it borrowed */
    s = (ns_u128)t0 + (p[0] & m);
    r[0] = (uint64_t)s;
    c = (uint64_t)(s >> 64);
    s = (ns_u128)t1 + (p[1] & m) + c;
    r[1] = (uint64_t)s;
    c = (uint64_t)(s >> 64);
    s = (ns_u128)t2 + (p[2] & m) + c;
    r[2] = (uint64_t)s;
    c = (uint64_t)(s >> 64);
    r[3] = t3 + (p[3] & m) + c;
}

/* r = a * b * R^{-1} mod p  (CIOS).  r may alias a or b. */
static inline void ns_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const ns_mont *m) {
    /* The product of BLS12-381 Fp (n = 6); BN254 Fq and Fr have theirs in
     * ff/bn254_fq_fast.h, and the unit tests use this one as the independent
     * reference for them.  When n is a compile-time constant, full unrolling
     * makes it about 1.5x faster under GCC. */
    const int n = m->n;
    uint64_t t[NS_MONT_MAX_LIMBS + 2] = {0};
#pragma GCC unroll 6
    for (int i = 0; i < n; i++) {
        ns_u128 c = 0;
#pragma GCC unroll 6
        for (int j = 0; j < n; j++) {
            c += (ns_u128)a[j] * b[i] + t[j];
            t[j] = (uint64_t)c;
            c >>= 64;
        }
        c += t[n];
        t[n] = (uint64_t)c;
        t[n + 1] = (uint64_t)(c >> 64);
        uint64_t q = t[0] * m->pinv;
        c = (ns_u128)q * m->p[0] + t[0];
        c >>= 64;
#pragma GCC unroll 6
        for (int j = 1; j < n; j++) {
            c += (ns_u128)q * m->p[j] + t[j];
            t[j - 1] = (uint64_t)c;
            c >>= 64;
        }
        c += t[n];
        t[n - 1] = (uint64_t)c;
        t[n] = t[n + 1] + (uint64_t)(c >> 64);
    }
    /* t < 2p: subtract p once if t >= p */
    uint64_t u[NS_MONT_MAX_LIMBS];
    uint64_t borrow = 0;
    for (int i = 0; i < n; i++) {
        ns_u128 d = (ns_u128)t[i] - m->p[i] - borrow;
        u[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    /* keep t iff (t[n] == 0 and borrow) */
    uint64_t keep = (uint64_t)0 - (borrow & (uint64_t)(t[n] == 0));
    for (int i = 0; i < n; i++) r[i] = (t[i] & keep) | (u[i] & ~keep);
}

static inline void ns_mont_sqr(uint64_t *r, const uint64_t *a, const ns_mont *m) { ns_mont_mul(r, a, a, m); }

/* Returns all-ones if a == 0, else 0. */
static inline uint64_t ns_mont_is_zero_mask(const uint64_t *a, const ns_mont *m) {
    uint64_t acc = 0;
    for (int i = 0; i < m->n; i++) acc |= a[i];
    return ((acc | (0 - acc)) >> 63) - 1;
}

/* Returns all-ones if a == b, else 0. */
static inline uint64_t ns_mont_eq_mask(const uint64_t *a, const uint64_t *b, const ns_mont *m) {
    uint64_t acc = 0;
    for (int i = 0; i < m->n; i++) acc |= a[i] ^ b[i];
    return ((acc | (0 - acc)) >> 63) - 1;
}

/* r = mask ? a : r   (mask all-ones or zero) */
static inline void ns_mont_cmov(uint64_t *r, const uint64_t *a, uint64_t mask, const ns_mont *m) {
    for (int i = 0; i < m->n; i++) r[i] ^= (r[i] ^ a[i]) & mask;
}

/* Conversions between canonical integers and Montgomery form. */
static inline void ns_mont_to_mont(uint64_t *r, const uint64_t *a, const ns_mont *m) { ns_mont_mul(r, a, m->r2, m); }
static inline void ns_mont_from_mont(uint64_t *r, const uint64_t *a, const ns_mont *m) {
    uint64_t one[NS_MONT_MAX_LIMBS] = {1};
    ns_mont_mul(r, a, one, m);
}

/* r = a^e (e: little-endian limbs, ebits bits), constant time in a and e
 * (square-and-multiply-always with a masked select). */
static inline void ns_mont_pow(uint64_t *r, const uint64_t *a, const uint64_t *e, int ebits, const ns_mont *m) {
    uint64_t acc[NS_MONT_MAX_LIMBS], t[NS_MONT_MAX_LIMBS], base[NS_MONT_MAX_LIMBS];
    for (int i = 0; i < m->n; i++) {
        acc[i] = m->one[i];
        base[i] = a[i];
    }
    for (int bit = ebits - 1; bit >= 0; bit--) {
        ns_mont_sqr(acc, acc, m);
        ns_mont_mul(t, acc, base, m);
        uint64_t mask = (uint64_t)0 - ((e[bit / 64] >> (bit % 64)) & 1);
        ns_mont_cmov(acc, t, mask, m);
    }
    for (int i = 0; i < m->n; i++) r[i] = acc[i];
}

/* r = a^{-1} (0 -> 0), constant time (Fermat). */
static inline void ns_mont_inv(uint64_t *r, const uint64_t *a, const ns_mont *m) {
    ns_mont_pow(r, a, m->pm2, m->bits, m);
}

/* Variable-time inverse for public values (binary extended Euclid on the
 * canonical value, then back to Montgomery form).  0 -> 0. */
void ns_mont_inv_var(uint64_t *r, const uint64_t *a, const ns_mont *m);

/* Canonical little-endian bytes (n*8 bytes) <-> Montgomery form.
 * from_bytes returns 0 and leaves r untouched if the integer is >= p. */
int ns_mont_from_bytes_le(uint64_t *r, const uint8_t *in, const ns_mont *m);
void ns_mont_to_bytes_le(uint8_t *out, const uint64_t *a, const ns_mont *m);
/* Same, big-endian. */
int ns_mont_from_bytes_be(uint64_t *r, const uint8_t *in, const ns_mont *m);
void ns_mont_to_bytes_be(uint8_t *out, const uint64_t *a, const ns_mont *m);

/* Fills in pinv, one, r2, pm2 and bits from n and p. */
void ns_mont_init(ns_mont *m, int n, const uint64_t *p);

#endif
