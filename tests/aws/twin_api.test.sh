#!/usr/bin/env bash
# The AWS twin answers the real AWS CLI v2 (/usr/bin/aws) the way AWS does,
# for every call the research note's job sequence makes (§2.5, §2.6, §3.3,
# §3.4, §3.6): preflight, create, wait, outputs, the reaper, teardown and
# the "nothing left" checklist; plus create failure and rollback, a failed
# deletion and its retry, throttling, expired and unknown credentials.
# Instances do not run their user data here (TWIN_NO_INSTANCES): this test is
# about the API; the sandbox has its own tests.
# shellcheck disable=SC1091
source "$NS_COMPAT/lib.sh"

TWIN=${NS_TWIN:-$NS_SOURCE/tests/aws/twin/twin}
TEMPLATE=$NS_SOURCE/tests/aws/data/job-note.yaml
ns_workdir
D=$W/twin
trap '"$TWIN" down "$D" > /dev/null 2>&1 || true' EXIT

export TWIN_NO_INSTANCES=1
"$TWIN" up "$D" > "$W/up.log" || ns_fail "twin up failed: $(cat "$W/up.log")"
# shellcheck disable=SC1091
source "$D/env"
[ -x "$NITROSETUP_AWS" ] || ns_fail "DIR/env: NITROSETUP_AWS=$NITROSETUP_AWS is not executable"
for v in AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
         NITROSETUP_PTAU_MIRROR NITROSETUP_PTAU_URL_BASE TWIN_URL; do
    [ -n "${!v:-}" ] || ns_fail "DIR/env does not set $v"
done
[ "$AWS_DEFAULT_REGION" = us-east-1 ] || ns_fail "AWS_DEFAULT_REGION=$AWS_DEFAULT_REGION"
[ -z "$AWS_PAGER" ] || ns_fail "AWS_PAGER is not empty"

aws() { "$NITROSETUP_AWS" "$@"; }

# ok DESC EXPECTED ARGS...: the CLI exits 0 and prints EXPECTED (whitespace
# squeezed); EXPECTED '*' accepts any output.  The output is left in $OUT.
ok() {
    local desc=$1 want=$2
    shift 2
    local rc=0
    OUT=$(aws "$@" 2> "$W/err") || rc=$?
    [ $rc -eq 0 ] || ns_fail "$desc: rc $rc: $(cat "$W/err")"
    if [ "$want" != '*' ]; then
        local got
        got=$(printf '%s' "$OUT" | tr -s ' \n\t' ' ' | sed 's/^ //; s/ $//')
        [ "$got" = "$want" ] || ns_fail "$desc: got '$got', want '$want'"
    fi
}

# err DESC RC CODE ARGS...: the CLI exits RC and names the error CODE.
err() {
    local desc=$1 want_rc=$2 code=$3
    shift 3
    local rc=0
    aws "$@" > "$W/out" 2> "$W/err" || rc=$?
    [ $rc -eq "$want_rc" ] || ns_fail "$desc: rc $rc, want $want_rc: $(cat "$W/err")"
    grep -q "($code)" "$W/err" || ns_fail "$desc: stderr does not name $code: $(cat "$W/err")"
}

live() { "$TWIN" state "$D" | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(JSON.stringify(s.live));'; }

# wait_status STACK_ID STATUS: poll (by stack id, as the tool does) until STATUS.
wait_status() {
    local st=""
    for _ in $(seq 1 150); do
        st=$(aws cloudformation describe-stacks --stack-name "$1" --query 'Stacks[0].StackStatus' --output text)
        [ "$st" = "$2" ] && return 0
        sleep 0.2
    done
    ns_fail "stack $1: status $st, want $2"
}

calls() { grep -c "$1" "$D/calls.log" || true; }

ns_log "env and identity"
ok "aws --version" '*' --version
case "$OUT" in aws-cli/2.*) ;; *) ns_fail "NITROSETUP_AWS --version: $OUT" ;; esac
ok "get-caller-identity" "111122223333 arn:aws:iam::111122223333:user/twin-user" \
    sts get-caller-identity --query '[Account,Arn]' --output text

ns_log "preflight (research note §2.5, §2.6)"
ok "vCPU quota" "256.0" service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A --query Quota.Value
err "unknown quota" 254 NoSuchResourceException service-quotas get-service-quota --service-code ec2 --quota-code L-0000
ok "default VPC" '*' ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId' --output json
VPC=$(printf '%s' "$OUT" | tr -d '"')
case "$VPC" in vpc-*) ;; *) ns_fail "default VPC: $VPC" ;; esac
ok "subnets of the default VPC" "6" ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" --query 'length(Subnets)'
ok "subnet in us-east-1a" '*' ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" Name=availability-zone,Values=us-east-1a \
    --query 'Subnets[].[SubnetId,MapPublicIpOnLaunch]' --output text
read -r SUBNET PUBIP <<< "$OUT"
[ "$PUBIP" = True ] || ns_fail "subnet $SUBNET: MapPublicIpOnLaunch $PUBIP"
ok "default-for-az subnets" "6" ec2 describe-subnets --filters Name=default-for-az,Values=true --query 'length(Subnets)'
ok "availability zones" "us-east-1a us-east-1b us-east-1c us-east-1d us-east-1e us-east-1f" \
    ec2 describe-availability-zones --query 'AvailabilityZones[].ZoneName' --output text
