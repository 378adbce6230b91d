#!/usr/bin/env bash
# A hostile host: with NS_TEST_HOSTILE=<mode> (a test-only hook of the host)
# the host misbehaves at one step; each run must end with a clear error from
# the enclave, a non-zero exit and no bundle (not even a staging directory).
# Then the enclave is driven directly over its Unix socket with garbage.
source "$(dirname "$0")/lib.sh"
ns_ceremony_setup

run_mode() {
    local mode=$1 expect=$2 rc=0
    NS_TEST_HOSTILE=$mode "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" \
        --circom "$CIRCOM" --ptau "$P8" "${T8[@]}" --drand-sim -o "out-$mode" >"$mode.log" 2>&1 || rc=$?
    [ "$rc" -eq 1 ] || { cat "$mode.log"; ns_fail "$mode: exit $rc, expected 1"; }
    grep -q -- "$expect" "$mode.log" || { cat "$mode.log"; ns_fail "$mode: no '$expect' in the output"; }
    grep -q "no bundle was written" "$mode.log" || ns_fail "$mode: no final failure line"
    [ ! -e "out-$mode" ] || ns_fail "$mode: a bundle directory exists"
    ls -d "out-$mode".partial-* >/dev/null 2>&1 && ns_fail "$mode: a staging directory was left"
    echo "   $mode: $(grep -B1 'no bundle was written' "$mode.log" | head -1)"
}

run_mode wrong-ptau "not the one announced in HELLO"
run_mode untrusted-ptau "step 'hello'.*is not a Hermez ptau nor pinned"
run_mode tamper-0000 "step 'verify 0000.zkey'"
run_mode oversize-frame "exceeds the limit"
run_mode oversize-file "exceeds the limit"
run_mode truncated-frame "truncated"
run_mode kill-enclave "closed the connection"
run_mode wrong-certchain "differs from the document's"
run_mode wrong-round "the committed round is"
run_mode bad-signature "step 'drand'"
run_mode wrong-drand-chain "another drand chain"

# The enclave alone, fed garbage over its socket: it must refuse and exit 1.
for case in magic version oversize; do
    sock="$W/e-$case.sock"
    mkdir -p "e-$case"
    "$NS_BIN" enclave --local --listen "unix:$sock" --workdir "$W/e-$case" --circom "$CIRCOM" --drand-sim \
        >"enclave-$case.log" 2>&1 &
    pid=$!
    NODE_CASE=$case SOCK=$sock node -e '
        const net = require("net");
        const hdr = Buffer.from([0x4e, 0x53, 0x43, 0x50, 1, 1, 0, 0, 0, 0, 0, 2]);
        if (process.env.NODE_CASE === "magic") hdr[0] = 0x58;
        if (process.env.NODE_CASE === "version") hdr[4] = 9;
        if (process.env.NODE_CASE === "oversize") hdr.writeUInt32BE(0x7fffffff, 8);
        const tryConnect = (n) => {
            const s = net.connect(process.env.SOCK);
            s.on("error", () => { if (n > 0) setTimeout(() => tryConnect(n - 1), 100); else process.exit(3); });
            s.on("connect", () => { s.write(Buffer.concat([hdr, Buffer.from("{}")])); });
            s.on("data", () => {});
            s.on("close", () => process.exit(0));
        };
        tryConnect(100);' || ns_fail "enclave-$case: could not reach the enclave"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 1 ] || { cat "enclave-$case.log"; ns_fail "enclave-$case: exit $rc, expected 1"; }
    grep -q "protocol:" "enclave-$case.log" || { cat "enclave-$case.log"; ns_fail "enclave-$case: no protocol error"; }
    echo "   enclave-$case: $(grep -m1 'protocol:' "enclave-$case.log")"
done
ns_pass
