/* BLS12-381 Fp and its tower, on the generic Montgomery layer.
 * Constant tables hold Montgomery forms (x * 2^384 mod p); the unit tests
 * check each of them against the canonical values in tests/vectors/drand. */
#include "ff/bls12_381_field.h"

#include <string.h>

const ns_mont bls_fp_mont = {
    6,
    {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL, 0x64774b84f38512bfULL,
     0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL},
    0x89f3fffcfffcfffdULL,
    {0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL, 0x77ce585370525745ULL,
     0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL},
    {0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL, 0x8de5476c4c95b6d5ULL, 0x67eb88a9939d83c0ULL,
     0x9a793e85b519952dULL, 0x11988fe592cae3aaULL},
    {0xb9feffffffffaaa9ULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL, 0x64774b84f38512bfULL,
     0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL},
    381,
};

/* A private copy the compiler can see through, so that n = 6 is a constant
 * in the inlined loops of mont.h. */
static const ns_mont FP = {
    6,
    {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL, 0x64774b84f38512bfULL,
     0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL},
    0x89f3fffcfffcfffdULL,
    {0x760900000002fffdULL, 0xebf4000bc40c0002ULL, 0x5f48985753c758baULL, 0x77ce585370525745ULL,
     0x5c071a97a256ec6dULL, 0x15f65ec3fa80e493ULL},
    {0xf4df1f341c341746ULL, 0x0a76e6a609d104f1ULL, 0x8de5476c4c95b6d5ULL, 0x67eb88a9939d83c0ULL,
     0x9a793e85b519952dULL, 0x11988fe592cae3aaULL},
    {0xb9feffffffffaaa9ULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL, 0x64774b84f38512bfULL,
     0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL},
    381,
};

/* (p+1)/4, (p-1)/2 and R^3 mod p */
static const uint64_t EXP_SQRT[6] = {0xee7fbfffffffeaabULL, 0x07aaffffac54ffffULL, 0xd9cc34a83dac3d89ULL,
                                     0xd91dd2e13ce144afULL, 0x92c6e9ed90d2eb35ULL, 0x0680447a8e5ff9a6ULL};
static const uint64_t EXP_LEGENDRE[6] = {0xdcff7fffffffd555ULL, 0x0f55ffff58a9ffffULL, 0xb39869507b587b12ULL,
                                         0xb23ba5c279c2895fULL, 0x258dd3db21a5d66bULL, 0x0d0088f51cbff34dULL};
static const uint64_t R3[6] = {0xed48ac6bd94ca1e0ULL, 0x315f831e03a7adf8ULL, 0x9a53352a615e29ddULL,
                               0x34c04e5e921e1761ULL, 0x2512d43565724728ULL, 0x0aa6346091755d4dULL};

