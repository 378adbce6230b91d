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
       "eif measure" "host" "enclave")
for c in "${helps[@]}"; do
  # shellcheck disable=SC2086
  out=$("$B" $c --help 2>&1); rc=$?
  if [ $rc -eq 0 ] && grep -qi '^usage:' <<<"$out"; then ok; else bad "'$c --help' rc=$rc"; fi
done
BB=${NS_BENCH_BIN:-$(dirname "$B")/nitrosetup-bench}
for c in "" curve drand; do
  # shellcheck disable=SC2086
  out=$("$BB" $c --help 2>&1); rc=$?
  if [ $rc -eq 0 ] && grep -qi '^usage: nitrosetup-bench' <<<"$out"; then ok; else bad "'nitrosetup-bench $c --help' rc=$rc"; fi
done
"$B" --version | grep '^nitrosetup [0-9]' >/dev/null && ok || bad "--version"

"$B" no-such-command >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown command should exit 2"
"$B" zkey no-such-sub >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "unknown zkey subcommand should exit 2"
"$B" >/dev/null 2>&1; [ $? -eq 2 ] && ok || bad "no command should exit 2"

# The option parser (src/cli/opt.c), the same for every command: an unknown
# option, a missing value, a bad value, a flag given a value and a wrong
# argument count are usage errors (exit 2): one line naming the command, the
# problem and --help; --help anywhere before "--" wins; --opt=value and
# "--" work; the help lists every option of the table.
usage_error() { # <expected text> <args...>
  local want=$1; shift
  "$@" >"$T/stdout" 2>"$T/stderr"; local rc=$?
  local first; first=$(head -n1 "$T/stderr")
  if [ $rc -eq 2 ] && [ ! -s "$T/stdout" ] && [ "$(wc -l <"$T/stderr")" -eq 1 ] && grep -qF -- "$want" <<<"$first" &&
     grep -q '^nitrosetup.*--help' <<<"$first"; then ok
  else bad "$*: rc=$rc, first line '$first', wanted '$want'"; fi
}
subs=("ceremony --local" "verify" "zkey new" "zkey contribute" "zkey beacon" "zkey verify" "zkey export"
      "zkey info" "r1cs info" "ptau info" "ptau pick" "ptau hash" "drand chains" "drand round-at"
      "drand next-round" "drand fetch" "drand verify" "attestation verify" "attestation show"
      "attestation simulate" "eif measure" "host" "enclave")
for c in "${subs[@]}"; do
  # shellcheck disable=SC2086
  usage_error "unknown option '--no-such-option'" "$B" $c --no-such-option=1
  # shellcheck disable=SC2086
  out=$("$B" $c x --no-such-option --help 2>&1); rc=$?
  [ $rc -eq 0 ] && grep -q -- '-h, --help' <<<"$out" && ok || bad "'$c x --bad --help' should print the help, rc=$rc"
done
usage_error "--threads needs a value" "$B" zkey new a b c --threads
usage_error "--name needs a value" "$B" zkey contribute a b --name
usage_error "invalid --threads value 'x'" "$B" zkey verify a b c -t x
usage_error "invalid --require-contributions value '-1'" "$B" zkey verify a b c --require-contributions=-1
usage_error "--json takes no value" "$B" zkey info a --json=1
usage_error "expected <circuit.r1cs> <pot.ptau> <out.zkey>" "$B" zkey new a b
usage_error "too many arguments" "$B" zkey info a b
usage_error "--relay given more than 16 times" "$B" drand fetch 1 $(for i in $(seq 17); do echo --relay http://r$i; done)
usage_error "invalid --timeout value '0'" "$B" drand fetch 1 --timeout 0
usage_error "--pcr 0: expected 96 hex digits" "$B" verify "$T" --pcr 0=00
usage_error "--trust-ptau" "$B" enclave --trust-ptau 00
usage_error "unknown option '-x'" "$B" host c.circom -x
"$B" zkey info -- --not-an-option.zkey >/dev/null 2>"$T/stderr"; rc=$?
[ $rc -eq 2 ] && grep -q -- "--not-an-option.zkey" "$T/stderr" && ok || bad "'--' should end the options (rc=$rc)"
out=$("$B" drand fetch --help)
for o in --chain --relay --wait --timeout --attempts --no-info-check --allow-sim; do
  grep -q -- "$o" <<<"$out" && ok || bad "drand fetch --help lacks $o"
done

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
