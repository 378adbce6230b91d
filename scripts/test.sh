#!/usr/bin/env bash
# Runs every test: installs what is missing, builds (warnings are errors),
# runs the unit, compatibility and end-to-end tests (CTest), then the unit
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer, and the
# libFuzzer targets briefly.  Exit status is non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
NS_CMAKE_ARGS="-DNS_WERROR=ON" scripts/setup.sh
jobs=$(nproc)

echo "== tests (Release build)"
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== unit tests under ASan+UBSan"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DNS_WERROR=ON -DNS_SANITIZE=ON -DCMAKE_C_FLAGS=-O1 >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-asan --output-on-failure -j"$jobs" -L unit

echo "== fuzz targets (libFuzzer, brief)"
if ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
  CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DNS_FUZZ=ON -DCMAKE_C_FLAGS=-O1 >/dev/null
  cmake --build build-fuzz -j"$jobs"
  ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -L fuzz
fi
echo "== all tests passed"
