/* nitrosetup attestation verify | show | simulate */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "cli/commands.h"
#include "cli/opt.h"
#include "nitro/attestation_verify.h"
#include "nitro/eif.h"
#include "nitro/nsm.h"
#include "nitro/nsm_sim.h"
#include "util/hex.h"
#include "util/mapfile.h"
#include "util/outfile.h"

#define CMD "attestation"

static const ns_cmd_spec VERIFY = {
    "attestation verify", "<doc.cose | ->", 1, 1,
    "Checks an AWS Nitro Enclaves attestation document (COSE_Sign1, ES384; '-' reads\n"
    "it from standard input) against the AWS Nitro root compiled into nitrosetup (COSE\n"
    "structure and payload schema, certificate chain, ES384 signature) and the policy\n"
    "given by the options.  Exit 0 only when every check passes; otherwise exit 1\n"
    "with one line per failed check.\n",
};

static const ns_cmd_spec SHOW = {
    "attestation show", "<doc.cose | ->", 1, 1,
    "Parses an attestation document (no verification) and prints module_id, time,\n"
    "PCRs, certificate subjects and validity, and the optional fields.\n",
};

static const ns_cmd_spec SIMULATE = {
    "attestation simulate", "--out-root <root.pem>", 0, 0,
    "Runs the simulated NSM (a fresh test PKI: P-384 root, regional, zonal and\n"
    "instance CAs, leaf) and writes one attestation document (raw COSE bytes) to\n"
    "stdout or --out.  Its root is written to --out-root; only\n"
    "'verify --trust-root <root.pem>' accepts the document, always as SIMULATED.\n",
};

#define MAX_PCR_ARGS 32

/* "-": the document from standard input (at most 1 MiB). */
static int read_doc_stdin(uint8_t **out, size_t *len) {
    const size_t cap = (1u << 20) + 1;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) return -1;
    size_t n = 0;
    while (n < cap) {
        size_t r = fread(buf + n, 1, cap - n, stdin);
        if (r == 0) break;
        n += r;
    }
    if (ferror(stdin) || n == cap) {
        fprintf(stderr, "nitrosetup: standard input: %s\n",
                ferror(stdin) ? "read error" : "too large for an attestation document (over 1 MiB)");
        free(buf);
        return -1;
    }
    *out = buf;
    *len = n;
    return 0;
}

static int read_doc(const char *path, uint8_t **out, size_t *len) {
    if (strcmp(path, "-") == 0) return read_doc_stdin(out, len);
    ns_mapfile m;
    ns_error err;
    if (ns_mapfile_open(&m, path, &err) != 0) {
        ns_error_print(&err);
        return -1;
    }
    if (m.size > 1u << 20) {
        fprintf(stderr, "nitrosetup: %s: too large for an attestation document (%llu bytes)\n", path,
                (unsigned long long)m.size);
        ns_mapfile_close(&m);
        return -1;
    }
    *len = (size_t)m.size;
    *out = malloc(*len ? *len : 1);
    if (*out == NULL) {
        ns_mapfile_close(&m);
        return -1;
    }
    if (*len) memcpy(*out, m.data, *len);
    ns_mapfile_close(&m);
    return 0;
}

/* An optional hex option: nothing when hex is NULL, else its bytes in buf
 * and *data = buf; 0, or 2 after a usage error. */
static int parse_hex_arg(const char *opt, const char *hex, uint8_t *buf, size_t cap, const uint8_t **data,
                         size_t *len) {
    if (hex == NULL) return 0;
    long n = ns_hex_decode(buf, cap, hex);
    if (n < 0) return ns_cli_usage_error(CMD, "%s: expected at most %zu bytes of hex, got '%.40s'", opt, cap, hex);
    *len = (size_t)n;
    *data = buf;
    return 0;
}

