#!/usr/bin/env bash
# Builds the nitrosetup enclave image reproducibly:
#
#   scripts/build-eif.sh BLOBS_DIR OUT.eif
#
# 1. compiles the `nitrosetup` binary alone (Release, gcc, fixed flags,
#    -ffile-prefix-map, SOURCE_DATE_EPOCH = the commit's time, no -g,
#    stripped) in a build directory of its own;
# 2. assembles the root file system: the binary, exactly the shared
#    libraries it and node need (ldd) under their real paths plus the
#    symbolic links that lead there, the dynamic loader, node, and the
#    circom2 npm package with its runtime dependencies (the closure of its
#    "dependencies" in tests/compat/package-lock.json): the enclave compiles
#    the circuit itself with `node circom2`;
# 3. writes the image with `nitrosetup eif build` (kernel, cmdline, init and
#    nsm.ko from BLOBS_DIR) and prints its measurements; OUT.eif.manifest
#    lists the inputs (commit, compiler, every file with its SHA-256 and
#    Debian package version).
#
# The same commit, blob set and Debian package versions give the same
# OUT.eif, byte for byte, from any directory and on any day
# (docs/enclave-image.md lists the build environment).
#
# Environment:
#   NS_EIF_BINARY=PATH    use this nitrosetup binary instead of building one
#                         (tests; the image is then only as reproducible as it)
#   NS_EIF_ROOTFS=DIR     keep the assembled root file system in DIR (must not exist)
#   NS_ALLOW_DIRTY=1      build from a checkout with uncommitted changes
#   NS_EIF_CMD_EXTRA="A B" test images only: words appended to the image's
#                         command (e.g. --local --drand-sim --trust-ptau PIN
#                         for the AWS twin); split on white space.  Such an
#                         image's PCRs differ from a release's, so it never
#                         verifies as one
set -euo pipefail
if [ $# -ne 2 ]; then
    echo "usage: $0 BLOBS_DIR OUT.eif" >&2
    exit 2
fi
BLOBS=$(cd "$1" && pwd)
OUT=$2
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"

# The start command and environment of the image.  The image's policy (ptau
# table and pins, drand chain and margin, AWS root) is compiled into the
# binary; `--local` (simulated NSM) is never part of an image.
NODE=/usr/bin/node
CIRCOM_DIR=/opt/circom2
CMD=(/usr/bin/nitrosetup enclave --listen vsock:5005 --circom "$NODE $CIRCOM_DIR/node_modules/circom2/cli.js")
ENV=(PATH=/usr/bin HOME=/tmp)
if [ -n "${NS_EIF_CMD_EXTRA:-}" ]; then
    read -r -a EXTRA <<<"$NS_EIF_CMD_EXTRA"
    CMD+=("${EXTRA[@]}")
    echo "build-eif: TEST IMAGE, command extended by: ${EXTRA[*]}" >&2
fi

die() {
    echo "build-eif: $*" >&2
    exit 1
}

if [ -z "${NS_ALLOW_DIRTY:-}" ] && [ -n "$(git status --porcelain --untracked-files=no)" ]; then
    die "the checkout has uncommitted changes (a release image comes from a commit; NS_ALLOW_DIRTY=1 to override)"
fi
COMMIT=$(git rev-parse HEAD)
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct HEAD)
export SOURCE_DATE_EPOCH TZ=UTC LC_ALL=C
umask 022

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ns-build-eif.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# 1. the binary
if [ -n "${NS_EIF_BINARY:-}" ]; then
    BIN=$NS_EIF_BINARY
    [ -x "$BIN" ] || die "NS_EIF_BINARY=$BIN is not executable"
    echo "build-eif: using $BIN (not rebuilt)" >&2
else
    B=$SRC/build-eif
    rm -rf "$B"
    # Paths are mapped away (source and build directory), no debug
    # information, no timestamps (SOURCE_DATE_EPOCH), the build-id is a hash
    # of the content; only the nitrosetup target is built.
    FLAGS="-ffile-prefix-map=$SRC/=/nitrosetup/ -ffile-prefix-map=$B/=/nitrosetup/build/ -g0"
    echo "build-eif: compiling nitrosetup (commit $COMMIT, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >&2
    if ! { CC=gcc cmake -S "$SRC" -B "$B" -DCMAKE_BUILD_TYPE=Release -DNS_NATIVE=OFF -DNS_TRUSTED_PTAU= \
               -DCMAKE_C_FLAGS="$FLAGS" -DCMAKE_EXE_LINKER_FLAGS="-Wl,--build-id=sha1" &&
           cmake --build "$B" --target nitrosetup -j"${NS_JOBS:-2}"; } >"$WORK/build.log" 2>&1; then
        tail -30 "$WORK/build.log" >&2
        die "build failed"
    fi
    BIN=$B/nitrosetup
    strip --strip-all -o "$WORK/nitrosetup" "$BIN"
    BIN=$WORK/nitrosetup
