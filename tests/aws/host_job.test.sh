#!/bin/bash
# A whole AWS job through the AWS twin (issue 14's "done when" for the EC2
# host): the inputs in S3, the stack of deploy/aws/job.yaml created with the
# real AWS CLI, the instance runs the user data, the bootstrap and the host
# tarball (scripts/build-host-bundle.sh) with the twin's enclave image,
# writes status and the bundle, and powers itself off; the bundle verifies.
#
#   ok        the ptau from the requester-pays mirror; status seq grows;
#             out/bundle/ matches MANIFEST.sha256 and DONE.json; `verify
#             --allow-simulated` passes (NOT TRUSTED: simulated);
#   fallback  the mirror answers 403 (ptau-mirror-403): the ptau comes
#             from the HTTPS fallback URL and host.log says so;
#   faults    bootstrap-hash, allocator-fail, host-fail, enclave-dies,
#             upload-network-loss: FAILED.json naming the cause;
#   throttle  S3 PutObject throttled twice: the CLI retries (three requests
#             for the first status.json), DONE;
#   expire-credentials  the user's credentials expire mid-job: the local
#             CLI is refused (ExpiredToken), the instance (role
#             credentials) finishes; renewed, the result is read.
# After each: the instance terminated by its own power-off, no open
# multipart upload under the job, the stack deleted, `twin state`'s live
# list empty.  The job's inputs are assembled here (job.json of
# docs/aws-job.md, the circuit bundle and r1cs of a local ceremony).
# NS_HOST_JOB_CASES (space-separated) runs only the named cases.
# Needs root (the twin's instances run in namespaces).
source "$NS_COMPAT/lib.sh"
[ "$(id -u)" -eq 0 ] || ns_fail "needs root (the twin's instance sandboxes)"
[ -n "${NS_TWIN:-}" ] && [ -f "$NS_TWIN" ] || ns_fail "no AWS twin (NS_TWIN=${NS_TWIN:-unset})"
CASES=${NS_HOST_JOB_CASES:-ok fallback bootstrap-hash allocator-fail host-fail enclave-dies upload-network-loss throttle expire-credentials}
want() { [[ " $CASES " == *" $1 "* ]]; }

