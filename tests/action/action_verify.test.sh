#!/usr/bin/env bash
# The action's verify-only mode (no AWS) through the local runner, on a
# bundle made here by `nitrosetup ceremony --local` (simulated, so with
# --allow-simulated and require-trusted: false): nitrosetup installed from a
# tarball of the build tree's binary by the action's own install step (its
# SHA-256 pinned), the bundle verified against the circuit, the job summary's
# ✓ lines and the outputs.  Must fail: the default require-trusted on a
# simulated bundle, a tampered circuit, a tampered bundle, a wrong SHA-256
# pin, a malformed pin, a version the program does not report, a bundle that
# is missing, a ptau the manifest does not name as a Hermez file.
source "$NS_COMPAT/lib.sh"
ns_ceremony_setup
source "$NS_SOURCE/tests/action/lib_action.sh"
ns_act_release
version=$VERSION

# the circuit's repository, with a bundle made for it
mkdir -p ws/circuits
cp "$NS_SOURCE/examples/multiplier.circom" ws/circuits/
(cd ws && ns_check "ceremony --local" "$NS_BIN" ceremony --local circuits/multiplier.circom \
    --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim -o bundle)

# act NAME [INPUTS...]: the action in verify-only mode
act() {
    local name=$1
    shift
    ns_act "$name" ws verify-only=true circuit=circuits/multiplier.circom bundle=bundle ptau="$P8" \
        verify-args="--trust-ptau $(ns_pin "$P8")
--allow-simulated" "$@"
}
out() { ns_act_out "$@"; }
has() { ns_act_has "$@"; }
step() { ns_act_step "$@"; }

act ok require-trusted=false
[ "$RC" -eq 0 ] || { cat "$W/ok.log"; ns_fail "verify-only: exit $RC"; }
for c in "bundle files" manifest "artifact hashes" "attestation 1" "attestation 2" "drand signature" \
    contributions "zkey verify" "circuit source" "verification key" "verifier code" "attestation 2 nonce"; do
    has ok "- ✓ **$c**"
done
has ok "- ⚠ **simulated**"
has ok "Result: ⚠ **NOT TRUSTED**"
grep -q "✗" "$W/ok.wd/summary.md" && ns_fail "ok: a ✗ line in a passing run's summary"
[ "$(out ok verified)" = true ] || ns_fail "ok: output verified is not true"
[ "$(out ok trusted)" = false ] || ns_fail "ok: output trusted is not false"
[ "$(out ok bundle-path)" = "$W/ws/bundle" ] || ns_fail "ok: output bundle-path is '$(out ok bundle-path)'"
[ "$(out ok job-id)" = "" ] || ns_fail "ok: a job id in verify-only mode"
for s in credentials create ceremony teardown artifact release; do
    [ "$(step ok $s)" = skipped ] || ns_fail "ok: step $s ran in verify-only mode"
done
echo "--- job summary (verify-only) ---"
cat "$W/ok.wd/summary.md"
echo "---"

# require-trusted (the default) fails a simulated bundle
act untrusted
[ "$RC" -eq 1 ] || ns_fail "a NOT TRUSTED bundle passed with require-trusted"
grep -q "is NOT TRUSTED" "$W/untrusted.log" || { cat "$W/untrusted.log"; ns_fail "untrusted: no reason"; }

# another circuit source fails the job
sed 's/a \* b/a * b + 0/' "$NS_SOURCE/examples/multiplier.circom" >ws/circuits/other.circom
act tampered-circuit require-trusted=false circuit=circuits/other.circom
[ "$RC" -eq 1 ] || ns_fail "another circuit verified"
has tampered-circuit "- ✗ **circuit source**"
has tampered-circuit "Result: ✗ **FAILED**"
[ "$(out tampered-circuit verified)" = false ] || ns_fail "tampered-circuit: output verified is not false"
grep -q "the bundle does not verify: circuit source" "$W/tampered-circuit.log" || { cat "$W/tampered-circuit.log"; ns_fail "tampered-circuit: no reason"; }

# a tampered bundle
cp -r ws/bundle ws/bad
printf '\001' | dd of=ws/bad/final.zkey bs=1 seek=$(($(stat -c %s ws/bad/final.zkey) / 2)) conv=notrunc status=none
act tampered-bundle require-trusted=false bundle=bad
[ "$RC" -eq 1 ] || ns_fail "a tampered bundle verified"
grep -q "^- ✗ " "$W/tampered-bundle.wd/summary.md" || ns_fail "tampered-bundle: no ✗ line"

# install: the pin is checked before anything runs
act wrong-sha require-trusted=false nitrosetup-sha256="$(printf '0%.0s' $(seq 64))"
[ "$RC" -eq 1 ] || ns_fail "a wrong SHA-256 pin was accepted"
grep -q "SHA-256 is $SHA, not the pinned 0000" "$W/wrong-sha.log" || { cat "$W/wrong-sha.log"; ns_fail "wrong-sha: no reason"; }
[ "$(step wrong-sha verify)" = skipped ] || ns_fail "wrong-sha: verify ran after a failed install"
act bad-sha require-trusted=false nitrosetup-sha256=abc
[ "$RC" -eq 1 ] && grep -q "nitrosetup-sha256: expected 64 lowercase hex digits" "$W/bad-sha.log" || ns_fail "a malformed pin was accepted"
act wrong-version require-trusted=false nitrosetup-version=9.9.9 nitrosetup-url="$URL"
[ "$RC" -eq 1 ] || ns_fail "a version the program does not report was accepted"
grep -q "says 'nitrosetup $version', not 'nitrosetup 9.9.9'" "$W/wrong-version.log" || { cat "$W/wrong-version.log"; ns_fail "wrong-version: no reason"; }

# inputs checked first
act no-bundle require-trusted=false bundle=nowhere
[ "$RC" -eq 1 ] && grep -q "input bundle: nowhere: no such directory" "$W/no-bundle.log" || ns_fail "a missing bundle was accepted"
[ "$(step no-bundle install)" = skipped ] || ns_fail "no-bundle: install ran after the inputs failed"
act bad-bool require-trusted=maybe
[ "$RC" -eq 1 ] && grep -q "input require-trusted: expected true or false, not 'maybe'" "$W/bad-bool.log" || ns_fail "a bad boolean was accepted"
act no-ptau require-trusted=false ptau=
[ "$RC" -eq 1 ] && grep -q "is not a Hermez file: give the input ptau" "$W/no-ptau.log" || { cat "$W/no-ptau.log"; ns_fail "no-ptau: no reason"; }
ns_pass
