/* Differential check of the BN254 arithmetic against vectors produced by the
 * npm oracles (ffjavascript / @noble/curves), see
 * tests/compat/oracles/bn254_vectors.js for the file format.
 *
 * Without NS_BN254_VECTORS in the environment this test only reports that it
 * was skipped (the unit suite runs without node);
 * tests/compat/bn254_diff.test.sh generates a vector file and runs this
 * binary with the variable set. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254_encode.h"
#include "curve/bn254_rng.h"
#include "testutil.h"
#include "util/hex.h"

#define MAXTOK 8
#define MAXBYTES 384

static long lineno;
static int reported;
static long cases;

static void mismatch(const char *op) {
    if (reported++ < 20) fprintf(stderr, "vectors line %ld: %s mismatch\n", lineno, op);
    CHECK_MSG(0, "line %ld: %s", lineno, op);
}

/* token -> bytes; returns the byte count or -1 */
static long unhex(uint8_t *out, const char *tok) {
    size_t l = strlen(tok);
    if (l % 2 || l / 2 > MAXBYTES) return -1;
    return ns_hex_decode(out, l / 2, tok) == (long)(l / 2) ? (long)(l / 2) : -1;
}

static int fq_of(bn254_fq *r, const uint8_t *b) { return bn254_fq_from_be(r, b); }
static int fq2_of(bn254_fq2 *r, const uint8_t *b) { return fq_of(&r->c0, b) & fq_of(&r->c1, b + 32); }
static int fq12_of(bn254_fq12 *r, const uint8_t *b) {
    bn254_fq2 *c[6] = {&r->c0.c0, &r->c0.c1, &r->c0.c2, &r->c1.c0, &r->c1.c1, &r->c1.c2};
    int ok = 1;
    for (int i = 0; i < 6; i++) ok &= fq2_of(c[i], b + 64 * i);
    return ok;
}
static void fq_out(uint8_t *b, const bn254_fq *a) { bn254_fq_to_be(b, a); }
static void fq2_out(uint8_t *b, const bn254_fq2 *a) {
    fq_out(b, &a->c0);
    fq_out(b + 32, &a->c1);
}
static void fq12_out(uint8_t *b, const bn254_fq12 *a) {
    const bn254_fq2 *c[6] = {&a->c0.c0, &a->c0.c1, &a->c0.c2, &a->c1.c0, &a->c1.c1, &a->c1.c2};
    for (int i = 0; i < 6; i++) fq2_out(b + 64 * i, c[i]);
}

static void scalar_of(uint64_t k[4], const uint8_t be[32]) {
    for (int i = 0; i < 4; i++) {
        uint64_t w = 0;
        for (int j = 0; j < 8; j++) w = (w << 8) | be[32 - 8 * (i + 1) + j];
        k[i] = w;
    }
}

static void check_fq_binop(const char *op, uint8_t t[][MAXBYTES]) {
    bn254_fq a, b, r;
    uint8_t o[32];
    if (!fq_of(&a, t[1]) || !fq_of(&b, t[2])) return mismatch(op);
    if (!strcmp(op, "fq_add")) bn254_fq_add(&r, &a, &b);
    else if (!strcmp(op, "fq_sub")) bn254_fq_sub(&r, &a, &b);
    else bn254_fq_mul(&r, &a, &b);
    fq_out(o, &r);
    if (memcmp(o, t[3], 32)) mismatch(op);
}

static void check_fr_binop(const char *op, uint8_t t[][MAXBYTES]) {
    bn254_fr a, b, r;
    uint8_t o[32];
    if (!bn254_fr_from_be(&a, t[1]) || !bn254_fr_from_be(&b, t[2])) return mismatch(op);
    if (!strcmp(op, "fr_add")) bn254_fr_add(&r, &a, &b);
    else if (!strcmp(op, "fr_sub")) bn254_fr_sub(&r, &a, &b);
    else bn254_fr_mul(&r, &a, &b);
    bn254_fr_to_be(o, &r);
    if (memcmp(o, t[3], 32)) mismatch(op);
}

