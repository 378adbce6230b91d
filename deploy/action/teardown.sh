#!/usr/bin/env bash
# Step "teardown" (if: always(): also after a failure or a cancellation):
# `nitrosetup aws teardown JOB` for the job the create step reported and for
# every job this run's state directory holds (a create cut short may have
# made a job and not reported it).  Teardown is idempotent: after a finished
# ceremony (which tore down already) it changes nothing and proves again that
# nothing is left.  The proof goes to the job summary, one ✓/✗ line per
# check; the step fails unless every job's teardown succeeded.
# Inputs: NS_JOB (may be empty)
# Outputs: jobs (space-separated), clean (true|false)
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

mapfile -t jobs < <({ [ -z "${NS_JOB:-}" ] || echo "$NS_JOB"; ns_act_state_jobs; } | awk 'NF && !seen[$0]++')
if [ "${#jobs[@]}" -eq 0 ]; then
    ns_act_summary "### Teardown" "" "- ✓ no AWS job was created by this run" ""
    ns_act_output jobs ""
    ns_act_output clean true
    exit 0
fi
ns=$(ns_act_tool)
bad=0
for job in "${jobs[@]}"; do
    ns_act_valid_job "$job" || { ns_act_summary "- ✗ \`$job\` is not a job id"; bad=1; continue; }
    log="$RUNNER_TEMP/nitrosetup-teardown-$job.log"
    rc=0
    ns_act_run "$log" "$ns" aws teardown "$job" || rc=$?
    ns_act_summary "### Teardown of job \`$job\`" ""
    # the proof: the tool's ✓/✗ (or ok/FAIL) lines, one per check, as it
    # prints them on stderr ("nitrosetup: ✓ check: detail")
    n=0
    while IFS= read -r line; do
        mark=${line%%[[:space:]]*}
        rest=${line#"$mark"}
        rest="${rest#"${rest%%[![:space:]]*}"}"
        case "$mark" in
        ✓ | ok | OK) mark=✓ ;;
        *) mark=✗ ;;
        esac
        ns_act_summary "- $mark $(ns_act_md_escape "$rest")"
        n=$((n + 1))
    done < <(sed 's/\x1b\[[0-9;]*m//g; s/^nitrosetup: //; s/^[[:space:]]*//' "$log" | grep -E '^(✓|✗|ok|OK|FAIL|fail)([[:space:]]|$)' || true)
    [ "$n" -gt 0 ] || ns_act_summary "- ⚠ the teardown printed no proof lines (see the step's log)"
    if [ "$rc" -eq 0 ]; then
        ns_act_summary "- ✓ \`nitrosetup aws teardown $job\`: done ($n check(s) above)" ""
    else
        ns_act_summary "- ✗ \`nitrosetup aws teardown $job\` failed (exit $rc): run it again, or see docs/github-action.md" ""
        bad=1
    fi
done
ns_act_output jobs "${jobs[*]}"
if [ "$bad" -ne 0 ]; then
    ns_act_output clean false
    ns_act_die "teardown failed for job(s) ${jobs[*]}: the instance ends itself at the job's deadline; run \`nitrosetup aws teardown JOB\` with the same credentials"
fi
ns_act_output clean true