ns_ceremony_setup
PIN=$(ns_pin "$P8")
TW=$W/twin
twin() { "$NS_TWIN" "$@"; }
twin_down() { twin down "$TW" >/dev/null 2>&1 || true; }
trap twin_down EXIT
ns_log "twin up"
twin up "$TW" >"$W/twin-up.log" 2>&1 || { cat "$W/twin-up.log" "$TW/prepare.log" >&2; ns_fail "twin up failed"; }
# shellcheck disable=SC1091
. "$TW/env"
[ -f "${NITROSETUP_TWIN_EIF:-}" ] || ns_fail "the twin made no enclave image (NITROSETUP_TWIN_EIF)"
awsj() { "$NITROSETUP_AWS" --output json "$@"; }
awst() { "$NITROSETUP_AWS" --output text "$@"; }
sha() { sha256sum "$1" | cut -c1-64; }
ACCOUNT=$(awst sts get-caller-identity --query Account) || ns_fail "sts get-caller-identity failed"
B=nitrosetup-jobs-$ACCOUNT-us-east-1
awst s3 mb "s3://$B" >/dev/null || ns_fail "cannot make the job bucket"
VPC=$(awst ec2 describe-vpcs --filters Name=is-default,Values=true --query 'Vpcs[0].VpcId')
SUBNET=$(awst ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" --query 'Subnets[0].SubnetId')
[[ $VPC == vpc-* && $SUBNET == subnet-* ]] || ns_fail "no default VPC/subnet in the twin ($VPC $SUBNET)"

ns_log "the test ptau in the mirror (as its owner), the host tarball, the circuit inputs"
PTAU_NAME=powersOfTau28_hez_final_08.ptau
owner() { AWS_ACCESS_KEY_ID=$TWIN_MIRROR_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$TWIN_MIRROR_SECRET_ACCESS_KEY "$NITROSETUP_AWS" "$@"; }
if ! owner s3api head-bucket --bucket twin-ptau-mirror >/dev/null 2>&1; then
    # What `nitrosetup aws mirror-ptau` sets up (research note section 4).
    owner s3 mb s3://twin-ptau-mirror >/dev/null &&
        owner s3api put-public-access-block --bucket twin-ptau-mirror --public-access-block-configuration \
            BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false &&
        owner s3api put-bucket-request-payment --bucket twin-ptau-mirror \
            --request-payment-configuration Payer=Requester &&
        owner s3api put-bucket-policy --bucket twin-ptau-mirror --policy \
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::twin-ptau-mirror/ptau/*"}]}' ||
        ns_fail "cannot make the mirror bucket as its owner"
fi
owner s3 cp "$P8" "s3://twin-ptau-mirror/ptau/$PTAU_NAME" --only-show-errors ||
    ns_fail "cannot upload the test ptau to the mirror"
bash "$NS_SOURCE/scripts/build-host-bundle.sh" "$W/host.tar.gz" "$NS_BIN" >"$W/host.json" ||
    ns_fail "build-host-bundle.sh failed"
# The circuit bundle and r1cs for a job assembled here: those of a local
# ceremony (the pair the enclave compiles and compares).
PACK=0
if "$NS_BIN" aws pack --help >/dev/null 2>&1; then PACK=1; fi
if [ "$PACK" = 0 ]; then
    "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" -o "$W/local" --ptau "$P8" "${T8[@]}" \
        --drand-sim --circom "$CIRCOM" >"$W/local.log" 2>&1 || { cat "$W/local.log" >&2; ns_fail "the local ceremony failed"; }
    [ -f "$W/local/circuit.tar" ] && [ -f "$W/local/circuit.r1cs" ] || ns_fail "no circuit.tar/circuit.r1cs in the local bundle"
fi
"$NS_BIN" aws template --bootstrap >"$W/bootstrap.sh" || ns_fail "nitrosetup aws template --bootstrap failed"
"$NS_BIN" aws template >"$W/job.yaml" || ns_fail "nitrosetup aws template failed"

# make_job J: the job's in/ in $W/jobs/J, uploaded.  Made by `nitrosetup
# aws pack` when the program has it, else assembled here (job.json as
# docs/aws-job.md says, the circuit files of the local ceremony).
N=0
make_job() {
    J=$1
    local d=$W/jobs/$J
    mkdir -p "$W/jobs"
    if [ "$PACK" = 1 ]; then
        "$NS_BIN" aws pack "$NS_SOURCE/examples/multiplier.circom" -o "$d" --job "$J" --region us-east-1 \
            --bucket "$B" --eif "$NITROSETUP_TWIN_EIF" --host-bundle "$W/host.tar.gz" --arch x86_64 \
            --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim --cpu-count 2 >"$W/pack.log" 2>&1 ||
            { cat "$W/pack.log" >&2; ns_fail "$J: nitrosetup aws pack failed"; }
        # the mirror holds the test ptau under the key the job names
        local key
        key=$(node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
                       if (!j.ptau.mirror || j.ptau.mirror.bucket !== "twin-ptau-mirror") process.exit(1);
                       console.log(j.ptau.mirror.key);' "$d/job.json") || ns_fail "$J: job.json does not name the twin's mirror"
        owner s3api head-object --bucket twin-ptau-mirror --key "$key" >/dev/null 2>&1 ||
            owner s3 cp "$P8" "s3://twin-ptau-mirror/$key" --only-show-errors || ns_fail "cannot put the ptau at $key"
    else
        mkdir -p "$d"
        cp "$W/host.tar.gz" "$d/nitrosetup-host-x86_64.tar.gz"
        cp "$NITROSETUP_TWIN_EIF" "$d/enclave.eif"
        cp "$W/local/circuit.tar" "$W/local/circuit.r1cs" "$d/"
        node -e '
const fs = require("fs");
const [d, J, B, pin, ptau, name, urlBase] = process.argv.slice(1);
const crypto = require("crypto");
const file = (k) => { const b = fs.readFileSync(d + "/" + k.slice(3));
  return { key: k, sha256: crypto.createHash("sha256").update(b).digest("hex"), bytes: b.length }; };
const now = new Date(), later = new Date(now.getTime() + 4 * 3600e3);
const iso = (t) => t.toISOString().replace(/\.\d+Z$/, "Z");
const job = {
  format: "nitrosetup-job-1", job: J, region: "us-east-1", bucket: B, created: iso(now), deadline: iso(later),
  inputs: { host: file("in/nitrosetup-host-x86_64.tar.gz"), eif: file("in/enclave.eif"),
            circuit: file("in/circuit.tar"), r1cs: file("in/circuit.r1cs") },
  ptau: { name, power: 8, blake2b: pin, bytes: fs.statSync(ptau).size,
          mirror: { bucket: "twin-ptau-mirror", key: "ptau/" + name, region: "us-east-1" }, urls: [urlBase + name] },
  trust_ptau: [pin], drand: "sim",
  enclave: { memory_mib: 2048, cpu_count: 2, debug_mode: false, port: 5005 },
};
fs.writeFileSync(d + "/job.json", JSON.stringify(job, null, 2) + "\n");
' "$d" "$J" "$B" "$PIN" "$P8" "$PTAU_NAME" "$NITROSETUP_PTAU_URL_BASE" || ns_fail "$J: cannot write job.json"
    fi
    cp "$W/bootstrap.sh" "$d/bootstrap.sh"
    MEM=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).enclave.memory_mib)' "$d/job.json")
    CPUS=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).enclave.cpu_count)' "$d/job.json")
    [[ $MEM =~ ^[0-9]+$ && $CPUS =~ ^[0-9]+$ ]] || ns_fail "$J: job.json's enclave memory/CPUs: $MEM $CPUS"
    [ "$MEM" -ge 1024 ] || MEM=1024 # the template's minimum; the pool may exceed the enclave
    ls "$d" | LC_ALL=C sort >"$W/in.list"
    printf '%s\n' bootstrap.sh circuit.r1cs circuit.tar enclave.eif job.json nitrosetup-host-x86_64.tar.gz |
        cmp -s - "$W/in.list" || ns_fail "$J: the job directory holds $(tr '\n' ' ' <"$W/in.list")"
    # one CLI process for the six files
    awst s3 cp "$d/" "s3://$B/jobs/$J/in/" --recursive --only-show-errors || ns_fail "$J: cannot upload in/"
}

# create_stack J: the research note's create-stack; STACK = its id.
create_stack() {
    local d=$W/jobs/$J
    STACK=$(awst cloudformation create-stack --stack-name "nitrosetup-$J" --template-body "file://$W/job.yaml" \
        --capabilities CAPABILITY_IAM --on-failure DELETE --client-request-token "create-$J" \
        --tags "Key=nitrosetup:job,Value=$J" \
        --parameters "ParameterKey=JobId,ParameterValue=$J" ParameterKey=InstanceType,ParameterValue=m6i.2xlarge \
        ParameterKey=ImageId,ParameterValue=/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 \
        "ParameterKey=EnclaveMemoryMiB,ParameterValue=$MEM" "ParameterKey=EnclaveCpuCount,ParameterValue=$CPUS" \
        ParameterKey=MaxLifetimeMinutes,ParameterValue=30 ParameterKey=RootVolumeGiB,ParameterValue=30 \
        "ParameterKey=JobBucket,ParameterValue=$B" ParameterKey=PtauBucket,ParameterValue=twin-ptau-mirror \
        "ParameterKey=VpcId,ParameterValue=$VPC" "ParameterKey=SubnetId,ParameterValue=$SUBNET" \
        "ParameterKey=BootstrapSha256,ParameterValue=$(sha "$d/bootstrap.sh")" \
        "ParameterKey=JobSha256,ParameterValue=$(sha "$d/job.json")" \
        "ParameterKey=ExpiresAtUtc,ParameterValue=$(date -u -d '+2 hours' +%Y-%m-%dT%H:%M:%S)" \
        --query StackId) || ns_fail "$J: create-stack failed"
    [[ $STACK == arn:aws:cloudformation:* ]] || ns_fail "$J: create-stack answered $STACK"
}

# wait_result J [SECONDS]: polls out/ until DONE.json or FAILED.json;
# RESULT = DONE or FAILED; SEQS = the status seqs seen, in order.
wait_result() {
    local limit=${2:-300} t0=$SECONDS seq phase list etag last=
    SEQS=
    RESULT=
    while [ $((SECONDS - t0)) -lt "$limit" ]; do
        # one listing per round; status.json is read when its ETag changes
        list=$(awst s3api list-objects-v2 --bucket "$B" --prefix "jobs/$J/out/" --query 'Contents[].[Key,ETag]' || true)
        case $list in *"out/DONE.json"*) RESULT=DONE ;; *"out/FAILED.json"*) RESULT=FAILED ;; esac
        etag=$(awk '$1 ~ /out\/status\.json$/ { print $2 }' <<<"$list")
        if [ -n "$etag" ] && [ "$etag" != "$last" ]; then
            last=$etag
            read -r seq phase < <(awst s3 cp "s3://$B/jobs/$J/out/status.json" - 2>/dev/null |
                node -e 'let s = ""; process.stdin.on("data", (c) => s += c).on("end", () => { try { const d = JSON.parse(s); console.log(d.seq, d.phase); } catch (e) {} });' || true) || true
            if [ -n "$seq" ] && [ "${SEQS##* }" != "$seq" ]; then SEQS="$SEQS $seq"; fi
            # ARM_AT="PHASE FAULT...": arm the fault once the job reaches PHASE
            if [ -n "${ARM_AT:-}" ] && [ "${phase:-}" = "${ARM_AT%% *}" ]; then
                # shellcheck disable=SC2086
                twin fault "$TW" ${ARM_AT#* } >/dev/null || ns_fail "cannot arm ${ARM_AT#* }"
                ns_log "  armed ${ARM_AT#* } at phase $phase"
                ARM_AT=
            fi
        fi
        [ -z "$RESULT" ] || break
        sleep 2
    done
    [ -n "$RESULT" ] || { tail -30 "$TW"/instances/*/console.log >&2 2>/dev/null; ns_fail "$J: no DONE.json or FAILED.json after ${limit}s"; }
    mkdir -p "$W/out/$J"
    awst s3 cp "s3://$B/jobs/$J/out/" "$W/out/$J/" --recursive --only-show-errors || ns_fail "$J: cannot download out/"
}

