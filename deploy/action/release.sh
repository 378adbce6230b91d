#!/usr/bin/env bash
# Step "release": attaches the bundle to a GitHub release with `gh release
# upload` (gh is on GitHub's runners; GH_TOKEN is the workflow's token, which
# needs `contents: write`): one tarball of the bundle and the verification
# report, both named after the job.
# Inputs: NS_RELEASE (tag) NS_BUNDLE (absolute) NS_JOB NS_REPORT GH_TOKEN
# Outputs: assets (the uploaded file names, space-separated)
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

tag=${NS_RELEASE:-}
[ -n "$tag" ] || ns_act_die "input release is empty"
[ -f "$NS_BUNDLE/manifest.json" ] || ns_act_die "$NS_BUNDLE: no manifest.json (not a bundle)"
command -v gh >/dev/null 2>&1 || ns_act_die "gh (the GitHub CLI) is not installed on this runner"
name="nitrosetup-bundle-${NS_JOB:-$(date -u +%Y%m%d-%H%M)}"
out="$RUNNER_TEMP/release"
rm -rf "$out" && mkdir -p "$out"
tar -C "$(dirname "$NS_BUNDLE")" --sort=name --owner=0 --group=0 --numeric-owner \
    --transform "s,^$(basename "$NS_BUNDLE"),$name," -czf "$out/$name.tar.gz" "$(basename "$NS_BUNDLE")"
assets=("$out/$name.tar.gz")
if [ -n "${NS_REPORT:-}" ] && [ -f "$NS_REPORT" ]; then
    cp "$NS_REPORT" "$out/$name.verify.json"
    assets+=("$out/$name.verify.json")
fi
sums=$(cd "$out" && for a in "${assets[@]}"; do sha256sum -- "$(basename "$a")"; done)
echo "$sums" >"$out/$name.sha256"
assets+=("$out/$name.sha256")
gh release upload "$tag" "${assets[@]}" --clobber || ns_act_die "gh release upload $tag failed"
ns_act_summary "Release \`$tag\`: $(for a in "${assets[@]}"; do printf '`%s` ' "$(basename "$a")"; done)" ""
ns_act_output assets "$(for a in "${assets[@]}"; do basename "$a"; done | tr '\n' ' ' | sed 's/ $//')"
