#!/bin/bash
# scripts/build-host-bundle.sh: the self-contained host program an AWS job's
# instance runs (docs/aws-host.md).
#   - built twice (the second time under another umask and time zone) it is
#     the same bytes, and its printed Sha256 and Size are the file's;
#     another SOURCE_DATE_EPOCH gives other bytes (the mtimes come from it);
#   - it holds run, bin/nitrosetup (our binary) and in lib/ exactly the
#     shared objects ldd lists plus the loader; every entry owned by 0:0;
#   - `run --version` and `run aws template` work in a chroot that holds
#     nothing but the tarball's contents (and, for the shell that reads
#     run, /bin/sh with its libc and loader taken from the tarball), with no
#     network (unshare -n); without lib/libjansson.so.4 the same run fails,
#     so nothing outside the tarball stands in for it;
#   - bad input: a missing binary, a static one, wrong arguments.
# Needs root (chroot, unshare).
source "$NS_COMPAT/lib.sh"
[ "$(id -u)" -eq 0 ] || ns_fail "needs root (chroot, unshare -n, mount)"

S=$NS_SOURCE/scripts/build-host-bundle.sh
ns_workdir
cd "$W" || ns_fail "cannot enter $W"

ns_log "built twice: the same bytes"
bash "$S" "$W/a.tar.gz" "$NS_BIN" >"$W/a.json" 2>"$W/a.err" || { cat "$W/a.err" >&2; ns_fail "build-host-bundle.sh failed"; }
(umask 077 && TZ=Asia/Tokyo LC_ALL=C bash "$S" "$W/b.tar.gz" "$NS_BIN" >"$W/b.json") || ns_fail "second build failed"
ns_same "$W/a.tar.gz" "$W/b.tar.gz" "two builds of the host tarball"
sha=$(sha256sum "$W/a.tar.gz" | cut -c1-64)
size=$(stat -c %s "$W/a.tar.gz")
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (j.Sha256 !== process.argv[2] || j.Size !== Number(process.argv[3]) || !/^(x86_64|aarch64)$/.test(j.Arch)) {
  console.error("printed " + JSON.stringify(j) + ", file has " + process.argv[2] + " " + process.argv[3]); process.exit(1);
}' "$W/a.json" "$sha" "$size" || ns_fail "the printed Sha256/Size/Arch are not the file's"
SOURCE_DATE_EPOCH=1700000000 bash "$S" "$W/c.tar.gz" "$NS_BIN" >/dev/null || ns_fail "build with SOURCE_DATE_EPOCH failed"
if cmp -s "$W/a.tar.gz" "$W/c.tar.gz"; then ns_fail "SOURCE_DATE_EPOCH does not change the tarball"; fi
tar -tvzf "$W/c.tar.gz" >"$W/c.list"
grep -q " 2023-11-1[45] " "$W/c.list" || ns_fail "SOURCE_DATE_EPOCH=1700000000 is not the entries' mtime"
gzip -l -v "$W/a.tar.gz" >/dev/null || ns_fail "not a gzip file"
[ "$(od -An -tu4 -j4 -N4 "$W/a.tar.gz" | tr -d ' ')" = 0 ] || ns_fail "the gzip header carries a time stamp"

ns_log "its contents: run, bin/nitrosetup, lib/ = ldd's list + the loader"
mkdir "$W/x"
tar -xzf "$W/a.tar.gz" -C "$W/x"
ns_same "$W/x/bin/nitrosetup" "$NS_BIN" "bin/nitrosetup"
[ -x "$W/x/run" ] || ns_fail "run is not executable"
tar -tvzf "$W/a.tar.gz" | awk '$2 != "0/0" { bad = 1 } END { exit bad }' || ns_fail "an entry not owned by 0/0"
tar -tzf "$W/a.tar.gz" | LC_ALL=C sort -c 2>/dev/null || ns_fail "entries not in sorted order"
ldd "$NS_BIN" | awk '/=>/ { print $1; next } /ld-linux/ { n = split($1, p, "/"); print p[n] }' | LC_ALL=C sort >"$W/want.txt"
(cd "$W/x/lib" && ls -1 | LC_ALL=C sort) >"$W/got.txt"
diff "$W/want.txt" "$W/got.txt" >"$W/lib.diff" || { cat "$W/lib.diff" >&2; ns_fail "lib/ is not exactly ldd's list plus the loader"; }
while read -r name; do
    real=$(ldd "$NS_BIN" | awk -v n="$name" '$1 == n && $2 == "=>" { print $3 } $1 ~ ("/" n "$") { print $1 }')
    [ -n "$real" ] && cmp -s "$real" "$W/x/lib/$name" || ns_fail "lib/$name is not the file ldd names ($real)"
