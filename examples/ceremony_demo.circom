pragma circom 2.0.0;

// Demo circuit for `nitrosetup ceremony --local`: proves knowledge of a
// preimage (a, b) of a public Poseidon hash, with a public product a*b.
// About 250 constraints: fits a power-8 ptau.
include "circomlib/circuits/poseidon.circom";

template CeremonyDemo() {
    signal input a;
    signal input b;
    signal output hash;
    signal output product;

    component h = Poseidon(2);
    h.inputs[0] <== a;
    h.inputs[1] <== b;
    hash <== h.out;
    product <== a * b;
}

component main = CeremonyDemo();