# finish J: the instance terminated by itself, no open upload, the stack
# deleted, nothing live in the twin.
finish() {
    local states=
    for _ in $(seq 1 60); do
        states=$(awst ec2 describe-instances --filters "Name=tag:nitrosetup:job,Values=$J" \
            --query 'Reservations[].Instances[].State.Name')
        [ "$states" = terminated ] && break
        sleep 1
    done
    [ "$states" = terminated ] || ns_fail "$J: the instance is '$states', not terminated by its power-off"
    local up
    up=$(awst s3api list-multipart-uploads --bucket "$B" --prefix "jobs/$J/" --query 'Uploads[].Key')
    [ -z "$up" ] || [ "$up" = None ] || ns_fail "$J: open multipart uploads left: $up"
    awst cloudformation delete-stack --stack-name "$STACK" --client-request-token "delete-$J" ||
        ns_fail "$J: delete-stack failed"
    local st=
    for _ in $(seq 1 60); do
        st=$(awst cloudformation describe-stacks --stack-name "$STACK" --query 'Stacks[0].StackStatus')
        [ "$st" = DELETE_COMPLETE ] && break
        sleep 1
    done
    [ "$st" = DELETE_COMPLETE ] || ns_fail "$J: stack $st, not DELETE_COMPLETE"
    twin state "$TW" >"$W/state.json" || ns_fail "twin state failed"
    node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             if (!Array.isArray(s.live) || s.live.length) { console.error(JSON.stringify(s.live)); process.exit(1); }' \
        "$W/state.json" || ns_fail "$J: the twin still has live resources"
}

