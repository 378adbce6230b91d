#include "aws/ec2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(json_t *o, const char *k) {
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_t *entry(const char *id, const char *state, const char *reason) {
    return json_pack("{s:s, s:s, s:s}", "id", id, "state", state, "reason", reason);
}

/* The value of tag key in a Tags array, or "". */
static const char *tag_value(json_t *tags, const char *key) {
    size_t i;
    json_t *t;
    json_array_foreach(tags, i, t) {
        if (strcmp(jstr(t, "Key"), key) == 0) return jstr(t, "Value");
    }
    return "";
}

json_t *ns_ec2_tagged(const ns_aws *a, ns_ec2_kind kind, const char *job, ns_aws_result *r, ns_error *err) {
    char filter[256];
    snprintf(filter, sizeof filter, "Name=tag:%s,Values=%s", NS_JOB_TAG, job);
    static const char *const cmds[] = {"describe-instances", "describe-volumes", "describe-network-interfaces",
                                       "describe-addresses", "describe-snapshots"};
    const char *args[12];
    int n = 0;
    args[n++] = "ec2";
    args[n++] = cmds[kind];
    args[n++] = "--filters";
    args[n++] = filter;
    if (kind == NS_EC2_SNAPSHOTS) {
        args[n++] = "--owner-ids";
        args[n++] = "self";
    }
    args[n] = NULL;
    ns_aws_result local = {0};
    json_t *j = NULL;
    if (ns_aws_run_retry(a, r ? r : &local, args, 4, err) == 0) {
        json_error_t je;
        j = json_loads((r ? r : &local)->out, JSON_DECODE_ANY, &je);
        if (j == NULL) ns_error_set(err, "aws ec2 %s: unreadable JSON answer", cmds[kind]);
    }
    ns_aws_result_free(&local);
    if (j == NULL) return NULL;
    json_t *out = json_array();
    size_t i, k;
    json_t *e, *x;
    switch (kind) {
    case NS_EC2_INSTANCES:
        json_array_foreach(json_object_get(j, "Reservations"), i, e) {
            json_array_foreach(json_object_get(e, "Instances"), k, x) {
                json_array_append_new(out, entry(jstr(x, "InstanceId"), jstr(json_object_get(x, "State"), "Name"),
                                                 jstr(x, "StateTransitionReason")));
            }
        }
        break;
    case NS_EC2_VOLUMES:
        json_array_foreach(json_object_get(j, "Volumes"), i, e) {
            json_array_append_new(out, entry(jstr(e, "VolumeId"), jstr(e, "State"), ""));
        }
        break;
    case NS_EC2_ENIS:
        json_array_foreach(json_object_get(j, "NetworkInterfaces"), i, e) {
            json_array_append_new(out, entry(jstr(e, "NetworkInterfaceId"), jstr(e, "Status"), ""));
        }
        break;
    case NS_EC2_ADDRESSES:
        json_array_foreach(json_object_get(j, "Addresses"), i, e) {
            json_array_append_new(out, entry(jstr(e, "AllocationId"), jstr(e, "AssociationId"), ""));
        }
        break;
    case NS_EC2_SNAPSHOTS:
        json_array_foreach(json_object_get(j, "Snapshots"), i, e) {
            json_array_append_new(out, entry(jstr(e, "SnapshotId"), jstr(e, "State"), ""));
        }
        break;
    }
    json_decref(j);
    return out;
}

json_t *ns_ec2_job_instances(const ns_aws *a, ns_aws_result *r, ns_error *err) {
    char filter[128];
    snprintf(filter, sizeof filter, "Name=tag-key,Values=%s", NS_JOB_TAG);
    const char *args[] = {"ec2", "describe-instances", "--filters", filter, NULL};
    json_t *j = ns_aws_json(a, args, r, err);
    if (j == NULL) return NULL;
    json_t *out = json_array();
    size_t i, k;
    json_t *e, *x;
    json_array_foreach(json_object_get(j, "Reservations"), i, e) {
        json_array_foreach(json_object_get(e, "Instances"), k, x) {
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", jstr(x, "InstanceId"), "state",
                                                 jstr(json_object_get(x, "State"), "Name"), "job",
                                                 tag_value(json_object_get(x, "Tags"), NS_JOB_TAG), "type",
                                                 jstr(x, "InstanceType"), "launch", jstr(x, "LaunchTime")));
        }
    }
    json_decref(j);
    return out;
}

int ns_ec2_remove(const ns_aws *a, ns_ec2_kind kind, const char *id, ns_aws_result *r, ns_error *err) {
    const char *args[8];
    switch (kind) {
    case NS_EC2_INSTANCES:
        args[1] = "terminate-instances";
        args[2] = "--instance-ids";
        break;
    case NS_EC2_VOLUMES:
        args[1] = "delete-volume";
        args[2] = "--volume-id";
        break;
    case NS_EC2_ENIS:
        args[1] = "delete-network-interface";
        args[2] = "--network-interface-id";
        break;
    case NS_EC2_ADDRESSES:
        args[1] = "release-address";
        args[2] = "--allocation-id";
        break;
    default:
        args[1] = "delete-snapshot";
        args[2] = "--snapshot-id";
        break;
    }
    args[0] = "ec2";
    args[3] = id;
    args[4] = NULL;
    ns_aws_result local = {0};
    ns_aws_result *res = r ? r : &local;
    int rc = ns_aws_run_retry(a, res, args, 4, err);
    if (rc != 0 && res->kind == NS_AWS_E_NOT_FOUND) rc = 0;
    ns_aws_result_free(&local);
    return rc;
}

