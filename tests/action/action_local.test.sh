#!/usr/bin/env bash
# The action end to end through the AWS twin (tests/aws/twin), with the real
# `nitrosetup ceremony` on AWS and the real AWS CLI v2: the local runner runs
# action.yml with the twin's credentials (the configure-aws-credentials
# stand-in) on examples/multiplier.circom with the test ptau:
# - the happy path: the bundle verifies (--circuit), the job summary has the
#   ✓ lines of the verification and of the teardown proof, the outputs are
#   set, the artifact is uploaded, the release step calls `gh release
#   upload` (a gh stand-in on PATH records it), and the twin's `live` is
#   empty;
# - a cancellation after the create step: the ceremony step is skipped, the
#   teardown step (always()) leaves the twin clean;
# - a cancellation during the ceremony step (SIGINT, SIGTERM, kill, as
#   GitHub does): the tool's own interrupt handling and then the teardown
#   step leave the twin clean;
# - verify-only (no AWS) on the produced bundle, and with another circuit
#   source, which fails the job.
# Skipped (exit 77) only while `nitrosetup ceremony` has no AWS mode
# (its --help lacks --region).
source "$NS_COMPAT/lib.sh"
ns_ceremony_setup
source "$NS_SOURCE/tests/action/lib_action.sh"

help=$("$NS_BIN" ceremony --help 2>&1) || true
if ! grep -q -- '--region' <<<"$help"; then
    echo "SKIP: $NS_TEST_NAME: 'nitrosetup ceremony --help' has no --region: the AWS ceremony is not in this build"
    exit 77
fi
[ -x "${NS_TWIN:-}" ] || ns_fail "the AWS twin is not at NS_TWIN=${NS_TWIN:-} (tests/aws/twin/twin)"

ns_act_release
PIN=$(ns_pin "$P8")
mkdir -p ws/circuits
cp "$NS_SOURCE/examples/multiplier.circom" ws/circuits/

# the host program's tarball the job's instance runs (made once)
bash "$NS_SOURCE/scripts/build-host-bundle.sh" "$W/host.tar.gz" "$NS_BIN" >"$W/host-bundle.json" 2>"$W/host-bundle.log" ||
    { cat "$W/host-bundle.log"; ns_fail "scripts/build-host-bundle.sh failed"; }
export NITROSETUP_POLL_S=${NITROSETUP_POLL_S:-0.5}
vargs="--trust-ptau $PIN"$'\n--allow-simulated'

# a gh stand-in that records its arguments
mkdir -p bin
cat >bin/gh <<'GH'
#!/bin/sh
printf '%s\n' "$*" >>"$GH_LOG"
for a in "$@"; do case "$a" in /*) [ -f "$a" ] || { echo "gh: $a: no such file" >&2; exit 1; } ;; esac; done
GH
chmod +x bin/gh
export GH_LOG=$W/gh.log PATH="$W/bin:$PATH"

TWINS=()
down_all() { for t in "${TWINS[@]}"; do "$NS_TWIN" down "$t" >/dev/null 2>&1 || true; done; }
trap down_all EXIT
twin_up() { # NAME: T = a fresh twin in $W/NAME.twin with the job bucket made
    # (the administrator's `nitrosetup aws setup`, outside the action); not in
    # $( ): TWINS must grow in this shell
    local t=$W/$1.twin
    "$NS_TWIN" up "$t" >"$W/$1.twin.log" 2>&1 || { cat "$W/$1.twin.log"; ns_fail "twin up failed"; }
    TWINS+=("$t")
    (. "$t/env" && "$NS_BIN" aws setup) >>"$W/$1.twin.log" 2>&1 || { cat "$W/$1.twin.log"; ns_fail "aws setup on the twin failed"; }
    # the test ptau in the twin's ptau mirror, where the job's host looks
    # for it by name (as the project's mirror holds the Hermez files)
    (. "$t/env" && export AWS_ACCESS_KEY_ID=$TWIN_MIRROR_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$TWIN_MIRROR_SECRET_ACCESS_KEY &&
        b=${NITROSETUP_PTAU_MIRROR#s3://} && b=${b%%/*} &&
        { "$NITROSETUP_AWS" s3api head-bucket --bucket "$b" 2>/dev/null || "$NITROSETUP_AWS" s3 mb "s3://$b"; } &&
        "$NITROSETUP_AWS" s3 cp --only-show-errors "$P8" "${NITROSETUP_PTAU_MIRROR%/}/$(basename "$P8")") >>"$W/$1.twin.log" 2>&1 ||
        { cat "$W/$1.twin.log"; ns_fail "the test ptau could not be put in the twin's mirror"; }
    T=$t
}
live() { "$NS_TWIN" state "$1" | jq -c '.live'; }
assert_clean() { # NAME TWIN
    local l
    l=$(live "$2")
    [ "$l" = "[]" ] || { cat "$W/$1.log"; ns_fail "$1: the twin still has live resources: $l"; }
}
ceremony() { # NAME TWIN [MORE...]
    local name=$1 twin=$2 eif cargs
    shift 2
    eif=$(. "$twin/env" && echo "${NITROSETUP_TWIN_EIF:-}")
    [ -f "$eif" ] || ns_fail "the twin made no test enclave image (NITROSETUP_TWIN_EIF)"
    cargs="--eif $eif"$'\n'"--host-bundle $W/host.tar.gz"$'\n'"--ptau $P8"$'\n'"--trust-ptau $PIN"$'\n'"--drand-sim"
    cargs=${NS_ACTION_CEREMONY_ARGS:-$cargs}
    ns_act "$name" ws circuit=circuits/multiplier.circom circom="$CIRCOM" role-to-assume=arn:aws:iam::000000000000:role/nitrosetup-ci \
        bundle="out-$name" ptau="$P8" require-trusted=false ceremony-args="$cargs" verify-args="$vargs" \
        --twin-dir "$twin" "$@"
}

# --- the happy path
twin_up ok
ceremony ok "$T" release=v-test artifact-name=bundle-ok
[ "$RC" -eq 0 ] || { cat "$W/ok.log"; ns_fail "the action failed (exit $RC)"; }
J=$(ns_act_out ok job-id)
[[ $J =~ ^[0-9]{8}-[0-9]{4}-[0-9a-f]{6}$ ]] || ns_fail "output job-id is '$J'"
[ "$(ns_act_out ok bundle-path)" = "$W/ws/out-ok" ] || ns_fail "output bundle-path is '$(ns_act_out ok bundle-path)'"
[ "$(ns_act_out ok verified)" = true ] || ns_fail "output verified is not true"
[ "$(ns_act_out ok clean)" = true ] || ns_fail "output clean is not true"
ns_act_has ok "Job \`$J\`: created."
ns_act_has ok "### Teardown of job \`$J\`"
ns_act_has ok "- ✓ \`nitrosetup aws teardown $J\`: done"
for c in "attestation 1" "attestation 2" "zkey verify" "circuit source" "artifact hashes"; do
    ns_act_has ok "- ✓ **$c**"
done
grep -q '^- ✗' "$W/ok.wd/summary.md" && { cat "$W/ok.wd/summary.md"; ns_fail "a ✗ line in the happy path's summary"; }
[ "$(sed -n "/^### Teardown of job/,/^###/p" "$W/ok.wd/summary.md" | grep -c '^- ✓')" -ge 2 ] ||
    { cat "$W/ok.wd/summary.md"; ns_fail "no teardown-proof lines in the summary"; }
[ -f "$W/ok.wd/artifacts/bundle-ok/out-ok/manifest.json" ] || ns_fail "the artifact lacks the bundle"
grep -q "^release upload v-test .*/nitrosetup-bundle-$J.tar.gz .*/nitrosetup-bundle-$J.verify.json .*/nitrosetup-bundle-$J.sha256 --clobber$" "$GH_LOG" ||
    { cat "$GH_LOG"; ns_fail "gh release upload was not called as expected"; }