ok "enclave-capable type" '[ "r6i.16xlarge" ]' ec2 describe-instance-types --instance-types r6i.16xlarge \
    --filters Name=nitro-enclaves-support,Values=supported --query 'InstanceTypes[].InstanceType' --output json
ok "t3 is not enclave-capable" '[]' ec2 describe-instance-types --instance-types t3.large \
    --filters Name=nitro-enclaves-support,Values=supported --query 'InstanceTypes[].InstanceType' --output json
ok "vCPUs and memory" "64 524288" ec2 describe-instance-types --instance-types r6i.16xlarge \
    --query 'InstanceTypes[0].[VCpuInfo.DefaultVCpus,MemoryInfo.SizeInMiB]' --output text
ok "graviton" "arm64 64" ec2 describe-instance-types --instance-types r8g.16xlarge \
    --query 'InstanceTypes[0].[ProcessorInfo.SupportedArchitectures[0],VCpuInfo.DefaultVCpus]' --output text
err "unknown instance type" 254 InvalidInstanceType ec2 describe-instance-types --instance-types r6i.huge
err "unknown filter" 254 InvalidParameterValue ec2 describe-instance-types --filters Name=no-such-filter,Values=x
ok "offerings per AZ" "us-east-1a us-east-1b us-east-1c us-east-1d us-east-1f" \
    ec2 describe-instance-type-offerings --location-type availability-zone \
    --filters Name=instance-type,Values=r7i.16xlarge --query 'InstanceTypeOfferings[].Location' --output text
ok "validate-template" "CAPABILITY_IAM 14" cloudformation validate-template --template-body "file://$TEMPLATE" \
    --query '[Capabilities[0],length(Parameters)]' --output text
err "validate-template: unknown type" 254 ValidationError cloudformation validate-template \
    --template-body '{"Resources":{"A":{"Type":"AWS::No::Such"}}}'
err "validate-template: bad YAML" 254 ValidationError cloudformation validate-template --template-body 'Resources: [a'

ns_log "pricing"
ok "price of r6i.16xlarge" '*' pricing get-products --region us-east-1 --service-code AmazonEC2 \
    --filters Type=TERM_MATCH,Field=instanceType,Value=r6i.16xlarge \
    Type=TERM_MATCH,Field=regionCode,Value=us-east-1 Type=TERM_MATCH,Field=operatingSystem,Value=Linux \
    Type=TERM_MATCH,Field=tenancy,Value=Shared Type=TERM_MATCH,Field=preInstalledSw,Value=NA \
    Type=TERM_MATCH,Field=capacitystatus,Value=Used --max-items 1 --output json
price() {
    node -e '
const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
if (!Array.isArray(r.PriceList) || r.PriceList.length !== 1) { console.log("entries: " + (r.PriceList || []).length); process.exit(0); }
const p = JSON.parse(r.PriceList[0]);        // each entry is a JSON string
const out = [];
for (const t of Object.values(p.terms.OnDemand)) for (const d of Object.values(t.priceDimensions)) out.push(d.unit + " " + d.pricePerUnit.USD);
console.log(out.join(","));'
}
got=$(printf '%s' "$OUT" | price)
[ "$got" = "Hrs 4.0320000000" ] || ns_fail "r6i.16xlarge price: $got"
ok "gp3 storage price" '*' pricing get-products --service-code AmazonEC2 \
    --filters Type=TERM_MATCH,Field=volumeApiName,Value=gp3 Type=TERM_MATCH,Field=productFamily,Value=Storage \
    Type=TERM_MATCH,Field=regionCode,Value=us-east-1 --output json
got=$(printf '%s' "$OUT" | price)
[ "$got" = "GB-Mo 0.0800000000" ] || ns_fail "gp3 price: $got"

