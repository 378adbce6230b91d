#!/usr/bin/env bash
# End to end: `nitrosetup ceremony --local --drand-sim` on two small circuits
# (power 8 and 10), then our `verify`, `snarkjs zkey verify` and a snarkjs
# groth16 proof with the final key; every artifact of the bundle tampered
# (and deleted) makes `verify` fail with a reason; --pcr / --ptau mismatches
# and a simulated bundle without --allow-simulated fail too.
source "$(dirname "$0")/lib.sh"
ns_ceremony_setup
P10=$(ns_ptau 10)
T10=(--trust-ptau "$(ns_pin "$P10")")

# --- multiplier, power 8 ---
ns_check "ceremony (multiplier)" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" \
    --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim -o b1
for f in circuit.tar circuit.r1cs final.zkey verification_key.json attestation-1.cose attestation-2.cose \
    drand.json manifest.json SIMULATED-nsm-root.der verifier.runtime.bin Groth16Verifier.sol; do
    [ -s "b1/$f" ] || ns_fail "bundle lacks $f"
done
ls -d b1.partial-* >/dev/null 2>&1 && ns_fail "a staging directory was left behind"
ns_check "our verify (allow simulated)" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated
"$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --json --allow-simulated >v.json
grep -q '"ok": true' v.json || ns_fail "verify --json does not say ok"
ns_check_fails "simulated bundle without --allow-simulated" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}"
grep -q "FAIL simulated" "$W/last.log" || { cat "$W/last.log"; ns_fail "no 'simulated' failure line"; }
ns_check_fails "verify without --ptau" "$NS_BIN" verify b1 --allow-simulated
grep -q "SKIP zkey verify" "$W/last.log" || ns_fail "zkey check not reported as skipped"
ns_check_fails "verify with the wrong ptau" "$NS_BIN" verify b1 --ptau "$P10" "${T8[@]}" "${T10[@]}" --allow-simulated
grep -q "FAIL ptau  .*is not the ptau of this ceremony" "$W/last.log" || { cat "$W/last.log"; ns_fail "wrong ptau not named"; }
ZERO=$(printf '0%.0s' $(seq 96))
ns_check_fails "verify with wrong PCRs" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated \
    --pcr "0=$ZERO" --pcr "1=$ZERO" --pcr "2=$ZERO"
grep -q "FAIL enclave image .*PCR0 is not the --pcr value" "$W/last.log" || { cat "$W/last.log"; ns_fail "PCR mismatch not named"; }
ns_check_fails "verify with PCR0 only" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated --pcr "0=$ZERO"
grep -q "give all of --pcr 0=" "$W/last.log" || { cat "$W/last.log"; ns_fail "partial --pcr not refused"; }
# The report prints PCR0..2 in full, and never calls a simulated bundle trusted.
"$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated >v.txt
grep -Eq "^  ok   PCR0 +[0-9a-f]{96}$" v.txt || { cat v.txt; ns_fail "PCR0 not printed in full"; }
grep -q "^WARNINGS (2): simulated; enclave image$" v.txt || { cat v.txt; ns_fail "warnings not summed up in one line"; }
grep -q "^RESULT: NOT TRUSTED" v.txt || { cat v.txt; ns_fail "a simulated bundle reads as trusted"; }
grep -q "all checks passed" v.txt && ns_fail "a bundle with warnings reads as 'all checks passed'"
grep -q '"trusted": false' v.json || ns_fail "verify --json does not say trusted: false"
# The ptau must be trusted: without the pin the same bundle fails and names the hash.
ns_check_fails "verify without --trust-ptau" "$NS_BIN" verify b1 --ptau "$P8" --allow-simulated
grep -q "FAIL ptau trust .*$(ns_pin "$P8") is not a Hermez file nor pinned" "$W/last.log" ||
    { cat "$W/last.log"; ns_fail "untrusted ptau not named"; }
# --circuit: the bundle's circuit is exactly the user's source; another source fails.
ns_check "verify --circuit" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated \
    --circuit "$NS_SOURCE/examples/multiplier.circom"
grep -q "ok   circuit source" "$W/check.log" || { cat "$W/check.log"; ns_fail "no circuit source line"; }
sed 's/a \* b/a * b + 0/' "$NS_SOURCE/examples/multiplier.circom" >other.circom
ns_check_fails "verify --circuit (another source)" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated \
    --circuit other.circom
grep -q "FAIL circuit source" "$W/last.log" || { cat "$W/last.log"; ns_fail "other source not caught"; }
ns_check "verify --recompile" "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated --recompile --circom "$CIRCOM"
grep -q "ok   recompile" "$W/check.log" || { cat "$W/check.log"; ns_fail "no recompile line"; }
grep -q '"circom":{"blake2b":"[0-9a-f]\{128\}","version":"circom' b1/manifest.json ||
    { cat b1/manifest.json; ns_fail "the manifest does not record the circom version and hash"; }
