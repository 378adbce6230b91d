/* Width-w non-adjacent form of a public 256-bit scalar (variable time),
 * shared by the BN254 G1/G2 variable-time scalar multiplications. */
#ifndef NS_CURVE_BN254_WNAF_H
#define NS_CURVE_BN254_WNAF_H

#include <stdint.h>

#define BN254_WNAF_MAX 258

/* Digits d[i] (odd or 0, |d| < 2^(w-1)) with k = sum d[i] 2^i; returns the
 * number of digits.  2 <= w <= 7. */
static inline int bn254_wnaf(int8_t *d, const uint64_t k[4], int w) {
    uint64_t t[5] = {k[0], k[1], k[2], k[3], 0};
    const uint64_t mask = ((uint64_t)1 << w) - 1;
    int len = 0;
    for (;;) {
        if (!(t[0] | t[1] | t[2] | t[3] | t[4])) break;
        int digit = 0;
        if (t[0] & 1) {
            digit = (int)(t[0] & mask);
            if (digit >= (1 << (w - 1))) digit -= (1 << w);
            /* t -= digit */
            if (digit > 0) {
                uint64_t b = (uint64_t)digit;
                for (int i = 0; i < 5 && b; i++) {
                    uint64_t o = t[i];
                    t[i] = o - b;
                    b = o < b;
                }
            } else {
                uint64_t c = (uint64_t)(-digit);
                for (int i = 0; i < 5 && c; i++) {
                    t[i] += c;
                    c = t[i] < c;
                }
            }
        }
        d[len++] = (int8_t)digit;
        for (int i = 0; i < 4; i++) t[i] = (t[i] >> 1) | (t[i + 1] << 63);
        t[4] >>= 1;
    }
    return len;
}

#endif
