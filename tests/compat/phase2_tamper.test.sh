#!/usr/bin/env bash
# Negative cases for `zkey verify`: a valid key (snarkjs contribution, our
# contribution, our beacon) is damaged in every section (first, middle and
# last payload byte, plus the section-size field), truncated, or checked
# against the wrong ptau or another circuit's r1cs.  Our verify must exit 1
# with a one-line message, never crash, and never accept what snarkjs
# rejects.  Also: malformed beacon arguments are refused (exit 2) and leave
# no output.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"

ns_compile "$NS_SOURCE/examples/range_check.circom" "$W/c"
ns_compile "$NS_SOURCE/examples/multiplier.circom" "$W/c"
R1CS=$W/c/range_check.r1cs
OTHER=$W/c/multiplier.r1cs
PTAU=$(ns_ptau 8)
WRONG_PTAU=$(ns_ptau 10)

ns_check "snarkjs zkey new" ns_snarkjs zkey new "$R1CS" "$PTAU" k0.zkey
ns_check "snarkjs contribute" ns_snarkjs zkey contribute k0.zkey k1.zkey -n=one -e=abc
ns_check "our contribute" "$NS_BIN" zkey contribute k1.zkey k2.zkey --name two
ns_check "our beacon" "$NS_BIN" zkey beacon k2.zkey good.zkey 00112233445566778899aabbccddeeff 10 --name three
ns_our_verify "$R1CS" "$PTAU" good.zkey || { cat "$W/our_verify.log"; ns_fail "good key rejected"; }
ns_sj_verify "$R1CS" "$PTAU" good.zkey || ns_fail "snarkjs rejects the good key"

# expect_reject DESC FILE [R1CS] [PTAU]: ours exits 1 with one message line.
expect_reject() {
    local desc=$1 key=$2 r1cs=${3:-$R1CS} ptau=${4:-$PTAU} rc=0
    "$NS_BIN" zkey verify "$r1cs" "$ptau" "$key" >"$W/out.log" 2>"$W/err.log" || rc=$?
    if [ "$rc" -eq 0 ]; then
        ns_fail "$desc: our verify accepted it"
    fi
    if [ "$rc" -ne 1 ]; then
        cat "$W/err.log" >&2
        ns_fail "$desc: our verify exited $rc (expected 1)"
    fi
    [ "$(wc -l <"$W/err.log")" -ge 1 ] && grep -q "nitrosetup: zkey verify: " "$W/err.log" ||
        { cat "$W/err.log" >&2; ns_fail "$desc: no error message"; }
    echo "   $desc -> $(tail -n 1 "$W/err.log")"
}

flip() { # file offset
    local b
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(((b ^ 0x5a) & 255)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

n=0
while read -r id off size; do
    for where in first middle last size; do
        case $where in
        first) pos=$off ;;
        middle) pos=$((off + size / 2)) ;;
        last) pos=$((off + size - 1)) ;;
        size) pos=$((off - 8)) ;;
        esac
        # In section 10 the contributor names and beacon params are not
        # covered by any hash (snarkjs too accepts other names): only flip
        # csHash, points and transcripts there.
        if [ "$id" = 10 ] && [ "$where" != first ] && [ "$where" != size ]; then
            pos=$((off + 68 + 100))  # inside record 1's g1_s
            [ "$where" = last ] && pos=$((off + 68 + 330)) # record 1's transcript
        fi
        cp good.zkey t.zkey
        flip t.zkey "$pos"
        if ns_sj_verify "$R1CS" "$PTAU" t.zkey; then
            sj="accepts"
        else
            sj="rejects"
        fi
        expect_reject "section $id $where byte (snarkjs $sj)" t.zkey
        n=$((n + 1))
    done
done < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" good.zkey)
[ "$n" -ge 40 ] || ns_fail "only $n tamper cases ran"

# Valid curve points in the wrong place: only the pairing checks on random
# linear combinations can catch these.
swap_points() { # file offset_a offset_b size
    dd if="$1" of="$W/pa" bs=1 skip="$2" count="$4" status=none
    dd if="$1" of="$W/pb" bs=1 skip="$3" count="$4" status=none
    dd if="$W/pb" of="$1" bs=1 seek="$2" conv=notrunc status=none
    dd if="$W/pa" of="$1" bs=1 seek="$3" conv=notrunc status=none
}
while read -r id off size; do
    case $id in
    8 | 9)
        cp good.zkey t.zkey
        swap_points t.zkey "$off" $((off + 64 * 3)) 64
        ns_sj_verify "$R1CS" "$PTAU" t.zkey && ns_fail "snarkjs accepts swapped points in section $id?"
        expect_reject "two points of section $id swapped" t.zkey
        grep -q "section does not match" "$W/err.log" || ns_fail "swap in section $id: wrong message"
        ;;
    esac
done < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" good.zkey)
# A point of L replaced by the same point of the previous key (valid, but
# not divided by the last delta).
while read -r id off size; do
    [ "$id" = 8 ] || continue
    cp good.zkey t.zkey
    read -r _ poff _ < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" k2.zkey | grep '^8 ')
    dd if=k2.zkey of="$W/pa" bs=1 skip=$((poff + 128)) count=64 status=none
    dd if="$W/pa" of=t.zkey bs=1 seek=$((off + 128)) conv=notrunc status=none
    expect_reject "L point from the previous key" t.zkey
done < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" good.zkey)

# Truncations: inside the header, inside section 2, mid-file, one byte short.
size=$(stat -c %s good.zkey)
for cut in 10 50 $((size / 2)) $((size - 1)); do
    head -c "$cut" good.zkey >t.zkey
    expect_reject "truncated to $cut bytes" t.zkey
done
: >t.zkey
expect_reject "empty file" t.zkey
expect_reject "missing file" "$W/does-not-exist.zkey"
head -c 100000 /dev/urandom >t.zkey
expect_reject "random bytes" t.zkey

# Wrong ptau (another ceremony) and another circuit's r1cs.
ns_sj_verify "$R1CS" "$WRONG_PTAU" good.zkey && ns_fail "snarkjs accepts the wrong ptau?"
expect_reject "wrong ptau" good.zkey "$R1CS" "$WRONG_PTAU"
expect_reject "other circuit's r1cs" good.zkey "$OTHER" "$PTAU"
# --init with another circuit's initial key
ns_check "snarkjs zkey new (other)" ns_snarkjs zkey new "$OTHER" "$PTAU" other0.zkey
rc=0
"$NS_BIN" zkey verify --init other0.zkey "$PTAU" good.zkey >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || ns_fail "--init with another circuit's key: exit $rc"

# A key with no contribution is valid but warned about; --require-contributions fails it.
"$NS_BIN" zkey verify "$R1CS" "$PTAU" k0.zkey >out.log 2>err.log || ns_fail "fresh key rejected"
grep -qi "no contributions" err.log || ns_fail "no warning for a key without contributions"
rc=0
"$NS_BIN" zkey verify --require-contributions 1 "$R1CS" "$PTAU" k0.zkey >/dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || ns_fail "--require-contributions 1 on a fresh key: exit $rc"
"$NS_BIN" zkey verify --require-contributions 3 "$R1CS" "$PTAU" good.zkey >/dev/null 2>&1 ||
    ns_fail "--require-contributions 3 rejects a key with 3"
"$NS_BIN" zkey verify --json "$R1CS" "$PTAU" good.zkey >v.json || ns_fail "--json on the good key"
node -e '
const v = JSON.parse(require("fs").readFileSync(process.argv[1]));
if (v.valid !== true || v.contributions.length !== 3 || v.contributions[2].type !== "beacon" ||
    v.contributions[2].beacon_hash !== "00112233445566778899aabbccddeeff") process.exit(1);' v.json ||
    ns_fail "--json content"

# Beacon argument rules (snarkjs refuses them too).
for bad in "0x0011" "001" "" "zz" "$(printf 'ab%.0s' $(seq 256))"; do
    rc=0
    "$NS_BIN" zkey beacon good.zkey b.zkey "$bad" 10 >/dev/null 2>&1 || rc=$?
    [ "$rc" = 2 ] || ns_fail "beacon hash '$bad': exit $rc"
    [ ! -e b.zkey ] || ns_fail "beacon hash '$bad' left an output file"
done
for exp in 9 64 x; do
    rc=0
    "$NS_BIN" zkey beacon good.zkey b.zkey 0011 "$exp" >/dev/null 2>&1 || rc=$?
    [ "$rc" = 2 ] || ns_fail "beacon exp '$exp': exit $rc"
done
# contribute and beacon never multiply their delta into a point that is not
# on the curve (an invalid-curve point would leak it): a damaged L or H
# point is refused with a message naming the file, section and point, and
# no output is left
while read -r id off size; do
    case $id in
    8 | 9)
        for cmd in contribute beacon; do
            cp good.zkey t.zkey
            flip t.zkey $((off + 64 * 2 + 5))
            rc=0
            if [ "$cmd" = contribute ]; then
                "$NS_BIN" zkey contribute t.zkey out.zkey --entropy x >/dev/null 2>"$W/err.log" || rc=$?
            else
                "$NS_BIN" zkey beacon t.zkey out.zkey 0011 10 >/dev/null 2>"$W/err.log" || rc=$?
            fi
            [ "$rc" -ne 0 ] && [ "$rc" -lt 126 ] && [ ! -e out.zkey ] ||
                ns_fail "$cmd on an invalid section $id point: exit $rc"
            grep -q "t.zkey: section $id .* point 2 is not a valid curve point" "$W/err.log" ||
                { cat "$W/err.log" >&2; ns_fail "$cmd on an invalid section $id point: wrong message"; }
        done
        ;;
    esac
done < <(ns_node "$NS_COMPAT/oracles/zkey_sections.js" good.zkey)
# contribute on a damaged input fails cleanly without output
head -c 1000 good.zkey >t.zkey
rc=0
"$NS_BIN" zkey contribute t.zkey out.zkey >/dev/null 2>&1 || rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -lt 126 ] && [ ! -e out.zkey ] || ns_fail "contribute on a truncated key: exit $rc"
ns_pass
