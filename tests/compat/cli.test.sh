#!/usr/bin/env bash
# CLI conventions across every command: --help works everywhere (exit 0,
# a usage line), unknown commands/options are usage errors (exit 2), and a
# missing input file gives one line on stderr naming the file, a non-zero
# exit, and no output file.
set -u
B=${NS_BIN:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/ns-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

helps=("" "ceremony" "verify" "zkey" "zkey new" "zkey contribute" "zkey beacon" "zkey verify"
       "zkey export" "zkey info" "r1cs" "r1cs info" "ptau" "ptau info" "ptau pick" "ptau hash"
       "drand" "drand chains" "drand round-at" "drand next-round" "drand fetch" "drand verify"
       "attestation" "attestation verify" "attestation show" "attestation simulate" "eif"
       "eif measure" "host" "enclave" "bench" "bench curve" "bench drand")
for c in "${helps[@]}"; do
  # shellcheck disable=SC2086
  out=$("$B" $c --help 2>&1); rc=$?
  if [ $rc -eq 0 ] && grep -qi '^usage:' <<<"$out"; then ok; else bad "'$c --help' rc=$rc"; fi
done
"$B" --version | grep '^nitrosetup [0-9]' >/dev/null && ok || bad "--version"

"$B" no-such-command >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown command should exit 2"
"$B" zkey no-such-sub >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown zkey subcommand should exit 2"
"$B" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no command should exit 2"

# Missing inputs: one line naming the file, non-zero exit, no output left.
missing="$T/does-not-exist.bin"
check_missing() {
  local desc=$1 outfile=$2; shift 2
  "$@" >"$T/stdout" 2>"$T/stderr"; local rc=$?
  local lines; lines=$(grep -c . "$T/stderr")
  if [ $rc -ne 0 ] && [ "$lines" -ge 1 ] && grep -q "does-not-exist" "$T/stderr" && grep -q '^nitrosetup' "$T/stderr"; then ok
  else bad "$desc: rc=$rc stderr=$(head -c 300 "$T/stderr")"; fi
  if [ -n "$outfile" ] && ls "$outfile"* >/dev/null 2>&1; then bad "$desc left output $(ls "$outfile"*)"; else ok; fi
}
P=${NS_PTAU_DIR:?}/pot08.ptau  # made by the setup.ptau fixture
check_missing "r1cs info" "" "$B" r1cs info "$missing"
check_missing "ptau info" "" "$B" ptau info "$missing"
check_missing "ptau hash" "" "$B" ptau hash "$missing"
check_missing "ptau pick" "" "$B" ptau pick "$missing"
check_missing "zkey info" "" "$B" zkey info "$missing"
check_missing "zkey new" "$T/o.zkey" "$B" zkey new "$missing" "$P" "$T/o.zkey"
check_missing "zkey contribute" "$T/c.zkey" "$B" zkey contribute "$missing" "$T/c.zkey" --entropy x
check_missing "zkey beacon" "$T/b.zkey" "$B" zkey beacon "$missing" "$T/b.zkey" 0102 10
check_missing "zkey verify" "" "$B" zkey verify "$missing" "$P" "$missing"
check_missing "zkey export" "$T/vk.json" "$B" zkey export verificationkey "$missing" "$T/vk.json"
check_missing "drand verify" "" "$B" drand verify "$missing"
check_missing "attestation verify" "" "$B" attestation verify "$missing"
check_missing "attestation show" "" "$B" attestation show "$missing"
check_missing "eif measure" "" "$B" eif measure "$missing"
check_missing "verify" "" "$B" verify "$missing"

# Garbage inputs are rejected the same way (never a crash: exit code < 128).
head -c 4096 /dev/urandom >"$T/garbage.bin"
for c in "r1cs info" "ptau info" "zkey info" "attestation show" "eif measure"; do
  # shellcheck disable=SC2086
  "$B" $c "$T/garbage.bin" >/dev/null 2>"$T/stderr"; rc=$?
  if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q "garbage.bin" "$T/stderr"; then ok; else bad "$c garbage: rc=$rc $(head -c 200 "$T/stderr")"; fi
done
"$B" drand verify "$T/garbage.bin" >/dev/null 2>&1; rc=$?
[ $rc -ne 0 ] && [ $rc -lt 128 ] && ok || bad "drand verify garbage rc=$rc"

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
