#!/usr/bin/env bash
# The container image of the local tool (deploy/local/Containerfile):
#   - scripts/build-container.sh builds it with buildah from the local
#     debootstrap base (cached: ~/.cache/nitrosetup-test/container), with
#     the build tree's nitrosetup, into a container store of the test's own
#     (CONTAINERS_STORAGE_CONF; the machine's store is not touched);
#   - the image's configuration: entry point nitrosetup, working directory
#     /work, a user that is not root, the version label of the binary, no
#     AWS variable;
#   - its file system, mounted with `buildah mount`, is run with its own
#     environment and user in a chroot with no network (unshare -n), /proc
#     and a minimal /dev, as a container runtime would: `nitrosetup
#     --version` and `--help` through the entry point, `aws --version` (the
#     AWS CLI v2), circom2's and circom's `--version`, then the local demo
#     (a whole `ceremony --local` on the bundled multiplier example with the
#     test ptau, --drand-sim) and `nitrosetup verify` of its bundle, inside
#     and with the build tree's binary outside; the tool runs as process 1
#     of its PID namespace, as under docker, and Ctrl-C (SIGINT) still
#     stops it with exit 130 and no partial output;
#   - no credential is baked in: the build runs with AWS variables set and a
#     ~/.aws/credentials file, each holding a marker, and neither the image's
#     configuration nor any file of it contains a marker, and its ~/.aws is
#     an empty folder.
# Bad input (two tags, an unknown builder, a missing binary) is refused with
# one line.  Prints how long the build and the whole test took (the base cached or not).
# Needs root (debootstrap, buildah's storage, chroot, unshare, mount).
source "${NS_COMPAT:-$(dirname "$0")/../compat}/lib.sh"
ns_workdir
cd "$W" || ns_fail "cannot enter $W"
# set -e ends the test on a failed command: say where
trap 'echo "FAIL: $NS_TEST_NAME: line $LINENO: a command failed (status $?)" >&2' ERR
[ "$(id -u)" -eq 0 ] || ns_fail "needs root (buildah, chroot, unshare -n, mount)"
T0=$(date +%s)
P8=$(ns_ptau 8)
PIN=$(ns_pin "$P8")

CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/nitrosetup-test/container
mkdir -p "$CACHE"
cold="cached"
ls "$CACHE"/base-bookworm-*.tar >/dev/null 2>&1 || cold="not cached"
# the test's own container store, kept with the cached base
cat >"$CACHE/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$CACHE/store"
runroot = "$CACHE/run"
EOF
export CONTAINERS_STORAGE_CONF=$CACHE/storage.conf
command -v buildah >/dev/null && [ "$(buildah images -q 2>/dev/null | wc -l)" -gt 60 ] &&
    { ns_log "the test store holds over 60 images: emptying it"; buildah rmi --all --force >/dev/null 2>&1 || true; }

