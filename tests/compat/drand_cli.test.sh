#!/usr/bin/env bash
# `nitrosetup drand chains|round-at|next-round`: round arithmetic against
# round_time_vectors.json (as UNIX seconds and as RFC 3339), chain hashes of
# `chains --json` recomputed independently in node, --help and usage errors.
set -uo pipefail
: "${NS_BIN:?}" "${NS_TMP:=/tmp}"
source "$(dirname "$0")/drand_lib.sh"
ns_drand_vectors
ns_drand_tmpdir drand_cli

# Round vectors -> "chain t rfc3339 current time_of_current next time_of_next".
node -e '
const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const c of v.cases) {
  if (c.chain !== "quicknet" && c.chain !== "default") continue;
  const iso = new Date(c.t * 1000).toISOString().replace(".000Z", "Z");
  console.log([c.chain, c.t, iso, c.current_round, String(c.time_of_current_round), c.next_round, c.time_of_next_round].join(" "));
}' "$V/round_time_vectors.json" >"$T/rounds"
[ "$(wc -l <"$T/rounds")" -ge 18 ] && ok || bad "round vectors not read"
while read -r chain t iso cur tcur next tnext; do
  for when in "$t" "$iso"; do
    got=$("$NS_BIN" drand round-at "$when" --chain "$chain" --json)
    want="{\"round\": $cur, \"time\": $tcur}"
    [ "$got" = "$want" ] && ok || bad "round-at $when ($chain): $got, want $want"
    got=$("$NS_BIN" drand next-round "$when" --chain "$chain" --json)
    want="{\"round\": $next, \"time\": $tnext}"
    [ "$got" = "$want" ] && ok || bad "next-round $when ($chain): $got, want $want"
  done
  # --margin m equals asking at t + m.
  a=$("$NS_BIN" drand next-round "$t" --chain "$chain" --margin 45 --json)
  b=$("$NS_BIN" drand next-round $((t + 45)) --chain "$chain" --json)
  [ "$a" = "$b" ] && ok || bad "margin: $a vs $b"
done <"$T/rounds"
# Time zones and fractions.
a=$("$NS_BIN" drand round-at 2023-11-14T23:13:20.75+01:00 --json)
[ "$a" = '{"round": 2398878, "time": 1699999998}' ] && ok || bad "offset time: $a"

# chains --json: recompute each chain hash in node from the printed fields,
# and compare the public records with chains.json.
"$NS_BIN" drand chains --json >"$T/chains.json"; [ $? = 0 ] && ok || bad "chains --json exit"
node -e '
const fs = require("fs"), crypto = require("crypto");
const mine = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const ref = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).chains;
let bad = 0;
for (const c of mine) {
  const head = Buffer.alloc(12);
  head.writeUInt32BE(c.period, 0);
  head.writeBigInt64BE(BigInt(c.genesis_time), 4);
  const id = c.beacon_id && c.beacon_id !== "default" ? Buffer.from(c.beacon_id) : Buffer.alloc(0);
  const h = crypto.createHash("sha256").update(Buffer.concat([head, Buffer.from(c.public_key, "hex"),
    Buffer.from(c.genesis_seed, "hex"), id])).digest("hex");
  if (h !== c.chain_hash || !c.hash_ok) { console.error("hash mismatch for " + c.name); bad++; }
  if (c.simulated !== (c.name === "sim")) { console.error("simulated flag wrong for " + c.name); bad++; }
  if (c.simulated) continue;
  const r = ref.find((x) => x.beacon_id === c.beacon_id && x.chain_hash === c.chain_hash);
  if (!r) { console.error("not in chains.json: " + c.name); bad++; continue; }
  for (const k of ["scheme", "period", "genesis_time", "genesis_seed", "public_key"])
    if (r[k] !== c[k]) { console.error(c.name + ": " + k + " differs"); bad++; }
}
if (mine.length !== 3) bad++;
process.exit(bad ? 1 : 0);' "$T/chains.json" "$V/chains.json" && ok || bad "chains --json check"
"$NS_BIN" drand chains | grep "recomputed: ok" >/dev/null && ok || bad "chains text output"

# --help for every subcommand; usage errors exit 2.
for sub in "" chains round-at next-round fetch verify; do
  "$NS_BIN" drand $sub --help >"$T/h" 2>&1 && grep -q usage "$T/h" && ok || bad "drand $sub --help"
done
for args in "round-at" "round-at x" "round-at 1 --chain evmnet" "round-at 1 --chain sim" \
            "next-round 1 --margin -1" "next-round 1 --margin x" "round-at 1 2" "nope" "verify" \
            "fetch" "fetch latest --relay" "fetch 1 --attempts 0" "chains --bogus"; do
  "$NS_BIN" drand $args >/dev/null 2>"$T/e"; rc=$?
  [ $rc = 2 ] && ok || bad "drand $args: exit $rc, expected 2"
done
"$NS_BIN" drand round-at 1 --chain sim --allow-sim >/dev/null && ok || bad "sim with --allow-sim"

# nitrosetup-bench drand: our figure beside noble's, in the curve bench's JSON shape.
if [ -n "${NS_COMPAT:-}" ]; then
  "${NS_BENCH_BIN:?}" drand --json --seconds 0.2 >"$T/bench.json"; rc=$?
  [ $rc = 0 ] && ok || bad "nitrosetup-bench drand exit $rc"
  node -e '
const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const good = Array.isArray(a) && a.length === 2 && a.every((o) => typeof o.op === "string" &&
  o.ours > 0 && o.reference > 0 && o.unit === "ms" && Math.abs(o.ratio - o.reference / o.ours) < 0.01 * o.ratio);
process.exit(good ? 0 : 1);' "$T/bench.json" && ok || bad "bench drand JSON: $(cat "$T/bench.json")"
fi

ns_drand_report drand_cli
