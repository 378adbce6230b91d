# Shared helpers for the compatibility tests (sourced, never run directly).
#
#   source "$(dirname "$0")/lib.sh"
#
# Environment (set by CTest; sensible defaults when a test is run by hand
# from a build tree):
#   NS_BIN     our nitrosetup binary
#   NS_SOURCE  repository root
#   NS_VECTORS the public test vectors (tests/vectors)
#   NS_PTAU_DIR the prepared test ptau files tests/ptau.sh made (CTest's
#              setup.ptau fixture)
#   NS_COMPAT  tests/compat (node_modules with the npm oracles)
#   NS_TMP     scratch directory; each test gets its own subdirectory
#
# Provides:
#   ns_snarkjs ARGS...          run the snarkjs 0.7.6 CLI
#   ns_node SCRIPT ARGS...      run a node oracle script (NODE_PATH set)
#   ns_vectors                  set V to tests/vectors (or $NS_VECTORS)
#   ns_ptau POWER               path of the smallest test ptau >= POWER
#   ns_workdir                  fresh per-test scratch dir in $W (removed on success)
#   ns_compile CIRCUIT OUTDIR   circom2 -> OUTDIR/<name>.r1cs and <name>_js/<name>.wasm
#   ns_synth_r1cs OUT M NPUB NPRV  synthetic r1cs (M constraints) via the node oracle
#   ns_check DESC CMD...        run CMD, fail the test unless it exits 0
#   ns_check_fails DESC CMD...  run CMD, fail unless it exits non-zero without crashing
#   ns_same FILE1 FILE2 DESC    fail unless the files are byte-identical
#   ns_sj_verify R1CS PTAU ZKEY snarkjs zkey verify; returns 0 only on "ZKey Ok!"
#   ns_fail MSG / ns_pass       end the test
# shellcheck shell=bash

set -euo pipefail

_ns_lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${NS_COMPAT:=$_ns_lib_dir}"
: "${NS_SOURCE:=$(cd "$NS_COMPAT/../.." && pwd)}"
: "${NS_VECTORS:=$NS_SOURCE/tests/vectors}"
: "${NS_PTAU_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/nitrosetup-test/ptau}"
: "${NS_BIN:=$NS_SOURCE/build/nitrosetup}"
: "${NS_TMP:=${TMPDIR:-/tmp}/ns-compat-$(id -u)}"
export NS_COMPAT NS_SOURCE NS_VECTORS NS_PTAU_DIR NS_BIN NS_TMP

NS_NODE_MODULES="$NS_COMPAT/node_modules"
NS_SNARKJS_CLI="$NS_NODE_MODULES/snarkjs/build/cli.cjs"
NS_CIRCOM2_CLI="$NS_NODE_MODULES/circom2/cli.js"
NS_TEST_NAME=$(basename "$0" .test.sh)

if [ ! -x "$NS_BIN" ]; then
    echo "FAIL: nitrosetup binary not found at $NS_BIN" >&2
    exit 1
fi
if [ ! -f "$NS_SNARKJS_CLI" ]; then
    echo "FAIL: npm oracles missing: run 'npm ci' in tests/compat (or link node_modules)" >&2
    exit 1
fi

ns_fail() {
    echo "FAIL: $NS_TEST_NAME: $*" >&2
    exit 1
}

ns_pass() {
    echo "PASS: $NS_TEST_NAME"
    if [ -n "${W:-}" ] && [ -z "${NS_KEEP:-}" ]; then rm -rf "$W"; fi
    exit 0
}

ns_log() { echo "-- $*"; }

ns_snarkjs() { node "$NS_SNARKJS_CLI" "$@"; }

ns_node() {
    local script=$1
    shift
    NODE_PATH="$NS_NODE_MODULES" node "$script" "$@"
}

ns_vectors() {
    V=$NS_VECTORS
    [ -d "$V" ] || ns_fail "test vectors not found at $V"
}

# BLAKE2b-512 of a file (coreutils b2sum: an implementation independent of
# ours), e.g. for --trust-ptau.
ns_pin() { b2sum "$1" | cut -d' ' -f1; }

