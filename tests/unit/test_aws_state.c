/* app/aws_state.h: the local state file of an AWS job (round trip, the
 * atomic write leaves no temporary, the lock excludes a second driver,
 * refusals: a bad id, another format, a file about another job, a missing
 * file), and the listing of the state directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/aws_state.h"
#include "testutil.h"

static char dir[256];

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_round_trip(void) {
    ns_aws_job j, k;
    ns_error err;
    ns_aws_job_init(&j, "20261207-1830-a1b2c3");
    CHECK(strcmp(j.stack_name, "nitrosetup-20261207-1830-a1b2c3") == 0);
    CHECK(strcmp(j.phase, "preflight") == 0);
    snprintf(j.region, sizeof j.region, "us-east-1");
    snprintf(j.stack_id, sizeof j.stack_id, "arn:aws:cloudformation:us-east-1:111122223333:stack/x/1");
    snprintf(j.phase, sizeof j.phase, "compute");
    snprintf(j.cause, sizeof j.cause, "a \"quoted\" cause\nwith a newline");
    j.delete_attempts = 3;
    j.usd_hour = 4.032;
    j.downloaded = 1;
    j.npins = 2;
    memset(j.pins[0], 'a', 128);
    memset(j.pins[1], 'b', 128);
    CHECK(ns_aws_state_save(&j, &err) == 0);
    int missing = -1;
    CHECK(ns_aws_state_load(&k, "20261207-1830-a1b2c3", &missing, &err) == 0);
    CHECK(missing == 0);
    CHECK(strcmp(k.stack_id, j.stack_id) == 0 && strcmp(k.phase, "compute") == 0);
    CHECK(strcmp(k.cause, j.cause) == 0);
    CHECK(k.delete_attempts == 3 && k.downloaded == 1 && k.torn_down == 0);
    CHECK(k.usd_hour > 4.031 && k.usd_hour < 4.033);
    CHECK(k.npins == 2 && strcmp(k.pins[1], j.pins[1]) == 0);
    CHECK(k.lock_fd == -1);
    /* no temporary left beside it */
    char path[512];
    snprintf(path, sizeof path, "%s/nitrosetup/jobs", dir);
    char **ids;
    size_t n;
    CHECK(ns_aws_state_list(&ids, &n, &err) == 0);
    CHECK_MSG(n == 1 && strcmp(ids[0], "20261207-1830-a1b2c3") == 0, "listed %zu", n);
    ns_aws_state_list_free(ids, n);
}

static void test_lock(void) {
    ns_aws_job a, b;
    ns_error err;
    ns_aws_job_init(&a, "20261207-1830-0000ff");
    ns_aws_job_init(&b, "20261207-1830-0000ff");
    CHECK(ns_aws_state_lock(&a, &err) == 0);
    CHECK(ns_aws_state_lock(&b, &err) == -1);
    CHECK_MSG(strstr(err.msg, "another nitrosetup process") != NULL, "%s", err.msg);
    ns_aws_state_unlock(&a);
    CHECK(ns_aws_state_lock(&b, &err) == 0);
    ns_aws_state_unlock(&b);
}

static void test_refusals(void) {
    ns_aws_job j;
    ns_error err;
    int missing = 0;
    CHECK(ns_aws_state_load(&j, "Bad_Id", &missing, &err) == -1);
    CHECK_MSG(strstr(err.msg, "not a job id") != NULL, "%s", err.msg);
    CHECK(ns_aws_state_load(&j, "20261207-1830-999999", &missing, &err) == -1);
    CHECK(missing == 1);
    CHECK_MSG(strstr(err.msg, "no state file") != NULL && strstr(err.msg, "20261207-1830-999999.json") != NULL, "%s",
              err.msg);
    char path[512];
    snprintf(path, sizeof path, "%s/nitrosetup/jobs/20261207-1830-777777.json", dir);
    write_file(path, "{\"format\": \"something-else\"}");
    CHECK(ns_aws_state_load(&j, "20261207-1830-777777", &missing, &err) == -1);
    CHECK(missing == 0);
    CHECK_MSG(strstr(err.msg, "not a nitrosetup job state file") != NULL, "%s", err.msg);
    write_file(path, "{\"format\": \"nitrosetup-job-state-1\", \"job\": \"20261207-1830-888888\"}");
    CHECK(ns_aws_state_load(&j, "20261207-1830-777777", &missing, &err) == -1);
    CHECK_MSG(strstr(err.msg, "about job") != NULL, "%s", err.msg);
    write_file(path, "{not json");
    CHECK(ns_aws_state_load(&j, "20261207-1830-777777", &missing, &err) == -1);
    CHECK_MSG(strstr(err.msg, "unreadable state file") != NULL && strstr(err.msg, path) != NULL, "%s", err.msg);
    unlink(path);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/ns-aws-state-XXXXXX");
    if (mkdtemp(dir) == NULL) return 1;
    setenv("XDG_STATE_HOME", dir, 1);
    test_round_trip();
    test_lock();
    test_refusals();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    return ns_test_report("aws_state");
}
