// Reference side of `nitrosetup bench curve`: times ffjavascript (the
// field/curve layer of snarkjs) on the inputs written by our C side and
// prints one JSON object on stdout.
//
// usage: node curve_bench.js <dir> <threads> <iters-json>
//   <dir>/points.bin   G1 affine points, LEM (64 bytes each)  -> MSM bases
//   <dir>/scalars.bin  32-byte little-endian scalars           -> MSM scalars
//   <dir>/batch.bin    G1 affine points, LEM                    -> batch multiply
//   <dir>/k.bin        32-byte little-endian secret scalar
// The node_modules directory is $NS_COMPAT/node_modules.
"use strict";
const fs = require("fs");
const path = require("path");

const compat = process.env.NS_COMPAT;
if (!compat) {
    console.error("curve_bench.js: NS_COMPAT is not set");
    process.exit(2);
}
const { buildBn128 } = require(path.join(compat, "node_modules", "ffjavascript"));

function leToBigInt(buf) {
    let v = 0n;
    for (let i = buf.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[i]);
    return v;
}
function hex(u8) {
    return Buffer.from(u8).toString("hex");
}
function nowNs() {
    return process.hrtime.bigint();
}

async function main() {
    const [dir, threadsArg, itersArg] = process.argv.slice(2);
    const threads = parseInt(threadsArg, 10);
    const iters = JSON.parse(itersArg);
    const curve = await buildBn128(threads === 1);
    const out = { concurrency: curve.tm.concurrency };
    const ex = curve.tm.instance.exports;

    // fq_mul: the wasm export on operands already in wasm memory
    {
        const F = curve.F1;
        F.tm.setBuff(F.pOp1, F.e(7n));
        F.tm.setBuff(F.pOp2, F.e(11n));
        const n = iters.fq_mul;
        const t0 = nowNs();
        for (let i = 0; i < n; i++) ex.f1m_mul(F.pOp1, F.pOp2, F.pOp1);
        out.fq_mul_ns = Number(nowNs() - t0) / n;
    }

    const k = leToBigInt(fs.readFileSync(path.join(dir, "k.bin")));
    const kFr = curve.Fr.e(k);

    // g1_mul_ct: timesFr on an affine point (ffjavascript has no separate
    // constant-time entry point; this is what snarkjs uses for secrets)
    {
        const G = curve.G1;
        const P = G.toAffine(G.g);
        const n = iters.g1_mul;
        let r;
        const t0 = nowNs();
        for (let i = 0; i < n; i++) r = G.timesFr(P, kFr);
        out.g1_mul_us = Number(nowNs() - t0) / n / 1e3;
        out.g1_mul_result = hex(G.toAffine(r));
    }

    // g1_batch_mul: batchApplyKey(first = k, inc = 1), affine in and out,
    // exactly as snarkjs applies 1/delta to the L and H sections
    {
        const G = curve.G1;
        const buf = new Uint8Array(fs.readFileSync(path.join(dir, "batch.bin")));
        const n = buf.length / 64;
        let res;
        out.g1_batch_pps = 0;
        for (let rep = 0; rep < (iters.reps || 1); rep++) {
            const t0 = nowNs();
            res = await G.batchApplyKey(buf, kFr, curve.Fr.e(1n), "affine", "affine");
            const dt = Number(nowNs() - t0) / 1e9;
            out.g1_batch_pps = Math.max(out.g1_batch_pps, n / dt);
        }
        out.g1_batch_digest = require("crypto").createHash("sha256").update(res).digest("hex");
    }

    // g1_msm
    {
        const G = curve.G1;
        const bases = new Uint8Array(fs.readFileSync(path.join(dir, "points.bin")));
        const scalars = new Uint8Array(fs.readFileSync(path.join(dir, "scalars.bin")));
        const n = bases.length / 64;
        let r;
        out.g1_msm_pps = 0;
        for (let rep = 0; rep < (iters.reps || 1); rep++) {
            const t0 = nowNs();
            r = await G.multiExpAffine(bases, scalars);
            const dt = Number(nowNs() - t0) / 1e9;
            out.g1_msm_pps = Math.max(out.g1_msm_pps, n / dt);
        }
        out.g1_msm_result = hex(G.toAffine(r));
    }

    // pairing e(G1, G2)
    {
        const n = iters.pairing;
        let r;
        const t0 = nowNs();
        for (let i = 0; i < n; i++) r = curve.pairing(curve.G1.g, curve.G2.g);
        out.pairing_ms = Number(nowNs() - t0) / n / 1e6;
        out.pairing_ok = r !== undefined;
    }

    await curve.terminate();
    process.stdout.write(JSON.stringify(out) + "\n");
}

main().catch((e) => {
    console.error("curve_bench.js: " + (e && e.stack ? e.stack : e));
    process.exit(1);
});