static int load_pem_cert_der(const char *path, uint8_t **der, size_t *len) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "nitrosetup: %s: cannot open trust root\n", path);
        return -1;
    }
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (x == NULL) {
        fprintf(stderr, "nitrosetup: %s: not a PEM certificate\n", path);
        return -1;
    }
    uint8_t *p = NULL;
    int n = i2d_X509(x, &p);
    X509_free(x);
    if (n <= 0) {
        fprintf(stderr, "nitrosetup: %s: cannot encode the certificate\n", path);
        return -1;
    }
    *der = malloc((size_t)n);
    if (*der != NULL) memcpy(*der, p, (size_t)n);
    OPENSSL_free(p);
    *len = (size_t)n;
    return *der ? 0 : -1;
}

static int cmd_simulate(int argc, char **argv);

/* ---- report printing ---- */

static char *hexdup(const uint8_t *p, size_t n) {
    char *s = malloc(2 * n + 1);
    if (s != NULL) ns_hex_encode(s, p, n);
    return s;
}

static json_t *json_hex(const uint8_t *p, size_t n) {
    char *s = hexdup(p, n);
    json_t *j = s ? json_string(s) : json_null();
    free(s);
    return j;
}

static json_t *json_time(int64_t t) {
    char b[40];
    ns_att_format_time(b, sizeof b, t);
    return json_string(b);
}

static json_t *report_json(const ns_att_result *r, int verified) {
    const ns_att_doc *d = &r->doc;
    json_t *o = json_object();
    if (verified) {
        json_object_set_new(o, "ok", json_boolean(r->ok));
        json_object_set_new(o, "simulated", json_boolean(r->simulated));
        json_object_set_new(o, "untrustworthy", json_boolean(r->untrustworthy));
        json_object_set_new(o, "checked_at", json_time(r->at));
        json_object_set_new(o, "leaf_expired_now", json_boolean(r->leaf_expired_now));
        json_t *f = json_array();
        for (size_t i = 0; i < r->nfail; i++) json_array_append_new(f, json_string(r->fail[i]));
        json_object_set_new(o, "failures", f);
    }
    if (!r->parsed) return o;
    json_object_set_new(o, "debug", json_boolean(r->debug));
    json_object_set_new(o, "tagged", json_boolean(r->tagged));
    json_object_set_new(o, "module_id", json_string(d->module_id));
    json_object_set_new(o, "timestamp_ms", json_integer((json_int_t)d->timestamp_ms));
    json_object_set_new(o, "time", json_time((int64_t)(d->timestamp_ms / 1000)));
    json_t *p = json_object();
    for (int i = 0; i < NS_ATT_PCR_COUNT; i++)
        if (d->pcr_mask >> i & 1) {
            char k[8];
            snprintf(k, sizeof k, "%d", i);
            json_object_set_new(p, k, json_hex(d->pcr[i], NS_ATT_PCR_LEN));
        }
    json_object_set_new(o, "pcrs", p);
    const ns_att_field *fs[3] = {&d->public_key, &d->user_data, &d->nonce};
    const char *names[3] = {"public_key", "user_data", "nonce"};
    for (int i = 0; i < 3; i++)
        json_object_set_new(o, names[i], fs[i]->present ? json_hex(fs[i]->data, fs[i]->len) : json_null());
    json_t *c = json_array();
    for (size_t i = 0; i < r->ncerts; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "position", json_string(i == 0 ? "leaf" : "cabundle"));
        if (i > 0) json_object_set_new(e, "cabundle_index", json_integer((json_int_t)(r->ncerts - 1 - i)));
        json_object_set_new(e, "subject", json_string(r->certs[i].subject));
        json_object_set_new(e, "issuer", json_string(r->certs[i].issuer));
        json_object_set_new(e, "not_before", json_time(r->certs[i].not_before));
        json_object_set_new(e, "not_after", json_time(r->certs[i].not_after));
        json_array_append_new(c, e);
    }
    json_object_set_new(o, "certificates", c);
    return o;
}

