#include "nitro/nsm.h"
#include "util/wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cbor.h>

static const char *const CODE_NAMES[] = {
    "Success", "InvalidArgument", "InvalidIndex", "InvalidResponse", "ReadOnlyIndex",
    "InvalidOperation", "BufferTooSmall", "InputTooLarge", "InternalError",
};

ns_nsm_code ns_nsm_code_from_name(const char *name, size_t len) {
    for (size_t i = 1; i < sizeof CODE_NAMES / sizeof CODE_NAMES[0]; i++)
        if (strlen(CODE_NAMES[i]) == len && memcmp(CODE_NAMES[i], name, len) == 0) return (ns_nsm_code)i;
    return NS_NSM_INTERNAL_ERROR;
}

const char *ns_nsm_code_name(ns_nsm_code c) {
    if ((unsigned)c >= sizeof CODE_NAMES / sizeof CODE_NAMES[0]) return NULL;
    return CODE_NAMES[c];
}

/* ---- device transport ---- */

struct nsm_iovec_raw {
    uint64_t addr, len;
};
struct nsm_raw_msg {
    struct nsm_iovec_raw request, response;
};

typedef struct {
    int fd;
} device_ctx;

static int device_call(void *vctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap,
                       size_t *resp_len, ns_error *err) {
    device_ctx *c = vctx;
    struct nsm_raw_msg m;
    memset(&m, 0, sizeof m);
    m.request.addr = (uint64_t)(uintptr_t)req;
    m.request.len = req_len;
    m.response.addr = (uint64_t)(uintptr_t)resp;
    m.response.len = resp_cap;
    int r;
    do {
        r = ioctl(c->fd, NS_NSM_IOCTL_RAW, &m);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        int e = errno;
        if (e == EMSGSIZE) return ns_error_set(err, "NSM: request too large (%zu bytes, EMSGSIZE)", req_len);
        return ns_error_set(err, "NSM: ioctl failed: %s", strerror(e));
    }
    if (m.response.len > resp_cap) return ns_error_set(err, "NSM: device reported an oversized response");
    *resp_len = (size_t)m.response.len;
    return 0;
}

static void device_close(void *vctx) {
    device_ctx *c = vctx;
    if (c != NULL) close(c->fd);
    free(c);
}

int ns_nsm_open_device(ns_nsm_transport *t, const char *path, ns_error *err) {
    memset(t, 0, sizeof *t);
    if (path == NULL) path = "/dev/nsm";
    device_ctx *c = malloc(sizeof *c);
    if (c == NULL) return ns_error_set(err, "NSM: out of memory");
    c->fd = open(path, O_RDWR | O_CLOEXEC);
    if (c->fd < 0) {
        int e = errno;
        free(c);
        return ns_error_set(err, "%s: cannot open the NSM device: %s", path, strerror(e));
    }
    t->ctx = c;
    t->call = device_call;
    t->close = device_close;
    return 0;
}

void ns_nsm_close(ns_nsm_transport *t) {
    if (t->close != NULL) t->close(t->ctx);
    memset(t, 0, sizeof *t);
}

/* ---- request encoders ---- */

void ns_nsm_encode_get_random(ns_cbor_buf *b) { ns_cbor_put_text(b, "GetRandom"); }
void ns_nsm_encode_describe_nsm(ns_cbor_buf *b) { ns_cbor_put_text(b, "DescribeNSM"); }

static void one_uint_field(ns_cbor_buf *b, const char *req, const char *field, uint16_t v) {
    ns_cbor_put_head(b, 5, 1);
    ns_cbor_put_text(b, req);
    ns_cbor_put_head(b, 5, 1);
    ns_cbor_put_text(b, field);
    ns_cbor_put_uint(b, v);
}

void ns_nsm_encode_describe_pcr(ns_cbor_buf *b, uint16_t index) { one_uint_field(b, "DescribePCR", "index", index); }
void ns_nsm_encode_lock_pcr(ns_cbor_buf *b, uint16_t index) { one_uint_field(b, "LockPCR", "index", index); }
void ns_nsm_encode_lock_pcrs(ns_cbor_buf *b, uint16_t range) { one_uint_field(b, "LockPCRs", "range", range); }

void ns_nsm_encode_extend_pcr(ns_cbor_buf *b, uint16_t index, const uint8_t *data, size_t n) {
    ns_cbor_put_head(b, 5, 1);
    ns_cbor_put_text(b, "ExtendPCR");
    ns_cbor_put_head(b, 5, 2);
    ns_cbor_put_text(b, "index");
    ns_cbor_put_uint(b, index);
    ns_cbor_put_text(b, "data");
    ns_cbor_put_bytes(b, data, n);
}

