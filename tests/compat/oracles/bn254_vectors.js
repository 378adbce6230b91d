// Differential vectors for the BN254 arithmetic (tests/unit/test_bn254_vectors.c).
//   node bn254_vectors.js OUT SEED SCALE
// Writes one case per line: "<op> <hex> <hex> ...".  Conventions (all hex):
//   Fq/Fr element: 64 hex digits, canonical big-endian.
//   Fq2: BE(c0) || BE(c1).  Fq12: the 12 Fq coefficients c0.c0.c0, c0.c0.c1,
//   c0.c1.c0, ..., c1.c2.c1 (snarkjs/noble tower order), BE each.
//   G1/G2 points: snarkjs U encoding (G2: x.c1 x.c0 y.c1 y.c0; infinity = zeros),
//   as written by ffjavascript's toRprUncompressed.  "none" marks a non-square.
// Expected values come from ffjavascript 0.3.1 (buildBn128, the wasm code snarkjs
// runs) and @noble/curves 1.9.7; plain field sums/products from BigInt.
// Inputs are drawn from a SHA-256 counter-mode stream seeded by SEED.
"use strict";
const fs = require("fs");
const crypto = require("crypto");
const { buildBn128, ChaCha } = require("ffjavascript");
const { bn254 } = require("@noble/curves/bn254");

const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const [out, seedArg, scaleArg] = process.argv.slice(2);
if (!out) {
    console.error("usage: bn254_vectors.js OUT [SEED] [SCALE]");
    process.exit(2);
}
const SCALE = Number(scaleArg || 1);
let ctr = 0;
const seedBuf = Buffer.from(String(seedArg || "1"));
function randBytes(n) {
    const chunks = [];
    let len = 0;
    while (len < n) {
        const h = crypto.createHash("sha256");
        h.update(seedBuf);
        const c = Buffer.alloc(8);
        c.writeBigUInt64BE(BigInt(ctr++));
        h.update(c);
        const d = h.digest();
        chunks.push(d);
        len += d.length;
    }
    return Buffer.concat(chunks).subarray(0, n);
}
function randBig(bits) {
    const b = randBytes(Math.ceil(bits / 8));
    let v = BigInt("0x" + b.toString("hex"));
    return v & ((1n << BigInt(bits)) - 1n);
}
function randMod(p) {
    // mostly uniform, sometimes an edge value
    const sel = randBytes(1)[0];
    if (sel < 4) return [0n, 1n, p - 1n, 2n][sel];
    for (;;) {
        const v = randBig(254);
        if (v < p) return v;
    }
}
const mod = (a, p) => ((a % p) + p) % p;
function inv(a, p) {
    if (a === 0n) return 0n;
    let [o, n] = [a, p], [x0, x1] = [1n, 0n];
    while (n !== 0n) {
        const t = o / n;
        [o, n] = [n, o - t * n];
        [x0, x1] = [x1, x0 - t * x1];
    }
    return mod(x0, p);
}
const hex = (v) => v.toString(16).padStart(64, "0");
const bhex = (b) => Buffer.from(b).toString("hex");