static void print_field(const char *name, const ns_att_field *f) {
    if (!f->present) {
        printf("%-12s null\n", name);
        return;
    }
    char *h = hexdup(f->data, f->len);
    int printable = f->len > 0;
    for (size_t i = 0; i < f->len; i++)
        if (f->data[i] < 0x20 || f->data[i] > 0x7e) printable = 0;
    printf("%-12s %zu bytes %s", name, f->len, h ? h : "");
    if (printable) printf(" (\"%.*s\")", (int)f->len, (const char *)f->data);
    printf("\n");
    free(h);
}

static void report_text(const ns_att_result *r) {
    const ns_att_doc *d = &r->doc;
    char t[40], a[40], b[40];
    ns_att_format_time(t, sizeof t, (int64_t)(d->timestamp_ms / 1000));
    printf("module_id    %s\n", d->module_id);
    printf("timestamp    %s (%llu ms)\n", t, (unsigned long long)d->timestamp_ms);
    printf("digest       SHA384\n");
    for (int i = 0; i < NS_ATT_PCR_COUNT; i++)
        if (d->pcr_mask >> i & 1) {
            char h[2 * NS_ATT_PCR_LEN + 1];
            ns_hex_encode(h, d->pcr[i], NS_ATT_PCR_LEN);
            printf("PCR%-9d %s\n", i, h);
        }
    if (r->debug) printf("debug mode   YES (PCR0 all zero)\n");
    print_field("public_key", &d->public_key);
    print_field("user_data", &d->user_data);
    print_field("nonce", &d->nonce);
    for (size_t i = 0; i < r->ncerts; i++) {
        ns_att_format_time(a, sizeof a, r->certs[i].not_before);
        ns_att_format_time(b, sizeof b, r->certs[i].not_after);
        if (i == 0)
            printf("certificate  leaf: %s\n", r->certs[i].subject);
        else
            printf("certificate  cabundle[%zu]: %s\n", r->ncerts - 1 - i, r->certs[i].subject);
        printf("             valid %s .. %s\n", a, b);
    }
}

static void print_json(const ns_att_result *r, int verified) {
    json_t *o = report_json(r, verified);
    json_dumpf(o, stdout, JSON_INDENT(2));
    printf("\n");
    json_decref(o);
}

/* ---- reading a document ---- */

/* The document's name in messages. */
static const char *doc_name(const char *path) { return strcmp(path, "-") == 0 ? "(standard input)" : path; }

/* Reads the document at path ("-": standard input) and verifies it against
 * pol, or only parses it when pol is NULL; the result, or NULL after
 * printing why. */
static ns_att_result *check_doc(const char *path, const ns_att_policy *pol) {
    uint8_t *doc;
    size_t len;
    if (read_doc(path, &doc, &len) != 0) return NULL;
    ns_att_result *r = malloc(sizeof *r);
    ns_error err;
    int rc = -1;
    if (r == NULL) {
        fprintf(stderr, "nitrosetup: out of memory\n");
    } else if ((pol ? ns_att_verify(r, doc, len, pol, &err) : ns_att_inspect(r, doc, len, &err)) != 0) {
        ns_error_prefix(&err, "%s", doc_name(path));
        ns_error_print(&err);
    } else {
        rc = 0;
    }
    free(doc);
    if (rc != 0) {
        free(r);
        return NULL;
    }
    return r;
}

/* ---- verify ---- */

/* The policy the options ask for (all but --trust-root); 0, or 2 after a
 * usage error. */
