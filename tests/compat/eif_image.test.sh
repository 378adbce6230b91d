#!/usr/bin/env bash
# The enclave image is complete and measured right.
#
# scripts/build-eif.sh builds the image from synthetic blobs made here
# (random bytes for the kernel, init and nsm.ko: AWS's binaries are never
# committed), reusing the build tree's nitrosetup.  Then:
#   - `eif measure` prints the PCRs the build printed;
#   - an independent computation (od, openssl, gzip: no code of ours) walks
#     the header and the sections and recomputes PCR0/1/2 and the CRC32;
#   - GNU cpio reads both ramdisks: ramdisk 1 is exactly dev, init, nsm.ko
#     (the blobs' bytes), ramdisk 2 is extracted into a directory;
#   - a whole local ceremony runs whose enclave is the program from that
#     directory, started from the image's own cmd and env in a chroot with
#     no network (unshare -n) and /proc and /dev mounted as AWS's init does,
#     so a missing library or file fails it.  Changes to the image's
#     command: the listen address becomes a Unix socket in the chroot's
#     /tmp, and the test appends the local-mode switches --local (simulated
#     NSM), --drand-sim (no network) and --trust-ptau (the test ptau),
#     which the image's command never contains;
#   - the bundle verifies, and the rootfs without one of its libraries no
#     longer starts.
# Needs root (chroot, unshare, mount).
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"
[ "$(id -u)" -eq 0 ] || ns_fail "needs root (chroot, unshare -n, mount)"
command -v cpio >/dev/null || ns_fail "GNU cpio missing (Debian package cpio; scripts/setup.sh installs it)"
P8=$(ns_ptau 8)
PIN=$(ns_pin "$P8")
M="$NS_SOURCE/examples/multiplier.circom"

ns_log "synthetic blobs"
mkdir blobs
head -c 300000 /dev/urandom >blobs/bzImage
printf 'reboot=k panic=30 pci=off nomodules console=ttyS0 synthetic=1\n' >blobs/cmdline
head -c 70001 /dev/urandom >blobs/init
head -c 9999 /dev/urandom >blobs/nsm.ko

ns_log "scripts/build-eif.sh (nitrosetup from the build tree)"
NS_ALLOW_DIRTY=1 NS_EIF_BINARY="$NS_BIN" bash "$NS_SOURCE/scripts/build-eif.sh" blobs img.eif >build.json 2>build.log ||
    { cat build.log; ns_fail "build-eif.sh failed"; }