# One tag, kept: the next run reuses its layers (the apt-get step above all).
TAG=localhost/nitrosetup-test:latest
CTR=
cleanup() {
    if [ -n "$CTR" ]; then
        buildah umount "$CTR" >/dev/null 2>&1 || true
        buildah rm "$CTR" >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

ns_log "scripts/build-container.sh: bad input is refused in one line"
BC=$NS_SOURCE/scripts/build-container.sh
ns_check_fails "two tags" bash "$BC" a b
grep -q "^usage: " "$W/last.log" || { cat "$W/last.log"; ns_fail "no usage line"; }
ns_check_fails "unknown builder" env NS_CONTAINER_BUILDER=podman bash "$BC"
grep -q "^build-container: NS_CONTAINER_BUILDER=podman: must be buildah or docker$" "$W/last.log" ||
    { cat "$W/last.log"; ns_fail "unknown builder not named"; }
ns_check_fails "missing binary" env NS_CONTAINER_BINARY="$W/none" bash "$BC"
grep -q "^build-container: NS_CONTAINER_BINARY=$W/none is not executable$" "$W/last.log" ||
    { cat "$W/last.log"; ns_fail "missing binary not named"; }

ns_log "scripts/build-container.sh (base $cold)"
MARK=nsmark$RANDOM$RANDOM$RANDOM
mkdir -p home/.aws
printf '[default]\naws_access_key_id = AKIA%s\naws_secret_access_key = %s\n' "$MARK" "$MARK" >home/.aws/credentials
B0=$(date +%s)
HOME=$W/home NS_CONTAINER_CACHE=$CACHE NS_CONTAINER_BINARY=$NS_BIN \
    AWS_ACCESS_KEY_ID=AKIA$MARK AWS_SECRET_ACCESS_KEY=$MARK AWS_SESSION_TOKEN=$MARK AWS_PROFILE=$MARK \
    bash "$NS_SOURCE/scripts/build-container.sh" "$TAG" >iid 2>build.log ||
    { tail -40 build.log; ns_fail "scripts/build-container.sh failed"; }
BUILD_S=$(($(date +%s) - B0))
IID=$(cat iid)
[[ $IID =~ ^[0-9a-f]{64}$ ]] || { cat iid; ns_fail "build-container.sh did not print an image id"; }
[ "$(buildah inspect --type image --format '{{.FromImageID}}' "$TAG")" = "$IID" ] ||
    ns_fail "the printed id is not the image tagged $TAG"

ns_log "the image's configuration"
buildah inspect --type image "$TAG" >inspect.json || ns_fail "buildah inspect $TAG failed"
node -e '
const c = JSON.parse(require("fs").readFileSync(process.argv[1])).OCIv1.config;
const out = [`USER=${c.User || ""}`, `WORKDIR=${c.WorkingDir || ""}`,
             `ENTRYPOINT=${JSON.stringify(c.Entrypoint || [])}`,
             `VERSION=${(c.Labels || {})["org.opencontainers.image.version"] || ""}`];
for (const e of c.Env || []) out.push("ENV " + e);
console.log(out.join("\n"));' inspect.json >config.txt
cfg() { sed -n "s/^$1=//p" config.txt; }
[ "$(cfg ENTRYPOINT)" = '["nitrosetup"]' ] || { cat config.txt; ns_fail "the entry point is not [\"nitrosetup\"]"; }
[ "$(cfg WORKDIR)" = /work ] || { cat config.txt; ns_fail "the working directory is not /work"; }
WANT=$("$NS_BIN" --version | sed -n 's/^nitrosetup \([^ ]*\).*/\1/p')
[ "$(cfg VERSION)" = "$WANT" ] || { cat config.txt; ns_fail "the version label is not $WANT"; }
grep -q '^ENV AWS_' config.txt && { cat config.txt; ns_fail "the image sets an AWS variable"; }
grep -q "$MARK" inspect.json && ns_fail "the image's configuration contains a credential given to the build"
mapfile -t ENV < <(sed -n 's/^ENV //p' config.txt)
USER_=$(cfg USER)
[ -n "$USER_" ] || ns_fail "the image has no user (it would run as root)"

CTR=$(buildah from --pull=never "$TAG") || ns_fail "buildah from $TAG failed"
R=$(buildah mount "$CTR") || ns_fail "buildah mount failed"
[ -x "$R/usr/local/bin/nitrosetup" ] || ns_fail "no /usr/local/bin/nitrosetup in the image"
# the user, as the image's /etc/passwd has it
case $USER_ in
    *:*) UID_=${USER_%%:*} GID_=${USER_#*:} ;;
    *) UID_=$(awk -F: -v u="$USER_" '$1 == u || $3 == u { print $3; exit }' "$R/etc/passwd")
       GID_=$(awk -F: -v u="$USER_" '$1 == u || $3 == u { print $4; exit }' "$R/etc/passwd") ;;
esac
{ [ -n "$UID_" ] && [ -n "$GID_" ]; } || ns_fail "user $USER_ is not in the image's /etc/passwd"
[ "$UID_" -ne 0 ] || ns_fail "the image's user $USER_ is root"
[ "$GID_" -ne 0 ] || ns_fail "the image's user $USER_ is in group root"

ns_log "no credentials in the image"
# ~/.aws may be there for the mount, but empty
found=$(find "$R" -xdev -name .aws \( ! -type d -o ! -empty \) 2>/dev/null | sed "s|^$R||")
[ -z "$found" ] || ns_fail "the image has a non-empty AWS folder: $found"
hits=$(grep -r -l -F -s "$MARK" "$R" | sed "s|^$R||" | head -5 || true)
[ -z "$hits" ] || ns_fail "a credential given to the build is in the image: $hits"

# in_image CMD...: CMD in the image's file system, with its environment,
# user and working directory, no network, /proc and a minimal /dev (the
# nodes a container runtime provides), in mount and PID namespaces of its
# own where CMD is process 1, as under a container runtime.  SIGINT is
# reset to its default (bash ignores it in background jobs).
in_image() {
    env --default-signal=INT -i "${ENV[@]}" /usr/bin/unshare -n -m -p -f --propagation private /bin/sh -c '
        R=$1 U=$2 WD=$3; shift 3
        /bin/mount -t proc proc "$R/proc" &&
        /bin/mount -t tmpfs -o mode=755,nosuid tmpfs "$R/dev" || exit 125
        for d in null zero full random urandom tty; do
            : >"$R/dev/$d" && /bin/mount --bind "/dev/$d" "$R/dev/$d" || exit 125
        done
        exec /usr/sbin/chroot --userspec="$U" "$R" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$WD" "$@"' \
        sh "$R" "$UID_:$GID_" "$(cfg WORKDIR)" "$@"
}
# the entry point with ARGS, as `docker run IMAGE ARGS` runs it
run_image() { in_image nitrosetup "$@"; }

