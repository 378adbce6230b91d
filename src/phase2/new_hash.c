/* zkey new, csHash H part (docs/snarkjs-formats.md, "Circuit hash"): the points
 * tauG1[i+n] - tauG1[i] from ptau section 2, with snarkjs's count quirk and
 * the exact emulation of wasmcurves' unreduced arithmetic for the
 * past-the-end "point" read when n == 2^power. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "ff/bn254_consts.h"
#include "formats/binfile.h"
#include "phase2/new.h"
#include "phase2/new_internal.h"
#include "util/parallel.h"

/* ---------------- wasmcurves 256-bit integer semantics ---------------- */

typedef unsigned __int128 u128;

static const uint64_t Q[4] = BN254_Q_LIMBS;
static const uint64_t QINV = BN254_QINV; /* -q^-1 mod 2^64 */

static uint64_t w_add_raw(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    u128 c = 0;
    for (int i = 0; i < 4; i++) {
        c += (u128)a[i] + b[i];
        r[i] = (uint64_t)c;
        c >>= 64;
    }
    return (uint64_t)c;
}

static uint64_t w_sub_raw(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

static int w_geq(const uint64_t a[4], const uint64_t b[4]) {
    for (int i = 3; i >= 0; i--)
        if (a[i] != b[i]) return a[i] > b[i];
    return 1;
}

/* s = a + b; on carry out of 2^256: s - 2^256 - q (mod 2^256); elif s >= q: s - q. */
static void w_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t s[4];
    uint64_t carry = w_add_raw(s, a, b);
    if (carry || w_geq(s, Q)) w_sub_raw(s, s, Q);
    memcpy(r, s, sizeof s);
}

/* d = a - b; if negative: d + 2^256 + q (mod 2^256). */
static void w_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t d[4];
    if (w_sub_raw(d, a, b)) w_add_raw(d, d, Q);
    memcpy(r, d, sizeof d);
}

/* Montgomery product on arbitrary 256-bit inputs: T = (ab + mq) / 2^256,
 * one conditional subtraction of q. */