void ns_nsm_encode_attestation(ns_cbor_buf *b, const ns_nsm_att_request *rq) {
    ns_cbor_put_head(b, 5, 1);
    ns_cbor_put_text(b, "Attestation");
    ns_cbor_put_head(b, 5, 3);
    ns_cbor_put_text(b, "user_data");
    ns_cbor_put_bytes_or_null(b, rq->user_data, rq->user_data_len);
    ns_cbor_put_text(b, "nonce");
    ns_cbor_put_bytes_or_null(b, rq->nonce, rq->nonce_len);
    ns_cbor_put_text(b, "public_key");
    ns_cbor_put_bytes_or_null(b, rq->public_key, rq->public_key_len);
}

/* ---- exchange and response decoding ---- */

static int text_is(const cbor_item_t *it, const char *s) {
    size_t n = strlen(s);
    return cbor_isa_string(it) && cbor_string_is_definite(it) && cbor_string_length(it) == n &&
           memcmp(cbor_string_handle(it), s, n) == 0;
}

/* Sends req and decodes the response envelope.  On success *root is the
 * decoded response and *body the value under `name` (NULL for a bare-text
 * response equal to name).  The caller cbor_decref's *root. */
static int exchange(const ns_nsm_transport *t, ns_cbor_buf *req, const char *name, cbor_item_t **root,
                    cbor_item_t **body, ns_nsm_code *code, ns_error *err) {
    *root = NULL;
    *body = NULL;
    if (code != NULL) *code = NS_NSM_INTERNAL_ERROR;
    if (req->failed) return ns_error_set(err, "NSM %s: out of memory", name);
    if (req->len > NS_NSM_MAX_REQUEST) {
        if (code != NULL) *code = NS_NSM_INPUT_TOO_LARGE;
        return ns_error_set(err, "NSM %s: request of %zu bytes exceeds %d", name, req->len, NS_NSM_MAX_REQUEST);
    }
    uint8_t *resp = malloc(NS_NSM_MAX_RESPONSE);
    if (resp == NULL) return ns_error_set(err, "NSM %s: out of memory", name);
    size_t rlen = 0;
    if (t->call(t->ctx, req->data, req->len, resp, NS_NSM_MAX_RESPONSE, &rlen, err) != 0) {
        ns_wipe(resp, NS_NSM_MAX_RESPONSE);
        free(resp);
        return ns_error_prefix(err, "NSM %s", name);
    }
    size_t used;
    if (rlen > NS_NSM_MAX_RESPONSE || ns_cbor_scan(resp, rlen, 4, &used, err) != 0 || used != rlen) {
        ns_wipe(resp, NS_NSM_MAX_RESPONSE);
        free(resp);
        if (code != NULL) *code = NS_NSM_INVALID_RESPONSE;
        return ns_error_set(err, "NSM %s: malformed response", name);
    }
    struct cbor_load_result lr;
    cbor_item_t *r = cbor_load(resp, rlen, &lr);
    ns_wipe(resp, rlen); /* a GetRandom response holds secret entropy */
    free(resp);
    if (r == NULL) {
        if (code != NULL) *code = NS_NSM_INVALID_RESPONSE;
        return ns_error_set(err, "NSM %s: undecodable response", name);
    }
    if (text_is(r, name)) {
        *root = r;
        if (code != NULL) *code = NS_NSM_SUCCESS;
        return 0;
    }
    if (cbor_isa_map(r) && cbor_map_size(r) == 1) {
        struct cbor_pair *e = cbor_map_handle(r);
        if (text_is(e[0].key, "Error")) {
            ns_nsm_code c = NS_NSM_INTERNAL_ERROR;
            const char *nm = "(unknown)";
            int nl = 9;
            if (cbor_isa_string(e[0].value) && cbor_string_is_definite(e[0].value)) {
                nm = (const char *)cbor_string_handle(e[0].value);
                c = ns_nsm_code_from_name(nm, cbor_string_length(e[0].value));
                nl = (int)cbor_string_length(e[0].value);
                if (ns_nsm_code_name(c) == NULL || strlen(ns_nsm_code_name(c)) != (size_t)nl ||
                    memcmp(ns_nsm_code_name(c), nm, (size_t)nl) != 0) {
                    nm = "(unknown error name)";
                    nl = 20;
                }
            }
            if (code != NULL) *code = c;
            ns_error_set(err, "NSM %s: NSM error %.*s", name, nl, nm);
            cbor_decref(&r);
            return -1;
        }
        if (text_is(e[0].key, name)) {
            *root = r;
            *body = e[0].value;
            if (code != NULL) *code = NS_NSM_SUCCESS;
            return 0;
        }
    }
    cbor_decref(&r);
    if (code != NULL) *code = NS_NSM_INVALID_RESPONSE;
    return ns_error_set(err, "NSM %s: unexpected response", name);
}

