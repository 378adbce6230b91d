#include "phase2/export_vk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/bn254.h"
#include "formats/encode.h"
#include "util/outfile.h"

/* ---- a growing text buffer ---- */
typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} text;

static void put(text *t, const char *s, size_t n) {
    if (t->oom) return;
    if (t->n + n + 1 > t->cap) {
        size_t cap = (t->n + n + 1) * 2;
        char *q = realloc(t->p, cap);
        if (q == NULL) {
            t->oom = 1;
            return;
        }
        t->p = q;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
    t->p[t->n] = 0;
}
static void puts_(text *t, const char *s) { put(t, s, strlen(s)); }
static void indent(text *t, int level) {
    for (int i = 0; i < level; i++) put(t, " ", 1);
}

/* The JSON values we emit are nested arrays of decimal strings; describe
 * them as a tiny tree: a leaf string or an array of children. */
typedef struct node {
    const char *str;         /* leaf if non-NULL */
    struct node *kids;
    int nkids;
} node;

static void emit(text *t, const node *v, int level) {
    if (v->str) {
        put(t, "\"", 1);
        puts_(t, v->str);
        put(t, "\"", 1);
        return;
    }
    put(t, "[\n", 2);
    for (int i = 0; i < v->nkids; i++) {
        indent(t, level + 1);
        emit(t, &v->kids[i], level + 1);
        if (i + 1 < v->nkids) put(t, ",", 1);
        put(t, "\n", 1);
    }
    indent(t, level);
    put(t, "]", 1);
}

/* decimal string storage */
typedef struct {
    char s[80];
} dec;

static void fq_dec(dec *d, const bn254_fq *a) {
    uint8_t le[32];
    bn254_fq_to_le(le, a);
    ns_le256_to_decimal(d->s, le);
}

static int is_zero_bytes(const uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

/* G1 LEM -> ["x", "y", "1"] (identity: ["0", "1", "0"]) */
static void g1_node(node *v, node kids[3], dec d[2], const uint8_t lem[64]) {
    v->str = NULL;
    v->kids = kids;
    v->nkids = 3;
    if (is_zero_bytes(lem, 64)) {
        kids[0].str = "0";
        kids[1].str = "1";
        kids[2].str = "0";
        return;
    }
    bn254_fq x, y;
    memcpy(x.l, lem, 32);
    memcpy(y.l, lem + 32, 32);
    fq_dec(&d[0], &x);
    fq_dec(&d[1], &y);
    kids[0].str = d[0].s;
    kids[1].str = d[1].s;
    kids[2].str = "1";
}

/* G2 LEM -> [[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]] (identity: zero, one, zero) */
typedef struct {
    node v, pair[3], leaf[6];
    dec d[4];
} g2tree;

static void g2_node(g2tree *g, const uint8_t lem[128]) {
    g->v.str = NULL;
    g->v.kids = g->pair;
    g->v.nkids = 3;
    for (int i = 0; i < 3; i++) {
        g->pair[i].str = NULL;
        g->pair[i].kids = &g->leaf[2 * i];
        g->pair[i].nkids = 2;
    }
    if (is_zero_bytes(lem, 128)) {
        static const char *z[6] = {"0", "0", "1", "0", "0", "0"};
        for (int i = 0; i < 6; i++) g->leaf[i].str = z[i];
        return;
    }
    for (int i = 0; i < 4; i++) {
        bn254_fq a;
        memcpy(a.l, lem + 32 * i, 32);
        fq_dec(&g->d[i], &a);
        g->leaf[i].str = g->d[i].s;
    }
    g->leaf[4].str = "1";
    g->leaf[5].str = "0";
}

static int load_lem(bn254_fq *r, const uint8_t *p) { return bn254_fq_from_lem(r, p); }

int ns_export_vk_json(char **out, size_t *len, const ns_zkey *z, ns_error *err) {
    const ns_zkey_header *h = &z->h;
    const char *path = z->bf.path;
    /* points must be canonical (< q) to be printed, alpha1/beta2 valid for the pairing */
    bn254_g1_affine alpha;
    bn254_g2_affine beta;
    if (!load_lem(&alpha.x, h->alpha1) || !load_lem(&alpha.y, h->alpha1 + 32) || !bn254_g1_check(&alpha) ||
        bn254_g1_affine_is_infinity(&alpha))
        return ns_error_set(err, "%s: section 2: alpha1 is not a valid G1 point", path);
    if (!load_lem(&beta.x.c0, h->beta2) || !load_lem(&beta.x.c1, h->beta2 + 32) ||
        !load_lem(&beta.y.c0, h->beta2 + 64) || !load_lem(&beta.y.c1, h->beta2 + 96) || !bn254_g2_check_var(&beta) ||
        bn254_g2_affine_is_infinity(&beta))
        return ns_error_set(err, "%s: section 2: beta2 is not a valid G2 point", path);
    const uint8_t *g2s[3] = {h->gamma2, h->delta2, NULL};
    const char *g2n[2] = {"gamma2", "delta2"};
    for (int i = 0; g2s[i]; i++) {
        bn254_fq t;
        for (int c = 0; c < 4; c++)
            if (!load_lem(&t, g2s[i] + 32 * c))
                return ns_error_set(err, "%s: section 2: %s coordinate not below q", path, g2n[i]);
    }
    uint64_t icsize;
    const uint8_t *ic = ns_zkey_section(z, 3, &icsize);
    for (uint64_t i = 0; i < 2 * ((uint64_t)h->npublic + 1); i++) {
        bn254_fq t;
        if (!load_lem(&t, ic + 32 * i))
            return ns_error_set(err, "%s: section 3 (IC): point %llu coordinate not below q", path,
                                (unsigned long long)(i / 2));
    }

    bn254_fq12 e;
    bn254_pairing_var(&e, &alpha, &beta);

    text t = {0};
    char num[32];
    puts_(&t, "{\n \"protocol\": \"groth16\",\n \"curve\": \"bn128\",\n \"nPublic\": ");
    snprintf(num, sizeof num, "%u", h->npublic);
    puts_(&t, num);
    puts_(&t, ",\n \"vk_alpha_1\": ");
    node v, kids[3];
    dec d[2];
    g1_node(&v, kids, d, h->alpha1);
    emit(&t, &v, 1);
    static const char *g2keys[3] = {"vk_beta_2", "vk_gamma_2", "vk_delta_2"};
    const uint8_t *g2p[3] = {h->beta2, h->gamma2, h->delta2};
    for (int i = 0; i < 3; i++) {
        puts_(&t, ",\n \"");
        puts_(&t, g2keys[i]);
        puts_(&t, "\": ");
        g2tree g;
        g2_node(&g, g2p[i]);
        emit(&t, &g.v, 1);
    }
    /* Gt: [[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]], each Fq2 [re, im] */
    {
        node top, half[2], trip[6], leaf[12];
        dec dd[12];
        const bn254_fq6 *six[2] = {&e.c0, &e.c1};
        top.str = NULL;
        top.kids = half;
        top.nkids = 2;
        for (int a = 0; a < 2; a++) {
            half[a].str = NULL;
            half[a].kids = &trip[3 * a];
            half[a].nkids = 3;
            const bn254_fq2 *two[3] = {&six[a]->c0, &six[a]->c1, &six[a]->c2};
            for (int b = 0; b < 3; b++) {
                node *tr = &trip[3 * a + b];
                tr->str = NULL;
                tr->kids = &leaf[6 * a + 2 * b];
                tr->nkids = 2;
                fq_dec(&dd[6 * a + 2 * b], &two[b]->c0);
                fq_dec(&dd[6 * a + 2 * b + 1], &two[b]->c1);
                leaf[6 * a + 2 * b].str = dd[6 * a + 2 * b].s;
                leaf[6 * a + 2 * b + 1].str = dd[6 * a + 2 * b + 1].s;
            }
        }
        puts_(&t, ",\n \"vk_alphabeta_12\": ");
        emit(&t, &top, 1);
    }
    puts_(&t, ",\n \"IC\": [\n");
    for (uint32_t i = 0; i <= h->npublic; i++) {
        indent(&t, 2);
        g1_node(&v, kids, d, ic + (uint64_t)i * 64);
        emit(&t, &v, 2);
        if (i < h->npublic) put(&t, ",", 1);
        put(&t, "\n", 1);
    }
    puts_(&t, " ]\n}");
    if (t.oom) {
        free(t.p);
        return ns_error_set(err, "%s: out of memory", path);
    }
    *out = t.p;
    *len = t.n;
    return 0;
}

int ns_export_vk_write(const ns_zkey *z, const char *path, ns_error *err) {
    char *json;
    size_t len;
    if (ns_export_vk_json(&json, &len, z, err) != 0) return -1;
    int rc = ns_write_file_atomic(path, json, len, err);
    free(json);
    return rc;
}
