#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine: installs the Debian
# packages nitrosetup needs (only those missing), the npm test oracles from
# tests/compat/package-lock.json (only when missing or changed), and builds.
#   scripts/setup.sh            build ./build (Release)
#   NS_NO_NPM=1 scripts/setup.sh  skip the npm oracles
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake pkg-config clang libssl-dev libcbor-dev libcurl4-openssl-dev
      libjansson-dev valgrind nodejs npm ca-certificates cpio awscli buildah debootstrap jq shellcheck)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep "install ok installed" >/dev/null || missing+=("$p")
done
# node/npm may come from elsewhere (e.g. nodesource); accept any node >= 18.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -L tests/compat/node_modules ]; then
  echo "setup: tests/compat/node_modules is a symlink (shared checkout); not touching it" >&2
elif [ -z "${NS_NO_NPM:-}" ]; then
  stamp=tests/compat/node_modules/.ns-lock-stamp
  if [ ! -f "$stamp" ] || ! cmp -s tests/compat/package-lock.json "$stamp"; then
    echo "setup: installing npm test oracles (tests/compat)" >&2
    (cd tests/compat && npm ci --no-audit --no-fund --loglevel=error)
    cp tests/compat/package-lock.json "$stamp"
  fi
fi

BUILD_DIR=${NS_BUILD_DIR:-build}
echo "setup: building into $BUILD_DIR" >&2
log="$BUILD_DIR/build.log"
mkdir -p "$BUILD_DIR"
if ! { cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release ${NS_CMAKE_ARGS:-} &&
       cmake --build "$BUILD_DIR" -j"$(nproc)"; } >"$log" 2>&1; then
  grep -E "error|warning" "$log" | head -40 >&2 || true
  tail -20 "$log" >&2
  echo "setup: build failed (full log: $log)" >&2
  exit 1
fi
