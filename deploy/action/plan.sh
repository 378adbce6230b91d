#!/usr/bin/env bash
# Step "plan": checks the inputs before anything is installed or costs money,
# and works out what the later steps need: the bundle directory (absolute),
# the session length for the AWS role (the whole run plus the teardown).
# Inputs: NS_CIRCUIT NS_VERIFY_ONLY NS_BUNDLE NS_MAX_HOURS NS_UPLOAD NS_RELEASE
#         NS_REQUIRE_TRUSTED NS_ROLE
# Outputs: bundle (absolute path), session-seconds, mode (ceremony|verify-only)
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

ns_act_bool verify-only "${NS_VERIFY_ONLY:-}"
ns_act_bool upload-artifact "${NS_UPLOAD:-}"
ns_act_bool require-trusted "${NS_REQUIRE_TRUSTED:-}"
[ -n "${NS_CIRCUIT:-}" ] || ns_act_die "input circuit is empty"
circuit=$NS_CIRCUIT
[[ $circuit = /* ]] || circuit="$GITHUB_WORKSPACE/$circuit"
[ -f "$circuit" ] || ns_act_die "input circuit: $NS_CIRCUIT: no such file"

bundle=${NS_BUNDLE:-}
if [ "$NS_VERIFY_ONLY" = true ]; then
    [ -n "$bundle" ] || ns_act_die "verify-only needs the input bundle (the bundle directory to verify)"
    [[ $bundle = /* ]] || bundle="$GITHUB_WORKSPACE/$bundle"
    [ -d "$bundle" ] || ns_act_die "input bundle: $NS_BUNDLE: no such directory"
    [ -f "$bundle/manifest.json" ] || ns_act_die "input bundle: $NS_BUNDLE: not a bundle (no manifest.json)"
    [ -z "${NS_RELEASE:-}" ] || ns_act_die "input release: only a ceremony run publishes a bundle (verify-only is true)"
    mode=verify-only
else
    [ -n "$bundle" ] || bundle=nitrosetup-bundle
    [[ $bundle = /* ]] || bundle="$GITHUB_WORKSPACE/$bundle"
    if [ -e "$bundle" ] && [ -n "$(ls -A "$bundle" 2>/dev/null)" ]; then
        ns_act_die "input bundle: $bundle exists and is not empty (the ceremony writes a new bundle there)"
    fi
    mode=ceremony
fi

# The role's session must outlive the job: max-hours (the tool's default is
# 4 h) plus an hour for download, teardown and its proof; STS caps a role
# session at 12 h (and at the role's MaxSessionDuration).
hours=${NS_MAX_HOURS:-}
[ -n "$hours" ] || hours=4
[[ $hours =~ ^[0-9]+(\.[0-9]+)?$ ]] || ns_act_die "input max-hours: '$NS_MAX_HOURS' is not a number of hours"
secs=$(awk -v h="$hours" 'BEGIN { s = int((h + 1) * 3600 + 0.5); if (s > 43200) s = 43200; if (s < 3600) s = 3600; print s }')
if awk -v h="$hours" 'BEGIN { exit !(h + 1 > 12) }'; then
    ns_act_log "max-hours $hours: a role session lasts at most 12 h; the tool refuses credentials that expire before the job's deadline"
fi

ns_act_output bundle "$bundle"
ns_act_output session-seconds "$secs"
ns_act_output mode "$mode"
if [ "$mode" = verify-only ]; then
    ns_act_summary "## nitrosetup: verify a bundle" "" "Circuit \`$NS_CIRCUIT\`, bundle \`$NS_BUNDLE\`." ""
else
    ns_act_summary "## nitrosetup: trusted setup on AWS Nitro" "" "Circuit \`$NS_CIRCUIT\`, region \`${NS_REGION:-}\`." ""
fi