static void w_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t[9] = {0};
    for (int i = 0; i < 4; i++) {
        u128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (u128)a[i] * b[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + 4] = (uint64_t)c;
    }
    for (int i = 0; i < 4; i++) {
        uint64_t m = t[i] * QINV;
        u128 c = 0;
        for (int j = 0; j < 4; j++) {
            c += (u128)m * Q[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        for (int j = i + 4; j < 9 && c; j++) {
            c += t[j];
            t[j] = (uint64_t)c;
            c >>= 64;
        }
    }
    uint64_t T[4] = {t[4], t[5], t[6], t[7]};
    if (t[8] || w_geq(T, Q)) w_sub_raw(T, T, Q);
    memcpy(r, T, sizeof T);
}

static void load_limbs(uint64_t r[4], const uint8_t *b) { for (int i = 0; i < 4; i++) r[i] = ns_le64(b + 8 * i); }

/* raw integer -> field element whose Montgomery representation is x mod q */
static void to_fq(bn254_fq *r, const uint64_t x[4]) {
    uint64_t v[4];
    memcpy(v, x, sizeof v);
    while (w_geq(v, Q)) w_sub_raw(v, v, Q);
    memcpy(r->l, v, sizeof v);
}

void ns_p2new_wasm_sub_u(uint8_t out[64], const uint8_t p1_raw[64], const uint8_t p2_lem[64]) {
    uint64_t X1[4], Y1[4], X2[4], Y2[4], zero[4] = {0, 0, 0, 0};
    load_limbs(X1, p1_raw);
    load_limbs(Y1, p1_raw + 32);
    load_limbs(X2, p2_lem);
    load_limbs(Y2, p2_lem + 32);
    w_sub(Y2, zero, Y2); /* negate the subtrahend */
    uint64_t H[4], D[4], HH[4], I[4], J[4], rr[4], V[4], X3[4], Y3[4], Z3[4], W[4], t[4];
    w_sub(H, X2, X1);
    w_sub(D, Y2, Y1);
    w_mul(HH, H, H);
    w_add(I, HH, HH);
    w_add(I, I, I);
    w_mul(J, H, I);
    w_add(rr, D, D);
    w_mul(V, X1, I);
    w_mul(X3, rr, rr);
    w_sub(X3, X3, J);
    w_add(t, V, V);
    w_sub(X3, X3, t);
    w_mul(W, Y1, J);
    w_add(W, W, W);
    w_sub(t, V, X3);
    w_mul(Y3, t, rr);
    w_sub(Y3, Y3, W);
    w_add(Z3, H, H);
    bn254_g1 p;
    to_fq(&p.x, X3);
    to_fq(&p.y, Y3);
    to_fq(&p.z, Z3);
    bn254_g1_affine a;
    bn254_g1_to_affine_var(&a, &p);
    bn254_fq_to_be(out, &a.x);
    bn254_fq_to_be(out + 32, &a.y);
}

/* ---------------- the H part ---------------- */

#define H_CHUNK ((uint64_t)1 << 14)

typedef struct {
    const uint8_t *sec2;     /* section 2 payload */
    uint64_t npts;           /* points in section 2 */
    uint64_t n, base;        /* domain, first index of the chunk */
    bn254_g1_affine *pa, *pb; /* tauG1[i + n], tauG1[i] of the chunk */
    bn254_fq *pre;           /* prefix products of the x differences */
    uint8_t *u;              /* U bytes of the chunk's points */
    atomic_uint_fast64_t bad;
} hchunk_ctx;

static int load_g1(bn254_g1_affine *a, const uint8_t *lem) {
    return bn254_fq_from_lem(&a->x, lem) && bn254_fq_from_lem(&a->y, lem + 32) && bn254_g1_affine_on_curve(a);
}

/* U(a - b) by the general formulas (any a, b on the curve, infinity too). */
static void sub_u_general(uint8_t out[64], const bn254_g1_affine *a, const bn254_g1_affine *b) {
    bn254_g1 p;
    bn254_g1_affine nb, r;
    bn254_g1_from_affine(&p, a);
    bn254_g1_affine_neg(&nb, b);
    bn254_g1_add_affine_var(&p, &p, &nb);
    bn254_g1_to_affine_var(&r, &p);
    bn254_fq_to_be(out, &r.x);
    bn254_fq_to_be(out + 32, &r.y);
}

/* The differences of a task's range as affine additions a + (-b) sharing
 * one inversion: lambda = (ya + yb) / (xa - xb), x3 = lambda^2 - xa - xb,
 * y3 = lambda (xa - x3) - ya; equal x or infinity (never in a real ptau)
 * take the general formulas. */
static int hchunk_task(void *vctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    hchunk_ctx *x = vctx;
    bn254_fq acc, inv, t, dx;
    bn254_fq_one(&acc);
    size_t nbatch = 0;
    for (size_t k = begin; k < end; k++) {
        uint64_t i = x->base + k;
        bn254_g1_affine *a = &x->pa[k], *b = &x->pb[k];
        if (i + x->n >= x->npts) { /* the past-the-end point: handled by the caller */
            memset(x->u + k * 64, 0, 64);
            bn254_fq_zero(&x->pre[k]);
            continue;
        }
        if (!load_g1(a, x->sec2 + (i + x->n) * 64) || !load_g1(b, x->sec2 + i * 64)) {
            uint_fast64_t want = i + 1, cur = atomic_load(&x->bad);
            while ((cur == 0 || cur > want) && !atomic_compare_exchange_weak(&x->bad, &cur, want)) {
            }
            return 1;
        }
        if (bn254_fq_eq(&a->x, &b->x) || bn254_g1_affine_is_infinity(a) || bn254_g1_affine_is_infinity(b)) {
            sub_u_general(x->u + k * 64, a, b);
            bn254_fq_zero(&x->pre[k]); /* marks "done" (a real prefix product is never 0) */
            continue;
        }
        x->pre[k] = acc;
        bn254_fq_sub(&dx, &b->x, &a->x);
        bn254_fq_mul(&acc, &acc, &dx);
        nbatch++;
    }
    if (nbatch == 0) return 0;
    bn254_fq_inv_var(&inv, &acc);
    for (size_t k = end; k-- > begin;) {
        if (bn254_fq_is_zero(&x->pre[k])) continue;
        const bn254_g1_affine *a = &x->pa[k], *b = &x->pb[k];
        bn254_g1_affine nb, d;
        bn254_fq_sub(&dx, &b->x, &a->x);
        bn254_fq_mul(&t, &inv, &x->pre[k]); /* 1 / dx */
        bn254_fq_mul(&inv, &inv, &dx);
        bn254_g1_affine_neg(&nb, b); /* a - b = a + (-b), same x */
        bn254_g1_affine_add_with_inv(&d, a, &nb, &t);
        bn254_fq_to_be(x->u + k * 64, &d.x);
        bn254_fq_to_be(x->u + k * 64 + 32, &d.y);
    }
    return 0;
}

int p2n_hash_h(p2n_ctx *c, ns_hash *h, ns_error *err) {
    const ns_ptau *pt = c->pt;
    const uint8_t *sec2;
    uint64_t len2;
    if (ns_binfile_get(&pt->bf, 2, &sec2, &len2, err) != 0) return -1;
    uint64_t n = c->n, npts = len2 / 64;
    uint64_t K = n <= H_CHUNK ? n - 1 : n;
    /* points needed: indices up to K-1+n; one past the end is allowed only
     * as snarkjs's over-read of the following 64 file bytes */
    const uint8_t *after = ns_ptau_after_tau_g1(pt);
    if (K - 1 + n > npts || (K - 1 + n == npts && after == NULL) || (K - 1 + n == npts && len2 % 64 != 0))
        return ns_error_set(err, "%s: section 2 (tauG1) too short for domain 2^%u", pt->bf.path, c->k);
    uint8_t cnt[4] = {(uint8_t)((n - 1) >> 24), (uint8_t)((n - 1) >> 16), (uint8_t)((n - 1) >> 8), (uint8_t)(n - 1)};
    ns_hash_update(h, cnt, 4);
    bn254_g1_affine *pa = malloc((size_t)H_CHUNK * sizeof *pa), *pb = malloc((size_t)H_CHUNK * sizeof *pb);
    bn254_fq *pre = malloc((size_t)H_CHUNK * sizeof *pre);
    uint8_t *u = malloc((size_t)H_CHUNK * 64);
    int rc = 0;
    if (pa == NULL || pb == NULL || pre == NULL || u == NULL) {
        rc = ns_error_set(err, "zkey new: out of memory");
        goto done;
    }
    for (uint64_t base = 0; base < K; base += H_CHUNK) {
        uint64_t cntk = K - base < H_CHUNK ? K - base : H_CHUNK;
        hchunk_ctx x = {sec2, npts, n, base, pa, pb, pre, u, 0};
        if (ns_parallel_for(c->threads, (size_t)cntk, 1024, hchunk_task, &x) != 0) {
            uint64_t bad = atomic_load(&x.bad) - 1;
            rc = ns_error_set(err, "%s: section 2 (tauG1): point %llu or %llu is not a valid curve point",
                              pt->bf.path, (unsigned long long)bad, (unsigned long long)(bad + n));
            goto done;
        }
        for (uint64_t k = 0; k < cntk; k++) { /* the past-the-end point (left as zeros by the tasks) */
            uint64_t i = base + k;
            if (i + n < npts) continue;
            bn254_g1_affine b;
            if (!load_g1(&b, sec2 + i * 64)) {
                rc = ns_error_set(err, "%s: section 2 (tauG1): point %llu is not a valid curve point", pt->bf.path,
                                  (unsigned long long)i);
                goto done;
            }
            ns_p2new_wasm_sub_u(u + k * 64, after, sec2 + i * 64);
        }
        ns_hash_update(h, u, (size_t)cntk * 64);
    }
done:
    free(pa);
    free(pb);
    free(pre);
    free(u);
    return rc;
}
