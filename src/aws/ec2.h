/* EC2 calls of an AWS job: what the preflight asks (enclave support, the
 * default VPC and a subnet in a zone that offers the type), the instance's
 * state, and the tag sweep of the teardown (everything carrying
 * nitrosetup:job = J).  r (may be NULL) gets the classified failure. */
#ifndef NS_AWS_EC2_H
#define NS_AWS_EC2_H

#include <jansson.h>

#include "aws/cli.h"

#define NS_JOB_TAG "nitrosetup:job"

typedef enum {
    NS_EC2_INSTANCES = 0,
    NS_EC2_VOLUMES,
    NS_EC2_ENIS,
    NS_EC2_ADDRESSES,
    NS_EC2_SNAPSHOTS,
} ns_ec2_kind;

/* The resources of one kind tagged nitrosetup:job = job: an array of
 * {"id", "state", "reason"} (new reference; state "" where the kind has
 * none), or NULL with err set. */
json_t *ns_ec2_tagged(const ns_aws *a, ns_ec2_kind kind, const char *job, ns_aws_result *r, ns_error *err);

/* Every instance tagged nitrosetup:job (any value): {"id", "state", "job",
 * "type", "launch"}, for `aws jobs`. */
json_t *ns_ec2_job_instances(const ns_aws *a, ns_aws_result *r, ns_error *err);

/* Deletes one resource of the kind (terminate-instances, delete-volume,
 * delete-network-interface, release-address, delete-snapshot); NotFound is
 * success. */
int ns_ec2_remove(const ns_aws *a, ns_ec2_kind kind, const char *id, ns_aws_result *r, ns_error *err);

/* An instance's state name and transition reason; state "" when unknown
 * to EC2 (gone). */
int ns_ec2_instance_state(const ns_aws *a, char *state, size_t scap, char *reason, size_t rcap, const char *id,
                          ns_aws_result *r, ns_error *err);

/* Preflight: *ok = 1 when the type supports Nitro Enclaves in the region
 * (server-side filter nitro-enclaves-support=supported); its vCPUs and
 * memory in MiB when it exists. */
int ns_ec2_type_info(const ns_aws *a, const char *type, int *ok, int *vcpus, long long *mem_mib, ns_aws_result *r,
                     ns_error *err);

/* Preflight: the default VPC and one of its default subnets in a zone that
 * offers the type; -1 with a message naming what is missing. */
int ns_ec2_default_subnet(const ns_aws *a, const char *type, char *vpc, size_t vcap, char *subnet, size_t scap,
                          char *az, size_t acap, ns_aws_result *r, ns_error *err);

/* 1 for an instance state that still runs or can bill (not terminated). */
int ns_ec2_state_alive(const char *state);

#endif
