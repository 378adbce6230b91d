#!/usr/bin/env bash
# `nitrosetup ceremony` on AWS against the twin, the happy path: the
# multiplier with the twin's test enclave image and a host tarball from
# scripts/build-host-bundle.sh, the test ptau pinned (ns_ceremony_setup) ->
# a bundle that verifies (NOT TRUSTED: simulated), aws-teardown.json with
# every check passed, the twin's live list empty; `aws jobs --json` lists
# the job as ok; `aws teardown` run again finds nothing to change and proves
# it again; `aws setup` a second time changes nothing; a ceremony without a
# terminal and without --yes is refused.  Needs root (the twin's instance
# sandbox), /usr/bin/aws, node.
source "$NS_SOURCE/tests/aws/ceremony_lib.sh"

ns_log "ceremony on the twin"
start_bg "$W/happy.log" "${CER[@]}" -o "$W/bundle"
wait_exit
[ "$RC" = 0 ] || { cat "$W/happy.log" >&2; ns_fail "ceremony exited $RC"; }
J=$(job_of "$W/happy.log")
[ -n "$J" ] || ns_fail "no job id in the output"
expect_in "$W/happy.log" "create: stack CREATE_COMPLETE" "the stack was created"
expect_in "$W/happy.log" "host: DONE" "the host finished"
expect_in "$W/happy.log" "download: [0-9]+ files in .* checked against MANIFEST.sha256" "the bundle was downloaded and checked"
expect_in "$W/happy.log" "✓ stack deleted: nitrosetup-$J DELETE_COMPLETE \(by id\)" "proof: the stack is deleted (by id)"
expect_in "$W/happy.log" "✓ instances terminated: 1 instance\(s\), all terminated" "proof: the instance is terminated"
if grep -q "✗" "$W/happy.log"; then cat "$W/happy.log" >&2; ns_fail "a check of the proof failed"; fi
expect_in "$W/happy.log" "SIMULATED" "the simulated bundle is said to be simulated"
expect_in "$W/happy.log.out" "NOT TRUSTED|not trusted" "the report says NOT TRUSTED"
[ -f "$W/bundle/final.zkey" ] || ns_fail "no final.zkey in the bundle"
proof_all_ok "$W/bundle/aws-teardown.json"
check_clean "after the happy path"

ns_check "the bundle verifies on its own (simulated allowed)" "$NS_BIN" verify "$W/bundle" --ptau "$P8" "${T8[@]}" --allow-simulated
ns_check_fails "and not without --allow-simulated" "$NS_BIN" verify "$W/bundle" --ptau "$P8" "${T8[@]}"

"$NS_BIN" aws jobs --json >"$W/jobs.json" 2>"$W/jobs.log" || { cat "$W/jobs.log" >&2; ns_fail "aws jobs failed"; }
node -e '
const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const e = a.find((x) => x.id === process.argv[2]);
if (!Array.isArray(a) || !e || e.state !== "ok") { console.error(JSON.stringify(a)); process.exit(1); }' "$W/jobs.json" "$J" ||
    ns_fail "aws jobs --json does not list $J as ok"
ns_log "ok: aws jobs --json lists the job as ok"

# teardown again: nothing to delete, the same proof
"$NS_BIN" aws teardown "$J" >"$W/td2.out" 2>"$W/td2.log" || { cat "$W/td2.log" >&2; ns_fail "second teardown failed"; }
if grep -qE "deleting stack|terminating|deleting it|aborted" "$W/td2.log"; then
    cat "$W/td2.log" >&2
    ns_fail "the second teardown changed something"
fi
proof_all_ok "$XDG_STATE_HOME/nitrosetup/jobs/$J.teardown.json"
"$NS_BIN" aws setup >"$W/setup2.out" 2>"$W/setup2.log" || ns_fail "second aws setup failed"
expect_in "$W/setup2.log" "nothing changed" "aws setup a second time changes nothing"

# no terminal, no --yes: refused before anything
rc=0
"$NS_BIN" ceremony "$M" --eif "$NITROSETUP_TWIN_EIF" --host-bundle "$W/host.tar.gz" </dev/null >/dev/null 2>"$W/noyes.log" || rc=$?
[ "$rc" = 2 ] || ns_fail "without a terminal and --yes: exit $rc, expected 2"
expect_in "$W/noyes.log" "give --yes" "without a terminal and --yes the ceremony is refused"
check_clean "at the end"
ns_pass
