#!/usr/bin/env bash
# The on-chain verifier of a ceremony (docs/onchain.md, docs/ceremony.md):
# `ceremony --local --drand-sim` on the multiplier writes a format-3 bundle with
# verifier.runtime.bin and Groth16Verifier.sol; verify rebuilds the code from
# final.zkey ("verifier code" line); deployed in @ethereumjs/evm, its
# EXTCODEHASH is the manifest's attested keccak256 and a snarkjs proof made
# with the bundle's final.zkey verifies (tampered proofs and signals do not);
# `zkey export solidity` of final.zkey gives the same bytes; a tampered
# verifier.runtime.bin, or one made from another key, fails verify;
# `verify --rpc URL --address` against a JSON-RPC endpoint (oracles/evm_rpc.js
# over the EVM) accepts the deployed verifier and refuses another contract and
# an empty address.
source "$(dirname "$0")/lib.sh"
ns_ceremony_setup
EVMJS=$NS_COMPAT/oracles/evm_verifier.js

ns_check "ceremony" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" \
    --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim -o b
grep -q '"format":"nitrosetup-bundle-3"' b/manifest.json || ns_fail "the manifest is not format 3"
keccak=$(sed -n 's/.*"verifier":{"keccak256":"\([0-9a-f]\{64\}\)","size":\([0-9]*\)}.*/\1/p' b/manifest.json)
size=$(sed -n 's/.*"verifier":{"keccak256":"\([0-9a-f]\{64\}\)","size":\([0-9]*\)}.*/\2/p' b/manifest.json)
[ -n "$keccak" ] && [ "$size" = "$(stat -c %s b/verifier.runtime.bin)" ] || ns_fail "manifest verifier {keccak256, size} missing or wrong size"
ns_check "verify" "$NS_BIN" verify b --ptau "$P8" "${T8[@]}" --allow-simulated
grep -q "ok   verifier code .*keccak256 0x$keccak" "$W/check.log" || { cat "$W/check.log"; ns_fail "no verifier code line"; }

# the same bytes from zkey export solidity, and the source
ns_check "export solidity" "$NS_BIN" zkey export solidity b/final.zkey out
ns_same b/verifier.runtime.bin out/verifier.runtime.bin "bundle verifier vs zkey export solidity"
ns_same b/Groth16Verifier.sol "$NS_SOURCE/contracts/Groth16Verifier.sol" "bundle source"

# a proof with the ceremony's key verifies on chain; EXTCODEHASH = the attested hash
ns_compile "$NS_SOURCE/examples/multiplier.circom" "$W/c"
ns_check "witness" ns_snarkjs wtns calculate c/multiplier_js/multiplier.wasm "$NS_COMPAT/data/multiplier.input.json" w.wtns
ns_check "prove" ns_snarkjs groth16 prove b/final.zkey w.wtns proof.json public.json
ns_node "$EVMJS" check - b/verifier.runtime.bin proof.json public.json "$keccak" >evm.log 2>&1 ||
    { cat evm.log; ns_fail "the ceremony's verifier in the EVM"; }
echo "   $(sed -n 1p evm.log); $(sed -n 2p evm.log)"

# tampered runtime code: a byte of the key (the tail), then another key's code
rm -rf t && cp -r b t
size=$(stat -c %s t/verifier.runtime.bin)
off=$((size - 100))
byte=$(od -An -tu1 -j "$off" -N1 t/verifier.runtime.bin | tr -d ' ')
printf "$(printf '\\%03o' $(((byte ^ 1) & 255)))" | dd of=t/verifier.runtime.bin bs=1 seek="$off" conv=notrunc status=none
ns_check_fails "tampered verifier.runtime.bin" "$NS_BIN" verify t --ptau "$P8" "${T8[@]}" --allow-simulated
grep -q "FAIL verifier code .*verifier.runtime.bin is not the verifier rebuilt from final.zkey" "$W/last.log" ||
    { cat "$W/last.log"; ns_fail "tampered verifier.runtime.bin: no 'verifier code' failure"; }
ns_snarkjs zkey new c/multiplier.r1cs "$P8" other.zkey >/dev/null 2>&1 || ns_fail "zkey new"
ns_check "export solidity (another key)" "$NS_BIN" zkey export solidity other.zkey other
cp other/verifier.runtime.bin t/verifier.runtime.bin
ns_check_fails "another key's verifier" "$NS_BIN" verify t --ptau "$P8" "${T8[@]}" --allow-simulated
grep -q "FAIL verifier code" "$W/last.log" || { cat "$W/last.log"; ns_fail "another key's verifier: no 'verifier code' failure"; }

# verify --rpc: the code deployed at an address, by eth_getCode
NODE_PATH="$NS_NODE_MODULES" node "$NS_COMPAT/oracles/evm_rpc.js" rpc.txt b/verifier.runtime.bin other/verifier.runtime.bin \
    >rpc.log 2>&1 &
rpc_pid=$!
trap 'kill "$rpc_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s rpc.txt ] && break; sleep 0.2; done
[ -s rpc.txt ] || { cat rpc.log; ns_fail "the JSON-RPC oracle did not start"; }
read -r port good other <rpc.txt
url="http://127.0.0.1:$port"
ns_check "verify --rpc (the ceremony's verifier)" "$NS_BIN" verify b --ptau "$P8" "${T8[@]}" --allow-simulated \
    --rpc "$url" --address "$good"
grep -q "ok   deployed verifier .*holds this ceremony's verifier (keccak256 0x$keccak" "$W/check.log" ||
    { cat "$W/check.log"; ns_fail "no 'deployed verifier' line"; }
ns_check_fails "verify --rpc (another key's verifier)" "$NS_BIN" verify b --ptau "$P8" "${T8[@]}" --allow-simulated \
    --rpc "$url" --address "$other"
grep -q "FAIL deployed verifier .*not this ceremony's verifier" "$W/last.log" || { cat "$W/last.log"; ns_fail "other contract accepted"; }
ns_check_fails "verify --rpc (no contract)" "$NS_BIN" verify b --ptau "$P8" "${T8[@]}" --allow-simulated \
    --rpc "$url" --address 0x00000000000000000000000000000000000000aa
grep -q "FAIL deployed verifier .*no contract at" "$W/last.log" || { cat "$W/last.log"; ns_fail "empty address accepted"; }
set +e; "$NS_BIN" verify b --rpc "$url" >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] || ns_fail "--rpc without --address: exit $rc, expected 2"
kill "$rpc_pid" 2>/dev/null || true
ns_pass
