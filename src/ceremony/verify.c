#include "ceremony/verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ceremony/bundle.h"
#include "ceremony/cbundle.h"
#include "ceremony/commit.h"
#include "ceremony/manifest.h"
#include "util/hash.h"
#include "util/hex.h"

static void add(ns_verify_report *r, ns_check_status st, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(ns_verify_report *r, ns_check_status st, const char *name, const char *fmt, ...) {
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

static uint8_t *read_all(const char *path, size_t *n, size_t max) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    uint8_t *b = malloc(max + 1);
    size_t k = b ? fread(b, 1, max + 1, f) : 0;
    fclose(f);
    if (b == NULL || k > max) {
        free(b);
        return NULL;
    }
    *n = k;
    return b;
}

static const char *const REQUIRED[] = {"attestation-1.cose", "circuit.r1cs", "circuit.tar", "drand.json",
                                       "final.zkey", "verification_key.json"};

int ns_bundle_verify(ns_verify_report *rep, const char *dir, const ns_verify_opts *o, ns_error *err) {
    const ns_engine *e = o->eng;
    memset(rep, 0, sizeof *rep);
    char p[4200], hx[260];
    ns_manifest *m = calloc(1, sizeof *m);
    uint8_t *mtext = NULL, *doc[2] = {NULL, NULL}, *root = NULL, *dj = NULL;
    size_t mlen = 0, doc_len[2] = {0, 0}, root_len = 0, djlen = 0;
    ns_doc_info info[2];
    memset(info, 0, sizeof info);
    int have_doc[2] = {0, 0}, have_m = 0;
    if (m == NULL) return ns_error_set(err, "out of memory");

    /* 1. manifest */
    path_of(p, sizeof p, dir, "manifest.json");
    mtext = read_all(p, &mlen, 1 << 20);
    ns_error e1;
    if (mtext == NULL) {
        add(rep, NS_CHECK_FAIL, "manifest", "manifest.json missing or larger than 1 MiB");
    } else if (ns_manifest_from_json(m, (const char *)mtext, mlen, &e1) != 0) {
        add(rep, NS_CHECK_FAIL, "manifest", "%s", e1.msg);
    } else {
        have_m = 1;
        add(rep, NS_CHECK_PASS, "manifest", "canonical, format %s, tool %s", NS_MANIFEST_FORMAT, m->tool_version);
    }

    /* 2. artifacts and their hashes */
    if (have_m) {
        int bad = 0;
        for (size_t i = 0; i < sizeof REQUIRED / sizeof REQUIRED[0]; i++)
            if (ns_manifest_artifact(m, REQUIRED[i]) == NULL) {
                add(rep, NS_CHECK_FAIL, "artifacts", "manifest does not list %s", REQUIRED[i]);
                bad = 1;
            }
        for (int i = 0; i < m->nart; i++) {
            uint8_t h[64];
            uint64_t sz;
            path_of(p, sizeof p, dir, m->art[i].name);
            if (ns_blake2b512_file(h, p, &sz, &e1) != 0) {
                add(rep, NS_CHECK_FAIL, "artifact hash", "%s: missing or unreadable", m->art[i].name);
                bad = 1;
            } else if (sz != m->art[i].size || memcmp(h, m->art[i].hash, 64) != 0) {
                add(rep, NS_CHECK_FAIL, "artifact hash", "%s: %s differs from the manifest", m->art[i].name,
                    sz != m->art[i].size ? "size" : "BLAKE2b-512");
                bad = 1;
            }
        }
        if (!bad) add(rep, NS_CHECK_PASS, "artifact hashes", "%d artifacts match the manifest (size, BLAKE2b-512)", m->nart);
    }

    /* 3. simulation */
    path_of(p, sizeof p, dir, NS_BUNDLE_SIM_ROOT);
    root = read_all(p, &root_len, 4096);
    rep->simulated = root != NULL || (have_m && (m->simulated_nsm || m->simulated_drand || m->chain.simulated));
    if (rep->simulated) {
        add(rep, o->allow_simulated ? NS_CHECK_WARN : NS_CHECK_FAIL, "simulated",
            "SIMULATED bundle (%s%s%s): not evidence of a real Nitro Enclave ceremony%s",
            root != NULL || (have_m && m->simulated_nsm) ? "simulated NSM" : "",
            have_m && (m->simulated_drand || m->chain.simulated) ? ", simulated drand" : "",
            "", o->allow_simulated ? " (accepted: --allow-simulated)" : "; pass --allow-simulated to check it anyway");
    } else {
        add(rep, NS_CHECK_PASS, "simulated", "no: AWS Nitro root and a real drand chain");
    }
    if (rep->simulated && root == NULL && have_m && m->simulated_nsm)
        add(rep, NS_CHECK_FAIL, "simulated root", "%s missing", NS_BUNDLE_SIM_ROOT);

    /* 4-5. attestation documents */
    const char *dn[2] = {"attestation-1.cose", "attestation-2.cose"};
    for (int i = 0; i < 2; i++) {
        char cname[32];
        snprintf(cname, sizeof cname, "attestation %d", i + 1);
        path_of(p, sizeof p, dir, dn[i]);
        doc[i] = read_all(p, &doc_len[i], 32768);
        if (doc[i] == NULL) {
            add(rep, NS_CHECK_FAIL, cname, "%s missing", dn[i]);
            continue;
        }
        const uint8_t *anchor = (rep->simulated && o->allow_simulated) ? root : NULL;
        size_t alen = anchor ? root_len : 0;
        if (rep->simulated && !o->allow_simulated) {
            /* Still verify against the AWS root: fails, with the reason. */
            anchor = NULL;
        }
        if (e->doc_verify(e->ctx, &info[i], doc[i], doc_len[i], anchor, alen, &e1) != 0) {
            add(rep, NS_CHECK_FAIL, cname, "%s", e1.msg);
            continue;
        }
        have_doc[i] = 1;
        if (info[i].debug) {
            add(rep, NS_CHECK_FAIL, cname, "debug-mode enclave (PCR0 all zero)");
            continue;
        }
        add(rep, NS_CHECK_PASS, cname, "signature and certificate chain valid at its timestamp %llu ms (%s root), not debug",
            (unsigned long long)info[i].timestamp_ms, anchor ? "simulated" : "AWS");
    }
    if (have_doc[0] && have_doc[1]) {
        int same = info[0].pcr_present == info[1].pcr_present &&
                   memcmp(info[0].pcrs, info[1].pcrs, sizeof info[0].pcrs) == 0;
        add(rep, same ? NS_CHECK_PASS : NS_CHECK_FAIL, "same PCRs",
            same ? "both documents carry the same PCRs" : "the two documents' PCRs differ");
        if (info[1].timestamp_ms < info[0].timestamp_ms)
            add(rep, NS_CHECK_FAIL, "document order", "attestation 2 is older than attestation 1");
    }
    if (o->pcr_mask != 0 && have_doc[0]) {
        int okp = 1;
        for (int k = 0; k < 32; k++) {
            if (!(o->pcr_mask & (1u << k))) continue;
            if (!(info[0].pcr_present & (1u << k)) || memcmp(info[0].pcrs[k], o->pcr[k], 48) != 0) {
                ns_hex_encode(hx, info[0].pcrs[k], 48);
                add(rep, NS_CHECK_FAIL, "expected PCRs", "PCR%d is %s, not the expected value", k, hx);
                okp = 0;
            }
        }
        if (okp) add(rep, NS_CHECK_PASS, "expected PCRs", "every --pcr value matches");
    } else if (have_doc[0] && !rep->simulated) {
        add(rep, NS_CHECK_WARN, "expected PCRs", "no --pcr given: the enclave image is not pinned");
    }

    /* 6. attestation 1: nonce and user_data */
    uint8_t h_tar[64], h_r1cs[64];
    char pt[4200], pr[4200];
    path_of(pt, sizeof pt, dir, "circuit.tar");
    path_of(pr, sizeof pr, dir, "circuit.r1cs");
    int have_tar = ns_blake2b512_file(h_tar, pt, NULL, &e1) == 0;
    int have_r1cs = ns_blake2b512_file(h_r1cs, pr, NULL, &e1) == 0;
    if (have_doc[0] && have_m) {
        if (info[0].nonce_len == 64 && memcmp(info[0].nonce, m->zkey1_hash, 64) == 0)
            add(rep, NS_CHECK_PASS, "attestation 1 nonce", "= BLAKE2b-512 of 0001.zkey in the manifest");
        else
            add(rep, NS_CHECK_FAIL, "attestation 1 nonce", "is not the manifest's 0001.zkey hash");
        ns_commitment cm;
        if (ns_commitment_decode(&cm, info[0].user_data, info[0].user_data_len, &e1) != 0) {
            add(rep, NS_CHECK_FAIL, "attestation 1 user_data", "%s", e1.msg);
        } else {
            const char *bad = NULL;
            if (!have_tar || memcmp(cm.cbundle, h_tar, 64) != 0) bad = "circuit.tar";
            else if (!have_r1cs || memcmp(cm.r1cs, h_r1cs, 64) != 0) bad = "circuit.r1cs";
            else if (memcmp(cm.ptau, m->ptau_hash, 64) != 0) bad = "ptau hash";
            else if (memcmp(cm.zkey0, m->zkey0_hash, 64) != 0) bad = "0000.zkey hash";
            else if (memcmp(cm.contrib, m->contribution_hash, 64) != 0) bad = "contribution hash";
            else if (memcmp(cm.chain, m->chain.hash, 32) != 0) bad = "drand chain hash";
            else if (cm.margin != m->margin) bad = "round margin";
            if (bad) add(rep, NS_CHECK_FAIL, "attestation 1 user_data", "commitment differs from the bundle: %s", bad);
            else add(rep, NS_CHECK_PASS, "attestation 1 user_data",
                     "commits to circuit.tar, circuit.r1cs, ptau, 0000.zkey, the contribution, the drand chain and margin");
        }
        if (m->t1_ms != info[0].timestamp_ms)
            add(rep, NS_CHECK_FAIL, "T1", "manifest t1_ms %llu differs from attestation 1's timestamp",
                (unsigned long long)m->t1_ms);
    }

    /* 7. policy */
    if (have_m && m->debug_mode)
        add(rep, NS_CHECK_FAIL, "debug mode", "the manifest says the enclave ran in debug mode");
    if (have_m) {
        const char *bad = NULL;
        if (m->margin != o->margin) bad = "drand margin";
        else if (m->beacon_exp != o->beacon_exp) bad = "beacon numIterationsExp";
        else if (!m->chain.simulated && o->chain_hash != NULL && memcmp(m->chain.hash, o->chain_hash, 32) != 0)
            bad = "drand chain";
        if (bad) add(rep, NS_CHECK_FAIL, "policy", "%s is not the pinned value", bad);
        else add(rep, NS_CHECK_PASS, "policy", "margin %u s, beacon exponent %d, drand chain %s", m->margin,
                 m->beacon_exp, m->chain.name);
    }

    /* 8-9. drand round and signature */
    ns_chain_ref dchain;
    ns_beacon b;
    int have_b = 0;
    path_of(p, sizeof p, dir, "drand.json");
    dj = read_all(p, &djlen, 64 << 10);
    if (dj == NULL) {
        add(rep, NS_CHECK_FAIL, "drand", "drand.json missing");
    } else {
        json_t *jo = ns_json_parse_canonical((const char *)dj, djlen, "drand.json", &e1);
        if (jo == NULL || ns_beacon_from_json(&dchain, &b, jo, &e1) != 0) {
            add(rep, NS_CHECK_FAIL, "drand", "%s", e1.msg);
        } else {
            have_b = 1;
        }
        json_decref(jo);
    }
    if (have_b && have_m) {
        if (memcmp(dchain.hash, m->chain.hash, 32) != 0 || dchain.genesis_time != m->chain.genesis_time ||
            dchain.period != m->chain.period)
            add(rep, NS_CHECK_FAIL, "drand chain", "drand.json's chain differs from the manifest's");
        if (have_doc[0]) {
            uint64_t want = ns_chain_next_round(&m->chain, info[0].timestamp_ms / 1000 + m->margin);
            if (b.round == want && m->round == want)
                add(rep, NS_CHECK_PASS, "drand round", "%llu = first round strictly after T1 + %u s",
                    (unsigned long long)want, m->margin);
            else
                add(rep, NS_CHECK_FAIL, "drand round", "bundle has round %llu, T1 + margin requires %llu",
                    (unsigned long long)b.round, (unsigned long long)want);
        }
        if (e->drand_verify(e->ctx, &m->chain, &b, &e1) != 0)
            add(rep, NS_CHECK_FAIL, "drand signature", "%s", e1.msg);
        else if (memcmp(b.randomness, m->randomness, 32) != 0)
            add(rep, NS_CHECK_FAIL, "drand signature", "manifest randomness differs from drand.json");
        else
            add(rep, NS_CHECK_PASS, "drand signature", "round %llu verified on chain %s", (unsigned long long)b.round,
                m->chain.name);
    }

    /* 10. the final key's beacon and contributions */
    char pz[4200];
    path_of(pz, sizeof pz, dir, "final.zkey");
    if (have_b) {
        uint8_t bh[255];
        size_t bl = 0;
        int bexp = 0;
        if (e->zkey_last_beacon(e->ctx, bh, &bl, &bexp, pz, &e1) != 0)
            add(rep, NS_CHECK_FAIL, "beacon parameters", "%s", e1.msg);
        else if (bl != 32 || memcmp(bh, b.randomness, 32) != 0)
            add(rep, NS_CHECK_FAIL, "beacon parameters", "final.zkey's beacon hash is not the drand randomness");
        else if (bexp != o->beacon_exp)
            add(rep, NS_CHECK_FAIL, "beacon parameters", "numIterationsExp is %d, expected %d", bexp, o->beacon_exp);
        else
            add(rep, NS_CHECK_PASS, "beacon parameters", "hash = round randomness, numIterationsExp = %d", bexp);
    }
    if (have_m) {
        uint8_t hs[64][64];
        int types[64], n = 0;
        if (e->zkey_contributions(e->ctx, hs, types, 64, &n, pz, &e1) != 0) {
            add(rep, NS_CHECK_FAIL, "contributions", "%s", e1.msg);
        } else if (n < 2 || types[n - 2] != 0 || types[n - 1] != 1 ||
                   memcmp(hs[n - 2], m->contribution_hash, 64) != 0 ||
                   memcmp(hs[n - 1], m->beacon_contribution_hash, 64) != 0) {
            add(rep, NS_CHECK_FAIL, "contributions", "final.zkey's last two contributions are not the manifest's enclave contribution and beacon");
        } else {
            add(rep, NS_CHECK_PASS, "contributions", "%d contribution(s); the last two are the enclave's and the beacon", n);
        }
    }

    /* 11. the zkey against r1cs + ptau */
    if (o->ptau == NULL) {
        add(rep, NS_CHECK_SKIP, "zkey verify", "not checked: pass --ptau FILE (%s)", have_m ? m->ptau_name : "?");
    } else {
        uint8_t hp[64];
        if (ns_blake2b512_file(hp, o->ptau, NULL, &e1) != 0) {
            add(rep, NS_CHECK_FAIL, "ptau", "%s", e1.msg);
        } else if (have_m && memcmp(hp, m->ptau_hash, 64) != 0) {
            add(rep, NS_CHECK_FAIL, "ptau", "%s is not the ptau of this ceremony", o->ptau);
        } else {
            if (have_m) add(rep, strcmp(m->ptau_name, "custom") == 0 ? NS_CHECK_WARN : NS_CHECK_PASS, "ptau",
                            strcmp(m->ptau_name, "custom") == 0 ? "custom ptau (not a Hermez file): trust it yourself"
                                                                : "Hermez %s", m->ptau_name);
            if (e->zkey_verify(e->ctx, pz, pr, o->ptau, &e1) != 0)
                add(rep, NS_CHECK_FAIL, "zkey verify", "%s", e1.msg);
            else
                add(rep, NS_CHECK_PASS, "zkey verify", "final.zkey is a valid phase-2 key for circuit.r1cs and the ptau");
        }
    }
    if (have_m && o->ptau == NULL && strcmp(m->ptau_name, "custom") == 0)
        add(rep, NS_CHECK_WARN, "ptau", "custom ptau (not a Hermez file)");

    /* 12. circuit bundle, verification key */
    if (have_tar) {
        ns_cbundle_info ci;
        if (ns_cbundle_extract(pt, NULL, &ci, &e1) != 0) add(rep, NS_CHECK_FAIL, "circuit bundle", "%s", e1.msg);
        else add(rep, NS_CHECK_PASS, "circuit bundle", "%s, %d files, manifest hashes match", ci.main, ci.nfiles);
    }
    if (have_m && o->workdir != NULL) {
        char vk[4200], pv[4200];
        snprintf(vk, sizeof vk, "%s/vk-%d.json", o->workdir, (int)getpid());
        path_of(pv, sizeof pv, dir, "verification_key.json");
        uint8_t h1[64], h2[64];
        if (e->export_vk(e->ctx, vk, pz, &e1) != 0) {
            add(rep, NS_CHECK_FAIL, "verification key", "%s", e1.msg);
        } else if (ns_blake2b512_file(h1, vk, NULL, &e1) || ns_blake2b512_file(h2, pv, NULL, &e1) ||
                   memcmp(h1, h2, 64) != 0 || memcmp(h2, m->vk_hash, 64) != 0) {
            add(rep, NS_CHECK_FAIL, "verification key", "verification_key.json is not final.zkey's");
        } else {
            add(rep, NS_CHECK_PASS, "verification key", "verification_key.json = export of final.zkey");
        }
        unlink(vk);
    }

    /* 13. attestation 2 binds the manifest */
    if (have_doc[1] && mtext != NULL) {
        uint8_t mh[64];
        ns_blake2b512(mh, mtext, mlen);
        if (info[1].nonce_len == 64 && memcmp(info[1].nonce, mh, 64) == 0)
            add(rep, NS_CHECK_PASS, "attestation 2 nonce", "= BLAKE2b-512 of manifest.json");
        else
            add(rep, NS_CHECK_FAIL, "attestation 2 nonce", "is not the BLAKE2b-512 of manifest.json");
    }

    rep->ok = 1;
    for (int i = 0; i < rep->n; i++)
        if (rep->c[i].status == NS_CHECK_FAIL || rep->c[i].status == NS_CHECK_SKIP) rep->ok = 0;
    ns_doc_info_free(&info[0]);
    ns_doc_info_free(&info[1]);
    free(m);
    free(mtext);
    free(doc[0]);
    free(doc[1]);
    free(root);
    free(dj);
    return 0;
}
