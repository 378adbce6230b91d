/* Test tool: writes a BN254 powers-of-tau file of power P, in snarkjs's
 * format, from a secret known to the tool (tau, alpha, beta derived from a
 * seed), for the tests that need a large ptau (tests/ptau.sh, power 14 and
 * 16).  snarkjs's `powersoftau prepare phase2` needs minutes at power 14
 * and over half an hour at 16, because it runs an inverse FFT over curve
 * points; knowing tau, every point is a scalar multiple of a generator, so
 * the same file takes seconds here.
 *
 *   ns_ptau_gen OUT.ptau POWER SEED [--phase1]
 *
 * The file has the sections snarkjs writes, in its physical order: 1 header,
 * 2 tauG1 (2n-1 points), 3 tauG2 (n), 4 alphaTauG1 (n), 5 betaTauG1 (n),
 * 6 betaG2, 7 contributions (none), and, unless --phase1, the Lagrange
 * sections 12 (blocks 2^0 .. 2^(P+1)), 13, 14, 15 (blocks 2^0 .. 2^P).
 * Block m holds L_i(tau)·g for i < m, L_i the Lagrange basis of the m-th
 * roots of unity (ffjavascript's omega), i.e. the inverse FFT of the first m
 * points; for the 2^(P+1) block of section 12 snarkjs pads the 2n-1 powers
 * with one zero point, so L_i(tau) - omega^i tau^(m-1) / m there.
 * compat/ptau_gen.test.sh checks that `snarkjs powersoftau prepare phase2`
 * of the --phase1 file gives byte for byte the file written without it.
 *
 * Test material only: the secret is a function of SEED, and no contribution
 * is recorded, so `powersoftau verify` rejects the file; `zkey new` and
 * `zkey verify` (ours and snarkjs's) need only the points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "curve/bn254_encode.h"
#include "util/hash.h"
#include "util/parallel.h"

/* q, big-endian hex */
static const char Q_HEX_BE[] = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";

typedef struct {
    uint8_t *out;        /* where point 0 goes */
    const bn254_fr *sc;  /* scalars */
} mul_job;

/* mul_range_g1 / mul_range_g2: the points [begin, end) of a job, in chunks
 * converted to affine together. */
#define PTAU_GEN_MUL_RANGE(G, BYTES)                                                   \
    static int mul_range_##G(void *ctx, size_t begin, size_t end, int thread_index) { \
        (void)thread_index;                                                           \
        const mul_job *j = ctx;                                                       \
        enum { CHUNK = 256 };                                                         \
        uint64_t k[4];                                                                \
        bn254_##G g, p[CHUNK];                                                        \
        bn254_##G##_affine a[CHUNK];                                                  \
        bn254_##G##_generator(&g);                                                    \
        for (size_t s = begin; s < end; s += CHUNK) {                                 \
            size_t c = end - s < CHUNK ? end - s : CHUNK;                             \
            for (size_t i = 0; i < c; i++) {                                          \
                bn254_fr_to_canonical(k, &j->sc[s + i]);                              \
                bn254_##G##_mul_var(&p[i], &g, k);                                    \
            }                                                                         \
            bn254_##G##_batch_to_affine_var(a, p, c);                                 \
            for (size_t i = 0; i < c; i++) bn254_##G##_to_lem(j->out + (s + i) * BYTES, &a[i]); \
        }                                                                             \
        return 0;                                                                     \
    }
PTAU_GEN_MUL_RANGE(g1, 64)
PTAU_GEN_MUL_RANGE(g2, 128)

/* Writes count multiples sc[i]·g (G1 or G2) at out, LEM. */
static void put_points(uint8_t *out, const bn254_fr *sc, size_t count, int g2) {
    mul_job j = {out, sc};
    ns_parallel_for(0, count, 1024, g2 ? mul_range_g2 : mul_range_g1, &j);
}

/* Section header: u32 id, u64 size. */
static uint8_t *put_section(uint8_t *p, uint32_t id, uint64_t size) {
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(id >> (8 * i));
    for (int i = 0; i < 8; i++) p[4 + i] = (uint8_t)(size >> (8 * i));
    return p + 12;
}

/* sc[i] = c · tau^i, i < count */
static void geometric(bn254_fr *sc, size_t count, const bn254_fr *c, const bn254_fr *tau) {
    for (size_t i = 0; i < count; i++) {
        if (i == 0) sc[0] = *c;
        else bn254_fr_mul(&sc[i], &sc[i - 1], tau);
    }
}

/* sc[i] = c · L_i(tau) for the 2^k-point domain, i < 2^k; with pad, minus
 * c · omega^i tau^(m-1) / m (the inverse FFT of c·tau^j with the last power
 * replaced by zero).  L_i(tau) = (tau^m - 1) / (m (omega^-i tau - 1)). */
