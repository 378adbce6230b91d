#!/usr/bin/env bash
# Prints the released-image table entry (src/app/releases.c) for an image
# built by scripts/build-eif.sh from a release's commit with AWS's blobs:
#
#   scripts/release-pcrs.sh OUT.eif [VERSION]
#
# The PCRs come from `nitrosetup eif measure` (NS_BIN, else build/nitrosetup,
# else nitrosetup on PATH); VERSION defaults to the source's project
# version, the architecture is the image's.  Paste the line into TABLE in
# src/app/releases.c, above the terminating entry.
set -euo pipefail
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 IMAGE.eif [VERSION]" >&2
    exit 2
fi
SRC=$(cd "$(dirname "$0")/.." && pwd)
BIN=${NS_BIN:-$SRC/build/nitrosetup}
[ -x "$BIN" ] || BIN=$(command -v nitrosetup) || { echo "release-pcrs: no nitrosetup binary" >&2; exit 2; }
VERSION=${2:-$(sed -n 's/^project(nitrosetup VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")}
J=$("$BIN" eif measure "$1" --json)
get() { printf '%s\n' "$J" | sed -n "s/.*\"$1\": \"\([^\"]*\)\".*/\1/p"; }
P0=$(get PCR0) P1=$(get PCR1) P2=$(get PCR2) ARCH=$(get Arch)
for p in "$P0" "$P1" "$P2"; do
    [[ $p =~ ^[0-9a-f]{96}$ ]] || { echo "release-pcrs: $1: no PCRs measured" >&2; exit 1; }
done
printf '    {"%s", "%s",\n     {"%s",\n      "%s",\n      "%s"}},\n' "$VERSION" "$ARCH" "$P0" "$P1" "$P2"
