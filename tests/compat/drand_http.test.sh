#!/usr/bin/env bash
# drand HTTP client against the local relay simulator (tests/compat/oracles/
# drand_sim.js, 127.0.0.1 only, signs with the test key via @noble/curves):
# honest fetches, failover past failing / slow / lying relays, retries,
# "too early" and --wait, latest and stale relays, simulated-chain opt-in.
set -uo pipefail
: "${NS_BIN:?}" "${NS_COMPAT:?}" "${NS_TMP:=/tmp}"
T=$(mktemp -d "${NS_TMP%/}/drand_http.XXXXXX" 2>/dev/null || mktemp -d)
source "$(dirname "$0")/drand_lib.sh"
expect_rc() { # expect_rc WANT GOT what
  if [ "$1" = "$2" ]; then ok; else bad "$3: exit $2, expected $1"; sed 's/^/    /' "$T/err" >&2; fi
}

node "$NS_COMPAT/oracles/drand_sim.js" --port-file "$T/port" --lifetime 150 --slow-ms 4000 \
  --log "$T/sim.log" >"$T/sim.out" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do [ -s "$T/port" ] && break; sleep 0.1; done
[ -s "$T/port" ] || { echo "simulator did not start" >&2; cat "$T/sim.out" >&2; exit 1; }
U="http://127.0.0.1:$(cat "$T/port")"
SIMC=(--chain sim --allow-sim)
fetch() { "$NS_BIN" drand fetch "$@" "${SIMC[@]}" --timeout 2 --attempts 2 >"$T/out" 2>"$T/err"; }
field() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(j[process.argv[2]])' "$1" "$2"; }

NOW_ROUND=$("$NS_BIN" drand round-at now "${SIMC[@]}" --json | field /dev/stdin round)
R=$((NOW_ROUND - 1))
HASH=cf97eef9d6a44d21eb72e06917ea1ee888fe2557da77b29e28136d33801669ae

# 1. Honest relay: the beacon equals what the relay serves, and verifies.
fetch "$R" --relay "$U/ok"; expect_rc 0 $? "honest fetch"
curl -s "$U/$HASH/public/$R" >"$T/raw"
for k in round signature randomness; do
  [ "$(field "$T/out" $k)" = "$(field "$T/raw" $k)" ] && ok || bad "field $k differs from the relay's"
done
"$NS_BIN" drand verify "$T/out" "${SIMC[@]}" >"$T/vout" 2>"$T/err"; expect_rc 0 $? "verify fetched"
grep -q SIMULATED "$T/vout" && ok || bad "verify output does not say SIMULATED"
"$NS_BIN" drand verify "$T/out" >/dev/null 2>"$T/err"; expect_rc 1 $? "sim beacon as quicknet"

# The in-process signer ("sim:") produces the very same beacon as the node
# simulator (deterministic BLS signatures with the same test key).
"$NS_BIN" drand fetch "$R" "${SIMC[@]}" --relay sim: >"$T/out2" 2>"$T/err"; expect_rc 0 $? "sim: relay"
for k in round signature randomness; do
  [ "$(field "$T/out2" $k)" = "$(field "$T/raw" $k)" ] && ok || bad "sim: field $k differs from the node simulator's"
done
"$NS_BIN" drand fetch "$R" --relay sim: >/dev/null 2>"$T/err"; expect_rc 1 $? "sim: relay for quicknet"

# 2. Every misbehaving relay alone: no beacon (exit 1), reason names the relay.
for m in fail slow badsig wronground badrand garbage badinfo wronginfo early; do
  fetch "$R" --relay "$U/$m"; rc=$?
  expect_rc 1 $rc "relay $m alone"
  grep -q "$U/$m" "$T/err" && ok || bad "relay $m: error does not name it"
done

