#!/usr/bin/env bash
# Step "install": downloads the released nitrosetup tarball, checks its
# SHA-256 against the pin before unpacking anything, unpacks it under
# RUNNER_TEMP and records the program for the later steps (GITHUB_ENV
# NITROSETUP, GITHUB_PATH).  The tarball holds bin/nitrosetup (and, for a
# self-contained build, lib/ and a `run` launcher), at its top or in one
# top directory.
# Inputs: NS_VERSION (e.g. 0.1.0), NS_SHA256 (64 hex), NS_URL (optional: the
#         download URL; {version} and {arch} are replaced; default: the
#         release asset of the repository the action comes from)
# Outputs: path (the program), version
# shellcheck source=deploy/action/lib.sh
source "$(dirname "$0")/lib.sh"

version=${NS_VERSION:-}
sha=${NS_SHA256:-}
[ -n "$version" ] || ns_act_die "input nitrosetup-version is empty (the release to install, pinned with nitrosetup-sha256)"
[[ $version =~ ^[0-9A-Za-z][0-9A-Za-z.+-]*$ ]] || ns_act_die "input nitrosetup-version: '$version' is not a version"
[[ $sha =~ ^[0-9a-f]{64}$ ]] || ns_act_die "input nitrosetup-sha256: expected 64 lowercase hex digits (the tarball's SHA-256), not '$sha'"
[ "$(uname -s)" = Linux ] || ns_act_die "nitrosetup runs on Linux runners only, not $(uname -s)"
case "$(uname -m)" in
x86_64 | amd64) arch=x86_64 ;;
aarch64 | arm64) arch=aarch64 ;;
*) ns_act_die "no nitrosetup release for this machine ($(uname -m))" ;;
esac
url=${NS_URL:-}
if [ -z "$url" ]; then
    repo=${GITHUB_ACTION_REPOSITORY:-}
    [ -n "$repo" ] || ns_act_die "input nitrosetup-url is empty and GITHUB_ACTION_REPOSITORY is not set"
    url="${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v{version}/nitrosetup-{version}-linux-{arch}.tar.gz"
fi
url=${url//\{version\}/$version}
url=${url//\{arch\}/$arch}

dest="$RUNNER_TEMP/nitrosetup-$version"
tarball="$RUNNER_TEMP/nitrosetup-$version-$arch.tar.gz"
rm -rf "$dest" "$tarball"
ns_act_log "downloading $url"
# https for the real thing; file:// lets a local run install a build tree's tarball
curl -fsSL --proto '=https,file' --retry 3 --connect-timeout 20 -o "$tarball" "$url" ||
    ns_act_die "cannot download $url"
got=$(sha256sum "$tarball" | cut -d' ' -f1)
[ "$got" = "$sha" ] || { rm -f "$tarball"; ns_act_die "$url: SHA-256 is $got, not the pinned $sha"; }
mkdir -p "$dest"
tar -xzf "$tarball" -C "$dest" --no-same-owner || ns_act_die "$tarball: not a gzip tar archive"
rm -f "$tarball"
root=$dest
if [ ! -e "$root/bin/nitrosetup" ]; then
    # one top directory
    set -- "$dest"/*/
    if [ $# -ne 1 ] || [ ! -e "$1/bin/nitrosetup" ]; then ns_act_die "$url: the archive has no bin/nitrosetup"; fi
    root=${1%/}
fi
prog="$root/bin/nitrosetup"
if [ -x "$root/run" ]; then
    # a self-contained build: its launcher starts the program with its own libraries
    prog="$root/run"
fi
[ -x "$prog" ] || ns_act_die "$prog is not executable"
have=$("$prog" --version 2>&1 | head -1) || ns_act_die "$prog --version failed: $have"
[ "$have" = "nitrosetup $version" ] || ns_act_die "$url: the program says '$have', not 'nitrosetup $version'"
echo "NITROSETUP=$prog" >>"$GITHUB_ENV"
# A release may carry the enclave image and the host program's tarball the
# ceremony needs (nitrosetup ceremony reads NITROSETUP_EIF and
# NITROSETUP_HOST_BUNDLE); one of each, unless the workflow set them.
eif=$(find "$root" -type f -name '*.eif' | sort)
hb=$(find "$root" -type f -name "nitrosetup-host-$arch.tar.gz" | sort)
if [ -z "${NITROSETUP_EIF:-}" ] && [ -n "$eif" ]; then
    [ "$(wc -l <<<"$eif")" -eq 1 ] || ns_act_die "$url: more than one enclave image in the archive"
    echo "NITROSETUP_EIF=$eif" >>"$GITHUB_ENV"
fi
if [ -z "${NITROSETUP_HOST_BUNDLE:-}" ] && [ -n "$hb" ]; then
    [ "$(wc -l <<<"$hb")" -eq 1 ] || ns_act_die "$url: more than one host tarball in the archive"
    echo "NITROSETUP_HOST_BUNDLE=$hb" >>"$GITHUB_ENV"
fi
echo "$root/bin" >>"$GITHUB_PATH"
ns_act_output path "$prog"
ns_act_output version "$version"
ns_act_log "installed $have ($prog, tarball SHA-256 $sha)"
