// Writes a synthetic (not necessarily satisfiable) BN254 .r1cs file for
// phase-2 tests and benchmarks:
//   node synth_r1cs.js OUT.r1cs M NPUB NPRV [SEED]
// M constraints; NPUB public signals (1 output + NPUB-1 public inputs);
// NPRV private inputs; one internal wire per constraint.  Constraint j is
//   (c1*w_a + w_b) * (c2*w_c) = w_out(j)
// with coefficients drawn from a seeded generator (some equal to -1, as
// circom emits), so A, B and C all have terms and B2 gets G2 work.
"use strict";
const fs = require("fs");

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

function usage() {
    console.error("usage: synth_r1cs.js OUT.r1cs M NPUB NPRV [SEED]");
    process.exit(2);
}
const argv = process.argv.slice(2);
if (argv.length < 4) usage();
const out = argv[0];
const m = Number(argv[1]);
const nPub = Number(argv[2]);
const nPrv = Number(argv[3]);
let seed = BigInt(argv[4] || 1);
if (!(m >= 1 && nPub >= 1 && nPrv >= 0)) usage();

function next() { // 64-bit LCG (Knuth MMIX constants)
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return seed;
}
function coef() {
    const k = next() % 8n;
    if (k === 0n) return R - 1n;
    if (k === 1n) return 1n;
    let v = 0n;
    for (let i = 0; i < 4; i++) v = (v << 64n) | next();
    return v % R;
}

const nOut = 1;
const nPubIn = nPub - 1;
const nInputs = nPub + nPrv;               // wires 1..nInputs
const nWires = 1 + nInputs + m;            // + one internal per constraint
const n8 = 32;

function le(v, n) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) { b[i] = Number(v & 0xffn); v >>= 8n; }
    return b;
}
function u32(v) { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b; }
function u64(v) { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; }

const parts = [];
function lc(terms) {
    terms.sort((x, y) => x[0] - y[0]);
    const merged = [];
    for (const t of terms) {
        if (merged.length && merged[merged.length - 1][0] === t[0]) continue;
        merged.push(t);
    }
    parts.push(u32(merged.length));
    for (const [w, c] of merged) { parts.push(u32(w)); parts.push(le(c, n8)); }
}
for (let j = 0; j < m; j++) {
    const prev = j === 0 ? 1 : 1 + nInputs + j - 1;
    const wa = 1 + Number(next() % BigInt(nInputs));
    const wc = 1 + Number(next() % BigInt(nInputs));
    lc([[wa, coef()], [prev, 1n]]);
    lc([[wc, coef()]]);
    lc([[1 + nInputs + j, 1n]]);
}
const constraints = Buffer.concat(parts);

const header = Buffer.concat([u32(n8), le(R, n8), u32(nWires), u32(nOut), u32(nPubIn), u32(nPrv),
    u64(nWires), u32(m)]);
const mapParts = [];
for (let i = 0; i < nWires; i++) mapParts.push(u64(i));
const map = Buffer.concat(mapParts);

function section(id, payload) { return Buffer.concat([u32(id), u64(payload.length), payload]); }
fs.writeFileSync(out, Buffer.concat([Buffer.from("r1cs"), u32(1), u32(3),
    section(1, header), section(2, constraints), section(3, map)]));
