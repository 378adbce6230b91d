/* Tests for src/aws/cli.c: the classification of the AWS CLI's failures
 * (exit codes and the error texts the real CLI 2.9.19 prints, as recorded in
 * the research note), the v2 check, the argv every call gets, JSON answers
 * and the stdout/stderr split.  The CLI here is a small script standing in
 * for `aws` (the real CLI is exercised against the AWS twin in tests/aws). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/cli.h"
#include "testutil.h"

static void classify_cases(void) {
    static const struct {
        int code;
        const char *text;
        ns_aws_kind kind;
        const char *err_code;
    } cases[] = {
        {0, "", NS_AWS_OK, ""},
        {252, "\nusage: aws [options] <command> <subcommand>\naws: error: Unknown options: --bogus-flag\n", NS_AWS_E_USAGE, ""},
        {253, "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n",
         NS_AWS_E_CREDENTIALS, ""},
        {253, "\nThe config profile (nope) could not be found\n", NS_AWS_E_CONFIG, ""},
        {254, "\nAn error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: The specified bucket does not exist\n",
         NS_AWS_E_SERVICE, "NoSuchBucket"},
        {254, "\nAn error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired\n",
         NS_AWS_E_CREDENTIALS, "ExpiredToken"},
        {254, "\nAn error occurred (AlreadyExistsException) when calling the CreateStack operation: Stack [nitrosetup-x] already exists\n",
         NS_AWS_E_SERVICE, "AlreadyExistsException"},
        {254, "\nAn error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id nitrosetup-x does not exist\n",
         NS_AWS_E_NOT_FOUND, "ValidationError"},
        {254, "\nAn error occurred (ValidationError) when calling the CreateStack operation: Parameter JobId failed to satisfy constraint\n",
         NS_AWS_E_SERVICE, "ValidationError"},
        {254, "\nAn error occurred (404) when calling the HeadObject operation: Not Found\n", NS_AWS_E_NOT_FOUND, "404"},
        {254, "\nAn error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-1' does not exist\n",
         NS_AWS_E_NOT_FOUND, "InvalidInstanceID.NotFound"},
        {254, "\nAn error occurred (Throttling) when calling the DescribeStacks operation (reached max retries: 4): Rate exceeded\n",
         NS_AWS_E_THROTTLED, "Throttling"},
        {1, "download failed: s3://b/k to ./k An error occurred (SlowDown) when calling the GetObject operation (reached max retries: 4): Please reduce your request rate.\n",
         NS_AWS_E_THROTTLED, "SlowDown"},
        {255, "\nCould not connect to the endpoint URL: \"http://127.0.0.1:1/\"\n", NS_AWS_E_NETWORK, ""},
        {255, "\nError when retrieving token from sso: Token has expired and refresh failed\n", NS_AWS_E_CREDENTIALS, ""},
        {255, "\nWaiter StackCreateComplete failed: Max attempts exceeded\n", NS_AWS_E_OTHER, ""},
        {130, "\n", NS_AWS_E_INTERRUPTED, ""},
        {1, "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden\n", NS_AWS_E_SERVICE, "403"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ns_aws_result r = {0};
        ns_aws_classify(&r, cases[i].code, cases[i].text);
        CHECK_MSG(r.kind == cases[i].kind, "case %zu: kind %s, want %s", i, ns_aws_kind_name(r.kind),
                  ns_aws_kind_name(cases[i].kind));
        CHECK_MSG(strcmp(r.code, cases[i].err_code) == 0, "case %zu: code '%s', want '%s'", i, r.code, cases[i].err_code);
        CHECK_MSG(cases[i].code == 0 || r.message[0] != 0, "case %zu: no message", i);
    }
    ns_aws_result r = {0};
    ns_aws_classify(&r, 254, "\nAn error occurred (AccessDenied) when calling the GetObject operation: Access Denied\n");
    CHECK(strcmp(r.op, "GetObject") == 0);
    CHECK(strcmp(r.message, "Access Denied") == 0);
}

static char dir[256];

/* Writes the stand-in CLI: prints a version, logs its argv, and answers
 * from the first argument. */
