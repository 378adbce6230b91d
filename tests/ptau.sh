#!/usr/bin/env bash
# Makes the prepared BN254 test ptau files the tests read, once, and caches
# them:
#   tests/ptau.sh DIR POWER...     ensures DIR/potPP.ptau for every POWER
# Up to power 12 a file is made with snarkjs from tests/compat/node_modules
# the way any small ptau is made: `powersoftau new bn128 P`, one contribution
# (throw-away entropy), `powersoftau prepare phase2`: seconds up to power 10,
# two to three minutes at 12 on two busy cores.  From power 13 on, prepare
# phase2 would take many minutes (over half an hour at 16), so the file comes
# from ns_ptau_gen (tests/ptau_gen.c, path in $NS_PTAU_GEN): the same format
# from a known secret, about a minute at power 16.
# A file is made only when DIR lacks it: beside it, potPP.ptau.b2 records its
# BLAKE2b-512 and what it was made with (snarkjs version or generator source
# hash), and a file whose hash or origin differ is made again.  Runs of this
# script (parallel CTest runs, several build trees sharing DIR) are
# serialised with flock on DIR/.lock.
#
# Shortcut: when the checkout has a sibling directory shared/fixtures/ptau
# holding potPP.ptau with its BLAKE2b-512 in the README.md there, that file
# is copied instead of being made.  It is never required.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: tests/ptau.sh DIR POWER..." >&2; exit 2; }
dir=$1
shift
compat=${NS_COMPAT:-$src/tests/compat}
snarkjs=$compat/node_modules/snarkjs/build/cli.cjs
shortcut=$src/../shared/fixtures/ptau

mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9

# What a cached file must have been made with.
params() {
    local v
    if [ "$1" -le 12 ]; then
        v=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$compat/node_modules/snarkjs/package.json" 2>/dev/null | head -1)
        echo "snarkjs ${v:-?} bn128 power $1 prepared, one contribution"
    else
        echo "ns_ptau_gen $(sha256sum "$src/tests/ptau_gen.c" | cut -c1-16) power $1 seed nitrosetup-test-$1"
    fi
}

for p in "$@"; do
    pp=$(printf '%02d' "$p")
    f=$dir/pot$pp.ptau
    want=$(params "$p")
    if [ -f "$f" ] && [ -f "$f.b2" ] && [ "$(sed -n 2p "$f.b2")" = "$want" ] &&
        [ "$(b2sum "$f" | cut -d' ' -f1)" = "$(sed -n 1p "$f.b2")" ]; then
        echo "ptau: pot$pp.ptau cached in $dir"
        continue
    fi
    rm -f "$f" "$f.b2"
    tmp=$(mktemp -d "$dir/.make-$pp.XXXXXX")
    t0=$(date +%s)
    s=$shortcut/pot$pp.ptau
    if [ -f "$s" ] && [ -f "$shortcut/README.md" ] &&
        grep -q "$(b2sum "$s" | cut -d' ' -f1)" "$shortcut/README.md"; then
        cp "$s" "$tmp/pot.ptau"
        chmod u+w "$tmp/pot.ptau"
        how="copied from $s (BLAKE2b-512 as listed beside it)"
    elif [ "$p" -gt 12 ]; then
        [ -x "${NS_PTAU_GEN:-}" ] || { echo "ptau: set NS_PTAU_GEN to the ns_ptau_gen tool of a build tree" >&2; exit 1; }
        "$NS_PTAU_GEN" "$tmp/pot.ptau" "$p" "nitrosetup-test-$p" || { rm -rf "$tmp"; echo "ptau: ns_ptau_gen failed for power $p" >&2; exit 1; }
        how="made with ns_ptau_gen (known secret)"
    else
        [ -f "$snarkjs" ] || { echo "ptau: snarkjs missing at $snarkjs (run scripts/setup.sh)" >&2; exit 1; }
        (
            cd "$tmp"
            node "$snarkjs" powersoftau new bn128 "$p" p0.ptau
            node "$snarkjs" powersoftau contribute p0.ptau p1.ptau -n="nitrosetup test" -e="nitrosetup test ptau $p"
            node "$snarkjs" powersoftau prepare phase2 p1.ptau pot.ptau
        ) >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; rm -rf "$tmp"; echo "ptau: snarkjs failed for power $p" >&2; exit 1; }
        how="made with snarkjs"
    fi
    { b2sum "$tmp/pot.ptau" | cut -d' ' -f1; echo "$want"; } >"$tmp/pot.ptau.b2"
    mv "$tmp/pot.ptau" "$f"
    mv "$tmp/pot.ptau.b2" "$f.b2"
    rm -rf "$tmp"
    echo "ptau: pot$pp.ptau $how in $(($(date +%s) - t0)) s"
done