ns_log "create (§3.3)"
J=20261207-1830-a1b2c3
S=nitrosetup-$J
EXP=$(date -u -d '+245 minutes' +%Y-%m-%dT%H:%M:%S)
H=$(printf 'nitrosetup' | sha256sum | cut -c1-64)
create() { # create JOB TOKEN [more CLI options]
    local job=$1 token=$2
    shift 2
    aws cloudformation create-stack --stack-name "nitrosetup-$job" --template-body "file://$TEMPLATE" \
        --capabilities CAPABILITY_IAM --client-request-token "$token" \
        --tags "Key=nitrosetup:job,Value=$job" Key=nitrosetup:owner,Value=twin-user \
        --parameters "ParameterKey=JobId,ParameterValue=$job" ParameterKey=InstanceType,ParameterValue=r6i.16xlarge \
        ParameterKey=ImageId,ParameterValue=/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 \
        ParameterKey=EnclaveMemoryMiB,ParameterValue=4096 ParameterKey=EnclaveCpuCount,ParameterValue=2 \
        ParameterKey=MaxLifetimeMinutes,ParameterValue=240 ParameterKey=RootVolumeGiB,ParameterValue=300 \
        ParameterKey=JobBucket,ParameterValue=nitrosetup-jobs-111122223333-us-east-1 \
        ParameterKey=PtauBucket,ParameterValue=twin-ptau-mirror \
        "ParameterKey=VpcId,ParameterValue=$VPC" "ParameterKey=SubnetId,ParameterValue=$SUBNET" \
        "ParameterKey=BootstrapSha256,ParameterValue=$H" "ParameterKey=ExpiresAtUtc,ParameterValue=$EXP" \
        "$@" --query StackId --output json
}
SID_JSON=$(create "$J" "create-$J" --on-failure DELETE) || ns_fail "create-stack failed"
SID=$(printf '%s' "$SID_JSON" | tr -d '"')
case "$SID" in "arn:aws:cloudformation:us-east-1:111122223333:stack/$S/"*) ;; *) ns_fail "StackId: $SID_JSON" ;; esac
grep '"op":"CreateStack"' "$D/calls.log" | grep -q '"OnFailure":"DELETE"' || ns_fail "calls.log: CreateStack without OnFailure=DELETE"
grep '"op":"CreateStack"' "$D/calls.log" | grep -q "\"ClientRequestToken\":\"create-$J\"" || ns_fail "calls.log: no ClientRequestToken"
rc=0
create "$J" "create-$J-other" --on-failure DELETE > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] && grep -q '(AlreadyExistsException)' "$W/err" || ns_fail "duplicate create-stack: rc $rc $(cat "$W/err")"
again=$(create "$J" "create-$J" --on-failure DELETE) || ns_fail "create-stack retried with the same token failed"
[ "$again" = "$SID_JSON" ] || ns_fail "same token, another stack: $again"
rc=0
aws cloudformation create-stack --stack-name nitrosetup-nocaps --template-body "file://$TEMPLATE" > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] || ns_fail "create-stack without parameters: rc $rc"
rc=0
create "BAD_JOB" "t1" > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] && grep -q '(ValidationError)' "$W/err" || ns_fail "bad stack name: rc $rc $(cat "$W/err")"
rc=0
create "short" "t2" > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] && grep -q "Parameter 'JobId' must match pattern" "$W/err" || ns_fail "JobId pattern: rc $rc $(cat "$W/err")"
rc=0
aws cloudformation create-stack --stack-name nitrosetup-nocaps2 --template-body "file://$TEMPLATE" \
    --parameters "ParameterKey=JobId,ParameterValue=nocaps2-job" ParameterKey=EnclaveMemoryMiB,ParameterValue=4096 \
    ParameterKey=EnclaveCpuCount,ParameterValue=2 ParameterKey=JobBucket,ParameterValue=b ParameterKey=PtauBucket,ParameterValue=p \
    "ParameterKey=VpcId,ParameterValue=$VPC" "ParameterKey=SubnetId,ParameterValue=$SUBNET" \
    "ParameterKey=BootstrapSha256,ParameterValue=$H" "ParameterKey=ExpiresAtUtc,ParameterValue=$EXP" > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] && grep -q '(InsufficientCapabilitiesException)' "$W/err" || ns_fail "no CAPABILITY_IAM: rc $rc $(cat "$W/err")"
ok "describe by name while creating" '*' cloudformation describe-stacks --stack-name "$S" --query 'Stacks[0].StackStatus' --output text
case "$OUT" in CREATE_IN_PROGRESS|CREATE_COMPLETE) ;; *) ns_fail "status after create: $OUT" ;; esac
ok "wait stack-create-complete" '' cloudformation wait stack-create-complete --stack-name "$SID"

ns_log "outputs and what the stack made"
ok "outputs" '*' cloudformation describe-stacks --stack-name "$SID" \
    --query 'Stacks[0].Outputs[?OutputKey==`InstanceId`].OutputValue' --output text
IID=$OUT
case "$IID" in i-*) ;; *) ns_fail "InstanceId output: $IID" ;; esac
ok "resolved AMI" "ami-0a7d80731ae1b2435" cloudformation describe-stacks --stack-name "$SID" \
    --query "Stacks[0].Parameters[?ParameterKey=='ImageId'].ResolvedValue" --output text
ok "events newest first" "$S CREATE_COMPLETE" cloudformation describe-stack-events --stack-name "$SID" \
    --query 'StackEvents[0].[LogicalResourceId,ResourceStatus]' --output text
ok "oldest event" "$S CREATE_IN_PROGRESS" cloudformation describe-stack-events --stack-name "$SID" \
    --query 'StackEvents[-1].[LogicalResourceId,ResourceStatus]' --output text
ok "event ids" '*' cloudformation describe-stack-events --stack-name "$SID" --query 'StackEvents[].[EventId,Timestamp]' --output json
printf '%s' "$OUT" | node -e '
const ev = JSON.parse(require("fs").readFileSync(0, "utf8"));
const ids = new Set(ev.map((e) => e[0]));
const sorted = ev.every((e, i) => i === 0 || Date.parse(ev[i - 1][1]) > Date.parse(e[1]));
if (ids.size !== ev.length || !sorted || ev.length < 16) { console.error(JSON.stringify(ev)); process.exit(1); }' ||
    ns_fail "stack events: EventIds not unique or not newest first"
ok "stack resources" "7" cloudformation describe-stack-resources --stack-name "$SID" \
    --query "length(StackResources[?ResourceStatus=='CREATE_COMPLETE'])"
ok "instance by tag" "$IID running r6i.16xlarge True terminate" ec2 describe-instances \
    --filters "Name=tag:nitrosetup:job,Values=$J" --query 'Reservations[].Instances[].[InstanceId,State.Name,InstanceType,EnclaveOptions.Enabled,`terminate`]' --output text
ok "instance by state filter" "$IID" ec2 describe-instances --filters Name=instance-state-name,Values=running \
    "Name=instance-id,Values=$IID" --query 'Reservations[].Instances[].InstanceId' --output text
ok "IMDSv2 from the launch template" "required 2" ec2 describe-instances --instance-ids "$IID" \
    --query 'Reservations[0].Instances[0].MetadataOptions.[HttpTokens,HttpPutResponseHopLimit]' --output text