# 3. Failover past all of them to the honest relay.
args=()
for m in fail slow badsig wronground badrand garbage badinfo wronginfo early; do args+=(--relay "$U/$m"); done
fetch "$R" "${args[@]}" --relay "$U/ok"; expect_rc 0 $? "failover"
[ "$(field "$T/out" signature)" = "$(field "$T/raw" signature)" ] && ok || bad "failover result differs"
n=$(grep -c "trying the next relay" "$T/err"); [ "$n" = 9 ] && ok || bad "expected 9 failovers, saw $n"

# 4. A flaky relay is retried (with backoff) rather than abandoned.
fetch "$R" --relay "$U/flaky"; expect_rc 0 $? "flaky relay"
grep -q "retry 2/2" "$T/err" && ok || bad "no retry logged for the flaky relay"

# 5. A future round: refused at once without --wait ...
F=$(( $("$NS_BIN" drand round-at now "${SIMC[@]}" --json | field /dev/stdin round) + 2 ))
start=$(date +%s)
fetch "$F" --relay "$U/ok"; expect_rc 1 $? "future round without --wait"
grep -q "not available yet" "$T/err" && ok || bad "future round: no reason"
[ $(( $(date +%s) - start )) -le 2 ] && ok || bad "future round without --wait took too long"
# ... fetched at its time with --wait (an always-early relay is skipped).
"$NS_BIN" drand next-round now "${SIMC[@]}" --margin 3 --json >"$T/next"
TF=$(field "$T/next" time) F=$(field "$T/next" round)
fetch "$F" --wait --relay "$U/early" --relay "$U/ok"; expect_rc 0 $? "--wait"
[ "$(field "$T/out" round)" = "$F" ] && ok || bad "--wait returned another round"
[ "$(date +%s)" -ge "$TF" ] && ok || bad "--wait returned before the round's time"
grep -q "waiting" "$T/err" && ok || bad "--wait did not say it waits"

# 6. latest: plausible round from an honest relay; a stale relay is rejected.
fetch latest --relay "$U/ok"; expect_rc 0 $? "latest"
L=$(field "$T/out" round); C=$("$NS_BIN" drand round-at now "${SIMC[@]}" --json | field /dev/stdin round)
[ "$L" -ge $((C - 1)) ] && [ "$L" -le "$C" ] && ok || bad "latest round $L vs current $C"
fetch latest --relay "$U/stale"; expect_rc 1 $? "stale latest"
grep -q stale "$T/err" && ok || bad "stale relay not called stale"
fetch latest --relay "$U/stale" --relay "$U/ok"; expect_rc 0 $? "stale then honest"

# 7. Opt-in and usage errors; other chains against the local relay fail cleanly.
"$NS_BIN" drand fetch "$R" --chain sim --relay "$U/ok" >/dev/null 2>"$T/err"; expect_rc 2 $? "sim without --allow-sim"
"$NS_BIN" drand fetch "$R" --relay "ftp://127.0.0.1/" >/dev/null 2>"$T/err"; expect_rc 2 $? "non-http relay"
"$NS_BIN" drand fetch 0 "${SIMC[@]}" --relay "$U/ok" >/dev/null 2>"$T/err"; expect_rc 2 $? "round 0"
"$NS_BIN" drand fetch 5 --relay "$U/ok" --timeout 1 --attempts 1 >/dev/null 2>"$T/err"; expect_rc 1 $? "quicknet on the sim relay"
"$NS_BIN" drand fetch --help >/dev/null; expect_rc 0 $? "fetch --help"

# The simulator only ever saw requests for the simulated chain's paths.
grep -v " GET /\(ok\|fail\|slow\|flaky\|badsig\|wronground\|badrand\|garbage\|badinfo\|wronginfo\|early\|stale\)\?/\?\(chains\|[0-9a-f]\{64\}/\(info\|public/\(latest\|[0-9]\+\)\)\)$" "$T/sim.log" \
  | grep . && bad "unexpected requests above" || ok

ns_drand_report drand_http
