/* Tests for src/phase2/new (zkey new library API) on an in-memory r1cs and
 * the power-8 fixture ptau: checks, generation through a memory sink
 * (parsed back with the zkey reader), structural known answers (extra rows,
 * empty B columns, H = odd Lagrange points), the compare API used by
 * verify, and the wasm-arithmetic subtraction on ordinary points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve/bn254.h"
#include "formats/binfile.h"
#include "formats/encode.h"
#include "formats/ptau.h"
#include "formats/r1cs.h"
#include "formats/zkey.h"
#include "phase2/new.h"
#include "phase2/new_internal.h" /* p2n_hash_h: its batched affine differences */
#include "util/hash.h"
#include "testutil.h"


/* m constraints over wires 0..5 (1 output, 1 public input, 2 private, 2 internal):
 * (3 w2 + w3) * (w4) = w5 ; (w5 - 7) * (w1 + w2) = w4 ... coefficients
 * include 1, r-1, small and large values.  Wire 3 never appears in B. */
/* r1cs section 1 (header; nLabels = nWires), appended after section 2 as
 * circom writes it. */
static void put_r1cs_header(ns_test_buf *x, uint32_t nwires, uint32_t nout, uint32_t npubin, uint32_t nprvin,
                            uint32_t m) {
    ns_test_put32(x, 1);
    ns_test_put64(x, 64);
    size_t s1 = x->n;
    ns_test_put32(x, 32);
    ns_test_put(x, bn254_r_le, 32);
    ns_test_put32(x, nwires);
    ns_test_put32(x, nout);
    ns_test_put32(x, npubin);
    ns_test_put32(x, nprvin);
    ns_test_put64(x, nwires); /* nLabels */
    ns_test_put32(x, m);
    ns_put_le64(x->b + s1 - 8, x->n - s1);
}

static ns_test_buf make_r1cs(uint32_t m) {
    ns_test_buf x = {0};
    ns_test_put(&x, "r1cs", 4);
    ns_test_put32(&x, 1);
    ns_test_put32(&x, 2);
    ns_test_put32(&x, 2);
    ns_test_put64(&x, 0);
    size_t s2 = 0;
    /* section 2 first (any order is allowed) */
    s2 = x.n;
    uint8_t c3[32] = {3}, one[32] = {1}, m1[32], big[32], m7[32];
    memcpy(m1, bn254_r_le, 32);
    m1[0] -= 1;
    memcpy(m7, bn254_r_le, 32); /* r - 7: 0x...f0000001 - 7 = 0x...effffffa */
    m7[0] = 0xfa;
    m7[1] = 0xff;
    m7[2] = 0xff;
    m7[3] = 0xef;
    for (int i = 0; i < 32; i++) big[i] = (uint8_t)(0x11 * (i + 1));
    big[31] = 0x20;
    for (uint32_t j = 0; j < m; j++) {
        if (j % 2 == 0) {
            ns_test_put32(&x, 2);
            ns_test_put32(&x, 2), ns_test_put(&x, c3, 32);
            ns_test_put32(&x, 3), ns_test_put(&x, one, 32);
            ns_test_put32(&x, 1);
            ns_test_put32(&x, 4), ns_test_put(&x, big, 32);
            ns_test_put32(&x, 1);
            ns_test_put32(&x, 5), ns_test_put(&x, one, 32);
        } else {
            ns_test_put32(&x, 2);
            ns_test_put32(&x, 5), ns_test_put(&x, one, 32);
            ns_test_put32(&x, 0), ns_test_put(&x, m7, 32);
            ns_test_put32(&x, 2);
            ns_test_put32(&x, 1), ns_test_put(&x, one, 32);
            ns_test_put32(&x, 2), ns_test_put(&x, m1, 32);
            ns_test_put32(&x, 1);
            ns_test_put32(&x, 4), ns_test_put(&x, one, 32);
        }
    }
    ns_put_le64(x.b + s2 - 8, x.n - s2);
    put_r1cs_header(&x, 6, 1, 1, 2, m);
    return x;
}

