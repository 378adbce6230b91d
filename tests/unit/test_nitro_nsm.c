/* NSM client: request encodings byte-exact against nsm_requests.txt; the
 * client over the simulator transport (attestation, random, PCR
 * describe/extend/lock, DescribeNSM); error responses and malformed replies
 * through a scripted transport. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nitro/attestation_verify.h"
#include "nitro/eif.h"
#include "nitro/nsm.h"
#include "nitro/nsm_sim.h"
#include "test_nitro_common.h"
#include "testutil.h"
#include "util/hex.h"

/* Finds the hex of line "<label><spaces><hex>" in nsm_requests.txt. */
static int vector_hex(const char *text, const char *label, uint8_t *out, size_t cap, size_t *len) {
    const char *p = text;
    size_t ll = strlen(label);
    while ((p = strstr(p, label)) != NULL) {
        if ((p == text || p[-1] == '\n') && (p[ll] == ' ')) {
            const char *h = p + ll;
            while (*h == ' ') h++;
            char hex[512];
            size_t k = 0;
            while (k + 1 < sizeof hex && ((*h >= '0' && *h <= '9') || (*h >= 'a' && *h <= 'f'))) hex[k++] = *h++;
            hex[k] = '\0';
            long n = ns_hex_decode(out, cap, hex);
            if (n < 0) return -1;
            *len = (size_t)n;
            return 0;
        }
        p += ll;
    }
    return -1;
}

static void expect_bytes(const char *text, const char *label, const ns_cbor_buf *b) {
    uint8_t want[512];
    size_t n = 0;
    int found = vector_hex(text, label, want, sizeof want, &n) == 0;
    CHECK_MSG(found, "vector '%s' not found", label);
    CHECK_MSG(found && b->len == n && memcmp(b->data, want, n) == 0, "encoding of %s differs", label);
}

static void test_encodings(void) {
    size_t tn;
    char *text = (char *)ns_test_read_file(nitro_vec_path("nitro/nsm_requests.txt"), &tn);
    CHECK(text != NULL);
    if (text == NULL) return;
    char *t = realloc(text, tn + 1);
    if (t == NULL) return;
    text = t;
    text[tn] = '\0';
    ns_cbor_buf b;
#define ENC(label, stmt)       \
    ns_cbor_buf_init(&b);      \
    stmt;                      \
    expect_bytes(text, label, &b); \
    ns_cbor_buf_free(&b)
    ENC("GetRandom request", ns_nsm_encode_get_random(&b));
    ENC("DescribeNSM request", ns_nsm_encode_describe_nsm(&b));
    ENC("DescribePCR{index:0}", ns_nsm_encode_describe_pcr(&b, 0));
    ENC("DescribePCR{index:16}", ns_nsm_encode_describe_pcr(&b, 16));
    ENC("ExtendPCR{index:16,data:\"abc\"}", ns_nsm_encode_extend_pcr(&b, 16, (const uint8_t *)"abc", 3));
    ENC("LockPCR{index:16}", ns_nsm_encode_lock_pcr(&b, 16));
    ENC("LockPCRs{range:32}", ns_nsm_encode_lock_pcrs(&b, 32));
    ns_nsm_att_request rq;
    memset(&rq, 0, sizeof rq);
    ENC("Attestation{all null}", ns_nsm_encode_attestation(&b, &rq));
    static const uint8_t ud[2] = {1, 2};
    rq.user_data = ud;
    rq.user_data_len = 2;
    ENC("Attestation{user_data=0102}", ns_nsm_encode_attestation(&b, &rq));
#undef ENC
    free(text);
}

static uint64_t clock_fn(void *ctx) { return *(uint64_t *)ctx; }

