pragma circom 2.0.0;

// Several public outputs and public inputs plus private inputs, with small,
// large and negative coefficients (negative values are stored as r - k in
// the r1cs), so the IC/C split and the coefficient encoding of zkey new are
// exercised.  Also one public input (`unused`) that appears only in a
// trivial constraint, and a public output that is a pure linear
// combination.
template MultiIO() {
    signal input x;          // public
    signal input y;          // public
    signal input unused;     // public
    signal input k;          // private
    signal input m;          // private
    signal output prod;      // x * k
    signal output mixed;     // (x - 3y) * (m + 2^200)
    signal output lin;       // linear: 5x - 7y + k - 123456789

    signal t;
    prod <== x * k;
    t <== (x - 3 * y) * (m + 1606938044258990275541962092341162602522202993782792835301376);
    mixed <== t * (k - 21888242871839275222246405745257275088548364400416034343698204186575808495616);
    lin <== 5 * x - 7 * y + k - 123456789;
    unused * 0 === 0;
}

component main {public [x, y, unused]} = MultiIO();
