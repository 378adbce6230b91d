#include "app/aws_teardown.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aws/account.h"
#include "aws/cfn.h"
#include "aws/ec2.h"
#include "aws/s3.h"
#include "util/rmtree.h"

#define DELETE_ROUNDS 4
#define STACK_WAIT_S (45 * 60)
#define INSTANCE_WAIT_S (15 * 60)

void ns_aws_say(const ns_aws_ui *ui, const char *fmt, ...) {
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (ui && ui->line) ui->line(ui->u, buf);
}

/* Sleeps through a first Ctrl-C: the teardown goes on (a second one ends
 * the process in util/interrupt). */
static void pause_ms(int ms) {
    struct timespec d = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {
    }
}

static int poll_ms(const ns_aws_ui *ui) { return ui && ui->poll_ms > 0 ? ui->poll_ms : 15000; }

/* Waits until the stack's status is settled; s gets the last answer. */
static int wait_settled(const ns_aws *a, ns_cfn_stack *s, const char *id, const ns_aws_ui *ui, ns_error *err) {
    time_t until = time(NULL) + STACK_WAIT_S;
    for (;;) {
        ns_aws_result r = {0};
        int rc = ns_cfn_describe(a, s, id, &r, err);
        ns_aws_result_free(&r);
        if (rc != 0) return -1;
        if (s->status[0] == 0 || ns_cfn_status_settled(s->status)) return 0;
        if (time(NULL) > until)
            return ns_error_set(err, "stack %s is still %s after %d minutes", id, s->status, STACK_WAIT_S / 60);
        if (ui && ui->progress) {
            char t[256];
            snprintf(t, sizeof t, "teardown: stack %s", s->status);
            ui->progress(ui->u, t);
        }
        pause_ms(poll_ms(ui));
    }
}

/* Terminates one instance and waits until EC2 says terminated (or gone). */
static int terminate_and_wait(const ns_aws *a, const char *id, const ns_aws_ui *ui, ns_error *err) {
    ns_aws_result r = {0};
    int rc = ns_ec2_remove(a, NS_EC2_INSTANCES, id, &r, err);
    ns_aws_result_free(&r);
    if (rc != 0) return -1;
    time_t until = time(NULL) + INSTANCE_WAIT_S;
    for (;;) {
        char st[64], why[256];
        if (ns_ec2_instance_state(a, st, sizeof st, why, sizeof why, id, NULL, err) != 0) return -1;
        if (!ns_ec2_state_alive(st)) return 0;
        if (time(NULL) > until) return ns_error_set(err, "instance %s is still %s", id, st);
        pause_ms(poll_ms(ui));
    }
}

/* The stack part of the teardown. */
static int teardown_stack(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    ns_cfn_stack s;
    if (!j->stack_id[0]) {
        if (ns_cfn_find_by_name(a, &s, j->stack_name, NULL, err) != 0) return -1;
        if (!s.status[0]) {
            ns_aws_say(ui, "teardown: no stack %s was ever created", j->stack_name);
            return 0;
        }
        snprintf(j->stack_id, sizeof j->stack_id, "%s", s.id);
        if (ns_aws_state_save(j, err) != 0) return -1;
    }
    for (int round = 0; round < DELETE_ROUNDS; round++) {
        if (wait_settled(a, &s, j->stack_id, ui, err) != 0) return -1;
        if (s.instance[0] && !j->instance[0]) snprintf(j->instance, sizeof j->instance, "%s", s.instance);
        if (!s.status[0] || strcmp(s.status, "DELETE_COMPLETE") == 0) {
            ns_aws_say(ui, "teardown: stack %s DELETE_COMPLETE", j->stack_name);
            return 0;
        }
        if (strcmp(s.status, "DELETE_FAILED") == 0) {
            json_t *res = ns_cfn_resources(a, j->stack_id, NULL, err);
            if (res == NULL) return -1;
            size_t i;
            json_t *e;
            json_array_foreach(res, i, e) {
                const char *st = json_string_value(json_object_get(e, "ResourceStatus"));
                const char *type = json_string_value(json_object_get(e, "ResourceType"));
                const char *pid = json_string_value(json_object_get(e, "PhysicalResourceId"));
                const char *why = json_string_value(json_object_get(e, "ResourceStatusReason"));
                if (!st || strcmp(st, "DELETE_FAILED") != 0) continue;
                ns_aws_say(ui, "teardown: %s (%s) could not be deleted: %s",
                           json_string_value(json_object_get(e, "LogicalResourceId")), type ? type : "?",
                           why ? why : "no reason given");
                if (type && strcmp(type, "AWS::EC2::Instance") == 0 && pid && *pid) {
                    ns_aws_say(ui, "teardown: terminating instance %s directly", pid);
                    if (terminate_and_wait(a, pid, ui, err) != 0) {
                        json_decref(res);
                        return -1;
                    }
                }
            }
            json_decref(res);
        }
        char token[96];
        j->delete_attempts++;
        snprintf(token, sizeof token, "delete-%s-%d", j->job, j->delete_attempts);
        if (ns_aws_state_save(j, err) != 0) return -1; /* the intent first */
        ns_aws_say(ui, "teardown: deleting stack %s (%s)", j->stack_name, token);
        ns_aws_result r = {0};
        int rc = ns_cfn_delete(a, j->stack_id, token, &r, err);
        ns_aws_result_free(&r);
        if (rc != 0) return -1;
    }
    if (wait_settled(a, &s, j->stack_id, ui, err) != 0) return -1;
    if (s.status[0] && strcmp(s.status, "DELETE_COMPLETE") != 0)
        return ns_error_set(err, "stack %s is %s after %d delete attempts (%s)", j->stack_name, s.status, DELETE_ROUNDS,
                            s.reason);
    return 0;
}

