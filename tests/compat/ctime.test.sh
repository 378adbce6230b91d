#!/usr/bin/env bash
# Constant-time test (valgrind memcheck, libsecp256k1 ctime_tests style):
# builds tests/ctime/ctime_bn254.c against the libnscore.a next to $NS_BIN and
# runs it under valgrind with the secret scalars marked undefined.  First
# proves the harness works: the deliberately leaky mode must be reported.
set -euo pipefail
: "${NS_BIN:?}" "${NS_SOURCE:?}"
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

lib="$(dirname "$NS_BIN")/libnscore.a"
[ -f "$lib" ] || { echo "ctime: FAIL: $lib not found" >&2; exit 1; }
${CC:-cc} -std=c11 -O2 -g -D_GNU_SOURCE -I"$NS_SOURCE/src" "$NS_SOURCE/tests/ctime/ctime_bn254.c" "$lib" \
    -lcrypto -lpthread -lm -o "$tmp/ctime_bn254"

vg=(valgrind --error-exitcode=42 --track-origins=yes -q)

# 1. the harness must catch a secret-dependent branch
set +e
"${vg[@]}" "$tmp/ctime_bn254" leak >"$tmp/leak.out" 2>&1
rc=$?
set -e
if [ "$rc" != 42 ] || ! grep -q "uninitialised" "$tmp/leak.out"; then
    cat "$tmp/leak.out" >&2
    echo "ctime: FAIL: the leaky self-test was not detected (rc $rc)" >&2
    exit 1
fi
echo "ctime: leaky self-test detected as expected"

# 2. the real code: no report allowed
if ! "${vg[@]}" "$tmp/ctime_bn254" >"$tmp/ct.out" 2>&1; then
    cat "$tmp/ct.out" >&2
    echo "ctime: FAIL: secret-dependent branch or memory access reported" >&2
    exit 1
fi
grep -q "ctime_bn254: done" "$tmp/ct.out" || { cat "$tmp/ct.out" >&2; echo "ctime: FAIL: did not finish" >&2; exit 1; }
echo "ctime: OK (G1/G2 mul_ct, G1/G2 batch_mul clean under memcheck)"
