#!/usr/bin/env bash
# zkey new on large synthetic circuits against a power-16 ptau, where
# snarkjs's circuit hash has its quirks (docs/snarkjs-formats.md, "Circuit hash"):
#  * n = 2^16 == 2^power: n H points hashed, the last one read past ptau
#    section 2 and combined with wasm's unreduced arithmetic;
#  * n = 2^15 < 2^power: n H points, the extra one a genuine point.
# Byte-identical output to snarkjs, including the csHash in section 10.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
PTAU=$(ns_ptau 16)
for spec in 40000:3:5:16 16400:2:3:15; do
    IFS=: read -r m npub nprv k <<<"$spec"
    ns_log "synthetic m=$m nPub=$npub (domain 2^$k)"
    ns_synth_r1cs "s$k.r1cs" "$m" "$npub" "$nprv" "$k" || ns_fail "synth r1cs"
    "$NS_BIN" r1cs info "s$k.r1cs" --json | grep "\"domainPower\": $k," >/dev/null || ns_fail "domain of s$k"
    ns_check "snarkjs zkey new 2^$k" ns_snarkjs zkey new "s$k.r1cs" "$PTAU" "sj$k.zkey"
    ns_check "our zkey new 2^$k" "$NS_BIN" zkey new "s$k.r1cs" "$PTAU" "ns$k.zkey" --quiet
    ns_same "sj$k.zkey" "ns$k.zkey" "zkey new, domain 2^$k"
done
ns_pass
