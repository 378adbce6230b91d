/* `nitrosetup ceremony --local` (and the shared option parser of `host`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/engine_real.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "host/run.h"

#define MAX_LIBS 16
#define MAX_RELAYS 16

static const ns_cmd_spec CEREMONY = {
    "ceremony", "--local <circuit.circom>", 1, 1,
    "Runs a complete phase-2 ceremony: the host and the enclave (simulated NSM) on\n"
    "this machine, and writes the bundle (see docs/ceremony.md).  Without --local\n"
    "(the AWS Nitro flow) is not available yet.\n",
};

static const ns_cmd_spec HOST = {
    "host", "<circuit.circom> (--connect ADDR | --eif FILE)", 1, 1,
    "The untrusted host side of a ceremony.  --connect talks to an enclave that is\n"
    "already running (`nitrosetup enclave`; ADDR is vsock:<cid>:<port> or unix:<path>);\n"
    "--eif starts one with `nitro-cli run-enclave` (never in debug mode unless\n"
    "--debug-mode is given, and then the bundle says so) and terminates it at the end.\n"
    "On EC2, `host --job job.json --eif FILE --workdir DIR` runs an AWS job\n"
    "(see 'nitrosetup host --job x --help').\n",
};

/* What the options of `ceremony` and `host` fill in. */
typedef struct {
    ns_run_opts o;
    const char *libs[MAX_LIBS], *pin_items[NS_PTAU_MAX_PINS], *relay_items[MAX_RELAYS];
    ns_opt_list libdirs, pins, relays;
    int local;
    long long cpu_count, memory_mib, port;
} ceremony_args;

/* Parses the options of `ceremony` (host_mode 0) or `host` into a: 0, or 1
 * when the command ends now with *rc (as ns_opt_parse). */
static int parse_args(ceremony_args *a, const ns_cmd_spec *spec, int host_mode, int *argc, char **argv, int *rc) {
    memset(a, 0, sizeof *a);
    a->libdirs = (ns_opt_list){a->libs, 0, MAX_LIBS};
    a->pins = (ns_opt_list){a->pin_items, 0, NS_PTAU_MAX_PINS};
    a->relays = (ns_opt_list){a->relay_items, 0, MAX_RELAYS};
    a->cpu_count = 0; /* 0: host --eif computes them (host/enclave_size.h) */
    a->memory_mib = 0;
    ns_run_opts *o = &a->o;
    o->host.circom_cmd = "circom";
    /* the options of both commands; the host-only ones are left out of `ceremony`'s table */
    const ns_opt SHARED[] = {
        OPT_STRING('o', "output", &o->outdir, "DIR", "bundle directory (default: ceremony-<circuit name>); must not exist\nor be empty"),
        OPT_STRING(0, "ptau", &o->host.ptau_file, "FILE", "use this ptau: a Hermez file, or one pinned with --trust-ptau"),
        OPT_LIST(0, "trust-ptau", &a->pins, "HEX",
                 "trust the ptau whose BLAKE2b-512 (of the whole file) is HEX besides\n"
                 "the Hermez files (repeatable): only for a phase 1 you trust, since\n"
                 "whoever knows its secrets can forge proofs.  A local enclave takes\n"
                 "the pin at run time; an enclave image only trusts what it was built with"),
        OPT_STRING(0, "ptau-cache", &o->host.ptau_cache, "DIR", "where downloaded Hermez ptau files are kept"),
        OPT_BOOL(0, "drand-sim", &o->drand_sim, "use the simulated drand chain (the bundle is SIMULATED)"),
        OPT_LIST(0, "drand-relay", &a->relays, "URL", "drand relay to use instead of the defaults (repeatable)"),
        OPT_STRING(0, "circom", &o->host.circom_cmd, "CMD", "circom 2 command (default: circom)"),
        OPT_LIST('l', NULL, &a->libdirs, "DIR", "circom library directory (repeatable)"),
        OPT_BOOL(0, "keep-workdir", &o->keep_workdir, "keep the scratch directory for inspection"),
    };
    enum { NSHARED = sizeof SHARED / sizeof SHARED[0] };
    ns_opt opts[NSHARED + 8];
    size_t n = 0;
    if (host_mode) {
        const ns_opt HOST_ONLY[] = {
            OPT_STRING(0, "connect", &o->connect, "ADDR", "talk to a running enclave (vsock:<cid>:<port> or unix:<path>)"),
            OPT_STRING(0, "eif", &o->eif, "FILE", "enclave image to run"),
            OPT_INT(0, "cpu-count", &a->cpu_count, "N", 1, 1 << 24,
                    "enclave vCPUs (default: every CPU of the Nitro Enclaves\n"
                    "allocator's pool, else 2)"),
            OPT_INT(0, "memory", &a->memory_mib, "MIB", 64, 1 << 24,
                    "enclave memory in MiB (default: from the image and the\n"
                    "circuit, see docs/enclave-image.md: at least 4 x the EIF,\n"
                    "room for ptau + 3 keys + r1cs and circom, in 2 MiB pages)"),
            OPT_INT(0, "port", &a->port, "P", 1, 1 << 24, "the enclave's vsock port (default 5005)"),
            OPT_BOOL(0, "debug-mode", &o->debug_mode, "run the enclave in debug mode (its bundle fails verification)"),
        };
        for (size_t i = 0; i < sizeof HOST_ONLY / sizeof HOST_ONLY[0]; i++) opts[n++] = HOST_ONLY[i];
    } else {
        opts[n++] = (ns_opt)OPT_BOOL(0, "local", &a->local, "host and enclave on this machine (simulated NSM)");
    }
    for (size_t i = 0; i < NSHARED; i++) opts[n++] = SHARED[i];
    opts[n] = (ns_opt)OPT_END();
    return ns_opt_parse(spec, opts, argc, argv, rc);
}