static void write_fake(const char *version) {
    char path[512];
    snprintf(path, sizeof path, "%s/aws", dir);
    FILE *f = fopen(path, "w");
    fprintf(f,
            "#!/bin/sh\n"
            "if [ \"$1\" = --version ]; then echo '%s'; exit 0; fi\n"
            "printf '%%s\\n' \"$@\" > '%s/argv'\n"
            "case $1 in\n"
            "  json) echo '{\"Stacks\": [{\"StackStatus\": \"CREATE_COMPLETE\"}]}' ;;\n"
            "  empty) ;;\n"
            "  garbage) echo '{not json' ;;\n"
            "  expired) echo 'partial' ; echo 'An error occurred (ExpiredToken) when calling the DescribeStacks operation: expired' >&2; exit 254 ;;\n"
            "  big) head -c 70000000 /dev/zero ;;\n"
            "esac\n",
            version, dir);
    fclose(f);
    chmod(path, 0755);
    setenv("NITROSETUP_AWS", path, 1);
}

static void fake_cli(void) {
    snprintf(dir, sizeof dir, "%s/ns-aws-test-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    ns_aws a;
    ns_error e;
    write_fake("aws-cli/1.45.11 Python/3.11.7 Linux/6 botocore/1.43.11");
    CHECK(ns_aws_open(&a, "us-east-1", NULL, &e) != 0);
    CHECK(strstr(e.msg, "is not the AWS CLI v2") != NULL);
    write_fake("aws-cli/2.9.19 Python/3.11.2 Linux/6 source/x86_64.debian.12 prompt/off");
    CHECK(ns_aws_open(&a, "", NULL, &e) != 0);
    CHECK(ns_aws_open(&a, "us-east-1; rm", NULL, &e) != 0);
    CHECK(ns_aws_open(&a, "eu-west-3", "prof", &e) == 0);
    CHECK(strncmp(a.version, "aws-cli/2.9.19", 14) == 0);

    ns_aws_result r = {0};
    const char *args[] = {"json", "describe-stacks", "--stack-name", "x y", NULL};
    json_t *j = ns_aws_json(&a, args, &r, &e);
    CHECK(j != NULL && json_is_object(j));
    CHECK(j != NULL && strcmp(json_string_value(json_object_get(json_array_get(json_object_get(j, "Stacks"), 0),
                                                                "StackStatus")), "CREATE_COMPLETE") == 0);
    json_decref(j);
    char path[512];
    snprintf(path, sizeof path, "%s/argv", dir);
    size_t n;
    char *argv = (char *)ns_test_read_file(path, &n);
    CHECK(argv != NULL && strcmp(argv, "json\ndescribe-stacks\n--stack-name\nx y\n--output\njson\n--no-cli-pager\n"
                                       "--cli-connect-timeout\n10\n--cli-read-timeout\n60\n--region\neu-west-3\n"
                                       "--profile\nprof\n") == 0);
    free(argv);

    const char *empty[] = {"empty", "x", NULL};
    j = ns_aws_json(&a, empty, &r, &e);
    CHECK(j != NULL && json_is_null(j));
    json_decref(j);
    const char *garbage[] = {"garbage", "x", NULL};
    CHECK(ns_aws_json(&a, garbage, &r, &e) == NULL);
    CHECK(strstr(e.msg, "unreadable JSON") != NULL);
    const char *expired[] = {"expired", "describe-stacks", NULL};
    CHECK(ns_aws_run(&a, &r, expired, &e) != 0);
    CHECK(r.kind == NS_AWS_E_CREDENTIALS && r.exit_code == 254);
    CHECK(strcmp(r.out, "partial\n") == 0); /* stdout apart from stderr */
    CHECK(strcmp(e.msg, "aws expired describe-stacks: ExpiredToken: expired") == 0);
    const char *big[] = {"big", "x", NULL};
    CHECK(ns_aws_run(&a, &r, big, &e) != 0);
    CHECK(strstr(e.msg, "more than 64 MiB") != NULL);
    ns_aws_result_free(&r);

    setenv("NITROSETUP_AWS", "/nonexistent/aws", 1);
    CHECK(ns_aws_open(&a, "us-east-1", NULL, &e) != 0);
    CHECK(strstr(e.msg, "cannot run the AWS CLI") != NULL);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    CHECK(system(path) == 0);
}

int main(void) {
    classify_cases();
    fake_cli();
    return ns_test_report("aws_cli");
}