/* The sweep by tag, independent of the stack. */
static int sweep(const ns_aws *a, const ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    json_t *inst = ns_ec2_tagged(a, NS_EC2_INSTANCES, j->job, NULL, err);
    if (inst == NULL) return -1;
    size_t i;
    json_t *e;
    json_array_foreach(inst, i, e) {
        const char *id = json_string_value(json_object_get(e, "id"));
        const char *st = json_string_value(json_object_get(e, "state"));
        if (!ns_ec2_state_alive(st)) continue;
        ns_aws_say(ui, "teardown: instance %s is %s: terminating it", id, st);
        if (terminate_and_wait(a, id, ui, err) != 0) {
            json_decref(inst);
            return -1;
        }
    }
    json_decref(inst);
    for (ns_ec2_kind k = NS_EC2_VOLUMES; k <= NS_EC2_ADDRESSES; k++) {
        static const char *const what[] = {"", "volume", "network interface", "address"};
        json_t *list = ns_ec2_tagged(a, k, j->job, NULL, err);
        if (list == NULL) return -1;
        json_array_foreach(list, i, e) {
            const char *id = json_string_value(json_object_get(e, "id"));
            ns_aws_say(ui, "teardown: %s %s is left: deleting it", what[k], id);
            ns_aws_result r = {0};
            int rc = ns_ec2_remove(a, k, id, &r, err);
            ns_aws_result_free(&r);
            if (rc != 0) {
                json_decref(list);
                return -1;
            }
        }
        json_decref(list);
    }
    return 0;
}

/* Aborts the multipart uploads left open under jobs/J/. */
static int abort_uploads(const ns_aws *a, const ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    if (!j->bucket[0]) return 0;
    char prefix[96];
    snprintf(prefix, sizeof prefix, "jobs/%s/", j->job);
    int aborted = 0;
    ns_aws_result r = {0};
    int rc = ns_s3_abort_uploads(a, j->bucket, prefix, &aborted, &r, err);
    if (rc != 0 && (r.kind == NS_AWS_E_NOT_FOUND || strcmp(r.code, "NoSuchBucket") == 0)) rc = 0;
    ns_aws_result_free(&r);
    if (aborted > 0) ns_aws_say(ui, "teardown: aborted %d open upload(s) under %s", aborted, prefix);
    return rc;
}

int ns_aws_teardown(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    if (teardown_stack(a, j, ui, err) != 0) return -1;
    if (sweep(a, j, ui, err) != 0) return -1;
    return abort_uploads(a, j, ui, err);
}

/* ---- the proof ---- */

typedef struct {
    json_t *checks;
    int all_ok;
    const ns_aws_ui *ui;
} proof;

static void check(proof *p, const char *name, int ok, const char *detail, const char *command, json_t *answer) {
    char t[32];
    ns_aws_format_time(t, time(NULL));
    json_array_append_new(p->checks, json_pack("{s:s, s:b, s:s, s:s, s:s, s:o}", "check", name, "ok", ok, "detail",
                                               detail, "command", command, "time", t, "answer",
                                               answer ? answer : json_null()));
    if (!ok) p->all_ok = 0;
    ns_aws_say(p->ui, "%s %s: %s", ok ? "\xe2\x9c\x93" : "\xe2\x9c\x97", name, detail);
}

