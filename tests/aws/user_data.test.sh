#!/bin/bash
# The instance's user data (deploy/aws/job.yaml) and bootstrap
# (deploy/aws/bootstrap.sh), run for real on this machine: in a private
# mount namespace whose /etc and /var are overlays (nothing of the machine
# changes), with stand-ins for what Amazon Linux and AWS provide (dnf,
# systemctl, shutdown, systemd-run, poweroff, and an `aws` whose S3 is a
# directory), and a stub host program in the tarball (the real one is
# aws.host_job's).  Each run asserts the calls made, in order, and the
# objects written under out/:
#   - a good job: the kill switches first, with the TTL; nitro-cli at the
#     pinned version; allocator.yaml from the parameters before the
#     allocator starts; status seq 0 (boot) and 1 (inputs); the host
#     program started with --job/--eif/--workdir (empty); its DONE.json
#     kept; host.log uploaded; powered off;
#   - failures, each ending with FAILED.json (format, phase, a cause naming
#     it), a failed status.json, and a power-off: a kill switch that cannot
#     be armed, dnf failing, the allocator failing, bootstrap.sh and
#     job.json whose hash is not the stack's, a host tarball and an EIF
#     whose hash is not job.json's, a job.json naming a key outside in/,
#     a host program that exits without a result (its open multipart
#     upload is aborted, its phase and seq continued, its last line the
#     cause), one that reports its own failure (kept as it is), and a
#     SIGTERM to the bootstrap (the instance shutting down) with and
#     without the host program's own result.
# Needs root (unshare -m, overlay mounts).
source "$NS_COMPAT/lib.sh"
[ "$(id -u)" -eq 0 ] || ns_fail "needs root (unshare -m, mount)"
ns_workdir
cd "$W" || ns_fail "cannot enter $W"
NM=$NS_COMPAT/node_modules
T=$NS_SOURCE/deploy/aws/job.yaml
BOOT=$NS_SOURCE/deploy/aws/bootstrap.sh
JOB=20261207-1830-a1b2c3
BUCKET=nitrosetup-jobs-000000000000-us-east-1

# ---- stand-ins (logging to $SB/calls.log) --------------------------------
mkdir -p "$W/bin"
cat >"$W/bin/aws" <<'EOF'
#!/bin/bash
# aws: S3 in $SB/s3/<bucket>/<key>; open multipart uploads in $SB/mpu/<bucket>/<id> (the key inside).
echo "aws $*" >>"$SB/calls.log"
path() { local u=${1#s3://}; echo "$SB/s3/${u%%/*}/${u#*/}"; }
opt() { local want=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; }
case "$1 $2" in
"s3 cp")
    src=$3 dst=$4
    case $dst in s3://*) out=$(path "$dst"); mkdir -p "$(dirname "$out")" ;; *) out=$dst ;; esac
    case $src in
    -) cat >"$out.tmp" && mv "$out.tmp" "$out" ;;
    s3://*)
        in=$(path "$src")
        [ -f "$in" ] || { echo "fatal error: An error occurred (403) when calling the HeadObject operation: Forbidden" >&2; exit 1; }
        cp "$in" "$out" ;;
    *) cp "$src" "$out" ;;
    esac
    case $dst in */out/status.json) { tr -d '\n' <"$out"; echo; } >>"$SB/status.history" ;; esac
    ;;
