#!/usr/bin/env bash
# Our `zkey beacon` is byte-identical to snarkjs's on the same input, for
# keys with and without previous contributions, several circuits (tiny,
# circomlib-based, a synthetic 2^12 domain), beacon hashes of 1, 32 and 255
# bytes, exponents 10..12, no name, ASCII and a long Unicode name (cut at
# 64 UTF-16 units mid surrogate pair).  The printed contribution hash is
# snarkjs's too.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"

ns_compile "$NS_SOURCE/examples/multiplier.circom" "$W/c"
ns_compile "$NS_SOURCE/examples/range_check.circom" "$W/c"
ns_synth_r1cs "$W/synth.r1cs" 4000 3 8 7

long_name="$(printf 'x%.0s' $(seq 63))😀 and more text after the cut"
H32=c0ffee00112233445566778899aabbccddeeff00112233445566778899aabbcc
H255=$(printf '%02x' $(seq 0 254))

n=0
compare() { # in hash exp name
    local in=$1 hash=$2 exp=$3 name=$4 args=()
    n=$((n + 1))
    if [ -n "$name" ]; then
        ns_check "snarkjs beacon" ns_snarkjs zkey beacon "$in" "sj$n.zkey" "$hash" "$exp" "-n=$name"
        args=(--name "$name")
    else
        ns_check "snarkjs beacon" ns_snarkjs zkey beacon "$in" "sj$n.zkey" "$hash" "$exp"
    fi
    cp "$W/check.log" "sj$n.log"
    "$NS_BIN" zkey beacon "$in" "ns$n.zkey" "$hash" "$exp" "${args[@]}" >"ns$n.log" 2>&1 ||
        { cat "ns$n.log"; ns_fail "our beacon failed on $in"; }
    ns_same "sj$n.zkey" "ns$n.zkey" "beacon #$n ($in, exp $exp, name '${name:0:20}')"
    diff <(sed 's/\x1b\[[0-9;]*m//g; s/^\[INFO\]  snarkJS: //' "sj$n.log") "ns$n.log" >/dev/null ||
        ns_fail "beacon #$n: printed contribution hash differs"
    echo "   beacon #$n identical ($(stat -c %s "ns$n.zkey") bytes)"
}

for circ in multiplier range_check; do
    r1cs=$W/c/$circ.r1cs
    ns_check "new $circ" ns_snarkjs zkey new "$r1cs" "$(ns_ptau 8)" "$circ.0.zkey"
    ns_check "contribute $circ" ns_snarkjs zkey contribute "$circ.0.zkey" "$circ.1.zkey" -n=c1 -e=e1
    compare "$circ.0.zkey" 01 10 ""
    compare "$circ.1.zkey" "$H32" 11 "Final Beacon"
    compare "$circ.1.zkey" "$H255" 10 "$long_name"
done
ns_check "new synth" ns_snarkjs zkey new "$W/synth.r1cs" "$(ns_ptau 12)" synth.0.zkey
compare synth.0.zkey "$H32" 12 "synthetic"
ns_our_verify "$W/synth.r1cs" "$(ns_ptau 12)" "ns$n.zkey" || { cat "$W/our_verify.log"; ns_fail "our verify rejects our synthetic beacon"; }
ns_pass
