#include "app/verify.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "protocol/bundle.h"
#include "protocol/cbundle.h"
#include "protocol/commit.h"
#include "protocol/manifest.h"
#include "app/releases.h"
#include "util/hash.h"
#include "util/hex.h"
#include "util/http.h"
#include "util/keccak.h"
#include "util/rmtree.h"

/* Everything the steps share. */
typedef struct {
    ns_verify_report *rep;
    const ns_verify_opts *o;
    const ns_engine *e;
    const char *dir;
    ns_manifest *m;
    int have_m;
    uint8_t *mtext;
    size_t mlen;
    uint8_t *doc[2];
    size_t doc_len[2];
    ns_doc_info info[2];
    int have_doc[2];
    uint8_t *root;
    size_t root_len;
    ns_chain_ref dchain;
    ns_beacon b;
    int have_b;
    uint8_t h_tar[64], h_r1cs[64];
    int have_tar, have_r1cs;
    int unsafe;          /* a bundle file is a link or not a regular file */
} vctx;

static void add(vctx *v, ns_check_status st, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(vctx *v, ns_check_status st, const char *name, const char *fmt, ...) {
    ns_verify_report *r = v->rep;
    if (r->n >= NS_VERIFY_MAX_CHECKS) return;
    ns_check *c = &r->c[r->n++];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->status = st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
}

static void path_of(char *out, size_t cap, const char *dir, const char *name) {
    snprintf(out, cap, "%s/%s", dir, name);
}

/* Opens a bundle file safely: no symbolic link, a regular file, at most max
 * bytes.  Returns the fd (>= 0), -1 when absent, -2 when refused. */
static int open_safe(const char *path, uint64_t max, uint64_t *size) {
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? -1 : -2;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
        close(fd);
        return -2;
    }
    *size = (uint64_t)st.st_size;
    return fd;
}

