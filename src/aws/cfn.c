#include "aws/cfn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KV 40

static void copy(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src ? src : ""); }

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int ns_cfn_create_stack(const ns_aws *a, char *id, size_t cap, const ns_cfn_create *c, ns_aws_result *r,
                        ns_error *err) {
    char(*kv)[600] = malloc(2 * MAX_KV * sizeof *kv);
    if (kv == NULL) return ns_error_set(err, "out of memory");
    const char *args[32 + 2 * MAX_KV];
    int n = 0, k = 0;
    args[n++] = "cloudformation";
    args[n++] = "create-stack";
    args[n++] = "--stack-name";
    args[n++] = c->name;
    args[n++] = "--template-body";
    args[n++] = c->template_body;
    args[n++] = "--capabilities";
    args[n++] = "CAPABILITY_IAM";
    args[n++] = "--on-failure";
    args[n++] = "DELETE";
    args[n++] = "--client-request-token";
    args[n++] = c->token;
    if (c->params && c->params[0]) {
        args[n++] = "--parameters";
        for (int i = 0; c->params[i] && k < MAX_KV; i++) {
            const char *eq = strchr(c->params[i], '=');
            if (eq == NULL || strchr(eq, ',') != NULL) {
                free(kv);
                return ns_error_set(err, "stack parameter '%s' is not Key=Value without commas", c->params[i]);
            }
            snprintf(kv[k], sizeof kv[k], "ParameterKey=%.*s,ParameterValue=%s", (int)(eq - c->params[i]),
                     c->params[i], eq + 1);
            args[n++] = kv[k++];
        }
    }
    if (c->tags && c->tags[0]) {
        args[n++] = "--tags";
        for (int i = 0; c->tags[i] && k < 2 * MAX_KV; i++) {
            const char *eq = strchr(c->tags[i], '=');
            if (eq == NULL || strchr(eq, ',') != NULL) {
                free(kv);
                return ns_error_set(err, "stack tag '%s' is not Key=Value", c->tags[i]);
            }
            snprintf(kv[k], sizeof kv[k], "Key=%.*s,Value=%s", (int)(eq - c->tags[i]), c->tags[i], eq + 1);
            args[n++] = kv[k++];
        }
    }
    args[n] = NULL;
    ns_aws_result local = {0};
    json_t *j = ns_aws_json(a, args, r ? r : &local, err);
    ns_aws_result_free(&local);
    free(kv);
    if (j == NULL) return -1;
    const char *sid = jstr(j, "StackId");
    int rc = 0;
    if (*sid == 0) rc = ns_error_set(err, "aws cloudformation create-stack: no StackId in the answer");
    else copy(id, cap, sid);
    json_decref(j);
    return rc;
}

/* Fills s from one element of Stacks[]. */
static void fill_stack(ns_cfn_stack *s, json_t *st) {
    copy(s->id, sizeof s->id, jstr(st, "StackId"));
    copy(s->status, sizeof s->status, jstr(st, "StackStatus"));
    copy(s->reason, sizeof s->reason, jstr(st, "StackStatusReason"));
    json_t *outs = json_object_get(st, "Outputs");
    size_t i;
    json_t *o;
    json_array_foreach(outs, i, o) {
        if (strcmp(jstr(o, "OutputKey"), "InstanceId") == 0) copy(s->instance, sizeof s->instance, jstr(o, "OutputValue"));
    }
}

int ns_cfn_describe(const ns_aws *a, ns_cfn_stack *s, const char *id_or_name, ns_aws_result *r, ns_error *err) {
    memset(s, 0, sizeof *s);
    const char *args[] = {"cloudformation", "describe-stacks", "--stack-name", id_or_name, NULL};
    json_t *j;
    if (ns_aws_json_opt(a, args, r, &j, err) != 0) return -1;
    if (j == NULL) return 0;
    json_t *st = json_array_get(json_object_get(j, "Stacks"), 0);
    if (st != NULL) fill_stack(s, st);
    json_decref(j);
    return 0;
}

int ns_cfn_find_by_name(const ns_aws *a, ns_cfn_stack *s, const char *name, ns_aws_result *r, ns_error *err) {
    memset(s, 0, sizeof *s);
    /* a live stack first (describe by name), else the newest deleted one */
    ns_cfn_stack live;
    if (ns_cfn_describe(a, &live, name, r, err) != 0) return -1;
    if (live.status[0]) {
        *s = live;
        return 0;
    }
    const char *args[] = {"cloudformation", "list-stacks", NULL};
    json_t *j = ns_aws_json(a, args, r, err);
    if (j == NULL) return -1;
    size_t i;
    json_t *e;
    const char *best_time = "";
    json_array_foreach(json_object_get(j, "StackSummaries"), i, e) {
        if (strcmp(jstr(e, "StackName"), name) != 0) continue;
        const char *t = jstr(e, "CreationTime");
        if (strcmp(t, best_time) <= 0 && s->id[0]) continue;
        best_time = t;
        copy(s->id, sizeof s->id, jstr(e, "StackId"));
        copy(s->status, sizeof s->status, jstr(e, "StackStatus"));
        copy(s->reason, sizeof s->reason, jstr(e, "StackStatusReason"));
    }
    json_decref(j);
    return 0;
}

int ns_cfn_delete(const ns_aws *a, const char *id, const char *token, ns_aws_result *r, ns_error *err) {
    const char *args[] = {"cloudformation", "delete-stack", "--stack-name", id, "--client-request-token", token, NULL};
    ns_aws_result local = {0};
    int rc = ns_aws_run_retry(a, r ? r : &local, args, 4, err);
    ns_aws_result_free(&local);
    return rc;
}

int ns_cfn_first_failure(const ns_aws *a, char *out, size_t cap, const char *id, ns_aws_result *r, ns_error *err) {
    out[0] = 0;
    const char *args[] = {"cloudformation", "describe-stack-events", "--stack-name", id, NULL};
    json_t *j = ns_aws_json(a, args, r, err);
    if (j == NULL) return -1;
    json_t *ev = json_object_get(j, "StackEvents");
    /* events are newest first: the last failed one in the list is the oldest */
    for (size_t i = json_array_size(ev); i-- > 0;) {
        json_t *e = json_array_get(ev, i);
        const char *st = jstr(e, "ResourceStatus");
        const char *why = jstr(e, "ResourceStatusReason");
        if (strstr(st, "FAILED") == NULL || *why == 0) continue;
        /* "Resource creation cancelled" is a consequence, not a cause */
        if (strstr(why, "cancelled") != NULL) continue;
        snprintf(out, cap, "%s: %s", jstr(e, "LogicalResourceId"), why);
        break;
    }
    json_decref(j);
    return 0;
}

json_t *ns_cfn_resources(const ns_aws *a, const char *id, ns_aws_result *r, ns_error *err) {
    const char *args[] = {"cloudformation", "describe-stack-resources", "--stack-name", id, NULL};
    json_t *j = ns_aws_json(a, args, r, err);
    if (j == NULL) return NULL;
    json_t *res = json_object_get(j, "StackResources");
    json_t *out = json_is_array(res) ? json_incref(res) : json_array();
    json_decref(j);
    return out;
}

int ns_cfn_status_settled(const char *status) {
    size_t n = strlen(status);
    return n > 0 && strstr(status, "_IN_PROGRESS") == NULL;
}