err "unknown instance id" 254 InvalidInstanceID.NotFound ec2 describe-instances --instance-ids i-0123456789abcdef0
err "malformed instance id" 254 InvalidInstanceID.Malformed ec2 describe-instances --instance-ids i-xyz
ok "root volume with the launch template's tags" "300 gp3 True in-use True" ec2 describe-volumes \
    --filters "Name=tag:nitrosetup:job,Values=$J" --query 'Volumes[].[Size,VolumeType,Encrypted,State,Attachments[0].DeleteOnTermination]' --output text
ok "volume by attachment" "1" ec2 describe-volumes --filters "Name=attachment.instance-id,Values=$IID" --query 'length(Volumes)'
ok "ENI by tag" "in-use" ec2 describe-network-interfaces --filters "Name=tag:nitrosetup:job,Values=$J" \
    --query 'NetworkInterfaces[].Status' --output text
ok "security group output" '*' cloudformation describe-stacks --stack-name "$SID" \
    --query 'Stacks[0].Outputs[?OutputKey==`SecurityGroupId`].OutputValue' --output text
SG=$OUT
ok "ENI by group" "1" ec2 describe-network-interfaces --filters "Name=group-id,Values=$SG" --query 'length(NetworkInterfaces)'
ok "reaper schedule" '*' scheduler list-schedules --name-prefix "$S" --query 'Schedules[].Name' --output text
SCHED=$OUT
case "$SCHED" in "$S-Reaper-"*) ;; *) ns_fail "schedule name: $SCHED" ;; esac
ok "reaper target" "at($EXP) arn:aws:scheduler:::aws-sdk:ec2:terminateInstances {\"InstanceIds\":[\"$IID\"]}" \
    scheduler get-schedule --name "$SCHED" --query '[ScheduleExpression,Target.Arn,Target.Input]' --output text
err "unknown schedule" 254 ResourceNotFoundException scheduler get-schedule --name no-such-schedule
ok "tagging API" "1" resourcegroupstaggingapi get-resources --tag-filters "Key=nitrosetup:job,Values=$J" \
    --query "length(ResourceTagMappingList[?ResourceARN=='arn:aws:ec2:us-east-1:111122223333:instance/$IID'])"
ok "console output" '*' ec2 get-console-output --instance-id "$IID" --latest --output json
ok "no log groups" '[]' logs describe-log-groups --log-group-name-prefix /nitrosetup --query 'logGroups[].logGroupName'

ns_log "throttling"
"$TWIN" fault "$D" throttle DescribeStacks 2
before=$(calls '"op":"DescribeStacks"')
ok "throttled twice, the CLI retries" "CREATE_COMPLETE" cloudformation describe-stacks --stack-name "$SID" \
    --query 'Stacks[0].StackStatus' --output text
after=$(calls '"op":"DescribeStacks"')
[ $((after - before)) -eq 3 ] || ns_fail "throttled describe-stacks: $((after - before)) calls, want 3"
"$TWIN" fault "$D" throttle describe-stacks 1
AWS_MAX_ATTEMPTS=1 err "throttled, no retries" 254 Throttling cloudformation describe-stacks --stack-name "$SID"
"$TWIN" fault "$D" throttle DescribeInstances 1
AWS_MAX_ATTEMPTS=1 err "EC2 throttled" 254 RequestLimitExceeded ec2 describe-instances
"$TWIN" fault "$D" throttle GetServiceQuota 1
AWS_MAX_ATTEMPTS=1 err "JSON service throttled" 254 ThrottlingException service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A
"$TWIN" fault "$D" api-error DescribeVolumes UnauthorizedOperation
err "injected error" 254 UnauthorizedOperation ec2 describe-volumes
ok "one-shot" '*' ec2 describe-volumes

ns_log "credentials"
"$TWIN" fault "$D" expire-credentials
err "expired: sts" 254 ExpiredToken sts get-caller-identity
err "expired: cloudformation" 254 ExpiredToken cloudformation describe-stacks --stack-name "$SID"
err "expired: service quotas" 254 ExpiredTokenException service-quotas get-service-quota --service-code ec2 --quota-code L-1216C47A
"$TWIN" fault "$D" renew-credentials
ok "renewed" "111122223333" sts get-caller-identity --query Account --output text
AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000 err "unknown key: sts" 254 InvalidClientTokenId sts get-caller-identity
AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000 err "unknown key: logs" 254 UnrecognizedClientException logs describe-log-groups
AWS_ACCESS_KEY_ID=AKIAUNKNOWNKEY000000 err "unknown key: ec2" 254 AuthFailure ec2 describe-vpcs
if "$TWIN" fault "$D" no-such-fault 2> "$W/err"; then ns_fail "an unknown fault was accepted"; fi
grep -q "unknown fault no-such-fault" "$W/err" || ns_fail "unknown fault: $(cat "$W/err")"

ns_log "the reaper fires when its time passes"
now=$(date -u +%s)
exp=$(date -u -d "$EXP" +%s)
"$TWIN" fault "$D" clock "+$((exp - now + 60))"
for _ in $(seq 1 50); do
    st=$(aws ec2 describe-instances --instance-ids "$IID" --query 'Reservations[0].Instances[0].State.Name' --output text)
    [ "$st" = terminated ] && break
    sleep 0.1
