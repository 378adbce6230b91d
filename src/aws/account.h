/* Account-level answers for the preflight and the cost: who the caller is,
 * until when their credentials last, the on-demand vCPU quota and the live
 * on-demand price (Pricing API). */
#ifndef NS_AWS_ACCOUNT_H
#define NS_AWS_ACCOUNT_H

#include <time.h>

#include "aws/cli.h"

/* sts get-caller-identity: the 12-digit account and the caller's ARN. */
int ns_aws_identity(const ns_aws *a, char *account, size_t acap, char *arn, size_t ncap, ns_aws_result *r,
                    ns_error *err);

/* `configure export-credentials --format process`: *expires = the
 * credentials' Expiration (0 for long-term keys, which do not expire).  The
 * secrets in the answer are wiped and never kept. */
int ns_aws_credentials_expiry(const ns_aws *a, time_t *expires, ns_error *err);

/* service-quotas L-1216C47A (running on-demand standard instances, in
 * vCPUs); *vcpus < 0 when the service did not say. */
int ns_aws_vcpu_quota(const ns_aws *a, double *vcpus, ns_aws_result *r, ns_error *err);

/* The on-demand Linux price of the instance type in the region (USD per
 * hour) and of gp3 storage (USD per GB-month), from the Pricing API (asked
 * in us-east-1, where it lives). */
int ns_aws_prices(const ns_aws *a, const char *type, double *usd_hour, double *gp3_gb_month, ns_aws_result *r,
                  ns_error *err);

/* "YYYY-MM-DDTHH:MM:SSZ" (or with fractional seconds / +00:00) as UTC; -1
 * when not such a time. */
time_t ns_aws_parse_time(const char *s);

/* t as "YYYY-MM-DDTHH:MM:SSZ". */
void ns_aws_format_time(char out[32], time_t t);

#endif
