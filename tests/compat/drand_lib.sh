# Shared by the drand_*.test.sh tests (sourced, never run directly).  These
# tests count their checks and report them all instead of stopping at the
# first failure, so unlike lib.sh this file does not set -e.
#
#   source "$(dirname "$0")/drand_lib.sh"
#
# Provides:
#   pass, fail            the check counters
#   ok / bad MSG          count a passed / failed check (bad prints MSG)
#   ns_drand_vectors      set V to tests/vectors/drand (exit 1 if absent)
#   ns_drand_tmpdir NAME  set T to a fresh scratch directory under NS_TMP,
#                         removed on exit
#   ns_drand_report NAME  print "NAME: N passed, N failed"; status 0 iff none failed
# shellcheck shell=bash

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

ns_drand_vectors() {
  V="${NS_VECTORS:-${NS_SOURCE:?}/tests/vectors}/drand"
  [ -d "$V" ] || { echo "drand vectors not found at $V" >&2; exit 1; }
}

ns_drand_tmpdir() {
  T=$(mktemp -d "${NS_TMP%/}/$1.XXXXXX" 2>/dev/null || mktemp -d)
  trap 'rm -rf "$T"' EXIT
}

ns_drand_report() {
  echo "$1: $pass passed, $fail failed"
  [ "$fail" = 0 ]
}
