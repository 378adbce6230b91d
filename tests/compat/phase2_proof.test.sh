#!/usr/bin/env bash
# End to end: a key built only by our contribute and beacon (from snarkjs's
# zkey new) proves and verifies with snarkjs groth16 (witness from circom2's
# wasm + snarkjs wtns calculate), for both example circuits; a proof made
# with a key of the wrong chain does not verify against our final key's vk.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
PTAU=$(ns_ptau 8)

for circ in multiplier range_check; do
    ns_compile "$NS_SOURCE/examples/$circ.circom" "$W/c"
    r1cs=$W/c/$circ.r1cs
    ns_check "new" ns_snarkjs zkey new "$r1cs" "$PTAU" "$circ.0.zkey"
    ns_check "our contribute 1" "$NS_BIN" zkey contribute "$circ.0.zkey" "$circ.1.zkey" --name alice
    ns_check "our contribute 2" "$NS_BIN" zkey contribute "$circ.1.zkey" "$circ.2.zkey" --name bob --threads 1
    ns_check "our beacon" "$NS_BIN" zkey beacon "$circ.2.zkey" "$circ.final.zkey" 5eed 10 --name beacon
    ns_our_verify "$r1cs" "$PTAU" "$circ.final.zkey" || { cat "$W/our_verify.log"; ns_fail "our verify rejects"; }
    ns_sj_verify "$r1cs" "$PTAU" "$circ.final.zkey" || ns_fail "snarkjs rejects our final key"

    ns_check "witness" ns_snarkjs wtns calculate "c/${circ}_js/$circ.wasm" "$NS_COMPAT/data/$circ.input.json" "$circ.wtns"
    ns_check "prove" ns_snarkjs groth16 prove "$circ.final.zkey" "$circ.wtns" "$circ.proof.json" "$circ.public.json"
    ns_check "export vk" ns_snarkjs zkey export verificationkey "$circ.final.zkey" "$circ.vk.json"
    ns_snarkjs groth16 verify "$circ.vk.json" "$circ.public.json" "$circ.proof.json" >"$circ.v.log" 2>&1
    grep -q "OK!" "$circ.v.log" || { cat "$circ.v.log"; ns_fail "$circ: proof with our key does not verify"; }

    # a proof from an unrelated chain (fresh key) must not verify against our vk
    ns_check "prove (fresh key)" ns_snarkjs groth16 prove "$circ.0.zkey" "$circ.wtns" bad.proof.json bad.public.json
    ns_snarkjs groth16 verify "$circ.vk.json" bad.public.json bad.proof.json >bad.v.log 2>&1 || true
    grep -q "OK!" bad.v.log && ns_fail "$circ: a proof from the fresh key verifies against our final vk"
    echo "   $circ: proof verifies"
done
ns_pass
