#include "proto/conn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "util/outfile.h"

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ns_conn_init(ns_conn *c, int fd, const char *peer) {
    memset(c, 0, sizeof *c);
    c->fd = fd;
    c->peer = peer;
    c->io_timeout_ms = 60 * 1000;
    c->wait_timeout_ms = 10 * 60 * 1000;
}

void ns_conn_set_deadline(ns_conn *c, int64_t ms) { c->deadline_ms = ms > 0 ? now_ms() + ms : 0; }

void ns_conn_close(ns_conn *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
}

/* Waits until fd is readable/writable or the deadline passes. */
static int wait_fd(ns_conn *c, short events, int64_t deadline, const char *what, ns_error *err) {
    if (c->deadline_ms > 0 && c->deadline_ms < deadline) deadline = c->deadline_ms;
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return ns_error_set(err, "protocol: timed out %s the %s", what, c->peer);
        struct pollfd p = {.fd = c->fd, .events = events};
        int r = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
        if (r < 0) {
            if (errno == EINTR) continue;
            return ns_error_set(err, "protocol: poll: %s", strerror(errno));
        }
        if (r > 0) return 0;
    }
}

static int write_all(ns_conn *c, const uint8_t *p, size_t n, ns_error *err) {
    int64_t deadline = now_ms() + c->io_timeout_ms;
    while (n > 0) {
        if (wait_fd(c, POLLOUT, deadline, "sending to", err) != 0) return -1;
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            if (errno == EPIPE || errno == ECONNRESET)
                return ns_error_set(err, "protocol: the %s closed the connection (while sending: %s)",
                                    c->peer, strerror(errno));
            return ns_error_set(err, "protocol: connection to the %s lost while sending: %s",
                                c->peer, strerror(errno));
        }
        p += w;
        n -= (size_t)w;
        c->bytes_sent += (uint64_t)w;
    }
    return 0;
}

/* Reads exactly n bytes; the first byte may wait until first_deadline; once
 * a frame has started (in_frame, or the first byte read) everything must
 * arrive by one deadline: a slow trickle does not extend it. */
static int read_all(ns_conn *c, uint8_t *p, size_t n, int64_t first_deadline, int in_frame,
                    ns_error *err) {
    int64_t deadline = first_deadline;
    while (n > 0) {
        if (wait_fd(c, POLLIN, deadline, "waiting for", err) != 0) return -1;
        ssize_t r = recv(c->fd, p, n, 0);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            if (errno == ECONNRESET) /* the peer died with unread data: the same event as EOF */
                return ns_error_set(err, "protocol: the %s closed the connection (%s)", c->peer,
                                    strerror(errno));
            return ns_error_set(err, "protocol: connection to the %s lost: %s", c->peer,
                                strerror(errno));
        }
        if (r == 0) {
            if (in_frame)
                return ns_error_set(err, "protocol: the %s closed the connection in the middle of a frame (truncated)",
                                    c->peer);
            return ns_error_set(err, "protocol: the %s closed the connection", c->peer);
        }
        p += r;
        n -= (size_t)r;
        c->bytes_received += (uint64_t)r;
        if (!in_frame) deadline = now_ms() + c->io_timeout_ms;
        in_frame = 1;
    }
    return 0;
}

int ns_conn_send(ns_conn *c, int type, const void *body, size_t len, ns_error *err) {
    size_t max = ns_proto_max_body(type);
    if (max == 0 || len > max)
        return ns_error_set(err, "protocol: refusing to send a %s frame of %zu bytes",
                            ns_proto_type_name(type), len);
    uint8_t h[NS_PROTO_HEADER_LEN];
    ns_proto_header_encode(h, type, (uint32_t)len);
    if (write_all(c, h, sizeof h, err) != 0) return -1;
    return write_all(c, body, len, err);
}

int ns_conn_recv(ns_conn *c, int *type, uint8_t **body, size_t *len, int wait_ms, ns_error *err) {
    *body = NULL;
    *len = 0;
    uint8_t h[NS_PROTO_HEADER_LEN];
    int64_t first = now_ms() + (wait_ms < 0 ? c->wait_timeout_ms : wait_ms);
    if (read_all(c, h, sizeof h, first, 0, err) != 0) return -1;
    uint32_t n;
    if (ns_proto_header_decode(type, &n, h, err) != 0) return -1;
    uint8_t *b = malloc((size_t)n + 1);
    if (b == NULL) return ns_error_set(err, "protocol: out of memory");
    if (read_all(c, b, n, now_ms() + c->io_timeout_ms, 1, err) != 0) {
        free(b);
        return -1;
    }
    b[n] = 0;
    *body = b;
    *len = n;
    return 0;
}

