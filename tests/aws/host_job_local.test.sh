#!/usr/bin/env bash
# `nitrosetup host --job` run directly on this machine (no stack, no
# instance) against the AWS twin's S3 through the real AWS CLI v2, with a
# local nitro-cli stand-in (tests/aws/data/nitro-cli-local: `nitrosetup
# enclave --local` behind the vsock shim).  Jobs made by `nitrosetup aws pack`.
#   good      the mirror answers 403 (fault ptau-mirror-403): the ptau comes
#             from the URL; status heartbeats (seq from 2, the instance id,
#             phase done), out/bundle/*, MANIFEST.sha256 (sha256sum -c),
#             host.log, DONE.json, result.json; the bundle verifies
#   wrong     the mirror and the URL serve other bytes than job.json's hash:
#             FAILED.json names the ptau phase and both sources, no enclave
#   untrusted job.json without its trust_ptau pin: FAILED before any download
#   dies      the enclave is killed after 2 s: FAILED.json "enclave: the
#             enclave exited (state absent) ...", the enclave terminated
#   upload    uploads under out/bundle/ lose their connection (fault
#             upload-network-loss) and a multipart upload was left open under
#             out/: FAILED.json "upload: bundle/...", no open upload left
#             (list-multipart-uploads and the twin's live list); the ptau came
#             from the mirror (requester pays) here
#   term      SIGTERM during the ceremony: FAILED.json "interrupted"
#   bad job   a malformed job.json: exit 2, the field named, no result.json
source "$NS_COMPAT/lib.sh"
ns_workdir
cd "$W"
[ -n "${NS_VSOCK_SHIM:-}" ] && [ -f "$NS_VSOCK_SHIM" ] || ns_fail "NS_VSOCK_SHIM (the vsock shim) is not built"
TW=$W/twin
"$NS_TWIN" up "$TW" > twin-up.log 2>&1 || { cat twin-up.log; ns_fail "twin up"; }
trap '"$NS_TWIN" down "$TW" > /dev/null 2>&1 || true' EXIT # (ns_pass removes $W: down first)
# shellcheck disable=SC1091
. "$TW/env"
A=$NITROSETUP_AWS
P8=$(ns_ptau 8)
P10=$(ns_ptau 10)
PIN=$(ns_pin "$P8")
cp "$P8" pot08-test.ptau
# a bad copy under the name of another job's ptau (hash of P10, bytes of P8)
cp "$P8" pot10-bad.ptau

