/* Constant-time check in the style of libsecp256k1's ctime_tests: the secret
 * scalar is marked undefined for valgrind's memcheck, which then reports
 * every conditional branch and every memory address computed from it.  Run
 * as `valgrind --error-exitcode=42 ctime_bn254` (tests/compat/ctime.test.sh).
 *
 * `ctime_bn254 leak` runs a deliberately leaky loop instead, so the test
 * script can prove that the harness detects secret-dependent branches. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "curve/bn254.h"
#include "curve/bn254_batchmul.h"
#include "curve/bn254_ctmul.h"

static void secret_scalar(uint64_t k[4], uint64_t seed) {
    for (int i = 0; i < 4; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        k[i] = seed ^ (seed >> 29);
    }
    k[3] &= 0x0fffffffffffffffULL;
}

static void declassify(void *p, size_t n) { VALGRIND_MAKE_MEM_DEFINED(p, n); }

int main(int argc, char **argv) {
    if (!RUNNING_ON_VALGRIND) fprintf(stderr, "ctime_bn254: not running under valgrind; nothing is checked\n");
    uint64_t k[4];
    secret_scalar(k, 0x1234);

    if (argc > 1 && strcmp(argv[1], "leak") == 0) {
        /* variable-time double-and-add: must be reported */
        bn254_g1 g, acc;
        bn254_g1_generator(&g);
        bn254_g1_set_infinity(&acc);
        VALGRIND_MAKE_MEM_UNDEFINED(k, sizeof k);
        for (int i = 255; i >= 0; i--) {
            bn254_g1_dbl(&acc, &acc);
            if ((k[i / 64] >> (i % 64)) & 1) bn254_g1_add_var(&acc, &acc, &g);
        }
        declassify(&acc, sizeof acc);
        printf("leak mode done\n");
        return 0;
    }

    /* G1 single multiplication, canonical and Fr scalar */
    bn254_g1 g1, r1;
    bn254_g1_generator(&g1);
    VALGRIND_MAKE_MEM_UNDEFINED(k, sizeof k);
    bn254_g1_mul(&r1, &g1, k);
    declassify(&r1, sizeof r1);
    bn254_fr kf;
    memcpy(kf.l, k, sizeof k);
    bn254_g1_mul_fr(&r1, &g1, &kf);
    declassify(&r1, sizeof r1);

    /* G2 single multiplication */
    bn254_g2 g2, r2;
    bn254_g2_generator(&g2);
    bn254_g2_mul(&r2, &g2, k);
    declassify(&r2, sizeof r2);

    /* G1 batch (fast path), including an infinity input, and the small
     * scalars of the complete-formula path */
    bn254_g1_affine in[4], out[4];
    bn254_g1_affine_generator(&in[0]);
    bn254_g1 t;
    bn254_g1_dbl(&t, &g1);
    bn254_g1_to_affine_var(&in[1], &t);
    memset(&in[2], 0, sizeof in[2]);
    in[3] = in[0];
    bn254_g1_batch_mul(out, in, 4, k, 1);
    declassify(out, sizeof out);
    bn254_g1_batch_mul_fr(out, in, 4, &kf, 1);
    declassify(out, sizeof out);
    uint64_t small[4] = {2, 0, 0, 0};
    VALGRIND_MAKE_MEM_UNDEFINED(small, sizeof small);
    bn254_g1_batch_mul(out, in, 2, small, 1);
    declassify(out, sizeof out);

    /* G2 batch */
    bn254_g2_affine in2[2], out2[2];
    bn254_g2_affine_generator(&in2[0]);
    memset(&in2[1], 0, sizeof in2[1]);
    bn254_g2_batch_mul(out2, in2, 2, k, 1);
    declassify(out2, sizeof out2);

    printf("ctime_bn254: done\n");
    return 0;
}
