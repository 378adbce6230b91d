#!/bin/bash
# build-host-bundle.sh OUT.tar.gz [BINARY]
#
# The self-contained host program an AWS job's instance runs
# (docs/aws-host.md): BINARY (default build/nitrosetup) as bin/nitrosetup,
# lib/ holding exactly the shared objects ldd lists for it plus the dynamic
# loader, and run, which starts the program with that loader and those
# libraries, so it runs on Amazon Linux 2023 without Debian's libraries.
# The tarball is reproducible: names sorted, every mtime SOURCE_DATE_EPOCH
# (default 0), owner and group 0, fixed modes, gzip without a name or time.
# Prints {"Sha256": ..., "Size": ..., "Arch": ...} on stdout.
set -euo pipefail

die() {
    echo "build-host-bundle.sh: $*" >&2
    exit 1
}

[ $# -eq 1 ] || [ $# -eq 2 ] || die "usage: build-host-bundle.sh OUT.tar.gz [BINARY]"
out=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${2:-$here/build/nitrosetup}
if [ ! -f "$bin" ] || [ ! -x "$bin" ]; then die "$bin: not an executable file"; fi
epoch=${SOURCE_DATE_EPOCH:-0}
[[ $epoch =~ ^[0-9]+$ ]] || die "SOURCE_DATE_EPOCH=$epoch: not a number of seconds"

stage=$(mktemp -d "${TMPDIR:-/tmp}/host-bundle.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib"
cp "$bin" "$stage/bin/nitrosetup"

# ldd: "soname => /path (0x...)" per library, "/path/ld-linux-*.so.N (0x...)"
# for the loader, "linux-vdso.so.1 (0x...)" for the kernel's (no file).
ldd_out=$(ldd "$bin" 2>&1) || die "$bin: ldd failed: $ldd_out"
loader=
while read -r line; do
    case $line in
    *"not found"*) die "$bin: a shared object is missing: $line" ;;
    *" => "*)
        name=${line%% => *}
        path=${line#* => }
        path=${path%% (*}
        [ -f "$path" ] || die "$bin: $name resolves to $path, which is not a file"
        cp -L "$path" "$stage/lib/$name"
        ;;
    /*ld-linux*)
        path=${line%% (*}
        loader=$(basename "$path")
        cp -L "$path" "$stage/lib/$loader"
        ;;
    linux-vdso.so.* | linux-gate.so.*) ;;
    *) die "$bin: unexpected ldd line: $line" ;;
    esac
done <<<"$ldd_out"
[ -n "$loader" ] || die "$bin: ldd names no dynamic loader (a static binary needs no bundle)"
case $loader in
ld-linux-x86-64.so.*) arch=x86_64 ;;
ld-linux-aarch64.so.*) arch=aarch64 ;;
*) die "$loader: a loader of an architecture this script does not know" ;;
esac

# run: the loader started directly, so /proc/self/exe is the loader, not
# bin/nitrosetup (the host's --job path never re-executes itself).
cat >"$stage/run" <<EOF
#!/bin/sh
# Starts bin/nitrosetup with the loader and libraries of this bundle
# (shell builtins only: it must run where nothing but a shell exists).
case \$0 in */*) d=\${0%/*} ;; *) d=. ;; esac
d=\$(cd "\$d" && pwd) || exit 1
exec "\$d/lib/$loader" --library-path "\$d/lib" "\$d/bin/nitrosetup" "\$@"
EOF

chmod 0755 "$stage" "$stage/bin" "$stage/lib" "$stage/run" "$stage/bin/nitrosetup" "$stage/lib/$loader"
find "$stage/lib" -type f ! -name "$loader" -exec chmod 0644 {} +

tmp_out="$out.tmp.$$"
(cd "$stage" && tar --sort=name --format=gnu --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    -cf - bin lib run) | gzip -9 -n >"$tmp_out" || {
    rm -f "$tmp_out"
    die "$out: cannot write the tarball"
}
mv "$tmp_out" "$out"
sha=$(sha256sum "$out" | cut -c1-64)
size=$(stat -c %s "$out")
printf '{"Sha256": "%s", "Size": %s, "Arch": "%s"}\n' "$sha" "$size" "$arch"