# failed_with PHASE-REGEX CAUSE-REGEX
failed_with() {
    [ "$RESULT" = FAILED ] || ns_fail "$J: $RESULT, not FAILED"
    node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             const ok = d.format === "nitrosetup-result-1" && d.ok === false && d.job === process.argv[2] &&
               new RegExp(process.argv[3]).test(d.phase) && new RegExp(process.argv[4], "i").test(d.cause);
             console.log("   FAILED.json: phase " + d.phase + ": " + d.cause);
             process.exit(ok ? 0 : 1);' "$W/out/$J/FAILED.json" "$J" "$1" "$2" ||
        ns_fail "$J: FAILED.json does not name the cause (/$1/, /$2/)"
    [ ! -e "$W/out/$J/DONE.json" ] || ns_fail "$J: DONE.json beside FAILED.json"
}

# done_ok: DONE.json, the manifest, the bundle verifies.
done_ok() {
    local o=$W/out/$J
    [ "$RESULT" = DONE ] || { cat "$o/FAILED.json" "$o/host.log" >&2 2>/dev/null; ns_fail "$J: $RESULT, not DONE"; }
    [ ! -e "$o/FAILED.json" ] || ns_fail "$J: FAILED.json beside DONE.json"
    [ -f "$o/MANIFEST.sha256" ] || ns_fail "$J: no MANIFEST.sha256"
    (cd "$o" && sha256sum -c --strict --quiet MANIFEST.sha256) || ns_fail "$J: the bundle does not match MANIFEST.sha256"
    (cd "$o" && find bundle -type f | LC_ALL=C sort) >"$W/files.got"
    awk '{ print $2 }' "$o/MANIFEST.sha256" | sed 's/^\*//' | LC_ALL=C sort >"$W/files.manifest"
    diff "$W/files.got" "$W/files.manifest" >/dev/null || ns_fail "$J: out/bundle/ and MANIFEST.sha256 list different files"
    node -e 'const fs = require("fs"), crypto = require("crypto");
             const [o, J] = process.argv.slice(1);
             const d = JSON.parse(fs.readFileSync(o + "/DONE.json", "utf8"));
             if (d.format !== "nitrosetup-result-1" || d.ok !== true || d.job !== J || !d.files.length) process.exit(1);
             for (const f of d.files) {
               const b = fs.readFileSync(o + "/" + f.name);
               if (b.length !== f.bytes || crypto.createHash("sha256").update(b).digest("hex") !== f.sha256) process.exit(2);
             }' "$o" "$J" || ns_fail "$J: DONE.json does not describe the bundle"
    "$NS_BIN" verify "$o/bundle" --ptau "$P8" --trust-ptau "$PIN" --allow-simulated >"$W/verify.txt" 2>&1 ||
        { cat "$W/verify.txt" >&2; ns_fail "$J: nitrosetup verify --allow-simulated fails the bundle"; }
    grep -q "^RESULT: NOT TRUSTED" "$W/verify.txt" || ns_fail "$J: a simulated bundle reads as trusted"
}