/* An array of those elements of list whose field differs from value. */
static json_t *not_equal(json_t *list, const char *field, const char *value) {
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        const char *v = json_string_value(json_object_get(e, field));
        if (!v || strcmp(v, value) != 0) json_array_append(out, e);
    }
    return out;
}

static void check_stack(proof *p, const ns_aws *a, const ns_aws_job *j) {
    ns_error err;
    ns_cfn_stack s;
    char cmd[700];
    const char *id = j->stack_id[0] ? j->stack_id : NULL;
    if (id == NULL) {
        snprintf(cmd, sizeof cmd, "cloudformation list-stacks (name %s)", j->stack_name);
        if (ns_cfn_find_by_name(a, &s, j->stack_name, NULL, &err) != 0) {
            check(p, "stack deleted", 0, err.msg, cmd, NULL);
            return;
        }
        if (!s.status[0]) {
            check(p, "stack deleted", 1, "no stack was ever created for this job", cmd, json_null());
            check(p, "stack resources deleted", 1, "no stack", cmd, json_null());
            return;
        }
        id = s.id;
    }
    snprintf(cmd, sizeof cmd, "cloudformation describe-stacks --stack-name %s", id);
    if (ns_cfn_describe(a, &s, id, NULL, &err) != 0) check(p, "stack deleted", 0, err.msg, cmd, NULL);
    else {
        char d[700];
        int ok = s.status[0] == 0 || strcmp(s.status, "DELETE_COMPLETE") == 0;
        snprintf(d, sizeof d, "%s %s (by id)", j->stack_name, s.status[0] ? s.status : "not found");
        check(p, "stack deleted", ok, d, cmd, json_pack("{s:s, s:s}", "StackId", id, "StackStatus", s.status));
    }
    snprintf(cmd, sizeof cmd, "cloudformation describe-stack-resources --stack-name %s", id);
    ns_aws_result r = {0};
    json_t *res = ns_cfn_resources(a, id, &r, &err);
    int nf = r.kind == NS_AWS_E_NOT_FOUND;
    ns_aws_result_free(&r);
    if (res == NULL && nf) check(p, "stack resources deleted", 1, "the stack has no resources left", cmd, json_null());
    else if (res == NULL) check(p, "stack resources deleted", 0, err.msg, cmd, NULL);
    else {
        json_t *left = not_equal(res, "ResourceStatus", "DELETE_COMPLETE");
        char d[300];
        if (json_array_size(left) == 0) snprintf(d, sizeof d, "all %zu DELETE_COMPLETE", json_array_size(res));
        else
            snprintf(d, sizeof d, "%zu not deleted (first: %s %s)", json_array_size(left),
                     json_string_value(json_object_get(json_array_get(left, 0), "LogicalResourceId")),
                     json_string_value(json_object_get(json_array_get(left, 0), "ResourceStatus")));
        check(p, "stack resources deleted", json_array_size(left) == 0, d, cmd, res);
        json_decref(left);
    }
}

static void check_tagged(proof *p, const ns_aws *a, const ns_aws_job *j, ns_ec2_kind k) {
    static const char *const names[] = {"instances terminated", "no volumes", "no network interfaces",
                                        "no elastic addresses", "no snapshots"};
    static const char *const cmds[] = {"describe-instances", "describe-volumes", "describe-network-interfaces",
                                       "describe-addresses", "describe-snapshots --owner-ids self"};
    char cmd[300];
    snprintf(cmd, sizeof cmd, "ec2 %s --filters Name=tag:%s,Values=%s", cmds[k], NS_JOB_TAG, j->job);
    ns_error err;
    json_t *l = ns_ec2_tagged(a, k, j->job, NULL, &err);
    if (l == NULL) {
        check(p, names[k], 0, err.msg, cmd, NULL);
        return;
    }
    char d[300];
    if (k == NS_EC2_INSTANCES) {
        json_t *alive = not_equal(l, "state", "terminated");
        if (json_array_size(l) == 0) snprintf(d, sizeof d, "no instance tagged %s=%s", NS_JOB_TAG, j->job);
        else if (json_array_size(alive) == 0) {
            snprintf(d, sizeof d, "%zu instance(s), all terminated (%s)", json_array_size(l),
                     json_string_value(json_object_get(json_array_get(l, 0), "id")));
        } else
            snprintf(d, sizeof d, "%s is %s", json_string_value(json_object_get(json_array_get(alive, 0), "id")),
                     json_string_value(json_object_get(json_array_get(alive, 0), "state")));
        check(p, names[k], json_array_size(alive) == 0, d, cmd, l);
        json_decref(alive);
        return;
    }
    if (json_array_size(l) == 0) snprintf(d, sizeof d, "none tagged %s=%s", NS_JOB_TAG, j->job);
    else
        snprintf(d, sizeof d, "%zu left (first: %s)", json_array_size(l),
                 json_string_value(json_object_get(json_array_get(l, 0), "id")));
    check(p, names[k], json_array_size(l) == 0, d, cmd, l);
}

