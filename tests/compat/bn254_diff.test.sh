#!/usr/bin/env bash
# Differential test of the BN254 arithmetic (fields, sqrt, inverses, Fq12,
# Frobenius, G1/G2 add/dbl/mul incl. special cases, LEM/U encodings, pairing,
# snarkjs RNG samplers and hashToG2) against ffjavascript 0.3.1 and
# @noble/curves: a node oracle writes ~30k seeded cases, the C driver
# tests/unit/test_bn254_vectors.c (built next to the other unit tests)
# checks them.  NS_BN254_SEED / NS_BN254_SCALE change the seed / the size.
source "$(dirname "$0")/lib.sh"

ns_workdir
driver="$(dirname "$NS_BIN")/tests/test_bn254_vectors"
[ -x "$driver" ] || ns_fail "driver not built: $driver"

seed=${NS_BN254_SEED:-20261125}
scale=${NS_BN254_SCALE:-1}
ns_log "generating vectors (seed $seed, scale $scale)"
ns_check "oracle" ns_node "$NS_COMPAT/oracles/bn254_vectors.js" "$W/vectors.txt" "$seed" "$scale"
ns_log "$(cat "$W/check.log")"

ns_log "checking with $driver"
if ! NS_BN254_VECTORS="$W/vectors.txt" "$driver" >"$W/driver.log" 2>&1; then
    tail -30 "$W/driver.log" >&2
    ns_fail "C arithmetic differs from the oracles (vectors kept in $W)"
fi
ns_log "$(tail -2 "$W/driver.log" | tr '\n' ' ')"

# The driver must be able to fail: corrupt one expected pairing value.
awk '/^pairing /&&!d{c=substr($0,length($0),1); $0=substr($0,1,length($0)-1) (c=="1"?"2":"1"); d=1} {print}' \
    "$W/vectors.txt" >"$W/bad.txt"
if NS_BN254_VECTORS="$W/bad.txt" "$driver" >"$W/bad.log" 2>&1; then
    ns_fail "driver accepted a corrupted pairing vector"
fi
ns_pass