/* Finds `key` in map m (NULL when absent or m is not a map). */
static cbor_item_t *map_get(const cbor_item_t *m, const char *key) {
    if (m == NULL || !cbor_isa_map(m)) return NULL;
    struct cbor_pair *e = cbor_map_handle(m);
    cbor_item_t *found = NULL;
    for (size_t i = 0; i < cbor_map_size(m); i++)
        if (text_is(e[i].key, key)) {
            if (found != NULL) return NULL; /* duplicate key: refuse */
            found = e[i].value;
        }
    return found;
}

static int bad_response(cbor_item_t **root, ns_nsm_code *code, ns_error *err, const char *name, const char *what) {
    cbor_decref(root);
    if (code != NULL) *code = NS_NSM_INVALID_RESPONSE;
    return ns_error_set(err, "NSM %s: invalid response (%s)", name, what);
}

static int get_bstr(const cbor_item_t *v, size_t min, size_t max) {
    return v != NULL && cbor_isa_bytestring(v) && cbor_bytestring_is_definite(v) &&
           cbor_bytestring_length(v) >= min && cbor_bytestring_length(v) <= max;
}

int ns_nsm_attestation(const ns_nsm_transport *t, const ns_nsm_att_request *rq, uint8_t *doc, size_t cap,
                       size_t *doc_len, ns_nsm_code *code, ns_error *err) {
    if ((rq->user_data && rq->user_data_len > NS_NSM_MAX_FIELD) || (rq->nonce && rq->nonce_len > NS_NSM_MAX_FIELD) ||
        (rq->public_key && rq->public_key_len > NS_NSM_MAX_FIELD)) {
        if (code != NULL) *code = NS_NSM_INPUT_TOO_LARGE;
        return ns_error_set(err, "NSM Attestation: user_data, nonce and public_key are limited to %d bytes each",
                            NS_NSM_MAX_FIELD);
    }
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_attestation(&b, rq);
    cbor_item_t *root, *body;
    int rc = exchange(t, &b, "Attestation", &root, &body, code, err);
    ns_cbor_buf_free(&b);
    if (rc != 0) return -1;
    cbor_item_t *d = map_get(body, "document");
    if (!get_bstr(d, 1, NS_NSM_MAX_RESPONSE)) return bad_response(&root, code, err, "Attestation", "document");
    size_t n = cbor_bytestring_length(d);
    if (n > cap) {
        cbor_decref(&root);
        if (code != NULL) *code = NS_NSM_BUFFER_TOO_SMALL;
        return ns_error_set(err, "NSM Attestation: document of %zu bytes does not fit in %zu", n, cap);
    }
    memcpy(doc, cbor_bytestring_handle(d), n);
    *doc_len = n;
    cbor_decref(&root);
    return 0;
}

int ns_nsm_get_random(const ns_nsm_transport *t, uint8_t *out, size_t n, ns_nsm_code *code, ns_error *err) {
    size_t have = 0;
    int empty_rounds = 0;
    while (have < n) {
        ns_cbor_buf b;
        ns_cbor_buf_init(&b);
        ns_nsm_encode_get_random(&b);
        cbor_item_t *root, *body;
        int rc = exchange(t, &b, "GetRandom", &root, &body, code, err);
        ns_cbor_buf_free(&b);
        if (rc != 0) return -1;
        cbor_item_t *r = map_get(body, "random");
        if (!get_bstr(r, 0, NS_NSM_MAX_RESPONSE)) return bad_response(&root, code, err, "GetRandom", "random");
        size_t k = cbor_bytestring_length(r);
        if (k == 0 && ++empty_rounds > 8) return bad_response(&root, code, err, "GetRandom", "no bytes returned");
        size_t all = cbor_bytestring_length(r);
        if (k > n - have) k = n - have;
        memcpy(out + have, cbor_bytestring_handle(r), k);
        have += k;
        ns_wipe(cbor_bytestring_handle(r), all); /* no entropy left in freed heap */
        cbor_decref(&root);
    }
    return 0;
}