static uint8_t *read_fixture(unsigned power, size_t *len) {
    return ns_test_read_file(ns_test_ptau_path(power), len);
}

/* memory sink */
typedef struct {
    ns_test_buf out;
    size_t start;
    uint32_t order[16];
    int norder;
} mem_sink;

static int m_begin(void *ctx, uint32_t id, ns_error *err) {
    (void)err;
    mem_sink *s = ctx;
    ns_test_put32(&s->out, id);
    ns_test_put64(&s->out, 0);
    s->start = s->out.n;
    if (s->norder < 16) s->order[s->norder++] = id;
    return 0;
}
static int m_data(void *ctx, uint32_t id, const uint8_t *b, uint64_t n, ns_error *err) {
    (void)err;
    (void)id;
    ns_test_put(&((mem_sink *)ctx)->out, b, (size_t)n);
    return 0;
}
static int m_end(void *ctx, uint32_t id, ns_error *err) {
    (void)err;
    (void)id;
    mem_sink *s = ctx;
    ns_put_le64(s->out.b + s->start - 8, s->out.n - s->start);
    return 0;
}

static void test_new(const ns_ptau *pt) {
    ns_error err;
    ns_r1cs r;
    ns_test_buf rb = make_r1cs(20);
    CHECK(ns_r1cs_parse(&r, rb.b, rb.n, "t.r1cs", &err) == 0);
    ns_p2new_info info;
    CHECK(ns_p2new_check(&info, &r, pt, &err) == 0);
    CHECK(info.header.domain_size == 32 && info.header.power == 5 && info.header.nvars == 6 &&
          info.header.npublic == 2);
    CHECK(info.nterms[0] == 40 && info.nterms[1] == 30 && info.nterms[2] == 20 && info.ncoefs == 73);

    mem_sink ms = {{0}, 0, {0}, 0};
    ns_test_put(&ms.out, "zkey", 4);
    ns_test_put32(&ms.out, 1);
    ns_test_put32(&ms.out, 10);
    ns_p2new_sink sink = {&ms, m_begin, m_data, m_end};
    ns_p2new_opts opts = {2, 0};
    CHECK_MSG(ns_p2new_generate(&info, &r, pt, &opts, &sink, &err) == 0, "generate: %s", err.msg);
    static const uint32_t want_order[10] = {1, 2, 4, 3, 9, 8, 5, 6, 7, 10};
    CHECK(ms.norder == 10 && memcmp(ms.order, want_order, sizeof want_order) == 0);
    ns_zkey z;
    ns_zkey_mpc mpc;
    CHECK_MSG(ns_zkey_parse(&z, ms.out.b, ms.out.n, "mem.zkey", 1, &err) == 0, "parse: %s", err.msg);
    CHECK(ns_zkey_mpc_parse(&mpc, &z, &err) == 0 && mpc.n == 0 && memcmp(mpc.cs_hash, info.cs_hash, 64) == 0);
    ns_zkey_mpc_free(&mpc);
    CHECK(z.ncoefs == 73);

    const uint8_t *L1, *LB, *L2x;
    ns_ptau_lagrange(pt, 12, 5, &L1, &err);
    ns_ptau_lagrange(pt, 15, 5, &LB, &err);
    ns_ptau_lagrange(pt, 12, 6, &L2x, &err);
    /* wire 3 has no B terms: B1[3], B2[3] are the identity (zero bytes) */
    uint64_t sz;
    const uint8_t *B1 = ns_zkey_section(&z, 6, &sz), *B2 = ns_zkey_section(&z, 7, &sz);
    uint8_t zero[128] = {0};
    CHECK(memcmp(B1 + 3 * 64, zero, 64) == 0 && memcmp(B2 + 3 * 128, zero, 128) == 0);
    /* the public wire 1 has no A terms: A[1] = L_{m+1}, IC[1] has the extra beta L_{m+1} plus B terms */
    const uint8_t *A = ns_zkey_section(&z, 5, &sz);
    CHECK(memcmp(A + 64, L1 + (20 + 1) * 64, 64) == 0);
    /* H = odd points of the 2n block */
    const uint8_t *H = ns_zkey_section(&z, 9, &sz);
    CHECK(sz == 32 * 64 && memcmp(H, L2x + 64, 64) == 0 && memcmp(H + 31 * 64, L2x + 63 * 64, 64) == 0);
    /* A[5] = 1*L_1 + 1*L_3 + ... (odd constraints) : check with our group law */
    {
        bn254_g1 acc, p;
        bn254_g1_set_infinity(&acc);
        for (int j = 1; j < 20; j += 2) {
            bn254_g1_affine a;
            memcpy(&a, L1 + j * 64, 64);
            bn254_g1_from_affine(&p, &a);
            bn254_g1_add_var(&acc, &acc, &p);
        }
        bn254_g1_affine want;
        bn254_g1_to_affine_var(&want, &acc);
        CHECK(memcmp(A + 5 * 64, &want, 64) == 0);
    }
    /* coeffs: first record is (A, 0, wire 2, 3·R² mod r) */
    const uint8_t *co = ns_zkey_section(&z, 4, &sz);
    uint8_t c3[32] = {3}, v[32];
    ns_fr_coef_to_zkey(v, c3);
    CHECK(ns_le32(co + 4) == 0 && ns_le32(co + 8) == 0 && ns_le32(co + 12) == 2 && memcmp(co + 16, v, 32) == 0);

    /* compare: identical to itself; a change in A is found; 8/9 are not compared */
    uint32_t mm = 99;
    CHECK(ns_p2new_compare(&info, &mm, &r, pt, &z, &opts, &err) == 0 && mm == 0);
    ns_test_buf t2 = {0};
    ns_test_put(&t2, ms.out.b, ms.out.n);
    ns_zkey z2;
    t2.b[z.bf.sec[5].offset + 70] ^= 1;
    t2.b[z.bf.sec[9].offset + 3] ^= 1;
    CHECK(ns_zkey_parse(&z2, t2.b, t2.n, "t2.zkey", 1, &err) == 0);
    CHECK(ns_p2new_compare(&info, &mm, &r, pt, &z2, &opts, &err) == 0 && mm == 5);
    memcpy(t2.b, ms.out.b, ms.out.n);
    t2.b[z.bf.sec[7].offset + 5] ^= 1;
    t2.b[z.bf.sec[3].offset + 5] ^= 1;
    CHECK(ns_zkey_parse(&z2, t2.b, t2.n, "t2.zkey", 1, &err) == 0);
    CHECK(ns_p2new_compare(&info, &mm, &r, pt, &z2, &opts, &err) == 0 && mm == 3);
    memcpy(t2.b, ms.out.b, ms.out.n);
    t2.b[z.bf.sec[9].offset + 3] ^= 1;
    t2.b[z.bf.sec[8].offset + 3] ^= 1;
    CHECK(ns_zkey_parse(&z2, t2.b, t2.n, "t2.zkey", 1, &err) == 0);
    CHECK(ns_p2new_compare(&info, &mm, &r, pt, &z2, &opts, &err) == 0 && mm == 0);
    free(t2.b);
    free(ms.out.b);
    free(rb.b);

    /* too big: 300 constraints need 2^9 > 2^8 */
    rb = make_r1cs(300);
    CHECK(ns_r1cs_parse(&r, rb.b, rb.n, "big.r1cs", &err) == 0);
    CHECK(ns_p2new_check(&info, &r, pt, &err) == -1 && strstr(err.msg, "big.r1cs: circuit needs a domain of 2^9"));
    free(rb.b);
    /* a bad wire id is caught before any work */
    rb = make_r1cs(4);
    ns_put_le32(rb.b + 12 + 12 + 4, 9);
    CHECK(ns_r1cs_parse(&r, rb.b, rb.n, "w.r1cs", &err) == 0);
    CHECK(ns_p2new_check(&info, &r, pt, &err) == -1 && strstr(err.msg, "wire 9 out of range"));
    free(rb.b);
}