static void check_line(char **tok, int ntok) {
    static uint8_t t[MAXTOK][MAXBYTES];
    long len[MAXTOK];
    const char *op = tok[0];
    int none = 0;
    for (int i = 1; i < ntok; i++) {
        if (i == 1 && (!strcmp(op, "fq12_frob") || !strcmp(op, "fr_root"))) continue; /* a small decimal */
        if (!strcmp(tok[i], "none")) {
            none = 1;
            len[i] = 0;
            continue;
        }
        len[i] = unhex(t[i], tok[i]);
        if (len[i] < 0) return mismatch("bad hex");
    }
    cases++;
    uint8_t o[MAXBYTES];
    if (!strncmp(op, "fq_", 3) && (!strcmp(op + 3, "add") || !strcmp(op + 3, "sub") || !strcmp(op + 3, "mul"))) {
        check_fq_binop(op, t);
        /* the commuted product / the squaring path on a == b */
        if (!strcmp(op, "fq_mul")) {
            bn254_fq a, b, r, s;
            fq_of(&a, t[1]);
            fq_of(&b, t[2]);
            bn254_fq_mul(&r, &b, &a);
            fq_out(o, &r);
            if (memcmp(o, t[3], 32)) mismatch("fq_mul commuted");
            bn254_fq_sqr(&r, &a);
            bn254_fq_mul(&s, &a, &a);
            if (!bn254_fq_eq(&r, &s)) mismatch("fq_sqr");
        }
    } else if (!strncmp(op, "fr_", 3) && (!strcmp(op + 3, "add") || !strcmp(op + 3, "sub") || !strcmp(op + 3, "mul"))) {
        check_fr_binop(op, t);
    } else if (!strcmp(op, "fq_inv")) {
        bn254_fq a, r1, r2;
        if (!fq_of(&a, t[1])) return mismatch(op);
        bn254_fq_inv(&r1, &a);
        bn254_fq_inv_var(&r2, &a);
        fq_out(o, &r1);
        if (memcmp(o, t[2], 32)) mismatch("fq_inv");
        fq_out(o, &r2);
        if (memcmp(o, t[2], 32)) mismatch("fq_inv_var");
    } else if (!strcmp(op, "fr_inv")) {
        bn254_fr a, r1, r2;
        if (!bn254_fr_from_be(&a, t[1])) return mismatch(op);
        bn254_fr_inv(&r1, &a);
        bn254_fr_inv_var(&r2, &a);
        bn254_fr_to_be(o, &r1);
        if (memcmp(o, t[2], 32)) mismatch("fr_inv");
        bn254_fr_to_be(o, &r2);
        if (memcmp(o, t[2], 32)) mismatch("fr_inv_var");
    } else if (!strcmp(op, "fq_sqrt")) {
        bn254_fq a, r, e, ne;
        if (!fq_of(&a, t[1])) return mismatch(op);
        int ok = bn254_fq_sqrt_var(&r, &a);
        if (none) {
            if (ok || bn254_fq_legendre_var(&a) != -1) mismatch("fq_sqrt non-square");
        } else {
            fq_of(&e, t[2]);
            bn254_fq_neg(&ne, &e);
            if (!ok || !(bn254_fq_eq(&r, &e) || bn254_fq_eq(&r, &ne))) mismatch("fq_sqrt");
        }
    } else if (!strcmp(op, "fq2_mul") || !strcmp(op, "fq2_sqr") || !strcmp(op, "fq2_inv")) {
        bn254_fq2 a, b, r, r2;
        if (!fq2_of(&a, t[1])) return mismatch(op);
        const uint8_t *want = t[2];
        if (!strcmp(op, "fq2_mul")) {
            if (!fq2_of(&b, t[2])) return mismatch(op);
            bn254_fq2_mul(&r, &a, &b);
            want = t[3];
        } else if (!strcmp(op, "fq2_sqr")) {
            bn254_fq2_sqr(&r, &a);
        } else {
            bn254_fq2_inv(&r, &a);
            bn254_fq2_inv_var(&r2, &a);
            if (!bn254_fq2_eq(&r, &r2)) mismatch("fq2_inv_var");
        }
        fq2_out(o, &r);
        if (memcmp(o, want, 64)) mismatch(op);
    } else if (!strcmp(op, "fr_root")) {
        bn254_fr w;
        bn254_fr_root_of_unity(&w, atoi(tok[1]));
        bn254_fr_to_be(o, &w);
        if (memcmp(o, t[2], 32)) mismatch(op);
    } else if (!strcmp(op, "fq2_sqrt")) {
        bn254_fq2 a, r, e, ne;
        if (!fq2_of(&a, t[1])) return mismatch(op);
        int ok = bn254_fq2_sqrt_var(&r, &a);
        if (none) {
            if (ok) mismatch("fq2_sqrt non-square");
        } else {
            fq2_of(&e, t[2]);
            bn254_fq2_neg(&ne, &e);
            if (!ok || !(bn254_fq2_eq(&r, &e) || bn254_fq2_eq(&r, &ne))) mismatch("fq2_sqrt");
        }
    } else if (!strcmp(op, "fq12_mul") || !strcmp(op, "fq12_sqr") || !strcmp(op, "fq12_inv")) {
        bn254_fq12 a, b, r;
        if (!fq12_of(&a, t[1])) return mismatch(op);
        const uint8_t *want = t[2];
        if (!strcmp(op, "fq12_mul")) {
            if (!fq12_of(&b, t[2])) return mismatch(op);
            bn254_fq12_mul(&r, &a, &b);
            want = t[3];
        } else if (!strcmp(op, "fq12_sqr")) {
            bn254_fq12_sqr(&r, &a);
        } else {
            bn254_fq12_inv(&r, &a);
        }
        fq12_out(o, &r);
        if (memcmp(o, want, 384)) mismatch(op);
        if (!strcmp(op, "fq12_inv")) {
            bn254_fq12_inv_var(&r, &a);
            fq12_out(o, &r);
            if (memcmp(o, want, 384)) mismatch("fq12_inv_var");
        }
    } else if (!strcmp(op, "fq12_frob")) {
        bn254_fq12 a, r;
        int n = atoi(tok[1]);
        if (unhex(t[2], tok[2]) != 384 || unhex(t[3], tok[3]) != 384 || !fq12_of(&a, t[2])) return mismatch(op);
        bn254_fq12_frobenius(&r, &a, n);
        fq12_out(o, &r);
        if (memcmp(o, t[3], 384)) mismatch(op);
    } else if (!strcmp(op, "g1_add") || !strcmp(op, "g1_dbl") || !strcmp(op, "g1_mul")) {
        bn254_g1_affine pa, qa, ra;
        bn254_g1 p, q, r;
        if (bn254_g1_from_u(&pa, t[1]) != BN254_ENC_OK) return mismatch("g1 decode");
        bn254_g1_from_affine(&p, &pa);
        const uint8_t *want;
        if (!strcmp(op, "g1_dbl")) {
            bn254_g1_dbl(&r, &p);
            want = t[2];
        } else if (!strcmp(op, "g1_mul")) {
            uint64_t k[4];
            scalar_of(k, t[2]);
            bn254_g1_mul_var(&r, &p, k);
            want = t[3];
        } else {
            if (bn254_g1_from_u(&qa, t[2]) != BN254_ENC_OK) return mismatch("g1 decode");
            bn254_g1_from_affine(&q, &qa);
            want = t[3];
            /* all four adders must agree */
            bn254_g1 r2;
            bn254_g1_add_var(&r2, &p, &q);
            bn254_g1_to_affine_var(&ra, &r2);
            bn254_g1_to_u(o, &ra);
            if (memcmp(o, want, 64)) mismatch("g1_add_var");
            bn254_g1_add_affine(&r2, &p, &qa);
            bn254_g1_to_affine(&ra, &r2);
            bn254_g1_to_u(o, &ra);
            if (memcmp(o, want, 64)) mismatch("g1_add_affine");
            bn254_g1_add_affine_var(&r2, &p, &qa);
            bn254_g1_to_affine(&ra, &r2);
            bn254_g1_to_u(o, &ra);
            if (memcmp(o, want, 64)) mismatch("g1_add_affine_var");
            bn254_g1_add(&r, &p, &q);
        }
        bn254_g1_to_affine(&ra, &r);
        bn254_g1_to_u(o, &ra);
        if (memcmp(o, want, 64)) mismatch(op);
    } else if (!strcmp(op, "g2_add") || !strcmp(op, "g2_dbl") || !strcmp(op, "g2_mul")) {
        bn254_g2_affine pa, qa, ra;
        bn254_g2 p, q, r;
        if (bn254_g2_from_u_var(&pa, t[1]) != BN254_ENC_OK) return mismatch("g2 decode");
        bn254_g2_from_affine(&p, &pa);
        const uint8_t *want;
        if (!strcmp(op, "g2_dbl")) {
            bn254_g2_dbl(&r, &p);
            want = t[2];
        } else if (!strcmp(op, "g2_mul")) {
            uint64_t k[4];
            scalar_of(k, t[2]);
            bn254_g2_mul_var(&r, &p, k);
            want = t[3];
        } else {
            if (bn254_g2_from_u_var(&qa, t[2]) != BN254_ENC_OK) return mismatch("g2 decode");
            bn254_g2_from_affine(&q, &qa);
            want = t[3];
            bn254_g2 r2;
            bn254_g2_add_var(&r2, &p, &q);
            bn254_g2_to_affine_var(&ra, &r2);
            bn254_g2_to_u(o, &ra);
            if (memcmp(o, want, 128)) mismatch("g2_add_var");
            bn254_g2_add_affine(&r2, &p, &qa);
            bn254_g2_to_affine(&ra, &r2);
            bn254_g2_to_u(o, &ra);
            if (memcmp(o, want, 128)) mismatch("g2_add_affine");
            bn254_g2_add_affine_var(&r2, &p, &qa);
            bn254_g2_to_affine(&ra, &r2);
            bn254_g2_to_u(o, &ra);
            if (memcmp(o, want, 128)) mismatch("g2_add_affine_var");
            bn254_g2_add(&r, &p, &q);
        }
        bn254_g2_to_affine(&ra, &r);
        bn254_g2_to_u(o, &ra);
        if (memcmp(o, want, 128)) mismatch(op);
    } else if (!strcmp(op, "g1_lem")) {
        bn254_g1_affine pa, pb;
        if (bn254_g1_from_u(&pa, t[1]) != BN254_ENC_OK) return mismatch("g1 decode");
        bn254_g1_to_lem(o, &pa);
        if (memcmp(o, t[2], 64)) mismatch(op);
        if (bn254_g1_from_lem(&pb, t[2]) != BN254_ENC_OK || memcmp(&pa, &pb, sizeof pa)) mismatch("g1_from_lem");
    } else if (!strcmp(op, "g2_lem")) {
        bn254_g2_affine pa, pb;
        if (bn254_g2_from_u_var(&pa, t[1]) != BN254_ENC_OK) return mismatch("g2 decode");
        bn254_g2_to_lem(o, &pa);
        if (memcmp(o, t[2], 128)) mismatch(op);
        if (bn254_g2_from_lem_var(&pb, t[2]) != BN254_ENC_OK || memcmp(&pa, &pb, sizeof pa)) mismatch("g2_from_lem");
    } else if (!strcmp(op, "pairing")) {
        bn254_g1_affine pa;
        bn254_g2_affine qa;
        bn254_fq12 e;
        if (bn254_g1_from_u(&pa, t[1]) != BN254_ENC_OK || bn254_g2_from_u_var(&qa, t[2]) != BN254_ENC_OK)
            return mismatch("pairing decode");
        bn254_pairing_var(&e, &pa, &qa);
        fq12_out(o, &e);
        if (memcmp(o, t[3], 384)) mismatch(op);
    } else if (!strcmp(op, "rng_fr_g1")) {
        bn254_chacha c;
        bn254_fr f;
        uint8_t raw[32];
        bn254_g1_affine p;
        bn254_chacha_init_hash(&c, t[1]);
        bn254_fr_from_rng(&f, &c, raw);
        if (memcmp(raw, t[2], 32)) mismatch("Fr.fromRng");
        bn254_g1_from_rng_var(&p, &c);
        bn254_g1_to_u(o, &p);
        if (memcmp(o, t[3], 64)) mismatch("G1.fromRng");
    } else if (!strcmp(op, "hash_to_g2")) {
        bn254_g2_affine p;
        bn254_hash_to_g2_var(&p, t[1]);
        bn254_g2_to_u(o, &p);
        if (memcmp(o, t[2], 128)) mismatch(op);
    } else {
        cases--;
        mismatch("unknown op");
    }
}