done
ok "terminated by the reaper" "terminated Client.UserInitiatedShutdown" ec2 describe-instances --instance-ids "$IID" \
    --query 'Reservations[0].Instances[0].[State.Name,StateReason.Code]' --output text
grep '"service":"scheduler-target"' "$D/calls.log" | grep -q "$IID" || ns_fail "calls.log: the schedule did not fire"
ok "terminate is idempotent" "terminated terminated" ec2 terminate-instances --instance-ids "$IID" \
    --query 'TerminatingInstances[0].[PreviousState.Name,CurrentState.Name]' --output text

ns_log "teardown (§3.4) and the checklist (§3.6)"
ok "delete-stack" '' cloudformation delete-stack --stack-name "$SID" --client-request-token "delete-$J-1"
grep '"op":"DeleteStack"' "$D/calls.log" | grep -q "\"ClientRequestToken\":\"delete-$J-1\"" || ns_fail "calls.log: DeleteStack token"
wait_status "$SID" DELETE_COMPLETE
ok "delete again: no-op" '' cloudformation delete-stack --stack-name "$SID" --client-request-token "delete-$J-2"
ok "delete an unknown name: no-op" '' cloudformation delete-stack --stack-name nitrosetup-never-was
err "by name after delete" 254 ValidationError cloudformation describe-stacks --stack-name "$S"
grep -q "Stack with id $S does not exist" "$W/err" || ns_fail "by name after delete: $(cat "$W/err")"
ok "stack gone" '"DELETE_COMPLETE"' cloudformation describe-stacks --stack-name "$SID" --query 'Stacks[0].StackStatus'
ok "every stack resource deleted" '[]' cloudformation describe-stack-resources --stack-name "$SID" \
    --query "StackResources[?ResourceStatus!='DELETE_COMPLETE'].[LogicalResourceId,ResourceStatus]"
ok "no other live job stacks" '[]' cloudformation list-stacks --stack-status-filter CREATE_IN_PROGRESS CREATE_FAILED \
    CREATE_COMPLETE ROLLBACK_IN_PROGRESS ROLLBACK_FAILED ROLLBACK_COMPLETE DELETE_IN_PROGRESS DELETE_FAILED \
    --query "StackSummaries[?starts_with(StackName,'nitrosetup-')].[StackName,StackStatus]"
ok "list-stacks keeps deleted stacks" "$SID DELETE_COMPLETE" cloudformation list-stacks \
    --query "StackSummaries[?StackName=='$S'].[StackId,StackStatus]" --output text
ok "instance terminated" "[ [ \"$IID\", \"terminated\" ] ]" ec2 describe-instances \
    --filters "Name=tag:nitrosetup:job,Values=$J" --query 'Reservations[].Instances[].[InstanceId,State.Name]'
ok "no volumes" '[]' ec2 describe-volumes --filters "Name=tag:nitrosetup:job,Values=$J" --query 'Volumes[].[VolumeId,State]'
ok "no volumes attached" '[]' ec2 describe-volumes --filters "Name=attachment.instance-id,Values=$IID" --query 'Volumes[].VolumeId'
ok "no snapshots" '[]' ec2 describe-snapshots --owner-ids self --filters "Name=tag:nitrosetup:job,Values=$J" --query 'Snapshots[].SnapshotId'
ok "no ENIs" '[]' ec2 describe-network-interfaces --filters "Name=tag:nitrosetup:job,Values=$J" --query 'NetworkInterfaces[].NetworkInterfaceId'
ok "no ENIs in the group" '[]' ec2 describe-network-interfaces --filters "Name=group-id,Values=$SG" --query 'NetworkInterfaces[].NetworkInterfaceId'
ok "no EIPs" '[]' ec2 describe-addresses --filters "Name=tag:nitrosetup:job,Values=$J" --query 'Addresses[].AllocationId'
ok "no schedule left" '[]' scheduler list-schedules --name-prefix "$S" --query 'Schedules[].Name'
ok "no log groups" '[]' logs describe-log-groups --log-group-name-prefix /nitrosetup --query 'logGroups[].logGroupName'
ok "cross-service sweep" '[]' resourcegroupstaggingapi get-resources --tag-filters "Key=nitrosetup:job,Values=$J" \
    --query 'ResourceTagMappingList[].ResourceARN'
[ "$(live)" = '[]' ] || ns_fail "live after teardown: $(live)"

ns_log "create failure: --on-failure DELETE rolls back to DELETE_COMPLETE"
# The twin's clock is ahead now: the next reapers must be set from it.
twin_clock=$("$TWIN" state "$D" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).clock)')
EXP=$(date -u -d "$twin_clock + 245 minutes" +%Y-%m-%dT%H:%M:%S)
J2=20261207-1831-b2c3d4
"$TWIN" fault "$D" create-fail
SID2=$(create "$J2" "create-$J2" --on-failure DELETE | tr -d '"') || ns_fail "create-stack (create-fail) failed"
wait_status "$SID2" DELETE_COMPLETE
err "rolled back: by name" 254 ValidationError cloudformation describe-stacks --stack-name "nitrosetup-$J2"
ok "oldest failure names VcpuLimitExceeded" '*' cloudformation describe-stack-events --stack-name "$SID2" \
    --query "StackEvents[?contains(ResourceStatus,'FAILED')].[Timestamp,LogicalResourceId,ResourceStatusReason]" --output json