static void test_sim_client(void) {
    ns_nsm_sim_config cfg;
    ns_nsm_sim_config_init(&cfg);
    uint64_t clk = 1732983768387ULL;
    cfg.clock_ms = clock_fn;
    cfg.clock_ctx = &clk;
    snprintf(cfg.module_id, sizeof cfg.module_id, "i-0de38b2b6853cc9e8-enc0193685e7fee7d85");
    ns_error err;
    ns_nsm_sim *sim = ns_nsm_sim_new(&cfg, &err);
    CHECK(sim != NULL);
    if (sim == NULL) return;
    ns_nsm_transport t;
    ns_nsm_sim_transport(&t, sim);
    ns_nsm_code code;

    /* GetRandom loops past the 256-byte limit */
    uint8_t rnd[700], zero[700] = {0};
    memset(rnd, 0, sizeof rnd);
    CHECK(ns_nsm_get_random(&t, rnd, sizeof rnd, &code, &err) == 0 && code == NS_NSM_SUCCESS);
    CHECK(memcmp(rnd + 600, zero, 100) != 0);

    /* DescribeNSM */
    ns_nsm_description d;
    CHECK(ns_nsm_describe_nsm(&t, &d, &code, &err) == 0);
    CHECK(strcmp(d.module_id, cfg.module_id) == 0 && d.max_pcrs == 32 && d.locked_pcrs == 0xffff &&
          strcmp(d.digest, "SHA384") == 0);

    /* PCRs: 0..15 locked, PCR4 from the instance id like AWS (value of the real 2024 doc) */
    int locked;
    uint8_t v[48], want[48];
    CHECK(ns_nsm_describe_pcr(&t, 4, &locked, v, &code, &err) == 0 && locked);
    CHECK(ns_hex_decode(want, 48, "98bdf1bde262272618ccd73279e8ee00dd2c36974bd253de55413a25ceb2cd7221421207c2c09dde609f87481b6f6c94") == 48);
    CHECK(memcmp(v, want, 48) == 0);
    CHECK(ns_nsm_describe_pcr(&t, 0, &locked, v, &code, &err) == 0 && memcmp(v, cfg.pcr[0], 48) == 0);
    CHECK(ns_nsm_describe_pcr(&t, 32, &locked, v, &code, &err) != 0 && code == NS_NSM_INVALID_INDEX &&
          strstr(err.msg, "InvalidIndex"));
    CHECK(ns_nsm_extend_pcr(&t, 3, (const uint8_t *)"x", 1, v, &code, &err) != 0 && code == NS_NSM_READ_ONLY_INDEX);
    uint8_t pcr16[48] = {0};
    ns_eif_pcr_extend(pcr16, (const uint8_t *)"abc", 3);
    CHECK(ns_nsm_extend_pcr(&t, 16, (const uint8_t *)"abc", 3, v, &code, &err) == 0 && memcmp(v, pcr16, 48) == 0);
    CHECK(ns_nsm_describe_pcr(&t, 16, &locked, v, &code, &err) == 0 && !locked && memcmp(v, pcr16, 48) == 0);
    CHECK(ns_nsm_lock_pcr(&t, 16, &code, &err) == 0);
    CHECK(ns_nsm_extend_pcr(&t, 16, (const uint8_t *)"abc", 3, v, &code, &err) != 0 && code == NS_NSM_READ_ONLY_INDEX);
    CHECK(ns_nsm_lock_pcrs(&t, 33, &code, &err) != 0 && code == NS_NSM_INVALID_INDEX);
    CHECK(ns_nsm_lock_pcrs(&t, 18, &code, &err) == 0);
    CHECK(ns_nsm_describe_pcr(&t, 17, &locked, v, &code, &err) == 0 && locked);

    /* Attestation with all three fields; the locked PCR16/17 are included */
    uint8_t ud[32], nonce[32], pk[91];
    memset(ud, 0xaa, sizeof ud);
    memset(nonce, 0x55, sizeof nonce);
    memset(pk, 0x04, sizeof pk);
    ns_nsm_att_request rq = {ud, sizeof ud, nonce, sizeof nonce, pk, sizeof pk};
    uint8_t *doc = malloc(NS_NSM_MAX_RESPONSE);
    size_t dl = 0;
    CHECK(ns_nsm_attestation(&t, &rq, doc, NS_NSM_MAX_RESPONSE, &dl, &code, &err) == 0 && code == NS_NSM_SUCCESS);
    ns_att_result *r = malloc(sizeof *r);
    ns_att_policy pol;
    ns_att_policy_init(&pol);
    pol.nonce.data = nonce;
    pol.nonce.len = sizeof nonce;
    pol.user_data.data = ud;
    pol.user_data.len = sizeof ud;
    pol.public_key.data = pk;
    pol.public_key.len = sizeof pk;
    const uint8_t *root;
    size_t rl;
    ns_nsm_sim_root_der(sim, &root, &rl);
    pol.trust_root_der = root;
    pol.trust_root_len = rl;
    CHECK(ns_att_verify(r, doc, dl, &pol, &err) == 0 && r->ok && r->simulated);
    CHECK(r->doc.pcr_mask == 0x3ffff && memcmp(r->doc.pcr[16], pcr16, 48) == 0);
    CHECK(r->doc.timestamp_ms == clk);
    /* response buffer too small */
    CHECK(ns_nsm_attestation(&t, &rq, doc, 100, &dl, &code, &err) != 0 && code == NS_NSM_BUFFER_TOO_SMALL);
    /* oversized fields refused client-side; the simulator refuses them too */
    uint8_t *big = calloc(1, 1100);
    ns_nsm_att_request rb = {big, 1025, NULL, 0, NULL, 0};
    CHECK(ns_nsm_attestation(&t, &rb, doc, NS_NSM_MAX_RESPONSE, &dl, &code, &err) != 0 && code == NS_NSM_INPUT_TOO_LARGE);
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_attestation(&b, &rb);
    size_t rlen;
    CHECK(ns_nsm_sim_handle(sim, b.data, b.len, doc, NS_NSM_MAX_RESPONSE, &rlen, &err) == 0);
    CHECK(rlen > 8 && memmem(doc, rlen, "InputTooLarge", 13) != NULL);
    ns_cbor_buf_free(&b);
    /* a request over 4096 bytes is a transport error (EMSGSIZE) */
    CHECK(ns_nsm_sim_handle(sim, big, 4097, doc, NS_NSM_MAX_RESPONSE, &rlen, &err) != 0);
    /* maximal request: 3 x 1024 still fits in the 12 KiB response */
    ns_nsm_att_request rmax = {big, 1024, big, 1024, big, 1024};
    CHECK(ns_nsm_attestation(&t, &rmax, doc, NS_NSM_MAX_RESPONSE, &dl, &code, &err) == 0);
    ns_att_policy_init(&pol);
    pol.trust_root_der = root;
    pol.trust_root_len = rl;
    CHECK(ns_att_verify(r, doc, dl, &pol, &err) == 0 && r->ok && r->doc.nonce.len == 1024);
    /* the leaf is renewed when the clock passes its 3-hour life */
    clk += 4 * 3600 * 1000ULL;
    CHECK(ns_nsm_attestation(&t, &rq, doc, NS_NSM_MAX_RESPONSE, &dl, &code, &err) == 0);
    CHECK(ns_att_verify(r, doc, dl, &pol, &err) == 0 && r->ok);
    /* garbage requests get an InvalidArgument / InvalidOperation response */
    static const uint8_t junk[] = {0xff, 0x00};
    CHECK(ns_nsm_sim_handle(sim, junk, sizeof junk, doc, NS_NSM_MAX_RESPONSE, &rlen, &err) == 0 &&
          memmem(doc, rlen, "InvalidArgument", 15) != NULL);
    static const uint8_t unknown[] = {0x63, 'F', 'o', 'o'};
    CHECK(ns_nsm_sim_handle(sim, unknown, sizeof unknown, doc, NS_NSM_MAX_RESPONSE, &rlen, &err) == 0 &&
          memmem(doc, rlen, "InvalidOperation", 16) != NULL);
    free(big);
    free(r);
    free(doc);
    ns_nsm_close(&t);
    ns_nsm_sim_free(sim);
}

