#!/usr/bin/env bash
# Interrupted commands leave nothing behind (util/interrupt.h):
#  - `zkey new` killed with SIGTERM while it writes: exit 143, no out.zkey,
#    no out.zkey.tmp.*, one line saying what was removed;
#  - `ceremony --local` interrupted with SIGINT (as Ctrl-C) once the enclave
#    child runs: exit 130, no bundle, no DIR.partial-*, no scratch directory,
#    and no process left that belongs to the run;
#  - a SIGINT that the parent set to be ignored stays ignored (a background
#    job of a non-interactive shell), so the command completes.
source "$(dirname "$0")/lib.sh"
ns_workdir
cd "$W"

# wait_for CMD...: polls CMD every 20 ms for up to 60 s
wait_for() {
    for _ in $(seq 3000); do
        "$@" && return 0
        sleep 0.02
    done
    return 1
}
have_tmp() { compgen -G "$W/z/out.zkey.tmp.*" >/dev/null; }

# --- zkey new, SIGTERM while the temporary output exists ---
mkdir z
ns_node "$NS_COMPAT/oracles/synth_r1cs.js" z/c.r1cs 16000 3 8 14
P14=$(ns_ptau 14)
"$NS_BIN" zkey new z/c.r1cs "$P14" z/out.zkey >z/log 2>&1 &
pid=$!
wait_for have_tmp || { kill -9 $pid; cat z/log; ns_fail "zkey new never created its temporary output"; }
kill -TERM $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 143 ] || { cat z/log; ns_fail "zkey new: exit $rc after SIGTERM, expected 143"; }
have_tmp && ns_fail "zkey new left its temporary output behind"
[ -e z/out.zkey ] && ns_fail "zkey new wrote out.zkey although interrupted"
grep "interrupted (.*); removed partial output: .*out.zkey.tmp." z/log >/dev/null ||
    { cat z/log; ns_fail "zkey new: no line naming what was removed"; }
echo "   zkey new: $(tail -1 z/log)"

# --- ceremony --local, SIGINT once the enclave child is working ---
mkdir c c/tmp
P8=$(ns_ptau 8)
T8=(--trust-ptau "$(ns_pin "$P8")")
set -m # job control: the background job gets SIGINT like a foreground one
TMPDIR="$W/c/tmp" "$NS_BIN" ceremony --local "$NS_SOURCE/examples/multiplier.circom" --circom "node $NS_CIRCOM2_CLI" \
    --ptau "$P8" "${T8[@]}" --drand-sim -o "$W/c/b" >c/log 2>&1 &
pid=$!
set +m
enclave_up() { grep "\[enclave\]" c/log >/dev/null 2>&1 && pgrep -f "$W/c/tmp/nitrosetup-" >/dev/null; }
wait_for enclave_up || { kill -9 $pid; cat c/log; ns_fail "the enclave child never came up"; }
compgen -G "$W/c/b.partial-*" >/dev/null || ns_fail "no staging directory while the ceremony runs (test premise)"
kill -INT $pid
rc=0
wait $pid || rc=$?
[ "$rc" = 130 ] || { cat c/log; ns_fail "ceremony: exit $rc after SIGINT, expected 130"; }
compgen -G "$W/c/b.partial-*" >/dev/null && ns_fail "ceremony left a staging directory"
[ -e c/b ] && ns_fail "ceremony wrote a bundle although interrupted"
[ -z "$(ls -A c/tmp)" ] || { ls -la c/tmp; ns_fail "ceremony left its scratch directory"; }
sleep 0.2
pgrep -af "$W/c/tmp/nitrosetup-" && ns_fail "a process of the interrupted ceremony is still running"
grep "interrupted (.*); removed partial output: " c/log >/dev/null || { cat c/log; ns_fail "ceremony: no interruption line"; }
echo "   ceremony: $(tail -1 c/log)"

# --- an ignored SIGINT stays ignored (without job control, bash starts
# background jobs with SIGINT ignored; Linux would still queue a blocked,
# ignored signal for sigwait, so this fails if we took it) ---
have_tmp2() { compgen -G "$W/z/out2.zkey.tmp.*" >/dev/null; }
"$NS_BIN" zkey new z/c.r1cs "$P14" z/out2.zkey >z/log2 2>&1 &
pid=$!
wait_for have_tmp2 || { kill -9 $pid; cat z/log2; ns_fail "zkey new (2) never created its temporary output"; }
kill -INT $pid 2>/dev/null || true
wait $pid || { cat z/log2; ns_fail "zkey new (SIGINT ignored by the parent) did not complete"; }
[ -s z/out2.zkey ] || ns_fail "zkey new (SIGINT ignored) wrote no key"
ns_pass