static void lagrange(bn254_fr *sc, int k, const bn254_fr *c, const bn254_fr *tau, int pad) {
    size_t m = (size_t)1 << k;
    bn254_fr w, winv, one, mfr, minv, taum, taum1, num, wi, wneg, d, t;
    bn254_fr_root_of_unity(&w, k);
    bn254_fr_inv_var(&winv, &w);
    bn254_fr_one(&one);
    bn254_fr_from_u64(&mfr, m);
    bn254_fr_inv_var(&minv, &mfr);
    bn254_fr_one(&taum1); /* tau^(m-1) */
    for (size_t i = 0; i + 1 < m; i++) bn254_fr_mul(&taum1, &taum1, tau);
    bn254_fr_mul(&taum, &taum1, tau);
    bn254_fr_sub(&num, &taum, &one);
    bn254_fr_mul(&num, &num, &minv);
    bn254_fr_mul(&num, &num, c); /* c (tau^m - 1) / m */
    bn254_fr_one(&wi);
    bn254_fr_one(&wneg);
    for (size_t i = 0; i < m; i++) {
        bn254_fr_mul(&d, &wneg, tau);
        bn254_fr_sub(&d, &d, &one);
        bn254_fr_inv_var(&d, &d);
        bn254_fr_mul(&sc[i], &num, &d);
        if (pad) {
            bn254_fr_mul(&t, &wi, &taum1);
            bn254_fr_mul(&t, &t, &minv);
            bn254_fr_mul(&t, &t, c);
            bn254_fr_sub(&sc[i], &sc[i], &t);
        }
        bn254_fr_mul(&wi, &wi, &w);
        bn254_fr_mul(&wneg, &wneg, &winv);
    }
}

/* A secret scalar from SHA-256(label || seed), below 2^253 < r. */
static void secret(bn254_fr *r, const char *label, const char *seed) {
    char msg[512];
    uint8_t h[NS_SHA256_LEN];
    int len = snprintf(msg, sizeof msg, "%s %s", label, seed);
    ns_sha256(h, msg, len < (int)sizeof msg ? (size_t)len : sizeof msg - 1);
    h[31] &= 0x1f;
    bn254_fr_from_le(r, h);
}

int main(int argc, char **argv) {
    if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "--phase1") != 0)) {
        fprintf(stderr, "usage: ns_ptau_gen OUT.ptau POWER SEED [--phase1]\n");
        return 2;
    }
    int p = atoi(argv[2]);
    if (p < 1 || p > 20) {
        fprintf(stderr, "ns_ptau_gen: power must be 1..20\n");
        return 2;
    }
    int phase1 = argc == 5;
    size_t n = (size_t)1 << p;
    bn254_fr tau, alpha, beta, one;
    secret(&tau, "tau", argv[3]);
    secret(&alpha, "alpha", argv[3]);
    secret(&beta, "beta", argv[3]);
    bn254_fr_one(&one);

    /* sizes */
    uint64_t s2 = (2 * n - 1) * 64, s3 = n * 128, s45 = n * 64, s6 = 128, s7 = 4;
    uint64_t s12 = ((n << 2) - 1) * 64, s13 = (2 * n - 1) * 128, s1415 = (2 * n - 1) * 64;
    int nsec = phase1 ? 7 : 11;
    uint64_t total = 12 + 12 * (uint64_t)nsec + 44 + s2 + s3 + 2 * s45 + s6 + s7;
    if (!phase1) total += s12 + s13 + 2 * s1415;
    uint8_t *file = calloc(1, total);
    bn254_fr *sc = malloc(sizeof(bn254_fr) * (4 * n));
    if (file == NULL || sc == NULL) {
        fprintf(stderr, "ns_ptau_gen: out of memory\n");
        return 1;
    }
    uint8_t *w = file;
    memcpy(w, "ptau", 4);
    w[4] = 1; /* version */
    w[8] = (uint8_t)nsec;
    w += 12;
    w = put_section(w, 1, 44);
    w[0] = 32;
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(Q_HEX_BE + 2 * (31 - i), "%2x", &v);
        w[4 + i] = (uint8_t)v;
    }
    w[36] = (uint8_t)p; /* power */
    w[40] = (uint8_t)p; /* ceremonyPower */
    w += 44;

    w = put_section(w, 2, s2);
    geometric(sc, 2 * n - 1, &one, &tau);
    put_points(w, sc, 2 * n - 1, 0);
    w += s2;
    w = put_section(w, 3, s3);
    put_points(w, sc, n, 1);
    w += s3;
    w = put_section(w, 4, s45);
    geometric(sc, n, &alpha, &tau);
    put_points(w, sc, n, 0);
    w += s45;
    w = put_section(w, 5, s45);
    geometric(sc, n, &beta, &tau);
    put_points(w, sc, n, 0);
    w += s45;
    w = put_section(w, 6, s6);
    put_points(w, &beta, 1, 1);
    w += s6;
    w = put_section(w, 7, s7);
    w += 4; /* no contributions */

    if (!phase1) {
        static const struct { uint32_t id; int g2, last_pad; } L[4] = {{12, 0, 1}, {13, 1, 0}, {14, 0, 0}, {15, 0, 0}};
        const bn254_fr *coef[4] = {&one, &one, &alpha, &beta};
        for (int s = 0; s < 4; s++) {
            int kmax = L[s].last_pad ? p + 1 : p;
            uint64_t size = (((uint64_t)2 << kmax) - 1) * (L[s].g2 ? 128 : 64);
            w = put_section(w, L[s].id, size);
            for (int k = 0; k <= kmax; k++) {
                size_t m = (size_t)1 << k;
                lagrange(sc, k, coef[s], &tau, L[s].last_pad && k == kmax);
                put_points(w, sc, m, L[s].g2);
                w += m * (L[s].g2 ? 128 : 64);
            }
        }
    }
    if ((uint64_t)(w - file) != total) {
        fprintf(stderr, "ns_ptau_gen: internal size mismatch\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "wb");
    if (f == NULL || fwrite(file, 1, total, f) != total || fclose(f) != 0) {
        fprintf(stderr, "ns_ptau_gen: cannot write %s\n", argv[1]);
        return 1;
    }
    free(file);
    free(sc);
    return 0;
}
