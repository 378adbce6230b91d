#!/usr/bin/env bash
# CLI-level checks of `nitrosetup attestation` and `nitrosetup eif`:
# exit codes, one line per failed check, the report's SIMULATED/expiry
# lines, JSON output, and simulate -> verify round trips.
set -uo pipefail
B=${NS_BIN:?}
V=${NS_VECTORS:-${NS_SOURCE:?}/tests/vectors}/nitro
T=${NS_TMP:-/tmp}/nitro_cli.$$
mkdir -p "$T"
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# expect <exit code> <grep pattern or ''> <description> -- command...
expect() {
  local code=$1 pat=$2 what=$3; shift 4
  local out; out=$("$@" 2>&1); local rc=$?
  if [ "$rc" -ne "$code" ]; then bad "$what (exit $rc, want $code): $(echo "$out" | tail -3)"; return; fi
  if [ -n "$pat" ] && ! grep -qF -- "$pat" <<<"$out"; then bad "$what (no '$pat'): $(echo "$out" | tail -3)"; return; fi
  ok "$what"
}

P=$V/real/nitro-validator_2024-11-30_pubkey.cose
for f in "$V"/real/*.cose; do
  case $f in
    *debug*) expect 1 "debug mode: PCR0 is all zero" "debug refused: ${f##*/}" -- "$B" attestation verify "$f"
             expect 0 "UNTRUSTWORTHY" "debug allowed: ${f##*/}" -- "$B" attestation verify "$f" --allow-debug ;;
    *) expect 0 "result       OK" "real verifies: ${f##*/}" -- "$B" attestation verify "$f" ;;
  esac
  expect 1 "has expired at" "real fails now: ${f##*/}" -- "$B" attestation verify "$f" --at now --allow-debug
