#!/usr/bin/env bash
# Step "verify": `nitrosetup verify BUNDLE --circuit CIRCUIT [-l DIR]... --json`
# (both attestations, the enclave image's PCRs, the ptau, the drand round, the
# contributions, the zkey against the r1cs and the ptau, every manifest hash,
# and that the bundle's circuit is exactly the given source).  The report goes
# to the job summary, one ✓/✗ line per check, and to RUNNER_TEMP as
# verify-report.json (the output report).  Fails unless every check passed and, with
# require-trusted (the default), the verdict is TRUSTED.
# The zkey check needs the ptau: the input ptau, else the Hermez file the
# manifest names, downloaded (from NITROSETUP_PTAU_URL_BASE, default
# Hermez's) into RUNNER_TEMP; verify itself checks its BLAKE2b-512.
# Inputs: NS_BUNDLE (absolute) NS_CIRCUIT NS_INCLUDE NS_PTAU NS_VERIFY_ARGS
#         NS_REQUIRE_TRUSTED
# Outputs: bundle-path, verified (true|false), trusted (true|false), report
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

ns=$(ns_act_tool)
bundle=$NS_BUNDLE
[ -f "$bundle/manifest.json" ] || ns_act_die "$bundle: no manifest.json (not a bundle)"
includes=() extra=()
ns_act_lines includes "${NS_INCLUDE:-}"
ns_act_words extra "${NS_VERIFY_ARGS:-}"
args=(verify "$bundle" --circuit "$NS_CIRCUIT")
for d in "${includes[@]}"; do args+=(-l "$d"); done

ptau=${NS_PTAU:-}
if [ -z "$ptau" ]; then
    name=$(jq -r '.ptau.name // empty' "$bundle/manifest.json" 2>/dev/null) ||
        ns_act_die "$bundle/manifest.json: not JSON"
    if [[ $name =~ ^powersOfTau28_hez_final(_[0-9]{2})?\.ptau$ ]]; then
        ptau="$RUNNER_TEMP/ptau/$name"
        if [ ! -f "$ptau" ]; then
            base=${NITROSETUP_PTAU_URL_BASE:-https://storage.googleapis.com/zkevm/ptau/}
            mkdir -p "$RUNNER_TEMP/ptau"
            ns_act_log "downloading ${base%/}/$name for the zkey check"
            curl -fsSL --proto '=https,http' --retry 3 -o "$ptau.part" "${base%/}/$name" ||
                ns_act_die "cannot download ${base%/}/$name (give the input ptau)"
            mv "$ptau.part" "$ptau"
        fi
    else
        ns_act_die "$bundle/manifest.json: the ptau '$name' is not a Hermez file: give the input ptau"
    fi
fi
args+=(--ptau "$ptau" "${extra[@]}" --json)

report="$RUNNER_TEMP/verify-report.json"
rc=0
"$ns" "${args[@]}" >"$report" 2>"$RUNNER_TEMP/verify.err" || rc=$?
cat "$RUNNER_TEMP/verify.err" >&2
# (jq -s: jq 1.6 -e succeeds on an empty file)
if ! jq -s -e 'length == 1 and (.[0] | type == "object" and has("ok") and (.checks | type == "array"))' "$report" >/dev/null 2>&1; then
    ns_act_summary "### Verification" "" "- ✗ \`nitrosetup verify\` did not run (exit $rc): $(ns_act_md_escape "$(tail -n 1 "$RUNNER_TEMP/verify.err")")" ""
    ns_act_output verified false
    ns_act_output trusted false
    ns_act_die "nitrosetup verify failed (exit $rc): $(tail -n 1 "$RUNNER_TEMP/verify.err")"
fi
ok=$(jq -r '.ok' "$report")
trusted=$(jq -r '.trusted' "$report")
ns_act_summary "### Verification" ""
jq -r '.checks[] | "\(.status)\t\(.check)\t\(.detail)"' "$report" | while IFS=$'\t' read -r st name detail; do
    case "$st" in
    ok) mark=✓ ;;
    warn) mark=⚠ ;;
    *) mark=✗ ;;
    esac
    ns_act_summary "- $mark **$(ns_act_md_escape "$name")** $(ns_act_md_escape "$detail")"
done
warns=$(jq -r '[.warnings[].check] | join("; ")' "$report")
[ -z "$warns" ] || ns_act_summary "" "Warnings: $(ns_act_md_escape "$warns")"
if [ "$ok" != true ]; then
    verdict="✗ **FAILED**"
elif [ "$trusted" = true ]; then
    verdict="✓ **TRUSTED**: every check passed"
else
    verdict="⚠ **NOT TRUSTED**: the checks passed with warnings$(jq -r 'if .simulated then " (a SIMULATED bundle)" else "" end' "$report")"
fi
ns_act_summary "" "Result: $verdict" ""
ns_act_output bundle-path "$bundle"
ns_act_output verified "$ok"
ns_act_output trusted "$trusted"
ns_act_output report "$report"
[ "$ok" = true ] || ns_act_die "the bundle does not verify: $(jq -r '[.checks[] | select(.status != "ok" and .status != "warn") | .check] | join(", ")' "$report")"
if [ "$NS_REQUIRE_TRUSTED" = true ] && [ "$trusted" != true ]; then
    ns_act_die "the bundle verifies but is NOT TRUSTED (warnings: $warns); set require-trusted: false to accept that"
fi
exit 0
