#!/usr/bin/env bash
# zkey export verificationkey: the same JSON bytes as snarkjs 0.7.6 (bfj
# layout, no trailing newline, vk_alphabeta_12 from our pairing), for a
# fresh key and for a key after a snarkjs contribution and beacon; bad
# input fails with one line and no output.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
for spec in multi_io:8 range_check:8; do
    name=${spec%%:*}
    ns_compile "$NS_SOURCE/examples/$name.circom" "$W/c"
    R1CS=$W/c/$name.r1cs
    PTAU=$(ns_ptau "${spec##*:}")
    ns_check "our zkey new" "$NS_BIN" zkey new "$R1CS" "$PTAU" k0.zkey --quiet
    ns_check "snarkjs contribute" ns_snarkjs zkey contribute k0.zkey k1.zkey -n="export test" -e="entropy $name"
    ns_check "snarkjs beacon" ns_snarkjs zkey beacon k1.zkey k2.zkey 0102030405060708090a0b0c0d0e0f 10 -n="final"
    for k in k0 k2; do
        ns_check "snarkjs export $k" ns_snarkjs zkey export verificationkey "$k.zkey" "sj_$k.json"
        ns_check "our export $k" "$NS_BIN" zkey export verificationkey "$k.zkey" "ns_$k.json"
        ns_same "sj_$k.json" "ns_$k.json" "vk of $name/$k"
    done
    # zkey info sees both contributions and prints snarkjs's contribution hashes
    ns_snarkjs zkey verify "$R1CS" "$PTAU" k2.zkey >verify.log 2>&1 || true
    "$NS_BIN" zkey info k2.zkey >info.txt || ns_fail "zkey info"
    want=$(grep -A4 "contribution #2 final" verify.log | tail -4 | tr -d ' \t\n')
    got=$(grep -A6 '#2 beacon "final"' info.txt | tail -4 | tr -d ' \t\n')
    [ -n "$want" ] && [ "$want" = "$got" ] || ns_fail "contribution hash of the beacon: $want vs $got"
done
# a truncated key: one-line error naming the file, no output
head -c 3000 k2.zkey >bad.zkey
ns_check_fails "truncated zkey" "$NS_BIN" zkey export verificationkey bad.zkey bad.json
grep -q "^nitrosetup: bad.zkey: " "$W/last.log" || ns_fail "message: $(cat "$W/last.log")"
[ ! -e bad.json ] || ns_fail "output left behind"
ns_pass
