#!/usr/bin/env bash
# zkey new on hand-made edge-case circuits (no constraints, repeated wires
# in one linear combination, empty constraints and columns, unused wires,
# extreme coefficients): byte-identical to snarkjs; export vk identical.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
ns_node "$NS_COMPAT/oracles/r1cs_edge.js" "$W" || ns_fail "r1cs_edge oracle"
PTAU=$(ns_ptau 8)
for e in e0 e1 e2; do
    ns_check "snarkjs zkey new $e" ns_snarkjs zkey new "$e.r1cs" "$PTAU" "sj_$e.zkey"
    ns_check "our zkey new $e" "$NS_BIN" zkey new "$e.r1cs" "$PTAU" "ns_$e.zkey" --quiet
    ns_same "sj_$e.zkey" "ns_$e.zkey" "zkey new $e"
    ns_check "snarkjs export $e" ns_snarkjs zkey export verificationkey "sj_$e.zkey" "sj_$e.json"
    ns_check "our export $e" "$NS_BIN" zkey export verificationkey "ns_$e.zkey" "ns_$e.json"
    ns_same "sj_$e.json" "ns_$e.json" "vk $e"
done
ns_pass
