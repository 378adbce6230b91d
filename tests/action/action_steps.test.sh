#!/usr/bin/env bash
# The ceremony mode's step scripts (deploy/action: plan, install, create,
# wait, teardown, verify, release) through the local runner, with a scripted
# nitrosetup (data/fake-nitrosetup) in place of the AWS commands; verify is
# the real program on a --local bundle.  This checks the action's own logic,
# which action_local.test.sh then runs against the AWS twin:
# - the create command's arguments from the inputs; the job id from the
#   state directory as an output; the credentials stand-in's environment
#   reaching the tool; the proof lines in the summary; the release upload;
# - cancelled after create: the teardown step tears the job down;
# - cancelled during the wait: SIGINT, then SIGTERM reach the tool (a shell
#   alone passes neither on), and the teardown step cleans what the tool's
#   own interrupted teardown left;
# - resume failing after the download: the bundle is still verified (its
#   report in the summary), the job fails, nothing is published;
# - a create that fails after making the job: the job id is still an
#   output, the teardown step tears it down, the job fails;
# - two jobs in the state directory: both torn down;
# - a teardown that fails: ✗ in the summary, output clean=false, the job fails.
source "$NS_COMPAT/lib.sh"
ns_ceremony_setup
source "$NS_SOURCE/tests/action/lib_action.sh"

# the "release" holds the scripted program
export FAKE_VERSION=0.0.0-fake FAKE_DIR=$W/fake FAKE_REAL=$NS_BIN
mkdir -p "rel/nitrosetup-$FAKE_VERSION/bin"
cp "$NS_SOURCE/tests/action/data/fake-nitrosetup" "rel/nitrosetup-$FAKE_VERSION/bin/nitrosetup"
tar -C rel -czf fake.tar.gz "nitrosetup-$FAKE_VERSION"
# shellcheck disable=SC2034 # read by ns_act (lib_action.sh)
VERSION=$FAKE_VERSION
# shellcheck disable=SC2034
SHA=$(sha256sum fake.tar.gz | cut -d' ' -f1)
# shellcheck disable=SC2034
URL="file://$W/fake.tar.gz"

mkdir -p ws/circuits ws/inc
cp "$NS_SOURCE/examples/multiplier.circom" ws/circuits/
(cd ws && ns_check "ceremony --local" "$NS_BIN" ceremony --local circuits/multiplier.circom \
    -l inc --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim -o "$W/bundle")
export FAKE_BUNDLE=$W/bundle

# credentials for the configure-aws-credentials stand-in
mkdir -p creds
printf 'export AWS_ACCESS_KEY_ID=AKIAFAKE\nexport AWS_SECRET_ACCESS_KEY=secret\nexport NITROSETUP_AWS=/usr/bin/aws\n' >creds/env
mkdir -p bin
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"$GH_LOG"\n' >bin/gh
chmod +x bin/gh
export GH_LOG=$W/gh.log PATH="$W/bin:$PATH"

vargs="--trust-ptau $(ns_pin "$P8")"$'\n--allow-simulated'
run() { # NAME MODE [INPUTS/OPTIONS...]
    local name=$1
    rm -rf "$FAKE_DIR" && mkdir -p "$FAKE_DIR/live"
    FAKE_MODE=$2
    export FAKE_MODE
    shift 2
    ns_act "$name" ws circuit=circuits/multiplier.circom role-to-assume=arn:aws:iam::000000000000:role/ci \
        bundle="out-$name" ptau="$P8" require-trusted=false verify-args="$vargs" --twin-dir "$W/creds" "$@"
}
clean() { # NAME
    [ -z "$(ls -A "$FAKE_DIR/live")" ] || { cat "$W/$1.log"; ns_fail "$1: still live: $(ls "$FAKE_DIR/live")"; }
}

# --- the happy path
run ok ok include=inc region=eu-west-1 instance-type=m5.xlarge max-hours=2 circom="npx circom2" \
    ceremony-args="--keep-going
--note two words" release=v1
[ "$RC" -eq 0 ] || { cat "$W/ok.log"; ns_fail "ok: exit $RC"; }
J=$(ns_act_out ok job-id)
[[ $J =~ ^[0-9]{8}-[0-9]{4}-[0-9a-f]{6}$ ]] || ns_fail "ok: job-id '$J'"
grep -qF "ceremony circuits/multiplier.circom -l inc -o $W/ws/out-ok --region eu-west-1 --instance-type m5.xlarge --max-hours 2 --circom npx circom2 --yes --detach --keep-going --note two words | AWS_ACCESS_KEY_ID=AKIAFAKE" "$FAKE_DIR/calls.log" ||
    { cat "$FAKE_DIR/calls.log"; ns_fail "ok: the create command's arguments or environment"; }
grep -qF "aws resume $J -o $W/ws/out-ok |" "$FAKE_DIR/calls.log" || ns_fail "ok: resume not called with -o"
# the role's session covers max-hours + 1 h; the region and a session name per run
jq -e '.[] | select(.id == "credentials") | .with | ."role-to-assume" == "arn:aws:iam::000000000000:role/ci"
    and ."aws-region" == "eu-west-1" and ."role-duration-seconds" == "10800" and (."role-session-name" | startswith("nitrosetup-"))' \
    "$W/ok.wd/steps.json" >/dev/null || { jq . "$W/ok.wd/steps.json"; ns_fail "ok: what the credentials step was given"; }
