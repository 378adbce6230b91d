#!/usr/bin/env bash
# tests/ptau_gen.c, which writes the power-14 and -16 test ptau files from a
# known secret, writes what snarkjs would: `snarkjs powersoftau prepare
# phase2` of its phase-1 output (--phase1) is byte for byte its prepared
# output, for several powers (the Lagrange blocks, the zero-padded top block
# of section 12, the section order and sizes).  The result passes our and
# snarkjs's zkey new on a real circuit, with identical keys.
source "$(dirname "$0")/lib.sh"
: "${NS_PTAU_GEN:?set NS_PTAU_GEN to the ns_ptau_gen tool of the build tree}"
ns_workdir
cd "$W"
for p in 1 3 8; do
    ns_check "ns_ptau_gen $p" "$NS_PTAU_GEN" "g$p.ptau" "$p" "check $p"
    ns_check "ns_ptau_gen $p --phase1" "$NS_PTAU_GEN" "g$p.p1.ptau" "$p" "check $p" --phase1
    ns_check "snarkjs prepare phase2 $p" ns_snarkjs powersoftau prepare phase2 "g$p.p1.ptau" "sj$p.ptau"
    ns_same "sj$p.ptau" "g$p.ptau" "prepared ptau of power $p"
done
# another seed gives other points
ns_check "ns_ptau_gen other seed" "$NS_PTAU_GEN" other.ptau 8 "another seed"
cmp -s other.ptau g8.ptau && ns_fail "the seed does not change the file"
ns_compile "$NS_SOURCE/examples/multiplier.circom" "$W/c"
ns_check "snarkjs zkey new" ns_snarkjs zkey new c/multiplier.r1cs g8.ptau sj.zkey
ns_check "our zkey new" "$NS_BIN" zkey new c/multiplier.r1cs g8.ptau ns.zkey --quiet
ns_same sj.zkey ns.zkey "zkey new on a generated ptau"
ns_sj_verify c/multiplier.r1cs g8.ptau ns.zkey || ns_fail "snarkjs zkey verify rejects the key"
ns_pass