static int verify_policy(ns_att_policy *pol, const ns_opt_list *pcrs, const char *nonce_hex, const char *ud_hex,
                         const char *pk_hex, const char *at_str) {
    static uint8_t nonce[NS_ATT_MAX_FIELD], ud[NS_ATT_MAX_FIELD], pk[NS_ATT_MAX_FIELD];
    for (int i = 0; i < pcrs->n; i++)
        if (ns_cli_parse_pcr(VERIFY.cmd, pcrs->items[i], &pol->pcr_mask, pol->pcr) != 0) return 2;
    if (parse_hex_arg("--nonce", nonce_hex, nonce, sizeof nonce, &pol->nonce.data, &pol->nonce.len) != 0 ||
        parse_hex_arg("--user-data", ud_hex, ud, sizeof ud, &pol->user_data.data, &pol->user_data.len) != 0 ||
        parse_hex_arg("--public-key", pk_hex, pk, sizeof pk, &pol->public_key.data, &pol->public_key.len) != 0)
        return 2;
    if (at_str != NULL) {
        if (strcmp(at_str, "now") == 0) {
            pol->at = (int64_t)time(NULL);
        } else if (ns_att_parse_time(&pol->at, at_str) != 0) {
            return ns_cli_usage_error(CMD, "--at: cannot parse '%s' (seconds since the epoch or YYYY-MM-DDTHH:MM:SSZ)", at_str);
        }
        pol->at_set = 1;
    }
    return 0;
}

/* The text report of a verification: the document, then when and how it
 * was checked, and the verdict. */
static void print_verify_text(const ns_att_result *r, int at_set) {
    char at[40], na[40], nw[40];
    ns_att_format_time(at, sizeof at, r->at);
    ns_att_format_time(nw, sizeof nw, r->now);
    if (r->simulated) printf("SIMULATED    trust root is not the AWS Nitro root: NOT a real Nitro attestation\n");
    if (r->parsed) report_text(r);
    printf("checked at   %s%s\n", at, at_set ? "" : " (the document's own timestamp)");
    if (r->parsed && r->ncerts > 0) {
        ns_att_format_time(na, sizeof na, r->certs[0].not_after);
        printf("leaf         %s %s (now: %s)\n", r->leaf_expired_now ? "EXPIRED since" : "still valid until", na, nw);
    }
    if (r->untrustworthy) printf("UNTRUSTWORTHY debug-mode enclave accepted because of --allow-debug\n");
    printf("result       %s%s\n", r->ok ? "OK" : "FAILED", r->ok && r->simulated ? " (SIMULATED)" : "");
}

