#!/usr/bin/env bash
# Ctrl-C (SIGINT to the process) during `nitrosetup ceremony` on AWS, in each
# phase: preflight, create, boot, compute, download, teardown.  The first
# Ctrl-C tears the job down and proves it: exit 130, a message saying it was
# interrupted, the proof all ✓, the twin's live list empty.  A second Ctrl-C
# leaves the job (exit 130, the resume command and the deadline printed, the
# state file kept, the stack still there); `aws teardown JOB` then removes
# it.  Uses ns_ceremony_setup (through ceremony_lib.sh).  Needs root (the
# twin's instance sandbox), /usr/bin/aws, node, python3.
source "$NS_SOURCE/tests/aws/ceremony_lib.sh"

# NS_AWS_CASES="boot teardown ..." runs only those cases (default: all)
want() { [ -z "${NS_AWS_CASES:-}" ] || [[ " $NS_AWS_CASES " == *" $1 "* ]]; }

# interrupt_at NAME PATTERN [EXTRA...]: a ceremony, SIGINT once PATTERN is
# in its output; checks the first-Ctrl-C contract
interrupt_at() {
    local name=$1 pat=$2
    shift 2
    ns_log "Ctrl-C in phase $name"
    start_bg "$W/int-$name.log" "${CER[@]}" -o "$W/b-$name" "$@"
    wait_log "$W/int-$name.log" "$pat" 400
    kill -INT "$PID"
    wait_exit
    [ "$RC" = 130 ] || { cat "$W/int-$name.log" >&2; ns_fail "$name: exit $RC after Ctrl-C, expected 130"; }
    expect_in "$W/int-$name.log" "interrupted in phase [a-z]+: tearing down job" "$name: the first Ctrl-C tears the job down"
    expect_in "$W/int-$name.log" "✓ instances terminated" "$name: the proof ran"
    if grep -q "✗" "$W/int-$name.log"; then cat "$W/int-$name.log" >&2; ns_fail "$name: a check of the proof failed"; fi
    proof_all_ok "$W/b-$name/aws-teardown.json"
    check_clean "Ctrl-C in phase $name"
}

want preflight && interrupt_at preflight "^nitrosetup: job [0-9]"
want create && interrupt_at create "create: stack nitrosetup-"
want boot && interrupt_at boot "create: stack CREATE_COMPLETE"
want compute && interrupt_at compute "host: (ptau|zkey-new|enclave|ceremony)"
# the download fetches eleven files, one call each, right after "host: DONE"
if want download; then
    interrupt_at download "host: DONE"
    expect_in "$W/int-download.log" "interrupted in phase download" "download: the interrupt landed in the download"
fi

# teardown: a stack that fails to create goes straight to the teardown
if want teardown; then
"$NS_TWIN" fault "$TWD" create-fail >/dev/null
ns_log "Ctrl-C during the teardown"
start_bg "$W/int-td.log" "${CER[@]}" -o "$W/b-td"
wait_log "$W/int-td.log" "tearing down job" 400
kill -INT "$PID"
wait_exit
[ "$RC" = 130 ] || { cat "$W/int-td.log" >&2; ns_fail "teardown: exit $RC, expected 130"; }
expect_in "$W/int-td.log" "VcpuLimitExceeded" "teardown: the cause is still named"
expect_in "$W/int-td.log" "teardown: stack nitrosetup-.* DELETE_COMPLETE|no stack nitrosetup-.* was ever created" \
    "teardown: a Ctrl-C during the teardown does not stop it"
proof_all_ok "$W/b-td/aws-teardown.json"
check_clean "Ctrl-C during the teardown"
fi

# a second Ctrl-C leaves the job; aws teardown removes it
if want second; then
ns_log "second Ctrl-C"
start_bg "$W/int2.log" "${CER[@]}" -o "$W/b-2"
wait_log "$W/int2.log" "create: stack CREATE_COMPLETE" 400
J=$(job_of "$W/int2.log")
kill -INT "$PID"
wait_log "$W/int2.log" "tearing down job" 60
kill -INT "$PID"
wait_exit
[ "$RC" = 130 ] || { cat "$W/int2.log" >&2; ns_fail "second Ctrl-C: exit $RC, expected 130"; }
expect_in "$W/int2.log" "interrupted again: job $J is left" "the second Ctrl-C leaves the job"
expect_in "$W/int2.log" "aws teardown $J" "it prints the teardown command"
expect_in "$W/int2.log" "terminates itself by [0-9]{4}-[0-9]{2}-[0-9]{2}T" "it prints the instance's deadline"
[ -f "$XDG_STATE_HOME/nitrosetup/jobs/$J.json" ] || ns_fail "the state file of $J is gone"
"$NS_BIN" aws teardown "$J" >"$W/td-after.out" 2>"$W/td-after.log" || { cat "$W/td-after.log" >&2; ns_fail "aws teardown $J failed"; }
expect_in "$W/td-after.log" "nothing is left" "aws teardown after the second Ctrl-C"
check_clean "after the second Ctrl-C and aws teardown"
fi
ns_pass
