/* `nitrosetup aws setup|status|resume|download|teardown|jobs`: the job
 * bucket once, then any job by its id, from its state file when there is
 * one (teardown and jobs also work without: the stack's name and the
 * nitrosetup:job tag find everything). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "app/aws_setup.h"
#include "aws/account.h"
#include "aws/cfn.h"
#include "aws/ec2.h"
#include "cli/aws_commands.h"
#include "cli/aws_run.h"
#include "cli/commands.h"
#include "cli/opt.h"
#include "host/job_file.h"
#include "util/interrupt.h"

#define REGION_OPTS(region, profile)                                                                                   \
    OPT_STRING(0, "region", &region, "R", "AWS region (default: the job's, else AWS_REGION)"),                         \
        OPT_STRING(0, "profile", &profile, "P", "AWS CLI profile (default: the job's)")

static const ns_cmd_spec SETUP = {
    "aws setup", "", 0, 0,
    "Makes the job bucket nitrosetup-jobs-<account>-<region> once per account and region:\n"
    "public access blocked, job data under jobs/ expiring after --expire-days, incomplete\n"
    "multipart uploads aborted after 1 day, tagged nitrosetup=jobs.  Running it again\n"
    "changes nothing and says so.\n",
};

int ns_aws_cmd_setup(int argc, char **argv) {
    const char *region = NULL, *profile = NULL;
    long long days = 14;
    int rc;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "region", &region, "R", "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION)"),
        OPT_STRING(0, "profile", &profile, "P", "AWS CLI profile"),
        OPT_INT(0, "expire-days", &days, "N", 1, 3650, "days before a job's data expires (default 14)"),
        OPT_END(),
    };
    if (ns_opt_parse(&SETUP, OPTS, &argc, argv, &rc) != 0) return rc;
    region = ns_cli_aws_region(region);
    if (region == NULL) return ns_cli_usage_error("aws setup", "no AWS region: give --region or set AWS_REGION");
    ns_cli_aws_ui u;
    ns_cli_aws_ui_init(&u);
    ns_aws a;
    ns_error err;
    char bucket[128];
    int changed = 0;
    if (ns_aws_open(&a, region, profile, &err) != 0 ||
        ns_aws_setup(&a, (int)days, bucket, sizeof bucket, &changed, &u.ui, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    if (changed == 0) fprintf(stderr, "%s: aws setup: %s is already set up; nothing changed\n", ns_program_name, bucket);
    else fprintf(stderr, "%s: aws setup: %s is ready (%d settings written)\n", ns_program_name, bucket, changed);
    printf("%s\n", bucket);
    return 0;
}

/* Opens the CLI for a job: its state file's region and profile unless
 * given.  *have_state says whether the file exists. */
static int open_job(ns_aws *a, ns_aws_job *j, const char *id, const char *region, const char *profile, int need_state,
                    int *have_state, const char *cmd) {
    ns_error err;
    *have_state = 0;
    if (!ns_job_id_valid(id)) return ns_cli_usage_error(cmd, "'%s' is not a job id", id);
    int missing = 0;
    if (ns_aws_state_load(j, id, &missing, &err) == 0) *have_state = 1;
    else if (!missing || need_state) {
        ns_error_print(&err);
        return missing ? 2 : 1;
    } else
        ns_aws_job_init(j, id);
    if (region == NULL && *have_state && j->region[0]) region = j->region;
    region = ns_cli_aws_region(region);
    if (profile == NULL && *have_state && j->profile[0]) profile = j->profile;
    if (region == NULL) return ns_cli_usage_error(cmd, "no AWS region: give --region or set AWS_REGION");
    if (ns_aws_open(a, region, profile, &err) != 0) {
        ns_error_print(&err);
        return 2;
    }
    if (!*have_state) {
        snprintf(j->region, sizeof j->region, "%s", a->region);
        snprintf(j->profile, sizeof j->profile, "%s", a->profile);
    }
    return 0;
}

static const ns_cmd_spec STATUS = {
    "aws status", "<job>", 1, 1,
    "One line about a job: its phase and result, the instance's state and the host's\n"
    "last status (out/status.json).\n",
};