printf '%s' "$OUT" | node -e '
const ev = JSON.parse(require("fs").readFileSync(0, "utf8"));
const oldest = ev[ev.length - 1];
if (!oldest || oldest[1] !== "Host" || !/Error Code: VcpuLimitExceeded/.test(oldest[2])) { console.error(JSON.stringify(ev)); process.exit(1); }' ||
    ns_fail "the oldest failed event does not name VcpuLimitExceeded on Host"
ok "delete requested by the failure" '*' cloudformation describe-stack-events --stack-name "$SID2" \
    --query "StackEvents[?ResourceStatus=='DELETE_IN_PROGRESS' && LogicalResourceId=='nitrosetup-$J2'].ResourceStatusReason" --output text
case "$OUT" in *"failed to create: [Host]"*) ;; *) ns_fail "rollback reason: $OUT" ;; esac
[ "$(live)" = '[]' ] || ns_fail "live after a rolled-back create: $(live)"

ns_log "create failure, default OnFailure: ROLLBACK_COMPLETE, then delete"
J3=20261207-1832-c3d4e5
"$TWIN" fault "$D" create-fail
SID3=$(create "$J3" "create-$J3" | tr -d '"') || ns_fail "create-stack (rollback) failed"
wait_status "$SID3" ROLLBACK_COMPLETE
rc=0
aws cloudformation wait stack-create-complete --stack-name "$SID3" 2> "$W/err" || rc=$?
[ $rc -eq 255 ] && grep -q 'terminal failure state' "$W/err" || ns_fail "wait on a rolled-back stack: rc $rc $(cat "$W/err")"
"$TWIN" state "$D" | grep -q ROLLBACK_COMPLETE || ns_fail "state: no ROLLBACK_COMPLETE stack"
live | grep -q '"type":"stack"' || ns_fail "a ROLLBACK_COMPLETE stack is not live"
ok "delete the rolled-back stack" '' cloudformation delete-stack --stack-name "$SID3"
wait_status "$SID3" DELETE_COMPLETE

ns_log "delete-failed on Host, then terminate and retry"
J4=20261207-1833-d4e5f6
SID4=$(create "$J4" "create-$J4" --on-failure DELETE | tr -d '"') || ns_fail "create-stack (delete-failed) failed"
wait_status "$SID4" CREATE_COMPLETE
IID4=$(aws cloudformation describe-stacks --stack-name "$SID4" --query 'Stacks[0].Outputs[?OutputKey==`InstanceId`].OutputValue' --output text)
"$TWIN" fault "$D" delete-failed
ok "delete-stack" '' cloudformation delete-stack --stack-name "$SID4" --client-request-token "delete-$J4-1"
wait_status "$SID4" DELETE_FAILED
ok "what failed" "Host $IID4 Resource handler returned message: \"fault: instance could not be terminated\"" \
    cloudformation describe-stack-resources --stack-name "$SID4" \
    --query "StackResources[?ResourceStatus=='DELETE_FAILED'].[LogicalResourceId,PhysicalResourceId,ResourceStatusReason]" --output text
live | grep -q "\"id\":\"$IID4\"" || ns_fail "the instance of a DELETE_FAILED stack is not live: $(live)"
err "retain an unknown resource" 254 ValidationError cloudformation delete-stack --stack-name "$SID4" --retain-resources NoSuch
ok "terminate by hand" "running shutting-down" ec2 terminate-instances --instance-ids "$IID4" \
    --query 'TerminatingInstances[0].[PreviousState.Name,CurrentState.Name]' --output text
ok "retry the delete" '' cloudformation delete-stack --stack-name "$SID4" --client-request-token "delete-$J4-2"
ok "wait stack-delete-complete" '' cloudformation wait stack-delete-complete --stack-name "$SID4"
[ "$(live)" = '[]' ] || ns_fail "live after the retried delete: $(live)"

ns_log "retain-resources after DELETE_FAILED, DO_NOTHING, an unmodelled type, a parameter out of range"
J6=20261207-1835-f6a7b8
SID6=$(create "$J6" "create-$J6" --on-failure DELETE | tr -d '"') || ns_fail "create-stack (retain) failed"
wait_status "$SID6" CREATE_COMPLETE
IID6=$(aws cloudformation describe-stacks --stack-name "$SID6" --query 'Stacks[0].Outputs[?OutputKey==`InstanceId`].OutputValue' --output text)
ok "stack of a physical id" "$SID6" cloudformation describe-stack-resources --physical-resource-id "$IID6" \
    --query 'StackResources[0].StackId' --output text
err "retain before DELETE_FAILED" 254 ValidationError cloudformation delete-stack --stack-name "$SID6" --retain-resources Host
"$TWIN" fault "$D" delete-failed
ok "delete-stack" '' cloudformation delete-stack --stack-name "$SID6"
wait_status "$SID6" DELETE_FAILED
# Retaining Host while it runs: its network interface keeps the security
# group, which then fails to delete (as on AWS).
ok "delete, retaining Host" '' cloudformation delete-stack --stack-name "$SID6" --retain-resources Host
wait_status "$SID6" DELETE_FAILED
ok "the group is still in use" '*' cloudformation describe-stack-resources --stack-name "$SID6" \
    --query "StackResources[?ResourceStatus=='DELETE_FAILED'].[LogicalResourceId,ResourceStatusReason]" --output text
