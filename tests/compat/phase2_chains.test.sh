#!/usr/bin/env bash
# Contribution chains mixing both producers in every order: two
# contributions and a final beacon, each step made by snarkjs (S) or by us
# (N): 2 x 2 x 2 = 8 chains sharing prefixes.  Every key of the tree is
# verified by both tools (snarkjs zkey verify and ours, from the r1cs; the
# finals also with --init), and both must accept.  Our contribute must
# leave sections 3-7 untouched and print snarkjs's hash layout.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"

ns_compile "$NS_SOURCE/examples/range_check.circom" "$W/c"
R1CS=$W/c/range_check.r1cs
PTAU=$(ns_ptau 8)
BEACON=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08

ns_check "snarkjs zkey new" ns_snarkjs zkey new "$R1CS" "$PTAU" k.zkey

step() { # producer kind in out label
    local who=$1 kind=$2 in=$3 out=$4 label=$5
    if [ "$who" = S ]; then
        if [ "$kind" = beacon ]; then
            ns_check "snarkjs beacon $out" ns_snarkjs zkey beacon "$in" "$out" "$BEACON" 10 -n="$label"
        else
            ns_check "snarkjs contribute $out" ns_snarkjs zkey contribute "$in" "$out" -n="$label" -e="entropy $out"
        fi
    else
        if [ "$kind" = beacon ]; then
            ns_check "our beacon $out" "$NS_BIN" zkey beacon "$in" "$out" "$BEACON" 10 --name "$label"
        else
            "$NS_BIN" zkey contribute "$in" "$out" --name "$label" --entropy "entropy $out" >"$out.log" 2>&1 ||
                { cat "$out.log"; ns_fail "our contribute $out failed"; }
            grep -q "^Circuit Hash: $" "$out.log" || ns_fail "contribute output lacks 'Circuit Hash:'"
            grep -q "^Contribution Hash: $" "$out.log" || ns_fail "contribute output lacks 'Contribution Hash:'"
            [ "$(grep -cP '^\t\t[0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8}$' "$out.log")" = 8 ] ||
                ns_fail "contribute hash lines not in snarkjs layout"
        fi
    fi
    [ -s "$out" ] || ns_fail "$out not written"
}

both_verify() {
    local key=$1
    ns_sj_verify "$R1CS" "$PTAU" "$key" || { cat "$W/sj_verify.log"; ns_fail "snarkjs rejects $key"; }
    ns_our_verify "$R1CS" "$PTAU" "$key" || { cat "$W/our_verify.log"; ns_fail "our verify rejects $key"; }
    grep -q "ZKey Ok!" "$W/our_verify.log" || ns_fail "our verify of $key did not print 'ZKey Ok!'"
    # the listing we print is snarkjs's (from its last "Circuit Hash:" on)
    diff <(ns_sj_listing "$W/sj_verify.log") "$W/our_verify.log" >"$W/listing.diff" ||
        { cat "$W/listing.diff"; ns_fail "contribution listing of $key differs from snarkjs"; }
}

sections_3_to_7_same() {
    local a=$1 b=$2 id off size
    while read -r id off size; do
        [ "$id" -ge 3 ] && [ "$id" -le 7 ] || continue
        cmp -s <(dd if="$a" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$size" status=none) \
               <(ns_section_bytes "$b" "$id") || ns_fail "section $id of $b differs from $a"
    done < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" "$a")
}
ns_section_bytes() {
    local f=$1 want=$2 id off size
    while read -r id off size; do
        if [ "$id" = "$want" ]; then dd if="$f" bs=1M iflag=skip_bytes,count_bytes skip="$off" count="$size" status=none; return; fi
    done < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" "$f")
}

for a in S N; do
    step $a contribute k.zkey "k$a.zkey" "first $a"
    both_verify "k$a.zkey"
    [ $a = N ] && sections_3_to_7_same k.zkey kN.zkey
    # our output has sections 1..10 in order, as snarkjs's contribute
    order=$(ns_node "$NS_COMPAT/oracles/zkey_sections.js" "k$a.zkey" | awk '{printf "%s,", $1}')
    [ "$order" = "1,2,3,4,5,6,7,8,9,10," ] || ns_fail "section order of k$a.zkey: $order"
    for b in S N; do
        step $b contribute "k$a.zkey" "k$a$b.zkey" "second $b"
        both_verify "k$a$b.zkey"
        for c in S N; do
            step $c beacon "k$a$b.zkey" "k$a$b$c.zkey" "final beacon"
            both_verify "k$a$b$c.zkey"
            "$NS_BIN" zkey verify --init k.zkey "$PTAU" "k$a$b$c.zkey" >/dev/null 2>&1 ||
                ns_fail "our verify --init rejects k$a$b$c.zkey"
        done
        # both beacons on the same input are identical
        ns_same "k$a${b}S.zkey" "k$a${b}N.zkey" "beacon outputs"
    done
done
ns_pass
