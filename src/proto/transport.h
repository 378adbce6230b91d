/* Stream transports for the ceremony protocol.
 *
 * Addresses are strings:
 *   unix:<path>        a Unix-domain socket (local mode, tests)
 *   vsock:<port>       listen on any CID (the enclave side on Nitro)
 *   vsock:<cid>:<port> connect (the host side on Nitro: the enclave's CID)
 *
 * The enclave listens; the host connects, retrying until the enclave has
 * booted or the deadline passes.  Returned descriptors are blocking and
 * close-on-exec; the framing in proto/conn.h applies its own deadlines. */
#ifndef NS_PROTO_TRANSPORT_H
#define NS_PROTO_TRANSPORT_H

#include "util/error.h"

/* Returns a listening socket, or -1. */
int ns_transport_listen(const char *addr, ns_error *err);
/* Accepts one connection within timeout_ms; returns its descriptor or -1. */
int ns_transport_accept(int listen_fd, int timeout_ms, ns_error *err);
/* Connects, retrying every 100 ms for up to timeout_ms; returns the
 * descriptor or -1.  If alive (may be NULL) returns 0 the retry stops early
 * (used to notice that a local enclave process died during start-up). */
int ns_transport_connect(const char *addr, int timeout_ms, int (*alive)(void *), void *alive_ctx,
                         ns_error *err);

#endif