grep -qF "aws teardown $J |" "$FAKE_DIR/calls.log" || ns_fail "ok: teardown not called"
ns_act_has ok "- ✓ stack: nitrosetup-$J DELETE\_COMPLETE"
ns_act_has ok "- ✓ instance: i-0123456789abcdef0 terminated"
ns_act_has ok "- ✓ \`nitrosetup aws teardown $J\`: done (3 check(s) above)"
ns_act_has ok "- ✓ **zkey verify**"
[ "$(ns_act_out ok clean)" = true ] || ns_fail "ok: output clean"
[ "$(ns_act_out ok bundle-path)" = "$W/ws/out-ok" ] || ns_fail "ok: output bundle-path"
[ -f "$W/ok.wd/artifacts/nitrosetup-bundle/out-ok/final.zkey" ] || ns_fail "ok: no artifact"
grep -q "^release upload v1 .*nitrosetup-bundle-$J.tar.gz .*nitrosetup-bundle-$J.verify.json .*nitrosetup-bundle-$J.sha256 --clobber$" "$GH_LOG" ||
    { cat "$GH_LOG"; ns_fail "ok: gh release upload"; }
tar tzf "$W/ok.wd/temp/release/nitrosetup-bundle-$J.tar.gz" >"$W/release.list"
grep -q "^nitrosetup-bundle-$J/manifest.json$" "$W/release.list" ||
    ns_fail "ok: the release tarball does not hold the bundle under its job name"
(cd "$W/ok.wd/temp/release" && sha256sum -c --quiet "nitrosetup-bundle-$J.sha256") || ns_fail "ok: the release's sha256 file"
clean ok

# --- cancelled after the create step
run cancel ok --cancel-after create
[ "$RC" -eq 3 ] || { cat "$W/cancel.log"; ns_fail "cancel: exit $RC"; }
J=$(ns_act_out cancel job-id)
[ "$(ns_act_step cancel ceremony)" = skipped ] && [ "$(ns_act_step cancel teardown)" = success ] ||
    { cat "$W/cancel.log"; ns_fail "cancel: ceremony/teardown outcomes"; }
[ "$(ns_act_step cancel verify)" = skipped ] && [ "$(ns_act_step cancel artifact)" = skipped ] || ns_fail "cancel: verify or upload ran"
grep -qF "aws teardown $J |" "$FAKE_DIR/calls.log" || ns_fail "cancel: teardown not called"
clean cancel

# --- cancelled during the wait: SIGINT, 7.5 s later SIGTERM (the tool's own teardown takes 20 s)
FAKE_WAIT_S=60 FAKE_TEARDOWN_S=20 run during ok --cancel-during ceremony:2
[ "$RC" -eq 3 ] || { cat "$W/during.log"; ns_fail "during: exit $RC"; }
[ "$(tr '\n' ' ' <"$FAKE_DIR/signals")" = "INT TERM " ] ||
    { cat "$W/during.log"; ns_fail "during: the tool received '$(tr '\n' ' ' <"$FAKE_DIR/signals")', not SIGINT then SIGTERM"; }
[ "$(ns_act_step during ceremony)" = cancelled ] || ns_fail "during: the ceremony step's outcome"
[ "$(ns_act_step during teardown)" = success ] || { cat "$W/during.log"; ns_fail "during: the teardown step"; }
clean during

# --- a create that fails after it made the job
run createfail create-fails
[ "$RC" -eq 1 ] || ns_fail "createfail: exit $RC"
J=$(ns_act_out createfail job-id)
[[ $J =~ ^[0-9]{8}- ]] || ns_fail "createfail: no job-id output"
grep -q "nitrosetup ceremony failed (exit 1); job $J is torn down by the teardown step" "$W/createfail.log" ||
    { cat "$W/createfail.log"; ns_fail "createfail: no reason"; }
ns_act_has createfail "Job \`$J\`: created (the create command failed, exit 1)."
ns_act_has createfail "nitrosetup: job $J: stack nitrosetup-$J rolled back: VcpuLimitExceeded"
[ "$(ns_act_step createfail teardown)" = success ] || ns_fail "createfail: the teardown step"
[ "$(ns_act_step createfail verify)" = skipped ] || ns_fail "createfail: verify ran"
clean createfail

# --- resume fails after the download: the action still verifies the bundle, and fails
run late resume-fails-late include=inc
[ "$RC" -eq 1 ] || ns_fail "late: exit $RC"
[ "$(ns_act_step late ceremony)" = failure ] && [ "$(ns_act_step late verify)" = success ] ||
    { cat "$W/late.log"; ns_fail "late: the downloaded bundle was not verified"; }
ns_act_has late "- ✓ **zkey verify**"
[ "$(ns_act_step late artifact)" = skipped ] || ns_fail "late: the bundle was published after a failed ceremony"
clean late

# --- two jobs in the state directory
run two two-jobs --cancel-after create
[ "$(grep -c '^aws teardown ' "$FAKE_DIR/calls.log")" -eq 2 ] || { cat "$FAKE_DIR/calls.log"; ns_fail "two: not both jobs torn down"; }
[ "$(grep -c '^### Teardown of job' "$W/two.wd/summary.md")" -eq 2 ] || ns_fail "two: not two teardown sections"
clean two

# --- a teardown that fails
run tdfail teardown-fails
[ "$RC" -eq 1 ] || ns_fail "tdfail: exit $RC"
J=$(ns_act_out tdfail job-id)
ns_act_has tdfail "- ✗ instance: i-0123456789abcdef0 is running"
ns_act_has tdfail "- ✗ \`nitrosetup aws teardown $J\` failed (exit 1)"
[ "$(ns_act_out tdfail clean)" = false ] || ns_fail "tdfail: output clean is not false"
[ "$(ns_act_step tdfail artifact)" = skipped ] || ns_fail "tdfail: the bundle was published after a failed teardown"
ns_pass
