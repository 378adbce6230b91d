/* A protocol connection over any stream socket (Unix or vsock): framed
 * send/receive with deadlines, JSON control messages, error reporting to
 * the peer, and files streamed in chunks and hashed on the fly (a file is
 * never held in memory whole). */
#ifndef NS_PROTO_CONN_H
#define NS_PROTO_CONN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "proto/frame.h"
#include "util/error.h"
#include "util/hash.h"

typedef void (*ns_conn_progress_fn)(void *ctx, const char *step, const char *message);

typedef struct {
    int fd;
    const char *peer;       /* "enclave" / "host": used in error messages */
    int io_timeout_ms;      /* deadline for the rest of a frame once its header started */
    int wait_timeout_ms;    /* default deadline for the next frame to start */
    ns_conn_progress_fn on_progress; /* PROGRESS frames seen by ns_conn_expect */
    void *progress_ctx;
    int refuse_progress;    /* a PROGRESS frame is a protocol error (the enclave: a host may
                               not keep it waiting by chatting) */
    int64_t deadline_ms;    /* absolute CLOCK_MONOTONIC cap on every wait, 0 = none */
    uint64_t min_rate;      /* files: at least this many bytes per second once announced
                               (an absolute deadline per file), 0 = none */
    uint64_t bytes_sent, bytes_received;
} ns_conn;

void ns_conn_init(ns_conn *c, int fd, const char *peer);
/* Sets deadline_ms to now + ms (ms <= 0 clears it). */
void ns_conn_set_deadline(ns_conn *c, int64_t ms);
void ns_conn_close(ns_conn *c);

/* Sends one frame.  len must not exceed the type's limit. */
int ns_conn_send(ns_conn *c, int type, const void *body, size_t len, ns_error *err);
/* Receives one frame of any type.  wait_ms < 0 uses c->wait_timeout_ms.
 * *body is malloc'd with one extra NUL byte (free it); may be non-NULL for len 0. */
int ns_conn_recv(ns_conn *c, int *type, uint8_t **body, size_t *len, int wait_ms, ns_error *err);
/* Receives the next frame that is not PROGRESS (those go to on_progress) and
 * requires it to be `type`.  An ERROR frame becomes "<peer> reported: ...". */
int ns_conn_expect(ns_conn *c, int type, uint8_t **body, size_t *len, int wait_ms, ns_error *err);

/* JSON control messages (compact, sorted keys).  expect_json requires an object. */
int ns_conn_send_json(ns_conn *c, int type, const json_t *obj, ns_error *err);
int ns_conn_expect_json(ns_conn *c, int type, json_t **obj, int wait_ms, ns_error *err);

/* Best effort: tells the peer what went wrong at `step`. */
void ns_conn_send_error(ns_conn *c, const char *step, const char *message);
/* After a local failure (typically a send to a peer that already gave
 * up), looks for an ERROR frame the peer sent first, skipping other frames,
 * for up to wait_ms.  Returns 1 and replaces err with the peer's message if
 * one is found, else 0. */
int ns_conn_drain_error(ns_conn *c, int wait_ms, ns_error *err);
/* Best effort: PROGRESS {"step","message"}. */
void ns_conn_send_progress(ns_conn *c, const char *step, const char *message);

/* Streams the file at `path` as FILE_BEGIN {name,size}, chunks, FILE_END
 * (BLAKE2b-512).  hash_out (may be NULL) receives the hash. */
int ns_conn_send_file(ns_conn *c, const char *name, const char *path, uint8_t *hash_out,
                      ns_error *err);
/* Same for an in-memory buffer. */
int ns_conn_send_buffer(ns_conn *c, const char *name, const void *data, size_t n,
                        uint8_t *hash_out, ns_error *err);
/* Receives a file announced as `name` into dest_path (atomically: a failed
 * transfer leaves nothing), refusing more than max_size bytes, checking the
 * sender's hash.  hash_out / size_out may be NULL. */
int ns_conn_recv_file(ns_conn *c, const char *name, const char *dest_path, uint64_t max_size,
                      uint8_t *hash_out, uint64_t *size_out, int wait_ms, ns_error *err);
/* Where a received file's bytes go: write gets them in order; then exactly
 * one of commit (every byte received and the sender's hash checked; commit
 * cleans up after itself if it fails) or abort is called. */
typedef struct {
    void *ctx;
    int (*write)(void *ctx, const uint8_t *data, size_t n, ns_error *err);
    int (*commit)(void *ctx, ns_error *err);
    void (*abort)(void *ctx);
} ns_conn_sink;
/* ns_conn_recv_file into a sink (the enclave keeps a reduced ptau this way). */
int ns_conn_recv_sink(ns_conn *c, const char *name, const ns_conn_sink *sink, uint64_t max_size,
                      uint8_t *hash_out, uint64_t *size_out, int wait_ms, ns_error *err);

#endif
