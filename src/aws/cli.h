/* Running the AWS CLI v2: the one way nitrosetup talks to AWS.
 *
 * The program is $NITROSETUP_AWS, else "aws" on PATH; ns_aws_open runs its
 * --version and refuses anything that is not "aws-cli/2." (v1 has other exit
 * codes and lacks commands we use).  Every call is an argv array (no shell),
 * in its own process group (a terminal's Ctrl-C reaches only us: the caller
 * decides what to stop), with --output json, no pager, bounded connect and
 * read timeouts, the region and, when given, the profile.  stdout (JSON) is
 * captured up to NS_AWS_MAX_OUT bytes; stderr is kept for the error.
 *
 * A failed call is classified from the exit code (0 ok, 1/2 s3 transfer,
 * 130 interrupted, 252 usage, 253 configuration, 254 service error, 255
 * anything else) and from the service's error code, which the CLI prints as
 * "An error occurred (Code) when calling the Op operation: message". */
#ifndef NS_AWS_CLI_H
#define NS_AWS_CLI_H

#include <jansson.h>
#include <stddef.h>

#include "util/error.h"

#define NS_AWS_MAX_OUT (64u << 20)

typedef struct {
    char program[1024];
    char region[64];
    char profile[128];
    char version[160]; /* first line of --version */
} ns_aws;

typedef enum {
    NS_AWS_OK = 0,
    NS_AWS_E_SERVICE,      /* the service said no (code and message below) */
    NS_AWS_E_NOT_FOUND,    /* NoSuchKey, 404, *.NotFound, "does not exist" */
    NS_AWS_E_CREDENTIALS,  /* expired or unknown credentials, none at all */
    NS_AWS_E_THROTTLED,    /* Throttling, SlowDown, RequestLimitExceeded, ... */
    NS_AWS_E_NETWORK,      /* could not connect, read timeout, reset */
    NS_AWS_E_USAGE,        /* 252: our argv is wrong */
    NS_AWS_E_CONFIG,       /* 253: environment or configuration invalid */
    NS_AWS_E_INTERRUPTED,  /* 130: the call was interrupted */
    NS_AWS_E_OTHER
} ns_aws_kind;

typedef struct {
    int exit_code;
    ns_aws_kind kind;
    char code[128];    /* the service's error code, or "" */
    char op[96];       /* the operation named in the error, or "" */
    char message[768]; /* the service's message, or the last line of stderr */
    char *out;         /* stdout, NUL-terminated (malloc); NULL before a call */
    size_t out_len;
} ns_aws_result;

/* Finds the CLI and checks that it is v2.  region: required ("" or NULL is
 * refused); profile: NULL or "" for the default chain. */
int ns_aws_open(ns_aws *a, const char *region, const char *profile, ns_error *err);

/* Runs `aws <args...>` (NULL-terminated; args[0] is the service, e.g. "s3api").
 * r must start zeroed ({0}); each call frees what r held before. 
 * 0 on exit 0; otherwise -1 with r classified and err set to one line
 * "aws <service> <command>: <Code>: <message>".  r->out holds stdout either
 * way; free it with ns_aws_result_free. */
int ns_aws_run(const ns_aws *a, ns_aws_result *r, const char *const *args, ns_error *err);

/* As ns_aws_run, retried with backoff (1, 2, 4, ... s, at most attempts
 * calls) while the failure is throttling or the network.  Only for calls
 * that are safe to repeat. */
int ns_aws_run_retry(const ns_aws *a, ns_aws_result *r, const char *const *args, int attempts, ns_error *err);

/* ns_aws_run and parse stdout as JSON (empty output gives json_null()).
 * NULL on failure (r, when not NULL, says why). */
json_t *ns_aws_json(const ns_aws *a, const char *const *args, ns_aws_result *r, ns_error *err);

/* As ns_aws_json, but an answer that the thing asked about does not exist
 * (NS_AWS_E_NOT_FOUND) is not a failure: 0 with *out = NULL.  0 with *out
 * set (json_decref it), or -1. */
int ns_aws_json_opt(const ns_aws *a, const char *const *args, ns_aws_result *r, json_t **out, ns_error *err);

void ns_aws_result_free(ns_aws_result *r);

/* Classifies a finished call from its exit code and stderr text (exposed for
 * the unit tests). */
void ns_aws_classify(ns_aws_result *r, int exit_code, const char *stderr_text);

const char *ns_aws_kind_name(ns_aws_kind k);

#endif