done <"$W/want.txt"
loader=$(cd "$W/x/lib" && ls ld-linux-*)
grep -q "lib/$loader\" --library-path \"\$d/lib\" \"\$d/bin/nitrosetup\"" "$W/x/run" || ns_fail "run does not start the program with the bundled loader and libraries"

# The chroot: the tarball at /opt/nitrosetup; /bin/sh (dash) reads run and
# finds its libc and loader, copied from the tarball, where dash looks.
R=$W/root
mkdir -p "$R/opt" "$R/bin" "$R/proc" "$R/dev" "$R/tmp"
cp -a "$W/x" "$R/opt/nitrosetup"
cp "$(readlink -f /bin/sh)" "$R/bin/sh"
interp=$(ldd /bin/sh | awk '/ld-linux/ { print $1 }')
libc_dir=$(dirname "$(ldd /bin/sh | awk '$1 == "libc.so.6" { print $3 }')")
mkdir -p "$R$(dirname "$interp")" "$R$libc_dir"
cp "$W/x/lib/$loader" "$R$interp"
cp "$W/x/lib/libc.so.6" "$R$libc_dir/libc.so.6"
in_root() {
    env -i PATH=/bin /usr/bin/unshare -n -m --propagation private /bin/sh -c \
        'R=$1; shift; /bin/mount -t proc proc "$R/proc" && exec /usr/sbin/chroot "$R" "$@"' sh "$R" "$@"
}
ns_log "run --version in a chroot with nothing but the tarball, no network"
in_root /opt/nitrosetup/run --version >"$W/version.txt" 2>&1 || { cat "$W/version.txt" >&2; ns_fail "run --version failed in the chroot"; }
"$NS_BIN" --version >"$W/version.want"
ns_same "$W/version.txt" "$W/version.want" "run --version"
in_root /opt/nitrosetup/run aws template >"$W/template.yaml" 2>&1 || ns_fail "run aws template failed in the chroot"
ns_same "$W/template.yaml" "$NS_SOURCE/deploy/aws/job.yaml" "the template printed from the tarball"
in_root /bin/sh -c 'cd /tmp && /opt/nitrosetup/run --version' >"$W/version2.txt" 2>&1 || ns_fail "run from another directory failed"
ns_same "$W/version2.txt" "$W/version.want" "run --version from /tmp"

ns_log "without lib/libjansson.so.4 it fails: the chroot is isolated"
rm "$R/opt/nitrosetup/lib/libjansson.so.4"
if in_root /opt/nitrosetup/run --version >"$W/nojansson.txt" 2>&1; then ns_fail "runs without libjansson: something outside the tarball stands in"; fi
grep -q "libjansson.so.4" "$W/nojansson.txt" || { cat "$W/nojansson.txt" >&2; ns_fail "the failure does not name libjansson.so.4"; }

ns_log "bad input"
ns_check_fails "no arguments" bash "$S"
grep -q "^build-host-bundle.sh: usage:" "$W/last.log" || ns_fail "no usage line"
ns_check_fails "a missing binary" bash "$S" "$W/d.tar.gz" "$W/no-such-binary"
grep -q "no-such-binary: not an executable file" "$W/last.log" || ns_fail "the missing binary is not named"
printf 'int main(void) { return 0; }\n' >"$W/static.c"
if cc -static -o "$W/static" "$W/static.c" 2>/dev/null; then
    ns_check_fails "a static binary" bash "$S" "$W/d.tar.gz" "$W/static"
    grep -q "static" "$W/last.log" || { cat "$W/last.log" >&2; ns_fail "a static binary: no clear message"; }
fi
ns_check_fails "a bad SOURCE_DATE_EPOCH" env SOURCE_DATE_EPOCH=yesterday bash "$S" "$W/d.tar.gz" "$NS_BIN"
[ ! -e "$W/d.tar.gz" ] || ns_fail "a failed build left $W/d.tar.gz"

ns_pass
