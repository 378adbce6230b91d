/* `nitrosetup ceremony <circuit.circom>` on AWS (the default; --local runs
 * src/cli/cmd_ceremony.c): preflight, estimate and confirmation, the job
 * (app/aws_job.h), teardown and proof (app/aws_teardown.h), verification.
 * docs/aws.md is the user's guide. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/aws_job.h"
#include "app/job_pack.h"
#include "cli/aws_commands.h"
#include "cli/aws_run.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "host/job_file.h"
#include "protocol/policy.h"
#include "util/interrupt.h"

#define MAX_LIBS 16

static const ns_cmd_spec SPEC = {
    "ceremony", "<circuit.circom>", 1, 1,
    "Runs a complete phase-2 ceremony on AWS with your credentials: preflight (circuit,\n"
    "ptau, instance type, quota, default VPC, credentials) before anything costs money,\n"
    "the cost from the live price, your confirmation (or --yes), one CloudFormation stack\n"
    "with one Nitro Enclaves instance, progress, the bundle downloaded and checked, then\n"
    "everything torn down with a proof that nothing is left (aws-teardown.json in the\n"
    "bundle) and the bundle verified with the PCRs of the enclave image.  Ctrl-C tears\n"
    "the job down; a second Ctrl-C leaves it for 'nitrosetup aws teardown JOB'.\n"
    "Needs the job bucket once: 'nitrosetup aws setup'.  See docs/aws.md.\n"
    "--local runs host and enclave on this machine instead (see 'ceremony --local --help').\n",
};

/* 1 when the user says yes on the terminal. */
static int confirm(void) {
    fprintf(stderr, "%s: start this job? [y/N] ", ns_program_name);
    fflush(stderr);
    char line[64];
    FILE *tty = fopen("/dev/tty", "r");
    int yes = 0;
    if (tty != NULL) {
        if (fgets(line, sizeof line, tty) != NULL) yes = line[0] == 'y' || line[0] == 'Y';
        fclose(tty);
    }
    return yes;
}

static void default_outdir(char *out, size_t cap, const char *circuit) {
    const char *base = strrchr(circuit, '/');
    base = base ? base + 1 : circuit;
    size_t bl = strlen(base);
    if (bl > 7 && strcmp(base + bl - 7, ".circom") == 0) bl -= 7;
    snprintf(out, cap, "ceremony-%.*s", (int)(bl > 400 ? 400 : bl), base);
}

static int has_local(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) return 0;
        if (strcmp(argv[i], "--local") == 0) return 1;
    }
    return 0;
}

/* An absolute path (the state file outlives the working directory). */
static void absolute(char *out, size_t cap, const char *p) {
    if (p[0] == '/') snprintf(out, cap, "%s", p);
    else {
        char cwd[2048];
        if (getcwd(cwd, sizeof cwd) == NULL) cwd[0] = 0;
        snprintf(out, cap, "%s/%s", cwd, p);
    }
}

typedef struct {
    const char *circuit;
    const char **libs;
    int nlibs;
    const char *packdir;
    const ns_aws_job *j;
    const char *host_bundle, *ptau, *circom;
    double max_hours;
    int drand_sim;
} pack_args;

/* The job's inputs in packdir (job.json and its files): app/job_pack with
 * the job's names; the instance the pack sized for lands in *instance. */
static int pack_job(const pack_args *p, char *instance, size_t cap, ns_error *err) {
    const char *pins[NS_AWS_MAX_PINS];
    for (int i = 0; i < p->j->npins; i++) pins[i] = p->j->pins[i];
    ns_job_pack_opts o;
    memset(&o, 0, sizeof o);
    o.circuit = p->circuit;
    o.libdirs = p->libs;
    o.nlibs = p->nlibs;
    o.circom_cmd = p->circom;
    o.outdir = p->packdir;
    o.job_id = p->j->job;
    o.region = p->j->region;
    o.bucket = p->j->bucket;
    o.eif = p->j->eif;
    o.host_bundle = p->host_bundle;
    o.ptau_file = p->ptau;
    o.trust_ptau = pins;
    o.ntrust = p->j->npins;
    o.drand_sim = p->drand_sim;
    o.max_hours = p->max_hours;
    ns_job_pack_result *res = calloc(1, sizeof *res);
    if (res == NULL) return ns_error_set(err, "out of memory");
    int rc = ns_job_pack(res, &o, err);
    if (rc == 0) snprintf(instance, cap, "%s", res->instance);
    free(res);
    return rc;
}

/* A bundle directory holding only the teardown proof of an earlier job that
 * failed (that proof is also kept in the state directory, J.teardown.json)
 * does not block a new attempt: the proof goes and the directory with it. */