pcr() { sed -n "s/.*\"PCR$1\": \"\([0-9a-f]*\)\".*/\1/p" "$2"; }
B0=$(pcr 0 build.json) B1=$(pcr 1 build.json) B2=$(pcr 2 build.json)
[ ${#B0} -eq 96 ] && [ ${#B1} -eq 96 ] && [ ${#B2} -eq 96 ] || { cat build.json; ns_fail "no PCRs printed"; }
grep -q '"HashAlgorithm": "Sha384 { ... }"' build.json || ns_fail "not nitro-cli's JSON shape"
SIZE=$(stat -c %s img.eif)
grep -q "\"Size\": $SIZE," build.json || ns_fail "printed size is not the file's"
MIN=$(sed -n 's/.*"MinMemoryMiB": \([0-9]*\).*/\1/p' build.json)
[ "$MIN" -eq $(((4 * SIZE + 1048575) / 1048576)) ] || ns_fail "MinMemoryMiB $MIN is not 4 x $SIZE bytes in MiB"
grep -q "$(sha256sum img.eif | cut -d' ' -f1)" build.json || ns_fail "printed SHA-256 is not the file's"

ns_log "eif measure equals the build's PCRs"
"$NS_BIN" eif measure img.eif --json >measure.json || ns_fail "eif measure failed"
[ "$(pcr 0 measure.json)$(pcr 1 measure.json)$(pcr 2 measure.json)" = "$B0$B1$B2" ] ||
    { cat build.json measure.json; ns_fail "eif measure disagrees with eif build"; }

ns_log "scripts/release-pcrs.sh prints the table entry"
NS_BIN="$NS_BIN" bash "$NS_SOURCE/scripts/release-pcrs.sh" img.eif 9.9.9 >entry.txt || ns_fail "release-pcrs.sh failed"
[ "$(tr -d ' \n' <entry.txt)" = "{\"9.9.9\",\"x86_64\",{\"$B0\",\"$B1\",\"$B2\"}}," ] ||
    { cat entry.txt; ns_fail "release-pcrs.sh entry is not {version, arch, {PCR0, PCR1, PCR2}}"; }

ns_log "eif build: refusals, aarch64 blobs, same bytes again"
mkdir -p small/bin arm
cp blobs/cmdline blobs/init blobs/nsm.ko arm/
cp blobs/bzImage arm/Image
printf 'x' >small/bin/prog
ns_check_fails "no --rootfs" "$NS_BIN" eif build s.eif --blobs blobs -- /bin/prog
ns_check_fails "relative command" "$NS_BIN" eif build s.eif --blobs blobs --rootfs small -- bin/prog
ns_check_fails "bad --env" "$NS_BIN" eif build s.eif --blobs blobs --rootfs small --env NOVALUE -- /bin/prog
ns_check_fails "no blobs" "$NS_BIN" eif build s.eif --blobs "$W/none" --rootfs small -- /bin/prog
grep -q "no kernel blob" "$W/last.log" || { cat "$W/last.log"; ns_fail "missing kernel blob not named"; }
ns_check_fails "a newline in an argument" "$NS_BIN" eif build s.eif --blobs blobs --rootfs small -- /bin/prog "$(printf 'a\nb')"
[ ! -e s.eif ] || ns_fail "a refused build left s.eif"
ns_check "aarch64 blobs" "$NS_BIN" eif build a1.eif --blobs arm --rootfs small -- /bin/prog
grep -q '"Arch": "aarch64"' "$W/check.log" || ns_fail "Image blob did not give an aarch64 image"
[ "$(od -An -tx1 -j 6 -N 2 a1.eif | tr -d ' \n')" = "0001" ] || ns_fail "aarch64 flag not set"
touch -d @1 small/bin/prog
chmod 0600 small/bin/prog # still no execute bit: 0644 in the image
ns_check "the same again" "$NS_BIN" eif build a2.eif --blobs arm --rootfs small -- /bin/prog
cmp -s a1.eif a2.eif || ns_fail "another mtime and mode on disk changed the image"

ns_log "independent recomputation (od, openssl, gzip)"
be() { printf '%d' "0x$(od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n')"; }
slice() { dd if="$1" bs=1M iflag=skip_bytes,count_bytes skip="$2" count="$3" status=none; }
[ "$(head -c 4 img.eif)" = ".eif" ] || ns_fail "bad magic"
[ "$(be img.eif 4 2)" -eq 4 ] || ns_fail "version is not 4"
NSEC=$(be img.eif 26 2)
[ "$NSEC" -eq 5 ] || ns_fail "$NSEC sections, expected 5"
types=""
: >stream0
: >stream1
: >stream2
rd=0
head -c 544 img.eif >crc_input
for i in $(seq 0 $((NSEC - 1))); do
    off=$(be img.eif $((28 + 8 * i)) 8)
    size=$(be img.eif $((284 + 8 * i)) 8)
    type=$(be img.eif "$off" 2)
    [ "$(be img.eif $((off + 4)) 8)" -eq "$size" ] || ns_fail "section $i: header size differs from the table"
    types="$types$type"
    slice img.eif "$off" $((12 + size)) >>crc_input
    slice img.eif $((off + 12)) "$size" >"sec$i"
    case $type in
    1 | 2) cat "sec$i" >>stream0; cat "sec$i" >>stream1 ;;
    3)
        rd=$((rd + 1))
        cp "sec$i" "rd$rd.cpio"
        cat "sec$i" >>stream0
        if [ $rd -eq 1 ]; then cat "sec$i" >>stream1; else cat "sec$i" >>stream2; fi
        ;;
    5) cp "sec$i" metadata.json ;;
    *) ns_fail "section $i has type $type" ;;
    esac