# Smallest test ptau whose power is >= $1 (tests/ptau.sh makes 8, 10, 12
# with snarkjs, 14 and 16 with ns_ptau_gen).
# ns_ceremony_setup: the common start of the ceremony tests: a fresh $W (cd'd
# into), CIRCOM (the npm circom2), P8 (the cached power-8 test ptau) and T8
# (the --trust-ptau option that pins it, as an array).
ns_ceremony_setup() {
    ns_workdir
    cd "$W" || ns_fail "cannot enter $W"
    CIRCOM="node $NS_CIRCOM2_CLI"
    P8=$(ns_ptau 8)
    T8=(--trust-ptau "$(ns_pin "$P8")")
}

ns_ptau() {
    local want=$1 p f
    for p in 08 10 12 14 16; do
        if [ $((10#$p)) -ge "$want" ]; then
            f="$NS_PTAU_DIR/pot$p.ptau"
            [ -f "$f" ] || ns_fail "missing test ptau $f (made by CTest's setup.ptau, or tests/ptau.sh $NS_PTAU_DIR $((10#$p)))"
            echo "$f"
            return 0
        fi
    done
    ns_fail "no test ptau of power >= $want"
}

# Creates $W, a fresh scratch directory for this test.
ns_workdir() {
    mkdir -p "$NS_TMP"
    W=$(mktemp -d "$NS_TMP/$NS_TEST_NAME.XXXXXX")
    export W
}

# ns_compile CIRCUIT.circom OUTDIR: circom2 is a WASI program that can only
# see files below its working directory, so the circuit and circomlib's
# circuits are copied into OUTDIR first.
ns_compile() {
    local src=$1 out=$2 name
    name=$(basename "$src" .circom)
    mkdir -p "$out/inc/circomlib"
    cp "$src" "$out/$name.circom"
    [ -d "$out/inc/circomlib/circuits" ] ||
        cp -r "$NS_NODE_MODULES/circomlib/circuits" "$out/inc/circomlib/"
    (cd "$out" && node "$NS_CIRCOM2_CLI" "$name.circom" --r1cs --wasm -l inc -o . >"$name.circom.log" 2>&1) ||
        { cat "$out/$name.circom.log" >&2; ns_fail "circom2 failed on $src"; }
    [ -f "$out/$name.r1cs" ] || ns_fail "circom2 wrote no $out/$name.r1cs"
}

# ns_synth_r1cs OUT M NPUB NPRV [SEED]
ns_synth_r1cs() {
    ns_node "$NS_COMPAT/oracles/synth_r1cs.js" "$@"
}

ns_check() {
    local desc=$1
    shift
    local log="$W/check.log"
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        ns_fail "$desc: command failed: $*"
    fi
}

# Expect failure: exit status 1..125 (not a signal / crash).  The output is
# left in $W/last.log for inspection.
ns_check_fails() {
    local desc=$1
    shift
    local rc=0
    "$@" >"$W/last.log" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ]; then
        cat "$W/last.log" >&2
        ns_fail "$desc: accepted (exit 0): $*"
    fi
    if [ "$rc" -ge 126 ]; then
        cat "$W/last.log" >&2
        ns_fail "$desc: crashed (exit $rc): $*"
    fi
}

ns_same() {
    cmp -s "$1" "$2" || ns_fail "$3: $1 and $2 differ"
}

# snarkjs prints errors but exits 0 on several failures: trust only its
# final "ZKey Ok!" line together with exit 0.
ns_sj_verify() {
    local out rc=0
    out=$(ns_snarkjs zkey verify "$1" "$2" "$3" 2>&1) || rc=$?
    echo "$out" >"$W/sj_verify.log"
    [ "$rc" -eq 0 ] && grep -q "ZKey Ok!" <<<"$out"
}

# snarkjs log without colours and "[INFO]  snarkJS: " prefixes, from the
# last "Circuit Hash:" line on (what zkey verify prints after its checks).
ns_sj_listing() {
    sed 's/\x1b\[[0-9;]*m//g; s/^\[INFO\]  snarkJS: //' "$1" |
        awk '/^Circuit Hash: $/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }'
}

# Our verify, quiet; returns its exit status.
ns_our_verify() {
    "$NS_BIN" zkey verify "$@" >"$W/our_verify.log" 2>&1
}
