#!/usr/bin/env bash
# The main job on a bundled example: installs what is missing, builds, runs a
# complete local ceremony (host + enclave as a child process, simulated NSM)
# on examples/multiplier.circom and verifies the resulting bundle.
#   scripts/demo.sh [circuit.circom] [out-dir]
# Without network access the drand round is simulated (--drand-sim) and the
# bundle is marked SIMULATED; set NS_DEMO_REAL_DRAND=1 to use the real drand
# network.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
circuit=${1:-examples/multiplier.circom}
out=${2:-out/demo}
bin=build/nitrosetup
export PATH="$PWD/tests/compat/node_modules/.bin:$PATH"
ptau_args=()
shared=../shared/fixtures/ptau
# A local test ptau is not a Hermez file: it is pinned by its BLAKE2b-512
# (the bundle is simulated anyway).
if [ -f "$shared/pot10.ptau" ]; then
  ptau_args=(--ptau "$shared/pot10.ptau" --trust-ptau "$(b2sum "$shared/pot10.ptau" | cut -d' ' -f1)")
fi
drand_args=(--drand-sim)
[ -n "${NS_DEMO_REAL_DRAND:-}" ] && drand_args=()
rm -rf "$out"
mkdir -p "$(dirname "$out")"
"$bin" ceremony --local "$circuit" -o "$out" --circom circom2 "${ptau_args[@]}" "${drand_args[@]}"
verify_args=()
[ -z "${NS_DEMO_REAL_DRAND:-}" ] && verify_args=(--allow-simulated)
"$bin" verify "$out" "${ptau_args[@]}" "${verify_args[@]}"
echo "demo: bundle in $out"