static void test_wasm_sub(const ns_ptau *pt) {
    /* with canonical inputs the wasm formulas are ordinary subtraction */
    ns_error err;
    const uint8_t *tau;
    CHECK(ns_ptau_points(pt, 2, 0, 40, &tau, &err) == 0);
    for (int i = 0; i < 8; i++) {
        const uint8_t *p1 = tau + (uint64_t)(i + 30) * 64, *p2 = tau + (uint64_t)i * 64;
        uint8_t got[64], want[64];
        ns_p2new_wasm_sub_u(got, p1, p2);
        bn254_g1_affine a, b;
        memcpy(&a, p1, 64);
        memcpy(&b, p2, 64);
        bn254_g1 j;
        bn254_g1_from_affine(&j, &a);
        bn254_g1_affine_neg(&b, &b);
        bn254_g1_add_affine_var(&j, &j, &b);
        bn254_g1_to_affine_var(&a, &j);
        bn254_fq_to_be(want, &a.x);
        bn254_fq_to_be(want + 32, &a.y);
        CHECK(memcmp(got, want, 64) == 0);
    }
}

/* Flips a byte of point i of the 2^5 Lagrange block of section id (the y
 * coordinate's lowest byte: still < q, no longer on the curve). */
static void spoil(uint8_t *copy, const ns_ptau *pt, uint32_t id, uint64_t i) {
    ns_error err;
    const uint8_t *blk;
    CHECK(ns_ptau_lagrange(pt, id, 5, &blk, &err) == 0);
    size_t ps = id == 13 ? 128 : 64;
    copy[(size_t)(blk - copy) + i * ps + ps / 2] ^= 1;
}

