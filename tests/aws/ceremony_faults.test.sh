#!/usr/bin/env bash
# `nitrosetup ceremony` on AWS against the twin's faults; each case asserts
# that the message names the cause, a non-zero exit, and nothing live in
# the twin afterwards (ns_ceremony_setup through ceremony_lib.sh):
#   - --detach, then the state file deleted: `aws jobs --json` still finds
#     the job by its stack and tag; `aws teardown JOB` works without the
#     state file, through a DELETE_FAILED on the instance (terminated
#     directly, then deleted again) and throttled DeleteStack calls;
#   - create-fail: the stack rolls back, the oldest failure is named;
#   - host-fail: the host reports FAILED, its cause is printed;
#   - heartbeat-loss: no status from the instance, the heartbeat is lost;
#   - expire-credentials while waiting: the run stops with the way out and
#     keeps the state; renew-credentials, then `aws resume JOB` finishes the
#     job (a verified bundle, everything torn down).
# Needs root (the twin's instance sandbox), /usr/bin/aws, node, python3.
source "$NS_SOURCE/tests/aws/ceremony_lib.sh"

# expect_fail NAME PATTERN: the last run exited non-zero, named the cause,
# proved the teardown and left nothing
expect_fail() {
    [ "$RC" != 0 ] || { cat "$W/$1.log" >&2; ns_fail "$1: exit 0"; }
    expect_in "$W/$1.log" "$2" "$1: the message names the cause"
    expect_in "$W/$1.log" "✓ instances terminated" "$1: the proof ran"
    if grep -q "✗" "$W/$1.log"; then cat "$W/$1.log" >&2; ns_fail "$1: a check of the proof failed"; fi
    check_clean "$1"
}

ns_log "--detach, the state file deleted, aws jobs, DELETE_FAILED and throttling in aws teardown"
start_bg "$W/detach.log" "${CER[@]}" -o "$W/b-detach" --detach
wait_exit
[ "$RC" = 0 ] || { cat "$W/detach.log" >&2; ns_fail "--detach: exit $RC"; }
J=$(tr -d '\n' <"$W/detach.log.out")
[ -n "$J" ] || ns_fail "--detach printed no job id"
expect_in "$W/detach.log" "aws resume $J" "--detach prints the resume command"
"$NS_BIN" aws status "$J" >"$W/status.out" 2>"$W/status.log" || { cat "$W/status.log" >&2; ns_fail "aws status failed"; }
expect_in "$W/status.out" "^$J: phase" "aws status prints the job's line"
rm -f "$XDG_STATE_HOME/nitrosetup/jobs/$J.json"
"$NS_BIN" aws jobs --json >"$W/jobs.json" 2>"$W/jobs.log" || { cat "$W/jobs.log" >&2; ns_fail "aws jobs failed"; }
node -e '
const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const e = a.find((x) => x.id === process.argv[2]);
if (!e || typeof e.state !== "string" || !/no local state/.test(e.state) || !e.stack) {
  console.error(JSON.stringify(a)); process.exit(1); }' "$W/jobs.json" "$J" ||
    ns_fail "aws jobs --json does not find $J by its stack and tag"
ns_log "ok: aws jobs --json finds the job without its state file"
"$NS_TWIN" fault "$TWD" delete-failed >/dev/null
"$NS_TWIN" fault "$TWD" throttle DeleteStack 6 >/dev/null
"$NS_BIN" aws teardown "$J" >"$W/td.out" 2>"$W/td.log" || { cat "$W/td.log" >&2; ns_fail "aws teardown without a state file failed"; }
expect_in "$W/td.log" "no state file for job $J" "aws teardown works without the state file"
expect_in "$W/td.log" "could not be deleted" "aws teardown names the DELETE_FAILED resource"
expect_in "$W/td.log" "terminating instance i-" "aws teardown terminates the instance itself"
expect_in "$W/td.log" "delete-$J-2" "aws teardown deletes again with a new token"
expect_in "$W/td.log" "nothing is left" "aws teardown ends with nothing left"
proof_all_ok "$XDG_STATE_HOME/nitrosetup/jobs/$J.teardown.json"
check_clean "DELETE_FAILED and throttling"

ns_log "create-fail: the stack rolls back"
"$NS_TWIN" fault "$TWD" create-fail >/dev/null
start_bg "$W/create-fail.log" "${CER[@]}" -o "$W/b-cf"
wait_exit
expect_fail create-fail "failed to create and rolls back .*VcpuLimitExceeded"

ns_log "host-fail: the host reports FAILED"
"$NS_TWIN" fault "$TWD" host-fail >/dev/null
start_bg "$W/host-fail.log" "${CER[@]}" -o "$W/b-hf"
wait_exit
expect_fail host-fail "the host reported FAILED in phase"

ns_log "heartbeat-loss"
"$NS_TWIN" fault "$TWD" heartbeat-loss >/dev/null
NITROSETUP_HEARTBEAT_LOSS_S=20 start_bg "$W/heartbeat.log" "${CER[@]}" -o "$W/b-hb"
wait_exit
expect_fail heartbeat "heartbeat lost"

ns_log "expire-credentials while waiting, then renew-credentials and aws resume"
start_bg "$W/expire.log" "${CER[@]}" -o "$W/b-exp"
wait_log "$W/expire.log" "create: stack CREATE_COMPLETE" 400
J=$(job_of "$W/expire.log")
"$NS_TWIN" fault "$TWD" expire-credentials >/dev/null
wait_exit
[ "$RC" != 0 ] || ns_fail "expired credentials: exit 0"
expect_in "$W/expire.log" "credentials stopped working" "expired credentials: the run stops and says why"
expect_in "$W/expire.log" "aws sso login" "expired credentials: the way out"
expect_in "$W/expire.log" "aws resume $J" "expired credentials: the resume command"
[ -f "$XDG_STATE_HOME/nitrosetup/jobs/$J.json" ] || ns_fail "expired credentials: the state file is gone"
"$NS_TWIN" fault "$TWD" renew-credentials >/dev/null
start_bg "$W/resume.log" "$NS_BIN" aws resume "$J"
wait_exit
[ "$RC" = 0 ] || { cat "$W/resume.log" >&2; ns_fail "aws resume exited $RC"; }
expect_in "$W/resume.log" "download: [0-9]+ files" "aws resume downloads the bundle"
proof_all_ok "$W/b-exp/aws-teardown.json"
ns_check "the resumed job's bundle verifies" "$NS_BIN" verify "$W/b-exp" --ptau "$P8" "${T8[@]}" --allow-simulated
check_clean "after aws resume"
ns_pass