assert_clean ok "$T"
echo "--- job summary (ceremony through the twin) ---"
cat "$W/ok.wd/summary.md"
echo "---"

# --- cancelled after the create step: the teardown step cleans up
twin_up cancel
ceremony cancel "$T" upload-artifact=false --cancel-after create
[ "$RC" -eq 3 ] || { cat "$W/cancel.log"; ns_fail "cancel: exit $RC, not 3 (cancelled)"; }
[ "$(ns_act_step cancel ceremony)" = skipped ] || ns_fail "cancel: the ceremony step ran after the cancellation"
[ "$(ns_act_step cancel teardown)" = success ] || { cat "$W/cancel.log"; ns_fail "cancel: the teardown step did not succeed"; }
[ "$(ns_act_step cancel verify)" = skipped ] || ns_fail "cancel: verify ran after the cancellation"
J=$(ns_act_out cancel job-id)
ns_act_has cancel "### Teardown of job \`$J\`"
assert_clean cancel "$T"

# --- cancelled during the ceremony step (after 20 s)
twin_up during
ceremony during "$T" upload-artifact=false --cancel-during ceremony:20
[ "$RC" -eq 3 ] || { cat "$W/during.log"; ns_fail "during: exit $RC, not 3"; }
grep -q "cancelled: SIGINT to" "$W/during.log" || { cat "$W/during.log"; ns_fail "during: the step did not pass SIGINT on"; }
[ "$(ns_act_step during teardown)" = success ] || { cat "$W/during.log"; ns_fail "during: the teardown step did not succeed"; }
assert_clean during "$T"

# --- verify-only on the produced bundle: no AWS at all
ns_act vo ws verify-only=true circuit=circuits/multiplier.circom bundle=out-ok ptau="$P8" require-trusted=false verify-args="$vargs"
[ "$RC" -eq 0 ] || { cat "$W/vo.log"; ns_fail "verify-only on the produced bundle failed"; }
ns_act_has vo "- ✓ **circuit source**"
sed 's/a \* b/a * b + 0/' "$NS_SOURCE/examples/multiplier.circom" >ws/circuits/other.circom
ns_act vo-other ws verify-only=true circuit=circuits/other.circom bundle=out-ok ptau="$P8" require-trusted=false verify-args="$vargs"
[ "$RC" -eq 1 ] || ns_fail "verify-only accepted another circuit source"
ns_act_has vo-other "- ✗ **circuit source**"
# the twins go down before ns_pass removes $W (their pid files are in it)
down_all
TWINS=()
ns_pass
