#!/usr/bin/env bash
# Step "ceremony": `nitrosetup aws resume JOB`: waits for the host (phase,
# progress, heartbeat), downloads the bundle with its manifest checked, tears
# the job down and proves it, and verifies the bundle with the image's PCRs.
# The bundle goes where the create step said (-o).
# Inputs: NS_JOB NS_BUNDLE (absolute)
# Outputs: bundle-path (when the bundle was downloaded, even if resume
#          failed afterwards)
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

ns=$(ns_act_tool)
job=${NS_JOB:-}
ns_act_valid_job "$job" || ns_act_die "no job id from the create step ('$job')"
args=(aws resume "$job")
# resume writes where the job's state says; given -o when this version has it
if ns_act_has_opt -o aws resume; then args+=(-o "$NS_BUNDLE"); fi
rc=0
ns_act_run "$RUNNER_TEMP/nitrosetup-resume.log" "$ns" "${args[@]}" || rc=$?
# a bundle that came down is reported even when resume failed after the
# download (e.g. its own verification): the verify step then shows why
if [ -f "$NS_BUNDLE/manifest.json" ]; then ns_act_output bundle-path "$NS_BUNDLE"; fi
[ "$rc" -eq 0 ] || ns_act_die "nitrosetup aws resume $job failed (exit $rc)"
[ -f "$NS_BUNDLE/manifest.json" ] || ns_act_die "nitrosetup aws resume $job succeeded but $NS_BUNDLE has no manifest.json"