/* A check whose answer is a list that must be empty: the list is
 * answer[key] (NULL key: the answer itself). */
static void check_empty(proof *p, const ns_aws *a, const char *name, const char *const *args, const char *key,
                        const char *none_text) {
    char cmd[600] = "";
    for (int i = 0; args[i]; i++) {
        size_t L = strlen(cmd);
        snprintf(cmd + L, sizeof cmd - L, "%s%s", i ? " " : "", args[i]);
    }
    ns_error err;
    ns_aws_result r = {0};
    json_t *j = ns_aws_json(a, args, &r, &err);
    ns_aws_result_free(&r);
    if (j == NULL) {
        check(p, name, 0, err.msg, cmd, NULL);
        return;
    }
    json_t *list = key ? json_object_get(j, key) : j;
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    char d[300];
    if (n == 0) snprintf(d, sizeof d, "%s", none_text);
    else {
        char *first = json_dumps(json_array_get(list, 0), JSON_COMPACT | JSON_ENCODE_ANY);
        snprintf(d, sizeof d, "%zu left (first: %.200s)", n, first ? first : "?");
        free(first);
    }
    check(p, name, n == 0, d, cmd, j);
}

static void check_tagging_api(proof *p, const ns_aws *a, const ns_aws_job *j) {
    char tf[128];
    snprintf(tf, sizeof tf, "Key=%s,Values=%s", NS_JOB_TAG, j->job);
    const char *args[] = {"resourcegroupstaggingapi", "get-resources", "--tag-filters", tf, NULL};
    ns_error err;
    json_t *ans = ns_aws_json(a, args, NULL, &err);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "resourcegroupstaggingapi get-resources --tag-filters %s", tf);
    if (ans == NULL) {
        check(p, "no tagged resources (tagging API)", 0, err.msg, cmd, NULL);
        return;
    }
    /* the index lags: an ARN of an instance that EC2 says is terminated,
     * or of something EC2 no longer knows, is not a leak */
    size_t i, left = 0;
    json_t *e;
    const char *first = "";
    json_array_foreach(json_object_get(ans, "ResourceTagMappingList"), i, e) {
        const char *arn = json_string_value(json_object_get(e, "ResourceARN"));
        if (arn == NULL) continue;
        const char *inst = strstr(arn, ":instance/");
        if (inst != NULL) {
            char st[64], why[128];
            if (ns_ec2_instance_state(a, st, sizeof st, why, sizeof why, inst + 10, NULL, &err) == 0 &&
                !ns_ec2_state_alive(st))
                continue;
        }
        if (!left) first = arn;
        left++;
    }
    char d[400];
    if (left == 0) snprintf(d, sizeof d, "nothing tagged %s=%s is live", NS_JOB_TAG, j->job);
    else snprintf(d, sizeof d, "%zu left (first: %s)", left, first);
    check(p, "no tagged resources (tagging API)", left == 0, d, cmd, ans);
}

