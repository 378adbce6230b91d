#!/usr/bin/env bash
# tests/action/run-action.sh, the local runner the other action tests rely
# on, against a probe action (data/runner-probe.yml): inputs and defaults,
# expressions (contexts, case-insensitive ==, && / || values, functions),
# if: with the implicit success(), GITHUB_OUTPUT (both forms), GITHUB_ENV,
# GITHUB_PATH, GITHUB_STEP_SUMMARY, the upload-artifact stand-in; a failing
# step (failure() and always() steps run, the rest is skipped); a
# cancellation between steps and one during a step (SIGINT, SIGTERM, kill,
# as GitHub's runner does); malformed actions and inputs refused.
source "$NS_COMPAT/lib.sh"
ns_workdir
RUN=$NS_SOURCE/tests/action/run-action.sh
PROBE=$NS_SOURCE/tests/action/data/runner-probe.yml

# probe NAME [ARGS...]: runs the probe in $W/NAME (its workspace); sets RC
probe() {
    local name=$1
    shift
    mkdir -p "$W/$name"
    RC=0
    (cd "$W/$name" && GITHUB_WORKSPACE=$PWD "$RUN" "$PROBE" "$@" --workdir "$W/$name/wd" >"$W/$name/log" 2>&1) || RC=$?
}
expect_trace() { # NAME EXPECTED-TEXT
    printf '%s\n' "$2" >"$W/$1/want"
    diff -u "$W/$1/want" "$W/$1/trace" || { cat "$W/$1/log"; ns_fail "$1: the steps that ran differ"; }
}

# --- everything succeeds
probe ok word=hello flag=true
[ "$RC" -eq 0 ] || { cat "$W/ok/log"; ns_fail "ok: exit $RC"; }
expect_trace ok "first word=hello flag=true input_env=hello
second tool-on-path set by first set by first hello true
third outcome-of-second=success
plain
always job=success
not-cancelled"
[ "$(jq -r .echoed "$W/ok/wd/outputs.json")" = hello ] || ns_fail "ok: output echoed"
[ "$(jq -r .multi "$W/ok/wd/outputs.json")" = $'one\ntwo' ] || ns_fail "ok: multi-line output"
grep -qx '### first' "$W/ok/wd/summary.md" || ns_fail "ok: the step summary is not in summary.md"
[ -f "$W/ok/wd/artifacts/probe-hello/trace" ] || ns_fail "ok: the upload-artifact stand-in copied nothing"

# --- an if: that is false skips the step; its outcome is 'skipped'
probe skip word=hello
[ "$RC" -eq 0 ] || ns_fail "skip: exit $RC"
expect_trace skip "first word=hello flag=false input_env=hello
third outcome-of-second=skipped
plain
always job=success
not-cancelled"

# --- a failure: the failure() / always() / !cancelled() steps run, the others not
probe fail word=other fail-at=first lines=TWO
[ "$RC" -eq 1 ] || { cat "$W/fail/log"; ns_fail "fail: exit $RC, not 1"; }
expect_trace fail "first word=other flag=false input_env=other
on-failure
always job=failure
not-cancelled"
[ "$(jq -r .echoed "$W/fail/wd/outputs.json")" = other ] || ns_fail "fail: a failed step's outputs are lost"

# --- cancelled between steps: only cancelled() / always() steps run
probe cancel word=hello --cancel-after first
[ "$RC" -eq 3 ] || { cat "$W/cancel/log"; ns_fail "cancel: exit $RC, not 3"; }
expect_trace cancel "first word=hello flag=false input_env=hello
on-cancel
always job=cancelled"

# --- cancelled during a step: SIGINT to the step's shell, then SIGTERM, then the kill
start=$(date +%s)
probe during word=hello fail-at=sleep --cancel-during third:1
took=$(($(date +%s) - start))
[ "$RC" -eq 3 ] || { cat "$W/during/log"; ns_fail "during: exit $RC, not 3"; }
[ "$took" -lt 25 ] || ns_fail "during: the cancelled step ran on for ${took}s"
grep -q "cancelling: SIGINT" "$W/during/log" || ns_fail "during: no SIGINT"
expect_trace during "first word=hello flag=false input_env=hello
third outcome-of-second=skipped
on-cancel
always job=cancelled"
jq -e '.[] | select(.id == "third") | .outcome == "cancelled"' "$W/during/wd/steps.json" >/dev/null ||
    ns_fail "during: the cancelled step's outcome is not 'cancelled'"

# --- cancelled during a step whose if: is still true once cancelled: it runs on
probe during-always word=hello fail-at=slow-always --cancel-during always:1
[ "$RC" -eq 3 ] || { cat "$W/during-always/log"; ns_fail "during-always: exit $RC, not 3"; }
grep -q "cancelling: SIGINT" "$W/during-always/log" && ns_fail "during-always: an always() step was signalled"
expect_trace during-always "first word=hello flag=false input_env=hello
third outcome-of-second=skipped
plain
always job=success"
jq -e '.[] | select(.id == "always") | .outcome == "success"' "$W/during-always/wd/steps.json" >/dev/null ||
    ns_fail "during-always: the always() step did not succeed"

# --- refused
probe noinput
[ "$RC" -eq 2 ] && grep -q "input 'word' is required" "$W/noinput/log" || { cat "$W/noinput/log"; ns_fail "a missing required input was accepted"; }
probe undeclared word=x colour=red
[ "$RC" -eq 2 ] && grep -q "input 'colour' is not declared" "$W/undeclared/log" || ns_fail "an undeclared input was accepted"
probe badcancel word=x --cancel-after nosuchstep
[ "$RC" -eq 2 ] && grep -q "no step with id 'nosuchstep'" "$W/badcancel/log" || ns_fail "--cancel-after of an unknown step accepted"
mal() { # NAME SED EXPECTED
    sed "$2" "$PROBE" >"$W/$1.yml"
    cmp -s "$PROBE" "$W/$1.yml" && ns_fail "$1: the edit changed nothing"
    local rc=0
    (cd "$W" && GITHUB_WORKSPACE=$W "$RUN" "$W/$1.yml" word=x --workdir "$W/$1.wd" >"$W/$1.log" 2>&1) || rc=$?
    [ "$rc" -eq 2 ] || { cat "$W/$1.log"; ns_fail "$1: exit $rc, not 2"; }
    grep -q -- "$3" "$W/$1.log" || { cat "$W/$1.log"; ns_fail "$1: no '$3'"; }
    echo "   $1: $(grep -m1 -- "$3" "$W/$1.log")"
}
mal unpinned 's/@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f/@v7/' "is not pinned by a full commit SHA"
mal unknown-action 's|actions/upload-artifact@|actions/cache@|' "no local stand-in for 'actions/cache@"
mal unknown-context 's/steps.second.outcome/stepz.second.outcome/' "unknown context 'stepz'"
mal bad-expression "s/if: inputs.flag == 'TRUE'/if: inputs.flag == = 'TRUE'/" "unexpected '='"
mal no-shell '0,/      shell: sh/s///' "needs shell:"
mal not-composite 's/using: composite/using: node20/' "runs.using is not 'composite'"
mal bad-output-file 's/echo "echoed=$W"/echo "echoed"/' "malformed line 'echoed'"
ns_pass