/* The --drand-relay values as one comma-separated list in relays (cap
 * bytes); 0, or the exit code of a usage error. */
static int join_relays(char *relays, size_t cap, const ns_opt_list *l, const char *cmd) {
    relays[0] = 0;
    for (int i = 0; i < l->n; i++) {
        const char *v = l->items[i];
        size_t L = strlen(relays), vl = strlen(v);
        if (L + vl + 2 > cap || strchr(v, ',') != NULL)
            return ns_cli_usage_error(cmd, "bad or too many --drand-relay values");
        if (L > 0) relays[L++] = ',';
        memcpy(relays + L, v, vl + 1);
    }
    return 0;
}

/* The default bundle directory: ceremony-<circuit file name without .circom>. */
static void default_outdir(char *out, size_t cap, const char *circuit) {
    const char *base = strrchr(circuit, '/');
    base = base ? base + 1 : circuit;
    size_t bl = strlen(base);
    if (bl > 7 && strcmp(base + bl - 7, ".circom") == 0) bl -= 7;
    snprintf(out, cap, "ceremony-%.*s", (int)(bl > 400 ? 400 : bl), base);
}

/* Runs the host side with the real engine; the command's exit code. */
static int run_host(ns_run_opts *o, const char *relays, int host_mode, const char *cmd) {
    ns_engine eng;
    ns_engine_opts eo = {.local = o->local || host_mode, .drand_sim = o->drand_sim,
                         .drand_relays = relays[0] ? relays : NULL};
    ns_error err;
    if (ns_engine_real_init(&eng, &eo, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    /* The host of `nitrosetup host` does not know whether the enclave is
     * simulated until it sees the documents; only local mode is. */
    eng.simulated_nsm = o->local;
    o->host.eng = &eng;
    if (o->drand_sim)
        fprintf(stderr, "nitrosetup: WARNING: --drand-sim: the beacon comes from a simulated drand chain; "
                        "the bundle is SIMULATED\n");
    int rc = ns_host_run(o, &err);
    ns_engine_real_free(&eng);
    if (rc != 0) {
        ns_error_print(&err);
        fprintf(stderr, "nitrosetup: %s: failed; no bundle was written\n", cmd);
        return 1;
    }
    return 0;
}

int ns_ceremony_main(int argc, char **argv, int host_mode) {
    const ns_cmd_spec *spec = host_mode ? &HOST : &CEREMONY;
    const char *cmd = spec->cmd;
    ceremony_args a;
    int rc;
    if (parse_args(&a, spec, host_mode, &argc, argv, &rc) != 0) return rc;
    ns_run_opts *o = &a.o;
    const char *circuit = argv[1];
    o->cpu_count = (int)a.cpu_count;
    o->memory_mib = (int)a.memory_mib;
    o->port = (int)a.port;
    for (int i = 0; i < a.pins.n; i++) {
        ns_error perr;
        if (ns_ptau_pins_add_hex(&o->pins, a.pins.items[i], &perr) != 0) return ns_cli_usage_error(cmd, "%s", perr.msg);
    }
    char relays[2048];
    if ((rc = join_relays(relays, sizeof relays, &a.relays, cmd)) != 0) return rc;
    if (!host_mode && !a.local) {
        fprintf(stderr, "nitrosetup: ceremony: only --local is available for now (the AWS Nitro flow "
                        "is not available yet); run 'nitrosetup ceremony --local <circuit.circom>'\n");
        return 2;
    }
    if (host_mode && (o->connect == NULL) == (o->eif == NULL))
        return ns_cli_usage_error(cmd, "give exactly one of --connect ADDR and --eif FILE");
    char defout[512];
    if (o->outdir == NULL) {
        default_outdir(defout, sizeof defout, circuit);
        o->outdir = defout;
    }
    o->local = a.local;
    o->host.circuit = circuit;
    o->host.libdirs = a.libs;
    o->host.nlibs = a.libdirs.n;
    o->host.pins = &o->pins;
    /* TEST ONLY: makes the host misbehave (see src/host/host.h). */
    o->host.hostile = getenv("NS_TEST_HOSTILE");
    if (o->host.hostile != NULL && *o->host.hostile == 0) o->host.hostile = NULL;
    return run_host(o, relays, host_mode, cmd);
}

int ns_cmd_ceremony(int argc, char **argv) { return ns_ceremony_main(argc, argv, 0); }