done
[ "$types" = "12533" ] || ns_fail "section order $types, expected kernel cmdline metadata ramdisk ramdisk"
[ "$(cat sec1)" = "reboot=k panic=30 pci=off nomodules console=ttyS0 synthetic=1" ] || ns_fail "cmdline not trimmed as nitro-cli does"
cmp -s sec0 blobs/bzImage || ns_fail "kernel section is not the blob"
extend() { { head -c 48 /dev/zero; openssl dgst -sha384 -binary "$1"; } | openssl dgst -sha384 -hex | sed 's/.*= //'; }
[ "$(extend stream0)" = "$B0" ] || ns_fail "PCR0 differs from the independent computation"
[ "$(extend stream1)" = "$B1" ] || ns_fail "PCR1 differs from the independent computation"
[ "$(extend stream2)" = "$B2" ] || ns_fail "PCR2 differs from the independent computation"
# gzip's trailer holds the zlib CRC32 of its input, little-endian
gzip -c crc_input >crc_input.gz
crc=$(od -An -tx1 -j $(($(stat -c %s crc_input.gz) - 8)) -N 4 crc_input.gz | awk '{ print $4 $3 $2 $1 }')
[ "$crc" = "$(od -An -tx1 -j 544 -N 4 img.eif | tr -d ' \n')" ] || ns_fail "CRC32 differs from the independent computation"
for key in '"ImageName":"nitrosetup"' '"BuildTime":"' '"BuildTool":"nitrosetup eif build"' '"DockerInfo":null' \
    '"OperatingSystem":' '"KernelVersion":' '"CustomMetadata":{'; do
    grep -q -F "$key" metadata.json || ns_fail "metadata lacks $key"
done

ns_log "GNU cpio reads both ramdisks"
[ "$(cpio -t --quiet <rd1.cpio | tr '\n' ' ')" = "dev init nsm.ko " ] || { cpio -tv <rd1.cpio; ns_fail "ramdisk 1 is not dev, init, nsm.ko"; }
cpio -tv --quiet <rd1.cpio | awk '$3 != "root" || $4 != "root" { exit 1 }' || ns_fail "ramdisk 1 not root-owned"
mkdir r1 r2
(cd r1 && cpio -i --quiet <../rd1.cpio) || ns_fail "cpio -i ramdisk 1"
cmp -s r1/init blobs/init && cmp -s r1/nsm.ko blobs/nsm.ko || ns_fail "ramdisk 1's files are not the blobs"
cpio -t --quiet <rd2.cpio >rd2.list || ns_fail "cpio -t ramdisk 2"
LC_ALL=C sort -c rd2.list || ns_fail "ramdisk 2 paths are not sorted"
cpio -tv --quiet <rd2.cpio | awk '$3 != "root" || $4 != "root" { exit 1 }' || ns_fail "ramdisk 2 not root-owned"
(cd r2 && cpio -i --quiet --no-absolute-filenames <../rd2.cpio) || ns_fail "cpio -i ramdisk 2"
R=$W/r2/rootfs
for d in dev proc run sys tmp; do [ -d "$R/$d" ] || ns_fail "rootfs/$d missing (AWS's init mounts it)"; done
mapfile -t CMD <r2/cmd
mapfile -t ENV <r2/env
grep -q -x -- "--local" r2/cmd && ns_fail "the image's command contains --local"
[ "${CMD[0]}" = /usr/bin/nitrosetup ] && [ "${CMD[1]}" = enclave ] || ns_fail "image command: ${CMD[*]}"
grep -q -x "vsock:5005" r2/cmd || ns_fail "the image does not listen on vsock:5005"
CMD=("${CMD[@]/#vsock:5005/unix:/tmp/e.sock}")

