# Shared by the step scripts of the GitHub Action (action.yml at the
# repository root); sourced, never run.  Each script reads its inputs from
# NS_* environment variables that action.yml sets from the action's inputs
# (never from ${{ }} pasted into shell code), and talks to the runner through
# the files GitHub names: GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH,
# GITHUB_STEP_SUMMARY.  All of them run the same without GitHub
# (tests/action/run-action.sh).
# shellcheck shell=bash

set -euo pipefail

: "${RUNNER_TEMP:?RUNNER_TEMP is not set (run inside GitHub Actions or tests/action/run-action.sh)}"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
: "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set}"
: "${GITHUB_WORKSPACE:=$PWD}"

NS_ACT=${NS_ACT:-$(basename "$0" .sh)}

# The tool keeps its job state files under $XDG_STATE_HOME/nitrosetup/jobs/
# (docs/aws-job.md); a directory of this run's own makes "the jobs this run
# created" exactly the files found there.
export XDG_STATE_HOME="$RUNNER_TEMP/nitrosetup-state"
NS_ACT_JOBS_DIR="$XDG_STATE_HOME/nitrosetup/jobs"

# ns_act_die MESSAGE: one line naming the step and the problem, exit 1.
# (::error:: makes GitHub show it as an annotation.)
ns_act_die() {
    echo "::error title=nitrosetup $NS_ACT::$*" >&2
    exit 1
}

ns_act_log() { echo "nitrosetup-action: $NS_ACT: $*" >&2; }

# ns_act_output NAME VALUE: a step output (the heredoc form, so that a value
# may hold anything but the random delimiter).
ns_act_output() {
    local d
    d="ns_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
    printf '%s<<%s\n%s\n%s\n' "$1" "$d" "$2" "$d" >>"$GITHUB_OUTPUT"
}

ns_act_summary() { printf '%s\n' "$@" >>"$GITHUB_STEP_SUMMARY"; }

# ns_act_bool NAME VALUE: 'true' or 'false' (as GitHub's boolean inputs
# arrive: strings), anything else is an error.
ns_act_bool() {
    case "$2" in
    true | false) ;;
    *) ns_act_die "input $1: expected true or false, not '$2'" ;;
    esac
}

# The nitrosetup program: what the install step recorded in GITHUB_ENV, else
# the one on PATH.
ns_act_tool() {
    if [ -n "${NITROSETUP:-}" ]; then
        [ -x "$NITROSETUP" ] || ns_act_die "NITROSETUP=$NITROSETUP is not an executable"
        echo "$NITROSETUP"
    elif command -v nitrosetup >/dev/null 2>&1; then
        command -v nitrosetup
    else
        ns_act_die "nitrosetup is not installed (the install step failed or did not run)"
    fi
}

# ns_act_lines VAR TEXT: the non-empty lines of TEXT (leading and trailing
# blanks trimmed) into the array VAR: the form of the include input (one
# directory per line).
ns_act_lines() {
    local -n _out=$1
    local line
    _out=()
    while IFS= read -r line || [ -n "$line" ]; do
        line="${line#"${line%%[![:space:]]*}"}"
        line="${line%"${line##*[![:space:]]}"}"
        if [ -n "$line" ]; then _out+=("$line"); fi
    done <<<"$2"
}

# ns_act_words VAR TEXT: the words of TEXT (split at blanks and newlines, no
# quoting, no globbing) into the array VAR: the form of the ceremony-args and
# verify-args inputs (e.g. one option and its value per line).
ns_act_words() {
    local -n _w=$1
    local line part
    _w=()
    while IFS= read -r line || [ -n "$line" ]; do
        read -r -a part <<<"$line"
        _w+=("${part[@]}")
    done <<<"$2"
}

# ns_act_has_opt OPTION SUBCOMMAND...: whether `nitrosetup SUBCOMMAND --help`
# lists OPTION (the local tool grows options; the action uses one only when
# the installed version has it).
ns_act_has_opt() {
    local opt=$1 help
    shift
    # (captured first: with pipefail, grep -q leaving early could fail the pipe)
    help=$("$(ns_act_tool)" "$@" --help 2>&1) || true
    grep -q -- "$opt\b" <<<"$help"
}

# The job ids this run created: one state file each.
ns_act_state_jobs() {
    local f
    [ -d "$NS_ACT_JOBS_DIR" ] || return 0
    for f in "$NS_ACT_JOBS_DIR"/*.json; do
        [ -e "$f" ] || continue
        f=$(basename "$f" .json)
        ns_act_valid_job "$f" && echo "$f"
    done
}

ns_act_valid_job() { [[ $1 =~ ^[a-z0-9][a-z0-9-]{6,38}[a-z0-9]$ ]]; }

# ns_act_run LOG CMD...: runs CMD with its output (stdout and stderr) in LOG,
# shown as it comes,
# and passes the runner's cancellation on.  GitHub cancels a step by sending
# SIGINT to the step's shell only (7.5 s later SIGTERM, 2.5 s later it kills
# the process tree); a shell waiting for a child does not pass a signal on,
# and a child it starts in the background inherits SIGINT ignored.  So CMD
# runs in the background with SIGINT and SIGTERM at their defaults, and the
# traps forward each signal to it: the tool's own interrupt handling (the
# first: tear down; the second: keep the state and print the resume command)
# gets the runner's two signals.  Returns CMD's exit status.
ns_act_run() {
    local log=$1 pid rc tailpid
    shift
    : >"$log"
    # the command writes the log itself (complete when it has ended); tail
    # shows it live and ends once the command has and the rest is shown
    env --default-signal=INT,TERM "$@" >>"$log" 2>&1 &
    pid=$!
    tail -n +1 -s 0.2 -f --pid="$pid" "$log" >&2 &
    tailpid=$!
    trap 'ns_act_log "cancelled: SIGINT to $1"; kill -INT $pid 2>/dev/null || true' INT
    trap 'ns_act_log "cancelled: SIGTERM to $1"; kill -TERM $pid 2>/dev/null || true' TERM
    while :; do
        rc=0
        wait "$pid" || rc=$?
        # wait returns early (>128) when a trapped signal arrives
        kill -0 "$pid" 2>/dev/null || break
    done
    trap - INT TERM
    wait "$tailpid" 2>/dev/null || true
    return "$rc"
}

# Markdown line of one check: ✓ / ✗ / ⚠ / – then the name and the detail.
ns_act_md_escape() { sed 's/[|*_`<>]/\\&/g' <<<"$1"; }
