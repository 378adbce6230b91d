#!/usr/bin/env bash
# Step "create": `nitrosetup ceremony --yes --detach`: preflight, the cost
# estimate (printed, accepted by --yes), the inputs uploaded and the job's
# stack created; the command returns once the job exists and the instance
# works on its own.  The job id is a step output as soon as the command has
# ended, whatever its result: the teardown step needs it.
# The id comes from the tool's state directory (this run's own, see lib.sh:
# the state file is written before the first call that creates anything), or
# failing that from the command's output.
# Inputs: NS_CIRCUIT NS_INCLUDE NS_BUNDLE (absolute) NS_REGION
#         NS_INSTANCE_TYPE NS_MAX_HOURS NS_CIRCOM NS_CEREMONY_ARGS
# Outputs: job-id
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

ns=$(ns_act_tool)
includes=() extra=()
ns_act_lines includes "${NS_INCLUDE:-}"
ns_act_words extra "${NS_CEREMONY_ARGS:-}"
args=(ceremony "$NS_CIRCUIT")
for d in "${includes[@]}"; do args+=(-l "$d"); done
args+=(-o "$NS_BUNDLE")
[ -z "${NS_REGION:-}" ] || args+=(--region "$NS_REGION")
[ -z "${NS_INSTANCE_TYPE:-}" ] || args+=(--instance-type "$NS_INSTANCE_TYPE")
[ -z "${NS_MAX_HOURS:-}" ] || args+=(--max-hours "$NS_MAX_HOURS")
[ -z "${NS_CIRCOM:-}" ] || args+=(--circom "$NS_CIRCOM")
args+=(--yes --detach "${extra[@]}")

before=$(ns_act_state_jobs | sort)
log="$RUNNER_TEMP/nitrosetup-create.log"
ns_act_log "nitrosetup ${args[*]}"
rc=0
ns_act_run "$log" "$ns" "${args[@]}" || rc=$?

job=$(comm -13 <(echo "$before") <(ns_act_state_jobs | sort) | head -1)
if [ -z "$job" ]; then
    # the id as the tool makes it: YYYYMMDD-HHMM-xxxxxx
    job=$(grep -oE '\b[0-9]{8}-[0-9]{4}-[0-9a-f]{6}\b' "$log" | head -1 || true)
fi
if [ -n "$job" ]; then
    ns_act_output job-id "$job"
    ns_act_summary "Job \`$job\`: created$([ "$rc" -eq 0 ] || echo " (the create command failed, exit $rc)")." ""
fi
if [ "$rc" -ne 0 ]; then
    # why, for the summary: the tool's lines before its teardown began
    cause=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | sed '/tearing down job/,$d' | grep -v '✓\|✗' | tail -n 6)
    if [ -n "$cause" ]; then
        ns_act_summary "<details><summary>why the create command failed</summary>" "" '```' "$cause" '```' "" "</details>" ""
    fi
    ns_act_die "nitrosetup ceremony failed (exit $rc)${job:+; job $job is torn down by the teardown step}"
fi
[ -n "$job" ] || ns_act_die "nitrosetup ceremony succeeded but no job id was found (no state file in $NS_ACT_JOBS_DIR, none in its output)"
