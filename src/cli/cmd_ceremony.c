/* `nitrosetup ceremony --local` (and the shared option parser of `host`). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ceremony/engine_real.h"
#include "cli/commands.h"
#include "host/run.h"

#define MAX_LIBS 16


static void usage(FILE *out, int host_mode) {
    if (host_mode) {
        fprintf(out,
                "usage: nitrosetup host <circuit.circom> (--connect ADDR | --eif FILE) [-o DIR] [options]\n\n"
                "The untrusted host side of a ceremony.  --connect talks to an enclave that is\n"
                "already running (`nitrosetup enclave`; ADDR is vsock:<cid>:<port> or unix:<path>);\n"
                "--eif starts one with `nitro-cli run-enclave` (never in debug mode unless\n"
                "--debug-mode is given, and then the bundle says so) and terminates it at the end.\n\n"
                "  --eif FILE           enclave image to run\n"
                "  --cpu-count N        enclave vCPUs (default 2)\n"
                "  --memory MIB         enclave memory in MiB (default 4096)\n"
                "  --port P             the enclave's vsock port (default 5005)\n"
                "  --debug-mode         run the enclave in debug mode (its bundle fails verification)\n");
    } else {
        fprintf(out,
                "usage: nitrosetup ceremony --local <circuit.circom> [-o DIR] [--ptau FILE] [--drand-sim] [options]\n\n"
                "Runs a complete phase-2 ceremony: the host and the enclave (simulated NSM) on\n"
                "this machine, and writes the bundle (see docs/ceremony.md).  Without --local\n"
                "(the AWS Nitro flow) is not available yet.\n\n");
    }
    fprintf(out,
            "Options:\n"
            "  -o, --output DIR     bundle directory (default: ceremony-<circuit name>); must not exist\n"
            "                       or be empty\n"
            "  --ptau FILE          use this ptau: a Hermez file, or one pinned with --trust-ptau\n"
            "  --trust-ptau HEX     trust the ptau whose BLAKE2b-512 (of the whole file) is HEX besides\n"
            "                       the Hermez files (repeatable): only for a phase 1 you trust, since\n"
            "                       whoever knows its secrets can forge proofs.  A local enclave takes\n"
            "                       the pin at run time; an enclave image only trusts what it was built with\n"
            "  --ptau-cache DIR     where downloaded Hermez ptau files are kept\n"
            "  --drand-sim          use the simulated drand chain (the bundle is SIMULATED)\n"
            "  --drand-relay URL    drand relay to use instead of the defaults (repeatable)\n"
            "  --circom CMD         circom 2 command (default: circom)\n"
            "  -l DIR               circom library directory (repeatable)\n"
            "  --keep-workdir       keep the scratch directory for inspection\n"
            "  -h, --help           this help\n");
}

int ns_ceremony_main(int argc, char **argv, int host_mode) {
    const char *cmd = host_mode ? "host" : "ceremony";
    if (ns_cli_wants_help(argc, argv)) {
        usage(stdout, host_mode);
        return 0;
    }
    ns_run_opts o;
    memset(&o, 0, sizeof o);
    const char *libs[MAX_LIBS];
    int nlibs = 0, local = 0;
    const char *circuit = NULL;
    char relays[2048] = "";
    o.host.circom_cmd = "circom";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
#define NEXT(dst)                                                                       \
    do {                                                                                \
        if (!more) return ns_cli_usage_error(cmd, "%s needs a value", a);               \
        dst = argv[++i];                                                                \
    } while (0)
        if (strcmp(a, "--local") == 0 && !host_mode) local = 1;
        else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) NEXT(o.outdir);
        else if (strcmp(a, "--ptau") == 0) NEXT(o.host.ptau_file);
        else if (strcmp(a, "--trust-ptau") == 0) {
            const char *v;
            NEXT(v);
            ns_error perr;
            if (ns_ptau_pins_add_hex(&o.pins, v, &perr) != 0) return ns_cli_usage_error(cmd, "%s", perr.msg);
        }
        else if (strcmp(a, "--ptau-cache") == 0) NEXT(o.host.ptau_cache);
        else if (strcmp(a, "--drand-sim") == 0) o.drand_sim = 1;
        else if (strcmp(a, "--drand-relay") == 0) {
            const char *v;
            NEXT(v);
            size_t L = strlen(relays);
            if (L + strlen(v) + 2 > sizeof relays || strchr(v, ',') != NULL)
                return ns_cli_usage_error(cmd, "bad or too many --drand-relay values");
            snprintf(relays + L, sizeof relays - L, "%s%s", L ? "," : "", v);
        }
        else if (strcmp(a, "--circom") == 0) NEXT(o.host.circom_cmd);
        else if (strcmp(a, "--connect") == 0 && host_mode) NEXT(o.connect);
        else if (strcmp(a, "--eif") == 0 && host_mode) NEXT(o.eif);
        else if (strcmp(a, "--debug-mode") == 0 && host_mode) o.debug_mode = 1;
        else if ((strcmp(a, "--cpu-count") == 0 || strcmp(a, "--memory") == 0 || strcmp(a, "--port") == 0) &&
                 host_mode) {
            const char *v;
            NEXT(v);
            char *end;
            long x = strtol(v, &end, 10);
            if (*v == 0 || *end != 0 || x <= 0 || x > 1 << 24)
                return ns_cli_usage_error(cmd, "%s expects a positive integer", a);
            if (a[2] == 'c') o.cpu_count = (int)x;
            else if (a[2] == 'm') o.memory_mib = (int)x;
            else o.port = (int)x;
        }
        else if (strcmp(a, "--keep-workdir") == 0) o.keep_workdir = 1;
        else if (strcmp(a, "-l") == 0) {
            if (nlibs >= MAX_LIBS) return ns_cli_usage_error(cmd, "too many -l directories");
            NEXT(libs[nlibs]);
            nlibs++;
        } else if (a[0] == '-') return ns_cli_usage_error(cmd, "unknown option '%s'", a);
        else if (circuit == NULL) circuit = a;
        else return ns_cli_usage_error(cmd, "unexpected argument '%s'", a);
#undef NEXT
    }
    if (!host_mode && !local) {
        fprintf(stderr, "nitrosetup: ceremony: only --local is available for now (the AWS Nitro flow "
                        "is a later issue); run 'nitrosetup ceremony --local <circuit.circom>'\n");
        return 2;
    }
    if (host_mode && (o.connect == NULL) == (o.eif == NULL))
        return ns_cli_usage_error(cmd, "give exactly one of --connect ADDR and --eif FILE");
    if (o.cpu_count == 0) o.cpu_count = 2;
    if (o.memory_mib == 0) o.memory_mib = 4096;
    if (circuit == NULL) return ns_cli_usage_error(cmd, "missing <circuit.circom>");
    char defout[512];
    if (o.outdir == NULL) {
        const char *base = strrchr(circuit, '/');
        base = base ? base + 1 : circuit;
        size_t bl = strlen(base);
        if (bl > 7 && strcmp(base + bl - 7, ".circom") == 0) bl -= 7;
        snprintf(defout, sizeof defout, "ceremony-%.*s", (int)(bl > 400 ? 400 : bl), base);
        o.outdir = defout;
    }
    o.local = local;
    o.host.circuit = circuit;
    o.host.libdirs = libs;
    o.host.nlibs = nlibs;
    o.host.pins = &o.pins;
    /* TEST ONLY: makes the host misbehave (see src/host/host.h). */
    o.host.hostile = getenv("NS_TEST_HOSTILE");
    if (o.host.hostile != NULL && *o.host.hostile == 0) o.host.hostile = NULL;

    ns_engine eng;
    ns_engine_opts eo = {.local = local || host_mode, .drand_sim = o.drand_sim,
                         .drand_relays = relays[0] ? relays : NULL};
    ns_error err;
    if (ns_engine_real_init(&eng, &eo, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    /* The host of `nitrosetup host` does not know whether the enclave is
     * simulated until it sees the documents; only local mode is. */
    eng.simulated_nsm = local;
    o.host.eng = &eng;
    if (o.drand_sim)
        fprintf(stderr, "nitrosetup: WARNING: --drand-sim: the beacon comes from a simulated drand chain; "
                        "the bundle is SIMULATED\n");
    int rc = ns_host_run(&o, &err);
    ns_engine_real_free(&eng);
    if (rc != 0) {
        ns_error_print(&err);
        fprintf(stderr, "nitrosetup: %s: failed; no bundle was written\n", cmd);
        return 1;
    }
    return 0;
}

int ns_cmd_ceremony(int argc, char **argv) { return ns_ceremony_main(argc, argv, 0); }