(async () => {
    const c = await buildBn128(true);
    const F1 = c.F1, F2 = c.F2, F12 = c.F12, G1 = c.G1, G2 = c.G2;
    const lines = [];
    const emit = (...a) => lines.push(a.join(" "));
    const f2hex = (e) => {
        const o = F2.toObject(e);
        return hex(o[0]) + hex(o[1]);
    };
    const f12hex = (e) => {
        const o = F12.toObject(e);
        let s = "";
        for (const a of o) for (const b of a) for (const x of b) s += hex(x);
        return s;
    };
    const rf2 = () => F2.fromObject([randMod(Q), randMod(Q)]);
    const rf12 = () => {
        const v = [];
        for (let i = 0; i < 2; i++) {
            const w = [];
            for (let j = 0; j < 3; j++) w.push([randMod(Q), randMod(Q)]);
            v.push(w);
        }
        return F12.fromObject(v);
    };
    const g1u = (p) => {
        const b = new Uint8Array(64);
        G1.toRprUncompressed(b, 0, p);
        return bhex(b);
    };
    const g2u = (p) => {
        const b = new Uint8Array(128);
        G2.toRprUncompressed(b, 0, p);
        return bhex(b);
    };
    const scalarBuf = (k) => {
        const b = new Uint8Array(32);
        let v = k;
        for (let i = 0; i < 32; i++) {
            b[i] = Number(v & 255n);
            v >>= 8n;
        }
        return b;
    };
    const rscalar = () => {
        const sel = randBytes(1)[0];
        if (sel < 3) return [0n, 1n, R - 1n][sel];
        if (sel < 6) return R + randBig(64); /* above the group order */
        return randBig(256);
    };

    const NF = 2000 * SCALE;
    for (let i = 0; i < NF; i++) {
        const a = randMod(Q), b = randMod(Q);
        emit("fq_add", hex(a), hex(b), hex(mod(a + b, Q)));
        emit("fq_sub", hex(a), hex(b), hex(mod(a - b, Q)));
        emit("fq_mul", hex(a), hex(b), hex(mod(a * b, Q)));
        emit("fq_inv", hex(a), hex(inv(a, Q)));
        const fa = F1.e(a);
        emit("fq_sqrt", hex(a), F1.isSquare(fa) ? hex(F1.toObject(F1.sqrt(fa))) : "none");
        const x = randMod(R), y = randMod(R);
        emit("fr_add", hex(x), hex(y), hex(mod(x + y, R)));
        emit("fr_sub", hex(x), hex(y), hex(mod(x - y, R)));
        emit("fr_mul", hex(x), hex(y), hex(mod(x * y, R)));
        emit("fr_inv", hex(x), hex(inv(x, R)));
    }
    /* Fr roots of unity w[k], k = 0..s (ffjavascript Fr.w) */
    for (let k = 0; k <= c.Fr.s; k++) emit("fr_root", String(k), hex(c.Fr.toObject(c.Fr.w[k])));
    for (let i = 0; i < 1000 * SCALE; i++) {
        const a = rf2(), b = rf2();
        emit("fq2_mul", f2hex(a), f2hex(b), f2hex(F2.mul(a, b)));
        emit("fq2_sqr", f2hex(a), f2hex(F2.square(a)));
        if (!F2.isZero(a)) emit("fq2_inv", f2hex(a), f2hex(F2.inv(a)));
        emit("fq2_sqrt", f2hex(a), F2.isSquare(a) ? f2hex(F2.sqrt(a)) : "none");
        const s = F2.square(b);
        emit("fq2_sqrt", f2hex(s), f2hex(F2.sqrt(s)));
    }
    const Fp12 = bn254.fields.Fp12;
    const toNoble12 = (e) => {
        const o = F12.toObject(e);
        const f6 = (w) => ({
            c0: { c0: w[0][0], c1: w[0][1] },
            c1: { c0: w[1][0], c1: w[1][1] },
            c2: { c0: w[2][0], c1: w[2][1] },
        });
        return { c0: f6(o[0]), c1: f6(o[1]) };
    };
    const noble12hex = (e) => {
        let s = "";
        for (const h of [e.c0, e.c1]) for (const t of [h.c0, h.c1, h.c2]) s += hex(t.c0) + hex(t.c1);
        return s;
    };
    for (let i = 0; i < 200 * SCALE; i++) {
        const a = rf12(), b = rf12();
        emit("fq12_mul", f12hex(a), f12hex(b), f12hex(F12.mul(a, b)));
        emit("fq12_sqr", f12hex(a), f12hex(F12.square(a)));
        emit("fq12_inv", f12hex(a), f12hex(F12.inv(a)));
        const n = 1 + (i % 3);
        emit("fq12_frob", String(n), f12hex(a), noble12hex(Fp12.frobeniusMap(toNoble12(a), n)));
    }

    /* G1 */
    const g1pts = [];
    for (let i = 0; i < 1000 * SCALE; i++) {
        const k = rscalar(), l = rscalar();
        const P = G1.toAffine(G1.timesScalar(G1.g, scalarBuf(k)));
        emit("g1_mul", g1u(G1.g), hex(k), g1u(P));
        let Qp;
        const sel = i % 10;
        if (sel === 0) Qp = P;
        else if (sel === 1) Qp = G1.toAffine(G1.neg(P));
        else if (sel === 2) Qp = G1.toAffine(G1.zero);
        else Qp = G1.toAffine(G1.timesScalar(G1.g, scalarBuf(l)));
        emit("g1_add", g1u(P), g1u(Qp), g1u(G1.toAffine(G1.add(P, Qp))));
        emit("g1_dbl", g1u(P), g1u(G1.toAffine(G1.double(P))));
        if (i % 5 === 0) emit("g1_mul", g1u(P), hex(l), g1u(G1.toAffine(G1.timesScalar(P, scalarBuf(l)))));
        emit("g1_lem", g1u(P), bhex(P)); /* affine buffers are LEM */
        g1pts.push(P);
    }
    /* G2 */
    const g2pts = [];
    for (let i = 0; i < 300 * SCALE; i++) {
        const k = rscalar(), l = rscalar();
        const P = G2.toAffine(G2.timesScalar(G2.g, scalarBuf(k)));
        emit("g2_mul", g2u(G2.g), hex(k), g2u(P));
        let Qp;
        const sel = i % 10;
        if (sel === 0) Qp = P;
        else if (sel === 1) Qp = G2.toAffine(G2.neg(P));
        else if (sel === 2) Qp = G2.toAffine(G2.zero);
        else Qp = G2.toAffine(G2.timesScalar(G2.g, scalarBuf(l)));
        emit("g2_add", g2u(P), g2u(Qp), g2u(G2.toAffine(G2.add(P, Qp))));
        emit("g2_dbl", g2u(P), g2u(G2.toAffine(G2.double(P))));
        if (i % 5 === 0) emit("g2_mul", g2u(P), hex(l), g2u(G2.toAffine(G2.timesScalar(P, scalarBuf(l)))));
        emit("g2_lem", g2u(P), bhex(P));
        g2pts.push(P);
    }
    /* pairings: ffjavascript, and @noble/curves on a subset */
    for (let i = 0; i < 30 * SCALE; i++) {
        const P = g1pts[i], Qp = g2pts[i];
        if (G1.isZero(P) || G2.isZero(Qp)) continue;
        emit("pairing", g1u(P), g2u(Qp), f12hex(c.pairing(P, Qp)));
        if (i < 4) {
            const np = bn254.G1.ProjectivePoint.fromAffine({ x: F1.toObject(P.slice(0, 32)), y: F1.toObject(P.slice(32)) });
            const qo = G2.toObject(Qp);
            const nq = bn254.G2.ProjectivePoint.fromAffine({
                x: bn254.fields.Fp2.fromBigTuple(qo[0]),
                y: bn254.fields.Fp2.fromBigTuple(qo[1]),
            });
            emit("pairing", g1u(P), g2u(Qp), noble12hex(bn254.pairing(np, nq)));
        }
    }
    /* snarkjs RNG: hash-seeded ChaCha -> Fr.fromRng raw bytes, G1.fromRng, G2.fromRng (hashToG2) */
    for (let i = 0; i < 100 * SCALE; i++) {
        const h = randBytes(32);
        const seed = [];
        for (let j = 0; j < 8; j++) seed.push(h.readUInt32BE(4 * j));
        let rng = new ChaCha(seed);
        const fr = c.Fr.fromRng(rng);
        const p1 = G1.toAffine(G1.fromRng(rng));
        emit("rng_fr_g1", bhex(h), bhex(fr), g1u(p1));
        rng = new ChaCha(seed);
        emit("hash_to_g2", bhex(h), g2u(G2.toAffine(G2.fromRng(rng))));
    }
    fs.writeFileSync(out, lines.join("\n") + "\n");
    console.log(`bn254_vectors: ${lines.length} cases written to ${out}`);
    await c.terminate();
})().catch((e) => {
    console.error(e);
    process.exit(1);
});
