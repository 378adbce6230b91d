// ffjavascript side of tests/compat/msm_diff.test.sh: reads the inputs
// written by msm_driver and writes the reference results next to ours:
// msm1.ref, msm2.ref (affine LEM), batch1.ref, batch2.ref.
"use strict";
const fs = require("fs");
const path = require("path");
const { buildBn128 } = require(path.join(process.env.NS_COMPAT, "node_modules", "ffjavascript"));

function leToBigInt(buf) {
    let v = 0n;
    for (let i = buf.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[i]);
    return v;
}

async function main() {
    const dir = process.argv[2];
    const rd = (f) => new Uint8Array(fs.readFileSync(path.join(dir, f)));
    const curve = await buildBn128(true);
    const g1 = rd("g1.bin"), g2 = rd("g2.bin"), sc = rd("sc.bin");
    const k = curve.Fr.e(leToBigInt(rd("k.bin")));
    const n = g1.length / 64;
    for (const [G, pts, tag] of [[curve.G1, g1, "1"], [curve.G2, g2, "2"]]) {
        const r = n === 0 ? G.zero : await G.multiExpAffine(pts, sc);
        fs.writeFileSync(path.join(dir, "msm" + tag + ".ref"), G.toAffine(r));
        if (n > 0) {
            const b = await G.batchApplyKey(pts, k, curve.Fr.e(1n), "affine", "affine");
            fs.writeFileSync(path.join(dir, "batch" + tag + ".ref"), b);
        } else {
            fs.writeFileSync(path.join(dir, "batch" + tag + ".ref"), new Uint8Array(0));
        }
    }
    await curve.terminate();
}

main().catch((e) => {
    console.error("msm_oracle.js: " + (e && e.stack ? e.stack : e));
    process.exit(1);
});