done
expect 0 "leaf         EXPIRED since 2024-11-30T19:22:48Z" "expiry reported" -- "$B" attestation verify "$P"
expect 0 "leaf         EXPIRED since 2024-11-30T19:22:48Z" "document from standard input" -- sh -c '"$0" attestation verify - < "$1"' "$B" "$P"
expect 0 "module_id" "show from standard input" -- sh -c '"$0" attestation show - < "$1"' "$B" "$P"
expect 1 "(standard input): document" "garbage on standard input" -- sh -c 'head -c 300 /dev/zero | "$0" attestation verify -' "$B"
expect 2 "standard input: too large" "over 1 MiB on standard input" -- sh -c 'head -c 1100000 /dev/zero | "$0" attestation verify -' "$B"
expect 0 "" "window start" -- "$B" attestation verify "$P" --at 2024-11-30T16:22:45Z
expect 1 "not yet valid at 2024-11-30T16:22:44Z" "window start - 1 s" -- "$B" attestation verify "$P" --at 2024-11-30T16:22:44Z
expect 0 "" "window end" -- "$B" attestation verify "$P" --at 1732994568
expect 1 "has expired at 2024-11-30T19:22:49Z" "window end + 1 s" -- "$B" attestation verify "$P" --at 1732994569
PCR0=ec74bfbe7f7445a6c7610e152935e028276f638042b74797b119648e13f7a3675796b721034c320f140ea001b41aeae2
expect 0 "" "expected PCR0 matches" -- "$B" attestation verify "$P" --pcr 0=$PCR0
expect 1 "PCR1: expected" "PCR1 mismatch" -- "$B" attestation verify "$P" --pcr 0=$PCR0 --pcr 1=$PCR0
expect 1 "nonce: the document has none" "nonce required" -- "$B" attestation verify "$P" --nonce 00112233
out=$("$B" attestation verify "$P" --pcr 1=$PCR0 --nonce 00 --user-data 01 --at now 2>&1 >/dev/null)
n=$(grep -c "$P:" <<<"$out")
[ "$n" -eq 7 ] && ok "one line per failed check ($n)" || bad "one line per failed check: $out"
expect 2 "expected 96 hex digits" "bad --pcr" -- "$B" attestation verify "$P" --pcr 0=abcd
expect 2 "cannot parse" "bad --at" -- "$B" attestation verify "$P" --at yesterday
expect 2 "" "missing file" -- "$B" attestation verify "$T/nope.cose"
for f in "$V"/negative/*.cose; do
  expect 1 "${f##*/}: " "negative rejected: ${f##*/}" -- "$B" attestation verify "$f"
done
expect 0 '"module_id": "i-0368fa67e156d6d23-enc019b8596b1a9dad6"' "show --json" -- "$B" attestation show "$V/real/nitro-validator_2026-01-03_userdata_indefmap.cose" --json
expect 0 "user_data    20 bytes 69553adc61d6e9fcdecbe1ea49bb2b52a60238e0" "show text" -- "$B" attestation show "$V/real/nitro-validator_2026-01-03_userdata_indefmap.cose"
expect 2 "trailing bytes" "show rejects garbage" -- "$B" attestation show "$V/negative/neg_trailing_garbage.cose"
expect 0 "usage: nitrosetup attestation verify" "attestation --help" -- "$B" attestation verify --help

# simulator round trips
E=$V/synthetic/synthetic_v4_3ramdisks.eif
"$B" attestation simulate --out-root "$T/root.pem" --pcr-from-eif "$E" --nonce 0badc0de --user-data 42 > "$T/sim.cose" \
  && ok "simulate" || bad "simulate"
EPCR0=$("$B" eif measure "$E" --json | sed -n 's/.*"PCR0": "\([0-9a-f]*\)".*/\1/p')
[ "$EPCR0" = 5db52c6d8e58ee9430cb2218f46ce778cdc8e092e54d3764310f5babc17490ec450b73b1d7a258cc73950f2ba8227cf9 ] \
  && ok "eif measure --json PCR0" || bad "eif measure PCR0 '$EPCR0'"
expect 1 "cabundle[0] is not the trusted root" "simulated refused without its root" -- "$B" attestation verify "$T/sim.cose"
expect 0 "SIMULATED" "simulated accepted with --trust-root" -- "$B" attestation verify "$T/sim.cose" --trust-root "$T/root.pem" --pcr 0=$EPCR0 --nonce 0badc0de --user-data 42
expect 0 '"simulated": true' "simulated JSON flag" -- "$B" attestation verify "$T/sim.cose" --trust-root "$T/root.pem" --json
"$B" attestation simulate --out-root "$T/root2.pem" --out "$T/sim2.cose" --time-ms 1700000000000 && ok "simulate --out" || bad "simulate --out"
expect 1 "certificate chain" "other simulator's root refused" -- "$B" attestation verify "$T/sim.cose" --trust-root "$T/root2.pem"
expect 1 "has expired at" "simulated doc expired now" -- "$B" attestation verify "$T/sim2.cose" --trust-root "$T/root2.pem" --at now
expect 0 "" "AWS root as --trust-root is not SIMULATED" -- "$B" attestation verify "$P" --trust-root "$V/root/AWS_NitroEnclaves_Root-G1.pem"
if "$B" attestation verify "$P" --trust-root "$V/root/AWS_NitroEnclaves_Root-G1.pem" | grep SIMULATED >/dev/null; then bad "AWS root flagged SIMULATED"; else ok "AWS root not flagged"; fi
"$B" attestation simulate --out-root "$T/root3.pem" --debug > "$T/dbg.cose"
expect 1 "debug mode" "simulated debug refused" -- "$B" attestation verify "$T/dbg.cose" --trust-root "$T/root3.pem"
expect 2 "--out-root FILE is required" "simulate needs --out-root" -- "$B" attestation simulate
expect 2 "bad magic" "eif measure rejects a non-EIF" -- "$B" eif measure "$P"
expect 0 "usage: nitrosetup eif measure" "eif --help" -- "$B" eif measure --help

echo "$fails failed"
[ "$fails" -eq 0 ]
