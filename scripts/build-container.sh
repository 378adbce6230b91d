#!/usr/bin/env bash
# Builds the container image of the local tool (deploy/local/Containerfile):
#
#   scripts/build-container.sh [TAG]          (default TAG: localhost/nitrosetup:VERSION)
#
# 1. the Debian 12 base, made once here instead of pulled from a registry:
#    `debootstrap --variant=minbase bookworm` from this machine's Debian
#    mirror, tidied to look like debian:bookworm-slim (apt sources for
#    bookworm, -updates and -security; no documentation; no device nodes,
#    host name or resolver of this machine), kept as a tarball in the cache
#    and as the image localhost/nitrosetup-base:bookworm.  Both are reused
#    while their key matches (the recipe below, the mirror and the month:
#    a new base each month picks up Debian's point releases);
# 2. the build context, assembled in a temporary directory: the nitrosetup
#    binary (compiled like the enclave's: Release, portable, no source
#    paths, stripped), circom2 and exactly the npm packages it needs at run
#    time (the closure of its dependencies in tests/compat/package-lock.json,
#    copied from tests/compat/node_modules; npm never runs in the build), the
#    examples;
# 3. `buildah bud --isolation chroot --layers` (the OCI runtime, and so
#    buildah's default isolation, is not available on every machine; chroot
#    isolation needs none), with the Debian mirror the only network the
#    build uses (the Containerfile's apt-get);
# 4. prints the image id on stdout (everything else goes to stderr).
#
# Idempotent: a second run reuses the base and the cached apt layer and
# only redoes the copies.
#
# Environment:
#   NS_CONTAINER_BINARY=PATH   use this nitrosetup binary instead of compiling
#                              one (tests; must run on Debian 12's libraries)
#   NS_CONTAINER_BUILDER=docker  build with `docker build` from
#                              debian:bookworm-slim instead (a registry is
#                              needed; no debootstrap)
#   NS_CONTAINER_BASE=IMAGE    another base image (must be Debian 12)
#   NS_CONTAINER_CACHE=DIR     where the base tarball is kept
#                              (default ~/.cache/nitrosetup-test/container)
#   NS_DEBIAN_MIRROR=URL       the Debian mirror (default: the first one in
#                              /etc/apt/sources.list*, else deb.debian.org)
#   NS_JOBS=N                  compile with N jobs (default 2)
# Needs root (debootstrap, buildah's storage); installs buildah and
# debootstrap with apt-get when they are missing.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
export LC_ALL=C TZ=UTC
umask 022

die() {
    echo "build-container: $*" >&2
    exit 1
}
say() { echo "build-container: $*" >&2; }

[ $# -le 1 ] || { echo "usage: $0 [TAG]" >&2; exit 2; }
BUILDER=${NS_CONTAINER_BUILDER:-buildah}
case $BUILDER in buildah | docker) ;; *) die "NS_CONTAINER_BUILDER=$BUILDER: must be buildah or docker" ;; esac
CACHE=${NS_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nitrosetup-test/container}
BASE_IMAGE=localhost/nitrosetup-base:bookworm
CONTAINERFILE=$SRC/deploy/local/Containerfile
[ -f "$CONTAINERFILE" ] || die "$CONTAINERFILE: missing"

# The machine's Debian mirror: the first URI of a "debian" archive in the
# apt sources (one-line or deb822 format).
debian_mirror() {
    local f u
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        u=$(sed -n -e 's|^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([a-z]\+://[^[:space:]]*/debian/\?\)[[:space:]].*|\2|p' \
                   -e 's|^URIs:[[:space:]]*\([a-z]\+://[^[:space:]]*/debian/\?\)[[:space:]]*$|\1|p' "$f" | head -1)
        if [ -n "$u" ]; then
            echo "${u%/}"
            return
        fi
    done
    echo "http://deb.debian.org/debian"
}

need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null && return
    [ "$(id -u)" -eq 0 ] || die "$1 is missing (Debian package $2) and installing it needs root"
    say "installing $2 (apt-get)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2 ||
        die "apt-get install $2 failed"
}

# --- 2. the build context ---------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ns-build-container.XXXXXX")
cleanup() {
    [ -n "${BASE_CTR:-}" ] && buildah rm "$BASE_CTR" >/dev/null 2>&1
    rm -rf "$WORK"
}
trap cleanup EXIT
CTX=$WORK/context
mkdir -p "$CTX"