int ns_aws_cmd_status(int argc, char **argv) {
    const char *region = NULL, *profile = NULL;
    int rc, have;
    const ns_opt OPTS[] = {REGION_OPTS(region, profile), OPT_END()};
    if (ns_opt_parse(&STATUS, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_aws a;
    ns_aws_job j;
    if ((rc = open_job(&a, &j, argv[1], region, profile, 1, &have, "aws status")) != 0) return rc;
    char line[2048];
    ns_error err;
    ns_aws_status_line(&a, &j, line, sizeof line, &err);
    printf("%s\n", line);
    if (j.cause[0]) printf("  cause: %s\n", j.cause);
    return 0;
}

static const ns_cmd_spec RESUME = {
    "aws resume", "<job>", 1, 1,
    "Continues a job from its state file where it stopped (waiting for the stack or\n"
    "the host, downloading, tearing down), then tears it down, proves it and verifies\n"
    "the bundle, as 'ceremony' would have.\n",
};

int ns_aws_cmd_resume(int argc, char **argv) {
    const char *region = NULL, *profile = NULL;
    int rc, have;
    const ns_opt OPTS[] = {REGION_OPTS(region, profile), OPT_END()};
    if (ns_opt_parse(&RESUME, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_aws a;
    ns_aws_job j;
    if ((rc = open_job(&a, &j, argv[1], region, profile, 1, &have, "aws resume")) != 0) return rc;
    ns_error err;
    if (ns_aws_state_lock(&j, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    ns_cli_aws_ui u;
    ns_cli_aws_ui_init(&u);
    ns_cli_aws_farewell(&j);
    if (j.torn_down && strcmp(j.phase, "done") == 0) {
        fprintf(stderr, "%s: job %s is finished (%s); nothing to resume\n", ns_program_name, j.job,
                j.result[0] ? j.result : "done");
        return strcmp(j.result, "ok") == 0 ? 0 : 1;
    }
    if (strcmp(j.result, "credentials") == 0 || strcmp(j.result, "detached") == 0) j.result[0] = 0;
    fprintf(stderr, "%s: resuming job %s (phase %s)\n", ns_program_name, j.job, j.phase);
    int failed_before = j.cause[0] != 0 && !j.downloaded;
    if (!failed_before) return ns_cli_aws_finish_job(&a, &j, &u, 1, 1);
    /* it failed before: finish the teardown, say why again */
    int rc2 = ns_cli_aws_finish_job(&a, &j, &u, 0, 0);
    fprintf(stderr, "%s: job %s failed: %s\n", ns_program_name, j.job, j.cause);
    return rc2 == 130 ? 130 : 1;
}

static const ns_cmd_spec DOWNLOAD = {
    "aws download", "<job>", 1, 1,
    "Downloads a finished job's bundle (again) into its bundle directory, or -o DIR,\n"
    "checked against MANIFEST.sha256 and DONE.json; files already complete are kept.\n",
};

int ns_aws_cmd_download(int argc, char **argv) {
    const char *region = NULL, *profile = NULL, *outdir = NULL;
    int rc, have;
    const ns_opt OPTS[] = {REGION_OPTS(region, profile),
                           OPT_STRING('o', "output", &outdir, "DIR", "bundle directory (default: the job's)"),
                           OPT_END()};
    if (ns_opt_parse(&DOWNLOAD, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_aws a;
    ns_aws_job j;
    if ((rc = open_job(&a, &j, argv[1], region, profile, 1, &have, "aws download")) != 0) return rc;
    if (outdir) snprintf(j.outdir, sizeof j.outdir, "%s", outdir);
    ns_error err;
    if (ns_aws_state_lock(&j, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    ns_cli_aws_ui u;
    ns_cli_aws_ui_init(&u);
    ns_interrupt_set_mode(NS_INTR_NOTIFY_STOP);
    ns_aws_outcome o = ns_aws_download(&a, &j, &u.ui, &err);
    if (o == NS_AWS_INTERRUPTED || ns_interrupt_pending()) {
        fprintf(stderr, "%s: interrupted; run the command again to continue the download\n", ns_program_name);
        return 130;
    }
    if (o != NS_AWS_DONE) {
        fprintf(stderr, "%s: aws download: %s\n", ns_program_name, err.msg);
        return 1;
    }
    return 0;
}

static const ns_cmd_spec TEARDOWN = {
    "aws teardown", "<job>", 1, 1,
    "Deletes everything a job left in AWS and proves it: the stack (by id, else by its\n"
    "name nitrosetup-JOB), then whatever carries the tag nitrosetup:job=JOB (instances,\n"
    "volumes, network interfaces, addresses) and open uploads under the job's prefix.\n"
    "Works without the state file.  Prints one line per check and writes the answers to\n"
    "the state directory (and the bundle directory when known).\n",
};

int ns_aws_cmd_teardown(int argc, char **argv) {
    const char *region = NULL, *profile = NULL;
    int rc, have;
    const ns_opt OPTS[] = {REGION_OPTS(region, profile), OPT_END()};
    if (ns_opt_parse(&TEARDOWN, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_aws a;
    ns_aws_job j;
    if ((rc = open_job(&a, &j, argv[1], region, profile, 0, &have, "aws teardown")) != 0) return rc;
    ns_error err;
    if (!have) {
        fprintf(stderr, "%s: no state file for job %s: finding it by its name and tags in %s\n", ns_program_name,
                j.job, a.region);
        if (ns_aws_account(&a, &j, &err) != 0) {
            /* without the bucket the rest still works */
            j.bucket[0] = 0;
            if (j.account[0] == 0) {
                ns_error_print(&err);
                return 1;
            }
        }
    }
    if (ns_aws_state_lock(&j, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    ns_cli_aws_ui u;
    ns_cli_aws_ui_init(&u);
    ns_cli_aws_farewell(&j);
    ns_interrupt_set_mode(NS_INTR_NOTIFY);
    if (ns_aws_finish(&a, &j, &u.ui, &err) != 0) {
        fprintf(stderr, "%s: aws teardown: %s\n", ns_program_name, err.msg);
        return 1;
    }
    fprintf(stderr, "%s: job %s: nothing is left\n", ns_program_name, j.job);
    return 0;
}

static const ns_cmd_spec JOBS = {
    "aws jobs", "", 0, 0,
    "Every job this machine knows (the state directory) and every stack named\n"
    "nitrosetup-* or instance tagged nitrosetup:job in the regions of those jobs and\n"
    "the current one: id, region, state, instance, cost so far (the instance's running\n"
    "time x its price).  --json prints an array of objects with at least id and state.\n",
};

/* The entry for id in arr (created when missing). */
static json_t *entry_for(json_t *arr, const char *id, const char *region) {
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0) return e;
    }
    e = json_pack("{s:s, s:s, s:s, s:b}", "id", id, "region", region, "state", "unknown", "local_state", 0);
    json_array_append_new(arr, e);
    return e;
}

int ns_aws_cmd_jobs(int argc, char **argv) {
    const char *region = NULL, *profile = NULL;
    int json = 0, rc;
    const ns_opt OPTS[] = {
        OPT_STRING(0, "region", &region, "R", "also look in this region (default: AWS_REGION)"),
        OPT_STRING(0, "profile", &profile, "P", "AWS CLI profile"), OPT_JSON(&json), OPT_END(),
    };
    if (ns_opt_parse(&JOBS, OPTS, &argc, argv, &rc) != 0) return rc;
    ns_error err;
    char **ids = NULL;
    size_t nids = 0;
    if (ns_aws_state_list(&ids, &nids, &err) != 0) {
        ns_error_print(&err);
        return 1;
    }
    json_t *arr = json_array();
    char regions[16][64];
    int nreg = 0;
    const char *cur = ns_cli_aws_region(region);
    if (cur) snprintf(regions[nreg++], sizeof regions[0], "%s", cur);
    for (size_t i = 0; i < nids; i++) {
        ns_aws_job j;
        int missing;
        if (ns_aws_state_load(&j, ids[i], &missing, &err) != 0) continue;
        json_t *e = entry_for(arr, j.job, j.region);
        json_object_set_new(e, "local_state", json_true());
        json_object_set_new(e, "phase", json_string(j.phase));
        json_object_set_new(e, "result", json_string(j.result));
        json_object_set_new(e, "state", json_string(j.torn_down && strcmp(j.phase, "done") == 0
                                                        ? (j.result[0] ? j.result : "done")
                                                        : j.phase));
        if (j.instance[0]) json_object_set_new(e, "instance", json_string(j.instance));
        json_object_set_new(e, "usd_hour", json_real(j.usd_hour));
        int seen = 0;
        for (int r = 0; r < nreg; r++) seen |= strcmp(regions[r], j.region) == 0;
        if (!seen && nreg < 16 && j.region[0]) snprintf(regions[nreg++], sizeof regions[0], "%s", j.region);
    }
    ns_aws_state_list_free(ids, nids);
    int failures = 0;
    for (int r = 0; r < nreg; r++) {
        ns_aws a;
        if (ns_aws_open(&a, regions[r], profile, &err) != 0) {
            ns_error_print(&err);
            failures++;
            continue;
        }
        /* stacks named nitrosetup-* that are not deleted */
        const char *args[] = {"cloudformation", "list-stacks", NULL};
        json_t *ls = ns_aws_json(&a, args, NULL, &err);
        if (ls == NULL) {
            fprintf(stderr, "%s: aws jobs: %s: %s\n", ns_program_name, regions[r], err.msg);
            failures++;
        }
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(ls, "StackSummaries"), i, s) {
            const char *name = json_string_value(json_object_get(s, "StackName"));
            const char *st = json_string_value(json_object_get(s, "StackStatus"));
            if (!name || !st || strncmp(name, "nitrosetup-", 11) != 0 || strcmp(st, "DELETE_COMPLETE") == 0) continue;
            if (!ns_job_id_valid(name + 11)) continue;
            json_t *e = entry_for(arr, name + 11, regions[r]);
            json_object_set_new(e, "stack", json_string(st));
            if (!json_is_true(json_object_get(e, "local_state")))
                json_object_set_new(e, "state", json_string("running (no local state)"));
        }
        json_decref(ls);
        json_t *inst = ns_ec2_job_instances(&a, NULL, &err);
        if (inst == NULL) {
            fprintf(stderr, "%s: aws jobs: %s: %s\n", ns_program_name, regions[r], err.msg);
            failures++;
        }
        json_array_foreach(inst, i, s) {
            const char *job = json_string_value(json_object_get(s, "job"));
            const char *st = json_string_value(json_object_get(s, "state"));
            if (!job || !ns_job_id_valid(job)) continue;
            json_t *e = entry_for(arr, job, regions[r]);
            json_object_set_new(e, "instance", json_string(json_string_value(json_object_get(s, "id"))));
            json_object_set_new(e, "instance_state", json_string(st));
            if (!json_is_true(json_object_get(e, "local_state")) && ns_ec2_state_alive(st))
                json_object_set_new(e, "state", json_string("running (no local state)"));
            /* cost so far: running time x the price (the state's, else the live one) */
            double price = json_number_value(json_object_get(e, "usd_hour"));
            const char *type = json_string_value(json_object_get(s, "type"));
            if (price <= 0 && type && *type) {
                double gp3;
                if (ns_aws_prices(&a, type, &price, &gp3, NULL, &err) != 0) price = 0;
                json_object_set_new(e, "usd_hour", json_real(price));
            }
            double hours = ns_ec2_state_alive(st) ? ns_aws_hours_since(json_string_value(json_object_get(s, "launch"))) : 0;
            json_object_set_new(e, "running_hours", json_real(hours));
            json_object_set_new(e, "cost_usd", json_real(price * hours));
        }
        json_decref(inst);
    }
    if (json) {
        char *text = json_dumps(arr, JSON_INDENT(2));
        printf("%s\n", text ? text : "[]");
        free(text);
    } else {
        size_t i;
        json_t *e;
        if (json_array_size(arr) == 0) printf("no jobs\n");
        json_array_foreach(arr, i, e) {
            const char *inst = json_string_value(json_object_get(e, "instance"));
            const char *ist = json_string_value(json_object_get(e, "instance_state"));
            printf("%-22s %-10s %-26s %s %s", json_string_value(json_object_get(e, "id")),
                   json_string_value(json_object_get(e, "region")), json_string_value(json_object_get(e, "state")),
                   inst ? inst : "-", ist ? ist : "");
            json_t *cost = json_object_get(e, "cost_usd");
            if (cost) printf("  $%.2f so far", json_number_value(cost));
            printf("\n");
        }
    }
    json_decref(arr);
    return failures ? 1 : 0;
}