# seq_grows: the status seqs seen only grow, over at least three values.
seq_grows() {
    local prev=-1 n=0 s
    for s in $SEQS; do
        [ "$s" -gt "$prev" ] || ns_fail "$J: status seq went from $prev to $s (seen:$SEQS)"
        prev=$s
        n=$((n + 1))
    done
    [ "$n" -ge 3 ] || ns_fail "$J: saw only$SEQS of the heartbeat's seq"
}

run_case() {
    N=$((N + 1))
    J=$(date -u +%Y%m%d-%H%M)-$(printf '%06x' $((0xa00000 + N)))
    ns_log "$1 (job $J)"
}

if want ok; then
    run_case "ok: the ptau from the requester-pays mirror"
    make_job "$J" && create_stack && wait_result "$J"
    done_ok
    seq_grows
    grep -Eiq "mirror|twin-ptau-mirror" "$W/out/$J/host.log" || ns_fail "$J: host.log does not mention the mirror"
    grep -q "zkevm/ptau" "$W/out/$J/host.log" && ns_fail "$J: the ptau came from the fallback URL, not the mirror"
    finish
fi

if want fallback; then
    run_case "fallback: the mirror answers 403, the ptau comes from the HTTPS URL"
    make_job "$J"
    twin fault "$TW" ptau-mirror-403 >/dev/null || ns_fail "cannot arm ptau-mirror-403"
    create_stack && wait_result "$J"
    done_ok
    grep -Eiq "403|AccessDenied" "$W/out/$J/host.log" || ns_fail "$J: host.log does not say the mirror refused"
    grep -q "zkevm/ptau/" "$W/out/$J/host.log" || ns_fail "$J: host.log does not name the fallback URL"
    finish
    twin fault "$TW" clear >/dev/null || ns_fail "cannot clear the faults"