static int cmd_verify(int argc, char **argv) {
    const char *root_path = NULL, *at_str = NULL, *nonce_hex = NULL, *ud_hex = NULL, *pk_hex = NULL;
    const char *pcr_items[MAX_PCR_ARGS];
    ns_opt_list pcrs = {pcr_items, 0, MAX_PCR_ARGS};
    int json = 0, allow_debug = 0, rc;
    const ns_opt OPTS[] = {
        OPT_LIST(0, "pcr", &pcrs, "N=HEX", "expected PCR N (48 bytes = 96 hex digits); repeatable"),
        OPT_STRING(0, "nonce", &nonce_hex, "HEX", "expected nonce (a document without nonce fails)"),
        OPT_STRING(0, "user-data", &ud_hex, "HEX", "expected user_data"),
        OPT_STRING(0, "public-key", &pk_hex, "HEX", "expected public_key"),
        OPT_STRING(0, "at", &at_str, "TIME",
                   "check the certificates at TIME (seconds since the epoch, or\n"
                   "UTC 2024-11-30T16:22:48Z, or 'now'); default: the document's\n"
                   "own timestamp.  The report says whether the leaf has expired since."),
        OPT_STRING(0, "trust-root", &root_path, "PEM",
                   "trust this root instead of AWS's (for simulated documents);\n"
                   "the report then says SIMULATED: not a real Nitro attestation"),
        OPT_BOOL(0, "allow-debug", &allow_debug,
                 "accept a debug-mode document (PCR0 all zero); the result is\nmarked UNTRUSTWORTHY"),
        OPT_BOOL(0, "json", &json, "machine-readable report on stdout"),
        OPT_END(),
    };
    if (ns_opt_parse(&VERIFY, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_att_policy pol;
    ns_att_policy_init(&pol);
    pol.allow_debug = allow_debug;
    if (verify_policy(&pol, &pcrs, nonce_hex, ud_hex, pk_hex, at_str) != 0) return 2;
    uint8_t *root = NULL;
    if (root_path != NULL && load_pem_cert_der(root_path, &root, &pol.trust_root_len) != 0) return 2;
    pol.trust_root_der = root;
    ns_att_result *r = check_doc(argv[1], &pol);
    free(root);
    if (r == NULL) return 2;
    if (json)
        print_json(r, 1);
    else
        print_verify_text(r, pol.at_set);
    for (size_t i = 0; i < r->nfail; i++) fprintf(stderr, "%s: %s\n", doc_name(argv[1]), r->fail[i]);
    rc = r->ok ? 0 : 1;
    free(r);
    return rc;
}

/* ---- show ---- */

static int cmd_show(int argc, char **argv) {
    int json = 0, rc;
    const ns_opt OPTS[] = {OPT_JSON(&json), OPT_END()};
    if (ns_opt_parse(&SHOW, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_att_result *r = check_doc(argv[1], NULL);
    if (r == NULL) return 2;
    if (json) {
        print_json(r, 0);
    } else {
        report_text(r);
        printf("(not verified: use 'nitrosetup attestation verify')\n");
    }
    free(r);
    return 0;
}

static const ns_cli_subcommand SUBS[] = {
    {"verify", cmd_verify, "<doc.cose | ->: verify a document against the AWS root and a policy"},
    {"show", cmd_show, "<doc.cose | ->: print a document's fields (no verification)"},
    {"simulate", cmd_simulate, "--out-root <root.pem>: a document from the simulated NSM (test PKI)"},
};

int ns_cmd_attestation(int argc, char **argv) {
    return ns_cli_dispatch("attestation",
                           "AWS Nitro Enclaves attestation documents (COSE_Sign1, ES384); '-' reads the\n"
                           "document from standard input.\n",
                           SUBS, sizeof SUBS / sizeof SUBS[0], argc, argv);
}

/* ---- simulate ---- */

static uint64_t fixed_clock(void *ctx) { return *(const uint64_t *)ctx; }

/* The simulator's boot PCRs: the image measured from eif (when given),
 * then --debug, then the --pcr values; 0, or 2 after printing why. */
static int sim_pcrs(ns_nsm_sim_config *cfg, const char *eif, int debug, uint32_t pcr_mask,
                    uint8_t (*pcr)[NS_ATT_PCR_LEN]) {
    if (eif != NULL) {
        ns_eif_measurement m;
        ns_error err;
        if (ns_eif_measure_file(&m, eif, &err) != 0) {
            ns_error_print(&err);
            return 2;
        }
        memcpy(cfg->pcr[0], m.pcr0, 48);
        memcpy(cfg->pcr[1], m.pcr1, 48);
        memcpy(cfg->pcr[2], m.pcr2, 48);
        if (m.is_signed) memcpy(cfg->pcr[8], m.pcr8, 48);
    }
    if (debug) ns_nsm_sim_config_debug(cfg);
    for (int i = 0; i < 16; i++)
        if (pcr_mask >> i & 1) memcpy(cfg->pcr[i], pcr[i], 48);
    return 0;
}

/* One document from a fresh simulator: its root (PEM) to root_out, the
 * document to out (NULL: stdout); the command's exit code. */
static int simulate_document(const ns_nsm_sim_config *cfg, const ns_nsm_att_request *rq, const char *root_out,
                             const char *out) {
    ns_error err;
    ns_nsm_sim *sim = ns_nsm_sim_new(cfg, &err);
    if (sim == NULL) {
        ns_error_print(&err);
        return 2;
    }
    ns_nsm_transport t;
    ns_nsm_sim_transport(&t, sim);
    uint8_t *doc = malloc(NS_NSM_MAX_RESPONSE);
    size_t doc_len = 0;
    int rc = 2;
    const char *pem;
    size_t pem_len;
    ns_nsm_sim_root_pem(sim, &pem, &pem_len);
    if (doc == NULL) {
        fprintf(stderr, "nitrosetup: out of memory\n");
    } else if (ns_nsm_attestation(&t, rq, doc, NS_NSM_MAX_RESPONSE, &doc_len, NULL, &err) != 0) {
        ns_error_print(&err);
    } else if (ns_write_file_atomic(root_out, pem, pem_len, &err) != 0) {
        ns_error_print(&err);
    } else if (out != NULL) {
        if (ns_write_file_atomic(out, doc, doc_len, &err) != 0)
            ns_error_print(&err);
        else
            rc = 0;
    } else if (fwrite(doc, 1, doc_len, stdout) != doc_len || fflush(stdout) != 0) {
        fprintf(stderr, "nitrosetup: attestation simulate: cannot write the document to stdout\n");
    } else {
        rc = 0;
    }
    free(doc);
    ns_nsm_close(&t);
    ns_nsm_sim_free(sim);
    return rc;
}

static int cmd_simulate(int argc, char **argv) {
    const char *root_out = NULL, *out = NULL, *eif = NULL, *ud_hex = NULL, *nonce_hex = NULL, *pk_hex = NULL;
    const char *pcr_items[MAX_PCR_ARGS];
    ns_opt_list pcrs = {pcr_items, 0, MAX_PCR_ARGS};
    int debug = 0, rc;
    long long time_ms = 0;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "out-root", &root_out, "FILE", "where to write the simulator's root certificate (PEM); required"),
        OPT_STRING(0, "out", &out, "FILE", "write the document here instead of stdout"),
        OPT_STRING(0, "user-data", &ud_hex, "HEX", "user_data (<= 1024 bytes)"),
        OPT_STRING(0, "nonce", &nonce_hex, "HEX", "nonce (<= 1024 bytes)"),
        OPT_STRING(0, "public-key", &pk_hex, "HEX", "public_key (<= 1024 bytes)"),
        OPT_STRING(0, "pcr-from-eif", &eif, "EIF", "PCR0/1/2 (and 8) from measuring this enclave image"),
        OPT_LIST(0, "pcr", &pcrs, "N=HEX", "set PCR N (applied after --pcr-from-eif); repeatable"),
        OPT_BOOL(0, "debug", &debug, "simulate a debug-mode enclave (PCR0/1/2/8 zero)"),
        OPT_INT(0, "time-ms", &time_ms, "MS", 1, 9e18, "document timestamp (default: now)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SIMULATE, OPTS, &argc, argv, &rc) != 0) return rc;
    static uint8_t ud[NS_ATT_MAX_FIELD], nonce[NS_ATT_MAX_FIELD], pk[NS_ATT_MAX_FIELD];
    ns_nsm_att_request rq;
    memset(&rq, 0, sizeof rq);
    uint32_t pcr_mask = 0;
    static uint8_t pcr[NS_ATT_PCR_COUNT][NS_ATT_PCR_LEN];
    for (int i = 0; i < pcrs.n; i++)
        if (ns_cli_parse_pcr(SIMULATE.cmd, pcrs.items[i], &pcr_mask, pcr) != 0) return 2;
    if (parse_hex_arg("--user-data", ud_hex, ud, sizeof ud, &rq.user_data, &rq.user_data_len) != 0 ||
        parse_hex_arg("--nonce", nonce_hex, nonce, sizeof nonce, &rq.nonce, &rq.nonce_len) != 0 ||
        parse_hex_arg("--public-key", pk_hex, pk, sizeof pk, &rq.public_key, &rq.public_key_len) != 0)
        return 2;
    if (root_out == NULL) return ns_cli_usage_error(CMD, "simulate: --out-root FILE is required");
    if (pcr_mask >> 16) return ns_cli_usage_error(CMD, "simulate: --pcr sets boot PCRs 0..15 only");
    ns_nsm_sim_config cfg;
    ns_nsm_sim_config_init(&cfg);
    if (sim_pcrs(&cfg, eif, debug, pcr_mask, pcr) != 0) return 2;
    uint64_t fixed_ms = (uint64_t)time_ms;
    if (fixed_ms != 0) {
        cfg.clock_ms = fixed_clock;
        cfg.clock_ctx = &fixed_ms;
    }
    return simulate_document(&cfg, &rq, root_out, out);
}