# The mirror belongs to another account (profile ptau-owner), requester pays.
M=twin-ptau-mirror
mir() { "$A" --profile ptau-owner "$@"; }
mir s3api head-bucket --bucket $M > /dev/null 2>&1 || mir s3api create-bucket --bucket $M > /dev/null
mir s3api put-bucket-request-payment --bucket $M --request-payment-configuration Payer=Requester
mir s3api put-bucket-policy --bucket $M --policy \
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::twin-ptau-mirror/ptau/*"}]}'
mir s3 cp pot08-test.ptau s3://$M/ptau/pot08-test.ptau --only-show-errors
mir s3 cp pot10-bad.ptau s3://$M/ptau/pot10-bad.ptau --only-show-errors
B=nitrosetup-jobs-111122223333-us-east-1
"$A" s3api create-bucket --bucket $B > /dev/null

head -c 65536 /dev/urandom > fake.eif # the stand-in does not run it
echo "host tarball" > fake-host.tgz
export NS_NITRO_CLI=$NS_SOURCE/tests/aws/data/nitro-cli-local NITRO_LOCAL_DIR=$W/nitro
export NITRO_LOCAL_CIRCOM="node $NS_CIRCOM2_CLI" NITRO_LOCAL_ENCLAVE_ARGS="--drand-sim --trust-ptau $PIN"
export NITROSETUP_HEARTBEAT_S=1 NITROSETUP_INSTANCE_ID=i-0123456789abcdef0

# pack JOB [pack options]: the job's inputs into JOB/ and s3://B/jobs/JOB/in/
pack() {
    local job=$1
    shift
    ns_check "aws pack $job" "$NS_BIN" aws pack "$NS_SOURCE/examples/multiplier.circom" --circom "node $NS_CIRCOM2_CLI" \
        -o "$job" --job "$job" --region us-east-1 --bucket $B --eif fake.eif --host-bundle fake-host.tgz \
        --drand-sim "$@"
    "$A" s3 cp "$job/" "s3://$B/jobs/$job/in/" --recursive --only-show-errors
}
# host JOB: runs host --job; its exit code in $RC, its output in JOB.out
host() {
    local job=$1
    rm -rf "$job.work"
    mkdir "$job.work"
    RC=0
    LD_PRELOAD=$NS_VSOCK_SHIM "$NS_BIN" host --job "$job/job.json" --eif "$job/enclave.eif" --workdir "$job.work" \
        --watch-interval 1 > "$job.out" 2>&1 || RC=$?
}
get() { "$A" s3 cp "s3://$B/jobs/$1/out/$2" - 2> /dev/null; }
has() { "$A" s3api head-object --bucket $B --key "jobs/$1/out/$2" > /dev/null 2>&1; }
json() { node -e 'const o=JSON.parse(require("fs").readFileSync(0,"utf8"));const v=process.argv[1].split(".").reduce((a,k)=>a==null?a:a[k],o);console.log(typeof v==="object"?JSON.stringify(v):v)' "$1"; }
failed_cause() {
    has "$1" FAILED.json || { cat "$1.out"; ns_fail "$1: no FAILED.json"; }
    has "$1" DONE.json && ns_fail "$1: DONE.json next to FAILED.json"
    get "$1" FAILED.json | json cause
}
no_open_uploads() {
    local n
    n=$("$A" s3api list-multipart-uploads --bucket $B --prefix "jobs/$1/out/" --query 'length(Uploads || `[]`)' --output text)
    [ "$n" = 0 ] || ns_fail "$1: $n open multipart upload(s) under out/"
    "$NS_TWIN" state "$TW" | json live | grep -q multipart && ns_fail "$1: the twin lists an open multipart upload"
    return 0
}
EXPECTED="Groth16Verifier.sol SIMULATED-nsm-root.der attestation-1.cose attestation-2.cose circuit.r1cs circuit.tar drand.json final.zkey manifest.json verification_key.json verifier.runtime.bin"

# --- good: mirror 403, the URL fallback, the whole job ---
"$NS_TWIN" fault "$TW" ptau-mirror-403
pack job-good-0001 --ptau pot08-test.ptau --trust-ptau "$PIN"
host job-good-0001
[ $RC = 0 ] || { cat job-good-0001.out; ns_fail "good job: host --job exited $RC"; }
grep -q "mirror s3://$M/ptau/pot08-test.ptau failed: .*403" job-good-0001.out ||
    { cat job-good-0001.out; ns_fail "the mirror's 403 is not logged"; }
get job-good-0001 DONE.json > done.json || ns_fail "no DONE.json"
[ "$(json ok < done.json)" = true ] || ns_fail "DONE.json is not ok"
has job-good-0001 FAILED.json && ns_fail "FAILED.json next to DONE.json"
mkdir dl
for f in $EXPECTED; do
    "$A" s3 cp "s3://$B/jobs/job-good-0001/out/bundle/$f" "dl/bundle/$f" --only-show-errors || ns_fail "out/bundle/$f missing"
done
get job-good-0001 MANIFEST.sha256 > dl/MANIFEST.sha256
[ "$(wc -l < dl/MANIFEST.sha256)" = 11 ] || ns_fail "MANIFEST.sha256 has $(wc -l < dl/MANIFEST.sha256) lines, not 11"
(cd dl && sha256sum --quiet -c MANIFEST.sha256) || ns_fail "MANIFEST.sha256 does not match the uploaded bundle"
[ "$(json files < done.json | node -e 'console.log(JSON.parse(require("fs").readFileSync(0)).length)')" = 11 ] ||
    ns_fail "DONE.json does not list 11 files"
grep -q "$(sha256sum dl/bundle/final.zkey | cut -c1-64)" done.json || ns_fail "DONE.json lacks final.zkey's SHA-256"
get job-good-0001 status.json > status.json
[ "$(json phase < status.json)" = done ] || ns_fail "the last status is not done: $(cat status.json)"
[ "$(json instance < status.json)" = i-0123456789abcdef0 ] || ns_fail "status.json lacks the instance id"
[ "$(json job < status.json)" = job-good-0001 ] || ns_fail "status.json names another job"
seq=$(json seq < status.json)
# boot inputs ptau zkey-new enclave ceremony upload done from 2, plus beats
[ "$seq" -ge 10 ] || ns_fail "status.json seq $seq: fewer writes than phases"
cmp -s status.json job-good-0001.work/status.json || ns_fail "the workdir's status.json is not the last one"
cmp -s <(get job-good-0001 DONE.json) <(cat job-good-0001.work/result.json) || ns_fail "result.json is not DONE.json"
get job-good-0001 host.log | grep -q "phase: upload" || ns_fail "out/host.log lacks the log"
grep -q "run-enclave --eif-path job-good-0001/enclave.eif --cpu-count 2 --memory" "$W/nitro/calls.log" ||
    ns_fail "nitro-cli run-enclave not called with the job's CPUs"
grep -q -- "--debug-mode" "$W/nitro/calls.log" && ns_fail "--debug-mode without debug_mode"
grep -q "^terminated " "$W/nitro/calls.log" || ns_fail "the enclave was not terminated"
ns_check "the downloaded bundle verifies" "$NS_BIN" verify dl/bundle --ptau "$P8" --trust-ptau "$PIN" --allow-simulated
ns_log "good: DONE.json, 11 files, MANIFEST checked, seq $seq, the bundle verifies"

# --- wrong: neither source has the job's bytes (the mirror is still 403) ---
pack job-wrong-0001 --ptau "$P10" --trust-ptau "$(ns_pin "$P10")"
node -e 'const f=process.argv[1],o=JSON.parse(require("fs").readFileSync(f));o.ptau.name="pot10-bad.ptau";o.ptau.mirror.key="ptau/pot10-bad.ptau";o.ptau.urls=[o.ptau.urls[0].replace(/[^/]+$/,"pot10-bad.ptau")];require("fs").writeFileSync(f,JSON.stringify(o))' job-wrong-0001/job.json
"$NS_TWIN" fault "$TW" clear # the mirror answers: its bytes are wrong too
host job-wrong-0001
[ $RC = 1 ] || { cat job-wrong-0001.out; ns_fail "wrong ptau: exit $RC, not 1"; }
cause=$(failed_cause job-wrong-0001)
case $cause in
"ptau: mirror s3://$M/ptau/pot10-bad.ptau: BLAKE2b-512 "*"is not job.json's"*"; http://"*"/pot10-bad.ptau: BLAKE2b-512 "*) ;;
*) ns_fail "wrong ptau: cause '$cause'" ;;
esac
[ "$(get job-wrong-0001 FAILED.json | json phase)" = ptau ] || ns_fail "wrong ptau: FAILED.json phase"
[ "$(get job-wrong-0001 status.json | json phase)" = failed ] || ns_fail "wrong ptau: last status not failed"
get job-wrong-0001 status.json | json last_error | grep -q "^ptau: " || ns_fail "wrong ptau: no last_error"
[ "$(json ok < job-wrong-0001.work/result.json)" = false ] || ns_fail "wrong ptau: result.json"
[ "$(grep -c run-enclave "$W/nitro/calls.log")" = 1 ] || ns_fail "wrong ptau: an enclave was started"
[ -e job-wrong-0001.work/in/pot10-bad.ptau ] && ns_fail "wrong ptau: the bad file was kept"
ns_log "wrong ptau: $cause"

# --- untrusted: the job's hash is neither Hermez's nor pinned ---
pack job-untrusted-01 --ptau pot08-test.ptau --trust-ptau "$PIN"
node -e 'const f=process.argv[1],o=JSON.parse(require("fs").readFileSync(f));o.trust_ptau=[];require("fs").writeFileSync(f,JSON.stringify(o))' job-untrusted-01/job.json
host job-untrusted-01
[ $RC = 1 ] || ns_fail "untrusted ptau: exit $RC"
cause=$(failed_cause job-untrusted-01)
case $cause in "ptau: "*pot08-test.ptau*) ;; *) ns_fail "untrusted ptau: cause '$cause'" ;; esac
grep -q "from the mirror" job-untrusted-01.out && ns_fail "untrusted ptau: downloaded before the policy check"
ns_log "untrusted: $cause"

# --- dies: the enclave is killed 2 s after it starts ---
pack job-dies-0001 --ptau pot08-test.ptau --trust-ptau "$PIN"
NITRO_LOCAL_DIE_AFTER=2 host job-dies-0001
[ $RC = 1 ] || { cat job-dies-0001.out; ns_fail "enclave dies: exit $RC"; }
cause=$(failed_cause job-dies-0001)
case $cause in "enclave: the enclave exited (state absent) before the ceremony ended"*) ;;
*) cat job-dies-0001.out; ns_fail "enclave dies: cause '$cause'" ;; esac
[ "$(grep -c '^terminated ' "$W/nitro/calls.log")" -ge 2 ] || ns_fail "enclave dies: not terminated"
no_open_uploads job-dies-0001
ns_log "dies: $cause"

# --- term: SIGTERM while the enclave runs ---
pack job-term-0001 --ptau pot08-test.ptau --trust-ptau "$PIN"
rm -rf job-term-0001.work && mkdir job-term-0001.work
LD_PRELOAD=$NS_VSOCK_SHIM "$NS_BIN" host --job job-term-0001/job.json --eif job-term-0001/enclave.eif \
    --workdir job-term-0001.work > job-term-0001.out 2>&1 &
hp=$!
for _ in $(seq 1 600); do grep -q "phase: ceremony" job-term-0001.out && break; sleep 0.2; done
grep -q "phase: ceremony" job-term-0001.out || { kill $hp; ns_fail "term: the ceremony never started"; }
kill -TERM $hp
RC=0
wait $hp || RC=$?
[ $RC = 143 ] || { cat job-term-0001.out; ns_fail "term: exit $RC, not 143"; }
cause=$(failed_cause job-term-0001)
case $cause in "interrupted (Terminated) in phase ceremony") ;; *) ns_fail "term: cause '$cause'" ;; esac
[ "$(NITRO_LOCAL_DIR=$W/nitro "$NS_NITRO_CLI" describe-enclaves | grep -c EnclaveID)" = 0 ] ||
    ns_fail "term: an enclave still runs"
ns_log "term: $cause"

# --- upload: a multipart upload left open under out/, then the network goes ---
pack job-upload-001 --ptau pot08-test.ptau --trust-ptau "$PIN"
"$A" s3api create-multipart-upload --bucket $B --key jobs/job-upload-001/out/bundle/left-open > /dev/null
# The twin drops an unused upload-network-loss after 60 s: armed once the
# enclave's first attestation is in (the upload starts some 15 s later).
(
    for _ in $(seq 1 1500); do
        grep -q "attestation 1: received" job-upload-001.out 2> /dev/null && break
        sleep 0.2
    done
    "$NS_TWIN" fault "$TW" upload-network-loss 900
) &
armer=$!
host job-upload-001
wait $armer
[ $RC = 1 ] || { cat job-upload-001.out; ns_fail "upload: exit $RC"; }
cause=$(failed_cause job-upload-001)
case $cause in "upload: bundle/Groth16Verifier.sol: "*) ;; *) ns_fail "upload: cause '$cause'" ;; esac
grep -q "from the mirror s3://$M/ptau/pot08-test.ptau (requester pays)" job-upload-001.out || ns_fail "upload: no mirror"
grep -q "ptau: .*failed" job-upload-001.out && ns_fail "upload: the mirror failed"
grep -q "aborted 1 open multipart upload(s) under jobs/job-upload-001/out/" job-upload-001.out ||
    { cat job-upload-001.out; ns_fail "upload: the open multipart upload was not aborted"; }
no_open_uploads job-upload-001
has job-upload-001 MANIFEST.sha256 && ns_fail "upload: MANIFEST.sha256 after a failed upload"
ns_log "upload: $cause"

# --- bad job files ---
mkdir bad.work
sed 's/"in\/enclave.eif"/"out\/enclave.eif"/' job-good-0001/job.json > bad.json
ns_check_fails "a key outside in/" "$NS_BIN" host --job bad.json --eif fake.eif --workdir bad.work
grep -q "bad.json: inputs.eif.key: 'out/enclave.eif' is not a key under in/" "$W/last.log" ||
    { cat "$W/last.log"; ns_fail "bad job: the field is not named"; }
[ -e bad.work/result.json ] && ns_fail "bad job: result.json written (the bootstrap must report it)"
ns_check_fails "no --workdir" "$NS_BIN" host --job bad.json --eif fake.eif
"$NS_TWIN" down "$TW" > /dev/null 2>&1 || true
ns_pass
