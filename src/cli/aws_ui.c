/* What the AWS commands share: how job messages reach the user (stderr;
 * one rewritten progress line on a terminal, plain lines otherwise), the
 * region and profile options, the polling knobs, and the end of every job
 * (drive, teardown and proof, verification) used by `ceremony`, `aws
 * resume` and `aws download`. */
#include "cli/aws_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "app/aws_job.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "protocol/manifest.h"
#include "util/interrupt.h"

static void ui_end_progress(ns_cli_aws_ui *u) {
    if (u->progress_shown) {
        fputs("\r\033[K", stderr);
        u->progress_shown = 0;
    }
}

static void ui_line(void *v, const char *text) {
    ns_cli_aws_ui *u = v;
    ui_end_progress(u);
    fprintf(stderr, "%s: %s\n", ns_program_name, text);
    fflush(stderr);
}

static void ui_progress(void *v, const char *text) {
    ns_cli_aws_ui *u = v;
    if (u->tty) {
        fprintf(stderr, "\r\033[K%s: %.150s", ns_program_name, text);
        fflush(stderr);
        u->progress_shown = 1;
        return;
    }
    if (strcmp(u->last, text) == 0) return; /* plain lines: only when something changed */
    snprintf(u->last, sizeof u->last, "%s", text);
    fprintf(stderr, "%s: %s\n", ns_program_name, text);
    fflush(stderr);
}

static int env_seconds(const char *name, int def) {
    const char *v = getenv(name);
    if (v == NULL || *v == 0) return def * 1000;
    char *end;
    double d = strtod(v, &end);
    if (*end != 0 || d <= 0 || d > 86400) return def * 1000;
    return (int)(d * 1000);
}

void ns_cli_aws_ui_init(ns_cli_aws_ui *u) {
    memset(u, 0, sizeof *u);
    u->tty = isatty(2);
    u->ui.line = ui_line;
    u->ui.progress = ui_progress;
    u->ui.u = u;
    u->ui.poll_ms = env_seconds("NITROSETUP_POLL_S", 15);
    u->ui.heartbeat_s = env_seconds("NITROSETUP_HEARTBEAT_LOSS_S", 600) / 1000;
    if (u->ui.heartbeat_s < 1) u->ui.heartbeat_s = 1;
}

const char *ns_cli_aws_region(const char *given) {
    if (given && *given) return given;
    const char *r = getenv("AWS_REGION");
    if (r && *r) return r;
    r = getenv("AWS_DEFAULT_REGION");
    return r && *r ? r : NULL;
}

void ns_cli_aws_farewell(const ns_aws_job *j) {
    char text[1600];
    snprintf(text, sizeof text,
             "\n%s: interrupted again: job %s is left as it is (state file kept).\n"
             "%s:   tear it down: %s aws teardown %s   (or continue: %s aws resume %s)\n"
             "%s:   %s%s\n",
             ns_program_name, j->job, ns_program_name, ns_program_name, j->job, ns_program_name, j->job,
             ns_program_name, j->deadline[0] ? "the instance terminates itself by " : "no instance was started",
             j->deadline[0] ? j->deadline : "");
    ns_interrupt_set_farewell(text);
}

/* Verifies the bundle with the PCRs of the image the job used; the verify
 * command's exit code. */
static int verify_bundle(const ns_aws_job *j, ns_cli_aws_ui *u) {
    ns_eif_measurement m;
    ns_error err;
    if (!j->eif[0] || ns_eif_measure_file(&m, j->eif, &err) != 0) {
        ui_line(u, j->eif[0] ? err.msg : "no enclave image recorded for this job: cannot pin its PCRs");
        return 1;
    }
    char p0[110], p1[110], p2[110];
    char h[97];
    ns_hex_encode(h, m.pcr0, 48);
    snprintf(p0, sizeof p0, "0=%s", h);
    ns_hex_encode(h, m.pcr1, 48);
    snprintf(p1, sizeof p1, "1=%s", h);
    ns_hex_encode(h, m.pcr2, 48);
    snprintf(p2, sizeof p2, "2=%s", h);
    /* a simulated test image writes a simulated bundle: the manifest says so,
     * and then (only then) the simulated parts are allowed: the report says
     * NOT TRUSTED */
    int simulated = 0;
    char mp[4200];
    snprintf(mp, sizeof mp, "%s/manifest.json", j->outdir);
    FILE *f = fopen(mp, "rb");
    char *buf = malloc(1 << 20);
    size_t n = f && buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    if (f) fclose(f);
    ns_manifest *man = malloc(sizeof *man);
    if (buf && man && ns_manifest_from_json(man, buf, n, &err) == 0)
        simulated = man->simulated_nsm || man->simulated_drand || man->debug_mode;
    free(buf);
    free(man);
    char *argv[64];
    int argc = 0;
    argv[argc++] = "verify";
    argv[argc++] = (char *)j->outdir;
    if (simulated) {
        /* a simulated NSM's PCRs belong to no image: nothing to pin, and the
         * verifier says so (a warning, allowed only for simulated bundles) */
        argv[argc++] = "--allow-simulated";
    } else {
        argv[argc++] = "--pcr";
        argv[argc++] = p0;
        argv[argc++] = "--pcr";
        argv[argc++] = p1;
        argv[argc++] = "--pcr";
        argv[argc++] = p2;
    }
    if (j->ptau[0]) {
        argv[argc++] = "--ptau";
        argv[argc++] = (char *)j->ptau;
    }
    if (u->json) argv[argc++] = "--json";
    for (int i = 0; i < j->npins && argc < 60; i++) {
        argv[argc++] = "--trust-ptau";
        argv[argc++] = (char *)j->pins[i];
    }
    argv[argc] = NULL;
    ui_line(u, simulated ? "verify: the bundle says it is SIMULATED (a test enclave image, simulated NSM whose PCRs "
                           "belong to no image): verifying with --allow-simulated; it is NOT TRUSTED"
                         : "verify: the bundle, with the PCRs of the enclave image the job ran");
    fflush(stderr);
    return ns_cmd_verify(argc, argv);
}

