#!/usr/bin/env bash
# The AWS twin's EC2 instances, without the twin's server
# (tests/aws/twin/instance.js, sandbox.sh, standins/, tests/aws/vsock_shim.c):
#   - the vsock shim: a listener and a client (Debian's python3, its own
#     AF_VSOCK code) exchange bytes through abstract Unix sockets, with
#     plausible vsock addresses on both sides;
#   - `instance.js prepare`: the test enclave image, built with --local
#     --drand-sim and the test ptau's pin in its command, cached; a bad pin
#     list is refused;
#   - one instance (tests/aws/instance_driver.js: startInstance and a stub
#     of the twin's control routes) whose user data arms the kill switches,
#     installs nitro-cli, configures and starts the allocator and runs the
#     image; a host outside the sandbox completes a ceremony with that
#     enclave over vsock:<cid>:5005 and the bundle verifies; the user data
#     then terminates the enclave and powers off, which reaches the stub;
#     the sandbox's /usr is read-only, the AWS CLI inside is the real one
#     with the instance's credentials; nothing of the instance is left
#     (processes, mounts);
#   - `nitrosetup host --eif` inside an instance: the product's own
#     run-enclave / terminate-enclave calls against the nitro-cli stand-in,
#     vsock through /etc/ld.so.preload's shim, and the bundle verifies;
#   - refusals in another instance: an unknown dnf package, run-enclave
#     before the allocator, a missing and an invalid allocator.yaml, memory
#     below 4 x the image (E26), above the pool (E27), an odd CPU count
#     (E20), more CPUs than the pool (E22), a file that is not an image
#     (E35); host-fail changes the first download of in/circuit.r1cs only;
#     poweroff without the twin's route falls back to onPoweroff;
#   - faults: allocator-fail (the user data's ERR trap fires and powers
#     off), enclave-dies (the host fails naming the enclave); a kill-switch
#     timer the twin does not take is kept by instance.js (TWIN_TIME_SCALE);
#     an instance dies with the process that started it.
# Needs root (namespaces, chroot, mounts), unshare and setpriv (util-linux),
# cpio, curl and /usr/bin/aws.
source "$NS_COMPAT/lib.sh"
ns_workdir
cd "$W" || exit 1
[ "$(id -u)" -eq 0 ] || ns_fail "needs root (unshare, chroot, mount)"
for c in unshare setpriv cpio curl; do command -v $c >/dev/null || ns_fail "$c missing"; done
[ -x /usr/bin/aws ] || ns_fail "/usr/bin/aws missing (Debian package awscli)"
[ -f "${NS_VSOCK_SHIM:-}" ] || ns_fail "NS_VSOCK_SHIM not set or missing (CMake target ns_vsock_shim)"
TW=$NS_SOURCE/tests/aws/twin
DRIVER=$NS_SOURCE/tests/aws/instance_driver.js
P8=$(ns_ptau 8)
PIN=$(ns_pin "$P8")
M=$NS_SOURCE/examples/multiplier.circom
DRIVERS=()
cleanup() {
    local p
    for p in "${DRIVERS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${DRIVERS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# wait_for FILE SECONDS: true once FILE exists
wait_for() {
    for _ in $(seq $(($2 * 10))); do
        [ -e "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

ns_log "vsock shim: listener and client exchange bytes (python3's AF_VSOCK)"
cat >vs.py <<'EOF'
import socket, sys
if sys.argv[1] == "listen":
    s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    s.bind((socket.VMADDR_CID_ANY, int(sys.argv[2])))
    s.listen(1)
    print("bound", s.getsockname(), flush=True)
    c, peer = s.accept()
    data = c.recv(100)
    print("peer", peer, "got", data.decode(), flush=True)
    c.sendall(data[::-1])
    c.close()
else:
    c = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    c.connect((int(sys.argv[2]), int(sys.argv[3])))
    print("client", c.getsockname(), c.getpeername(), flush=True)
    c.sendall(b"ping-through-vsock")
    print("reply", c.recv(100).decode(), flush=True)
EOF
VPORT=$((20000 + $$ % 20000))
NS_VSOCK_SHIM_CID=21 LD_PRELOAD=$NS_VSOCK_SHIM timeout 20 /usr/bin/python3 vs.py listen $VPORT >vs-listen.log 2>&1 &
lp=$!
DRIVERS+=("$lp")
for _ in $(seq 50); do grep -q bound vs-listen.log && break; sleep 0.1; done
LD_PRELOAD=$NS_VSOCK_SHIM timeout 10 /usr/bin/python3 vs.py connect 21 $VPORT >vs-client.log 2>&1 || { cat vs-listen.log vs-client.log; ns_fail "shim: the client failed"; }
wait $lp || { cat vs-listen.log; ns_fail "shim: the listener failed"; }
grep -q "^bound (21, $VPORT)" vs-listen.log || { cat vs-listen.log; ns_fail "shim: a VMADDR_CID_ANY bind is not named by NS_VSOCK_SHIM_CID"; }
grep -q "^reply kcosv-hguorht-gnip" vs-client.log || { cat vs-client.log; ns_fail "shim: no reply through the shim"; }
grep -q "^client (3, [0-9]*) (21, $VPORT)" vs-client.log || { cat vs-client.log; ns_fail "shim: client addresses are not the parent's CID 3 and the listener's"; }
grep -q "^peer (3, [0-9]*) got ping-through-vsock" vs-listen.log || { cat vs-listen.log; ns_fail "shim: accept's peer is not a vsock address of CID 3"; }
LD_PRELOAD=$NS_VSOCK_SHIM /usr/bin/python3 -c 'import socket; s = socket.socket(socket.AF_INET); s.bind(("127.0.0.1", 0)); print(s.getsockname()[0])' >inet.log 2>&1 &&
    grep -q 127.0.0.1 inet.log || { cat inet.log; ns_fail "shim: an AF_INET socket is not passed through"; }

ns_log "instance.js prepare: the test image (cached), a bad pin list refused"
ns_check_fails "a bad NS_TWIN_TRUST_PTAU" env NS_TWIN_TRUST_PTAU=nothex node "$TW/instance.js" prepare "$W/bad"
grep -q "NS_TWIN_TRUST_PTAU: nothex" "$W/last.log" || { cat "$W/last.log"; ns_fail "the bad pin is not named"; }
[ "$(wc -l <"$W/last.log")" -eq 1 ] || { cat "$W/last.log"; ns_fail "not a one-line error"; }
node "$TW/instance.js" prepare "$W/twin" >prepare.out 2>prepare.log || { cat prepare.log; ns_fail "prepare failed"; }
EIF=$W/twin/enclave.eif
[ "$(cat prepare.out)" = "$EIF" ] || ns_fail "prepare printed $(cat prepare.out), not $EIF"
grep -q -x "$PIN" "$W/twin/instance-kit/trust-ptau" || ns_fail "the image does not trust the power-8 test ptau"
( source "$W/twin/prepare.env" && [[ " $TWIN_TRUST_PTAU " == *" $PIN "* ]] && [ -f "$TWIN_VSOCK_SHIM" ] && [ ${#TWIN_EIF_PCR0} -eq 96 ] ) ||
    { cat "$W/twin/prepare.env"; ns_fail "prepare.env lacks the pins, the shim or the PCRs"; }
t0=$(date +%s)
node "$TW/instance.js" prepare "$W/twin2" >/dev/null 2>prepare2.log || { cat prepare2.log; ns_fail "prepare (cached) failed"; }
[ $(($(date +%s) - t0)) -le 10 ] || ns_fail "the second prepare did not use the cache"
cmp -s "$EIF" "$W/twin2/enclave.eif" || ns_fail "the cached image differs"
EIF_MIB=$((($(stat -c %s "$EIF") + 1048575) / 1048576))
MEM=$((4 * EIF_MIB + 64))
MEM=$((MEM + MEM % 2))

# boot NAME USERDATA [FAULTS]: starts an instance whose /var/lib/nitrosetup
# holds the image; its directory is $W/NAME
boot() {
    local d=$W/$1
    mkdir -p "$d/root/var/lib/nitrosetup"
    ln "$EIF" "$d/root/var/lib/nitrosetup/enclave.eif" 2>/dev/null || cp "$EIF" "$d/root/var/lib/nitrosetup/enclave.eif"
    node "$DRIVER" "$NS_SOURCE/tests/aws/twin/instance.js" "$d" "$2" "${3:-}" >"$d.driver.out" 2>&1 &
    DRIVERS+=("$!")
}
# ended NAME SECONDS: true once the instance's sandbox has ended
ended() {
    for _ in $(seq $(($2 * 10))); do
        grep -q "^exit " "$W/$1/driver.log" 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}

ns_log "an instance runs the image; a host outside completes a ceremony over vsock"
cat >ud-main.sh <<EOF
#!/bin/bash
set -Eeuo pipefail
shutdown -h +240 "nitrosetup max lifetime"
systemd-run --unit=nitrosetup-ttl --on-active=240m /usr/bin/systemctl poweroff --force
env >/tmp/env.txt
touch /usr/twin-write-test 2>/dev/null && echo "USR-WRITABLE" || echo "usr is read-only"
aws --version
vp=\$((30000 + RANDOM))
env -i /usr/bin/python3 -c "import socket; s = socket.socket(socket.AF_VSOCK); s.bind((socket.VMADDR_CID_ANY, \$vp)); print('preload', open('/proc/net/unix').read().count('@nsvsock-3-\$vp'))"
aws s3 cp s3://twin-bucket/jobs/j/in/circuit.r1cs /tmp/c.r1cs --no-progress
sha256sum /tmp/c.r1cs
dnf install -y aws-nitro-enclaves-cli-1.4.2
printf -- '---\nmemory_mib: %s\ncpu_count: %s\n' $MEM 2 >/etc/nitro_enclaves/allocator.yaml
systemctl enable --now nitro-enclaves-allocator.service
systemctl enable --now docker
nitro-cli run-enclave --eif-path /var/lib/nitrosetup/enclave.eif --memory $MEM --cpu-count 2 >/tmp/run.tmp
mv /tmp/run.tmp /tmp/run.json
nitro-cli describe-enclaves >/tmp/describe.json
while [ ! -e /tmp/go ]; do sleep 0.2; done
nitro-cli describe-enclaves >/tmp/describe-after.json
id=\$(sed -n 's/.*"EnclaveID": "\(.*\)".*/\1/p' /tmp/run.json)
nitro-cli terminate-enclave --enclave-id "\$id" >/tmp/terminate.json
echo "user data: powering off"
systemctl poweroff --force
echo "NOT REACHED"
EOF
boot main ud-main.sh
R=$W/main/root
wait_for "$R/tmp/run.json" 60 || { cat "$W/main/console.log" "$W/main/driver.log"; ns_fail "run-enclave did not finish"; }
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8").replace(/^[^{]*/s, ""));
const d = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const ok = /^i-0a1b2c3d4e5f60718-enc[0-9a-f]{16}$/.test(r.EnclaveID) && r.EnclaveCID >= 4 && r.NumberOfCPUs === 2 &&
    r.MemoryMiB === Number(process.argv[3]) && Array.isArray(r.CPUIDs) && r.CPUIDs.length === 2 && r.ProcessID > 0 &&
    d.length === 1 && d[0].State === "RUNNING" && d[0].EnclaveID === r.EnclaveID && d[0].Flags === "NONE";
if (!ok) { console.error(JSON.stringify([r, d])); process.exit(1); }
console.log(r.EnclaveCID);' "$R/tmp/run.json" "$R/tmp/describe.json" "$MEM" >cid.txt ||
    ns_fail "run-enclave / describe-enclaves output is not nitro-cli's"
CID=$(cat cid.txt)
grep -q -- "--local --drand-sim --trust-ptau .*$PIN" "$R/var/log/twin-standins.log" ||
    { cat "$R/var/log/twin-standins.log"; ns_fail "the enclave was not started with the image's test command"; }
rc=0
LD_PRELOAD=$NS_VSOCK_SHIM "$NS_BIN" host "$M" --connect "vsock:$CID:5005" --circom "node $NS_CIRCOM2_CLI" --ptau "$P8" \
    --trust-ptau "$PIN" --drand-sim -o bundle >host.log 2>&1 || rc=$?
[ $rc -eq 0 ] || { cat host.log; cat "$R"/var/log/nitro_enclaves/*.console; ns_fail "the ceremony with the instance's enclave failed"; }
grep -q "\[enclave\] compile: circuit compiled" host.log || ns_fail "the enclave did not compile the circuit"
ns_check "verify the bundle" "$NS_BIN" verify bundle --ptau "$P8" --trust-ptau "$PIN" --allow-simulated
grep -q "^RESULT: NOT TRUSTED" "$W/check.log" || { cat "$W/check.log"; ns_fail "unexpected verdict"; }
touch "$R/tmp/go"
ended main 30 || { cat "$W/main/console.log" "$W/main/driver.log"; ns_fail "the instance did not power off"; }
DL=$W/main/driver.log
grep -q '^post /_twin/instance/i-0a1b2c3d4e5f60718/timer {"kind":"shutdown","minutes":240,' "$DL" ||
    { cat "$DL"; ns_fail "shutdown -h +240 did not reach the twin's timer route"; }
grep -q '^post /_twin/instance/i-0a1b2c3d4e5f60718/timer {"kind":"systemd-run","minutes":240,' "$DL" ||
    { cat "$DL"; ns_fail "systemd-run --on-active=240m did not reach the twin's timer route"; }
grep -q '^post /_twin/instance/i-0a1b2c3d4e5f60718/poweroff ' "$DL" || { cat "$DL"; ns_fail "poweroff did not reach the twin"; }
grep -q '^onPoweroff' "$DL" && ns_fail "onPoweroff called although the twin took the poweroff"
grep -q '^req GET /twin-bucket/jobs/j/in/circuit.r1cs ASIATWININSTANCE0001' "$DL" ||
    { cat "$DL"; ns_fail "the instance's aws did not reach the twin with the instance's credentials"; }
C=$W/main/console.log
grep -q "usr is read-only" "$C" || ns_fail "the sandbox's /usr is writable"
grep -q "^aws-cli/2\.9\." "$C" || { cat "$C"; ns_fail "the instance's aws is not the Debian AWS CLI v2"; }
node -e 'process.stdout.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251)))' | sha256sum | cut -d' ' -f1 >obj.sha
grep -q "^$(cat obj.sha)  /tmp/c.r1cs" "$C" || { cat "$C"; ns_fail "aws s3 cp did not download the object intact"; }
grep -q "user data: powering off" "$C" && ! grep -q "NOT REACHED" "$C" || { cat "$C"; ns_fail "the user data went on after poweroff"; }
grep -q "^Cloud-init v. .* running 'modules:final'" "$C" || ns_fail "no cloud-init banner on the console"
grep -q "AWS_ACCESS_KEY_ID\|NITROSETUP_AWS\|^HOME=" "$R/tmp/env.txt" && { cat "$R/tmp/env.txt"; ns_fail "the user data's environment is not cloud-init's"; }
grep -q "^LD_PRELOAD=/opt/twin/lib/ns_vsock_shim.so$" "$R/tmp/env.txt" || ns_fail "the shim is not preloaded in the sandbox"
[ "$(cat "$R/tmp/describe-after.json")" = "[]" ] || { cat "$R/tmp/describe-after.json"; ns_fail "describe-enclaves lists the enclave after its program ended"; }
grep -q '"Terminated": true' "$R/tmp/terminate.json" || ns_fail "terminate-enclave did not print nitro-cli's JSON"
[ -z "$(ls "$R/var/lib/twin-enclaves")" ] || ns_fail "the terminated enclave's extracted image was left"
grep -q "^preload 1$" "$C" || { cat "$C"; ns_fail "a program with a scrubbed environment does not get the shim (/etc/ld.so.preload)"; }
for s in "dnf install -y aws-nitro-enclaves-cli-1.4.2" "systemctl enable --now nitro-enclaves-allocator.service" \
    "nitro-cli run-enclave --eif-path /var/lib/nitrosetup/enclave.eif --memory $MEM --cpu-count 2" \
    "nitro-cli terminate-enclave --enclave-id" "systemctl poweroff --force"; do
    grep -q -F "$s" "$R/var/log/twin-standins.log" || { cat "$R/var/log/twin-standins.log"; ns_fail "stand-in log lacks: $s"; }
done
sleep 0.5
grep -q -F "$W/" /proc/self/mountinfo && { grep -F "$W/" /proc/self/mountinfo; ns_fail "the instance left mounts behind"; }
for p in /proc/[0-9]*; do
    case $(readlink "$p/root" 2>/dev/null) in "$W"/*) ns_fail "process ${p#/proc/} of the instance is still running" ;; esac
done

ns_log "host --eif inside an instance: the product's nitro-cli calls against the stand-in"
# the instance has the machine's /usr (so nitrosetup's libraries and node);
# the binary, circom2, the circuit and the ptau are put into its root
I=$W/inside/root/opt/ns
mkdir -p "$I/node_modules"
cp "$NS_BIN" "$I/nitrosetup"
cp "$M" "$P8" "$I/"
node -e '
const lock = require(process.argv[1]).packages, seen = new Set(), todo = ["circom2"];
while (todo.length) { const n = todo.pop(); if (seen.has(n)) continue; seen.add(n);
    todo.push(...Object.keys((lock["node_modules/" + n] || {}).dependencies || {})); }
console.log([...seen].join("\n"));' "$NS_COMPAT/package-lock.json" >circom2.deps
while read -r p; do
    mkdir -p "$I/node_modules/$(dirname "$p")"
    cp -r "$NS_COMPAT/node_modules/$p" "$I/node_modules/$p"
done <circom2.deps
cat >ud-inside.sh <<EOF
#!/bin/bash
set -Eeuo pipefail
dnf install -y aws-nitro-enclaves-cli
printf -- '---\nmemory_mib: 8192\ncpu_count: 2\n' >/etc/nitro_enclaves/allocator.yaml
systemctl enable --now nitro-enclaves-allocator.service
cd /tmp
rc=0
env -u LD_PRELOAD /opt/ns/nitrosetup host /opt/ns/$(basename "$M") --eif /var/lib/nitrosetup/enclave.eif \
    --circom "node /opt/ns/node_modules/circom2/cli.js" --ptau /opt/ns/$(basename "$P8") --trust-ptau $PIN --drand-sim \
    -o /tmp/bundle || rc=\$?
echo "host rc=\$rc"
nitro-cli describe-enclaves
poweroff
EOF
boot inside ud-inside.sh
ended inside 180 || { cat "$W/inside/console.log"; ns_fail "host --eif inside the instance did not end"; }
C=$W/inside/console.log
grep -q "^host rc=0$" "$C" || { cat "$C"; ns_fail "host --eif inside the instance failed"; }
grep -q "\[host\] enclave: started i-0a1b2c3d4e5f60718-enc[0-9a-f]* (CID [0-9]*)" "$C" || { cat "$C"; ns_fail "the host did not start the enclave through nitro-cli"; }
grep -q "\[host\] enclave: terminated i-0a1b2c3d4e5f60718-enc" "$C" || { cat "$C"; ns_fail "the host did not terminate the enclave through nitro-cli"; }
grep -q "nitro-cli run-enclave --eif-path /var/lib/nitrosetup/enclave.eif --cpu-count 2 --memory [0-9]*$" "$W/inside/root/var/log/twin-standins.log" ||
    ns_fail "the host's run-enclave call is not in the stand-in log"
ns_check "verify the bundle made inside" "$NS_BIN" verify "$W/inside/root/tmp/bundle" --ptau "$P8" --trust-ptau "$PIN" --allow-simulated
grep -q "^RESULT: NOT TRUSTED" "$W/check.log" || { cat "$W/check.log"; ns_fail "unexpected verdict (inside)"; }

ns_log "refusals: dnf, the allocator, run-enclave; host-fail; poweroff without the twin's route"
cat >ud-neg.sh <<EOF
#!/bin/bash
r() { local n=\$1; shift; "\$@" >/tmp/\$n.out 2>&1; echo "\$n=\$?"; cat /tmp/\$n.out; }
E=/var/lib/nitrosetup/enclave.eif
r dnf dnf install -y aws-nitro-enclaves-cli-1.4.2 no-such-package
r nocli nitro-cli --version
dnf install -y aws-nitro-enclaves-cli-1.4.2 >/dev/null
r noalloc nitro-cli run-enclave --eif-path \$E --memory $MEM --cpu-count 2
rm /etc/nitro_enclaves/allocator.yaml
r noyaml systemctl enable --now nitro-enclaves-allocator.service
printf -- '---\nmemory_mib: lots\ncpu_count: 2\n' >/etc/nitro_enclaves/allocator.yaml
r badyaml systemctl enable --now nitro-enclaves-allocator.service
printf -- '---\nmemory_mib: %s\ncpu_count: 4\n' $((MEM + 100)) >/etc/nitro_enclaves/allocator.yaml
r alloc systemctl enable --now nitro-enclaves-allocator.service
r small nitro-cli run-enclave --eif-path \$E --memory $((4 * EIF_MIB - 2)) --cpu-count 2
r pool nitro-cli run-enclave --eif-path \$E --memory $((MEM + 200)) --cpu-count 2
r odd nitro-cli run-enclave --eif-path \$E --memory $MEM --cpu-count 3
r cpus nitro-cli run-enclave --eif-path \$E --memory $MEM --cpu-count 6
r noteif nitro-cli run-enclave --eif-path /etc/passwd --memory $MEM --cpu-count 2
r none nitro-cli describe-enclaves
r debug nitro-cli run-enclave --eif-path \$E --memory $MEM --cpu-count 2 --debug-mode
r dbgdesc nitro-cli describe-enclaves
r second nitro-cli run-enclave --eif-path \$E --memory $MEM --cpu-count 2
r termall nitro-cli terminate-enclave --all
r after nitro-cli describe-enclaves
r c1 aws s3 cp s3://twin-bucket/jobs/j/in/circuit.r1cs /tmp/c1.r1cs --no-progress
r c2 aws s3 cp s3://twin-bucket/jobs/j/in/circuit.r1cs /tmp/c2.r1cs --no-progress
r j1 aws s3 cp s3://twin-bucket/jobs/j/in/job.json /tmp/job.json --no-progress
sha256sum /tmp/c1.r1cs /tmp/c2.r1cs /tmp/job.json
poweroff
EOF
STUB_ROUTES=0 boot neg ud-neg.sh host-fail
ended neg 60 || { cat "$W/neg/console.log" "$W/neg/driver.log"; ns_fail "the refusals instance did not power off"; }
C=$W/neg/console.log
expect() { grep -q -e "$2" "$C" || { cat "$C"; ns_fail "$1"; }; }
expect "unknown dnf package accepted" '^dnf=1$'
expect "dnf's refusal not named" '^No match for argument: no-such-package$'
expect "nitro-cli present before dnf installed it" '^nocli=127$'
expect "run-enclave without the allocator accepted" '^noalloc=1$'
expect "no allocator pool not named (E27)" 'E27 .*nitro-enclaves-allocator'
expect "allocator without allocator.yaml started" '^noyaml=1$'
expect "allocator with memory_mib: lots started" '^badyaml=1$'
expect "no systemd-like failure message" 'Job for nitro-enclaves-allocator.service failed'
expect "the allocator did not start" '^alloc=0$'
expect "memory below 4 x the image accepted" '^small=1$'
expect "E26 not named" "E26 \] Insufficient memory requested.*minimum memory should be $((4 * EIF_MIB)) MB"
expect "memory above the pool accepted" '^pool=1$'
expect "E27 not named" "E27 \] Insufficient memory available"
expect "odd CPU count accepted" '^odd=1$'
expect "E20 not named" 'E20 \] Invalid CPU configuration'
expect "more CPUs than the pool accepted" '^cpus=1$'
expect "E22 not named" 'E22 \] Insufficient CPUs'
expect "a non-image accepted" '^noteif=1$'
expect "E35 not named" 'E35 \] EIF file parsing error'
expect "describe-enclaves failed" '^none=0$'
expect "run-enclave --debug-mode refused" '^debug=0$'
expect "debug mode not recorded" '"Flags": "DEBUG_MODE"'
expect "a second enclave beyond the pool's memory accepted" '^second=1$'
expect "terminate-enclave --all failed" '^termall=0$'
grep -A1 '^after=0$' "$C" | tail -1 | grep -q '^\[\]$' || { cat "$C"; ns_fail "terminate-enclave --all left an enclave"; }
expect "downloads failed" '^c2=0$'
grep -q "$(cat obj.sha)  /tmp/c1.r1cs" "$C" && ns_fail "host-fail: the first circuit download arrived intact"
grep -q "$(cat obj.sha)  /tmp/c2.r1cs" "$C" || ns_fail "host-fail: the second circuit download was changed too (one-shot)"
grep -q "$(cat obj.sha)  /tmp/job.json" "$C" || ns_fail "host-fail: job.json was changed"
grep -q "^onPoweroff" "$W/neg/driver.log" || { cat "$W/neg/driver.log"; ns_fail "poweroff without the twin's route did not call onPoweroff"; }
grep -q "nitro-enclaves-allocator.*memory_mib missing" "$W/neg/root/var/log/journal.txt" ||
    ns_fail "the allocator's journal does not name the bad memory_mib"

ns_log "host-fail with s3api get-object --range and options after the file (the host program's own download)"
cat >ud-hf.sh <<'EOF'
#!/bin/bash
aws s3api get-object --bucket twin-bucket --key jobs/j/in/circuit.tar --range bytes=0-4095 /tmp/piece \
    --output json --no-cli-pager --cli-connect-timeout 10 --cli-read-timeout 60 --region us-east-1 >/dev/null
echo "get=$?"
sha256sum /tmp/piece
poweroff
EOF
boot hf ud-hf.sh host-fail
ended hf 60 || { cat "$W/hf/console.log"; ns_fail "the host-fail instance did not power off"; }
grep -q "^get=0$" "$W/hf/console.log" || { cat "$W/hf/console.log"; ns_fail "host-fail: get-object failed"; }
grep -q "  /tmp/piece" "$W/hf/console.log" && ! grep -q "$(cat obj.sha)  /tmp/piece" "$W/hf/console.log" ||
    { cat "$W/hf/console.log"; ns_fail "host-fail: the get-object download arrived intact"; }

ns_log "fault allocator-fail: the user data's ERR trap reports and powers off"
cat >ud-alloc.sh <<'EOF'
#!/bin/bash
set -Eeuo pipefail
trap 'echo "FAILED at line $LINENO"; systemctl poweroff --force' ERR
dnf install -y aws-nitro-enclaves-cli
printf -- '---\nmemory_mib: 2048\ncpu_count: 2\n' >/etc/nitro_enclaves/allocator.yaml
systemctl enable --now nitro-enclaves-allocator.service
echo "ALLOCATOR STARTED"
EOF
boot alloc ud-alloc.sh allocator-fail
ended alloc 30 || { cat "$W/alloc/console.log"; ns_fail "allocator-fail: the instance did not power off"; }
C=$W/alloc/console.log
grep -q "Job for nitro-enclaves-allocator.service failed" "$C" && grep -q "FAILED at line 6" "$C" &&
    ! grep -q "ALLOCATOR STARTED" "$C" || { cat "$C"; ns_fail "allocator-fail: the allocator started or the trap did not fire"; }
grep -q "^take allocator-fail" "$W/alloc/driver.log" || ns_fail "allocator-fail was not taken"
grep -q "^post /_twin/instance/.*/poweroff" "$W/alloc/driver.log" || ns_fail "allocator-fail: no poweroff"

ns_log "fault enclave-dies: the host fails naming the enclave"
DCID=$((5000000 + $$ % 1000000))
cat >ud-dies.sh <<EOF
#!/bin/bash
set -Eeuo pipefail
dnf install -y aws-nitro-enclaves-cli
printf -- '---\nmemory_mib: %s\ncpu_count: %s\n' $MEM 2 >/etc/nitro_enclaves/allocator.yaml
systemctl enable --now nitro-enclaves-allocator.service
while [ ! -e /tmp/start ]; do sleep 0.1; done
nitro-cli run-enclave --eif-path /var/lib/nitrosetup/enclave.eif --memory $MEM --cpu-count 2 --enclave-cid $DCID >/tmp/run.json
while nitro-cli describe-enclaves >/tmp/d.json && grep -q RUNNING /tmp/d.json; do sleep 0.2; done
echo "ENCLAVE GONE"
EOF
boot dies ud-dies.sh enclave-dies:1
# the host first (it compiles and makes 0000.zkey, then waits for the
# enclave), so that it is connected when the enclave dies
(
    rc=0
    LD_PRELOAD=$NS_VSOCK_SHIM "$NS_BIN" host "$M" --connect vsock:$DCID:5005 --circom "node $NS_CIRCOM2_CLI" --ptau "$P8" \
        --trust-ptau "$PIN" --drand-sim -o bundle-dies >host-dies.log 2>&1 || rc=$?
    echo $rc >host-dies.rc
) &
hp=$!
for _ in $(seq 600); do grep -q "zkey new" host-dies.log 2>/dev/null && break; sleep 0.1; done
wait_for "$W/dies/root/run/nitro_enclaves/allocator.pool" 30 || { cat "$W/dies/console.log"; ns_fail "enclave-dies: no allocator"; }
touch "$W/dies/root/tmp/start"
wait "$hp"
[ "$(cat host-dies.rc)" != 0 ] || { cat host-dies.log; ns_fail "enclave-dies: the host succeeded"; }
tail -3 host-dies.log | grep -q -i "enclave" || { cat host-dies.log; ns_fail "enclave-dies: the host's error does not name the enclave"; }
[ ! -e bundle-dies/manifest.json ] || ns_fail "enclave-dies: a bundle was written"
for _ in $(seq 50); do grep -q "fault enclave-dies .* killed" "$W/dies/root/var/log/twin-standins.log" && break; sleep 0.1; done
grep -q "fault enclave-dies .* killed.*after.*1s" "$W/dies/root/var/log/twin-standins.log" || ns_fail "enclave-dies: the enclave was not killed by the fault"
for _ in $(seq 50); do grep -q "ENCLAVE GONE" "$W/dies/console.log" && break; sleep 0.1; done
grep -q "ENCLAVE GONE" "$W/dies/console.log" || { cat "$W/dies/console.log"; ns_fail "enclave-dies: describe-enclaves still lists the enclave"; }
kill "${DRIVERS[-1]}"
ended dies 10 || ns_fail "enclave-dies: kill() did not end the instance"

ns_log "a kill-switch timer the twin does not take is kept by instance.js"
cat >ud-ttl.sh <<'EOF'
#!/bin/bash
shutdown -h +1 "max lifetime"
sleep 60
echo "STILL UP"
EOF
t0=$(date +%s)
STUB_ROUTES=0 TWIN_TIME_SCALE=30 boot ttl ud-ttl.sh
ended ttl 20 || { cat "$W/ttl/console.log"; ns_fail "the 1-minute timer (scale 30) did not power off"; }
[ $(($(date +%s) - t0)) -ge 2 ] || ns_fail "the timer fired before 60 s / 30"
grep -q "STILL UP" "$W/ttl/console.log" && ns_fail "the instance stayed up past its timer"
grep -q "^onPoweroff" "$W/ttl/driver.log" || ns_fail "the sandbox's timer did not power off through onPoweroff"
grep -q "^fired shutdown 60$" "$W/ttl/root/run/twin/timers" || ns_fail "the timer is not recorded as fired by instance.js"

ns_log "the instance dies with the process that started it"
cat >ud-orphan.sh <<'EOF'
#!/bin/bash
echo "UP"
sleep 300
EOF
boot orphan ud-orphan.sh
for _ in $(seq 100); do grep -q "^UP" "$W/orphan/console.log" 2>/dev/null && break; sleep 0.1; done
grep -q "^UP" "$W/orphan/console.log" || ns_fail "the orphan instance did not boot"
kill -KILL "${DRIVERS[-1]}"
left=1
for _ in $(seq 50); do
    left=0
    for p in /proc/[0-9]*; do
        case $(readlink "$p/root" 2>/dev/null) in "$W/orphan"/*) left=1 ;; esac
    done
    [ $left -eq 0 ] && break
    sleep 0.1
done
[ $left -eq 0 ] || ns_fail "the instance outlived the process that started it"

ns_pass
