#!/usr/bin/env bash
# zkey new: byte-identical to snarkjs 0.7.6 on the example circuits
# (multi_io: several public outputs/inputs, large and negative
# coefficients; poseidon_preimage: dense LCs; multiplier), same circuit
# hash; r1cs/ptau/zkey info on the results; bad inputs fail cleanly with one
# line naming the file and leave no output.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"

for spec in multi_io:8 poseidon_preimage:10 multiplier:8; do
    name=${spec%%:*}
    power=${spec##*:}
    ns_compile "$NS_SOURCE/examples/$name.circom" "$W/c"
    R1CS=$W/c/$name.r1cs
    PTAU=$(ns_ptau "$power")
    ns_log "$name with $(basename "$PTAU")"
    ns_snarkjs zkey new "$R1CS" "$PTAU" "sj_$name.zkey" >"sj_$name.log" 2>&1 || ns_fail "snarkjs zkey new $name"
    "$NS_BIN" zkey new "$R1CS" "$PTAU" "ns_$name.zkey" >"ns_$name.log" 2>&1 || { cat "ns_$name.log"; ns_fail "our zkey new $name"; }
    ns_same "sj_$name.zkey" "ns_$name.zkey" "zkey new $name"
    # the printed circuit hash equals snarkjs's
    sj_hash=$(grep -A4 "Circuit hash" "sj_$name.log" | tail -4 | tr -d ' \t\n')
    ns_hash=$(grep -A4 "Circuit hash" "ns_$name.log" | tail -4 | tr -d ' \t\n')
    [ -n "$sj_hash" ] && [ "$sj_hash" = "$ns_hash" ] || ns_fail "circuit hash differs for $name: $sj_hash vs $ns_hash"
    # info commands agree with snarkjs's view
    "$NS_BIN" zkey info "ns_$name.zkey" --json >info.json || ns_fail "zkey info $name"
    node -e '
      const i = JSON.parse(require("fs").readFileSync("info.json"));
      const order = i.sectionOrder.join(",");
      if (order !== "1,2,4,3,9,8,5,6,7,10") { console.error("order " + order); process.exit(1); }
      if (i.contributions.length !== 0) process.exit(1);
    ' || ns_fail "zkey info json for $name"
    "$NS_BIN" r1cs info "$R1CS" --json >r1cs.json || ns_fail "r1cs info $name"
    ns_snarkjs r1cs info "$R1CS" >sj_r1cs.log 2>&1
    cons=$(sed -n 's/.*# of Constraints: \([0-9]*\).*/\1/p' sj_r1cs.log)
    wires=$(sed -n 's/.*# of Wires: \([0-9]*\).*/\1/p' sj_r1cs.log)
    grep -q "\"nConstraints\": $cons," r1cs.json || ns_fail "r1cs info constraints ($cons)"
    grep -q "\"nWires\": $wires," r1cs.json || ns_fail "r1cs info wires ($wires)"
done

ns_log "truncated ptau files (as the Hermez _XX files: ceremony power kept, real 2^(p+1) block)"
cp "$(ns_ptau 10)" big.ptau
ns_check "snarkjs truncate" ns_snarkjs powersoftau truncate big.ptau
R1CS=$W/c/multi_io.r1cs
for p in 04 05; do
    "$NS_BIN" ptau info "big_$p.ptau" --json | grep '"ceremonyPower": 10' >/dev/null || ns_fail "ptau info big_$p"
    ns_check "snarkjs zkey new big_$p" ns_snarkjs zkey new "$R1CS" "big_$p.ptau" "sj_t$p.zkey"
    ns_check "our zkey new big_$p" "$NS_BIN" zkey new "$R1CS" "big_$p.ptau" "ns_t$p.zkey" --quiet
    ns_same "sj_t$p.zkey" "ns_t$p.zkey" "zkey new with truncated ptau big_$p"
done
ns_check_fails "domain 2^4 with power 3" "$NS_BIN" zkey new "$R1CS" big_03.ptau out0.zkey

ns_log "bad inputs"
R1CS=$W/c/poseidon_preimage.r1cs
# too small a ptau (needs 2^10)
ns_check_fails "ptau too small" "$NS_BIN" zkey new "$R1CS" "$(ns_ptau 8)" out1.zkey
grep -q "domain of 2^10" "$W/last.log" || ns_fail "too-small message: $(cat "$W/last.log")"
[ ! -e out1.zkey ] || ns_fail "output left behind (too small)"
# truncated ptau: cut inside section 12
P10=$(ns_ptau 10)
head -c 700000 "$P10" >trunc.ptau
ns_check_fails "truncated ptau" "$NS_BIN" zkey new "$R1CS" trunc.ptau out2.zkey
grep -q "trunc.ptau: " "$W/last.log" || ns_fail "truncated ptau message: $(cat "$W/last.log")"
[ "$(wc -l <"$W/last.log")" -eq 1 ] || ns_fail "error is not one line: $(cat "$W/last.log")"
[ ! -e out2.zkey ] || ns_fail "output left behind (truncated)"
# truncated r1cs
head -c 5000 "$R1CS" >trunc.r1cs
ns_check_fails "truncated r1cs" "$NS_BIN" zkey new trunc.r1cs "$P10" out3.zkey
grep -q "trunc.r1cs: " "$W/last.log" || ns_fail "truncated r1cs message: $(cat "$W/last.log")"
[ ! -e out3.zkey ] && ! ls out3.zkey.tmp.* >/dev/null 2>&1 || ns_fail "output left behind (r1cs)"
# swapped arguments
ns_check_fails "swapped" "$NS_BIN" zkey new "$P10" "$R1CS" out4.zkey
grep -q "bad magic" "$W/last.log" || ns_fail "swapped message: $(cat "$W/last.log")"
# ptau pick / hash
"$NS_BIN" ptau pick "$R1CS" --json | grep '"power": 10' >/dev/null || ns_fail "ptau pick"
"$NS_BIN" ptau hash "$P10" | grep "^$(b2sum "$P10" | cut -c1-128)" >/dev/null || ns_fail "ptau hash"
"$NS_BIN" ptau info "$P10" >/dev/null || ns_fail "ptau info"
ns_check_fails "ptau info truncated" "$NS_BIN" ptau info trunc.ptau
ns_pass