fi

# fault_case NAME PHASE-REGEX CAUSE-REGEX [ARM-AT-PHASE]: the fault armed
# before the stack is made, or once the job reaches ARM-AT-PHASE.
fault_case() {
    local name=$1 phase=$2 cause=$3
    want "$name" || return 0
    run_case "fault $name"
    make_job "$J"
    if [ -n "${4:-}" ]; then
        ARM_AT="$4 $name"
    else
        twin fault "$TW" "$name" >/dev/null || ns_fail "cannot arm $name"
    fi
    create_stack && wait_result "$J"
    [ -z "${ARM_AT:-}" ] || ns_fail "$J: never saw phase ${ARM_AT%% *} to arm $name"
    failed_with "$phase" "$cause"
    finish
    twin fault "$TW" clear >/dev/null || ns_fail "cannot clear the faults"
}
fault_case bootstrap-hash '^boot$' "in/bootstrap.sh: SHA-256 [0-9a-f]{64} is not the stack's BootstrapSha256"
fault_case allocator-fail '^boot$' "nitro-enclaves-allocator.service failed to start"
fault_case host-fail '.' "circuit"
fault_case enclave-dies '^(enclave|ceremony)$' "enclave"
# (armed once the ceremony runs, so the loss's window covers the uploads
# that follow even where the twin counts it from the arming)
fault_case upload-network-loss '^upload$' "upload" ceremony

if want throttle; then
    run_case "throttle: PutObject answers SlowDown twice, the CLI retries"
    make_job "$J"
    twin fault "$TW" throttle PutObject 2 >/dev/null || ns_fail "cannot arm throttle"
    create_stack && wait_result "$J"
    done_ok
    # the user data writes status.json once before it fetches in/bootstrap.sh:
    # two answers SlowDown, the CLI's third attempt stores it
    n=$(node -e 'const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
                 let n = 0;
                 for (const l of lines) {
                   const job = "/" + process.argv[2] + "/jobs/" + process.argv[3];
                   if (l.op === "GET " + job + "/in/bootstrap.sh") break;
                   if (l.op === "PUT " + job + "/out/status.json") n++;
                 }
                 console.log(n);' "$TW/calls.log" "$B" "$J")
    [ "$n" = 3 ] || ns_fail "$J: the first status.json took $n requests, not 3 (two throttled, one stored)"
    finish
fi

if want expire-credentials; then
    run_case "expire-credentials: the user's credentials expire mid-job; the instance goes on"
    make_job "$J" && create_stack
    sleep 2
    twin fault "$TW" expire-credentials >/dev/null || ns_fail "cannot arm expire-credentials"
    rc=0
    awst s3 ls "s3://$B/jobs/$J/out/" >/dev/null 2>"$W/expired.err" || rc=$?
    [ "$rc" -ne 0 ] && grep -q "ExpiredToken" "$W/expired.err" || ns_fail "$J: expired credentials were not refused (rc $rc)"
    for _ in $(seq 1 300); do
        twin state "$TW" >"$W/state.json"
        node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
                 process.exit(s.live.some((r) => r.type === "instance") ? 1 : 0);' "$W/state.json" && break
        sleep 1
    done
    twin fault "$TW" renew-credentials >/dev/null || ns_fail "cannot renew the credentials"
    wait_result "$J" 30
    done_ok
    finish
fi

twin_down
trap - EXIT
ns_pass
