/* `nitrosetup enclave`: the enclave workload (one ceremony, then exit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/engine_real.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "enclave/enclave.h"
#include "proto/transport.h"
#include "util/tmpfs.h"

static const ns_cmd_spec SPEC = {
    "enclave", "", 0, 0,
    "The trusted side of a ceremony: checks its environment, waits for one host\n"
    "connection, runs the ceremony protocol (docs/ceremony.md) and exits.\n",
};

int ns_cmd_enclave(int argc, char **argv) {
    const char *listen_addr = "vsock:5005", *workdir = "/tmp/nitrosetup-enclave", *circom = "circom";
    const char *pin_items[NS_PTAU_MAX_PINS];
    ns_opt_list pin_args = {pin_items, 0, NS_PTAU_MAX_PINS};
    int local = 0, drand_sim = 0, rc;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "listen", &listen_addr, "ADDR", "vsock:<port> (default vsock:5005) or unix:<path>"),
        OPT_BOOL(0, "local", &local, "local mode: simulated NSM, environment checks reported as simulated"),
        OPT_STRING(0, "workdir", &workdir, "DIR", "scratch directory (default /tmp/nitrosetup-enclave)"),
        OPT_STRING(0, "circom", &circom, "CMD", "circom 2 command (default: circom)"),
        OPT_BOOL(0, "drand-sim", &drand_sim, "pin the simulated drand chain instead of quicknet (SIMULATED)"),
        OPT_LIST(0, "trust-ptau", &pin_args, "HEX",
                 "with --local only: also trust the ptau with this BLAKE2b-512 (recorded\n"
                 "in the manifest); an enclave image trusts only the Hermez files and the\n"
                 "hashes it was built with (-DNS_TRUSTED_PTAU)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_ptau_pins pins;
    memset(&pins, 0, sizeof pins);
    for (int i = 0; i < pin_args.n; i++) {
        ns_error perr;
        if (ns_ptau_pins_add_hex(&pins, pin_args.items[i], &perr) != 0) return ns_cli_usage_error("enclave", "%s", perr.msg);
    }
    if (pins.n > 0 && !local)
        return ns_cli_usage_error("enclave", "--trust-ptau is accepted with --local only: an enclave image trusts "
                                             "the Hermez files and the hashes compiled into it (-DNS_TRUSTED_PTAU)");
    /* Nothing else on this machine may read our memory (ptrace,
     * process_vm_readv, core dumps): in particular not circom, which runs
     * on host-chosen source before the secret exists. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    ns_error err;
    ns_engine eng;
    ns_engine_opts eo = {.local = local, .drand_sim = drand_sim};
    if (ns_engine_real_init(&eng, &eo, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    mkdir(workdir, 0700);
    if (!local) {
        /* The files live in RAM: AWS's init caps /tmp at half of it, the
         * host sized the enclave for its peak (protocol/sizing.h). */
        uint64_t was, now;
        ns_error te;
        int g = ns_tmpfs_grow(workdir, 90, &was, &now, &te);
        if (g < 0) fprintf(stderr, "nitrosetup: [enclave] workdir: %s\n", te.msg);
        else if (g == 0 && now > was)
            fprintf(stderr, "nitrosetup: [enclave] workdir: tmpfs grown from %llu to %llu MiB\n",
                    (unsigned long long)(was >> 20), (unsigned long long)(now >> 20));
    }
    ns_enclave_cfg cfg;
    ns_enclave_cfg_defaults(&cfg, &eng, workdir, circom);
    cfg.pins = pins;
    /* Environment first, before anything else. */
    ns_env_check checks[8];
    int nchecks = 0;
    ns_error env_err;
    int env_ok = ns_enclave_check_env(&cfg, checks, &nchecks, 8, &env_err) == 0;
    for (int i = 0; i < nchecks; i++)
        fprintf(stderr, "nitrosetup: [enclave] environment: %s: %s (%s)\n", checks[i].name,
                checks[i].status == 0 ? "ok" : checks[i].status > 0 ? "simulated" : "FAILED", checks[i].detail);
    if (!env_ok) ns_error_print(&env_err);
    int lfd = ns_transport_listen(listen_addr, &err);
    if (lfd < 0) {
        ns_error_print(&err);
        ns_engine_real_free(&eng);
        return 1;
    }
    int fd = ns_transport_accept(lfd, 600 * 1000, &err);
    close(lfd);
    if (strncmp(listen_addr, "unix:", 5) == 0) unlink(listen_addr + 5);
    if (fd < 0) {
        ns_error_print(&err);
        ns_engine_real_free(&eng);
        return 1;
    }
    ns_conn c;
    ns_conn_init(&c, fd, "host");
    rc = ns_enclave_serve(&cfg, &c, checks, nchecks, env_ok, &env_err, &err);
    ns_conn_close(&c);
    ns_engine_real_free(&eng);
    if (rc != 0 || !env_ok) {
        if (rc != 0) ns_error_print(&err);
        return 1;
    }
    fprintf(stderr, "nitrosetup: [enclave] ceremony complete\n");
    return 0;
}