if [ -n "${NS_CONTAINER_BINARY:-}" ]; then
    [ -x "$NS_CONTAINER_BINARY" ] || die "NS_CONTAINER_BINARY=$NS_CONTAINER_BINARY is not executable"
    cp "$NS_CONTAINER_BINARY" "$CTX/nitrosetup"
    say "using $NS_CONTAINER_BINARY (not rebuilt)"
else
    B=$SRC/build-container
    FLAGS="-ffile-prefix-map=$SRC/=/nitrosetup/ -ffile-prefix-map=$B/=/nitrosetup/build/ -g0"
    say "compiling nitrosetup into $B (Release, portable)"
    if ! { CC=gcc cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release -DNS_NATIVE=OFF \
               -DCMAKE_C_FLAGS="$FLAGS" &&
           cmake --build "$B" --target nitrosetup -j"${NS_JOBS:-2}"; } >"$WORK/build.log" 2>&1; then
        tail -30 "$WORK/build.log" >&2
        die "build failed"
    fi
    strip --strip-all -o "$CTX/nitrosetup" "$B/nitrosetup"
fi
VERSION=$("$CTX/nitrosetup" --version | sed -n 's/^nitrosetup \([^ ]*\).*/\1/p')
[ -n "$VERSION" ] || die "$CTX/nitrosetup --version does not print 'nitrosetup VERSION'"
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || REVISION="$REVISION-dirty"
TAG=${1:-localhost/nitrosetup:$VERSION}

# circom2 and the packages it needs at run time, from the lockfile
NM=$SRC/tests/compat/node_modules
[ -f "$NM/circom2/package.json" ] ||
    die "$NM/circom2 missing: run 'npm ci' in tests/compat (scripts/setup.sh does)"
