#include "host/run.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/enclave_size.h"
#include "host/nitro_cli.h"
#include "protocol/sizing.h"
#include "proto/transport.h"
#include "util/hex.h"
#include "util/interrupt.h"
#include "util/proc.h"
#include "util/rmtree.h"

static int child_alive(void *v) { return ns_proc_running(v); }

/* Watching an enclave started with nitro-cli: a thread asks
 * describe-enclaves every period; once the enclave has been seen gone or
 * not RUNNING twice in a row (the host has read what it had sent by then),
 * the connection is shut down so the session fails now rather than at its
 * deadline. */
typedef struct {
    pthread_t th;
    int started, stop, gone, fd, period_s;
    char id[128], state[64];
    pthread_mutex_t mu;
    pthread_cond_t cv;
} nitro_watch;

static void *watch_main(void *v) {
    nitro_watch *w = v;
    int bad = 0;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += w->period_s;
        pthread_cond_timedwait(&w->cv, &w->mu, &until);
        if (w->stop) break;
        pthread_mutex_unlock(&w->mu);
        char st[64];
        ns_error e;
        int ok = ns_nitro_enclave_state(st, sizeof st, w->id, &e) == 0;
        pthread_mutex_lock(&w->mu);
        if (!ok) continue; /* describe-enclaves failing says nothing about the enclave */
        bad = strcmp(st, "RUNNING") != 0 ? bad + 1 : 0;
        if (bad > 0) snprintf(w->state, sizeof w->state, "%s", st);
        if (bad >= 2) {
            w->gone = 1;
            if (w->fd >= 0) shutdown(w->fd, SHUT_RDWR);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void watch_start(nitro_watch *w, const char *id, int period_s) {
    memset(w, 0, sizeof *w);
    w->fd = -1;
    w->period_s = period_s > 0 ? period_s : 15;
    snprintf(w->id, sizeof w->id, "%s", id);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    w->started = pthread_create(&w->th, NULL, watch_main, w) == 0;
}

static void watch_set_fd(nitro_watch *w, int fd) {
    pthread_mutex_lock(&w->mu);
    w->fd = fd;
    pthread_mutex_unlock(&w->mu);
}

static int watch_alive(void *v) {
    nitro_watch *w = v;
    pthread_mutex_lock(&w->mu);
    int gone = w->gone;
    pthread_mutex_unlock(&w->mu);
    return !gone;
}

static void watch_stop(nitro_watch *w) {
    if (!w->started) return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    w->started = 0;
}

/* After a failure with a nitro-cli enclave: says so when the enclave is no
 * longer running (what the watcher saw, else one more look). */
static void explain_exit(nitro_watch *w, ns_error *err) {
    char st[64] = "";
    ns_error e;
    if (w->gone) snprintf(st, sizeof st, "%s", w->state);
    else if (ns_nitro_enclave_state(st, sizeof st, w->id, &e) != 0 || strcmp(st, "RUNNING") == 0) return;
    ns_error_prefix(err, "the enclave exited (state %s) before the ceremony ended", st);
}

static void tell(const ns_run_opts *o, const char *phase, const char *msg) {
    if (o->phase != NULL) o->phase(o->phase_ctx, phase, msg);
}
static void child_kill(void *v) { ns_proc_kill(v); }

static int spawn_enclave(ns_proc *child, const ns_run_opts *o, const char *sock, const char *edir, ns_error *err) {
    char listen[4300];
    snprintf(listen, sizeof listen, "unix:%s", sock);
    const char *argv[16 + 2 * NS_PTAU_MAX_PINS];
    char pins[NS_PTAU_MAX_PINS][129];
    int n = 0;
    argv[n++] = "nitrosetup";
    argv[n++] = "enclave";
    argv[n++] = "--local";
    argv[n++] = "--listen";
    argv[n++] = listen;
    argv[n++] = "--workdir";
    argv[n++] = edir;
    argv[n++] = "--circom";
    argv[n++] = o->host.circom_cmd;
    if (o->drand_sim) argv[n++] = "--drand-sim";
    for (int i = 0; i < o->pins.n; i++) {
        ns_hex_encode(pins[i], o->pins.hash[i], 64);
        argv[n++] = "--trust-ptau";
        argv[n++] = pins[i];
    }
    argv[n] = NULL;
    ns_proc_opts po = {.program = "/proc/self/exe"};
    return ns_proc_start(child, (char *const *)argv, &po, err);
}

/* About 100 lines on purpose: the life of one ceremony on the host, with
 * every resource it holds (scratch, staging, enclave child or nitro-cli
 * enclave, connection) released on one clean-up path. */
int ns_host_run(const ns_run_opts *o, ns_error *err) {
    signal(SIGPIPE, SIG_IGN); /* a closed stderr pipe must not kill us before cleanup */
    char work[4096];
    const char *tmp = o->scratch_parent != NULL ? o->scratch_parent : getenv("TMPDIR");
    snprintf(work, sizeof work, "%s/nitrosetup-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(work) == NULL) return ns_error_set(err, "%s: cannot create a scratch directory: %s", work, strerror(errno));
    /* interrupted (Ctrl-C, SIGTERM): the enclave child, the scratch and the
     * staging directory go (util/interrupt.h) */
    int work_slot = o->keep_workdir ? -1 : ns_interrupt_track_dir(work), stage_slot = -1;
    ns_bundle_stage stage;
    ns_host_cfg cfg = o->host;
    cfg.workdir = work;
    ns_proc ch = {.slot = -1, .out_fd = -1};
    ns_nitro_enclave nitro;
    nitro_watch watch = {.started = 0};
    int nitro_started = 0;
    ns_conn c;
    ns_conn_init(&c, -1, "enclave");
    int rc = -1, staged = 0;
    if (ns_bundle_stage_open(&stage, o->outdir, err) != 0) goto out;
    staged = 1;
    stage_slot = ns_interrupt_track_dir(stage.stage);
    ns_host_inputs in;
    tell(o, "zkey-new", "ptau check and zkey new");
    if (ns_host_prepare(&in, &cfg, err) != 0) goto out;
    tell(o, "enclave", "starting the enclave");

    char sock[4200], edir[4200];
    const char *addr = o->connect;
    char uaddr[4300];
    if (o->local) {
        snprintf(sock, sizeof sock, "%s/enclave.sock", work);
        snprintf(edir, sizeof edir, "%s/enclave", work);
        if (mkdir(edir, 0700) != 0) {
            ns_error_set(err, "%s: %s", edir, strerror(errno));
            goto out;
        }
        ns_host_log("host", "enclave", "starting the local enclave process (simulated NSM)");
        if (spawn_enclave(&ch, o, sock, edir, err) != 0) goto out;
        snprintf(uaddr, sizeof uaddr, "unix:%s", sock);
        addr = uaddr;
        cfg.kill_enclave = child_kill;
        cfg.kill_ctx = &ch;
    }
    if (o->eif != NULL) {
        if (o->debug_mode)
            ns_host_log("host", "enclave", "WARNING: --debug-mode: the enclave's attestations will have PCR0 = 0; "
                        "the bundle will say so and fail verification");
        /* sizes not given: memory from the model (protocol/sizing.h), CPUs
         * from the allocator's pool (host/enclave_size.h) */
        int cpus = o->cpu_count, mem = o->memory_mib;
        if (mem <= 0) {
            uint64_t m = ns_sizing_memory_mib_files(in.r1cs, in.zkey0, in.cbundle, o->eif);
            if (m == 0 || m > (1u << 30)) {
                ns_error_set(err, "cannot size the enclave from %s, %s and %s", in.r1cs, in.zkey0, o->eif);
                goto out;
            }
            mem = (int)m;
            ns_host_log("host", "enclave", "enclave memory %d MiB: the larger of compile (circom + r1cs + bundle) and "
                        "engine (key + r1cs + bundle + reduced ptau + scratch), x 1.10 + 512 MiB + the image", mem);
        }
        if (cpus <= 0) cpus = ns_enclave_cpu_count(NS_NE_CPUS_PATH, 2);
        ns_host_log("host", "enclave", "nitro-cli run-enclave --eif-path %s --cpu-count %d --memory %d%s", o->eif,
                    cpus, mem, o->debug_mode ? " --debug-mode" : "");
        if (ns_nitro_run_enclave(&nitro, o->eif, cpus, mem, o->debug_mode, err) != 0) goto out;
        nitro_started = 1;
        watch_start(&watch, nitro.enclave_id, o->watch_s);
        snprintf(uaddr, sizeof uaddr, "vsock:%u:%d", nitro.cid, o->port > 0 ? o->port : 5005);
        addr = uaddr;
        ns_host_log("host", "enclave", "started %s (CID %u)", nitro.enclave_id, nitro.cid);
    }
    if (addr == NULL) {
        ns_error_set(err, "no enclave to talk to");
        goto out;
    }
    int fd = o->local ? ns_transport_connect(addr, 120 * 1000, child_alive, &ch, err)
                      : ns_transport_connect(addr, 120 * 1000, nitro_started ? watch_alive : NULL, &watch, err);
    if (fd < 0) goto out;
    ns_conn_init(&c, fd, "enclave");
    if (nitro_started) watch_set_fd(&watch, fd);
    ns_host_log("host", "enclave", "connected (%s)", addr);
    tell(o, "ceremony", "the enclave runs the ceremony");
    if (ns_host_session(&cfg, &in, &c, &stage, err) != 0) goto out;
    watch_stop(&watch);
    ns_conn_close(&c);
    if (o->local) {
        if (ns_proc_finish(&ch, 30000) != 0) {
            ns_error_set(err, "the enclave process ended abnormally after the ceremony");
            goto out;
        }
    }
    if (ns_bundle_stage_commit(&stage, err) != 0) goto out;
    staged = 0;
    ns_interrupt_untrack(stage_slot); /* a signal just before this finds the path gone: no harm */
    stage_slot = -1;
    ns_host_log("host", "bundle", "complete: %s", o->outdir);
    rc = 0;
out:
    watch_stop(&watch);
    if (rc != 0 && nitro_started) explain_exit(&watch, err);
    ns_conn_close(&c);
    if (o->local && ch.pid > 0) {
        ns_proc_finish(&ch, rc == 0 ? 30000 : 3000);
        if (rc != 0 && ch.signal != 0) ns_error_prefix(err, "enclave process killed by signal %d", ch.signal);
    }
    if (nitro_started) {
        ns_error e2;
        if (ns_nitro_terminate(nitro.enclave_id, &e2) != 0) ns_error_print(&e2);
        else ns_host_log("host", "enclave", "terminated %s", nitro.enclave_id);
    }
    if (staged) ns_bundle_stage_abort(&stage);
    if (!o->keep_workdir) ns_rmtree(work);
    else ns_host_log("host", "workdir", "kept %s", work);
    ns_interrupt_untrack(stage_slot);
    ns_interrupt_untrack(work_slot);
    return rc;
}