int ns_nsm_describe_pcr(const ns_nsm_transport *t, uint16_t index, int *locked, uint8_t data[48], ns_nsm_code *code,
                        ns_error *err) {
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_describe_pcr(&b, index);
    cbor_item_t *root, *body;
    int rc = exchange(t, &b, "DescribePCR", &root, &body, code, err);
    ns_cbor_buf_free(&b);
    if (rc != 0) return -1;
    cbor_item_t *l = map_get(body, "lock"), *d = map_get(body, "data");
    if (l == NULL || !cbor_is_bool(l) || !get_bstr(d, 48, 48))
        return bad_response(&root, code, err, "DescribePCR", "lock/data");
    *locked = cbor_get_bool(l);
    memcpy(data, cbor_bytestring_handle(d), 48);
    cbor_decref(&root);
    return 0;
}

int ns_nsm_extend_pcr(const ns_nsm_transport *t, uint16_t index, const uint8_t *data, size_t n, uint8_t out[48],
                      ns_nsm_code *code, ns_error *err) {
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_extend_pcr(&b, index, data, n);
    cbor_item_t *root, *body;
    int rc = exchange(t, &b, "ExtendPCR", &root, &body, code, err);
    ns_cbor_buf_free(&b);
    if (rc != 0) return -1;
    cbor_item_t *d = map_get(body, "data");
    if (!get_bstr(d, 48, 48)) return bad_response(&root, code, err, "ExtendPCR", "data");
    memcpy(out, cbor_bytestring_handle(d), 48);
    cbor_decref(&root);
    return 0;
}

static int unit_reply(const ns_nsm_transport *t, ns_cbor_buf *b, const char *name, ns_nsm_code *code, ns_error *err) {
    cbor_item_t *root, *body;
    int rc = exchange(t, b, name, &root, &body, code, err);
    ns_cbor_buf_free(b);
    if (rc != 0) return -1;
    if (body != NULL) return bad_response(&root, code, err, name, "expected a bare text reply");
    cbor_decref(&root);
    return 0;
}

int ns_nsm_lock_pcr(const ns_nsm_transport *t, uint16_t index, ns_nsm_code *code, ns_error *err) {
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_lock_pcr(&b, index);
    return unit_reply(t, &b, "LockPCR", code, err);
}

int ns_nsm_lock_pcrs(const ns_nsm_transport *t, uint16_t range, ns_nsm_code *code, ns_error *err) {
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_lock_pcrs(&b, range);
    return unit_reply(t, &b, "LockPCRs", code, err);
}

static int get_u16(const cbor_item_t *v, uint16_t *out) {
    if (v == NULL || !cbor_isa_uint(v) || cbor_get_int(v) > 0xffff) return -1;
    *out = (uint16_t)cbor_get_int(v);
    return 0;
}

static int get_text(const cbor_item_t *v, char *out, size_t cap) {
    if (v == NULL || !cbor_isa_string(v) || !cbor_string_is_definite(v) || cbor_string_length(v) >= cap) return -1;
    memcpy(out, cbor_string_handle(v), cbor_string_length(v));
    out[cbor_string_length(v)] = '\0';
    return 0;
}

int ns_nsm_describe_nsm(const ns_nsm_transport *t, ns_nsm_description *d, ns_nsm_code *code, ns_error *err) {
    memset(d, 0, sizeof *d);
    ns_cbor_buf b;
    ns_cbor_buf_init(&b);
    ns_nsm_encode_describe_nsm(&b);
    cbor_item_t *root, *body;
    int rc = exchange(t, &b, "DescribeNSM", &root, &body, code, err);
    ns_cbor_buf_free(&b);
    if (rc != 0) return -1;
    cbor_item_t *lp = map_get(body, "locked_pcrs");
    if (get_u16(map_get(body, "version_major"), &d->version_major) != 0 ||
        get_u16(map_get(body, "version_minor"), &d->version_minor) != 0 ||
        get_u16(map_get(body, "version_patch"), &d->version_patch) != 0 ||
        get_u16(map_get(body, "max_pcrs"), &d->max_pcrs) != 0 ||
        get_text(map_get(body, "module_id"), d->module_id, sizeof d->module_id) != 0 ||
        get_text(map_get(body, "digest"), d->digest, sizeof d->digest) != 0 || lp == NULL || !cbor_isa_array(lp))
        return bad_response(&root, code, err, "DescribeNSM", "fields");
    cbor_item_t **it = cbor_array_handle(lp);
    for (size_t i = 0; i < cbor_array_size(lp); i++) {
        uint16_t v;
        if (get_u16(it[i], &v) != 0 || v >= 32) return bad_response(&root, code, err, "DescribeNSM", "locked_pcrs");
        d->locked_pcrs |= (uint32_t)1 << v;
    }
    cbor_decref(&root);
    return 0;
}
