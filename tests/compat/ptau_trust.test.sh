#!/usr/bin/env bash
# The phase-1 trust hole: a ptau whose only "contribution" is a public beacon
# has secrets anyone can recompute, so whoever uses it can forge proofs with
# the final key however honest phase 2 was.  Such a ptau (made here with
# snarkjs in three commands) must be refused by the host and by the enclave
# before any work, and a bundle built on it must fail `verify` unless the user
# pins its hash with --trust-ptau; the pinned run verifies and names the hash.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
CIRCOM="node $NS_CIRCOM2_CLI"
M="$NS_SOURCE/examples/multiplier.circom"

ns_log "a public-beacon-only ptau (power 8) with snarkjs"
ns_snarkjs powersoftau new bn128 8 p0.ptau >/dev/null
ns_snarkjs powersoftau beacon p0.ptau p1.ptau 0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20 10 >/dev/null
ns_snarkjs powersoftau prepare phase2 p1.ptau pub.ptau >/dev/null
H=$(ns_pin pub.ptau)

ns_check_fails "ceremony on the public ptau" "$NS_BIN" ceremony --local "$M" --circom "$CIRCOM" --ptau pub.ptau --drand-sim -o b0
grep -q "$H is not a Hermez ptau nor pinned" "$W/last.log" || { cat "$W/last.log"; ns_fail "host: refusal does not name the hash"; }
grep -q "zkey new" "$W/last.log" && ns_fail "the host did work before refusing"
[ ! -e b0 ] || ns_fail "a bundle was written"

ns_log "the enclave refuses it at HELLO even when the host pins it"
"$NS_BIN" enclave --local --listen "unix:$W/e.sock" --workdir "$W/e" --circom "$CIRCOM" --drand-sim >enclave.log 2>&1 &
epid=$!
for _ in $(seq 100); do [ -S "$W/e.sock" ] && break; sleep 0.1; done
rc=0
"$NS_BIN" host "$M" --connect "unix:$W/e.sock" --circom "$CIRCOM" --ptau pub.ptau --trust-ptau "$H" --drand-sim \
    -o b1 >host.log 2>&1 || rc=$?
erc=0
wait "$epid" || erc=$?
[ "$rc" -ne 0 ] && [ "$erc" -ne 0 ] || { cat host.log enclave.log; ns_fail "host $rc / enclave $erc: expected failures"; }
grep -q "step 'hello'.*$H is not a Hermez ptau nor pinned" host.log || { cat host.log; ns_fail "enclave refusal not at HELLO"; }
grep -q "verify 0000\|contribut" enclave.log && { cat enclave.log; ns_fail "the enclave did work before refusing"; }
[ ! -e b1 ] || ns_fail "a bundle was written"
ns_check_fails "enclave --trust-ptau without --local" "$NS_BIN" enclave --trust-ptau "$H" --listen "unix:$W/x.sock"
grep -q "with --local only" "$W/last.log" || { cat "$W/last.log"; ns_fail "run-time pin accepted outside local mode"; }

ns_log "pinned with --trust-ptau: the ceremony runs, the pin is recorded, verify names it"
ns_check "ceremony, pinned" "$NS_BIN" ceremony --local "$M" --circom "$CIRCOM" --ptau pub.ptau --trust-ptau "$H" \
    --drand-sim -o b2
grep -q "\"blake2b\":\"$H\",\"name\":\"custom\",\"size\":[0-9]*,\"trust\":\"user-pin\"" b2/manifest.json ||
    { cat b2/manifest.json; ns_fail "the manifest does not record the run-time pin"; }
ns_check "verify, pinned" "$NS_BIN" verify b2 --ptau pub.ptau --trust-ptau "$H" --allow-simulated
grep -q "ok   ptau trust .*pinned with --trust-ptau $H" "$W/check.log" || { cat "$W/check.log"; ns_fail "pin not named"; }
ns_check_fails "verify, not pinned" "$NS_BIN" verify b2 --ptau pub.ptau --allow-simulated
grep -q "FAIL ptau trust .*$H is not a Hermez file nor pinned" "$W/last.log" || { cat "$W/last.log"; ns_fail "no failure naming the hash"; }
grep -q "^RESULT: FAILED" "$W/last.log" || ns_fail "no FAILED verdict"
"$NS_BIN" verify b2 --ptau pub.ptau --allow-simulated --json >v.json || true
node -e 'const r = JSON.parse(require("fs").readFileSync("v.json")); if (r.ok || r.trusted) process.exit(1);' ||
    { cat v.json; ns_fail "--json says ok/trusted for an unpinned ptau"; }
ns_pass