int ns_ec2_instance_state(const ns_aws *a, char *state, size_t scap, char *reason, size_t rcap, const char *id,
                          ns_aws_result *r, ns_error *err) {
    state[0] = reason[0] = 0;
    const char *args[] = {"ec2", "describe-instances", "--instance-ids", id, NULL};
    json_t *j;
    if (ns_aws_json_opt(a, args, r, &j, err) != 0) return -1;
    if (j == NULL) return 0;
    json_t *x = json_array_get(json_object_get(json_array_get(json_object_get(j, "Reservations"), 0), "Instances"), 0);
    if (x != NULL) {
        snprintf(state, scap, "%s", jstr(json_object_get(x, "State"), "Name"));
        snprintf(reason, rcap, "%s", jstr(x, "StateTransitionReason"));
    }
    json_decref(j);
    return 0;
}

int ns_ec2_type_info(const ns_aws *a, const char *type, int *ok, int *vcpus, long long *mem_mib, ns_aws_result *r,
                     ns_error *err) {
    *ok = 0;
    *vcpus = 0;
    *mem_mib = 0;
    /* without the filter: does the type exist here, and its size */
    const char *args[] = {"ec2", "describe-instance-types", "--instance-types", type, NULL};
    ns_aws_result local = {0};
    ns_aws_result *res = r ? r : &local;
    json_t *j = ns_aws_json(a, args, res, err);
    if (j == NULL) {
        int bad = res->code[0] && strstr(res->code, "InvalidInstanceType") != NULL;
        ns_aws_result_free(&local);
        if (bad) return ns_error_set(err, "instance type '%s' does not exist in %s", type, a->region);
        return -1;
    }
    json_t *t = json_array_get(json_object_get(j, "InstanceTypes"), 0);
    if (t == NULL) {
        json_decref(j);
        ns_aws_result_free(&local);
        return ns_error_set(err, "instance type '%s' is not offered in %s", type, a->region);
    }
    *vcpus = (int)json_integer_value(json_object_get(json_object_get(t, "VCpuInfo"), "DefaultVCpus"));
    *mem_mib = json_integer_value(json_object_get(json_object_get(t, "MemoryInfo"), "SizeInMiB"));
    json_decref(j);
    /* the enclave filter is evaluated by the service (the CLI's model may
     * not know the answer's field): [type] or [] */
    const char *fargs[] = {"ec2", "describe-instance-types", "--instance-types", type, "--filters",
                           "Name=nitro-enclaves-support,Values=supported", NULL};
    j = ns_aws_json(a, fargs, res, err);
    ns_aws_result_free(&local);
    if (j == NULL) return -1;
    *ok = json_array_size(json_object_get(j, "InstanceTypes")) > 0;
    json_decref(j);
    return 0;
}

int ns_ec2_default_subnet(const ns_aws *a, const char *type, char *vpc, size_t vcap, char *subnet, size_t scap,
                          char *az, size_t acap, ns_aws_result *r, ns_error *err) {
    vpc[0] = subnet[0] = az[0] = 0;
    const char *vargs[] = {"ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true", NULL};
    json_t *j = ns_aws_json(a, vargs, r, err);
    if (j == NULL) return -1;
    snprintf(vpc, vcap, "%s", jstr(json_array_get(json_object_get(j, "Vpcs"), 0), "VpcId"));
    json_decref(j);
    if (!vpc[0])
        return ns_error_set(err, "no default VPC in %s (nitrosetup does not create networking; create one with "
                                 "'aws ec2 create-default-vpc --region %s')",
                            a->region, a->region);
    char tf[128];
    snprintf(tf, sizeof tf, "Name=instance-type,Values=%s", type);
    const char *oargs[] = {"ec2", "describe-instance-type-offerings", "--location-type", "availability-zone",
                           "--filters", tf, NULL};
    json_t *offers = ns_aws_json(a, oargs, r, err);
    if (offers == NULL) return -1;
    char vf[160];
    snprintf(vf, sizeof vf, "Name=vpc-id,Values=%s", vpc);
    const char *sargs[] = {"ec2", "describe-subnets", "--filters", vf, "Name=default-for-az,Values=true", NULL};
    json_t *subs = ns_aws_json(a, sargs, r, err);
    if (subs == NULL) {
        json_decref(offers);
        return -1;
    }
    size_t i, k;
    json_t *o, *s;
    json_array_foreach(json_object_get(offers, "InstanceTypeOfferings"), i, o) {
        const char *zone = jstr(o, "Location");
        json_array_foreach(json_object_get(subs, "Subnets"), k, s) {
            if (strcmp(jstr(s, "AvailabilityZone"), zone) != 0) continue;
            snprintf(subnet, scap, "%s", jstr(s, "SubnetId"));
            snprintf(az, acap, "%s", zone);
            break;
        }
        if (subnet[0]) break;
    }
    size_t noffers = json_array_size(json_object_get(offers, "InstanceTypeOfferings"));
    json_decref(offers);
    json_decref(subs);
    if (!subnet[0]) {
        if (noffers == 0) return ns_error_set(err, "instance type %s is not offered in any zone of %s", type, a->region);
        return ns_error_set(err, "the default VPC %s has no default subnet in a zone that offers %s", vpc, type);
    }
    return 0;
}

int ns_ec2_state_alive(const char *state) { return state[0] != 0 && strcmp(state, "terminated") != 0; }
