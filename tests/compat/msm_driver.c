/* Driver for tests/compat/msm_diff.test.sh: writes seeded random inputs and
 * our MSM / batch-multiply results for the ffjavascript oracle
 * (tests/compat/oracles/msm_oracle.js) to compare.
 *
 * usage: msm_driver <dir> <seed> <n> <scalar-case>
 * files (all LEM, as snarkjs stores them):
 *   g1.bin, g2.bin          n affine points (with infinity and duplicates)
 *   sc.bin                  n 32-byte little-endian scalars (full 256-bit range,
 *                           zeros, r - 1, 2^256 - 1)
 *   k.bin                   the batch scalar (32 bytes LE, < r)
 *   msm1.bin, msm2.bin      our MSM results (affine), bytes entry point
 *   batch1.bin, batch2.bin  our batch-multiply outputs
 *   batch1v.bin             the G1 variable-time (public scalar) batch multiply
 * scalar cases: 0 random, 1 one, 2 r - 1, 3 two, 4 10 lambda (a GLV edge:
 * its split is the long representative)
 * The Fr entry points are checked here against the bytes entry point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_msm.h"

#include "bench.h" /* seeded inputs and file output, shared with nitrosetup-bench */

static const uint64_t RMOD[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                 0x30644e72e131a029ULL};

