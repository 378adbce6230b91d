#!/usr/bin/env bash
# Harness self-test (snarkjs only): compiles the example circuits with
# circom2, runs a snarkjs-only phase-2 chain (new, contribute, beacon,
# verify) and a Groth16 proof, and checks that a tampered key is rejected
# by snarkjs.  Guards the helpers the other phase-2 tests rely on.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"

ns_compile "$NS_SOURCE/examples/range_check.circom" "$W/c"
R1CS=$W/c/range_check.r1cs
PTAU=$(ns_ptau 8)

ns_check "snarkjs zkey new" ns_snarkjs zkey new "$R1CS" "$PTAU" k0.zkey
ns_check "snarkjs contribute" ns_snarkjs zkey contribute k0.zkey k1.zkey -n="first" -e="harness entropy"
ns_check "snarkjs beacon" ns_snarkjs zkey beacon k1.zkey k2.zkey 0102030405060708090a0b0c0d0e0f 10 -n="final"
ns_sj_verify "$R1CS" "$PTAU" k2.zkey || { cat "$W/sj_verify.log"; ns_fail "snarkjs rejects its own chain"; }
grep -q "contribution #2 final:" "$W/sj_verify.log" || ns_fail "verify log lacks the beacon entry"

ns_check "witness" ns_snarkjs wtns calculate c/range_check_js/range_check.wasm \
    "$NS_COMPAT/data/range_check.input.json" w.wtns
ns_check "prove" ns_snarkjs groth16 prove k2.zkey w.wtns proof.json public.json
ns_check "export vk" ns_snarkjs zkey export verificationkey k2.zkey vk.json
ns_snarkjs groth16 verify vk.json public.json proof.json | grep "OK!" >/dev/null || ns_fail "proof does not verify"

# A flipped byte in the H section must be caught by snarkjs' verify.
cp k2.zkey bad.zkey
size=$(stat -c %s bad.zkey)
printf '\x55' | dd of=bad.zkey bs=1 seek=$((size - 600)) conv=notrunc status=none
if ns_sj_verify "$R1CS" "$PTAU" bad.zkey; then ns_fail "snarkjs accepted a tampered key"; fi
ns_pass
