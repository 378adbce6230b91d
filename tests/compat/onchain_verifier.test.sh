#!/usr/bin/env bash
# The on-chain verifier (docs/onchain.md), in @ethereumjs/evm, for circuits
# with 1, 2, 8 and 32 public signals (circom2; final keys made with snarkjs's
# zkey new, our contribute and our beacon; proofs by snarkjs groth16 prove):
#  - contracts/Groth16Verifier.runtime.hex is exactly what the pinned solc
#    makes of contracts/Groth16Verifier.sol (contracts/build.js);
#  - `zkey export solidity`'s runtime code = that prefix + the key as an
#    independent JS encoder lays it out from snarkjs's verification_key.json;
#  - deployed from verifier.init.hex, the code and EXTCODEHASH are ours and the
#    printed Keccak-256; the snarkjs proof verifies, tampered proofs, tampered
#    signals and signals >= r do not, malformed calls revert;
#  - `zkey export soliditycalldata` prints what snarkjs prints;
#  - gas: ours <= snarkjs's verifier (`zkey export solidityverifier`, compiled
#    with the same solc and settings), table printed.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
PTAU=$(ns_ptau 8)
EVMJS=$NS_COMPAT/oracles/evm_verifier.js
BUILDJS=$NS_SOURCE/contracts/build.js

ns_check "contracts/Groth16Verifier.runtime.hex = solc's output" ns_node "$BUILDJS"

table="| public signals | ours (gas) | snarkjs (gas) | ours - snarkjs | runtime bytes ours / snarkjs |"$'\n'"|---|---|---|---|---|"
for n in ${NS_ONCHAIN_SIZES:-1 2 8 32}; do
    mkdir -p "c$n"
    cat >"pub$n.circom" <<CIRCOM
