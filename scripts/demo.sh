#!/usr/bin/env bash
# The main job on a bundled example: installs what is missing, builds, runs a
# complete local ceremony (host + enclave as a child process, simulated NSM)
# on examples/multiplier.circom and verifies the resulting bundle.
#   scripts/demo.sh [circuit.circom] [out-dir]
# The ptau is the published Hermez file, downloaded by the ceremony itself
# (or found in its cache).  When it cannot be downloaded (no network access)
# the demo says so and makes a small test ptau locally instead (snarkjs, as
# the tests do: tests/ptau.sh), and pins it with --trust-ptau: such a file is
# not in the Hermez table, so ceremony and verify accept it only by its hash.
# Without network access the drand round is simulated too (--drand-sim) and
# the bundle is marked SIMULATED; set NS_DEMO_REAL_DRAND=1 to use the real
# drand network.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
circuit=${1:-examples/multiplier.circom}
out=${2:-out/demo}
bin=build/nitrosetup
export PATH="$PWD/tests/compat/node_modules/.bin:$PATH"
drand_args=(--drand-sim)
[ -n "${NS_DEMO_REAL_DRAND:-}" ] && drand_args=()
verify_args=()
[ -z "${NS_DEMO_REAL_DRAND:-}" ] && verify_args=(--allow-simulated)
rm -rf "$out"
mkdir -p "$(dirname "$out")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

ptau_args=()
rc=0
# stderr is shown and kept in $log (stdout goes around the pipe through fd 3)
{ "$bin" ceremony --local "$circuit" -o "$out" --circom circom2 "${drand_args[@]}" 2>&1 1>&3 |
    tee "$log" >&2; } 3>&1 || rc=$?
[ -d "$out" ] || rc=1
if [ "$rc" -ne 0 ]; then
    # Only a failed download of the Hermez file leads to the local ptau.
    grep -q "download failed" "$log" || exit 1
    power=$(sed -n 's/.*powersOfTau28_hez_final_\([0-9][0-9]\)\.ptau.*/\1/p' "$log" | head -1)
    [ -n "$power" ] || exit 1
    echo "demo: the Hermez ptau cannot be downloaded (no network access?); making a local test ptau of power $((10#$power)) instead (tests/ptau.sh) and pinning it"
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/nitrosetup-test/ptau
    NS_PTAU_GEN=$PWD/build/tests/ns_ptau_gen bash tests/ptau.sh "$cache" "$((10#$power))"
    ptau=$cache/pot$power.ptau
    hash=$("$bin" ptau hash "$ptau" --json | sed -n 's/.*"blake2b512": *"\([0-9a-f]*\)".*/\1/p')
    [ ${#hash} -eq 128 ] || { echo "demo: cannot hash $ptau" >&2; exit 1; }
    ptau_args=(--ptau "$ptau" --trust-ptau "$hash")
    "$bin" ceremony --local "$circuit" -o "$out" --circom circom2 "${drand_args[@]}" "${ptau_args[@]}"
fi
"$bin" verify "$out" "${ptau_args[@]}" "${verify_args[@]}"
echo "demo: bundle in $out"
