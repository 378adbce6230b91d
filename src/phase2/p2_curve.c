#include "phase2/p2_curve.h"

#include <stdint.h>
#include <string.h>

#include "util/parallel.h"
#include "util/wipe.h"

int p2_g1_load(bn254_g1_affine *p, const uint8_t lem[64]) {
    if (!bn254_fq_from_lem(&p->x, lem) || !bn254_fq_from_lem(&p->y, lem + 32)) return -1;
    if (bn254_g1_affine_is_infinity(p)) return 0;
    return bn254_g1_check(p) ? 0 : -1;
}

int p2_g2_load_var(bn254_g2_affine *p, const uint8_t lem[128]) {
    if (!bn254_fq_from_lem(&p->x.c0, lem) || !bn254_fq_from_lem(&p->x.c1, lem + 32) ||
        !bn254_fq_from_lem(&p->y.c0, lem + 64) || !bn254_fq_from_lem(&p->y.c1, lem + 96))
        return -1;
    if (bn254_g2_affine_is_infinity(p)) return 0;
    return bn254_g2_check_var(p) ? 0 : -1;
}

static int g1_lem_valid_task(void *ctx, size_t begin, size_t end, int thread_index) {
    (void)thread_index;
    const uint8_t *lem = ctx;
    bn254_g1_affine p;
    for (size_t i = begin; i < end; i++)
        if (p2_g1_load(&p, lem + 64 * i) != 0) return 1;
    return 0;
}

size_t p2_g1_lem_first_invalid_var(const uint8_t *lem, size_t n, int threads) {
    if (ns_parallel_for(threads, n, 4096, g1_lem_valid_task, (void *)(uintptr_t)lem) == 0) return SIZE_MAX;
    /* the error path: find the lowest index, serially */
    bn254_g1_affine p;
    for (size_t i = 0; i < n; i++)
        if (p2_g1_load(&p, lem + 64 * i) != 0) return i;
    return SIZE_MAX;
}

void p2_g1_store(uint8_t lem[64], const bn254_g1_affine *p) {
    bn254_fq_to_lem(lem, &p->x);
    bn254_fq_to_lem(lem + 32, &p->y);
}

void p2_g2_store(uint8_t lem[128], const bn254_g2_affine *p) {
    bn254_fq_to_lem(lem, &p->x.c0);
    bn254_fq_to_lem(lem + 32, &p->x.c1);
    bn254_fq_to_lem(lem + 64, &p->y.c0);
    bn254_fq_to_lem(lem + 96, &p->y.c1);
}

void p2_rng_seed(p2_rng *rng, const uint8_t seed32[32]) { bn254_chacha_init_hash(rng, seed32); }

void p2_rng_wipe(p2_rng *rng) {
    bn254_chacha_wipe(rng);
    ns_wipe(rng, sizeof *rng);
}

void p2_fr_from_rng(bn254_fr *r, p2_rng *rng) { bn254_fr_from_rng(r, rng, NULL); }

void p2_g1_from_rng_var(bn254_g1_affine *r, p2_rng *rng) { bn254_g1_from_rng_var(r, rng); }

void p2_hash_to_g2_var(bn254_g2_affine *r, const uint8_t hash[64]) { bn254_hash_to_g2_var(r, hash); }

void p2_g1_mul(bn254_g1_affine *r, const bn254_g1_affine *p, const bn254_fr *k) {
    bn254_g1 j;
    bn254_g1_from_affine(&j, p);
    bn254_g1_mul_fr(&j, &j, k);
    bn254_g1_to_affine(r, &j);
    ns_wipe(&j, sizeof j);
}

void p2_g2_mul(bn254_g2_affine *r, const bn254_g2_affine *p, const bn254_fr *k) {
    bn254_g2 j;
    bn254_g2_from_affine(&j, p);
    bn254_g2_mul_fr(&j, &j, k);
    bn254_g2_to_affine(r, &j);
    ns_wipe(&j, sizeof j);
}

void p2_g1_batch_mul_lem(uint8_t *out, const uint8_t *in, size_t n, const bn254_fr *k,
                         int threads) {
    /* out is a malloc'd (suitably aligned) buffer; the input may sit at any
     * offset of a mapped file, so copy first and multiply in place. */
    memcpy(out, in, n * 64);
    bn254_g1_batch_mul_fr((bn254_g1_affine *)(void *)out, (const bn254_g1_affine *)(void *)out, n,
                          k, threads);
}

void p2_g1_batch_mul_lem_var(uint8_t *out, const uint8_t *in, size_t n, const bn254_fr *k,
                                int threads) {
    memcpy(out, in, n * 64);
    (void)bn254_g1_batch_mul_fr_var((bn254_g1_affine *)(void *)out, (const bn254_g1_affine *)(void *)out,
                                    n, k, threads);
}

int p2_same_ratio_var(const bn254_g1_affine *g1s, const bn254_g1_affine *g1sx,
                  const bn254_g2_affine *g2s, const bn254_g2_affine *g2sx) {
    if (bn254_g1_affine_is_infinity(g1s) || bn254_g1_affine_is_infinity(g1sx) ||
        bn254_g2_affine_is_infinity(g2s) || bn254_g2_affine_is_infinity(g2sx))
        return 0;
    bn254_g1_affine p[2];
    bn254_g2_affine q[2];
    p[0] = *g1s;
    bn254_g1_affine_neg(&p[1], g1sx);
    q[0] = *g2sx;
    q[1] = *g2s;
    return bn254_pairing_check_var(p, q, 2);
}
