#!/usr/bin/env bash
# Differential test of our Keccak-256 (src/util/keccak.c) against @noble/hashes:
# every message length 0..300 (the 136-byte rate boundaries included) and a
# few long ones, random bytes from a seed, hashed by noble
# (oracles/keccak_vectors.js) and checked by the unit-test driver
# <build>/tests/test_util (which also re-runs its known answers).
set -euo pipefail
: "${NS_BIN:?}" "${NS_COMPAT:?}" "${NS_TMP:=/tmp}"
build=$(dirname "$NS_BIN")
driver="$build/tests/test_util"
[ -x "$driver" ] || { echo "missing $driver" >&2; exit 1; }
mkdir -p "$NS_TMP"
T=$(mktemp -d "${NS_TMP%/}/keccak_noble.XXXXXX")
trap 'rm -rf "$T"' EXIT
seed=${NS_TEST_SEED:-$(date +%s)}
echo "keccak_noble: seed $seed"
(cd "$NS_COMPAT" && node oracles/keccak_vectors.js "$T/vectors.txt" "$seed")
NS_KECCAK_VECTORS="$T/vectors.txt" "$driver" | tee "$T/out"
grep -q "messages checked against @noble/hashes, 0 differ" "$T/out"