case "$OUT" in "HostSecurityGroup"*"Error Code: DependencyViolation"*) ;; *) ns_fail "retained Host: $OUT" ;; esac
live | grep -q "\"id\":\"$IID6\"" || ns_fail "a retained instance is not live: $(live)"
ok "terminate the retained instance" '*' ec2 terminate-instances --instance-ids "$IID6"
for _ in $(seq 1 50); do
    [ "$(aws ec2 describe-instances --instance-ids "$IID6" --query 'Reservations[0].Instances[0].State.Name' --output text)" = terminated ] && break
    sleep 0.1
done
ok "delete again, retaining Host" '' cloudformation delete-stack --stack-name "$SID6" --retain-resources Host
wait_status "$SID6" DELETE_COMPLETE
ok "Host skipped" "Host DELETE_SKIPPED" cloudformation describe-stack-resources --stack-name "$SID6" \
    --query "StackResources[?ResourceStatus!='DELETE_COMPLETE'].[LogicalResourceId,ResourceStatus]" --output text
[ "$(live)" = '[]' ] || ns_fail "live after the retained delete: $(live)"

J7=20261207-1836-a7b8c9
"$TWIN" fault "$D" create-fail
SID7=$(create "$J7" "create-$J7" --on-failure DO_NOTHING | tr -d '"') || ns_fail "create-stack (DO_NOTHING) failed"
wait_status "$SID7" CREATE_FAILED
ok "DO_NOTHING keeps what was made" "HostLaunchTemplate CREATE_COMPLETE" cloudformation describe-stack-resources --stack-name "$SID7" \
    --query "StackResources[?LogicalResourceId=='HostLaunchTemplate'].[LogicalResourceId,ResourceStatus]" --output text
ok "delete it" '' cloudformation delete-stack --stack-name "$SID7"
wait_status "$SID7" DELETE_COMPLETE

SID8=$(aws cloudformation create-stack --stack-name twin-unmodelled \
    --template-body '{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}' --query StackId --output text) ||
    ns_fail "create-stack with an unmodelled type failed"
wait_status "$SID8" ROLLBACK_COMPLETE
ok "unmodelled type" '*' cloudformation describe-stack-events --stack-name "$SID8" \
    --query "StackEvents[?ResourceStatus=='CREATE_FAILED'].ResourceStatusReason" --output text
case "$OUT" in *"Unrecognized resource types: [AWS::SNS::Topic]"*) ;; *) ns_fail "unmodelled type: $OUT" ;; esac
ok "delete it" '' cloudformation delete-stack --stack-name "$SID8"
wait_status "$SID8" DELETE_COMPLETE
rc=0
aws cloudformation create-stack --stack-name nitrosetup-small --template-body "file://$TEMPLATE" --capabilities CAPABILITY_IAM \
    --parameters "ParameterKey=JobId,ParameterValue=small-job" ParameterKey=EnclaveMemoryMiB,ParameterValue=512 \
    ParameterKey=EnclaveCpuCount,ParameterValue=2 ParameterKey=JobBucket,ParameterValue=b ParameterKey=PtauBucket,ParameterValue=p \
    "ParameterKey=VpcId,ParameterValue=$VPC" "ParameterKey=SubnetId,ParameterValue=$SUBNET" \
    "ParameterKey=BootstrapSha256,ParameterValue=$H" "ParameterKey=ExpiresAtUtc,ParameterValue=$EXP" > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] && grep -q "Parameter 'EnclaveMemoryMiB' must be a number not less than 1024" "$W/err" ||
    ns_fail "MinValue: rc $rc $(cat "$W/err")"
rc=0
aws cloudformation create-stack --stack-name nitrosetup-novpc --template-body "file://$TEMPLATE" --capabilities CAPABILITY_IAM \
    --parameters "ParameterKey=JobId,ParameterValue=novpc-job" ParameterKey=EnclaveMemoryMiB,ParameterValue=4096 \
    ParameterKey=EnclaveCpuCount,ParameterValue=2 ParameterKey=JobBucket,ParameterValue=b ParameterKey=PtauBucket,ParameterValue=p \
    "ParameterKey=VpcId,ParameterValue=vpc-0000000000000000a" "ParameterKey=SubnetId,ParameterValue=$SUBNET" \
    "ParameterKey=BootstrapSha256,ParameterValue=$H" "ParameterKey=ExpiresAtUtc,ParameterValue=$EXP" > /dev/null 2> "$W/err" || rc=$?
[ $rc -eq 254 ] && grep -q "parameter value vpc-0000000000000000a for parameter name VpcId does not exist" "$W/err" ||
    ns_fail "unknown VPC: rc $rc $(cat "$W/err")"

ns_log "intrinsic functions, conditions, mappings, a log group"
SID9=$(aws cloudformation create-stack --stack-name twin-intrinsics --template-body "file://$NS_SOURCE/tests/aws/data/intrinsics.yaml" \
    --query StackId --output text) || ns_fail "create-stack (intrinsics) failed"
wait_status "$SID9" CREATE_COMPLETE
ok "outputs" "Dev=yes Encoded=dHdpbg== Group=/nitrosetup/twin-intrinsics/dev GroupArn=arn:aws:logs:us-east-1:111122223333:log-group:/nitrosetup/twin-intrinsics/dev:* Joined=beta+a+30 Subbed=hi, us-east-1 111122223333 aws \${Literal} Zone=us-east-1c" \
    cloudformation describe-stacks --stack-name "$SID9" --query 'sort_by(Stacks[0].Outputs,&OutputKey)[].join(`=`,[OutputKey,OutputValue])' --output text
ok "the log group" "/nitrosetup/twin-intrinsics/dev" logs describe-log-groups --log-group-name-prefix /nitrosetup \
    --query 'logGroups[].logGroupName' --output text
