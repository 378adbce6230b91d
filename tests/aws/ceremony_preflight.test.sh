#!/usr/bin/env bash
# nitrosetup ceremony's preflight refuses, before anything exists or bills, an
# instance type without Nitro Enclaves (here t3, and c6i.large: 2 vCPUs) and
# one above the account's vCPU quota: the message names the cause, the exit is
# non-zero, the twin has no stack, no upload and nothing live afterwards, and
# the refused attempt's proof does not block the next attempt.
set -uo pipefail
export TWIN_QUOTA_VCPUS=8 # the account's on-demand vCPU quota in the twin
source "$(dirname "$0")/ceremony_lib.sh"

refused() { # refused <pattern> <what> -- ceremony args...
    local pat=$1 what=$2
    shift 3
    local rc=0
    "${CER[@]}" "$@" >"$W/pre.out" 2>"$W/pre.log" || rc=$?
    [ "$rc" -ne 0 ] || { cat "$W/pre.log"; ns_fail "$what: the ceremony was not refused"; }
    grep -qE "$pat" "$W/pre.log" || { cat "$W/pre.log"; ns_fail "$what: no '$pat' in the message"; }
    ns_log "ok: $what (exit $rc)"
}
refused "does not support Nitro Enclaves" "an instance type without enclaves" -- --instance-type t3.large
refused "does not support Nitro Enclaves" "2 vCPUs (the parent keeps them)" -- --instance-type c6i.large
refused "vCPU quota .*L-1216C47A.* is 8; r6i.4xlarge needs 16" "above the vCPU quota" -- --instance-type r6i.4xlarge
grep -q '"CreateStack"\|CreateStack' "$TWD/calls.log" && ns_fail "a stack was created by a refused preflight"
grep -qE 'PUT /nitrosetup-jobs-[^ ?"]*/jobs/' "$TWD/calls.log" && ns_fail "inputs were uploaded by a refused preflight"
check_clean "after the refused preflights"
ns_pass