/* A bad Lagrange point fails generation; the error names the first bad
 * block (12..15) and its lowest bad index, whatever the thread count. */
static void test_bad_points(const uint8_t *d, size_t len) {
    ns_error err;
    ns_r1cs r;
    ns_test_buf rb = make_r1cs(20);
    CHECK(ns_r1cs_parse(&r, rb.b, rb.n, "t.r1cs", &err) == 0);
    static const struct {
        uint32_t id1, i1, id2, i2;
        const char *want;
    } cases[] = {
        {12, 20, 12, 5, "section 12: point 5 of the 2^5 Lagrange block"},
        {14, 3, 13, 9, "section 13: point 9 of the 2^5 Lagrange block"},
        {15, 31, 15, 31, "section 15: point 31 of the 2^5 Lagrange block"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        for (int threads = 1; threads <= 3; threads += 2) {
            uint8_t *copy = malloc(len);
            memcpy(copy, d, len);
            ns_ptau pt;
            CHECK(ns_ptau_parse(&pt, copy, len, "bad.ptau", &err) == 0);
            spoil(copy, &pt, cases[k].id1, cases[k].i1);
            if (cases[k].i2 != cases[k].i1 || cases[k].id2 != cases[k].id1) spoil(copy, &pt, cases[k].id2, cases[k].i2);
            ns_p2new_info info;
            ns_p2new_sink sink = {NULL, NULL, NULL, NULL};
            ns_p2new_opts opts = {threads, 0};
            int rc = ns_p2new_generate(&info, &r, &pt, &opts, &sink, &err);
            CHECK_MSG(rc == -1 && strstr(err.msg, "bad.ptau: ") && strstr(err.msg, cases[k].want),
                      "case %zu threads %d: rc %d, %s", k, threads, rc, rc ? err.msg : "");
            free(copy);
        }
    }
    free(rb.b);
}

/* p2n_hash_h (batched affine a - b) against Jacobian formulas, with the
 * cases the batch must leave to the general formulas planted in tauG1:
 * a == b (difference infinity), a == -b (a doubling), a = infinity. */
static void test_hash_h(const uint8_t *d, size_t len) {
    ns_error err;
    uint8_t *copy = malloc(len);
    memcpy(copy, d, len);
    ns_ptau pt;
    CHECK(ns_ptau_parse(&pt, copy, len, "h.ptau", &err) == 0);
    const uint8_t *tau;
    const uint64_t n = 32;
    CHECK(ns_ptau_points(&pt, 2, 0, 2 * n, &tau, &err) == 0);
    uint8_t *t = copy + (tau - copy);
    memcpy(t + (n + 3) * 64, t + 3 * 64, 64); /* a == b */
    bn254_g1_affine q;
    memcpy(&q, t + 5 * 64, 64);
    bn254_g1_affine_neg(&q, &q);
    memcpy(t + (n + 5) * 64, &q, 64); /* a == -b */
    memset(t + (n + 9) * 64, 0, 64);  /* a = infinity */
    for (int threads = 1; threads <= 2; threads++) {
        p2n_ctx c;
        memset(&c, 0, sizeof c);
        c.pt = &pt;
        c.k = 5;
        c.n = n;
        c.threads = threads;
        ns_hash *h1 = ns_hash_new(NS_HASH_BLAKE2B512), *h2 = ns_hash_new(NS_HASH_BLAKE2B512);
        CHECK(p2n_hash_h(&c, h1, &err) == 0);
        uint8_t cnt[4] = {0, 0, 0, (uint8_t)(n - 1)};
        ns_hash_update(h2, cnt, 4);
        for (uint64_t i = 0; i < n - 1; i++) { /* n <= 2^14: n - 1 points */
            bn254_g1_affine a, b;
            memcpy(&a, t + (i + n) * 64, 64);
            memcpy(&b, t + i * 64, 64);
            bn254_g1 j;
            bn254_g1_from_affine(&j, &a);
            bn254_g1_affine_neg(&b, &b);
            bn254_g1_add_affine_var(&j, &j, &b);
            bn254_g1_to_affine_var(&a, &j);
            uint8_t u[64];
            bn254_fq_to_be(u, &a.x);
            bn254_fq_to_be(u + 32, &a.y);
            ns_hash_update(h2, u, 64);
        }
        uint8_t o1[64], o2[64];
        ns_hash_final(h1, o1);
        ns_hash_final(h2, o2);
        CHECK_MSG(memcmp(o1, o2, 64) == 0, "H hash differs (threads %d)", threads);
        ns_hash_free(h1);
        ns_hash_free(h2);
    }
    free(copy);
}

/* Signals with more than 1024 terms take the all-threads path (terms
 * gathered and unit terms summed in per-thread blocks, then the MSM): with
 * 2200 constraints, wires 0..5 have 1100 terms each in A, B or C, with
 * unit, r - 1 and large coefficients: 3 to 6 big signals per section, so
 * 2, 3 and 4 threads mix signals run one per thread with the remainder
 * run on all threads.  The key must not depend on the thread count (1
 * thread = the serial path). */
static void test_big_signals(void) {
    size_t len;
    uint8_t *d = read_fixture(12, &len);
    CHECK_MSG(d != NULL, "missing fixture pot12.ptau");
    if (d == NULL) return;
    ns_error err;
    ns_ptau pt;
    CHECK(ns_ptau_parse(&pt, d, len, "pot12.ptau", &err) == 0);
    ns_r1cs r;
    ns_test_buf rb = make_r1cs(2200);
    CHECK(ns_r1cs_parse(&r, rb.b, rb.n, "big.r1cs", &err) == 0);
    mem_sink ms[4];
    memset(ms, 0, sizeof ms);
    static const int threads[4] = {1, 2, 3, 4};
    for (int k = 0; k < 4; k++) {
        ns_p2new_info info;
        ns_p2new_sink sink = {&ms[k], m_begin, m_data, m_end};
        ns_p2new_opts opts = {threads[k], 0};
        CHECK_MSG(ns_p2new_generate(&info, &r, &pt, &opts, &sink, &err) == 0, "generate: %s", err.msg);
        CHECK(info.header.domain_size == 4096);
    }
    CHECK(ms[0].out.n > 4096 * 64);
    for (int k = 1; k < 4; k++)
        CHECK_MSG(ms[k].out.n == ms[0].out.n && memcmp(ms[0].out.b, ms[k].out.b, ms[0].out.n) == 0,
                  "key on %d threads differs from 1 thread", threads[k]);
    for (int k = 0; k < 4; k++) free(ms[k].out.b);
    free(rb.b);
    free(d);
}

/* C points of signals with exactly two unit terms (added in affine
 * coordinates during normalisation): 5 wires, 4 constraints; wire 2 = A0
 * + C2, wire 3 = A1 - C0, wire 4 = C1 - A2 (A terms on LB, C terms on L1). */
static void put_term(ns_test_buf *x, uint32_t w, const uint8_t c[32]) {
    ns_test_put32(x, w);
    ns_test_put(x, c, 32);
}

static void test_pairs(const ns_ptau *pt) {
    uint8_t one[32] = {1}, m1[32];
    memcpy(m1, bn254_r_le, 32);
    m1[0] -= 1;
    ns_test_buf x = {0};
    ns_test_put(&x, "r1cs", 4);
    ns_test_put32(&x, 1);
    ns_test_put32(&x, 2);
    ns_test_put32(&x, 2);
    ns_test_put64(&x, 0);
    size_t s2 = x.n;
    /* A, B, C of each constraint (B = the one wire everywhere) */
    static const uint32_t aw[4] = {2, 3, 4, 1}, cw[4] = {3, 4, 2, 0};
    static const int aneg[4] = {0, 0, 1, 0}, cneg[4] = {1, 0, 0, 0};
    for (int j = 0; j < 4; j++) {
        ns_test_put32(&x, 1);
        put_term(&x, aw[j], aneg[j] ? m1 : one);
        ns_test_put32(&x, 1);
        put_term(&x, 0, one);
        ns_test_put32(&x, 1);
        put_term(&x, cw[j], cneg[j] ? m1 : one);
    }
    ns_put_le64(x.b + s2 - 8, x.n - s2);
    put_r1cs_header(&x, 5, 1, 0, 0, 4);
    ns_error err;
    ns_r1cs r;
    CHECK_MSG(ns_r1cs_parse(&r, x.b, x.n, "pairs.r1cs", &err) == 0, "parse: %s", err.msg);
    for (int threads = 1; threads <= 2; threads++) {
        mem_sink ms = {{0}, 0, {0}, 0};
        ns_test_put(&ms.out, "zkey", 4);
        ns_test_put32(&ms.out, 1);
        ns_test_put32(&ms.out, 10);
        ns_p2new_sink sink = {&ms, m_begin, m_data, m_end};
        ns_p2new_opts opts = {threads, 0};
        ns_p2new_info info;
        CHECK_MSG(ns_p2new_generate(&info, &r, pt, &opts, &sink, &err) == 0, "generate: %s", err.msg);
        CHECK(info.header.domain_size == 8);
        ns_zkey z;
        CHECK_MSG(ns_zkey_parse(&z, ms.out.b, ms.out.n, "pairs.zkey", 1, &err) == 0, "parse: %s", err.msg);
        const uint8_t *L1, *LB, *C;
        uint64_t sz;
        ns_ptau_lagrange(pt, 12, 3, &L1, &err);
        ns_ptau_lagrange(pt, 15, 3, &LB, &err);
        C = ns_zkey_section(&z, 8, &sz);
        CHECK(C != NULL && sz == 3 * 64);
        /* wire w: +-LB[a row] +- L1[c row] */
        static const int arow[3] = {0, 1, 2}, crow[3] = {2, 0, 1}, an[3] = {0, 0, 1}, cn[3] = {0, 1, 0};
        for (int w = 0; C != NULL && w < 3; w++) {
            bn254_g1_affine a, b;
            memcpy(&a, LB + arow[w] * 64, 64);
            memcpy(&b, L1 + crow[w] * 64, 64);
            if (an[w]) bn254_g1_affine_neg(&a, &a);
            if (cn[w]) bn254_g1_affine_neg(&b, &b);
            bn254_g1 j;
            bn254_g1_from_affine(&j, &a);
            bn254_g1_add_affine_var(&j, &j, &b);
            bn254_g1_affine want;
            bn254_g1_to_affine_var(&want, &j);
            CHECK_MSG(memcmp(C + w * 64, &want, 64) == 0, "C point of wire %d (threads %d)", w + 2, threads);
        }
        free(ms.out.b);
    }
    free(x.b);
}

/* A reduced copy (ns_ptau_filter) streamed in uneven chunks: every view a key
 * of domain 2^k reads has the original's bytes, the rest is refused, and zkey
 * new makes the same key from it. */
static void test_reduced(const uint8_t *d, size_t len, uint32_t k, uint32_t m) {
    ns_error err;
    char path[] = "/tmp/ns-test-reduced-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    ns_ptau_filter *f = ns_ptau_filter_new(path, k, &err);
    CHECK(f != NULL);
    for (size_t off = 0, step = 1; off < len; off += step, step = step * 7 % 40013 + 1)
        CHECK(ns_ptau_filter_write(f, d + off, off + step > len ? len - off : step, &err) == 0);
    uint64_t kept = 0;
    CHECK_MSG(ns_ptau_filter_finish(f, &kept, &err) == 0, "finish: %s", err.msg);
    size_t rlen;
    uint8_t *rd = ns_test_read_file(path, &rlen);
    unlink(path);
    CHECK(rd != NULL && rlen == kept && kept < len);
    if (rd == NULL) return;
    ns_ptau full, red;
    CHECK(ns_ptau_parse(&full, d, len, "full.ptau", &err) == 0);
    CHECK_MSG(ns_ptau_parse(&red, rd, rlen, "red.ptau", &err) == 0, "parse: %s", err.msg);
    CHECK(red.reduced && red.reduced_log2n == k && red.power == full.power && red.prepared);
    CHECK_MSG(ns_ptau_check_sizes(&red, &err) == 0, "sizes: %s", err.msg);
    uint64_t n = 1ull << k, n2 = k == full.power ? 2 * n - 1 : 2 * n;
    const uint8_t *a, *b;
    CHECK(ns_ptau_points(&full, 2, 0, n2, &a, &err) == 0 && ns_ptau_points(&red, 2, 0, n2, &b, &err) == 0 &&
          memcmp(a, b, n2 * 64) == 0);
    for (uint32_t id = 3; id <= 6; id++)
        CHECK(ns_ptau_points(&full, id, 0, 1, &a, &err) == 0 && ns_ptau_points(&red, id, 0, 1, &b, &err) == 0 &&
              memcmp(a, b, id == 3 || id == 6 ? 128 : 64) == 0);
    for (uint32_t id = 12; id <= 15; id++)
        for (uint32_t kk = k; kk <= k + (id == 12); kk++)
            CHECK(ns_ptau_lagrange(&full, id, kk, &a, &err) == 0 && ns_ptau_lagrange(&red, id, kk, &b, &err) == 0 &&
                  memcmp(a, b, ((size_t)1 << kk) * (id == 13 ? 128 : 64)) == 0);
    CHECK(ns_ptau_after_tau_g1(&full) != NULL && ns_ptau_after_tau_g1(&red) != NULL &&
          memcmp(ns_ptau_after_tau_g1(&full), ns_ptau_after_tau_g1(&red), 64) == 0);
    /* not kept: another domain's block, a second alpha point */
    if (k > 1) CHECK(ns_ptau_lagrange(&red, 13, k - 1, &b, &err) != 0 && strstr(err.msg, "not kept") != NULL);
    CHECK(ns_ptau_points(&red, 4, 1, 1, &b, &err) != 0 && strstr(err.msg, "not kept") != NULL);
    /* zkey new from the copy = from the whole file */
    ns_r1cs r;
    ns_test_buf rb = make_r1cs(m);
    CHECK(ns_r1cs_parse(&r, rb.b, rb.n, "t.r1cs", &err) == 0);
    mem_sink s1 = {0}, s2 = {0};
    ns_p2new_sink k1 = {&s1, m_begin, m_data, m_end}, k2 = {&s2, m_begin, m_data, m_end};
    ns_p2new_opts opts = {2, 0};
    ns_p2new_info i1, i2;
    CHECK_MSG(ns_p2new_generate(&i1, &r, &full, &opts, &k1, &err) == 0, "full: %s", err.msg);
    CHECK_MSG(ns_p2new_generate(&i2, &r, &red, &opts, &k2, &err) == 0, "reduced: %s", err.msg);
    CHECK(i1.header.power == k && s1.out.n == s2.out.n && memcmp(s1.out.b, s2.out.b, s1.out.n) == 0);
    free(s1.out.b);
    free(s2.out.b);
    free(rb.b);
    /* a window table that does not match its sections is refused */
    {
        uint8_t *w;
        uint32_t nw = 0;
        for (size_t cnt = 0; cnt <= 16 && nw == 0; cnt++) /* the payload is 80 + 20 count bytes */
            if (rlen >= 80 + 20 * cnt && ns_le32(rd + rlen - (80 + 20 * cnt) + 76) == cnt) nw = (uint32_t)cnt;
        w = rd + rlen - (80 + 20 * (size_t)nw);
        CHECK(nw >= 9 && ns_le32(w + 80) == 2);
        ns_ptau bad;
        ns_put_le64(w + 84, 1); /* section 2 from point 1 */
        CHECK(ns_ptau_parse(&bad, rd, rlen, "bad.ptau", &err) != 0 && strstr(err.msg, "section 31") != NULL);
        ns_put_le64(w + 84, 0);
        ns_put_le64(w + 92, 64); /* original section 2 smaller than its window */
        CHECK(ns_ptau_parse(&bad, rd, rlen, "bad.ptau", &err) != 0);
    }
    free(rd);
    /* a truncated stream leaves nothing */
    f = ns_ptau_filter_new(path, k, &err);
    CHECK(f != NULL && ns_ptau_filter_write(f, d, len - 1, &err) == 0);
    CHECK(ns_ptau_filter_finish(f, NULL, &err) != 0 && access(path, F_OK) != 0);
}

int main(void) {
    size_t len;
    uint8_t *d = read_fixture(8, &len);
    CHECK_MSG(d != NULL, "missing fixture pot08.ptau");
    if (d != NULL) {
        ns_ptau pt;
        ns_error err;
        CHECK(ns_ptau_parse(&pt, d, len, "pot08.ptau", &err) == 0);
        test_new(&pt);
        test_wasm_sub(&pt);
        test_bad_points(d, len);
        test_pairs(&pt);
        test_hash_h(d, len);
        test_reduced(d, len, 5, 20);
        test_reduced(d, len, 8, 200);
        free(d);
    }
    test_big_signals();
    return ns_test_report("formats_new");
}
