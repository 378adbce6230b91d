#include "ff/mont.h"

#include <string.h>

/* Compare canonical little-endian integers: -1, 0, 1 (variable time). */
static int cmp_var(const uint64_t *a, const uint64_t *b, int n) {
    for (int i = n - 1; i >= 0; i--) {
        if (a[i] < b[i]) return -1;
        if (a[i] > b[i]) return 1;
    }
    return 0;
}

static int is_zero_var(const uint64_t *a, int n) {
    for (int i = 0; i < n; i++)
        if (a[i]) return 0;
    return 1;
}

static void shr1(uint64_t *a, int n, uint64_t top) {
    for (int i = 0; i < n - 1; i++) a[i] = (a[i] >> 1) | (a[i + 1] << 63);
    a[n - 1] = (a[n - 1] >> 1) | (top << 63);
}

/* a = a - b (assumes a >= b) */
static void sub_raw(uint64_t *a, const uint64_t *b, int n) {
    uint64_t borrow = 0;
    for (int i = 0; i < n; i++) {
        ns_u128 d = (ns_u128)a[i] - b[i] - borrow;
        a[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
}

/* a = (a + p) / 2 when a is odd, else a / 2; a < p on entry. */
static void half_mod(uint64_t *a, const uint64_t *p, int n) {
    if (a[0] & 1) {
        ns_u128 c = 0;
        for (int i = 0; i < n; i++) {
            c += (ns_u128)a[i] + p[i];
            a[i] = (uint64_t)c;
            c >>= 64;
        }
        shr1(a, n, (uint64_t)c);
    } else {
        shr1(a, n, 0);
    }
}

void ns_mont_inv_var(uint64_t *r, const uint64_t *a, const ns_mont *m) {
    const int n = m->n;
    uint64_t u[NS_MONT_MAX_LIMBS], v[NS_MONT_MAX_LIMBS], x1[NS_MONT_MAX_LIMBS] = {0}, x2[NS_MONT_MAX_LIMBS] = {0};
    ns_mont_from_mont(u, a, m);
    if (is_zero_var(u, n)) {
        memset(r, 0, sizeof(uint64_t) * (size_t)n);
        return;
    }
    memcpy(v, m->p, sizeof(uint64_t) * (size_t)n);
    x1[0] = 1;
    /* invariant: x1*a0 = u, x2*a0 = v (mod p) */
    while (!(u[0] == 1 && is_zero_var(u + 1, n - 1)) && !(v[0] == 1 && is_zero_var(v + 1, n - 1))) {
        while ((u[0] & 1) == 0) {
            shr1(u, n, 0);
            half_mod(x1, m->p, n);
        }
        while ((v[0] & 1) == 0) {
            shr1(v, n, 0);
            half_mod(x2, m->p, n);
        }
        if (cmp_var(u, v, n) >= 0) {
            sub_raw(u, v, n);
            ns_mont_sub(x1, x1, x2, m);
        } else {
            sub_raw(v, u, n);
            ns_mont_sub(x2, x2, x1, m);
        }
    }
    const uint64_t *res = (u[0] == 1 && is_zero_var(u + 1, n - 1)) ? x1 : x2;
    /* res is the canonical inverse; convert to Montgomery form. */
    ns_mont_to_mont(r, res, m);
}

int ns_mont_from_bytes_le(uint64_t *r, const uint8_t *in, const ns_mont *m) {
    uint64_t t[NS_MONT_MAX_LIMBS];
    for (int i = 0; i < m->n; i++) {
        uint64_t w = 0;
        for (int j = 7; j >= 0; j--) w = (w << 8) | in[8 * i + j];
        t[i] = w;
    }
    /* t < p by the borrow of t - p, without branching on the value */
    uint64_t borrow = 0;
    for (int i = 0; i < m->n; i++) {
        ns_u128 d = (ns_u128)t[i] - m->p[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    ns_mont_to_mont(r, t, m);
    return (int)borrow;
}

void ns_mont_to_bytes_le(uint8_t *out, const uint64_t *a, const ns_mont *m) {
    uint64_t t[NS_MONT_MAX_LIMBS];
    ns_mont_from_mont(t, a, m);
    for (int i = 0; i < m->n; i++)
        for (int j = 0; j < 8; j++) out[8 * i + j] = (uint8_t)(t[i] >> (8 * j));
}

int ns_mont_from_bytes_be(uint64_t *r, const uint8_t *in, const ns_mont *m) {
    uint8_t le[8 * NS_MONT_MAX_LIMBS];
    int len = 8 * m->n;
    for (int i = 0; i < len; i++) le[i] = in[len - 1 - i];
    return ns_mont_from_bytes_le(r, le, m);
}

void ns_mont_to_bytes_be(uint8_t *out, const uint64_t *a, const ns_mont *m) {
    uint8_t le[8 * NS_MONT_MAX_LIMBS];
    int len = 8 * m->n;
    ns_mont_to_bytes_le(le, a, m);
    for (int i = 0; i < len; i++) out[i] = le[len - 1 - i];
}

void ns_mont_init(ns_mont *m, int n, const uint64_t *p) {
    memset(m, 0, sizeof *m);
    m->n = n;
    memcpy(m->p, p, sizeof(uint64_t) * (size_t)n);
    /* pinv = -p^{-1} mod 2^64 by Newton iteration */
    uint64_t inv = 1;
    for (int i = 0; i < 7; i++) inv *= 2 - p[0] * inv;
    m->pinv = (uint64_t)0 - inv;
    /* bits */
    int top = n - 1;
    int b = 64;
    while (b > 0 && ((p[top] >> (b - 1)) & 1) == 0) b--;
    m->bits = 64 * top + b;
    /* one = 2^(64n) mod p, computed by doubling 1 (64n times) */
    uint64_t x[NS_MONT_MAX_LIMBS] = {1};
    for (int i = 0; i < 64 * n; i++) ns_mont_add(x, x, x, m);
    memcpy(m->one, x, sizeof(uint64_t) * (size_t)n);
    /* r2 = R^2 mod p: keep doubling another 64n times */
    for (int i = 0; i < 64 * n; i++) ns_mont_add(x, x, x, m);
    memcpy(m->r2, x, sizeof(uint64_t) * (size_t)n);
    memcpy(m->pm2, p, sizeof(uint64_t) * (size_t)n);
    m->pm2[0] -= 2; /* p is odd and > 2 */
}
