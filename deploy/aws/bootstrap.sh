#!/bin/bash
# nitrosetup bootstrap: the second stage on a job's EC2 instance (docs/aws-host.md).
#
#   bootstrap.sh s3://BUCKET/jobs/JOB JOBSHA256
#
# Started by the user data of deploy/aws/job.yaml, which has armed the kill
# switches, started the enclave allocator and put this file and job.json
# (checked against the stack's BootstrapSha256 and JobSha256) in one
# directory.  This script checks job.json against JOBSHA256 again, fetches
# the host tarball and the enclave image named in job.json and checks their
# SHA-256, unpacks the host into a fresh directory and runs
#
#   <dir>/host/run host --job job.json --eif enclave.eif --workdir <dir>/work
#
# The host program writes status.json, the bundle, MANIFEST.sha256 and
# DONE.json or FAILED.json itself, and leaves its result in
# <dir>/work/result.json.  When it ends without that file, this script
# aborts the job's open multipart uploads and writes out/FAILED.json.  It
# uploads the host program's output as out/host.log and, whatever happens,
# powers the instance off at the end (its shutdown behaviour is terminate).
#
# Runs on Amazon Linux 2023: bash, coreutils, python3 and the AWS CLI v2.
set -Eeuo pipefail
umask 022

PHASE=inputs
SEQ=1
LOG=/var/log/nitrosetup-boot.log
P=${1:-}
JOB=
W=
iid=$(cat /var/lib/cloud/data/instance-id 2>/dev/null || true)

jstr() { python3 -c 'import json,sys; sys.stdout.write(json.dumps(sys.argv[1]))' "$1"; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
put() { aws s3 cp - "$P/out/$1" --only-show-errors --content-type application/json; }

# status SEQ PHASE MESSAGE LAST_ERROR_JSON
status() {
    local inst=null
    [ -z "$iid" ] || inst=$(jstr "$iid")
    printf '{"format": "nitrosetup-status-1", "job": "%s", "instance": %s, "seq": %s, "time": "%s", "phase": "%s", "progress": null, "eta_s": null, "message": %s, "last_error": %s}\n' \
        "$JOB" "$inst" "$1" "$(now)" "$2" "$(jstr "$3")" "$4" | put status.json
}

# The host program keeps its last status in <workdir>/status.json: take its
# phase and continue its seq, so a reader sees seq grow.
host_status() {
    local f=$W/work/status.json
    [ -n "$W" ] && [ -f "$f" ] || return 0
    local got
    got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(int(d["seq"]), d["phase"])' "$f" 2>/dev/null) || return 0
    SEQ=$((${got%% *} + 1))
    PHASE=${got#* }
    case $PHASE in boot | inputs | ptau | zkey-new | enclave | ceremony | upload) ;; *) PHASE=inputs ;; esac
}

