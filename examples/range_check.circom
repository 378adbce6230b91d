pragma circom 2.0.0;

// Proves that the private input x lies in [lo, hi) for public bounds lo, hi,
// with all three below 2^N.  Uses circomlib's LessThan (bit decomposition),
// so it has a few hundred constraints, public inputs and a public output.
include "circomlib/circuits/comparators.circom";

template RangeCheck(N) {
    signal input x;
    signal input lo;
    signal input hi;
    signal output ok;

    component geLo = GreaterEqThan(N);
    geLo.in[0] <== x;
    geLo.in[1] <== lo;

    component ltHi = LessThan(N);
    ltHi.in[0] <== x;
    ltHi.in[1] <== hi;

    ok <== geLo.out * ltHi.out;
    ok === 1;
}

component main {public [lo, hi]} = RangeCheck(64);