/* Scripted transport: returns a fixed response. */
typedef struct {
    const uint8_t *resp;
    size_t len;
    int fail;
} script;

static int script_call(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t cap, size_t *rlen,
                       ns_error *err) {
    script *s = ctx;
    if (s->fail) return ns_error_set(err, "ioctl failed: Connection timed out");
    size_t n = s->len < cap ? s->len : cap;
    memcpy(resp, s->resp, n);
    *rlen = n;
    return 0;
}

static void test_errors(void) {
    script s = {0};
    ns_nsm_transport t = {&s, script_call, NULL};
    ns_nsm_code code;
    ns_error err;
    uint8_t out[64];
    /* {"Error":"InvalidArgument"} from the vector file */
    uint8_t e1[64];
    long n = ns_hex_decode(e1, sizeof e1, "a1654572726f726f496e76616c6964417267756d656e74");
    s.resp = e1;
    s.len = (size_t)n;
    CHECK(ns_nsm_get_random(&t, out, 8, &code, &err) != 0 && code == NS_NSM_INVALID_ARGUMENT &&
          strstr(err.msg, "InvalidArgument"));
    static const char *names[] = {"InvalidIndex", "InvalidResponse", "ReadOnlyIndex", "InvalidOperation",
                                  "BufferTooSmall", "InputTooLarge", "InternalError"};
    for (int i = 0; i < 7; i++) {
        ns_cbor_buf b;
        ns_cbor_buf_init(&b);
        ns_cbor_put_head(&b, 5, 1);
        ns_cbor_put_text(&b, "Error");
        ns_cbor_put_text(&b, names[i]);
        s.resp = b.data;
        s.len = b.len;
        CHECK(ns_nsm_lock_pcr(&t, 16, &code, &err) != 0 && (int)code == i + 2 &&
              strcmp(ns_nsm_code_name(code), names[i]) == 0);
        ns_cbor_buf_free(&b);
    }
    /* wrong response type, truncated response, trailing bytes, transport failure */
    uint8_t bad1[] = {0x67, 'L', 'o', 'c', 'k', 'P', 'C', 'R'}; /* "LockPCR" to a GetRandom */
    s.resp = bad1;
    s.len = sizeof bad1;
    CHECK(ns_nsm_get_random(&t, out, 8, &code, &err) != 0 && code == NS_NSM_INVALID_RESPONSE);
    CHECK(ns_nsm_lock_pcr(&t, 1, &code, &err) == 0 && code == NS_NSM_SUCCESS);
    s.len = sizeof bad1 - 1;
    CHECK(ns_nsm_lock_pcr(&t, 1, &code, &err) != 0 && code == NS_NSM_INVALID_RESPONSE);
    uint8_t bad2[] = {0xa1, 0x69, 'G', 'e', 't', 'R', 'a', 'n', 'd', 'o', 'm', 0xa1, 0x66, 'r', 'a', 'n', 'd', 'o', 'm', 0x42, 1, 2, 0};
    s.resp = bad2;
    s.len = sizeof bad2;
    CHECK(ns_nsm_get_random(&t, out, 2, &code, &err) != 0 && code == NS_NSM_INVALID_RESPONSE);
    s.len = sizeof bad2 - 1;
    CHECK(ns_nsm_get_random(&t, out, 2, &code, &err) == 0 && out[0] == 1 && out[1] == 2);
    bad2[19] = 0x40; /* empty random: the client gives up instead of looping forever */
    s.len = sizeof bad2 - 3;
    CHECK(ns_nsm_get_random(&t, out, 2, &code, &err) != 0);
    /* DescribePCR with a short data field */
    uint8_t bad3[] = {0xa1, 0x6b, 'D', 'e', 's', 'c', 'r', 'i', 'b', 'e', 'P', 'C', 'R', 0xa2, 0x64, 'l', 'o', 'c',
                      'k', 0xf5, 0x64, 'd', 'a', 't', 'a', 0x41, 0};
    s.resp = bad3;
    s.len = sizeof bad3;
    int locked;
    CHECK(ns_nsm_describe_pcr(&t, 0, &locked, out, &code, &err) != 0 && code == NS_NSM_INVALID_RESPONSE);
    s.fail = 1;
    CHECK(ns_nsm_lock_pcr(&t, 1, &code, &err) != 0 && strstr(err.msg, "timed out"));
    /* the device cannot be opened on a machine without /dev/nsm; the error names it */
    ns_nsm_transport dev;
    CHECK(ns_nsm_open_device(&dev, "/nonexistent/nsm", &err) != 0 && strstr(err.msg, "/nonexistent/nsm"));
    CHECK(ns_nsm_code_from_name("Bogus", 5) == NS_NSM_INTERNAL_ERROR && ns_nsm_code_name((ns_nsm_code)99) == NULL);
}

int main(void) {
    test_encodings();
    test_sim_client();
    test_errors();
    return ns_test_report("nitro_nsm");
}
