#!/usr/bin/env bash
# Differential test of the BLS12-381 code against @noble/curves: random keys
# and messages signed by noble (G1 short signatures and G2 signatures, drand
# DSTs) plus mutated signatures must get noble's verdict from
# bls_verify_sig_g1_var/_g2_var, and hash_to_curve (G1 and G2, random DSTs up to 300
# bytes) must give noble's points.  The vectors are generated into $NS_TMP by
# oracles/bls_vectors.js and checked by the unit-test driver
# <build>/tests/test_bls12_381_verify (which also re-runs its built-in vectors).
set -euo pipefail
: "${NS_BIN:?}" "${NS_COMPAT:?}" "${NS_TMP:=/tmp}"
build=$(dirname "$NS_BIN")
driver="$build/tests/test_bls12_381_verify"
[ -x "$driver" ] || { echo "missing $driver" >&2; exit 1; }
mkdir -p "$NS_TMP"
T=$(mktemp -d "${NS_TMP%/}/bls_noble.XXXXXX")
trap 'rm -rf "$T"' EXIT
count=${NS_BLS_DIFF_COUNT:-12}
seed=${NS_TEST_SEED:-$(date +%s)}
echo "bls_noble: count $count seed $seed"
(cd "$NS_COMPAT" && node oracles/bls_vectors.js "$T/vectors.json" "$count" "$seed")
NS_BLS_DIFF_VECTORS="$T/vectors.json" "$driver"