/* k mod r for a 256-bit k (< 6r) */
static void reduce(uint64_t k[4]) {
    for (int it = 0; it < 6; it++) {
        uint64_t t[4], borrow = 0;
        for (int i = 0; i < 4; i++) {
            unsigned __int128 d = (unsigned __int128)k[i] - RMOD[i] - borrow;
            t[i] = (uint64_t)d;
            borrow = (uint64_t)(d >> 64) & 1;
        }
        if (!borrow) memcpy(k, t, sizeof t);
    }
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: msm_driver <dir> <seed> <n> <scalar-case>\n");
        return 2;
    }
    const char *dir = argv[1];
    uint64_t seed = strtoull(argv[2], NULL, 0);
    size_t n = strtoull(argv[3], NULL, 0);
    int kcase = atoi(argv[4]);
    bn254_g1_affine *p1 = calloc(n + 1, sizeof *p1), *o1 = calloc(n + 1, sizeof *o1);
    bn254_g2_affine *p2 = calloc(n + 1, sizeof *p2), *o2 = calloc(n + 1, sizeof *o2);
    uint8_t *sc = calloc(n + 1, 32);
    bn254_fr *fr = calloc(n + 1, sizeof *fr);
    if (!p1 || !o1 || !p2 || !o2 || !sc || !fr) return 1;

    bn254_g1 g1, t1;
    bn254_g2 g2, t2;
    bn254_g1_generator(&g1);
    bn254_g2_generator(&g2);
    for (size_t i = 0; i < n; i++) {
        uint64_t k[4];
        unsigned c = (unsigned)(bench_rng(&seed) % 16);
        if (c == 0) { /* infinity */
        } else if (c == 1 && i > 0) { /* duplicate */
            p1[i] = p1[i - 1];
            p2[i] = p2[i - 1];
        } else {
            bench_scalar(k, &seed);
            bn254_g1_mul_var(&t1, &g1, k);
            bn254_g1_to_affine_var(&p1[i], &t1);
            if (i % 4 == 0 || n <= 64) {
                bn254_g2_mul_var(&t2, &g2, k);
                bn254_g2_to_affine_var(&p2[i], &t2);
            } else { /* G2 points are slow to make: reuse a recent one */
                p2[i] = p2[i - i % 4];
            }
        }
        unsigned d = (unsigned)(bench_rng(&seed) % 10);
        if (d == 0) {
            memset(k, 0, sizeof k);
        } else if (d == 1) {
            memcpy(k, RMOD, sizeof k);
            k[0] -= 1;
        } else if (d == 2) {
            memset(k, 0xff, sizeof k);
        } else {
            for (int j = 0; j < 4; j++) k[j] = bench_rng(&seed);
        }
        bench_le32(sc + 32 * i, k);
        reduce(k);
        uint8_t b[32];
        bench_le32(b, k);
        if (!bn254_fr_from_le(&fr[i], b)) return 1;
    }
    uint64_t ks[4];
    bench_scalar(ks, &seed);
    if (kcase == 1) memset(ks, 0, sizeof ks), ks[0] = 1;
    if (kcase == 2) memcpy(ks, RMOD, sizeof ks), ks[0] -= 1;
    if (kcase == 3) memset(ks, 0, sizeof ks), ks[0] = 2;
    uint8_t kb[32];
    if (kcase == 4) { /* 10 lambda mod r */
        static const uint64_t lambda[4] = {0x8b17ea66b99c90ddULL, 0x5bfc41088d8daaa7ULL, 0xb3c4d79d41a91758ULL, 0};
        uint64_t ten[4] = {10, 0, 0, 0};
        bn254_fr fl, ft;
        bench_le32(kb, lambda);
        bn254_fr_from_le(&fl, kb);
        bench_le32(kb, ten);
        bn254_fr_from_le(&ft, kb);
        bn254_fr_mul(&fl, &fl, &ft);
        bn254_fr_to_le(kb, &fl);
        for (int i = 0; i < 4; i++) {
            ks[i] = 0;
            for (int j = 7; j >= 0; j--) ks[i] = (ks[i] << 8) | kb[8 * i + j];
        }
    }
    bench_le32(kb, ks);

    bn254_g1 m1, m1f;
    bn254_g2 m2, m2f;
    ns_error err;
    if (bn254_g1_msm_var(&m1, p1, sc, 32, n, 0, &err) || bn254_g1_msm_fr_var(&m1f, p1, fr, n, 0, &err) ||
        bn254_g2_msm_var(&m2, p2, sc, 32, n, 0, &err) || bn254_g2_msm_fr_var(&m2f, p2, fr, n, 0, &err)) {
        ns_error_print(&err);
        return 1;
    }
    if (!bn254_g1_eq_var(&m1, &m1f) || !bn254_g2_eq_var(&m2, &m2f)) {
        fprintf(stderr, "msm_driver: Fr and byte entry points disagree\n");
        return 1;
    }
    bn254_g1_affine a1;
    bn254_g2_affine a2;
    bn254_g1_to_affine_var(&a1, &m1);
    bn254_g2_to_affine_var(&a2, &m2);
    bn254_fr kf;
    bn254_fr_from_le(&kf, kb);
    bn254_g1_affine *o1v = calloc(n + 1, sizeof *o1v);
    if (!o1v) return 1;
    size_t nslow = bn254_g1_batch_mul_fr_var(o1v, p1, n, &kf, 0);
    if (nslow != 0) { /* no real scalar is known to meet one */
        fprintf(stderr, "msm_driver: %zu exceptional points in the variable-time batch (k case %d)\n", nslow, kcase);
        return 1;
    }
    bn254_g1_batch_mul_fr(o1, p1, n, &kf, 0);
    bn254_g2_batch_mul(o2, p2, n, ks, 0);
    if (bench_save(dir, "g1.bin", p1, n * sizeof *p1) || bench_save(dir, "g2.bin", p2, n * sizeof *p2) ||
        bench_save(dir, "sc.bin", sc, n * 32) || bench_save(dir, "k.bin", kb, 32) || bench_save(dir, "msm1.bin", &a1, sizeof a1) ||
        bench_save(dir, "msm2.bin", &a2, sizeof a2) || bench_save(dir, "batch1.bin", o1, n * sizeof *o1) ||
        bench_save(dir, "batch2.bin", o2, n * sizeof *o2) || bench_save(dir, "batch1v.bin", o1v, n * sizeof *o1v)) {
        fprintf(stderr, "msm_driver: cannot write to %s\n", dir);
        return 1;
    }
    return 0;
}