# run ARGS...: the image's environment only, no network, chrooted into R,
# with /proc and /dev as AWS's init mounts them (private mounts)
in_image() {
    env -i "${ENV[@]}" /usr/bin/unshare -n -m --propagation private /bin/sh -c \
        'R=$1; shift; /bin/mount -t proc proc "$R/proc" && /bin/mount -t devtmpfs devtmpfs "$R/dev" && exec /usr/sbin/chroot "$R" "$@"' \
        sh "$R" "$@"
}

ns_log "a local ceremony with the image's enclave, chrooted, no network"
in_image "${CMD[@]}" --local --drand-sim --trust-ptau "$PIN" >enclave.log 2>&1 &
epid=$!
trap 'kill $epid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -S "$R/tmp/e.sock" ] && break; sleep 0.1; done
[ -S "$R/tmp/e.sock" ] || { cat enclave.log; ns_fail "the image's enclave did not start"; }
rc=0
"$NS_BIN" host "$M" --connect "unix:$R/tmp/e.sock" --circom "node $NS_CIRCOM2_CLI" --ptau "$P8" --trust-ptau "$PIN" \
    --drand-sim -o bundle >host.log 2>&1 || rc=$?
erc=0
wait "$epid" || erc=$?
trap - EXIT
[ "$rc" -eq 0 ] && [ "$erc" -eq 0 ] || { cat host.log enclave.log; ns_fail "ceremony failed (host $rc, enclave $erc)"; }
grep -q "\[enclave\] compile: circuit compiled" host.log || { cat host.log; ns_fail "the enclave did not compile the circuit"; }
grep -q '"circom":{"blake2b":"[0-9a-f]*","version":"circom2 npm package' bundle/manifest.json ||
    { cat bundle/manifest.json; ns_fail "the manifest does not record the image's circom"; }
ns_check "verify the bundle" "$NS_BIN" verify bundle --ptau "$P8" --trust-ptau "$PIN" --allow-simulated
grep -q "^RESULT: NOT TRUSTED" "$W/check.log" || { cat "$W/check.log"; ns_fail "unexpected verdict"; }

ns_log "host --eif sizes the enclave from the image and the circuit"
printf '#!/bin/sh\necho "$*" >"%s/nitro-cli.args"\nexit 1\n' "$W" >fake-nitro-cli
chmod +x fake-nitro-cli
NS_NITRO_CLI=$W/fake-nitro-cli "$NS_BIN" host "$M" --eif img.eif --circom "node $NS_CIRCOM2_CLI" --ptau "$P8" \
    --trust-ptau "$PIN" --drand-sim -o b2 >host2.log 2>&1 && ns_fail "host --eif with a failing nitro-cli succeeded"
args=$(cat nitro-cli.args) || { cat host2.log; ns_fail "nitro-cli was not run"; }
mem=$(sed -n 's/.*--memory \([0-9]*\).*/\1/p' <<<"$args")
# the model (protocol/sizing.h): the multiplier's peak is circom's 64 MiB base
# (+ a few KiB), x 1.10, + 512 MiB, + the image; not the whole ptau any more
low=$(((SIZE + 1048575) / 1048576 + 512 + 70))
[ -n "$mem" ] && [ "$mem" -ge "$low" ] && [ "$mem" -le $((low + 4)) ] && [ $((mem % 2)) -eq 0 ] &&
    [ "$mem" -ge "$MIN" ] || ns_fail "run-enclave $args: memory not the model's image + 512 MiB + 1.1 x circom ($low MiB)"
if [ ! -r /sys/module/nitro_enclaves/parameters/ne_cpus ]; then
    grep -q -- "--cpu-count 2 " <<<"$args" || ns_fail "run-enclave $args: not 2 vCPUs without an allocator pool"
fi

ns_log "a library less and the image's program does not start"
in_image /usr/bin/nitrosetup --version >version.log 2>&1 || { cat version.log; ns_fail "nitrosetup --version in the image"; }
rm "$R"/usr/lib/x86_64-linux-gnu/libjansson.so.* 2>/dev/null || rm "$R"/usr/lib/*/libjansson.so.*
if in_image /usr/bin/nitrosetup --version >version.log 2>&1; then ns_fail "runs without libjansson: the chroot is not isolated"; fi
ns_pass
