#include "app/aws_setup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/account.h"

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Reads a bucket setting: the JSON answer, json_null() when the bucket has
 * none (the service's "no such configuration" codes), NULL on failure. */
static json_t *get_setting(const ns_aws *a, const char *cmd, const char *bucket, ns_error *err) {
    const char *args[] = {"s3api", cmd, "--bucket", bucket, NULL};
    ns_aws_result r = {0};
    json_t *j = ns_aws_json(a, args, &r, err);
    if (j == NULL && (strstr(r.code, "NoSuch") != NULL || strcmp(r.code, "NoSuchPublicAccessBlockConfiguration") == 0))
        j = json_null();
    ns_aws_result_free(&r);
    return j;
}

static int put(const ns_aws *a, const char *const *args, ns_error *err) {
    ns_aws_result r = {0};
    int rc = ns_aws_run_retry(a, &r, args, 4, err);
    ns_aws_result_free(&r);
    return rc;
}

int ns_aws_setup(const ns_aws *a, int expire_days, char *bucket, size_t cap, int *changed, const ns_aws_ui *ui,
                 ns_error *err) {
    *changed = 0;
    char account[16], arn[512];
    ns_aws_result r = {0};
    if (ns_aws_identity(a, account, sizeof account, arn, sizeof arn, &r, err) != 0) {
        ns_aws_result_free(&r);
        return -1;
    }
    snprintf(bucket, cap, "nitrosetup-jobs-%s-%s", account, a->region);
    /* the bucket */
    const char *hb[] = {"s3api", "head-bucket", "--bucket", bucket, NULL};
    int rc = ns_aws_run(a, &r, hb, err);
    if (rc != 0 && (r.kind == NS_AWS_E_NOT_FOUND || strcmp(r.code, "NoSuchBucket") == 0)) {
        char loc[96];
        snprintf(loc, sizeof loc, "LocationConstraint=%s", a->region);
        const char *mk[] = {"s3api", "create-bucket", "--bucket", bucket, NULL, NULL, NULL};
        if (strcmp(a->region, "us-east-1") != 0) { /* us-east-1 takes no location constraint */
            mk[4] = "--create-bucket-configuration";
            mk[5] = loc;
        }
        ns_aws_say(ui, "setup: creating the job bucket %s", bucket);
        if (put(a, mk, err) != 0) {
            ns_aws_result_free(&r);
            return -1;
        }
        (*changed)++;
    } else if (rc != 0) {
        if (r.exit_code == 254 && (strcmp(r.code, "403") == 0 || strcmp(r.code, "Forbidden") == 0))
            ns_error_set(err, "the bucket name %s is taken by another account", bucket);
        ns_aws_result_free(&r);
        return -1;
    }
    ns_aws_result_free(&r);
    /* the public-access block: all four on */
    json_t *pab = get_setting(a, "get-public-access-block", bucket, err);
    if (pab == NULL) return -1;
    json_t *c = json_object_get(pab, "PublicAccessBlockConfiguration");
    int all = c != NULL;
    const char *flags[] = {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"};
    for (int i = 0; i < 4 && all; i++) all = json_is_true(json_object_get(c, flags[i]));
    json_decref(pab);
    if (!all) {
        ns_aws_say(ui, "setup: blocking public access to %s", bucket);
        const char *args[] = {"s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration",
                              "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
                              NULL};
        if (put(a, args, err) != 0) return -1;
        (*changed)++;
    }
    /* the lifecycle rule */
    json_t *lc = get_setting(a, "get-bucket-lifecycle-configuration", bucket, err);
    if (lc == NULL) return -1;
    int have = 0;
    size_t i;
    json_t *rule;
    json_array_foreach(json_object_get(lc, "Rules"), i, rule) {
        if (strcmp(jstr(rule, "ID"), "nitrosetup-jobs") != 0) continue;
        have = strcmp(jstr(rule, "Status"), "Enabled") == 0 &&
               strcmp(jstr(json_object_get(rule, "Filter"), "Prefix"), "jobs/") == 0 &&
               json_integer_value(json_object_get(json_object_get(rule, "Expiration"), "Days")) == expire_days &&
               json_integer_value(json_object_get(json_object_get(rule, "AbortIncompleteMultipartUpload"),
                                                  "DaysAfterInitiation")) == 1;
    }
    json_decref(lc);
    if (!have) {
        char cfg[400];
        snprintf(cfg, sizeof cfg,
                 "{\"Rules\":[{\"ID\":\"nitrosetup-jobs\",\"Status\":\"Enabled\",\"Filter\":{\"Prefix\":\"jobs/\"},"
                 "\"Expiration\":{\"Days\":%d},\"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":1}}]}",
                 expire_days);
        ns_aws_say(ui, "setup: lifecycle of %s: jobs/ expires after %d days, open uploads are aborted after 1 day",
                   bucket, expire_days);
        const char *args[] = {"s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket,
                              "--lifecycle-configuration", cfg, NULL};
        if (put(a, args, err) != 0) return -1;
        (*changed)++;
    }
    /* the tag */
    json_t *tg = get_setting(a, "get-bucket-tagging", bucket, err);
    if (tg == NULL) return -1;
    int tagged = 0;
    json_t *t;
    /* put-bucket-tagging replaces the set: keep the owner's other tags */
    json_t *set = json_array();
    json_array_foreach(json_object_get(tg, "TagSet"), i, t) {
        if (strcmp(jstr(t, "Key"), "nitrosetup") == 0) tagged = strcmp(jstr(t, "Value"), "jobs") == 0;
        else json_array_append_new(set, json_pack("{s:s, s:s}", "Key", jstr(t, "Key"), "Value", jstr(t, "Value")));
    }
    json_decref(tg);
    int rc2 = 0;
    if (!tagged) {
        json_array_append_new(set, json_pack("{s:s, s:s}", "Key", "nitrosetup", "Value", "jobs"));
        json_t *doc = json_pack("{s:O}", "TagSet", set);
        char *text = json_dumps(doc, JSON_COMPACT);
        json_decref(doc);
        ns_aws_say(ui, "setup: tagging %s nitrosetup=jobs", bucket);
        const char *args[] = {"s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging", text ? text : "{}", NULL};
        rc2 = put(a, args, err);
        free(text);
        if (rc2 == 0) (*changed)++;
    }
    json_decref(set);
    return rc2;
}