# Aborts every open multipart upload under out/ (the instance may list them
# and abort them, nothing else).
abort_uploads() {
    local b=${P#s3://}
    b=${b%%/*}
    aws s3api list-multipart-uploads --bucket "$b" --prefix "jobs/$JOB/out/" --output json |
        python3 -c 'import json,sys
t=sys.stdin.read().strip()
for u in (json.loads(t) if t else {}).get("Uploads") or []: print(u["UploadId"], u["Key"])' |
        while read -r id key; do
            echo "nitrosetup: aborting the open upload of $key"
            aws s3api abort-multipart-upload --bucket "$b" --key "$key" --upload-id "$id" || true
        done
}

poweroff_now() {
    sync || true
    systemctl poweroff || systemctl poweroff --force || poweroff -f
}

# fail CAUSE: report the job as failed (unless the host program did) and power off.
fail() {
    trap - ERR EXIT TERM INT
    set +e
    local cause=$1
    echo "nitrosetup: FAILED: $cause"
    if [ -n "$W" ] && [ -f "$W/work/result.json" ]; then
        # the host program reported the job itself: keep its result
        [ ! -f "$W/host.log" ] || aws s3 cp "$W/host.log" "$P/out/host.log" --only-show-errors
    elif [ -n "$JOB" ] && [ -n "$P" ]; then
        host_status
        abort_uploads
        if [ -n "$W" ] && [ -f "$W/host.log" ]; then
            aws s3 cp "$W/host.log" "$P/out/host.log" --only-show-errors
        else
            aws s3 cp "$LOG" "$P/out/boot.log" --only-show-errors
        fi
        status "$SEQ" failed "$cause" "$(jstr "$cause")"
        printf '{"format": "nitrosetup-result-1", "job": "%s", "ok": false, "time": "%s", "phase": "%s", "cause": %s}\n' \
            "$JOB" "$(now)" "$PHASE" "$(jstr "$cause")" | put FAILED.json
    fi
    poweroff_now
    exit 1
}
die() { fail "bootstrap: $1"; }
trap 'fail "bootstrap line $LINENO: $BASH_COMMAND (exit status $?)"' ERR
trap 'fail "bootstrap line $LINENO: ended early (exit status $?)"' EXIT
trap 'fail "bootstrap: interrupted by SIGTERM (the instance is shutting down: its maximum lifetime?)"' TERM
trap 'fail "bootstrap: interrupted by SIGINT"' INT

[ $# -eq 2 ] || die "usage: bootstrap.sh s3://BUCKET/jobs/JOB JOBSHA256"
[[ $P =~ ^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/jobs/([a-z0-9][a-z0-9-]{6,38}[a-z0-9])$ ]] ||
    die "$P: not s3://BUCKET/jobs/JOB"
JOB=${BASH_REMATCH[1]}
[[ $2 =~ ^[0-9a-f]{64}$ ]] || die "$2: not a SHA-256 in hex"
D=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
J=$D/job.json
[ -f "$J" ] || die "$J: missing (the user data fetches it)"
echo "$2  $J" | sha256sum -c --status - ||
    die "$J: SHA-256 $(sha256sum <"$J" | cut -c1-64) is not the pinned $2"

# The fields the bootstrap needs, each checked; the host program checks the
# whole file again.
fields=$(python3 - "$J" "$JOB" 2>&1 <<'EOF'
import json, re, sys
path, job = sys.argv[1], sys.argv[2]
def bad(msg):
    print("%s: %s" % (path, msg)); sys.exit(1)
try:
    with open(path) as f: d = json.load(f)
except Exception as e:
    bad("not JSON (%s)" % e)
if not isinstance(d, dict) or d.get("format") != "nitrosetup-job-1": bad("format is not nitrosetup-job-1")
if d.get("job") != job: bad("job %r is not the stack's %r" % (d.get("job"), job))
region = d.get("region")
if not isinstance(region, str) or not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-[0-9]", region): bad("region %r" % (region,))
out = [region]
for name in ("host", "eif"):
    i = (d.get("inputs") or {}).get(name)
    if not isinstance(i, dict): bad("inputs.%s missing" % name)
    k, h = i.get("key"), i.get("sha256")
    if not isinstance(k, str) or not re.fullmatch(r"in/[A-Za-z0-9._-]+", k) or ".." in k: bad("inputs.%s.key %r is not a file under in/" % (name, k))
    if not isinstance(h, str) or not re.fullmatch(r"[0-9a-f]{64}", h): bad("inputs.%s.sha256 is not 64 hex digits" % name)
    out += [k, h]
print(" ".join(out))
EOF
) || die "$fields"
read -r region host_key host_sha eif_key eif_sha <<<"$fields"
export AWS_DEFAULT_REGION=$region AWS_REGION=$region
[ -z "$iid" ] || export NITROSETUP_INSTANCE_ID=$iid

W=$(mktemp -d /var/lib/nitrosetup/run.XXXXXX 2>/dev/null || mktemp -d "$D/run.XXXXXX")
status 1 inputs "bootstrap: fetching the host program and the enclave image" null
SEQ=2

# fetch KEY SHA256 FILE
fetch() {
    aws s3 cp "$P/$1" "$2.part" --only-show-errors
    local got
    got=$(sha256sum <"$2.part" | cut -c1-64)
    [ "$got" = "$3" ] || die "$1: SHA-256 $got is not job.json's $3"
    mv "$2.part" "$2"
}
fetch "$host_key" "$W/host.tar.gz" "$host_sha"
fetch "$eif_key" "$W/enclave.eif" "$eif_sha"
mkdir "$W/host" "$W/work"
tar -xzf "$W/host.tar.gz" -C "$W/host" --no-same-owner --no-same-permissions ||
    die "$host_key: not a gzip tar"
if [ ! -x "$W/host/run" ] || [ ! -x "$W/host/bin/nitrosetup" ]; then die "$host_key: no run and bin/nitrosetup"; fi
rm -f "$W/host.tar.gz"

# The bundle's libcurl (Debian's) looks for the CA certificates where
# Debian keeps them; Amazon Linux keeps them in /etc/pki.
if [ ! -e /etc/ssl/certs/ca-certificates.crt ] && [ -f /etc/pki/tls/certs/ca-bundle.crt ]; then
    mkdir -p /etc/ssl/certs
    ln -s /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/certs/ca-certificates.crt
fi

echo "nitrosetup: starting the host program ($("$W/host/run" --version 2>&1 || true))"
rc=0
"$W/host/run" host --job "$J" --eif "$W/enclave.eif" --workdir "$W/work" 2>&1 | tee "$W/host.log" || rc=$?
echo "nitrosetup: the host program exited with status $rc"

if [ -f "$W/work/result.json" ]; then
    # The host program wrote DONE.json or FAILED.json itself; its output
    # follows (the one object written after the result).
    trap - ERR EXIT
    aws s3 cp "$W/host.log" "$P/out/host.log" --only-show-errors || true
    poweroff_now
    exit 0
fi
last=$(grep -v '^[[:space:]]*$' "$W/host.log" | tail -n 1 | cut -c1-300 || true)
fail "the host program exited with status $rc without a result${last:+: $last}"
