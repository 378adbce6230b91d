/* Variable-time inversion in Fq for public values: the Bernstein-Yang
 * divstep algorithm in batches of 62 steps computed on the low 64 bits of
 * f and g (transition matrix, then applied to the full numbers), with the
 * bit-cancellation shortcuts of the variable-time form.  Numbers are signed
 * in 5 limbs of 62 bits (limbs 0..3 in [0, 2^62), limb 4 signed).
 *
 * Invariants (mod q): f = d x, g = e x.  Start f = q, g = x, d = 0, e = 1;
 * each batch divides by 2^62, which for d and e is done exactly by first
 * adding the multiple of q that clears their low 62 bits.  At the end
 * g = 0, f = +-1, so x^-1 = +-d. */
#include "ff/bn254_consts.h"
#include "ff/bn254_fq_fast.h"

#include <string.h>

#define IV_M62 (((uint64_t)1 << 62) - 1)

typedef __int128 iv_i128;

typedef struct {
    int64_t v[5];
} iv_s62;

typedef struct {
    int64_t u, v, q, r;
} iv_trans;

/* q in signed 62-bit limbs, cut from the 64-bit limbs of ff/bn254_consts.h */
static const iv_s62 IV_Q = {{(int64_t)(BN254_Q0 & IV_M62), (int64_t)(((BN254_Q0 >> 62) | (BN254_Q1 << 2)) & IV_M62),
                             (int64_t)(((BN254_Q1 >> 60) | (BN254_Q2 << 4)) & IV_M62),
                             (int64_t)(((BN254_Q2 >> 58) | (BN254_Q3 << 6)) & IV_M62), (int64_t)(BN254_Q3 >> 56)}};
static const uint64_t IV_QINV62 = 0x382df87d1b799c77ULL; /* q^-1 mod 2^62 */
/* R^3 mod q: turns the plain inverse of a Montgomery value a = xR into
 * x^-1 R with one Montgomery product. */
static const uint64_t IV_R3[4] = {0xb1cd6dafda1530dfULL, 0x62f210e6a7283db6ULL, 0xef7f0b0c0ada0afbULL,
                                  0x20fd6e902d592544ULL};

static int iv_ctz64(uint64_t x) { return __builtin_ctzll(x); }

/* 62 divsteps on the low bits of f (odd) and g; returns the new eta. */
static int64_t iv_divsteps_62(int64_t eta, uint64_t f0, uint64_t g0, iv_trans *t) {
    uint64_t u = 1, v = 0, q = 0, r = 1, f = f0, g = g0, w, m;
    int i = 62;
    for (;;) {
        /* the zero bits of g (at most i of them): halvings only */
        int zeros = iv_ctz64(g | (~(uint64_t)0 << i));
        g >>= zeros;
        u <<= zeros;
        v <<= zeros;
        eta -= zeros;
        i -= zeros;
        if (i == 0) break;
        /* g is odd now */
        int limit;
        if (eta < 0) {
            uint64_t tmp;
            eta = -eta;
            tmp = f, f = g, g = (uint64_t)0 - tmp;
            tmp = u, u = q, q = (uint64_t)0 - tmp;
            tmp = v, v = r, r = (uint64_t)0 - tmp;
            /* cancel up to 6 bits of g: w = -g / f mod 2^limit */
            limit = (int)eta + 1 > i ? i : (int)eta + 1;
            m = (~(uint64_t)0 >> (64 - limit)) & 63U;
            w = (f * g * (f * f - 2)) & m;
        } else {
            /* up to 4 bits: f^-1 mod 16 = f + (((f + 1) & 4) << 1) */
            limit = (int)eta + 1 > i ? i : (int)eta + 1;
            m = (~(uint64_t)0 >> (64 - limit)) & 15U;
            w = f + (((f + 1) & 4) << 1);
            w = ((uint64_t)0 - w * g) & m;
        }
        g += f * w;
        q += u * w;
        r += v * w;
    }
    t->u = (int64_t)u;
    t->v = (int64_t)v;
    t->q = (int64_t)q;
    t->r = (int64_t)r;
    return eta;
}

/* (f, g) <- t (f, g) / 2^62 (exact). */
static void iv_update_fg(iv_s62 *f, iv_s62 *g, const iv_trans *t) {
    iv_i128 cf = (iv_i128)t->u * f->v[0] + (iv_i128)t->v * g->v[0];
    iv_i128 cg = (iv_i128)t->q * f->v[0] + (iv_i128)t->r * g->v[0];
    cf >>= 62;
    cg >>= 62;
    for (int i = 1; i < 5; i++) {
        cf += (iv_i128)t->u * f->v[i] + (iv_i128)t->v * g->v[i];
        cg += (iv_i128)t->q * f->v[i] + (iv_i128)t->r * g->v[i];
        f->v[i - 1] = (int64_t)((uint64_t)cf & IV_M62);
        g->v[i - 1] = (int64_t)((uint64_t)cg & IV_M62);
        cf >>= 62;
        cg >>= 62;
    }
    f->v[4] = (int64_t)cf;
    g->v[4] = (int64_t)cg;
}