static int only_old_proof(const char *dir) {
    DIR *d = opendir(dir);
    if (d == NULL) return 0;
    struct dirent *e;
    int other = 0;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 && strcmp(e->d_name, "aws-teardown.json") != 0)
            other = 1;
    closedir(d);
    if (other) return 0;
    char p[4200];
    snprintf(p, sizeof p, "%s/aws-teardown.json", dir);
    return unlink(p) == 0 && rmdir(dir) == 0;
}

int ns_cmd_ceremony(int argc, char **argv) {
    if (has_local(argc, argv)) return ns_ceremony_main(argc, argv, 0);
    const char *outdir = NULL, *region = NULL, *profile = NULL, *type = NULL, *eif = NULL, *host_bundle = NULL;
    const char *ptau = NULL, *circom = "circom";
    double max_hours = 4;
    int yes = 0, detach = 0, json = 0, drand_sim = 0, rc;
    const char *libs[MAX_LIBS], *pin_items[NS_AWS_MAX_PINS];
    ns_opt_list libdirs = {libs, 0, MAX_LIBS}, pins = {pin_items, 0, NS_AWS_MAX_PINS};
    const ns_opt OPTS[] = {
        OPT_STRING('o', "output", &outdir, "DIR", "bundle directory (default: ceremony-<circuit name>)"),
        OPT_LIST('l', NULL, &libdirs, "DIR", "circom library directory (repeatable)"),
        OPT_STRING(0, "region", &region, "R", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION)"),
        OPT_STRING(0, "profile", &profile, "P", "AWS CLI profile"),
        OPT_STRING(0, "instance-type", &type, "T", "EC2 instance type (default: the cheapest that holds the enclave)"),
        OPT_DOUBLE(0, "max-hours", &max_hours, "H", 0.25, 24,
                   "the job's deadline: the instance terminates itself after H hours\n(default 4)"),
        OPT_BOOL(0, "yes", &yes, "do not ask before starting (needed without a terminal)"),
        OPT_BOOL(0, "detach", &detach, "create the job and exit; 'nitrosetup aws resume JOB' continues"),
        OPT_STRING(0, "eif", &eif, "FILE", "enclave image to run (its PCRs pin the verification)"),
        OPT_STRING(0, "host-bundle", &host_bundle, "FILE", "host program tarball (scripts/build-host-bundle.sh)"),
        OPT_STRING(0, "ptau", &ptau, "FILE", "use this ptau: a Hermez file, or one pinned with --trust-ptau"),
        OPT_LIST(0, "trust-ptau", &pins, "HEX", "trust the ptau with this BLAKE2b-512 besides the Hermez files"),
        OPT_STRING(0, "circom", &circom, "CMD", "circom 2 command (default: circom)"),
        OPT_BOOL(0, "drand-sim", &drand_sim, "the simulated drand chain (only a test image accepts it; the bundle is\nSIMULATED)"),
        {NS_OPT_BOOL, 0, "json", &json, NULL, "the verification report as JSON on stdout (with --detach: {\"job\": ID})", 0, 0},
        OPT_BOOL(0, "local", NULL, "host and enclave on this machine (simulated NSM): see --local --help"),
        OPT_END(),
    };
    if (ns_opt_parse(&SPEC, OPTS, &argc, argv, &rc) != 0) return rc;
    const char *circuit = argv[1];
    if (!yes && !detach && !isatty(0))
        return ns_cli_usage_error("ceremony", "no terminal to confirm the cost on: give --yes");
    if (!yes && detach && !isatty(0))
        return ns_cli_usage_error("ceremony", "no terminal to confirm the cost on: give --yes");
    region = ns_cli_aws_region(region);
    if (region == NULL) return ns_cli_usage_error("ceremony", "no AWS region: give --region or set AWS_REGION");
    if (eif == NULL) eif = getenv("NITROSETUP_EIF");
    if (host_bundle == NULL) host_bundle = getenv("NITROSETUP_HOST_BUNDLE");
    if (eif == NULL || *eif == 0)
        return ns_cli_usage_error("ceremony", "give --eif FILE (the enclave image to run; no released image is "
                                              "compiled in yet)");
    if (host_bundle == NULL || *host_bundle == 0)
        return ns_cli_usage_error("ceremony", "give --host-bundle FILE (scripts/build-host-bundle.sh)");
    for (int i = 0; i < pins.n; i++)
        if (strlen(pins.items[i]) != 128 || strspn(pins.items[i], "0123456789abcdef") != 128)
            return ns_cli_usage_error("ceremony", "--trust-ptau: 128 lower-case hex digits, not '%s'", pins.items[i]);

    ns_cli_aws_ui u;
    ns_cli_aws_ui_init(&u);
    u.json = json;
    ns_error err;
    ns_aws a;
    ns_aws_job j;
    char id[48];
    if (ns_job_new_id(id, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    ns_aws_job_init(&j, id);
    ns_cli_aws_farewell(&j);
    /* from here the first Ctrl-C tears down (nothing yet) and proves it */
    ns_interrupt_set_mode(NS_INTR_NOTIFY_STOP);
    char def[512];
    if (outdir == NULL) {
        default_outdir(def, sizeof def, circuit);
        outdir = def;
    }
    absolute(j.outdir, sizeof j.outdir, outdir);
    absolute(j.eif, sizeof j.eif, eif);
    if (ptau) absolute(j.ptau, sizeof j.ptau, ptau);
    for (int i = 0; i < pins.n; i++) snprintf(j.pins[j.npins++], sizeof j.pins[0], "%s", pins.items[i]);
    if (access(j.outdir, F_OK) == 0 && rmdir(j.outdir) != 0 && !only_old_proof(j.outdir)) {
        fprintf(stderr, "%s: %s: the bundle directory exists and is not empty\n", ns_program_name, j.outdir);
        return 2;
    }
    if (ns_aws_open(&a, region, profile, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    fprintf(stderr, "%s: job %s (state: %s aws status %s)\n", ns_program_name, j.job, ns_program_name, j.job);
    if (ns_aws_account(&a, &j, &err) != 0) {
        if (!ns_interrupt_pending()) {
            ns_error_print(&err);
            return 1;
        }
        return ns_cli_aws_finish_job(&a, &j, &u, 0, 0); /* nothing was created: the proof says so */
    }
    if (ns_aws_state_save(&j, &err) != 0 || ns_aws_state_lock(&j, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    /* the job's inputs, packed in the state directory */
    char sdir[4096], packdir[4200];
    if (ns_aws_state_dir(sdir, sizeof sdir, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    snprintf(packdir, sizeof packdir, "%s/%s.in", sdir, j.job);
    pack_args pa = {circuit, libs, libdirs.n, packdir, &j, host_bundle, ptau, circom, max_hours, drand_sim};
    ns_aws_plan plan;
    char sized[64] = "";
    int ok = pack_job(&pa, sized, sizeof sized, &err) == 0;
    if (ok && (type == NULL || *type == 0) && sized[0]) type = sized;
    if (ok && !ns_interrupt_pending())
        ok = ns_aws_plan_job(&a, &j, &plan, packdir, type, max_hours, !detach, &err) == 0;
    if (!ok || ns_interrupt_pending()) {
        if (!ok) {
            fprintf(stderr, "%s: preflight: %s\n", ns_program_name, err.msg);
            snprintf(j.cause, sizeof j.cause, "preflight: %s", err.msg);
            snprintf(j.result, sizeof j.result, "failed");
        }
        /* nothing was created; the proof says so */
        int frc = ns_cli_aws_finish_job(&a, &j, &u, 0, 0);
        return ns_interrupt_pending() ? 130 : (frc == 0 ? 1 : frc);
    }
    fputs(plan.summary, stderr);
    if (!yes && !confirm()) {
        fprintf(stderr, "%s: not started; nothing was created\n", ns_program_name);
        snprintf(j.result, sizeof j.result, "cancelled");
        j.torn_down = 1;
        snprintf(j.phase, sizeof j.phase, "done");
        ns_aws_state_save(&j, &err);
        return 1;
    }
    if (ns_aws_launch(&a, &j, &plan, &u.ui, &err) != 0) {
        ns_cli_aws_farewell(&j);
        if (!ns_interrupt_pending()) {
            fprintf(stderr, "%s: %s\n", ns_program_name, err.msg);
            snprintf(j.cause, sizeof j.cause, "%s", err.msg);
            snprintf(j.result, sizeof j.result, "failed");
        }
        int frc = ns_cli_aws_finish_job(&a, &j, &u, 0, 0);
        return ns_interrupt_pending() ? 130 : (frc == 0 ? 1 : frc);
    }
    ns_cli_aws_farewell(&j);
    if (detach) {
        snprintf(j.result, sizeof j.result, "detached");
        ns_aws_state_save(&j, &err);
        if (json) printf("{\"job\": \"%s\"}\n", j.job);
        else printf("%s\n", j.job);
        fprintf(stderr,
                "%s: job %s created and left running; the instance terminates itself by %s.\n"
                "%s:   follow it: %s aws status %s; finish it: %s aws resume %s\n",
                ns_program_name, j.job, j.deadline, ns_program_name, ns_program_name, j.job, ns_program_name, j.job);
        return 0;
    }
    return ns_cli_aws_finish_job(&a, &j, &u, 1, 1);
}
