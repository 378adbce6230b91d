#include "aws/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/wipe.h"

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

int ns_aws_identity(const ns_aws *a, char *account, size_t acap, char *arn, size_t ncap, ns_aws_result *r,
                    ns_error *err) {
    const char *args[] = {"sts", "get-caller-identity", NULL};
    ns_aws_result local = {0};
    json_t *j = NULL;
    if (ns_aws_run_retry(a, r ? r : &local, args, 4, err) == 0) j = json_loads((r ? r : &local)->out, 0, NULL);
    ns_aws_result_free(&local);
    if (j == NULL) return -1;
    snprintf(account, acap, "%s", jstr(j, "Account"));
    snprintf(arn, ncap, "%s", jstr(j, "Arn"));
    json_decref(j);
    if (strlen(account) != 12 || strspn(account, "0123456789") != 12)
        return ns_error_set(err, "aws sts get-caller-identity: no 12-digit account in the answer");
    return 0;
}

int ns_aws_credentials_expiry(const ns_aws *a, time_t *expires, ns_error *err) {
    *expires = 0;
    const char *args[] = {"configure", "export-credentials", "--format", "process", NULL};
    ns_aws_result r = {0};
    int rc = ns_aws_run(a, &r, args, err);
    if (rc == 0) {
        json_t *j = json_loads(r.out, 0, NULL);
        if (j == NULL) rc = ns_error_set(err, "aws configure export-credentials: unreadable answer");
        else {
            const char *e = jstr(j, "Expiration");
            if (*e) {
                *expires = ns_aws_parse_time(e);
                if (*expires < 0) rc = ns_error_set(err, "aws configure export-credentials: bad Expiration");
            }
            /* jansson keeps its own copies of the secrets: overwrite them */
            const char *keys[] = {"SecretAccessKey", "SessionToken", "AccessKeyId"};
            for (size_t i = 0; i < 3; i++) {
                json_t *v = json_object_get(j, keys[i]);
                const char *s = json_string_value(v);
                if (s) ns_wipe((void *)s, strlen(s));
            }
            json_decref(j);
        }
    }
    if (r.out) ns_wipe(r.out, r.out_len);
    ns_aws_result_free(&r);
    return rc;
}

int ns_aws_vcpu_quota(const ns_aws *a, double *vcpus, ns_aws_result *r, ns_error *err) {
    *vcpus = -1;
    const char *args[] = {"service-quotas", "get-service-quota", "--service-code", "ec2", "--quota-code", "L-1216C47A",
                          NULL};
    json_t *j = ns_aws_json(a, args, r, err);
    if (j == NULL) return -1;
    json_t *v = json_object_get(json_object_get(j, "Quota"), "Value");
    if (json_is_number(v)) *vcpus = json_number_value(v);
    json_decref(j);
    return 0;
}

/* The first OnDemand price in USD of the first product of a get-products
 * answer (each PriceList entry is a JSON document in a string). */
static double first_price(json_t *answer) {
    json_t *pl = json_object_get(answer, "PriceList");
    for (size_t i = 0; i < json_array_size(pl); i++) {
        json_t *doc = json_loads(json_string_value(json_array_get(pl, i)) ? json_string_value(json_array_get(pl, i)) : "",
                                 0, NULL);
        if (doc == NULL) continue;
        double price = -1;
        const char *k1, *k2;
        json_t *term, *dim;
        json_object_foreach(json_object_get(json_object_get(doc, "terms"), "OnDemand"), k1, term) {
            json_object_foreach(json_object_get(term, "priceDimensions"), k2, dim) {
                const char *usd = jstr(json_object_get(dim, "pricePerUnit"), "USD");
                if (*usd && price < 0) price = strtod(usd, NULL);
            }
        }
        json_decref(doc);
        if (price >= 0) return price;
    }
    return -1;
}

int ns_aws_prices(const ns_aws *a, const char *type, double *usd_hour, double *gp3_gb_month, ns_aws_result *r,
                  ns_error *err) {
    *usd_hour = *gp3_gb_month = -1;
    ns_aws p = *a; /* the Pricing API answers in us-east-1 */
    snprintf(p.region, sizeof p.region, "us-east-1");
    char ft[160], fr[160];
    snprintf(ft, sizeof ft, "Type=TERM_MATCH,Field=instanceType,Value=%s", type);
    snprintf(fr, sizeof fr, "Type=TERM_MATCH,Field=regionCode,Value=%s", a->region);
    const char *iargs[] = {"pricing", "get-products", "--service-code", "AmazonEC2", "--filters", ft, fr,
                           "Type=TERM_MATCH,Field=operatingSystem,Value=Linux",
                           "Type=TERM_MATCH,Field=tenancy,Value=Shared",
                           "Type=TERM_MATCH,Field=preInstalledSw,Value=NA",
                           "Type=TERM_MATCH,Field=capacitystatus,Value=Used", NULL};
    json_t *j = ns_aws_json(&p, iargs, r, err);
    if (j == NULL) return -1;
    *usd_hour = first_price(j);
    json_decref(j);
    if (*usd_hour < 0) return ns_error_set(err, "the Pricing API has no on-demand Linux price for %s in %s", type, a->region);
    const char *vargs[] = {"pricing", "get-products", "--service-code", "AmazonEC2", "--filters", fr,
                           "Type=TERM_MATCH,Field=volumeApiName,Value=gp3",
                           "Type=TERM_MATCH,Field=productFamily,Value=Storage", NULL};
    j = ns_aws_json(&p, vargs, r, err);
    if (j == NULL) return -1;
    *gp3_gb_month = first_price(j);
    json_decref(j);
    if (*gp3_gb_month < 0) *gp3_gb_month = 0.08; /* the list price when the API has none (said in the estimate) */
    return 0;
}

time_t ns_aws_parse_time(const char *s) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec, &n) != 6)
        return -1;
    const char *rest = s + n;
    if (*rest == '.')
        for (rest++; *rest >= '0' && *rest <= '9'; rest++) {
        }
    long off = 0;
    if (*rest == 'Z') rest++;
    else if (*rest == '+' || *rest == '-') {
        int hh = 0, mm = 0;
        if (sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2) return -1;
        off = (hh * 3600L + mm * 60L) * (*rest == '-' ? -1 : 1);
        rest += 6;
    }
    if (*rest != 0) return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm) - off;
}

void ns_aws_format_time(char out[32], time_t t) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