"s3api list-multipart-uploads")
    b=$(opt --bucket "$@") p=$(opt --prefix "$@")
    first=1
    printf '{"Uploads": ['
    for f in "$SB/mpu/$b"/*; do
        [ -f "$f" ] || continue
        k=$(cat "$f")
        case $k in "$p"*) ;; *) continue ;; esac
        [ $first = 1 ] || printf ', '
        first=0
        printf '{"Key": "%s", "UploadId": "%s"}' "$k" "$(basename "$f")"
    done
    printf ']}\n'
    ;;
"s3api abort-multipart-upload")
    b=$(opt --bucket "$@") id=$(opt --upload-id "$@")
    [ -f "$SB/mpu/$b/$id" ] || { echo "An error occurred (NoSuchUpload)" >&2; exit 254; }
    rm "$SB/mpu/$b/$id" ;;
"s3api create-multipart-upload")
    b=$(opt --bucket "$@") k=$(opt --key "$@")
    mkdir -p "$SB/mpu/$b"
    id=u$RANDOM$RANDOM
    echo "$k" >"$SB/mpu/$b/$id"
    echo "{\"UploadId\": \"$id\"}" ;;
*) echo "aws: unknown command: $*" >&2; exit 252 ;;
esac
EOF
cat >"$W/bin/dnf" <<'EOF'
#!/bin/bash
echo "dnf $*" >>"$SB/calls.log"
[ "$1 $2" = "install -y" ] || exit 1
[ -z "${FAIL_DNF:-}" ] || { echo "Error: Unable to find a match: $3" >&2; exit 1; }
case $3 in
aws-nitro-enclaves-cli-[0-9]*)
    mkdir -p /etc/nitro_enclaves
    printf -- '---\nmemory_mib: 512\ncpu_count: 2\n' >/etc/nitro_enclaves/allocator.yaml ;;
*) echo "Error: Unable to find a match: $3" >&2; exit 1 ;;
esac
EOF
cat >"$W/bin/systemctl" <<'EOF'
#!/bin/bash
echo "systemctl $*" >>"$SB/calls.log"
case "$*" in
"enable --now nitro-enclaves-allocator.service")
    cp /etc/nitro_enclaves/allocator.yaml "$SB/allocator.seen" 2>/dev/null || exit 1
    [ -z "${FAIL_ALLOCATOR:-}" ] || { echo "Job for nitro-enclaves-allocator.service failed." >&2; exit 1; } ;;
poweroff*) echo "POWEROFF systemctl $*" >>"$SB/calls.log" ;;
*) exit 1 ;;
esac
EOF
cat >"$W/bin/shutdown" <<'EOF'
#!/bin/bash
echo "shutdown $*" >>"$SB/calls.log"
[ -z "${FAIL_SHUTDOWN:-}" ] || exit 1
EOF
cat >"$W/bin/systemd-run" <<'EOF'
#!/bin/bash
echo "systemd-run $*" >>"$SB/calls.log"
EOF
cat >"$W/bin/poweroff" <<'EOF'
#!/bin/bash
echo "POWEROFF poweroff $*" >>"$SB/calls.log"
EOF
chmod +x "$W/bin"/*

# ---- the stub host program (tarball) -------------------------------------
mkdir -p "$W/hoststub/bin"
cp "$NS_BIN" "$W/hoststub/bin/nitrosetup"
cat >"$W/hoststub/run" <<'EOF'
#!/bin/bash
# The host program's stand-in: HOST_MODE done | crash | refuse | selffail.
[ "$1" = --version ] && { echo "nitrosetup stub"; exit 0; }
echo "$*" >"$SB/host.args"
[ "$1 $2 $4 $6" = "host --job --eif --workdir" ] || { echo "stub: bad arguments: $*" >&2; exit 9; }
job=$3 eif=$5 wd=$7
[ -f "$job" ] && [ -f "$eif" ] && [ -d "$wd" ] || { echo "stub: missing inputs" >&2; exit 9; }
[ -z "$(ls -A "$wd")" ] || { echo "stub: workdir not empty" >&2; exit 9; }
echo "$AWS_REGION ${NITROSETUP_INSTANCE_ID:-}" >"$SB/host.region"
P=s3://BUCKET/jobs/JOB
st() { echo "{\"format\": \"nitrosetup-status-1\", \"job\": \"JOB\", \"instance\": null, \"seq\": $1, \"time\": \"2026-12-07T18:40:00Z\", \"phase\": \"$2\", \"progress\": null, \"eta_s\": null, \"message\": \"stub\", \"last_error\": null}" >"$wd/status.json"; aws s3 cp "$wd/status.json" "$P/out/status.json"; }
case $HOST_MODE in
done)
    st 2 ptau; st 3 upload
    echo '{"format": "nitrosetup-result-1", "job": "JOB", "ok": true, "time": "2026-12-07T18:41:00Z", "files": []}' >"$wd/result.json"
    aws s3 cp "$wd/result.json" "$P/out/DONE.json"
    echo "stub: done"; exit 0 ;;
crash)
    st 2 ptau; st 7 ceremony
    aws s3api create-multipart-upload --bucket BUCKET --key jobs/JOB/out/bundle/circuit_final.zkey >/dev/null
    echo "nitrosetup: enclave: the enclave stopped (nitro-cli describe-enclaves: no enclave)" >&2
    exit 3 ;;
refuse)
    echo 'nitrosetup: host: job.json: unknown format "nitrosetup-job-0"' >&2
    exit 2 ;;
term)
    st 2 ptau
    echo "nitrosetup: interrupted" >&2
    kill -TERM "$PPID"
    exit 143 ;;
selfterm)
    st 2 ptau
    echo '{"format": "nitrosetup-result-1", "job": "JOB", "ok": false, "time": "2026-12-07T18:41:00Z", "phase": "ptau", "cause": "interrupted"}' >"$wd/result.json"
    aws s3 cp "$wd/result.json" "$P/out/FAILED.json"
    kill -TERM "$PPID"
    exit 143 ;;
selffail)
    st 2 ptau
    echo '{"format": "nitrosetup-result-1", "job": "JOB", "ok": false, "time": "2026-12-07T18:41:00Z", "phase": "ptau", "cause": "ptau: stub cause"}' >"$wd/result.json"
    aws s3 cp "$wd/result.json" "$P/out/FAILED.json"
    echo "nitrosetup: ptau: stub cause" >&2; exit 1 ;;
esac
exit 9
EOF
sed -i "s/BUCKET/$BUCKET/g; s/JOB/$JOB/g" "$W/hoststub/run"
chmod +x "$W/hoststub/run"
(cd "$W/hoststub" && tar -czf "$W/host.tar.gz" bin run)
head -c 4096 /dev/urandom >"$W/enclave.eif"
sha() { sha256sum "$1" | cut -c1-64; }

# job_json [KEYHOST]: a job.json for the stub inputs.
job_json() {
    cat <<EOF
{"format": "nitrosetup-job-1", "job": "$JOB", "region": "eu-west-3", "bucket": "$BUCKET",
 "created": "2026-12-07T18:30:00Z", "deadline": "2026-12-07T22:30:00Z",
 "inputs": {"host": {"key": "${1:-in/nitrosetup-host-x86_64.tar.gz}", "sha256": "$(sha "$W/host.tar.gz")", "bytes": 1},
            "eif": {"key": "in/enclave.eif", "sha256": "$(sha "$W/enclave.eif")", "bytes": 1},
            "circuit": {"key": "in/circuit.tar", "sha256": "$(printf '%064d' 0)", "bytes": 1},
            "r1cs": {"key": "in/circuit.r1cs", "sha256": "$(printf '%064d' 0)", "bytes": 1}},
 "ptau": null, "trust_ptau": [], "drand": "sim",
 "enclave": {"memory_mib": 4096, "cpu_count": 2, "debug_mode": false, "port": 5005}}
EOF
}

# run_job NAME [VAR=VALUE...]: a fresh sandbox $SB with the inputs in S3,
# the user data substituted and run in the namespace.  Variables:
# HOST_MODE, FAIL_*, BAD_BOOT=1 (in/bootstrap.sh changed after pinning),
# BAD_JOB=1, BAD_HOST=1, BAD_EIF=1, HOST_KEY=...
run_job() {
    local name=$1
    shift
    SB=$W/$name
    mkdir -p "$SB"/{s3,etc.up,etc.wk,var.up,var.wk}
    local in=$SB/s3/$BUCKET/jobs/$JOB/in
    mkdir -p "$in"
    local HOST_MODE="done" BAD_BOOT="" BAD_JOB="" BAD_HOST="" BAD_EIF="" HOST_KEY="" FAIL_DNF="" FAIL_ALLOCATOR="" FAIL_SHUTDOWN=""
    local a
    for a in "$@"; do local "${a%%=*}=${a#*=}"; done
    cp "$BOOT" "$in/bootstrap.sh"
    cp "$W/host.tar.gz" "$in/nitrosetup-host-x86_64.tar.gz"
    cp "$W/enclave.eif" "$in/enclave.eif"
    job_json "$HOST_KEY" >"$in/job.json"
    local bsha jsha
    bsha=$(sha "$in/bootstrap.sh")
    jsha=$(sha "$in/job.json")
    [ -z "$BAD_BOOT" ] || printf '\n# changed\n' >>"$in/bootstrap.sh"
    [ -z "$BAD_JOB" ] || sed -i 's/"drand": "sim"/"drand": "quicknet"/' "$in/job.json"
    [ -z "$BAD_HOST" ] || printf 'x' >>"$in/nitrosetup-host-x86_64.tar.gz"
    [ -z "$BAD_EIF" ] || printf 'x' >>"$in/enclave.eif"
    NODE_PATH=$NM node "$NS_SOURCE/tests/aws/cfn_yaml.js" userdata "$T" JobId=$JOB JobBucket=$BUCKET \
        EnclaveMemoryMiB=4096 EnclaveCpuCount=2 MaxLifetimeMinutes=90 BootstrapSha256="$bsha" JobSha256="$jsha" \
        AWS::Region=eu-west-3 >"$SB/userdata.sh" || ns_fail "$name: cannot substitute the user data"
    sed "s/@BUCKET@/$BUCKET/" "$W/hoststub/run" >/dev/null
    : >"$SB/calls.log"
    local rc=0
    env -i PATH="$W/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME=/root LANG=C SB="$SB" HOST_MODE="$HOST_MODE" \
        FAIL_DNF="$FAIL_DNF" FAIL_ALLOCATOR="$FAIL_ALLOCATOR" FAIL_SHUTDOWN="$FAIL_SHUTDOWN" \
        unshare -m --propagation private /bin/bash -c '
            SB=$1
            mount -t overlay overlay -o "lowerdir=/etc,upperdir=$SB/etc.up,workdir=$SB/etc.wk" /etc &&
            mount -t overlay overlay -o "lowerdir=/var,upperdir=$SB/var.up,workdir=$SB/var.wk" /var || exit 99
            mkdir -p /var/lib/cloud/data && echo i-0123456789abcdef0 >/var/lib/cloud/data/instance-id
            cd / && exec /bin/bash "$SB/userdata.sh"' sh "$SB" >"$SB/console.log" 2>&1 || rc=$?
    [ "$rc" -ne 99 ] || ns_fail "$name: the overlay mounts failed"
    sleep 0.2 # the tee of the user data's output
    OUT=$SB/s3/$BUCKET/jobs/$JOB/out
}

calls() { cat "$SB/calls.log"; }
# has_call REGEX: a call matching REGEX was made.
has_call() { grep -Eq "$1" "$SB/calls.log" || { cat "$SB/calls.log" >&2; ns_fail "$SB: no call matching $1"; }; }
# before A B: the first call matching A comes before the first matching B.
before() {
    local a b
    a=$(grep -En "$1" "$SB/calls.log" | head -1 | cut -d: -f1)
    b=$(grep -En "$2" "$SB/calls.log" | head -1 | cut -d: -f1)
    [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || { cat "$SB/calls.log" >&2; ns_fail "$SB: '$1' does not come before '$2'"; }
}
# json_check FILE NODE-EXPR: NODE-EXPR (on d, the parsed file) must be true.
json_check() {
    [ -f "$1" ] || { cat "$SB/console.log" >&2; ns_fail "missing $1"; }
    node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             if (!(eval(process.argv[2]))) { console.error(JSON.stringify(d)); process.exit(1); }' "$1" "$2" ||
        ns_fail "$1: not $2"
}
# failed_with PHASE CAUSE-REGEX: FAILED.json, a failed status, a power-off, no DONE.json.
failed_with() {
    json_check "$OUT/FAILED.json" "d.format === 'nitrosetup-result-1' && d.job === '$JOB' && d.ok === false && d.phase === '$1' && /^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\$/.test(d.time)"
    node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             if (!new RegExp(process.argv[2]).test(d.cause)) { console.error("cause: " + d.cause); process.exit(1); }' \
        "$OUT/FAILED.json" "$2" || ns_fail "$SB: the cause does not match /$2/"
    json_check "$OUT/status.json" "d.phase === 'failed' && d.last_error === JSON.parse(require('fs').readFileSync('$OUT/FAILED.json')).cause"
    [ ! -e "$OUT/DONE.json" ] || ns_fail "$SB: DONE.json next to FAILED.json"
    has_call '^POWEROFF'
    ns_log "  cause: $(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).cause)' "$OUT/FAILED.json")"
}
seqs() { node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")) { const d = JSON.parse(l); process.stdout.write(d.seq + ":" + d.phase + " "); }' "$SB/status.history"; }

# ---- a good job ------------------------------------------------------------
ns_log "a good job: kill switches, nitro-cli, allocator, checked inputs, the host program, power-off"
run_job good
[ -f "$OUT/DONE.json" ] || { cat "$SB/console.log" "$SB/calls.log" >&2; ns_fail "good: no DONE.json"; }
[ ! -e "$OUT/FAILED.json" ] || ns_fail "good: FAILED.json written"
head -2 "$SB/calls.log" >"$SB/first2"
grep -Eq '^shutdown -h \+90 ' <(sed -n 1p "$SB/first2") || { calls >&2; ns_fail "good: the first call is not shutdown -h +90"; }
grep -Eq '^systemd-run .*--on-active=90m .*poweroff' <(sed -n 2p "$SB/first2") || { calls >&2; ns_fail "good: the second call is not the systemd-run timer"; }
has_call '^dnf install -y aws-nitro-enclaves-cli-[0-9]+\.[0-9]+\.[0-9]+$'
printf -- '---\nmemory_mib: 4096\ncpu_count: 2\n' >"$SB/allocator.want"
ns_same "$SB/allocator.seen" "$SB/allocator.want" "allocator.yaml when the allocator started"
before '^dnf install' '^systemctl enable --now nitro-enclaves-allocator.service'
before '^systemctl enable --now nitro-enclaves-allocator' "^aws s3 cp s3://$BUCKET/jobs/$JOB/in/bootstrap.sh"
before "in/job.json" "in/nitrosetup-host-x86_64.tar.gz"
[ "$(seqs)" = "0:boot 1:inputs 2:ptau 3:upload " ] || ns_fail "good: status writes $(seqs), not 0:boot 1:inputs 2:ptau 3:upload"
json_check "$OUT/status.json" "d.format === 'nitrosetup-status-1' && d.job === '$JOB' && d.seq === 3"
head -1 "$SB/status.history" >"$SB/boot.json"
json_check "$SB/boot.json" "d.instance === 'i-0123456789abcdef0' && d.progress === null && d.eta_s === null && d.last_error === null && /nitro-cli/.test(d.message)"
grep -Eq "^host --job /var/lib/nitrosetup/job.json --eif /var/lib/nitrosetup/run\.[^/]+/enclave.eif --workdir /var/lib/nitrosetup/run\.[^/]+/work$" "$SB/host.args" ||
    ns_fail "good: the host program's arguments: $(cat "$SB/host.args")"
[ "$(cat "$SB/host.region")" = "eu-west-3 i-0123456789abcdef0" ] ||
    ns_fail "good: the host program's AWS_REGION and NITROSETUP_INSTANCE_ID: $(cat "$SB/host.region")"
grep -q "stub: done" "$OUT/host.log" || ns_fail "good: out/host.log is not the host program's output"
before "out/DONE.json" "out/host.log"
[ ! -e "$OUT/boot.log" ] || ns_fail "good: boot.log uploaded"
has_call '^POWEROFF systemctl poweroff$'
[ "$(grep -c '^POWEROFF' "$SB/calls.log")" = 1 ] || ns_fail "good: more than one power-off"
grep -q "nitrosetup stub" "$SB/console.log" || ns_fail "good: the console does not show the host program's version"
[ -f "$SB/var.up/log/nitrosetup-boot.log" ] || ns_fail "good: no /var/log/nitrosetup-boot.log"

# ---- failures in the user data -----------------------------------------------
ns_log "a kill switch that cannot be armed"
run_job noshutdown FAIL_SHUTDOWN=1
failed_with boot 'kill switch not armed: *shutdown'
[ -f "$OUT/boot.log" ] || ns_fail "noshutdown: no boot.log"
ns_log "dnf failing"
run_job nodnf FAIL_DNF=1
failed_with boot '^user data line [0-9]+: dnf install -y aws-nitro-enclaves-cli-[0-9.]+ \(exit status 1\)$'
grep -q "Unable to find a match" "$OUT/boot.log" || ns_fail "nodnf: boot.log lacks dnf's message"
ns_log "the allocator failing"
run_job noalloc FAIL_ALLOCATOR=1
failed_with boot 'nitro-enclaves-allocator.service failed to start \(memory_mib 4096, cpu_count 2\)'
if grep -q "in/bootstrap.sh" "$SB/calls.log"; then ns_fail "noalloc: went on to fetch the bootstrap"; fi
ns_log "in/bootstrap.sh is not what the stack pinned"
run_job badboot BAD_BOOT=1
failed_with boot "^user data line [0-9]+: in/bootstrap.sh: SHA-256 [0-9a-f]{64} is not the stack's BootstrapSha256 [0-9a-f]{64}$"
[ ! -e "$SB/host.args" ] || ns_fail "badboot: the host program ran"
ns_log "in/job.json is not what the stack pinned"
run_job badjob BAD_JOB=1
failed_with boot "in/job.json: SHA-256 [0-9a-f]{64} is not the stack's JobSha256"

# ---- failures in the bootstrap -------------------------------------------
ns_log "the host tarball and the EIF are not what job.json pins"
run_job badhost BAD_HOST=1
failed_with inputs "^bootstrap: in/nitrosetup-host-x86_64.tar.gz: SHA-256 [0-9a-f]{64} is not job.json's [0-9a-f]{64}$"
[ -f "$OUT/boot.log" ] || ns_fail "badhost: no boot.log"
[ ! -e "$SB/host.args" ] || ns_fail "badhost: the host program ran"
[ "$(seqs)" = "0:boot 1:inputs 2:failed " ] || ns_fail "badhost: status writes $(seqs)"
run_job badeif BAD_EIF=1
failed_with inputs "^bootstrap: in/enclave.eif: SHA-256 [0-9a-f]{64} is not job.json's"
ns_log "a job.json naming a key outside in/"
run_job badkey HOST_KEY=../../other/host.tar.gz
failed_with inputs "job.json: inputs.host.key '../../other/host.tar.gz' is not a file under in/"

# ---- the host program's end ---------------------------------------------------
ns_log "the host program exits without a result, an upload open"
run_job crash HOST_MODE=crash
failed_with ceremony "^the host program exited with status 3 without a result: nitrosetup: enclave: the enclave stopped"
[ "$(seqs)" = "0:boot 1:inputs 2:ptau 7:ceremony 8:failed " ] || ns_fail "crash: status writes $(seqs)"
has_call "^aws s3api abort-multipart-upload --bucket $BUCKET --key jobs/$JOB/out/bundle/circuit_final.zkey --upload-id "
[ -z "$(ls -A "$SB/mpu/$BUCKET")" ] || ns_fail "crash: a multipart upload is still open"
grep -q "the enclave stopped" "$OUT/host.log" || ns_fail "crash: host.log lacks the host program's output"
before "out/host.log" "out/FAILED.json"
ns_log "the host program refuses the job"
run_job refuse HOST_MODE=refuse
failed_with inputs 'the host program exited with status 2 without a result: nitrosetup: host: job.json: unknown format'
ns_log "the host program reports its own failure: kept as it is"
run_job selffail HOST_MODE=selffail
json_check "$OUT/FAILED.json" "d.cause === 'ptau: stub cause' && d.phase === 'ptau'"
[ "$(grep -c 'out/FAILED.json' "$SB/calls.log")" = 1 ] || ns_fail "selffail: FAILED.json written twice"
has_call '^POWEROFF systemctl poweroff$'
before "out/FAILED.json" "out/host.log"

ns_log "the instance shuts down (SIGTERM) while the host program runs"
run_job term HOST_MODE=term
failed_with ptau "^bootstrap: interrupted by SIGTERM"
run_job selfterm HOST_MODE=selfterm
json_check "$OUT/FAILED.json" "d.cause === 'interrupted'"
[ "$(grep -c 'out/FAILED.json' "$SB/calls.log")" = 1 ] || ns_fail "selfterm: FAILED.json written twice"
has_call '^POWEROFF systemctl poweroff$'

ns_pass