ns_log "the programs, inside the image without network"
ns_check "nitrosetup --version" run_image --version
grep -q "^nitrosetup $WANT" "$W/check.log" || { cat "$W/check.log"; ns_fail "nitrosetup --version is not $WANT"; }
ns_check "nitrosetup --help" run_image --help
grep -q "ceremony" "$W/check.log" || { cat "$W/check.log"; ns_fail "the help does not list ceremony"; }
ns_check "the user is not root" in_image id -u
[ "$(cat "$W/check.log")" = "$UID_" ] || { cat "$W/check.log"; ns_fail "id -u is not $UID_"; }
ns_check "aws --version" in_image aws --version
grep -q "^aws-cli/2\." "$W/check.log" || { cat "$W/check.log"; ns_fail "aws is not the AWS CLI v2"; }
ns_check "circom2 --version" in_image circom2 --version
grep -q "circom compiler 2\." "$W/check.log" || { cat "$W/check.log"; ns_fail "circom2 does not say circom compiler 2."; }
ns_check "circom --version" in_image circom --version
grep -q "circom compiler 2\." "$W/check.log" || { cat "$W/check.log"; ns_fail "circom is not circom2"; }
ns_check "network interfaces inside" in_image cat /proc/net/dev
{ [ "$(grep -c ':' "$W/check.log")" -eq 1 ] && grep -q '^ *lo:' "$W/check.log"; } ||
    { cat "$W/check.log"; ns_fail "the image's commands run with a network (not only lo)"; }

ns_log "the local demo inside the image"
install -o "$UID_" -g "$GID_" -m 0644 "$P8" "$R/work/pot08.ptau"
EX=/usr/local/share/nitrosetup/examples/multiplier.circom
[ -f "$R$EX" ] || ns_fail "no $EX in the image"
D0=$(date +%s)
ns_check "ceremony --local (in the image)" run_image ceremony --local "$EX" --ptau pot08.ptau \
    --trust-ptau "$PIN" --drand-sim -o bundle
DEMO_S=$(($(date +%s) - D0))
[ -s "$R/work/bundle/final.zkey" ] || ns_fail "the demo wrote no bundle/final.zkey"
[ "$(stat -c %u "$R/work/bundle/final.zkey")" = "$UID_" ] || ns_fail "the bundle is not owned by the image's user"
grep -q '"circom":{"blake2b":"[0-9a-f]*","version":"circom2 npm package' "$R/work/bundle/manifest.json" ||
    ns_fail "the bundle's manifest does not record the image's circom2"
ns_check "verify (in the image)" run_image verify bundle --ptau pot08.ptau --trust-ptau "$PIN" --allow-simulated
grep -q "^RESULT: NOT TRUSTED" "$W/check.log" || { cat "$W/check.log"; ns_fail "unexpected verdict inside"; }
ns_check "verify (outside, build tree's binary)" "$NS_BIN" verify "$R/work/bundle" --ptau "$P8" --trust-ptau "$PIN" \
    --allow-simulated --circuit "$NS_SOURCE/examples/multiplier.circom"
grep -q "ok   circuit source" "$W/check.log" || { cat "$W/check.log"; ns_fail "the bundle is not of examples/multiplier.circom"; }

ns_log "Ctrl-C: the tool runs as process 1 and cleans up (docker run -it sends SIGINT to it)"
run_image ceremony --local "$EX" --ptau pot08.ptau --trust-ptau "$PIN" --drand-sim -o cut >cut.log 2>&1 &
up=$!
for _ in $(seq 400); do
    grep -q "\[enclave\] receive inputs" cut.log && break
    sleep 0.05
done
# process 1 is the child of the unshare below $up (the background job)
ps -e -o pid=,ppid=,comm= >ps.txt || true
pid1=$(awk -v top="$up" '
    { par[$1] = $2; comm[$1] = $3 }
    END {
        for (p in par) {
            if (comm[par[p]] != "unshare") continue
            for (a = par[p]; a != "" && a != 0 && a != top; a = par[a]) {}
            if (a == top) { print p; exit }
        }
    }' ps.txt)
[ -n "$pid1" ] || { cat cut.log ps.txt; ns_fail "the ceremony did not start"; }
[ "$(cat "/proc/$pid1/comm" 2>/dev/null)" = nitrosetup ] || ns_fail "process 1 of the run is not nitrosetup"
grep -q "^NSpid:.*[[:space:]]1$" "/proc/$pid1/status" || ns_fail "nitrosetup is not process 1 in its PID namespace"
kill -INT "$pid1"
rc=0
wait "$up" || rc=$?
[ "$rc" -eq 130 ] || { cat cut.log; ns_fail "Ctrl-C: exit $rc, not 130"; }
grep -q "interrupted (Interrupt); removed partial output" cut.log || { cat cut.log; ns_fail "Ctrl-C: no clean-up message"; }
ls -d "$R"/work/cut* >/dev/null 2>&1 && { ls -la "$R/work"; ns_fail "Ctrl-C left output behind"; }

echo "   times: build ${BUILD_S}s (base $cold), demo ${DEMO_S}s, test $(($(date +%s) - T0))s"
ns_pass