/* Reads a small bundle file whole (NULL when absent or refused). */
static uint8_t *read_small(vctx *v, const char *name, size_t *n, size_t max) {
    char p[4200];
    path_of(p, sizeof p, v->dir, name);
    uint64_t sz;
    int fd = open_safe(p, max, &sz);
    if (fd < 0) return NULL;
    uint8_t *b = malloc(sz + 1);
    size_t got = 0;
    while (b != NULL && got < sz) {
        ssize_t r = read(fd, b + got, sz - got);
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (b == NULL || got != sz) {
        free(b);
        return NULL;
    }
    *n = got;
    return b;
}

/* ---- the steps ---- */

/* Every file the verifier reads: a regular file, not a link, and no larger
 * than the manifest declares (final.zkey -> /dev/zero must not hang us). */
static void step_files(vctx *v) {
    static const char *const ALL[] = {"manifest.json", "attestation-1.cose", "attestation-2.cose", "circuit.r1cs",
                                      "circuit.tar", "drand.json", "final.zkey", "verification_key.json",
                                      NS_BUNDLE_VERIFIER_RUNTIME, NS_BUNDLE_VERIFIER_SOURCE, NS_BUNDLE_SIM_ROOT};
    int bad = 0;
    for (size_t i = 0; i < sizeof ALL / sizeof ALL[0]; i++) {
        char p[4200];
        struct stat st;
        path_of(p, sizeof p, v->dir, ALL[i]);
        if (lstat(p, &st) != 0) continue; /* missing files are reported by the checks that need them */
        if (!S_ISREG(st.st_mode)) {
            add(v, NS_CHECK_FAIL, "bundle files", "%s is %s, not a regular file", ALL[i],
                S_ISLNK(st.st_mode) ? "a symbolic link" : "a special file");
            bad = 1;
        }
    }
    v->unsafe = bad;
    if (!bad) add(v, NS_CHECK_PASS, "bundle files", "regular files, no links");
}

static void step_manifest(vctx *v) {
    ns_error e1;
    v->mtext = read_small(v, "manifest.json", &v->mlen, 1 << 20);
    if (v->mtext == NULL) {
        add(v, NS_CHECK_FAIL, "manifest", "manifest.json missing, not a regular file or larger than 1 MiB");
    } else if (ns_manifest_from_json(v->m, (const char *)v->mtext, v->mlen, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "manifest", "%s", e1.msg);
    } else {
        v->have_m = 1;
        add(v, NS_CHECK_PASS, "manifest", "canonical, format %s, tool %s",
            v->m->has_verifier ? NS_MANIFEST_FORMAT : NS_MANIFEST_FORMAT_2, v->m->tool_version);
    }
}

static const char *const REQUIRED[] = {"attestation-1.cose", "circuit.r1cs", "circuit.tar", "drand.json",
                                       "final.zkey", "verification_key.json"};

static void step_artifacts(vctx *v) {
    if (!v->have_m) return;
    ns_manifest *m = v->m;
    int bad = 0;
    for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
        if (ns_manifest_artifact(m, REQUIRED[i]) == NULL) {
            add(v, NS_CHECK_FAIL, "artifacts", "manifest does not list %s", REQUIRED[i]);
            bad = 1;
        }
    static const char *const REQUIRED_3[] = {NS_BUNDLE_VERIFIER_RUNTIME, NS_BUNDLE_VERIFIER_SOURCE};
    for (size_t i = 0; m->has_verifier && i < sizeof REQUIRED_3 / sizeof REQUIRED_3[0]; i++)
        if (ns_manifest_artifact(m, REQUIRED_3[i]) == NULL) {
            add(v, NS_CHECK_FAIL, "artifacts", "manifest does not list %s", REQUIRED_3[i]);
            bad = 1;
        }
    for (int i = 0; i < m->nart; i++) {
        char p[4200];
        uint8_t h[64];
        uint64_t sz = 0;
        ns_error e1;
        path_of(p, sizeof p, v->dir, m->art[i].name);
        int fd = open_safe(p, m->art[i].size, &sz);
        int hashed = fd >= 0 && ns_blake2b512_fd(h, fd, p, &sz, &e1) == 0;
        if (fd >= 0) close(fd);
        if (fd == -2) {
            add(v, NS_CHECK_FAIL, "artifact hash", "%s: not a regular file or larger than the manifest's %llu bytes",
                m->art[i].name, (unsigned long long)m->art[i].size);
            bad = 1;
        } else if (!hashed) {
            add(v, NS_CHECK_FAIL, "artifact hash", "%s: missing or unreadable", m->art[i].name);
            bad = 1;
        } else if (sz != m->art[i].size || memcmp(h, m->art[i].hash, 64) != 0) {
            add(v, NS_CHECK_FAIL, "artifact hash", "%s: %s differs from the manifest", m->art[i].name,
                sz != m->art[i].size ? "size" : "BLAKE2b-512");
            bad = 1;
        }
    }
    if (!bad) add(v, NS_CHECK_PASS, "artifact hashes", "%d artifacts match the manifest (size, BLAKE2b-512)", m->nart);
    /* circuit.tar and circuit.r1cs, as the later steps use them */
    const ns_artifact *t = ns_manifest_artifact(m, "circuit.tar"), *r = ns_manifest_artifact(m, "circuit.r1cs");
    if (!bad && t && r) {
        memcpy(v->h_tar, t->hash, 64);
        memcpy(v->h_r1cs, r->hash, 64);
        v->have_tar = v->have_r1cs = 1;
    }
}

static void step_simulated(vctx *v) {
    ns_manifest *m = v->m;
    v->root = read_small(v, NS_BUNDLE_SIM_ROOT, &v->root_len, 4096);
    int sim_drand = v->have_m && (m->simulated_drand || m->chain.simulated);
    v->rep->simulated = v->root != NULL || (v->have_m && (m->simulated_nsm || sim_drand));
    if (v->rep->simulated) {
        add(v, v->o->allow_simulated ? NS_CHECK_WARN : NS_CHECK_FAIL, "simulated",
            "SIMULATED bundle (%s%s): not evidence of a real Nitro Enclave ceremony%s",
            v->root != NULL || (v->have_m && m->simulated_nsm) ? "simulated NSM" : "real NSM",
            sim_drand ? ", simulated drand" : "",
            v->o->allow_simulated ? " (checked anyway: --allow-simulated)" : "; pass --allow-simulated to check it anyway");
    } else {
        add(v, NS_CHECK_PASS, "simulated", "no: AWS Nitro root and a real drand chain");
    }
    if (v->rep->simulated && v->root == NULL && v->have_m && m->simulated_nsm)
        add(v, NS_CHECK_FAIL, "simulated root", "%s missing", NS_BUNDLE_SIM_ROOT);
}

static void step_documents(vctx *v) {
    static const char *const DN[2] = {"attestation-1.cose", "attestation-2.cose"};
    for (int i = 0; i < 2; i++) {
        char cname[32];
        ns_error e1;
        snprintf(cname, sizeof cname, "attestation %d", i + 1);
        v->doc[i] = read_small(v, DN[i], &v->doc_len[i], 32768);
        if (v->doc[i] == NULL) {
            add(v, NS_CHECK_FAIL, cname, "%s missing or not a regular file", DN[i]);
            continue;
        }
        /* A simulated bundle chains to its own root only when the user
         * allowed simulation; otherwise it is checked against AWS's and fails. */
        const uint8_t *anchor = (v->rep->simulated && v->o->allow_simulated) ? v->root : NULL;
        size_t alen = anchor ? v->root_len : 0;
        if (v->e->doc_verify(v->e->ctx, &v->info[i], v->doc[i], v->doc_len[i], anchor, alen, &e1) != 0) {
            add(v, NS_CHECK_FAIL, cname, "%s", e1.msg);
            continue;
        }
        v->have_doc[i] = 1;
        if (v->info[i].debug) {
            add(v, NS_CHECK_FAIL, cname, "debug-mode enclave (PCR0 all zero)");
            continue;
        }
        add(v, NS_CHECK_PASS, cname, "signature and certificate chain valid at its timestamp %llu ms (%s root), not debug",
            (unsigned long long)v->info[i].timestamp_ms, anchor ? "simulated" : "AWS");
    }
    if (v->have_doc[0] && v->have_doc[1]) {
        ns_doc_info *a = &v->info[0], *b = &v->info[1];
        int same = a->pcr_present == b->pcr_present && memcmp(a->pcrs, b->pcrs, sizeof a->pcrs) == 0;
        add(v, same ? NS_CHECK_PASS : NS_CHECK_FAIL, "same PCRs",
            same ? "both documents carry the same PCRs" : "the two documents' PCRs differ");
        int same_mod = strcmp(a->module_id, b->module_id) == 0;
        add(v, same_mod ? NS_CHECK_PASS : NS_CHECK_FAIL, "same enclave",
            same_mod ? "both documents come from enclave %s" : "the documents come from two enclaves (%s, then another)",
            a->module_id);
        if (b->timestamp_ms < a->timestamp_ms)
            add(v, NS_CHECK_FAIL, "document order", "attestation 2 is older than attestation 1");
    }
}

/* The enclave image must be the one the user expects: PCR0, PCR1 and PCR2
 * equal to --pcr values or to a released image compiled in. */
static void step_image(vctx *v) {
    if (!v->have_doc[0]) return;
    const ns_doc_info *d = &v->info[0];
    char h0[97], h1[97], h2[97];
    ns_hex_encode(h0, d->pcrs[0], 48);
    ns_hex_encode(h1, d->pcrs[1], 48);
    ns_hex_encode(h2, d->pcrs[2], 48);
    memcpy(v->rep->pcr, d->pcrs, sizeof v->rep->pcr);
    v->rep->have_pcrs = (d->pcr_present & 7u) == 7u;
    add(v, NS_CHECK_PASS, "PCR0", "%s", h0);
    add(v, NS_CHECK_PASS, "PCR1", "%s", h1);
    add(v, NS_CHECK_PASS, "PCR2", "%s", h2);
    char detail[400];
    ns_check_status st = ns_verify_image(detail, sizeof detail, d, v->o, v->rep->simulated);
    add(v, st, "enclave image", "%s", detail);
}

ns_check_status ns_verify_image(char *detail, size_t cap, const ns_doc_info *d, const ns_verify_opts *o,
                                int simulated) {
    if ((d->pcr_present & 7u) != 7u) {
        snprintf(detail, cap, "attestation 1 lacks PCR0, PCR1 or PCR2");
        return NS_CHECK_FAIL;
    }
    if (o->pcr_mask != 0) {
        for (int k = 0; k < 32; k++) {
            if (!(o->pcr_mask & (1u << k))) continue;
            if (!(d->pcr_present & (1u << k)) || memcmp(d->pcrs[k], o->pcr[k], 48) != 0) {
                snprintf(detail, cap, "PCR%d is not the --pcr value given", k);
                return NS_CHECK_FAIL;
            }
        }
        snprintf(detail, cap, "PCR0, PCR1, PCR2 equal the --pcr values given");
        return NS_CHECK_PASS;
    }
    uint8_t p3[3][48];
    memcpy(p3, d->pcrs, sizeof p3);
    const ns_release_image *rel = ns_release_by_pcrs(p3);
    if (rel != NULL) {
        snprintf(detail, cap, "released image nitrosetup %s (%s)", rel->version, rel->arch);
        return NS_CHECK_PASS;
    }
    if (simulated) {
        snprintf(detail, cap, "not pinned: simulated NSM, its PCRs belong to no image");
        return o->allow_simulated ? NS_CHECK_WARN : NS_CHECK_FAIL;
    }
    snprintf(detail, cap,
             "not pinned: these PCRs are not a released image of this verifier; pass the measurements of the "
             "image you rebuilt with --pcr 0=... --pcr 1=... --pcr 2=...");
    return NS_CHECK_FAIL;
}

static void step_commitment(vctx *v) {
    if (!v->have_doc[0] || !v->have_m) return;
    ns_manifest *m = v->m;
    const ns_doc_info *d = &v->info[0];
    ns_error e1;
    if (d->nonce_len == 64 && memcmp(d->nonce, m->zkey1_hash, 64) == 0)
        add(v, NS_CHECK_PASS, "attestation 1 nonce", "= BLAKE2b-512 of 0001.zkey in the manifest");
    else
        add(v, NS_CHECK_FAIL, "attestation 1 nonce", "is not the manifest's 0001.zkey hash");
    ns_commitment cm;
    if (ns_commitment_decode(&cm, d->user_data, d->user_data_len, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "attestation 1 user_data", "%s", e1.msg);
    } else {
        const char *bad = NULL;
        if (!v->have_tar || memcmp(cm.cbundle, v->h_tar, 64) != 0) bad = "circuit.tar";
        else if (!v->have_r1cs || memcmp(cm.r1cs, v->h_r1cs, 64) != 0) bad = "circuit.r1cs";
        else if (memcmp(cm.ptau, m->ptau_hash, 64) != 0) bad = "ptau hash";
        else if (memcmp(cm.zkey0, m->zkey0_hash, 64) != 0) bad = "0000.zkey hash";
        else if (memcmp(cm.contrib, m->contribution_hash, 64) != 0) bad = "contribution hash";
        else if (memcmp(cm.chain, m->chain.hash, 32) != 0) bad = "drand chain hash";
        else if (cm.margin != m->margin) bad = "round margin";
        else if (memcmp(cm.circom, m->circom_hash, 64) != 0 || strcmp(cm.circom_version, m->circom_version) != 0)
            bad = "circom program";
        if (bad) add(v, NS_CHECK_FAIL, "attestation 1 user_data", "commitment differs from the bundle: %s", bad);
        else add(v, NS_CHECK_PASS, "attestation 1 user_data",
                 "commits to circuit.tar, circuit.r1cs, ptau, 0000.zkey, the contribution, the drand chain and margin, "
                 "and the compiler (%s)", cm.circom_version);
    }
    if (m->t1_ms != d->timestamp_ms)
        add(v, NS_CHECK_FAIL, "T1", "manifest t1_ms %llu differs from attestation 1's timestamp",
            (unsigned long long)m->t1_ms);
}

static void step_policy(vctx *v) {
    if (!v->have_m) return;
    ns_manifest *m = v->m;
    if (m->debug_mode) add(v, NS_CHECK_FAIL, "debug mode", "the manifest says the enclave ran in debug mode");
    const char *bad = NULL;
    if (m->margin != v->o->margin) bad = "drand margin";
    else if (m->beacon_exp != v->o->beacon_exp) bad = "beacon numIterationsExp";
    else if (!m->chain.simulated && v->o->chain_hash != NULL && memcmp(m->chain.hash, v->o->chain_hash, 32) != 0)
        bad = "drand chain";
    if (bad) add(v, NS_CHECK_FAIL, "policy", "%s is not the pinned value", bad);
    else add(v, NS_CHECK_PASS, "policy", "margin %u s, beacon exponent %d, drand chain %s", m->margin, m->beacon_exp,
             m->chain.name);
}

/* The ptau: the verifier decides anew (the manifest's word is not enough). */
static void step_ptau_trust(vctx *v) {
    if (!v->have_m) return;
    char name[128], hx[129];
    ns_hex_encode(hx, v->m->ptau_hash, 64);
    ns_ptau_trust t = ns_ptau_policy_check(name, sizeof name, v->m->ptau_hash, &v->o->pins);
    switch (t) {
    case NS_PTAU_HERMEZ: add(v, NS_CHECK_PASS, "ptau trust", "Hermez %s", name); break;
    case NS_PTAU_IMAGE_PIN: add(v, NS_CHECK_PASS, "ptau trust", "pinned in this build: %s", hx); break;
    case NS_PTAU_USER_PIN: add(v, NS_CHECK_PASS, "ptau trust", "pinned with --trust-ptau %s", hx); break;
    default:
        add(v, NS_CHECK_FAIL, "ptau trust",
            "ptau %s is not a Hermez file nor pinned: whoever knows its phase-1 secrets can forge proofs "
            "(pin it with --trust-ptau only if you trust its phase 1)", hx);
    }
}

static void step_drand(vctx *v) {
    size_t djlen = 0;
    ns_error e1;
    uint8_t *dj = read_small(v, "drand.json", &djlen, 64 << 10);
    if (dj == NULL) {
        add(v, NS_CHECK_FAIL, "drand", "drand.json missing or not a regular file");
        return;
    }
    json_t *jo = ns_json_parse_canonical((const char *)dj, djlen, "drand.json", &e1);
    if (jo == NULL || ns_beacon_from_json(&v->dchain, &v->b, jo, &e1) != 0) add(v, NS_CHECK_FAIL, "drand", "%s", e1.msg);
    else v->have_b = 1;
    json_decref(jo);
    free(dj);
    if (!v->have_b || !v->have_m) return;
    ns_manifest *m = v->m;
    if (memcmp(v->dchain.hash, m->chain.hash, 32) != 0 || v->dchain.genesis_time != m->chain.genesis_time ||
        v->dchain.period != m->chain.period)
        add(v, NS_CHECK_FAIL, "drand chain", "drand.json's chain differs from the manifest's");
    if (v->have_doc[0]) {
        uint64_t want = 0;
        int64_t due = 0;
        if (ns_chain_commit_round(&want, &due, &m->chain, v->info[0].timestamp_ms / 1000, m->margin, &e1) != 0)
            add(v, NS_CHECK_FAIL, "drand round", "%s", e1.msg);
        else if (v->b.round == want && m->round == want)
            add(v, NS_CHECK_PASS, "drand round", "%llu = first round strictly after T1 + %u s",
                (unsigned long long)want, m->margin);
        else
            add(v, NS_CHECK_FAIL, "drand round", "bundle has round %llu, T1 + margin requires %llu",
                (unsigned long long)v->b.round, (unsigned long long)want);
        /* attestation 2 cannot predate the round it applied */
        if (v->have_doc[1] && (int64_t)(v->info[1].timestamp_ms / 1000) < due)
            add(v, NS_CHECK_FAIL, "attestation 2 time", "attestation 2 (%llu ms) is older than drand round %llu (%lld s)",
                (unsigned long long)v->info[1].timestamp_ms, (unsigned long long)want, (long long)due);
        else if (v->have_doc[1])
            add(v, NS_CHECK_PASS, "attestation 2 time", "after the drand round's time");
    }
    if (v->e->drand_verify(v->e->ctx, &m->chain, &v->b, &e1) != 0)
        add(v, NS_CHECK_FAIL, "drand signature", "%s", e1.msg);
    else if (memcmp(v->b.randomness, m->randomness, 32) != 0)
        add(v, NS_CHECK_FAIL, "drand signature", "manifest randomness differs from drand.json");
    else
        add(v, NS_CHECK_PASS, "drand signature", "round %llu verified on chain %s", (unsigned long long)v->b.round,
            m->chain.name);
}

static void step_zkey_chain(vctx *v) {
    if (v->unsafe) return;
    char pz[4200];
    ns_error e1;
    path_of(pz, sizeof pz, v->dir, "final.zkey");
    if (v->have_b) {
        uint8_t bh[255];
        size_t bl = 0;
        int bexp = 0;
        if (v->e->zkey_last_beacon(v->e->ctx, bh, &bl, &bexp, pz, &e1) != 0)
            add(v, NS_CHECK_FAIL, "beacon parameters", "%s", e1.msg);
        else if (bl != 32 || memcmp(bh, v->b.randomness, 32) != 0)
            add(v, NS_CHECK_FAIL, "beacon parameters", "final.zkey's beacon hash is not the drand randomness");
        else if (bexp != v->o->beacon_exp)
            add(v, NS_CHECK_FAIL, "beacon parameters", "numIterationsExp is %d, expected %d", bexp, v->o->beacon_exp);
        else
            add(v, NS_CHECK_PASS, "beacon parameters", "hash = round randomness, numIterationsExp = %d", bexp);
    }
    if (!v->have_m) return;
    uint8_t(*hs)[64] = malloc(64 * 64);
    int types[64], n = 0;
    if (hs == NULL) {
        add(v, NS_CHECK_FAIL, "contributions", "out of memory");
    } else if (v->e->zkey_contributions(v->e->ctx, hs, types, 64, &n, pz, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "contributions", "%s", e1.msg);
    } else if (n < 2 || types[n - 2] != 0 || types[n - 1] != 1 || memcmp(hs[n - 2], v->m->contribution_hash, 64) != 0 ||
               memcmp(hs[n - 1], v->m->beacon_contribution_hash, 64) != 0) {
        add(v, NS_CHECK_FAIL, "contributions",
            "final.zkey's last two contributions are not the manifest's enclave contribution and beacon");
    } else {
        add(v, NS_CHECK_PASS, "contributions", "%d contribution(s); the last two are the enclave's and the beacon", n);
    }
    free(hs);
}

static void step_zkey_verify(vctx *v) {
    char pz[4200], pr[4200];
    ns_error e1;
    path_of(pz, sizeof pz, v->dir, "final.zkey");
    path_of(pr, sizeof pr, v->dir, "circuit.r1cs");
    if (v->o->ptau == NULL) {
        add(v, NS_CHECK_SKIP, "zkey verify", "not checked: pass --ptau FILE (%s)", v->have_m ? v->m->ptau_name : "?");
        return;
    }
    if (v->unsafe) {
        add(v, NS_CHECK_SKIP, "zkey verify", "not checked: the bundle holds links or special files");
        return;
    }
    uint8_t hp[64];
    if (ns_blake2b512_file(hp, v->o->ptau, NULL, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "ptau", "%s", e1.msg);
    } else if (v->have_m && memcmp(hp, v->m->ptau_hash, 64) != 0) {
        add(v, NS_CHECK_FAIL, "ptau", "%s is not the ptau of this ceremony", v->o->ptau);
    } else if (v->e->zkey_verify(v->e->ctx, pz, pr, v->o->ptau, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "zkey verify", "%s", e1.msg);
    } else {
        add(v, NS_CHECK_PASS, "zkey verify", "final.zkey is a valid phase-2 key for circuit.r1cs and the ptau");
    }
}

/* A scratch directory for the steps that write; NULL (and a FAIL naming
 * the check) when there is none. */
static const char *scratch(vctx *v, const char *check) {
    if (v->o->workdir == NULL) {
        add(v, NS_CHECK_FAIL, check, "not checked: no scratch directory could be made (set TMPDIR to a writable directory)");
        return NULL;
    }
    return v->o->workdir;
}

static void step_circuit(vctx *v) {
    char pt[4200];
    ns_error e1;
    path_of(pt, sizeof pt, v->dir, "circuit.tar");
    if (v->have_tar && !v->unsafe) {
        ns_cbundle_info ci;
        if (ns_cbundle_extract(pt, NULL, &ci, &e1) != 0) add(v, NS_CHECK_FAIL, "circuit bundle", "%s", e1.msg);
        else add(v, NS_CHECK_PASS, "circuit bundle", "%s, %d files, manifest hashes and includes check", ci.main, ci.nfiles);
    }
    if (v->o->circuit != NULL) {
        const char *w = scratch(v, "circuit source");
        char tar[4200];
        uint8_t h[64];
        ns_cbundle_info ci;
        if (w == NULL) return;
        snprintf(tar, sizeof tar, "%s/circuit-rebuilt.tar", w);
        if (ns_cbundle_create(tar, v->o->circuit, v->o->libdirs, v->o->nlibs, &ci, &e1) != 0 ||
            ns_blake2b512_file(h, tar, NULL, &e1) != 0)
            add(v, NS_CHECK_FAIL, "circuit source", "%s", e1.msg);
        else if (!v->have_tar || memcmp(h, v->h_tar, 64) != 0)
            add(v, NS_CHECK_FAIL, "circuit source",
                "%s (and its %d files) packs to a circuit.tar that differs from the bundle's", v->o->circuit, ci.nfiles);
        else
            add(v, NS_CHECK_PASS, "circuit source", "%s and its %d files pack to exactly the bundle's circuit.tar",
                v->o->circuit, ci.nfiles);
        unlink(tar);
    }
    if (v->o->recompile) {
        const char *w = scratch(v, "recompile");
        char sub[4200], r1cs[4200];
        uint8_t h[64];
        if (w == NULL) return;
        snprintf(sub, sizeof sub, "%s/recompile", w);
        if (mkdir(sub, 0755) != 0) {
            add(v, NS_CHECK_FAIL, "recompile", "%s: %s", sub, strerror(errno));
            return;
        }
        if (v->unsafe || !v->have_tar) add(v, NS_CHECK_FAIL, "recompile", "no usable circuit.tar");
        else if (ns_cbundle_compile(r1cs, sizeof r1cs, pt, sub, v->o->circom_cmd, &e1) != 0 ||
                 ns_blake2b512_file(h, r1cs, NULL, &e1) != 0)
            add(v, NS_CHECK_FAIL, "recompile", "%s", e1.msg);
        else if (memcmp(h, v->h_r1cs, 64) != 0)
            add(v, NS_CHECK_FAIL, "recompile", "circom (%s) compiles circuit.tar to another r1cs than circuit.r1cs "
                "(the enclave ran %s)", v->o->circom_cmd, v->have_m ? v->m->circom_version : "?");
        else
            add(v, NS_CHECK_PASS, "recompile", "circuit.tar compiles to exactly circuit.r1cs");
        ns_rmtree(sub);
    }
}

static void step_vk(vctx *v) {
    if (!v->have_m) return;
    const char *w = scratch(v, "verification key");
    if (w == NULL) return;
    char vk[4200], pv[4200], pz[4200];
    uint8_t h1[64], h2[64];
    ns_error e1;
    snprintf(vk, sizeof vk, "%s/vk.json", w);
    path_of(pv, sizeof pv, v->dir, "verification_key.json");
    path_of(pz, sizeof pz, v->dir, "final.zkey");
    if (v->unsafe) {
        add(v, NS_CHECK_FAIL, "verification key", "not checked: the bundle holds links or special files");
    } else if (v->e->export_vk(v->e->ctx, vk, pz, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "verification key", "%s", e1.msg);
    } else if (ns_blake2b512_file(h1, vk, NULL, &e1) || ns_blake2b512_file(h2, pv, NULL, &e1) || memcmp(h1, h2, 64) != 0 ||
               memcmp(h2, v->m->vk_hash, 64) != 0) {
        add(v, NS_CHECK_FAIL, "verification key", "verification_key.json is not final.zkey's");
    } else {
        add(v, NS_CHECK_PASS, "verification key", "verification_key.json = export of final.zkey");
    }
    unlink(vk);
}

/* Equal contents of two files (compared by BLAKE2b-512). */
static int same_file(const char *a, const char *b) {
    uint8_t ha[64], hb[64];
    ns_error e1;
    return ns_blake2b512_file(ha, a, NULL, &e1) == 0 && ns_blake2b512_file(hb, b, NULL, &e1) == 0 &&
           memcmp(ha, hb, 64) == 0;
}

/* Format 3: verifier.runtime.bin is the on-chain verifier rebuilt from
 * final.zkey, with the manifest's Keccak-256 and size (docs/onchain.md), and
 * Groth16Verifier.sol its source.  Format 2 bundles have neither. */
static void step_verifier(vctx *v) {
    if (!v->have_m || !v->m->has_verifier) return;
    const char *w = scratch(v, "verifier code");
    if (w == NULL) return;
    char rt[4200], src[4200], pr[4200], ps[4200], pz[4200];
    uint8_t k[32];
    uint64_t size = 0;
    ns_error e1;
    snprintf(rt, sizeof rt, "%s/verifier.runtime.bin", w);
    snprintf(src, sizeof src, "%s/verifier.sol", w);
    path_of(pr, sizeof pr, v->dir, NS_BUNDLE_VERIFIER_RUNTIME);
    path_of(ps, sizeof ps, v->dir, NS_BUNDLE_VERIFIER_SOURCE);
    path_of(pz, sizeof pz, v->dir, "final.zkey");
    if (v->unsafe) {
        add(v, NS_CHECK_FAIL, "verifier code", "not checked: the bundle holds links or special files");
    } else if (v->e->export_verifier(v->e->ctx, k, &size, rt, src, pz, &e1) != 0) {
        add(v, NS_CHECK_FAIL, "verifier code", "%s", e1.msg);
    } else if (memcmp(k, v->m->verifier_keccak, 32) != 0 || size != v->m->verifier_size) {
        add(v, NS_CHECK_FAIL, "verifier code", "the verifier rebuilt from final.zkey is not the one the manifest names");
    } else if (!same_file(rt, pr)) {
        add(v, NS_CHECK_FAIL, "verifier code", "%s is not the verifier rebuilt from final.zkey", NS_BUNDLE_VERIFIER_RUNTIME);
    } else if (!same_file(src, ps)) {
        add(v, NS_CHECK_FAIL, "verifier code", "%s is not this verifier's source", NS_BUNDLE_VERIFIER_SOURCE);
    } else {
        char kh[65];
        ns_hex_encode(kh, k, 32);
        add(v, NS_CHECK_PASS, "verifier code",
            "%s = the verifier rebuilt from final.zkey, %llu bytes, keccak256 0x%s (the EXTCODEHASH of a deployed copy)",
            NS_BUNDLE_VERIFIER_RUNTIME, (unsigned long long)size, kh);
    }
    unlink(rt);
    unlink(src);
}

/* --rpc URL --address 0x...: the code deployed there (eth_getCode) has the
 * manifest's Keccak-256, i.e. it is this ceremony's verifier. */
typedef struct {
    char *p;
    size_t n, cap;
} rpc_body;

static int rpc_sink(void *ctx, const void *d, size_t n) {
    rpc_body *b = ctx;
    if (n > b->cap - b->n) return -1; /* more than any code's hex */
    memcpy(b->p + b->n, d, n);
    b->n += n;
    return 0;
}

static void step_deployed(vctx *v) {
    if (v->o->rpc_url == NULL) return;
    const char *name = "deployed verifier";
    char addr[41];
    ns_hex_encode(addr, v->o->address, 20);
    if (!v->have_m || !v->m->has_verifier) {
        add(v, NS_CHECK_FAIL, name, "the bundle names no verifier code (format %s)", NS_MANIFEST_FORMAT_2);
        return;
    }
    char req[160];
    snprintf(req, sizeof req, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_getCode\",\"params\":[\"0x%s\",\"latest\"]}",
             addr);
    rpc_body b = {malloc(40u << 20), 0, (40u << 20) - 1}; /* hex of up to 2^24 bytes of code */
    ns_error e1;
    ns_http *h = b.p ? ns_http_open(&e1) : NULL;
    long status = 0;
    ns_http_request r = {.timeout_ms = 60000, .sink = rpc_sink, .sink_ctx = &b};
    if (b.p == NULL) {
        add(v, NS_CHECK_FAIL, name, "out of memory");
    } else if (h == NULL || ns_http_post(h, v->o->rpc_url, "application/json", req, strlen(req), &r, &status, &e1) != 0) {
        add(v, NS_CHECK_FAIL, name, "%s: %s", v->o->rpc_url, h ? e1.msg : "cannot start an HTTP client");
    } else if (status != 200) {
        add(v, NS_CHECK_FAIL, name, "%s: HTTP status %ld", v->o->rpc_url, status);
    } else {
        b.p[b.n] = 0;
        json_error_t je;
        json_t *o = json_loadb(b.p, b.n, 0, &je);
        const char *hex = json_string_value(json_object_get(o, "result"));
        size_t hl = hex ? strlen(hex) : 0;
        uint8_t *code = hl >= 2 ? malloc(hl / 2 + 1) : NULL;
        long n = -1;
        if (code && hex[0] == '0' && hex[1] == 'x') n = hl == 2 ? 0 : ns_hex_decode(code, hl / 2, hex + 2);
        if (n < 0) {
            add(v, NS_CHECK_FAIL, name, "%s: no eth_getCode result for 0x%s", v->o->rpc_url, addr);
        } else if (n == 0) {
            add(v, NS_CHECK_FAIL, name, "no contract at 0x%s (%s)", addr, v->o->rpc_url);
        } else {
            uint8_t k[32];
            char kh[65];
            ns_keccak256(k, code, (size_t)n);
            ns_hex_encode(kh, k, 32);
            if (memcmp(k, v->m->verifier_keccak, 32) != 0)
                add(v, NS_CHECK_FAIL, name, "0x%s holds other code (%ld bytes, keccak256 0x%s): not this ceremony's verifier",
                    addr, n, kh);
            else
                add(v, NS_CHECK_PASS, name, "0x%s holds this ceremony's verifier (keccak256 0x%s = the manifest's)", addr,
                    kh);
        }
        free(code);
        json_decref(o);
    }
    if (h) ns_http_close(h);
    free(b.p);
}

static void step_manifest_bound(vctx *v) {
    if (!v->have_doc[1] || v->mtext == NULL) return;
    uint8_t mh[64];
    ns_blake2b512(mh, v->mtext, v->mlen);
    if (v->info[1].nonce_len == 64 && memcmp(v->info[1].nonce, mh, 64) == 0)
        add(v, NS_CHECK_PASS, "attestation 2 nonce", "= BLAKE2b-512 of manifest.json");
    else
        add(v, NS_CHECK_FAIL, "attestation 2 nonce", "is not the BLAKE2b-512 of manifest.json");
}

static const struct {
    const char *name;
    void (*run)(vctx *v);
} STEPS[] = {
    {"bundle files", step_files},
    {"manifest", step_manifest},
    {"artifacts", step_artifacts},
    {"simulated", step_simulated},
    {"attestation documents", step_documents},
    {"enclave image", step_image},
    {"commitment", step_commitment},
    {"policy", step_policy},
    {"ptau trust", step_ptau_trust},
    {"drand", step_drand},
    {"final key's contributions", step_zkey_chain},
    {"zkey verify", step_zkey_verify},
    {"circuit", step_circuit},
    {"verification key", step_vk},
    {"verifier code", step_verifier},
    {"deployed verifier", step_deployed},
    {"manifest binding", step_manifest_bound},
};

int ns_bundle_verify(ns_verify_report *rep, const char *dir, const ns_verify_opts *o, ns_error *err) {
    memset(rep, 0, sizeof *rep);
    vctx v;
    memset(&v, 0, sizeof v);
    v.rep = rep;
    v.o = o;
    v.e = o->eng;
    v.dir = dir;
    v.m = calloc(1, sizeof *v.m);
    if (v.m == NULL) return ns_error_set(err, "out of memory");
    for (size_t i = 0; i < sizeof STEPS / sizeof STEPS[0]; i++) STEPS[i].run(&v);
    rep->ok = 1;
    for (int i = 0; i < rep->n; i++) {
        if (rep->c[i].status == NS_CHECK_FAIL || rep->c[i].status == NS_CHECK_SKIP) rep->ok = 0;
        if (rep->c[i].status == NS_CHECK_WARN) rep->nwarn++;
    }
    rep->trusted = rep->ok && rep->nwarn == 0 && !rep->simulated;
    ns_doc_info_free(&v.info[0]);
    ns_doc_info_free(&v.info[1]);
    free(v.m);
    free(v.mtext);
    free(v.doc[0]);
    free(v.doc[1]);
    free(v.root);
    return 0;
}
