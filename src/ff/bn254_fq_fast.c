/* Out-of-line parts of ff/bn254_fq_fast.h: the portable product and the
 * one-time CPU capability check that selects the MULX/ADX path. */
#include "ff/bn254_fq_fast.h"

#include <stdlib.h>

void bn254x_mul_portable(bn254_fq *r, const bn254_fq *a, const bn254_fq *b) {
    bn254x_montmul(r->l, a->l, b->l, BN254X_Q, BN254X_QINV);
}

#ifdef BN254X_HAVE_ASM
#include <cpuid.h>

/* CPU capability (BMI2 and ADX), written once by the constructor below
 * before main() runs and only read afterwards. */
int bn254x_cpu_adx = 0;

__attribute__((constructor)) static void bn254x_detect_cpu(void) {
    unsigned a, b, c, d;
    const char *off = getenv("NS_NO_ASM");
    if (off && *off && *off != '0') return;
    if (__get_cpuid_max(0, NULL) < 7) return;
    __cpuid_count(7, 0, a, b, c, d);
    bn254x_cpu_adx = ((b >> 8) & 1) && ((b >> 19) & 1); /* BMI2, ADX */
}
#endif
