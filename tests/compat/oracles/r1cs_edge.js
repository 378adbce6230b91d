// Writes small hand-made BN254 .r1cs files with edge cases for zkey new:
//   node r1cs_edge.js OUTDIR
// e0: no constraints, no public signals
// e1: repeated wire in one LC, an empty C, negative coefficients, public inputs only
// e2: an all-empty constraint, unused wires, coefficient 2^253, r-2
"use strict";
const fs = require("fs");
const path = require("path");

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

function u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; }
function u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }
function fe(v) {
    let x = ((BigInt(v) % R) + R) % R;
    const b = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) { b[i] = Number(x & 0xffn); x >>= 8n; }
    return b;
}
function r1cs(file, nWires, nOut, nPubIn, nPrvIn, cons) {
    const parts = [];
    for (const c of cons)
        for (const lc of c) {
            parts.push(u32(lc.length));
            for (const [w, k] of lc) parts.push(u32(w), fe(k));
        }
    const body = Buffer.concat(parts);
    const prime = Buffer.alloc(32); // fe() reduces mod R, so write R itself by hand
    let x = R;
    for (let i = 0; i < 32; i++) { prime[i] = Number(x & 0xffn); x >>= 8n; }
    const hdr = Buffer.concat([u32(32), prime, u32(nWires), u32(nOut), u32(nPubIn), u32(nPrvIn), u64(nWires),
        u32(cons.length)]);
    const out = Buffer.concat([Buffer.from("r1cs"), u32(1), u32(2),
        u32(1), u64(hdr.length), hdr, u32(2), u64(body.length), body]);
    fs.writeFileSync(file, out);
}

const dir = process.argv[2];
if (!dir) { console.error("usage: r1cs_edge.js OUTDIR"); process.exit(2); }
r1cs(path.join(dir, "e0.r1cs"), 3, 0, 0, 2, []);
r1cs(path.join(dir, "e1.r1cs"), 4, 0, 2, 1, [[[[3, 5n]], [[3, -1n], [3, 2n]], []]]);
r1cs(path.join(dir, "e2.r1cs"), 5, 1, 0, 0, [
    [[[1, 1n]], [[1, 1n]], [[2, 1n]]],
    [[], [], []],
    [[[4, 1n << 253n]], [[0, 3n]], [[1, -2n]]],
]);