int ns_aws_prove(const ns_aws *a, const ns_aws_job *j, const ns_aws_ui *ui, const char *const *paths, int *all_ok,
                 ns_error *err) {
    proof p = {json_array(), 1, ui};
    check_stack(&p, a, j);
    {
        const char *args[] = {"cloudformation", "list-stacks", "--stack-status-filter", "CREATE_IN_PROGRESS",
                              "CREATE_FAILED", "CREATE_COMPLETE", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED",
                              "ROLLBACK_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_FAILED", "UPDATE_COMPLETE",
                              "--query", NULL, NULL};
        char q[200];
        snprintf(q, sizeof q, "StackSummaries[?StackName=='%s']", j->stack_name);
        args[13] = q;
        check_empty(&p, a, "no live stack of the job", args, NULL, "none");
    }
    for (ns_ec2_kind k = NS_EC2_INSTANCES; k <= NS_EC2_SNAPSHOTS; k++) check_tagged(&p, a, j, k);
    {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s", j->stack_name);
        const char *args[] = {"scheduler", "list-schedules", "--name-prefix", prefix, NULL};
        check_empty(&p, a, "no schedules", args, "Schedules", "no schedule of the job is left");
    }
    {
        const char *args[] = {"logs", "describe-log-groups", "--log-group-name-prefix", "/nitrosetup", NULL};
        check_empty(&p, a, "no log groups", args, "logGroups", "no /nitrosetup log group");
    }
    if (j->bucket[0]) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "jobs/%s/", j->job);
        const char *args[] = {"s3api", "list-multipart-uploads", "--bucket", j->bucket, "--prefix", prefix, NULL};
        check_empty(&p, a, "no open multipart uploads", args, "Uploads", "none under the job prefix");
    }
    check_tagging_api(&p, a, j);
    *all_ok = p.all_ok;
    char t[32];
    ns_aws_format_time(t, time(NULL));
    json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o}", "format", "nitrosetup-teardown-1", "job",
                            j->job, "region", a->region, "account", j->account, "stack", j->stack_name, "stack_id",
                            j->stack_id, "time", t, "ok", p.all_ok, "checks", p.checks);
    char *text = json_dumps(doc, JSON_INDENT(2));
    json_decref(doc);
    int written = 0;
    for (int i = 0; paths && paths[i]; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", paths[i]);
        char *slash = strrchr(dir, '/');
        if (slash) {
            *slash = 0;
            mkdir(dir, 0755);
        }
        FILE *f = fopen(paths[i], "wb");
        if (f == NULL) {
            ns_aws_say(ui, "teardown: cannot write %s: %s", paths[i], strerror(errno));
            continue;
        }
        int ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
        if (fclose(f) != 0 || !ok) ns_aws_say(ui, "teardown: cannot write %s", paths[i]);
        else written++;
    }
    free(text);
    if (written == 0 && paths && paths[0]) return ns_error_set(err, "%s: the teardown proof could not be saved", paths[0]);
    return 0;
}

int ns_aws_finish(const ns_aws *a, ns_aws_job *j, const ns_aws_ui *ui, ns_error *err) {
    snprintf(j->phase, sizeof j->phase, "teardown");
    if (ns_aws_state_save(j, err) != 0) return -1;
    ns_aws_say(ui, "tearing down job %s", j->job);
    ns_error terr;
    int trc = ns_aws_teardown(a, j, ui, &terr);
    if (trc != 0) ns_aws_say(ui, "teardown: %s", terr.msg);
    char sdir[4096], p1[4200], p2[8300];
    const char *paths[3] = {NULL, NULL, NULL};
    int n = 0;
    if (j->outdir[0]) {
        snprintf(p2, sizeof p2, "%s/aws-teardown.json", j->outdir);
        paths[n++] = p2;
    }
    if (ns_aws_state_dir(sdir, sizeof sdir, err) == 0) {
        snprintf(p1, sizeof p1, "%s/%s.teardown.json", sdir, j->job);
        paths[n++] = p1;
    }
    int ok = 0;
    ns_aws_say(ui, "proof that nothing of job %s is left:", j->job);
    if (ns_aws_prove(a, j, ui, paths, &ok, err) != 0) return -1;
    if (n > 0) ns_aws_say(ui, "the answers are saved in %s", paths[0]);
    j->torn_down = trc == 0;
    j->proof_ok = ok;
    if (trc == 0 && ok) {
        snprintf(j->phase, sizeof j->phase, "done");
        /* the packed inputs (copies of the image and the host) are in S3 */
        char pack[4200];
        if (ns_aws_state_dir(pack, sizeof pack - 100, err) == 0) {
            size_t L = strlen(pack);
            snprintf(pack + L, sizeof pack - L, "/%s.in", j->job);
            ns_rmtree(pack);
        }
    }
    if (ns_aws_state_save(j, err) != 0) return -1;
    if (trc != 0) {
        *err = terr;
        return -1;
    }
    if (!ok) return ns_error_set(err, "job %s: the teardown proof has a failed check (see above); run "
                                      "'nitrosetup aws teardown %s' again", j->job, j->job);
    return 0;
}
