/* libFuzzer target for the BLS12-381 point decoders (compressed and
 * uncompressed, G1 and G2).  Whatever decodes must be a valid point of the
 * group (or the identity) and re-encode to exactly the input bytes; the
 * decoder without the subgroup check must agree with the checked one on
 * points inside the group. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bls12_381_group.h"

static void check(int cond) {
    if (!cond) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t in[192], out[192];
    if (size < 1) return 0;
    /* byte 0 selects the decoder; the rest is the encoding (zero padded) */
    int which = data[0] & 3;
    size_t need = which == 0 ? 48 : which == 1 ? 96 : which == 2 ? 96 : 192;
    memset(in, 0, sizeof in);
    memcpy(in, data + 1, size - 1 < need ? size - 1 : need);
    if (which == 0) {
        bls_g1_affine a, b;
        bls_status s = bls_g1_from_compressed_var(&a, in);
        bls_status u = bls_g1_from_compressed_unchecked_var(&b, in);
        check(s == u || (s == BLS_NOT_IN_GROUP && u == BLS_OK));
        if (s == BLS_OK) {
            check(bls_g1_affine_on_curve_var(&a));
            bls_g1_to_compressed(out, &a);
            check(memcmp(out, in, 48) == 0);
        }
    } else if (which == 1) {
        bls_g1_affine a;
        if (bls_g1_from_uncompressed_var(&a, in) == BLS_OK) {
            check(bls_g1_affine_on_curve_var(&a));
            bls_g1_to_uncompressed(out, &a);
            check(memcmp(out, in, 96) == 0);
        }
    } else if (which == 2) {
        bls_g2_affine a, b;
        bls_status s = bls_g2_from_compressed_var(&a, in);
        bls_status u = bls_g2_from_compressed_unchecked_var(&b, in);
        check(s == u || (s == BLS_NOT_IN_GROUP && u == BLS_OK));
        if (s == BLS_OK) {
            check(bls_g2_affine_on_curve_var(&a));
            bls_g2_to_compressed(out, &a);
            check(memcmp(out, in, 96) == 0);
        }
    } else {
        bls_g2_affine a;
        if (bls_g2_from_uncompressed_var(&a, in) == BLS_OK) {
            check(bls_g2_affine_on_curve_var(&a));
            bls_g2_to_uncompressed(out, &a);
            check(memcmp(out, in, 192) == 0);
        }
    }
    return 0;
}