live | grep -q '"type":"log-group"' || ns_fail "a log group is not live: $(live)"
ok "delete it" '' cloudformation delete-stack --stack-name "$SID9"
wait_status "$SID9" DELETE_COMPLETE
ok "no log groups" '[]' logs describe-log-groups --log-group-name-prefix /nitrosetup --query 'logGroups[].logGroupName'
SID10=$(aws cloudformation create-stack --stack-name twin-intrinsics-prod --template-body "file://$NS_SOURCE/tests/aws/data/intrinsics.yaml" \
    --parameters ParameterKey=Env,ParameterValue=prod --query StackId --output text) || ns_fail "create-stack (prod) failed"
wait_status "$SID10" CREATE_COMPLETE
ok "conditions" "no /nitrosetup/twin-intrinsics-prod/prod-only" cloudformation describe-stacks --stack-name "$SID10" \
    --query 'Stacks[0].Outputs[?OutputKey==`Dev`||OutputKey==`ProdGroup`].OutputValue' --output text
ok "retention" "30" logs describe-log-groups --log-group-name-prefix /nitrosetup/twin-intrinsics-prod/prod \
    --query 'logGroups[?logGroupName==`/nitrosetup/twin-intrinsics-prod/prod`].retentionInDays' --output text
err "AllowedValues" 254 ValidationError cloudformation create-stack --stack-name twin-bad-env \
    --template-body "file://$NS_SOURCE/tests/aws/data/intrinsics.yaml" --parameters ParameterKey=Env,ParameterValue=qa
ok "delete it" '' cloudformation delete-stack --stack-name "$SID10"
wait_status "$SID10" DELETE_COMPLETE
[ "$(live)" = '[]' ] || ns_fail "live after the intrinsics stacks: $(live)"

ns_log "resources leaked outside any stack: found by tag, deleted by the sweep's calls"
J5=20261207-1834-e5f6a7
VOL=$("$TWIN" leak "$D" volume "nitrosetup:job=$J5")
ENI=$("$TWIN" leak "$D" network-interface "nitrosetup:job=$J5")
EIP=$("$TWIN" leak "$D" address "nitrosetup:job=$J5")
SNAP=$("$TWIN" leak "$D" snapshot "nitrosetup:job=$J5")
[ "$(live | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).length)')" = 4 ] || ns_fail "live with 4 leaks: $(live)"
ok "leaked volume" "$VOL available" ec2 describe-volumes --filters "Name=tag:nitrosetup:job,Values=$J5" Name=status,Values=available     --query 'Volumes[].[VolumeId,State]' --output text
ok "leaked ENI" "$ENI" ec2 describe-network-interfaces --filters "Name=tag:nitrosetup:job,Values=$J5"     --query 'NetworkInterfaces[].NetworkInterfaceId' --output text
ok "leaked EIP" "$EIP" ec2 describe-addresses --filters "Name=tag:nitrosetup:job,Values=$J5" --query 'Addresses[].AllocationId' --output text
ok "leaked snapshot" "$SNAP" ec2 describe-snapshots --owner-ids self --filters "Name=tag:nitrosetup:job,Values=$J5"     --query 'Snapshots[].SnapshotId' --output text
ok "tagging API sees them" "4" resourcegroupstaggingapi get-resources --tag-filters "Key=nitrosetup:job,Values=$J5"     --query 'length(ResourceTagMappingList)'
ok "delete-volume" '' ec2 delete-volume --volume-id "$VOL"
err "delete-volume twice" 254 InvalidVolume.NotFound ec2 delete-volume --volume-id "$VOL"
ok "delete-network-interface" '' ec2 delete-network-interface --network-interface-id "$ENI"
ok "release-address" '' ec2 release-address --allocation-id "$EIP"
ok "delete-snapshot" '' ec2 delete-snapshot --snapshot-id "$SNAP"
[ "$(live)" = '[]' ] || ns_fail "live after the sweep: $(live)"
if "$TWIN" leak "$D" volume badtag 2> "$W/err"; then ns_fail "leak accepted a tag without ="; fi

ns_log "state file and twin down"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$D/state.json" || ns_fail "state.json is not JSON"
n=$("$TWIN" state "$D" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).calls)')
[ "$n" -gt 50 ] || ns_fail "state: calls=$n"
pid=$(cat "$D/pid")
"$TWIN" down "$D"
if kill -0 "$pid" 2> /dev/null; then ns_fail "twin down left the server running (pid $pid)"; fi
if aws sts get-caller-identity > /dev/null 2>&1; then ns_fail "the twin answers after twin down"; fi
stopped=$("$TWIN" state "$D" | node -e 'const s = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(s.live.length, s.stacks.length)') ||
    ns_fail "twin state of a stopped twin failed"
[ "$stopped" = "0 9" ] || ns_fail "twin state of a stopped twin: live and stacks $stopped, want 0 9"

ns_log "a restarted twin reloads its state"
"$TWIN" up "$D" > "$W/up2.log" || ns_fail "twin up (restart) failed: $(cat "$W/up2.log")"
# shellcheck disable=SC1091
source "$D/env"
ok "deleted stacks survive a restart" "DELETE_COMPLETE" cloudformation describe-stacks --stack-name "$SID" \
    --query 'Stacks[0].StackStatus' --output text
ok "same account" "111122223333" sts get-caller-identity --query Account --output text
"$TWIN" down "$D"
ns_pass
