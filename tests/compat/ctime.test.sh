#!/usr/bin/env bash
# Constant-time test (valgrind memcheck, libsecp256k1 ctime_tests style):
# runs tests/ctime/ctime_bn254.c (built by CMake as ctime_bn254, $NS_CTIME_BIN)
# under valgrind with the secret scalars marked undefined.  First proves the harness works: the deliberately leaky mode must be reported.
set -euo pipefail
: "${NS_SOURCE:?}"
tmp="${NS_TMP:-/tmp}/ctime.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

if ! command -v valgrind >/dev/null || [ ! -f /usr/include/valgrind/memcheck.h ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "ctime: installing valgrind"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
    fi
fi
if ! command -v valgrind >/dev/null || [ ! -f /usr/include/valgrind/memcheck.h ]; then
    echo "ctime: FAIL: valgrind (and valgrind/memcheck.h) are required" >&2
    exit 1
fi

if [ -z "${NS_CTIME_BIN:-}" ] || [ ! -x "$NS_CTIME_BIN" ]; then
    echo "ctime: FAIL: ctime_bn254 not built (configure the build with valgrind/memcheck.h installed)" >&2
    exit 1
fi

vg=(valgrind --error-exitcode=42 --track-origins=yes -q)

# 1. the harness must catch a secret-dependent branch
set +e
"${vg[@]}" "$NS_CTIME_BIN" leak >"$tmp/leak.out" 2>&1
rc=$?
set -e
if [ "$rc" != 42 ] || ! grep -q "uninitialised" "$tmp/leak.out"; then
    cat "$tmp/leak.out" >&2
    echo "ctime: FAIL: the leaky self-test was not detected (rc $rc)" >&2
    exit 1
fi
echo "ctime: leaky self-test detected as expected"

# 2. the real code: no report allowed
if ! "${vg[@]}" "$NS_CTIME_BIN" >"$tmp/ct.out" 2>&1; then
    cat "$tmp/ct.out" >&2
    echo "ctime: FAIL: secret-dependent branch or memory access reported" >&2
    exit 1
fi
grep -q "ctime_bn254: done" "$tmp/ct.out" || { cat "$tmp/ct.out" >&2; echo "ctime: FAIL: did not finish" >&2; exit 1; }
echo "ctime: OK (G1/G2 mul_ct, G1/G2 batch_mul clean under memcheck)"