static json_t *parse_object(const uint8_t *body, size_t len) {
    json_error_t je;
    json_t *o = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &je);
    if (o != NULL && !json_is_object(o)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int ns_conn_expect(ns_conn *c, int type, uint8_t **body, size_t *len, int wait_ms, ns_error *err) {
    for (;;) {
        int t;
        if (ns_conn_recv(c, &t, body, len, wait_ms, err) != 0) return -1;
        if (t == type) return 0;
        if (t == NS_MSG_PROGRESS && c->refuse_progress) {
            free(*body);
            *body = NULL;
            return ns_error_set(err, "protocol: the %s sent PROGRESS, which it may not (waits do not restart)",
                                c->peer);
        }
        if (t == NS_MSG_PROGRESS) {
            json_t *o = parse_object(*body, *len);
            if (o != NULL && c->on_progress != NULL) {
                const char *s = json_string_value(json_object_get(o, "step"));
                const char *m = json_string_value(json_object_get(o, "message"));
                c->on_progress(c->progress_ctx, s ? s : "?", m ? m : "");
            }
            json_decref(o);
            free(*body);
            *body = NULL;
            continue;
        }
        if (t == NS_MSG_ERROR) {
            json_t *o = parse_object(*body, *len);
            const char *s = o ? json_string_value(json_object_get(o, "step")) : NULL;
            const char *m = o ? json_string_value(json_object_get(o, "message")) : NULL;
            ns_error_set(err, "the %s reported an error at step '%s': %s", c->peer, s ? s : "?",
                         m ? m : "(malformed error message)");
            json_decref(o);
        } else {
            ns_error_set(err, "protocol: expected %s from the %s, got %s", ns_proto_type_name(type),
                         c->peer, ns_proto_type_name(t));
        }
        free(*body);
        *body = NULL;
        *len = 0;
        return -1;
    }
}

int ns_conn_send_json(ns_conn *c, int type, const json_t *obj, ns_error *err) {
    char *s = json_dumps(obj, JSON_COMPACT | JSON_SORT_KEYS);
    if (s == NULL) return ns_error_set(err, "protocol: cannot encode %s", ns_proto_type_name(type));
    int r = ns_conn_send(c, type, s, strlen(s), err);
    free(s);
    return r;
}

int ns_conn_expect_json(ns_conn *c, int type, json_t **obj, int wait_ms, ns_error *err) {
    uint8_t *b;
    size_t n;
    *obj = NULL;
    if (ns_conn_expect(c, type, &b, &n, wait_ms, err) != 0) return -1;
    json_t *o = parse_object(b, n);
    free(b);
    if (o == NULL)
        return ns_error_set(err, "protocol: %s from the %s is not a JSON object",
                            ns_proto_type_name(type), c->peer);
    *obj = o;
    return 0;
}

void ns_conn_send_error(ns_conn *c, const char *step, const char *message) {
    json_t *o = json_pack("{s:s, s:s}", "step", step ? step : "?", "message", message ? message : "?");
    if (o == NULL) return;
    ns_error ignored;
    int saved = c->io_timeout_ms;
    c->io_timeout_ms = 2000; /* never hang on a dead peer while reporting */
    ns_conn_send_json(c, NS_MSG_ERROR, o, &ignored);
    c->io_timeout_ms = saved;
    json_decref(o);
}

int ns_conn_drain_error(ns_conn *c, int wait_ms, ns_error *err) {
    if (c->fd < 0) return 0;
    int saved = c->io_timeout_ms;
    c->io_timeout_ms = wait_ms;
    int found = 0;
    for (int i = 0; i < 64 && !found; i++) {
        int t;
        uint8_t *b;
        size_t n;
        ns_error e2;
        if (ns_conn_recv(c, &t, &b, &n, wait_ms, &e2) != 0) break;
        if (t == NS_MSG_ERROR) {
            json_t *o = parse_object(b, n);
            const char *s = o ? json_string_value(json_object_get(o, "step")) : NULL;
            const char *m = o ? json_string_value(json_object_get(o, "message")) : NULL;
            ns_error_set(err, "the %s reported an error at step '%s': %s", c->peer, s ? s : "?",
                         m ? m : "(malformed error message)");
            json_decref(o);
            found = 1;
        }
        free(b);
    }
    c->io_timeout_ms = saved;
    return found;
}

void ns_conn_send_progress(ns_conn *c, const char *step, const char *message) {
    json_t *o = json_pack("{s:s, s:s}", "step", step, "message", message);
    if (o == NULL) return;
    ns_error ignored;
    ns_conn_send_json(c, NS_MSG_PROGRESS, o, &ignored);
    json_decref(o);
}

static int send_begin(ns_conn *c, const char *name, uint64_t size, ns_error *err) {
    json_t *o = json_pack("{s:s, s:I}", "name", name, "size", (json_int_t)size);
    if (o == NULL) return ns_error_set(err, "protocol: out of memory");
    int r = ns_conn_send_json(c, NS_MSG_FILE_BEGIN, o, err);
    json_decref(o);
    return r;
}

int ns_conn_send_buffer(ns_conn *c, const char *name, const void *data, size_t n,
                        uint8_t *hash_out, ns_error *err) {
    if (send_begin(c, name, n, err) != 0) return -1;
    const uint8_t *p = data;
    for (size_t off = 0; off < n;) {
        size_t k = n - off < NS_PROTO_CHUNK_MAX ? n - off : NS_PROTO_CHUNK_MAX;
        if (ns_conn_send(c, NS_MSG_FILE_CHUNK, p + off, k, err) != 0) return -1;
        off += k;
    }
    uint8_t h[NS_BLAKE2B_LEN];
    ns_blake2b512(h, data, n);
    if (hash_out != NULL) memcpy(hash_out, h, sizeof h);
    return ns_conn_send(c, NS_MSG_FILE_END, h, sizeof h, err);
}

int ns_conn_send_file(ns_conn *c, const char *name, const char *path, uint8_t *hash_out,
                      ns_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ns_error_set(err, "%s: cannot open: %s", path, strerror(errno));
    off_t size = lseek(fd, 0, SEEK_END);
    if (size < 0 || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return ns_error_set(err, "%s: cannot determine the size", path);
    }
    uint8_t *buf = malloc(NS_PROTO_CHUNK_MAX);
    ns_hash *hs = ns_hash_new(NS_HASH_BLAKE2B512);
    int rc = -1;
    if (buf == NULL || hs == NULL) {
        ns_error_set(err, "protocol: out of memory");
        goto out;
    }
    if (send_begin(c, name, (uint64_t)size, err) != 0) goto out;
    uint64_t left = (uint64_t)size;
    while (left > 0) {
        size_t want = left < NS_PROTO_CHUNK_MAX ? (size_t)left : NS_PROTO_CHUNK_MAX;
        size_t got = 0;
        while (got < want) {
            ssize_t r = read(fd, buf + got, want - got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) {
                ns_error_set(err, "%s: read failed (file changed while sending?)", path);
                goto out;
            }
            got += (size_t)r;
        }
        ns_hash_update(hs, buf, got);
        if (ns_conn_send(c, NS_MSG_FILE_CHUNK, buf, got, err) != 0) goto out;
        left -= got;
    }
    uint8_t h[NS_BLAKE2B_LEN];
    ns_hash_final(hs, h);
    if (hash_out != NULL) memcpy(hash_out, h, sizeof h);
    rc = ns_conn_send(c, NS_MSG_FILE_END, h, sizeof h, err);
out:
    free(buf);
    ns_hash_free(hs);
    close(fd);
    return rc;
}

static int sink_out_write(void *ctx, const uint8_t *d, size_t n, ns_error *err) {
    return ns_outfile_write(ctx, d, n, err);
}
static int sink_out_commit(void *ctx, ns_error *err) { return ns_outfile_commit(ctx, err); }
static void sink_out_abort(void *ctx) { ns_outfile_abort(ctx); }

int ns_conn_recv_file(ns_conn *c, const char *name, const char *dest_path, uint64_t max_size,
                      uint8_t *hash_out, uint64_t *size_out, int wait_ms, ns_error *err) {
    ns_outfile out;
    if (ns_outfile_open(&out, dest_path, err) != 0) return -1;
    ns_conn_sink sink = {&out, sink_out_write, sink_out_commit, sink_out_abort};
    return ns_conn_recv_sink(c, name, &sink, max_size, hash_out, size_out, wait_ms, err);
}

int ns_conn_recv_sink(ns_conn *c, const char *name, const ns_conn_sink *sink, uint64_t max_size,
                      uint8_t *hash_out, uint64_t *size_out, int wait_ms, ns_error *err) {
    json_t *o;
    if (ns_conn_expect_json(c, NS_MSG_FILE_BEGIN, &o, wait_ms, err) != 0) {
        sink->abort(sink->ctx);
        return -1;
    }
    const char *got_name = json_string_value(json_object_get(o, "name"));
    json_t *js = json_object_get(o, "size");
    if (got_name == NULL || strcmp(got_name, name) != 0 || !json_is_integer(js) ||
        json_integer_value(js) < 0) {
        ns_error_set(err, "protocol: expected file '%s' from the %s, got '%s'", name, c->peer,
                     got_name ? got_name : "(malformed FILE_BEGIN)");
        json_decref(o);
        sink->abort(sink->ctx);
        return -1;
    }
    uint64_t size = (uint64_t)json_integer_value(js);
    json_decref(o);
    if (size > max_size) {
        sink->abort(sink->ctx);
        return ns_error_set(err, "protocol: %s of %llu bytes exceeds the limit of %llu bytes", name,
                            (unsigned long long)size, (unsigned long long)max_size);
    }
    /* One absolute deadline for the whole file when a minimum rate is set. */
    int64_t saved_deadline = c->deadline_ms;
    if (c->min_rate > 0) {
        int64_t d = now_ms() + c->io_timeout_ms + (int64_t)(size / c->min_rate) * 1000;
        if (c->deadline_ms == 0 || d < c->deadline_ms) c->deadline_ms = d;
    }
    ns_hash *hs = ns_hash_new(NS_HASH_BLAKE2B512);
    if (hs == NULL) {
        c->deadline_ms = saved_deadline;
        sink->abort(sink->ctx);
        return ns_error_set(err, "protocol: out of memory");
    }
    int sink_done = 0;
    uint64_t got = 0;
    int rc = -1;
    for (;;) {
        int t;
        uint8_t *b;
        size_t n;
        if (ns_conn_recv(c, &t, &b, &n, c->io_timeout_ms, err) != 0) goto out;
        if (t == NS_MSG_FILE_CHUNK) {
            if (n == 0 || n > size - got) {
                free(b);
                ns_error_set(err, "protocol: %s: more data than the announced %llu bytes", name,
                             (unsigned long long)size);
                goto out;
            }
            ns_hash_update(hs, b, n);
            int w = sink->write(sink->ctx, b, n, err);
            free(b);
            if (w != 0) goto out;
            got += n;
            continue;
        }
        if (t == NS_MSG_FILE_END) {
            uint8_t h[NS_BLAKE2B_LEN];
            ns_hash_final(hs, h);
            int ok = n == NS_BLAKE2B_LEN && memcmp(b, h, NS_BLAKE2B_LEN) == 0;
            free(b);
            if (got != size) {
                ns_error_set(err, "protocol: %s truncated: %llu of %llu bytes received", name,
                             (unsigned long long)got, (unsigned long long)size);
                goto out;
            }
            if (!ok) {
                ns_error_set(err, "protocol: %s: BLAKE2b-512 of the received data differs from the sender's",
                             name);
                goto out;
            }
            sink_done = 1;
            if (sink->commit(sink->ctx, err) != 0) goto out;
            if (hash_out != NULL) memcpy(hash_out, h, sizeof h);
            if (size_out != NULL) *size_out = got;
            rc = 0;
            goto out;
        }
        if (t == NS_MSG_ERROR) {
            json_t *e = parse_object(b, n);
            const char *m = e ? json_string_value(json_object_get(e, "message")) : NULL;
            ns_error_set(err, "the %s reported an error while sending %s: %s", c->peer, name,
                         m ? m : "(malformed error message)");
            json_decref(e);
        } else {
            ns_error_set(err, "protocol: unexpected %s inside the transfer of %s",
                         ns_proto_type_name(t), name);
        }
        free(b);
        goto out;
    }
out:
    c->deadline_ms = saved_deadline;
    ns_hash_free(hs);
    if (rc != 0 && !sink_done) sink->abort(sink->ctx);
    return rc;
}
