/* The portable C paths of the inlined Fq arithmetic (src/curve/bn254_fast.h
 * compiled with NS_PORTABLE, as on non-x86-64 hosts) against ff/mont.h, so
 * the path the x86-64 assembly replaces stays tested on x86-64 too. */
#define NS_PORTABLE 1
#include <string.h>

#include "curve/bn254_fast.h"
#include "ff/mont.h"
#include "testutil.h"

static void rand_below(uint64_t out[4], const uint64_t *m) {
    do {
        for (int i = 0; i < 4; i++) out[i] = ns_test_rand64();
        out[3] &= 0x3fffffffffffffffULL;
    } while (out[3] > m[3] || (out[3] == m[3] && out[2] >= m[2]));
}

int main(void) {
    ns_mont qm;
    ns_mont_init(&qm, 4, BN254X_Q);
    for (int i = 0; i < 5000; i++) {
        bn254_fq a, b, r1, r2;
        rand_below(a.l, qm.p);
        rand_below(b.l, qm.p);
        if (i == 0) memset(&a, 0, sizeof a);
        if (i == 1) memcpy(b.l, qm.pm2, sizeof b.l), b.l[0] += 1; /* q - 1 */
        bn254x_mul(&r1, &a, &b);
        ns_mont_mul(r2.l, a.l, b.l, &qm);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_add(&r1, &a, &b);
        ns_mont_add(r2.l, a.l, b.l, &qm);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_sub(&r1, &a, &b);
        ns_mont_sub(r2.l, a.l, b.l, &qm);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
        bn254x_neg(&r1, &a);
        ns_mont_neg(r2.l, a.l, &qm);
        CHECK(memcmp(&r1, &r2, sizeof r1) == 0);
    }
    return ns_test_report("bn254_msm_portable");
}