fi
if [ -z "${NS_EIF_BINARY:-}" ]; then
    grep -q -F "$SRC" "$BIN" && die "the binary contains the source path $SRC"
    h=$(hostname)
    if [ ${#h} -ge 6 ] && grep -q -F "$h" "$BIN"; then die "the binary contains the host name $h"; fi
fi

# 2. the root file system
if [ -n "${NS_EIF_ROOTFS:-}" ]; then
    [ ! -e "$NS_EIF_ROOTFS" ] || die "NS_EIF_ROOTFS=$NS_EIF_ROOTFS exists"
    R=$NS_EIF_ROOTFS
else
    R=$WORK/rootfs
fi
mkdir -p "$R"
MANIFEST=$WORK/files
: >"$MANIFEST"

# Debian 12 is merged-/usr: /bin, /lib, /lib64 and /sbin are links into /usr.
for d in bin lib lib64; do
    if [ -L "/$d" ]; then ln -s "$(readlink "/$d")" "$R/$d"; fi
done

# place PATH: the file it names (after every link) at its real path, and
# every symbolic link met on the way, so the loader finds it under the name
# the binary asks for.
place() {
    local p=$1 depth=${2:-0} dir real
    [ "$depth" -lt 16 ] || die "$1: too many symbolic links"
    dir=$(readlink -f "$(dirname "$p")")
    p=$dir/$(basename "$p")
    if [ -L "$p" ]; then
        local t
        t=$(readlink "$p")
        mkdir -p "$R$dir"
        [ -L "$R$p" ] || ln -s "$t" "$R$p"
        case $t in /*) place "$t" $((depth + 1)) ;; *) place "$dir/$t" $((depth + 1)) ;; esac
        return
    fi
    real=$p
    [ -f "$real" ] || die "$real: not a regular file"
    if [ ! -e "$R$real" ]; then
        mkdir -p "$R$(dirname "$real")"
        cp "$real" "$R$real"
        echo "$real" >>"$MANIFEST"
    fi
}

# shared objects of an ELF file, as the dynamic loader resolves them here;
# with a clean environment, since LD_PRELOAD (faketime, sanitizers) and
# LD_LIBRARY_PATH would change what ldd lists
libs_of() {
    env -i PATH=/usr/bin:/bin ldd "$1" | awk '/=> \// { print $3 } /^\t\/[^ ]* \(0x/ { print $1 }'
}

mkdir -p "$R/usr/bin"
cp "$BIN" "$R/usr/bin/nitrosetup"
place "$NODE"
for f in "$BIN" "$NODE"; do
    for l in $(libs_of "$f"); do place "$l"; done
done

# circom2 and the packages it needs at run time, whole, from the lockfile
NM=$SRC/tests/compat/node_modules
if [ ! -f "$NM/circom2/package.json" ]; then
    echo "build-eif: installing tests/compat/node_modules with npm ci (package-lock.json)" >&2
    (cd "$SRC/tests/compat" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
PKGS=$("$NODE" -e '
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
console.log([...seen].sort().join("\n"));' "$SRC/tests/compat/package-lock.json" "$NM") || die "circom2's packages do not match the lockfile"
mkdir -p "$R$CIRCOM_DIR/node_modules"
for p in $PKGS; do
    mkdir -p "$R$CIRCOM_DIR/node_modules/$(dirname "$p")"
    cp -r "$NM/$p" "$R$CIRCOM_DIR/node_modules/$p"
done
CIRCOM2_VERSION=$("$NODE" -p 'require(process.argv[1]).version' "$NM/circom2/package.json")

# 3. the image
ENVARGS=()
for e in "${ENV[@]}"; do ENVARGS+=(--env "$e"); done
IMG_JSON=$("$BIN" eif build "$OUT.tmp" --blobs "$BLOBS" --rootfs "$R" "${ENVARGS[@]}" -- "${CMD[@]}")
mv "$OUT.tmp" "$OUT"

# the manifest: what went in, for a third party to compare
{
    echo "nitrosetup enclave image"
    echo "commit $COMMIT"
    echo "SOURCE_DATE_EPOCH $SOURCE_DATE_EPOCH"
    echo "compiler $(gcc --version | head -1)"
    echo "cmd $(printf '%q ' "${CMD[@]}")"
    echo "env ${ENV[*]}"
    echo "circom2 npm $CIRCOM2_VERSION: $(echo $PKGS | tr '\n' ' ')"
    echo "blobs:"
    for b in "$BLOBS"/*; do echo "  $(sha256sum "$b" | cut -d' ' -f1) $(basename "$b")"; done
    echo "files (sha256, path, Debian package=version):"
    echo "  $(sha256sum "$R/usr/bin/nitrosetup" | cut -d' ' -f1) /usr/bin/nitrosetup (this commit)"
    sort "$MANIFEST" | while read -r f; do
        pkg=$(dpkg -S "$f" 2>/dev/null | head -1 | cut -d: -f1 || true)
        [ -n "$pkg" ] || pkg=$(dpkg -S "$(echo "$f" | sed 's|^/usr||')" 2>/dev/null | head -1 | cut -d: -f1 || true)
        ver=$( [ -n "$pkg" ] && dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || echo "?")
        echo "  $(sha256sum "$f" | cut -d' ' -f1) $f ${pkg:-?}=$ver"
    done
    echo "measurements:"
    echo "$IMG_JSON"
} >"$OUT.manifest"
echo "$IMG_JSON"
echo "build-eif: wrote $OUT and $OUT.manifest" >&2
