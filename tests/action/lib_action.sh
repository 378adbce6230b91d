# Shared by the action tests (sourced after tests/compat/lib.sh, with $W set).
#
#   ns_act_release          makes a "release" of the build tree's program in
#                           $W: VERSION, SHA (of the tarball), URL (file://)
#   ns_act NAME DIR ARGS... runs action.yml with the local runner in DIR (the
#                           workspace), ARGS as its inputs and options; RC,
#                           output in $W/NAME.log, runner files in $W/NAME.wd
#   ns_act_out NAME OUTPUT  an output of the action
#   ns_act_step NAME ID     a step's outcome (success, failure, skipped, ...)
#   ns_act_has NAME TEXT    fail unless the job summary holds TEXT
# shellcheck shell=bash
# shellcheck disable=SC2034 # RC, VERSION, SHA, URL are for the test that sources this

NS_ACT_RUN=$NS_SOURCE/tests/action/run-action.sh
NS_ACT_YML=$NS_SOURCE/action.yml

ns_act_release() {
    VERSION=$("$NS_BIN" --version | sed -n 's/^nitrosetup //p')
    [ -n "$VERSION" ] || ns_fail "nitrosetup --version says nothing usable"
    rm -rf "$W/rel" && mkdir -p "$W/rel/nitrosetup-$VERSION/bin"
    cp "$NS_BIN" "$W/rel/nitrosetup-$VERSION/bin/nitrosetup"
    tar -C "$W/rel" -czf "$W/nitrosetup-$VERSION.tar.gz" "nitrosetup-$VERSION"
    SHA=$(sha256sum "$W/nitrosetup-$VERSION.tar.gz" | cut -d' ' -f1)
    URL="file://$W/nitrosetup-$VERSION.tar.gz"
}

ns_act() {
    local name=$1 dir=$2
    shift 2
    RC=0
    (cd "$dir" && GITHUB_WORKSPACE=$PWD "$NS_ACT_RUN" "$NS_ACT_YML" \
        nitrosetup-version="$VERSION" nitrosetup-sha256="$SHA" nitrosetup-url="$URL" \
        "$@" --workdir "$W/$name.wd" >"$W/$name.log" 2>&1) || RC=$?
}

ns_act_out() { jq -r ".\"$2\"" "$W/$1.wd/outputs.json"; }
ns_act_step() { jq -r ".[] | select(.id == \"$2\") | .outcome" "$W/$1.wd/steps.json"; }
ns_act_has() {
    grep -qF -- "$2" "$W/$1.wd/summary.md" ||
        { cat "$W/$1.wd/summary.md" >&2; ns_fail "$1: the job summary lacks '$2'"; }
}
