/* CloudFormation calls of an AWS job (docs/aws-job.md): one stack per job,
 * always addressed by its stack id once known (a deleted stack stays
 * describable by id, while its name answers "does not exist").  Each call
 * is one `aws cloudformation ...` through aws/cli.h; r (may be NULL) gets
 * the classified failure. */
#ifndef NS_AWS_CFN_H
#define NS_AWS_CFN_H

#include <jansson.h>

#include "aws/cli.h"

typedef struct {
    char id[512];       /* the StackId (ARN) */
    char status[64];    /* StackStatus, "" when the stack was not found */
    char reason[512];   /* StackStatusReason */
    char instance[64];  /* the InstanceId output, "" until there is one */
} ns_cfn_stack;

typedef struct {
    const char *name, *template_body, *token;
    const char *const *params; /* "Key=Value" strings, NULL-terminated */
    const char *const *tags;   /* "Key=Value" strings, NULL-terminated */
} ns_cfn_create;

/* create-stack --on-failure DELETE --capabilities CAPABILITY_IAM with the
 * token; writes the StackId into id.  An AlreadyExistsException is an
 * error (r->code says so). */
int ns_cfn_create_stack(const ns_aws *a, char *id, size_t cap, const ns_cfn_create *c, ns_aws_result *r,
                        ns_error *err);

/* describe-stacks of a stack id or name.  A stack that does not exist gives
 * 0 with s->status "" (not an error). */
int ns_cfn_describe(const ns_aws *a, ns_cfn_stack *s, const char *id_or_name, ns_aws_result *r, ns_error *err);

/* The live or deleted stack called name, from list-stacks (the newest one):
 * 0 with s->id and s->status filled, or s->status "" when none. */
int ns_cfn_find_by_name(const ns_aws *a, ns_cfn_stack *s, const char *name, ns_aws_result *r, ns_error *err);

/* delete-stack with a client request token. */
int ns_cfn_delete(const ns_aws *a, const char *id, const char *token, ns_aws_result *r, ns_error *err);

/* The oldest *_FAILED event's "LogicalId: reason" into out ("" if none). */
int ns_cfn_first_failure(const ns_aws *a, char *out, size_t cap, const char *id, ns_aws_result *r, ns_error *err);

/* describe-stack-resources: the array of {LogicalResourceId,
 * PhysicalResourceId, ResourceType, ResourceStatus, ResourceStatusReason}
 * (new reference), or NULL with err set. */
json_t *ns_cfn_resources(const ns_aws *a, const char *id, ns_aws_result *r, ns_error *err);

/* A terminal stack status: *_COMPLETE or *_FAILED (not *_IN_PROGRESS). */
int ns_cfn_status_settled(const char *status);

#endif
