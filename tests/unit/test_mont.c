/* Generic Montgomery layer against known answers computed with Python's
 * big integers (see the comments), for the 4-limb BN254 q and the 6-limb
 * BLS12-381 p, plus algebraic identities on random inputs. */
#include <string.h>

#include "ff/mont.h"
#include "testutil.h"
#include "util/hex.h"

/* BN254 q */
static const uint64_t BN_Q[4] = {0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                 0x30644e72e131a029ULL};
/* BLS12-381 p */
static const uint64_t BLS_P[6] = {0xb9feffffffffaaabULL, 0x1eabfffeb153ffffULL, 0x6730d2a0f6b0f624ULL,
                                  0x64774b84f38512bfULL, 0x4b1ba7b6434bacd7ULL, 0x1a0111ea397fe69aULL};

static void rand_elem(uint64_t *r, const ns_mont *m) {
    uint8_t b[48];
    do {
        ns_test_rand_bytes(b, sizeof b);
        b[8 * m->n - 1] &= 0x3f;
    } while (!ns_mont_from_bytes_le(r, b, m));
}

static void identities(const ns_mont *m, int iters) {
    for (int it = 0; it < iters; it++) {
        uint64_t a[6], b[6], c[6], t1[6], t2[6], t3[6];
        rand_elem(a, m);
        rand_elem(b, m);
        rand_elem(c, m);
        /* (a+b)*c == a*c + b*c */
        ns_mont_add(t1, a, b, m);
        ns_mont_mul(t1, t1, c, m);
        ns_mont_mul(t2, a, c, m);
        ns_mont_mul(t3, b, c, m);
        ns_mont_add(t2, t2, t3, m);
        CHECK(ns_mont_eq_mask(t1, t2, m) != 0);
        /* a - b + b == a; -a + a == 0 */
        ns_mont_sub(t1, a, b, m);
        ns_mont_add(t1, t1, b, m);
        CHECK(ns_mont_eq_mask(t1, a, m) != 0);
        ns_mont_neg(t1, a, m);
        ns_mont_add(t1, t1, a, m);
        CHECK(ns_mont_is_zero_mask(t1, m) != 0);
        /* a * a^-1 == 1, both inverses agree */
        ns_mont_inv(t1, a, m);
        ns_mont_inv_var(t2, a, m);
        CHECK(ns_mont_eq_mask(t1, t2, m) != 0);
        ns_mont_mul(t3, a, t1, m);
        CHECK(ns_mont_eq_mask(t3, m->one, m) != 0);
        /* byte round trip */
        uint8_t buf[48];
        ns_mont_to_bytes_be(buf, a, m);
        CHECK(ns_mont_from_bytes_be(t1, buf, m) && ns_mont_eq_mask(t1, a, m));
    }
    uint64_t z[6] = {0}, t[6];
    ns_mont_neg(t, z, m);
    CHECK(ns_mont_is_zero_mask(t, m) != 0);
    ns_mont_inv_var(t, z, m);
    CHECK(ns_mont_is_zero_mask(t, m) != 0);
    /* p itself is rejected by from_bytes */
    uint8_t pb[48];
    for (int i = 0; i < m->n; i++)
        for (int j = 0; j < 8; j++) pb[8 * i + j] = (uint8_t)(m->p[i] >> (8 * j));
    CHECK(ns_mont_from_bytes_le(t, pb, m) == 0);
}

static void known_answer(const ns_mont *m, const char *a_hex, const char *b_hex, const char *ab_hex) {
    uint8_t a[48], b[48], ab[48], out[48];
    uint64_t x[6], y[6], z[6];
    size_t len = (size_t)(8 * m->n);
    CHECK(ns_hex_decode(a, len, a_hex) == (long)len);
    CHECK(ns_hex_decode(b, len, b_hex) == (long)len);
    CHECK(ns_hex_decode(ab, len, ab_hex) == (long)len);
    CHECK(ns_mont_from_bytes_be(x, a, m));
    CHECK(ns_mont_from_bytes_be(y, b, m));
    ns_mont_mul(z, x, y, m);
    ns_mont_to_bytes_be(out, z, m);
    CHECK(memcmp(out, ab, len) == 0);
}

int main(void) {
    ns_mont q, p;
    ns_mont_init(&q, 4, BN_Q);
    ns_mont_init(&p, 6, BLS_P);
    CHECK(q.bits == 254 && p.bits == 381);
    /* python: a=q-1; b=q-2; (a*b)%q == 2 */
    known_answer(&q, "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd46",
                 "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45",
                 "0000000000000000000000000000000000000000000000000000000000000002");
    /* python: a=2**200+12345; b=3**150; hex((a*b)%q) */
    known_answer(&q, "0000000000000100000000000000000000000000000000000000000000003039",
                 "0000359ba2b98ca11d6864a331b45ae7114c01ffbdcf60cc16e692fb63c6e219",
                 "025ec559e8d49019614ba4d448a5531eba29b6acb0d488f83da60c460fb6a78f");
    known_answer(&p,
                 "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaaa",
                 "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaaa",
                 "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001");
    identities(&q, 2000);
    identities(&p, 2000);
    return ns_test_report("mont");
}