PKGS=$(node -e '
const lock = require(process.argv[1]).packages, seen = new Set(), todo = ["circom2"];
while (todo.length) {
    const n = todo.pop();
    if (seen.has(n)) continue;
    const e = lock["node_modules/" + n];
    if (!e) { console.error("not in the lockfile: " + n); process.exit(1); }
    const have = require(process.argv[2] + "/" + n + "/package.json").version;
    if (have !== e.version) {
        console.error(`node_modules/${n} is ${have}, the lockfile says ${e.version}: run npm ci in tests/compat`);
        process.exit(1);
    }
    seen.add(n);
    todo.push(...Object.keys(e.dependencies || {}));
}
console.log([...seen].sort().join("\n"));' "$SRC/tests/compat/package-lock.json" "$NM") ||
    die "tests/compat/package-lock.json: circom2's packages do not match tests/compat/node_modules"
mkdir -p "$CTX/circom2/node_modules"
for p in $PKGS; do
    mkdir -p "$CTX/circom2/node_modules/$(dirname "$p")"
    cp -r "$NM/$p" "$CTX/circom2/node_modules/$p"
done
cp -r "$SRC/examples" "$CTX/examples"
cp "$CONTAINERFILE" "$CTX/Containerfile"
# Reproducible copies: the same bytes give the same layer digests.
find "$CTX" -exec touch -h -d @0 {} +
chmod -R u+rwX,go+rX,go-w "$CTX"

ARGS=(--build-arg "VERSION=$VERSION" --build-arg "REVISION=$REVISION")

if [ "$BUILDER" = docker ]; then
    command -v docker >/dev/null || die "docker not found"
    [ -n "${NS_CONTAINER_BASE:-}" ] && ARGS+=(--build-arg "BASE=$NS_CONTAINER_BASE")
    say "docker build -t $TAG"
    docker build "${ARGS[@]}" --iidfile "$WORK/iid" -t "$TAG" -f "$CTX/Containerfile" "$CTX" >&2 ||
        die "docker build failed"
    cat "$WORK/iid"
    echo
    exit 0
fi

# --- 1. the base --------------------------------------------------------------
need buildah buildah
SUITE=bookworm
MIRROR=${NS_DEBIAN_MIRROR:-$(debian_mirror)}
# The recipe's version: bump it when make_base changes.
RECIPE=2
KEY=$(printf 'recipe %s\nsuite %s\nmirror %s\nmonth %s\narch %s\n' "$RECIPE" "$SUITE" "$MIRROR" \
    "$(date -u +%Y-%m)" "$(uname -m)" | sha256sum | cut -c1-16)

# make_base DIR: a minimal Debian 12 root in DIR, like debian:bookworm-slim
make_base() {
    local r=$1
    need debootstrap debootstrap
    say "debootstrap --variant=minbase $SUITE from $MIRROR (once; cached under $CACHE)"
    debootstrap --variant=minbase "$SUITE" "$r" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
        { tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    rm -f "$r/etc/apt/sources.list"
    cat >"$r/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    # as the slim image: no documentation, manual pages or translations
    cat >"$r/etc/dpkg/dpkg.cfg.d/slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$r/etc/apt/apt.conf.d/00slim"
    # nothing of this machine: its device nodes, name and resolver; no caches
    rm -rf "${r:?}"/dev/* "${r:?}"/proc/* "${r:?}"/sys/* "${r:?}"/run/* "${r:?}"/tmp/* "${r:?}"/var/tmp/* \
        "${r:?}"/var/cache/apt/*.bin "${r:?}"/var/cache/apt/archives/*.deb "${r:?}"/var/lib/apt/lists/* \
        "${r:?}"/var/log/* "${r:?}"/debootstrap
    : >"$r/etc/hostname"
    : >"$r/etc/resolv.conf"
}

# import_base TARBALL: the image $BASE_IMAGE from the root file system
import_base() {
    local m
    BASE_CTR=$(buildah from --pull=never scratch) || die "buildah from scratch failed"
    m=$(buildah mount "$BASE_CTR") || die "buildah mount failed"
    tar -C "$m" --numeric-owner -xpf "$1" || die "$1: cannot unpack"
    buildah umount "$BASE_CTR" >/dev/null
    buildah config --os linux --arch "$(go_arch)" --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        --cmd bash --label "nitrosetup.base-key=$KEY" --label "nitrosetup.base-mirror=$MIRROR" "$BASE_CTR"
    buildah commit --rm --quiet "$BASE_CTR" "$BASE_IMAGE" >/dev/null || die "buildah commit of the base failed"
    BASE_CTR=
}

go_arch() {
    case $(uname -m) in
        x86_64) echo amd64 ;;
        aarch64) echo arm64 ;;
        *) uname -m ;;
    esac
}

if [ -n "${NS_CONTAINER_BASE:-}" ]; then
    BASE=$NS_CONTAINER_BASE
    PULL=false
else
    BASE=$BASE_IMAGE
    PULL=never
    have=$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "nitrosetup.base-key"}}' "$BASE_IMAGE" 2>/dev/null || true)
    if [ "$have" = "$KEY" ]; then
        say "base $BASE_IMAGE (key $KEY) is in the store"
    else
        mkdir -p "$CACHE"
        TARBALL=$CACHE/base-$SUITE-$KEY.tar
        if [ ! -f "$TARBALL" ]; then
            [ "$(id -u)" -eq 0 ] || die "making the base with debootstrap needs root"
            make_base "$WORK/rootfs"
            tar -C "$WORK/rootfs" --numeric-owner --sort=name -cf "$TARBALL.tmp" . || die "cannot write $TARBALL"
            rm -rf "$WORK/rootfs"
            mv "$TARBALL.tmp" "$TARBALL"
            # earlier keys' tarballs are stale now
            find "$CACHE" -maxdepth 1 -name "base-$SUITE-*.tar" ! -name "base-$SUITE-$KEY.tar" -delete
        else
            say "base tarball $TARBALL (cached)"
        fi
        say "importing the base as $BASE_IMAGE"
        import_base "$TARBALL"
    fi
fi

# --- 3. the image ----------------------------------------------------------------
say "buildah bud -t $TAG (base $BASE)"
BUILDAH_ISOLATION=${BUILDAH_ISOLATION:-chroot} buildah bud --layers --pull="$PULL" \
    "${ARGS[@]}" --build-arg "BASE=$BASE" --iidfile "$WORK/iid" -t "$TAG" \
    -f "$CTX/Containerfile" "$CTX" >&2 || die "buildah bud failed"
sed "s/^sha256://" "$WORK/iid"
echo
say "built $TAG"