pragma circom 2.0.0;
template Pub(N) {
    signal input x;
    signal input a[N];
    signal t[N];
    for (var i = 0; i < N; i++) { t[i] <== a[i] * x; }
}
component main {public [a]} = Pub($n);
CIRCOM
    node -e "const n=$n; console.log(JSON.stringify({x: '7', a: Array.from({length: n}, (_, i) => String(1000 + i))}))" >"c$n/input.json"
    ns_compile "pub$n.circom" "c$n"
    ns_check "zkey new ($n)" ns_snarkjs zkey new "c$n/pub$n.r1cs" "$PTAU" "k$n.0.zkey"
    ns_check "contribute ($n)" "$NS_BIN" zkey contribute "k$n.0.zkey" "k$n.1.zkey" --name onchain
    ns_check "beacon ($n)" "$NS_BIN" zkey beacon "k$n.1.zkey" "k$n.zkey" 0badc0ffee 10
    ns_check "witness ($n)" ns_snarkjs wtns calculate "c$n/pub${n}_js/pub$n.wasm" "c$n/input.json" "w$n.wtns"
    ns_check "prove ($n)" ns_snarkjs groth16 prove "k$n.zkey" "w$n.wtns" "proof$n.json" "public$n.json"
    ns_check "vk ($n)" ns_snarkjs zkey export verificationkey "k$n.zkey" "vk$n.json"

    # our verifier
    "$NS_BIN" zkey export solidity "k$n.zkey" "out$n" >"export$n.log" 2>&1 || { cat "export$n.log"; ns_fail "export solidity ($n)"; }
    for f in Groth16Verifier.sol verifier.runtime.bin verifier.init.hex verifier.abi.json; do
        [ -s "out$n/$f" ] || ns_fail "export solidity ($n) wrote no $f"
    done
    ns_same "$NS_SOURCE/contracts/Groth16Verifier.sol" "out$n/Groth16Verifier.sol" "exported source ($n)"
    ns_check "expected runtime ($n)" ns_node "$EVMJS" expect "$NS_SOURCE/contracts/Groth16Verifier.runtime.hex" "vk$n.json" "expect$n.bin"
    ns_same "expect$n.bin" "out$n/verifier.runtime.bin" "runtime code vs the JS encoding of snarkjs's vk ($n)"
    keccak=$(sed -n 's/.*keccak256 0x\([0-9a-f]\{64\}\)$/\1/p' "export$n.log")
    [ -n "$keccak" ] || { cat "export$n.log"; ns_fail "export solidity ($n) printed no keccak256"; }
    ns_node "$EVMJS" check "out$n/verifier.init.hex" "out$n/verifier.runtime.bin" "proof$n.json" "public$n.json" "$keccak" \
        >"evm$n.log" 2>&1 || { cat "evm$n.log"; ns_fail "our verifier in the EVM ($n)"; }
    ours=$(sed -n 's/^gas //p' "evm$n.log")

    # calldata as snarkjs formats it
    ns_snarkjs zkey export soliditycalldata "public$n.json" "proof$n.json" >"sj_calldata$n.txt" 2>/dev/null || ns_fail "snarkjs soliditycalldata ($n)"
    "$NS_BIN" zkey export soliditycalldata "public$n.json" "proof$n.json" >"calldata$n.txt" || ns_fail "our soliditycalldata ($n)"
    ns_same "sj_calldata$n.txt" "calldata$n.txt" "soliditycalldata ($n)"

    # snarkjs's verifier, same solc and settings
    ns_check "snarkjs solidityverifier ($n)" ns_snarkjs zkey export solidityverifier "k$n.zkey" "sj$n.sol"
    ns_node "$BUILDJS" --compile "sj$n.sol" Groth16Verifier >"sj$n.hex" 2>"sj$n.err" || { cat "sj$n.err"; ns_fail "solc on snarkjs's verifier ($n)"; }
    ns_node "$EVMJS" gas "sj$n.hex" "proof$n.json" "public$n.json" >"sjevm$n.log" 2>&1 || { cat "sjevm$n.log"; ns_fail "snarkjs's verifier in the EVM ($n)"; }
    theirs=$(sed -n 's/^gas //p' "sjevm$n.log")
    sjlen=$(( $(tr -d '\n' <"sj$n.hex" | wc -c) / 2 ))
    ourlen=$(stat -c %s "out$n/verifier.runtime.bin")
    echo "   n=$n: $(sed -n 2p "evm$n.log"); gas ours $ours, snarkjs $theirs"
    table+=$'\n'"| $n | $ours | $theirs | $((ours - theirs)) | $ourlen / $sjlen |"
    [ "$ours" -le "$theirs" ] || ns_fail "n=$n: our verifier costs $ours gas, snarkjs's $theirs"
done
echo "$table"

# usage and input errors: exit 2, one line, nothing on stdout
n=$(echo ${NS_ONCHAIN_SIZES:-1 2 8 32} | cut -d' ' -f1)
echo '{"protocol": "plonk"}' >plonk.json
echo '["12", "x"]' >badpub.json
echo '["115792089237316195423570985008687907853269984665640564039457584007913129639936"]' >bigpub.json
for args in "solidityx k$n.zkey o" "soliditycalldata public$n.json plonk.json" "soliditycalldata badpub.json proof$n.json" \
    "soliditycalldata bigpub.json proof$n.json" "soliditycalldata missing.json proof$n.json" "solidity missing.zkey o"; do
    # shellcheck disable=SC2086
    set +e; "$NS_BIN" zkey export $args >err.out 2>err.log; rc=$?; set -e
    [ "$rc" = 2 ] || ns_fail "zkey export $args: exit $rc, expected 2"
    [ -s err.out ] && ns_fail "zkey export $args printed on stdout"
    [ "$(wc -l <err.log)" -ge 1 ] || ns_fail "zkey export $args: no message"
done
# 0x hex signals are accepted as snarkjs accepts them
echo '["0x3e8"]' >hexpub.json
"$NS_BIN" zkey export soliditycalldata hexpub.json "proof$n.json" | grep -q '\[\"0x00000000000000000000000000000000000000000000000000000000000003e8\"\]$' ||
    ns_fail "0x signal not formatted"
ns_pass
