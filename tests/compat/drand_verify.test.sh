#!/usr/bin/env bash
# `nitrosetup drand verify` on every real beacon and every must-reject case of
# tests/vectors/drand (exit 0 only for valid beacons, with a
# one-line reason otherwise), plus malformed files.
set -uo pipefail
: "${NS_BIN:?}" "${NS_TMP:=/tmp}"
source "$(dirname "$0")/drand_lib.sh"
ns_drand_vectors
ns_drand_tmpdir drand_verify

# Split the vector files into one drand JSON per beacon: "<chain> <expect> <file>".
node - "$V" "$T" >"$T/list" <<'JS'
const fs = require('fs'), path = require('path');
const [V, T] = process.argv.slice(2);
const load = (f) => JSON.parse(fs.readFileSync(path.join(V, f), 'utf8'));
let n = 0;
function emit(chain, expect, e, id) {
  const o = { round: Number(e.round), signature: e.signature };
  if (e.previous_signature !== undefined) o.previous_signature = e.previous_signature;
  if (e.randomness !== undefined) o.randomness = e.randomness;
  const f = path.join(T, `${n++}_${id}.json`);
  fs.writeFileSync(f, JSON.stringify(o));
  console.log(`${chain} ${expect} ${f}`);
}
for (const e of load('beacons_quicknet_valid.json').beacons) emit('quicknet', 0, e, `qn${e.round}`);
for (const e of load('beacons_default_valid.json').beacons) emit('default', 0, e, `df${e.round}`);
for (const c of load('beacons_invalid.json').cases) {
  // This case is a real quicknet beacon; it is invalid only under the G2 DST,
  // which the CLI cannot select (covered by the unit tests).
  if (c.dst_used) continue;
  emit(c.chain, 1, c, c.id);
}
// Beacons of other networks are not beacons of the pinned chains.
for (const e of load('beacons_other_networks.json').beacons) {
  emit('quicknet', 1, e, 'other_qn');
  emit('default', 1, e, 'other_df');
}
JS
[ -s "$T/list" ] || { echo "could not split the vectors" >&2; exit 1; }

while read -r chain expect file; do
  "$NS_BIN" drand verify "$file" --chain "$chain" >"$T/out" 2>"$T/err"
  rc=$?
  if [ "$expect" = 0 ]; then
    if [ $rc = 0 ] && grep -q "valid beacon" "$T/out"; then ok; else
      bad "$(basename "$file") ($chain) rejected: $(cat "$T/err")"; fi
  else
    lines=$(wc -l <"$T/err")
    if [ $rc = 1 ] && [ "$lines" = 1 ] && grep -q INVALID "$T/err"; then ok; else
      bad "$(basename "$file") ($chain): exit $rc, stderr: $(cat "$T/err")"; fi
  fi
done <"$T/list"

# Malformed or unreadable input: exit 2 with one line.
printf 'not json' >"$T/bad1.json"
printf '{"round":1}' >"$T/bad2.json"
for f in "$T/bad1.json" "$T/bad2.json" "$T/missing.json"; do
  "$NS_BIN" drand verify "$f" >/dev/null 2>"$T/err"; rc=$?
  if [ $rc = 2 ] && [ "$(wc -l <"$T/err")" = 1 ]; then ok; else bad "$f: exit $rc"; fi
done
# stdin works, and a default beacon needs --chain default.
first_df=$(awk '$1=="default" && $2==0 {print $3; exit}' "$T/list")
if "$NS_BIN" drand verify - --chain default <"$first_df" >/dev/null 2>&1; then ok; else bad "verify from stdin"; fi
if "$NS_BIN" drand verify "$first_df" >/dev/null 2>&1; then bad "default beacon accepted as quicknet"; else ok; fi

ns_drand_report drand_verify