int main(void) {
    const char *path = getenv("NS_BN254_VECTORS");
    if (!path || !*path) {
        printf("test_bn254_vectors: no NS_BN254_VECTORS (tests/compat/bn254_diff.test.sh sets it); "
               "checking the built-in lines only\n");
        /* parser self-check on two known lines (Python product; snarkjs hashToG2 known answer) */
        char l1[] = "fq_mul 1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef "
                    "2fedcba0987654321fedcba0987654321fedcba0987654321fedcba098765432 "
                    "0fd2208cebf916d38657e1b97d38a7feeca06a4628f515307a303e239a184a40";
        char l2[] = "hash_to_g2 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
                    "097197b18b86f218d43cf232ae11cb0318f9ff79c8315ba8cc3494ece86bd08c"
                    "0993c1f526542d4ea0f7960fe68c321263da35704524158f53a5ec1f6ae3cc0c"
                    "07e5f5e692f511f13c16f270392204a3e2ebf321f8b80f73d87faaea048b7bf0"
                    "1f619cecd6aebc1a35e6397979d76d2caa56e4cacbc10cd20d93cf715a0dd968";
        char *lines[2] = {l1, l2};
        for (int i = 0; i < 2; i++) {
            char *tok[MAXTOK];
            int n = 0;
            lineno = i + 1;
            for (char *s = strtok(lines[i], " "); s && n < MAXTOK; s = strtok(NULL, " ")) tok[n++] = s;
            check_line(tok, n);
        }
        CHECK(cases == 2);
        return ns_test_report("bn254_vectors");
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "test_bn254_vectors: cannot open %s\n", path);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        char *tok[MAXTOK];
        int n = 0;
        for (char *s = strtok(line, " \n"); s && n < MAXTOK; s = strtok(NULL, " \n")) tok[n++] = s;
        if (n == 0) continue;
        check_line(tok, n);
    }
    free(line);
    fclose(f);
    printf("test_bn254_vectors: %ld cases from %s\n", cases, path);
    CHECK(cases > 0);
    return ns_test_report("bn254_vectors");
}
