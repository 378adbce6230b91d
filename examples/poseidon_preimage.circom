pragma circom 2.0.0;

include "circomlib/circuits/poseidon.circom";

// Knowledge of a Poseidon preimage: the prover knows (secret, salt) with
// Poseidon(secret, salt) == hash, where hash is the only public signal.
// About 240 constraints; exercises dense linear combinations with large
// field constants (Poseidon round constants and MDS matrix).
template PoseidonPreimage() {
    signal input secret;
    signal input salt;
    signal input hash;

    component h = Poseidon(2);
    h.inputs[0] <== secret;
    h.inputs[1] <== salt;
    hash === h.out;
}

component main {public [hash]} = PoseidonPreimage();
