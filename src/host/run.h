/* A whole ceremony from the host's point of view: scratch directory,
 * input preparation, starting (local mode) or reaching the enclave, the
 * protocol session, and the bundle put into place only when complete. */
#ifndef NS_HOST_RUN_H
#define NS_HOST_RUN_H

#include "host/host.h"

typedef struct {
    ns_host_cfg host;       /* workdir, kill_enclave are filled in by ns_host_run */
    const char *outdir;
    int local;              /* start `nitrosetup enclave --local` as a child process */
    int drand_sim;
    const char *connect;    /* connect to an already running enclave instead */
    const char *eif;        /* AWS: start this image with nitro-cli run-enclave */
    int cpu_count, memory_mib, debug_mode; /* 0: from the image and the circuit (host/enclave_size.h) */
    int port;               /* the enclave's vsock port (default 5005) */
    int keep_workdir;
    const char *scratch_parent; /* where the scratch directory goes (NULL: $TMPDIR, else /tmp) */
    /* Optional: told each phase as it starts ("zkey-new", "enclave",
     * "ceremony"), with a one-line message (the EC2 host's status.json). */
    void (*phase)(void *ctx, const char *phase, const char *msg);
    void *phase_ctx;
    int watch_s;            /* --eif: seconds between describe-enclaves checks (0: 15) */
    ns_ptau_pins pins;      /* --trust-ptau (host.pins points here); passed on to a local enclave */
} ns_run_opts;

/* Returns 0 when the bundle is complete in outdir; -1 otherwise (nothing
 * left behind in outdir's place). */
int ns_host_run(const ns_run_opts *o, ns_error *err);

#endif