# verify does not follow links or read special files (final.zkey -> /dev/zero used to hang it)
cp -r b1 lnk && rm lnk/final.zkey && ln -s /dev/zero lnk/final.zkey
ns_check_fails "final.zkey -> /dev/zero" timeout 60 "$NS_BIN" verify lnk --ptau "$P8" "${T8[@]}" --allow-simulated
grep -q "FAIL bundle files .*final.zkey is a symbolic link" "$W/last.log" || { cat "$W/last.log"; ns_fail "link not refused"; }
# a check that cannot run (no scratch directory) is a failure, not a silent pass
ns_check_fails "verify without a scratch directory" env TMPDIR=/nonexistent/dir "$NS_BIN" verify b1 --ptau "$P8" "${T8[@]}" --allow-simulated
grep -q "FAIL verification key  *not checked: no scratch directory" "$W/last.log" || { cat "$W/last.log"; ns_fail "vk check vanished"; }
ns_sj_verify b1/circuit.r1cs "$P8" b1/final.zkey || { cat "$W/sj_verify.log"; ns_fail "snarkjs zkey verify rejects the final key"; }

# a groth16 proof with the final key (witness from circom2's wasm of the same circuit)
ns_compile "$NS_SOURCE/examples/multiplier.circom" "$W/c"
cmp -s "$W/c/multiplier.r1cs" b1/circuit.r1cs || ns_fail "the bundle's r1cs differs from a direct circom2 compile"
ns_check "witness" ns_snarkjs wtns calculate c/multiplier_js/multiplier.wasm "$NS_COMPAT/data/multiplier.input.json" w.wtns
ns_check "prove" ns_snarkjs groth16 prove b1/final.zkey w.wtns proof.json public.json
ns_snarkjs groth16 verify b1/verification_key.json public.json proof.json >gv.log 2>&1
grep -q "OK!" gv.log || { cat gv.log; ns_fail "the proof does not verify with the bundle's verification key"; }

# --- every artifact tampered, then deleted ---
for f in circuit.tar circuit.r1cs final.zkey verification_key.json attestation-1.cose attestation-2.cose \
    drand.json manifest.json SIMULATED-nsm-root.der verifier.runtime.bin Groth16Verifier.sol; do
    rm -rf t && cp -r b1 t
    size=$(stat -c %s "t/$f")
    off=$((size / 2))
    byte=$(od -An -tu1 -j "$off" -N1 "t/$f" | tr -d ' ')
    printf "$(printf '\\%03o' $(((byte ^ 1) & 255)))" | dd of="t/$f" bs=1 seek="$off" conv=notrunc status=none
    cmp -s "b1/$f" "t/$f" && ns_fail "tampering $f changed nothing"
    ns_check_fails "tampered $f" "$NS_BIN" verify t --ptau "$P8" "${T8[@]}" --allow-simulated
    grep -q "^  FAIL" "$W/last.log" || { cat "$W/last.log"; ns_fail "tampered $f: no FAIL line"; }
    echo "   tampered $f: $(grep -m1 '^  FAIL' "$W/last.log" | sed 's/  */ /g')"
    rm "t/$f"
    ns_check_fails "missing $f" "$NS_BIN" verify t --ptau "$P8" "${T8[@]}" --allow-simulated
done

# --- a circuit with circomlib includes, power 10 ---
ns_check "ceremony (ceremony_demo)" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/ceremony_demo.circom" \
    -l "$NS_NODE_MODULES" --circom "$CIRCOM" --ptau "$P10" "${T10[@]}" --drand-sim -o b2
ns_check "our verify (demo)" "$NS_BIN" verify b2 --ptau "$P10" "${T10[@]}" --allow-simulated
ns_sj_verify b2/circuit.r1cs "$P10" b2/final.zkey || ns_fail "snarkjs zkey verify rejects the demo key"
tar tf b2/circuit.tar | grep '^lib0/circomlib/circuits/poseidon.circom$' >/dev/null || ns_fail "circuit bundle lacks poseidon.circom"

# --- usage ---
# without --local the ceremony runs on AWS (tests/aws/ceremony_*): with no
# terminal to confirm the cost on and no --yes, it refuses before anything
ns_check_fails "ceremony on AWS without a terminal or --yes" "$NS_BIN" ceremony "$NS_SOURCE/examples/multiplier.circom" </dev/null
grep -q "give --yes" "$W/last.log" || ns_fail "no clear message without --local, a terminal or --yes"
ns_check_fails "non-empty output directory" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" \
    --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim -o b1
grep -q "refusing to overwrite" "$W/last.log" || ns_fail "overwrote a bundle"
ns_pass