/* Frobenius coefficients gamma_e = (1+u)^(e(p-1)/6), e = 1..5 */
static const bls_fp2 FROB_GAMMA[5] = {
    {{{0x07089552b319d465ULL, 0xc6695f92b50a8313ULL, 0x97e83cccd117228fULL, 0xa35baecab2dc29eeULL, 0x1ce393ea5daace4dULL, 0x08f2220fb0fb66ebULL}}, {{0xb2f66aad4ce5d646ULL, 0x5842a06bfc497cecULL, 0xcf4895d42599d394ULL, 0xc11b9cba40a8e8d0ULL, 0x2e3813cbe5a0de89ULL, 0x110eefda88847fafULL}}},
    {{{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}, {{0xcd03c9e48671f071ULL, 0x5dab22461fcda5d2ULL, 0x587042afd3851b95ULL, 0x8eb60ebe01bacb9eULL, 0x03f97d6e83d050d2ULL, 0x18f0206554638741ULL}}},
    {{{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL, 0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}}, {{0x7bcfa7a25aa30fdaULL, 0xdc17dec12a927e7cULL, 0x2f088dd86b4ebef1ULL, 0xd1ca2087da74d4a7ULL, 0x2da2596696cebc1dULL, 0x0e2b7eedbbfd87d2ULL}}},
    {{{0x890dc9e4867545c3ULL, 0x2af322533285a5d5ULL, 0x50880866309b7e2cULL, 0xa20d1b8c7e881024ULL, 0x14e4f04fe2db9068ULL, 0x14e56d3f1564853aULL}}, {{0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL, 0x0000000000000000ULL}}},
    {{{0x82d83cf50dbce43fULL, 0xa2813e53df9d018fULL, 0xc6f0caa53c65e181ULL, 0x7525cf528d50fe95ULL, 0x4a85ed50f4798a6bULL, 0x171da0fd6cf8eebdULL}}, {{0x3726c30af242c66cULL, 0x7c2ac1aad1b6fe70ULL, 0xa04007fbba4b14a2ULL, 0xef517c3266341429ULL, 0x0095ba654ed2226bULL, 0x02e370eccc86f7ddULL}}},
};

/* ------------------------------------------------------------------ Fp */

void bls_fp_zero(bls_fp *r) { memset(r, 0, sizeof *r); }
void bls_fp_one(bls_fp *r) { memcpy(r->l, FP.one, sizeof r->l); }

void bls_fp_from_u64(bls_fp *r, uint64_t v) {
    uint64_t t[6] = {v, 0, 0, 0, 0, 0};
    ns_mont_to_mont(r->l, t, &FP);
}

void bls_fp_add(bls_fp *r, const bls_fp *a, const bls_fp *b) { ns_mont_add6(r->l, a->l, b->l, FP.p); }
void bls_fp_sub(bls_fp *r, const bls_fp *a, const bls_fp *b) { ns_mont_sub6(r->l, a->l, b->l, FP.p); }
void bls_fp_neg(bls_fp *r, const bls_fp *a) { ns_mont_neg(r->l, a->l, &FP); }
void bls_fp_dbl(bls_fp *r, const bls_fp *a) { ns_mont_add6(r->l, a->l, a->l, FP.p); }
void bls_fp_mul(bls_fp *r, const bls_fp *a, const bls_fp *b) { ns_mont_mul(r->l, a->l, b->l, &FP); }
void bls_fp_sqr(bls_fp *r, const bls_fp *a) { ns_mont_mul(r->l, a->l, a->l, &FP); }
void bls_fp_inv_var(bls_fp *r, const bls_fp *a) { ns_mont_inv_var(r->l, a->l, &FP); }

/* Halving the Montgomery representation halves the value: add p when odd. */
void bls_fp_half(bls_fp *r, const bls_fp *a) {
    uint64_t mask = (uint64_t)0 - (a->l[0] & 1);
    uint64_t t[7];
    ns_u128 c = 0;
    for (int i = 0; i < 6; i++) {
        c += (ns_u128)a->l[i] + (FP.p[i] & mask);
        t[i] = (uint64_t)c;
        c >>= 64;
    }
    t[6] = (uint64_t)c;
    for (int i = 0; i < 6; i++) r->l[i] = (t[i] >> 1) | (t[i + 1] << 63);
}

/* Fixed 4-bit windows: 16-entry table, one multiplication per nonzero window. */
void bls_fp_pow_var(bls_fp *r, const bls_fp *a, const uint64_t *e, int nlimbs) {
    bls_fp tab[16], acc;
    bls_fp_one(&tab[0]);
    tab[1] = *a;
    for (int i = 2; i < 16; i++) bls_fp_mul(&tab[i], &tab[i - 1], a);
    int top = nlimbs * 64 - 1;
    while (top >= 0 && !((e[top / 64] >> (top % 64)) & 1)) top--;
    if (top < 0) {
        bls_fp_one(r);
        return;
    }
    int nwin = top / 4 + 1, started = 0;
    bls_fp_one(&acc);
    for (int w = nwin - 1; w >= 0; w--) {
        unsigned d = (unsigned)(e[(4 * w) / 64] >> ((4 * w) % 64)) & 15; /* windows never straddle limbs */
        if (started) {
            bls_fp_sqr(&acc, &acc);
            bls_fp_sqr(&acc, &acc);
            bls_fp_sqr(&acc, &acc);
            bls_fp_sqr(&acc, &acc);
            if (d) bls_fp_mul(&acc, &acc, &tab[d]);
        } else if (d) {
            acc = tab[d];
            started = 1;
        }
    }
    *r = acc;
}

int bls_fp_is_zero(const bls_fp *a) { return ns_mont_is_zero_mask(a->l, &FP) != 0; }
int bls_fp_is_one(const bls_fp *a) { return ns_mont_eq_mask(a->l, FP.one, &FP) != 0; }
int bls_fp_eq(const bls_fp *a, const bls_fp *b) { return ns_mont_eq_mask(a->l, b->l, &FP) != 0; }

/* p = 3 mod 4: sqrt(a) = a^((p+1)/4), then check. */
int bls_fp_sqrt_var(bls_fp *r, const bls_fp *a) {
    bls_fp s, c;
    bls_fp_pow_var(&s, a, EXP_SQRT, 6);
    bls_fp_sqr(&c, &s);
    if (!bls_fp_eq(&c, a)) return 0;
    *r = s;
    return 1;
}

int bls_fp_is_square_var(const bls_fp *a) {
    bls_fp t;
    if (bls_fp_is_zero(a)) return 1;
    bls_fp_pow_var(&t, a, EXP_LEGENDRE, 6);
    return bls_fp_is_one(&t);
}

int bls_fp_sgn0(const bls_fp *a) {
    uint64_t c[6];
    ns_mont_from_mont(c, a->l, &FP);
    return (int)(c[0] & 1);
}

int bls_fp_is_lex_largest(const bls_fp *a) {
    uint64_t c[6];
    ns_mont_from_mont(c, a->l, &FP);
    /* c > (p-1)/2  <=>  c > EXP_LEGENDRE */
    for (int i = 5; i >= 0; i--) {
        if (c[i] != EXP_LEGENDRE[i]) return c[i] > EXP_LEGENDRE[i];
    }
    return 0;
}

int bls_fp_from_be(bls_fp *r, const uint8_t in[48]) { return ns_mont_from_bytes_be(r->l, in, &FP); }
void bls_fp_to_be(uint8_t out[48], const bls_fp *a) { ns_mont_to_bytes_be(out, a->l, &FP); }

/* x = hi * 2^384 + lo with lo < 2^384 and hi < 2^128.  mont_mul(lo, R^2)
 * = lo*R mod p is exact for any lo < 2^384 (the product stays below R*p),
 * and mont_mul(hi, R^3) = hi * R^2 = (hi * 2^384) * R. */
void bls_fp_from_be64_reduce(bls_fp *r, const uint8_t in[64]) {
    uint64_t lo[6] = {0}, hi[6] = {0};
    for (int i = 0; i < 64; i++) {
        int k = 63 - i; /* byte significance */
        uint64_t b = in[i];
        if (k < 48) lo[k / 8] |= b << (8 * (k % 8));
        else hi[(k - 48) / 8] |= b << (8 * ((k - 48) % 8));
    }
    bls_fp a, b;
    ns_mont_mul(a.l, lo, FP.r2, &FP);
    ns_mont_mul(b.l, hi, R3, &FP);
    bls_fp_add(r, &a, &b);
}

/* ------------------------------------------------------------------ Fp2 */

void bls_fp2_zero(bls_fp2 *r) { memset(r, 0, sizeof *r); }
void bls_fp2_one(bls_fp2 *r) {
    bls_fp_one(&r->c0);
    bls_fp_zero(&r->c1);
}
void bls_fp2_add(bls_fp2 *r, const bls_fp2 *a, const bls_fp2 *b) {
    bls_fp_add(&r->c0, &a->c0, &b->c0);
    bls_fp_add(&r->c1, &a->c1, &b->c1);
}
void bls_fp2_sub(bls_fp2 *r, const bls_fp2 *a, const bls_fp2 *b) {
    bls_fp_sub(&r->c0, &a->c0, &b->c0);
    bls_fp_sub(&r->c1, &a->c1, &b->c1);
}
void bls_fp2_neg(bls_fp2 *r, const bls_fp2 *a) {
    bls_fp_neg(&r->c0, &a->c0);
    bls_fp_neg(&r->c1, &a->c1);
}
void bls_fp2_dbl(bls_fp2 *r, const bls_fp2 *a) {
    bls_fp_dbl(&r->c0, &a->c0);
    bls_fp_dbl(&r->c1, &a->c1);
}
void bls_fp2_conj(bls_fp2 *r, const bls_fp2 *a) {
    r->c0 = a->c0;
    bls_fp_neg(&r->c1, &a->c1);
}

/* Karatsuba: 3 multiplications. */
void bls_fp2_mul(bls_fp2 *r, const bls_fp2 *a, const bls_fp2 *b) {
    bls_fp t0, t1, s0, s1;
    bls_fp_mul(&t0, &a->c0, &b->c0);
    bls_fp_mul(&t1, &a->c1, &b->c1);
    bls_fp_add(&s0, &a->c0, &a->c1);
    bls_fp_add(&s1, &b->c0, &b->c1);
    bls_fp_mul(&s0, &s0, &s1);
    bls_fp_sub(&r->c0, &t0, &t1);
    bls_fp_sub(&s0, &s0, &t0);
    bls_fp_sub(&r->c1, &s0, &t1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
void bls_fp2_sqr(bls_fp2 *r, const bls_fp2 *a) {
    bls_fp s, d, m;
    bls_fp_add(&s, &a->c0, &a->c1);
    bls_fp_sub(&d, &a->c0, &a->c1);
    bls_fp_mul(&m, &a->c0, &a->c1);
    bls_fp_mul(&r->c0, &s, &d);
    bls_fp_dbl(&r->c1, &m);
}

void bls_fp2_mul_fp(bls_fp2 *r, const bls_fp2 *a, const bls_fp *b) {
    bls_fp_mul(&r->c0, &a->c0, b);
    bls_fp_mul(&r->c1, &a->c1, b);
}

/* (a0 + a1 u)(1 + u) = (a0 - a1) + (a0 + a1) u */
void bls_fp2_mul_by_xi(bls_fp2 *r, const bls_fp2 *a) {
    bls_fp t;
    bls_fp_sub(&t, &a->c0, &a->c1);
    bls_fp_add(&r->c1, &a->c0, &a->c1);
    r->c0 = t;
}

void bls_fp2_inv_var(bls_fp2 *r, const bls_fp2 *a) {
    bls_fp n, t;
    bls_fp_sqr(&n, &a->c0);
    bls_fp_sqr(&t, &a->c1);
    bls_fp_add(&n, &n, &t);
    bls_fp_inv_var(&n, &n);
    bls_fp_mul(&r->c0, &a->c0, &n);
    bls_fp_mul(&t, &a->c1, &n);
    bls_fp_neg(&r->c1, &t);
}

int bls_fp2_is_zero(const bls_fp2 *a) { return bls_fp_is_zero(&a->c0) && bls_fp_is_zero(&a->c1); }
int bls_fp2_is_one(const bls_fp2 *a) { return bls_fp_is_one(&a->c0) && bls_fp_is_zero(&a->c1); }
int bls_fp2_eq(const bls_fp2 *a, const bls_fp2 *b) {
    return bls_fp_eq(&a->c0, &b->c0) && bls_fp_eq(&a->c1, &b->c1);
}

/* a is a square in Fp2 iff its norm a0^2 + a1^2 is a square in Fp. */
int bls_fp2_is_square_var(const bls_fp2 *a) {
    bls_fp n, t;
    bls_fp_sqr(&n, &a->c0);
    bls_fp_sqr(&t, &a->c1);
    bls_fp_add(&n, &n, &t);
    return bls_fp_is_square_var(&n);
}

/* Square root through the norm: with s = sqrt(a0^2 + a1^2), the root is
 * x0 + x1 u where x0^2 = (a0 +- s)/2 and x1 = a1 / (2 x0). */
int bls_fp2_sqrt_var(bls_fp2 *r, const bls_fp2 *a) {
    bls_fp2 x, chk;
    if (bls_fp_is_zero(&a->c1)) {
        bls_fp t;
        if (bls_fp_sqrt_var(&t, &a->c0)) {
            x.c0 = t;
            bls_fp_zero(&x.c1);
        } else {
            bls_fp_neg(&t, &a->c0); /* -1 is a non-square: -a0 is a square */
            if (!bls_fp_sqrt_var(&t, &t)) return 0;
            bls_fp_zero(&x.c0);
            x.c1 = t;
        }
    } else {
        bls_fp n, t, s, x0, d;
        bls_fp_sqr(&n, &a->c0);
        bls_fp_sqr(&t, &a->c1);
        bls_fp_add(&n, &n, &t);
        if (!bls_fp_sqrt_var(&s, &n)) return 0;
        bls_fp_add(&t, &a->c0, &s);
        bls_fp_half(&t, &t);
        /* c = t^((p+1)/4): c^2 = t if t is a square, else c^2 = -t.  In the
         * second case t' = (a0 - s)/2 = -a1^2/(4t) is the square, with root
         * a1/(2c), and then x1 = a1/(2 x0) = c: one exponentiation either way. */
        bls_fp_pow_var(&x0, &t, EXP_SQRT, 6);
        bls_fp_sqr(&d, &x0);
        if (bls_fp_eq(&d, &t)) {
            bls_fp_dbl(&d, &x0);
            bls_fp_inv_var(&d, &d);
            x.c0 = x0;
            bls_fp_mul(&x.c1, &a->c1, &d);
        } else {
            bls_fp_dbl(&d, &x0);
            bls_fp_inv_var(&d, &d);
            bls_fp_mul(&x.c0, &a->c1, &d);
            x.c1 = x0;
        }
    }
    bls_fp2_sqr(&chk, &x);
    if (!bls_fp2_eq(&chk, a)) return 0;
    *r = x;
    return 1;
}

int bls_fp2_sgn0(const bls_fp2 *a) {
    int s0 = bls_fp_sgn0(&a->c0);
    int z0 = bls_fp_is_zero(&a->c0);
    int s1 = bls_fp_sgn0(&a->c1);
    return s0 | (z0 & s1);
}

int bls_fp2_is_lex_largest(const bls_fp2 *a) {
    if (!bls_fp_is_zero(&a->c1)) return bls_fp_is_lex_largest(&a->c1);
    return bls_fp_is_lex_largest(&a->c0);
}

/* ------------------------------------------------------------------ Fp6 */

void bls_fp6_zero(bls_fp6 *r) { memset(r, 0, sizeof *r); }
void bls_fp6_one(bls_fp6 *r) {
    bls_fp6_zero(r);
    bls_fp2_one(&r->c0);
}
void bls_fp6_add(bls_fp6 *r, const bls_fp6 *a, const bls_fp6 *b) {
    bls_fp2_add(&r->c0, &a->c0, &b->c0);
    bls_fp2_add(&r->c1, &a->c1, &b->c1);
    bls_fp2_add(&r->c2, &a->c2, &b->c2);
}
void bls_fp6_sub(bls_fp6 *r, const bls_fp6 *a, const bls_fp6 *b) {
    bls_fp2_sub(&r->c0, &a->c0, &b->c0);
    bls_fp2_sub(&r->c1, &a->c1, &b->c1);
    bls_fp2_sub(&r->c2, &a->c2, &b->c2);
}
void bls_fp6_neg(bls_fp6 *r, const bls_fp6 *a) {
    bls_fp2_neg(&r->c0, &a->c0);
    bls_fp2_neg(&r->c1, &a->c1);
    bls_fp2_neg(&r->c2, &a->c2);
}

/* (c0 + c1 v + c2 v^2) v = xi c2 + c0 v + c1 v^2 */
void bls_fp6_mul_by_v(bls_fp6 *r, const bls_fp6 *a) {
    bls_fp2 t;
    bls_fp2_mul_by_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

/* Karatsuba over Fp2 (6 multiplications). */
void bls_fp6_mul(bls_fp6 *r, const bls_fp6 *a, const bls_fp6 *b) {
    bls_fp2 t0, t1, t2, s, u, c0, c1, c2;
    bls_fp2_mul(&t0, &a->c0, &b->c0);
    bls_fp2_mul(&t1, &a->c1, &b->c1);
    bls_fp2_mul(&t2, &a->c2, &b->c2);
    /* c0 = t0 + xi((a1+a2)(b1+b2) - t1 - t2) */
    bls_fp2_add(&s, &a->c1, &a->c2);
    bls_fp2_add(&u, &b->c1, &b->c2);
    bls_fp2_mul(&s, &s, &u);
    bls_fp2_sub(&s, &s, &t1);
    bls_fp2_sub(&s, &s, &t2);
    bls_fp2_mul_by_xi(&s, &s);
    bls_fp2_add(&c0, &s, &t0);
    /* c1 = (a0+a1)(b0+b1) - t0 - t1 + xi t2 */
    bls_fp2_add(&s, &a->c0, &a->c1);
    bls_fp2_add(&u, &b->c0, &b->c1);
    bls_fp2_mul(&s, &s, &u);
    bls_fp2_sub(&s, &s, &t0);
    bls_fp2_sub(&s, &s, &t1);
    bls_fp2_mul_by_xi(&u, &t2);
    bls_fp2_add(&c1, &s, &u);
    /* c2 = (a0+a2)(b0+b2) - t0 - t2 + t1 */
    bls_fp2_add(&s, &a->c0, &a->c2);
    bls_fp2_add(&u, &b->c0, &b->c2);
    bls_fp2_mul(&s, &s, &u);
    bls_fp2_sub(&s, &s, &t0);
    bls_fp2_sub(&s, &s, &t2);
    bls_fp2_add(&c2, &s, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* Chung-Hasan SQR2. */
void bls_fp6_sqr(bls_fp6 *r, const bls_fp6 *a) {
    bls_fp2 s0, s1, s2, s3, s4, t;
    bls_fp2_sqr(&s0, &a->c0);
    bls_fp2_mul(&s1, &a->c0, &a->c1);
    bls_fp2_dbl(&s1, &s1);
    bls_fp2_sub(&t, &a->c0, &a->c1);
    bls_fp2_add(&t, &t, &a->c2);
    bls_fp2_sqr(&s2, &t);
    bls_fp2_mul(&s3, &a->c1, &a->c2);
    bls_fp2_dbl(&s3, &s3);
    bls_fp2_sqr(&s4, &a->c2);
    /* c0 = s0 + xi s3; c1 = s1 + xi s4; c2 = s1 + s2 + s3 - s0 - s4 */
    bls_fp2 c0, c1, c2;
    bls_fp2_mul_by_xi(&t, &s3);
    bls_fp2_add(&c0, &s0, &t);
    bls_fp2_mul_by_xi(&t, &s4);
    bls_fp2_add(&c1, &s1, &t);
    bls_fp2_add(&c2, &s1, &s2);
    bls_fp2_add(&c2, &c2, &s3);
    bls_fp2_sub(&c2, &c2, &s0);
    bls_fp2_sub(&c2, &c2, &s4);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void bls_fp6_inv_var(bls_fp6 *r, const bls_fp6 *a) {
    bls_fp2 A, B, C, t, d;
    /* A = a0^2 - xi a1 a2; B = xi a2^2 - a0 a1; C = a1^2 - a0 a2 */
    bls_fp2_sqr(&A, &a->c0);
    bls_fp2_mul(&t, &a->c1, &a->c2);
    bls_fp2_mul_by_xi(&t, &t);
    bls_fp2_sub(&A, &A, &t);
    bls_fp2_sqr(&B, &a->c2);
    bls_fp2_mul_by_xi(&B, &B);
    bls_fp2_mul(&t, &a->c0, &a->c1);
    bls_fp2_sub(&B, &B, &t);
    bls_fp2_sqr(&C, &a->c1);
    bls_fp2_mul(&t, &a->c0, &a->c2);
    bls_fp2_sub(&C, &C, &t);
    /* d = a0 A + xi (a2 B + a1 C) */
    bls_fp2_mul(&d, &a->c2, &B);
    bls_fp2_mul(&t, &a->c1, &C);
    bls_fp2_add(&d, &d, &t);
    bls_fp2_mul_by_xi(&d, &d);
    bls_fp2_mul(&t, &a->c0, &A);
    bls_fp2_add(&d, &d, &t);
    bls_fp2_inv_var(&d, &d);
    bls_fp2_mul(&r->c0, &A, &d);
    bls_fp2_mul(&r->c1, &B, &d);
    bls_fp2_mul(&r->c2, &C, &d);
}

int bls_fp6_eq(const bls_fp6 *a, const bls_fp6 *b) {
    return bls_fp2_eq(&a->c0, &b->c0) && bls_fp2_eq(&a->c1, &b->c1) && bls_fp2_eq(&a->c2, &b->c2);
}

/* ------------------------------------------------------------------ Fp12 */

void bls_fp12_one(bls_fp12 *r) {
    bls_fp6_one(&r->c0);
    bls_fp6_zero(&r->c1);
}

void bls_fp12_mul(bls_fp12 *r, const bls_fp12 *a, const bls_fp12 *b) {
    bls_fp6 t0, t1, s, u;
    bls_fp6_mul(&t0, &a->c0, &b->c0);
    bls_fp6_mul(&t1, &a->c1, &b->c1);
    bls_fp6_add(&s, &a->c0, &a->c1);
    bls_fp6_add(&u, &b->c0, &b->c1);
    bls_fp6_mul(&s, &s, &u);
    bls_fp6_sub(&s, &s, &t0);
    bls_fp6_sub(&r->c1, &s, &t1);
    bls_fp6_mul_by_v(&t1, &t1);
    bls_fp6_add(&r->c0, &t0, &t1);
}

/* (a0 + a1 w)^2 = (a0 + a1)(a0 + v a1) - m - v m + 2 m w,  m = a0 a1 */
void bls_fp12_sqr(bls_fp12 *r, const bls_fp12 *a) {
    bls_fp6 m, s, t;
    bls_fp6_mul(&m, &a->c0, &a->c1);
    bls_fp6_add(&s, &a->c0, &a->c1);
    bls_fp6_mul_by_v(&t, &a->c1);
    bls_fp6_add(&t, &t, &a->c0);
    bls_fp6_mul(&s, &s, &t);
    bls_fp6_sub(&s, &s, &m);
    bls_fp6_mul_by_v(&t, &m);
    bls_fp6_sub(&r->c0, &s, &t);
    bls_fp6_add(&r->c1, &m, &m);
}

/* a * (b0 + b1 v), 5 Fp2 multiplications */
static void fp6_mul_by_01(bls_fp6 *r, const bls_fp6 *a, const bls_fp2 *b0, const bls_fp2 *b1) {
    bls_fp2 t0, t1, s, u, c0, c1, c2;
    bls_fp2_mul(&t0, &a->c0, b0);
    bls_fp2_mul(&t1, &a->c1, b1);
    /* c0 = t0 + xi a2 b1 */
    bls_fp2_mul(&s, &a->c2, b1);
    bls_fp2_mul_by_xi(&s, &s);
    bls_fp2_add(&c0, &s, &t0);
    /* c1 = (a0+a1)(b0+b1) - t0 - t1 */
    bls_fp2_add(&s, &a->c0, &a->c1);
    bls_fp2_add(&u, b0, b1);
    bls_fp2_mul(&s, &s, &u);
    bls_fp2_sub(&s, &s, &t0);
    bls_fp2_sub(&c1, &s, &t1);
    /* c2 = a2 b0 + t1 */
    bls_fp2_mul(&s, &a->c2, b0);
    bls_fp2_add(&c2, &s, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

/* a * (b1 v) = xi a2 b1 + a0 b1 v + a1 b1 v^2 */
static void fp6_mul_by_1(bls_fp6 *r, const bls_fp6 *a, const bls_fp2 *b1) {
    bls_fp2 c0, c1, c2;
    bls_fp2_mul(&c0, &a->c2, b1);
    bls_fp2_mul_by_xi(&c0, &c0);
    bls_fp2_mul(&c1, &a->c0, b1);
    bls_fp2_mul(&c2, &a->c1, b1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void bls_fp12_mul_by_014(bls_fp12 *r, const bls_fp12 *a, const bls_fp2 *l0, const bls_fp2 *l1,
                         const bls_fp2 *l4) {
    bls_fp6 t0, t1, s;
    bls_fp2 m;
    fp6_mul_by_01(&t0, &a->c0, l0, l1);
    fp6_mul_by_1(&t1, &a->c1, l4);
    bls_fp2_add(&m, l1, l4);
    bls_fp6_add(&s, &a->c0, &a->c1);
    fp6_mul_by_01(&s, &s, l0, &m);
    bls_fp6_sub(&s, &s, &t0);
    bls_fp6_sub(&r->c1, &s, &t1);
    bls_fp6_mul_by_v(&t1, &t1);
    bls_fp6_add(&r->c0, &t0, &t1);
}

/* (a + b y)^2 in Fp4 = Fp2[y]/(y^2 - xi): (a^2 + xi b^2, 2ab) */
static void fp4_sqr(bls_fp2 *c0, bls_fp2 *c1, const bls_fp2 *a, const bls_fp2 *b) {
    bls_fp2 t0, t1, t2;
    bls_fp2_sqr(&t0, a);
    bls_fp2_sqr(&t1, b);
    bls_fp2_mul_by_xi(&t2, &t1);
    bls_fp2_add(c0, &t2, &t0);
    bls_fp2_add(&t2, a, b);
    bls_fp2_sqr(&t2, &t2);
    bls_fp2_sub(&t2, &t2, &t0);
    bls_fp2_sub(c1, &t2, &t1);
}

/* Granger-Scott: Fp12 seen as Fp4^3 with the pairs (z0,z1) = (c0.c0,c1.c1),
 * (z2,z3) = (c1.c0,c0.c2), (z4,z5) = (c0.c1,c1.c2). */
void bls_fp12_cyclotomic_sqr(bls_fp12 *r, const bls_fp12 *a) {
    bls_fp2 z0 = a->c0.c0, z4 = a->c0.c1, z3 = a->c0.c2;
    bls_fp2 z2 = a->c1.c0, z1 = a->c1.c1, z5 = a->c1.c2;
    bls_fp2 t0, t1, t2, t3;

    fp4_sqr(&t0, &t1, &z0, &z1);
    bls_fp2_sub(&z0, &t0, &z0); /* z0 = 3 t0 - 2 z0 */
    bls_fp2_dbl(&z0, &z0);
    bls_fp2_add(&z0, &z0, &t0);
    bls_fp2_add(&z1, &t1, &z1); /* z1 = 3 t1 + 2 z1 */
    bls_fp2_dbl(&z1, &z1);
    bls_fp2_add(&z1, &z1, &t1);

    fp4_sqr(&t0, &t1, &z2, &z3);
    fp4_sqr(&t2, &t3, &z4, &z5);
    bls_fp2_sub(&z4, &t0, &z4);
    bls_fp2_dbl(&z4, &z4);
    bls_fp2_add(&z4, &z4, &t0);
    bls_fp2_add(&z5, &t1, &z5);
    bls_fp2_dbl(&z5, &z5);
    bls_fp2_add(&z5, &z5, &t1);

    bls_fp2_mul_by_xi(&t0, &t3);
    bls_fp2_add(&z2, &t0, &z2);
    bls_fp2_dbl(&z2, &z2);
    bls_fp2_add(&z2, &z2, &t0);
    bls_fp2_sub(&z3, &t2, &z3);
    bls_fp2_dbl(&z3, &z3);
    bls_fp2_add(&z3, &z3, &t2);

    r->c0.c0 = z0;
    r->c0.c1 = z4;
    r->c0.c2 = z3;
    r->c1.c0 = z2;
    r->c1.c1 = z1;
    r->c1.c2 = z5;
}

/* (a0 + a1 w)^-1 = (a0 - a1 w) / (a0^2 - v a1^2) */
void bls_fp12_inv_var(bls_fp12 *r, const bls_fp12 *a) {
    bls_fp6 t0, t1;
    bls_fp6_sqr(&t0, &a->c0);
    bls_fp6_sqr(&t1, &a->c1);
    bls_fp6_mul_by_v(&t1, &t1);
    bls_fp6_sub(&t0, &t0, &t1);
    bls_fp6_inv_var(&t0, &t0);
    bls_fp6_mul(&r->c0, &a->c0, &t0);
    bls_fp6_mul(&r->c1, &a->c1, &t0);
    bls_fp6_neg(&r->c1, &r->c1);
}

void bls_fp12_conj(bls_fp12 *r, const bls_fp12 *a) {
    r->c0 = a->c0;
    bls_fp6_neg(&r->c1, &a->c1);
}

/* a^p: conjugate every Fp2 coefficient a_e of w^e and multiply by gamma_e.
 * c0 = (w^0, w^2, w^4), c1 = (w^1, w^3, w^5). */
static void fp12_frob1(bls_fp12 *r, const bls_fp12 *a) {
    bls_fp2_conj(&r->c0.c0, &a->c0.c0);
    bls_fp2_conj(&r->c0.c1, &a->c0.c1);
    bls_fp2_mul(&r->c0.c1, &r->c0.c1, &FROB_GAMMA[1]);
    bls_fp2_conj(&r->c0.c2, &a->c0.c2);
    bls_fp2_mul(&r->c0.c2, &r->c0.c2, &FROB_GAMMA[3]);
    bls_fp2_conj(&r->c1.c0, &a->c1.c0);
    bls_fp2_mul(&r->c1.c0, &r->c1.c0, &FROB_GAMMA[0]);
    bls_fp2_conj(&r->c1.c1, &a->c1.c1);
    bls_fp2_mul(&r->c1.c1, &r->c1.c1, &FROB_GAMMA[2]);
    bls_fp2_conj(&r->c1.c2, &a->c1.c2);
    bls_fp2_mul(&r->c1.c2, &r->c1.c2, &FROB_GAMMA[4]);
}

void bls_fp12_frobenius(bls_fp12 *r, const bls_fp12 *a, int power) {
    bls_fp12 t = *a;
    power %= 12;
    if (power < 0) power += 12;
    for (int i = 0; i < power; i++) fp12_frob1(&t, &t);
    *r = t;
}

int bls_fp12_eq(const bls_fp12 *a, const bls_fp12 *b) {
    return bls_fp6_eq(&a->c0, &b->c0) && bls_fp6_eq(&a->c1, &b->c1);
}

int bls_fp12_is_one(const bls_fp12 *a) {
    bls_fp12 one;
    bls_fp12_one(&one);
    return bls_fp12_eq(a, &one);
}
