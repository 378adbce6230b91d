pragma circom 2.0.0;

// c = a * b with a and b private, c public; the smallest useful Groth16
// circuit (one constraint), used by the phase-2 compatibility tests.
template Multiplier() {
    signal input a;
    signal input b;
    signal output c;
    c <== a * b;
}

component main = Multiplier();