int ns_cli_aws_finish_job(const ns_aws *a, ns_aws_job *j, ns_cli_aws_ui *u, int drive, int verify) {
    ns_error err;
    ns_aws_outcome o = NS_AWS_DONE;
    if (drive) {
        ns_interrupt_set_mode(NS_INTR_NOTIFY_STOP);
        o = ns_aws_drive(a, j, &u->ui, &err);
    }
    ui_end_progress(u);
    if (o == NS_AWS_CREDENTIALS) {
        ui_line(u, err.msg);
        fprintf(stderr,
                "%s: your AWS credentials stopped working (expired?): job %s is left running and its state kept.\n"
                "%s:   refresh them (aws sso login, or new keys), then: %s aws resume %s\n"
                "%s:   the instance terminates itself by %s whatever happens\n",
                ns_program_name, j->job, ns_program_name, ns_program_name, j->job, ns_program_name,
                j->deadline[0] ? j->deadline : "its deadline");
        snprintf(j->result, sizeof j->result, "credentials");
        ns_aws_state_save(j, &err);
        return 1;
    }
    int interrupted = ns_interrupt_pending() != 0 || o == NS_AWS_INTERRUPTED;
    if (interrupted) {
        fprintf(stderr, "%s: interrupted in phase %s: tearing down job %s; press Ctrl-C again to leave it and "
                        "resume later\n", ns_program_name, j->phase, j->job);
        snprintf(j->result, sizeof j->result, "interrupted");
        snprintf(j->cause, sizeof j->cause, "interrupted by the user in phase %s", j->phase);
    } else if (o == NS_AWS_FAILED) {
        fprintf(stderr, "%s: job %s failed: %s\n", ns_program_name, j->job, j->cause);
    }
    ns_interrupt_set_mode(NS_INTR_NOTIFY); /* tearing down: no call is cut short */
    int frc = ns_aws_finish(a, j, &u->ui, &err);
    if (frc != 0) {
        ui_line(u, err.msg);
        if (j->result[0] == 0 || strcmp(j->result, "ok") == 0) snprintf(j->result, sizeof j->result, "failed");
        ns_aws_state_save(j, &err);
        if (!j->torn_down)
            fprintf(stderr, "%s: the teardown of job %s is not finished: run '%s aws teardown %s' (the instance "
                            "terminates itself by %s)\n",
                    ns_program_name, j->job, ns_program_name, j->job, j->deadline[0] ? j->deadline : "its deadline");
    }
    /* a Ctrl-C during the teardown let it finish; it still ends the run */
    if (interrupted || ns_interrupt_pending()) {
        if (!interrupted && o == NS_AWS_FAILED)
            fprintf(stderr, "%s: job %s failed: %s\n", ns_program_name, j->job, j->cause);
        ns_aws_state_save(j, &err);
        return 130;
    }
    if (o != NS_AWS_DONE) {
        fprintf(stderr, "%s: job %s failed: %s\n", ns_program_name, j->job, j->cause);
        return 1;
    }
    if (!verify) return frc == 0 ? 0 : 1;
    int vrc = verify_bundle(j, u);
    snprintf(j->result, sizeof j->result, vrc == 0 && frc == 0 ? "ok" : "failed");
    if (vrc != 0) snprintf(j->cause, sizeof j->cause, "the bundle did not verify");
    ns_aws_state_save(j, &err);
    if (vrc != 0) return vrc;
    return frc == 0 ? 0 : 1;
}
