/* `nitrosetup aws setup`: the job bucket of an account and region,
 * nitrosetup-jobs-<account>-<region>, made once: public access blocked,
 * a lifecycle rule (job data under jobs/ expires after N days, incomplete
 * multipart uploads are aborted after 1 day), the tag nitrosetup=jobs.
 * Idempotent: each setting is read first and written only when it
 * differs, and the answer says what changed. */
#ifndef NS_APP_AWS_SETUP_H
#define NS_APP_AWS_SETUP_H

#include "app/aws_teardown.h"
#include "aws/cli.h"

/* bucket gets the name; *changed counts the settings written (0: nothing
 * to do).  expire_days: 1..3650. */
int ns_aws_setup(const ns_aws *a, int expire_days, char *bucket, size_t cap, int *changed, const ns_aws_ui *ui,
                 ns_error *err);

#endif