/* a <- a - q if a >= q (a in (-q, 2q) -> (-q, q)). */
static void iv_reduce(iv_s62 *a) {
    iv_s62 t;
    int64_t c = 0;
    for (int i = 0; i < 4; i++) {
        int64_t x = a->v[i] - IV_Q.v[i] + c;
        t.v[i] = (int64_t)((uint64_t)x & IV_M62);
        c = x >> 62;
    }
    t.v[4] = a->v[4] - IV_Q.v[4] + c;
    if (t.v[4] >= 0) *a = t;
}

/* (d, e) <- (t (d, e) + (md, me) q) / 2^62 with md, me clearing the low
 * bits; |d|, |e| < q stays true. */
static void iv_update_de(iv_s62 *d, iv_s62 *e, const iv_trans *t) {
    iv_i128 cd = (iv_i128)t->u * d->v[0] + (iv_i128)t->v * e->v[0];
    iv_i128 ce = (iv_i128)t->q * d->v[0] + (iv_i128)t->r * e->v[0];
    uint64_t md = ((uint64_t)0 - (uint64_t)cd * IV_QINV62) & IV_M62;
    uint64_t me = ((uint64_t)0 - (uint64_t)ce * IV_QINV62) & IV_M62;
    cd += (iv_i128)md * IV_Q.v[0];
    ce += (iv_i128)me * IV_Q.v[0];
    cd >>= 62;
    ce >>= 62;
    for (int i = 1; i < 5; i++) {
        cd += (iv_i128)t->u * d->v[i] + (iv_i128)t->v * e->v[i] + (iv_i128)md * IV_Q.v[i];
        ce += (iv_i128)t->q * d->v[i] + (iv_i128)t->r * e->v[i] + (iv_i128)me * IV_Q.v[i];
        d->v[i - 1] = (int64_t)((uint64_t)cd & IV_M62);
        e->v[i - 1] = (int64_t)((uint64_t)ce & IV_M62);
        cd >>= 62;
        ce >>= 62;
    }
    d->v[4] = (int64_t)cd;
    e->v[4] = (int64_t)ce;
    iv_reduce(d);
    iv_reduce(e);
}

static int iv_is_zero(const iv_s62 *a) { return (a->v[0] | a->v[1] | a->v[2] | a->v[3] | a->v[4]) == 0; }

static void iv_from_u256(iv_s62 *r, const uint64_t a[4]) {
    r->v[0] = (int64_t)(a[0] & IV_M62);
    r->v[1] = (int64_t)(((a[0] >> 62) | (a[1] << 2)) & IV_M62);
    r->v[2] = (int64_t)(((a[1] >> 60) | (a[2] << 4)) & IV_M62);
    r->v[3] = (int64_t)(((a[2] >> 58) | (a[3] << 6)) & IV_M62);
    r->v[4] = (int64_t)(a[3] >> 56);
}

/* a in [0, q) */
static void iv_to_u256(uint64_t r[4], const iv_s62 *a) {
    uint64_t v0 = (uint64_t)a->v[0], v1 = (uint64_t)a->v[1], v2 = (uint64_t)a->v[2], v3 = (uint64_t)a->v[3],
             v4 = (uint64_t)a->v[4];
    r[0] = v0 | (v1 << 62);
    r[1] = (v1 >> 2) | (v2 << 60);
    r[2] = (v2 >> 4) | (v3 << 58);
    r[3] = (v3 >> 6) | (v4 << 56);
}

/* -a for a in (-q, q) */
static void iv_neg(iv_s62 *a) {
    int64_t c = 0;
    for (int i = 0; i < 4; i++) {
        int64_t x = c - a->v[i];
        a->v[i] = (int64_t)((uint64_t)x & IV_M62);
        c = x >> 62;
    }
    a->v[4] = c - a->v[4];
}

/* a in (-q, q) -> [0, q) */
static void iv_normalize(iv_s62 *a) {
    if (a->v[4] >= 0) return;
    int64_t c = 0;
    for (int i = 0; i < 4; i++) {
        int64_t x = a->v[i] + IV_Q.v[i] + c;
        a->v[i] = (int64_t)((uint64_t)x & IV_M62);
        c = x >> 62;
    }
    a->v[4] = a->v[4] + IV_Q.v[4] + c;
}

void bn254x_inv_var(bn254_fq *r, const bn254_fq *a) {
    iv_s62 f = IV_Q, g, d = {{0, 0, 0, 0, 0}}, e = {{1, 0, 0, 0, 0}};
    iv_trans t;
    int64_t eta = -1;
    iv_from_u256(&g, a->l);
    if (iv_is_zero(&g)) {
        memset(r, 0, sizeof *r);
        return;
    }
    while (!iv_is_zero(&g)) {
        uint64_t f0 = (uint64_t)f.v[0] | ((uint64_t)f.v[1] << 62);
        uint64_t g0 = (uint64_t)g.v[0] | ((uint64_t)g.v[1] << 62);
        eta = iv_divsteps_62(eta, f0, g0, &t);
        iv_update_de(&d, &e, &t);
        iv_update_fg(&f, &g, &t);
    }
    /* f = +-1 */
    if (f.v[4] < 0) iv_neg(&d);
    iv_normalize(&d);
    bn254_fq plain, r3;
    iv_to_u256(plain.l, &d);
    memcpy(r3.l, IV_R3, sizeof r3.l);
    bn254x_mul(r, &plain, &r3);
}
