# Shared by tests/aws/ceremony_*.test.sh (sourced, not a test): a twin in
# $W/twin with its env loaded, a state directory of the test's own, the job
# bucket, the host tarball, and helpers to run `nitrosetup ceremony` in the
# background, wait for a line of its output, send it Ctrl-C and check that
# the twin has nothing live.
source "$NS_COMPAT/lib.sh"
ns_ceremony_setup
TWD=$W/twin
twin_cleanup() {
    local p
    for p in $(jobs -p); do kill -9 "$p" 2>/dev/null || true; done
    "$NS_TWIN" down "$TWD" >/dev/null 2>&1 || true
}
trap twin_cleanup EXIT
[ -x /usr/bin/aws ] || ns_fail "/usr/bin/aws missing (Debian package awscli)"
"$NS_TWIN" up "$TWD" >"$W/twin-up.log" 2>&1 || { cat "$W/twin-up.log" "$TWD/prepare.log" >&2 || true; ns_fail "twin up failed"; }
# shellcheck disable=SC1091
. "$TWD/env"
[ -f "${NITROSETUP_TWIN_EIF:-}" ] || ns_fail "the twin made no test enclave image (NITROSETUP_TWIN_EIF)"
export XDG_STATE_HOME=$W/state
# polls cost CPU (each is an AWS CLI run) that the twin's instance needs more
export NITROSETUP_POLL_S=${NITROSETUP_POLL_S:-3}
"$NS_BIN" aws setup >"$W/setup.log" 2>&1 || { cat "$W/setup.log" >&2; ns_fail "aws setup failed"; }
bash "$NS_SOURCE/scripts/build-host-bundle.sh" "$W/host.tar.gz" "$NS_BIN" >"$W/host-bundle.json" 2>"$W/host-bundle.log" ||
    { cat "$W/host-bundle.log" >&2; ns_fail "build-host-bundle.sh failed"; }
# the test ptau in the twin's mirror bucket, where the host looks first
"$NITROSETUP_AWS" --profile ptau-owner s3 mb s3://twin-ptau-mirror >"$W/mirror.log" 2>&1 || true
"$NITROSETUP_AWS" --profile ptau-owner s3 cp "$P8" "s3://twin-ptau-mirror/ptau/$(basename "$P8")" --no-progress \
    --only-show-errors >"$W/mirror.log" 2>&1 || { cat "$W/mirror.log" >&2; ns_fail "cannot put the test ptau in the mirror"; }
M=$NS_SOURCE/examples/multiplier.circom
# the ceremony's command line against the twin (add -o DIR and more)
CER=("$NS_BIN" ceremony "$M" --yes --eif "$NITROSETUP_TWIN_EIF" --host-bundle "$W/host.tar.gz"
    --ptau "$P8" "${T8[@]}" --drand-sim --circom "$CIRCOM")

# live_count: how many things the twin says are live (running or billing)
live_count() {
    "$NS_TWIN" state "$TWD" | node -e '
let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
  const live = JSON.parse(s).live || [];
  for (const x of live) process.stderr.write("  live: " + JSON.stringify(x) + "\n");
  process.stdout.write(String(live.length));
});'
}

# check_clean WHAT: the twin has nothing live
check_clean() {
    local n
    n=$(live_count) || ns_fail "twin state failed"
    [ "$n" = 0 ] || ns_fail "$1: the twin still has $n live resources"
    ns_log "ok: $1: twin state live is empty"
}

# start_bg LOG ARGS...: runs ARGS in the background with SIGINT at its
# default (a background job of a script would ignore it); PID is set
start_bg() {
    local log=$1
    shift
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@" >"$log.out" 2>"$log" &
    PID=$!
}

# wait_log LOG PATTERN SECONDS: until grep -E PATTERN matches LOG (fails
# when the process PID ended first or the time ran out)
wait_log() {
    local i
    for i in $(seq $(($3 * 10))); do
        grep -qE "$2" "$1" 2>/dev/null && return 0
        if ! kill -0 "$PID" 2>/dev/null; then
            grep -qE "$2" "$1" 2>/dev/null && return 0
            cat "$1" >&2
            ns_fail "the process ended before '$2' appeared in $1"
        fi
        sleep 0.1
    done
    cat "$1" >&2
    ns_fail "'$2' did not appear in $1 within $3 s"
}

# wait_exit: waits for PID; RC gets its exit code
wait_exit() {
    RC=0
    wait "$PID" || RC=$?
}

# job_of LOG: the job id the ceremony announced
job_of() { grep -oE 'job [0-9]{8}-[0-9]{4}-[0-9a-f]{6}' "$1" | head -1 | cut -d' ' -f2; }

# expect_in LOG PATTERN WHAT
expect_in() {
    grep -qE "$2" "$1" || { cat "$1" >&2; ns_fail "$3: no '$2' in $1"; }
    ns_log "ok: $3"
}

# proof_all_ok FILE: every check of an aws-teardown.json passed
proof_all_ok() {
    node -e '
const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (p.format !== "nitrosetup-teardown-1" || p.ok !== true || !Array.isArray(p.checks) || p.checks.length < 10 ||
    p.checks.some((c) => c.ok !== true)) { console.error(JSON.stringify(p.checks.filter((c) => !c.ok))); process.exit(1); }' "$1" ||
        ns_fail "$1: not an all-passed teardown proof"
    ns_log "ok: $1: every check of the proof passed"
}
