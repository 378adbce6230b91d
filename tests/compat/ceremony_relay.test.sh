#!/usr/bin/env bash
# The host's HTTP drand path in a ceremony: --drand-sim with --drand-relay
# pointing at the local relay simulator (tests/compat/oracles/drand_sim.js):
# an honest relay gives a bundle that verifies; a relay serving a bad
# signature or the wrong round ends the ceremony with an error and no bundle.
source "$(dirname "$0")/lib.sh"
ns_ceremony_setup
node "$NS_COMPAT/oracles/drand_sim.js" --port-file "$W/port" --lifetime 170 --log "$W/sim.log" >"$W/sim.out" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$W/port" ] && break; sleep 0.1; done
[ -s "$W/port" ] || { cat "$W/sim.out" >&2; ns_fail "relay simulator did not start"; }
U="http://127.0.0.1:$(cat "$W/port")"

ns_check "ceremony via the relay" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" \
    --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim --drand-relay "$U/ok" -o b
ns_check "verify" "$NS_BIN" verify b --ptau "$P8" "${T8[@]}" --allow-simulated
grep -q "/public/" "$W/sim.log" || ns_fail "the relay was not asked for the beacon"

for mode in badsig wronground; do
    ns_check_fails "relay $mode" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" \
        --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim --drand-relay "$U/$mode" -o "b-$mode"
    grep -q "no bundle was written" "$W/last.log" || { cat "$W/last.log"; ns_fail "$mode: no failure line"; }
    [ ! -e "b-$mode" ] || ns_fail "$mode: a bundle exists"
    ls -d "b-$mode".partial-* >/dev/null 2>&1 && ns_fail "$mode: staging left behind"
    echo "   $mode: $(grep -B1 'no bundle was written' "$W/last.log" | head -1)"
done
ns_pass
