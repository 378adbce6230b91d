// Differential vectors for the BLS12-381 code, made with @noble/curves (1.9.x,
// CommonJS).  Usage: node bls_vectors.js <out.json> <count> [seed]
//
// sig_g1: short signatures (G1 signature, G2 key, DST ..._BLS12381G1_...),
// sig_g2: G2 signatures (G1 key, DST ..._BLS12381G2_...): for each random key
// and message, the valid signature plus mutations (signature bit flip, other
// message, other key, other DST, signature of another message); "ok" is
// noble's verdict for each entry.  h2c_g1/h2c_g2: hash_to_curve of random
// messages under random DSTs (1..300 bytes, so the oversize-DST rule is hit),
// as compressed points.  All randomness comes from SHA-256 of (seed, counter).
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const { bls12_381: bls } = require('@noble/curves/bls12-381');

const [out, countArg, seedArg] = process.argv.slice(2);
if (!out || !countArg) {
  console.error('usage: node bls_vectors.js <out.json> <count> [seed]');
  process.exit(2);
}
const count = parseInt(countArg, 10);
const seed = String(seedArg || '1');
let ctr = 0;
function rnd(n) {
  const parts = [];
  let have = 0;
  while (have < n) {
    const h = crypto.createHash('sha256').update(`bls_vectors:${seed}:${ctr++}`).digest();
    parts.push(h);
    have += h.length;
  }
  return Uint8Array.from(Buffer.concat(parts).subarray(0, n));
}
function rint(lo, hi) { // inclusive
  const b = rnd(4);
  return lo + (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % (hi - lo + 1);
}
const hex = (u) => Buffer.from(u).toString('hex');
const R = bls.fields.Fr.ORDER;
function secretKey() {
  let k = 0n;
  for (const x of rnd(48)) k = (k << 8n) | BigInt(x);
  k = (k % (R - 1n)) + 1n;
  return Uint8Array.from(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));
}
const DST1 = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';
const DST2 = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_';
const enc = (s) => Uint8Array.from(Buffer.from(s, 'utf8'));

function verdict(short, sig, msg, pk, dst) {
  try {
    return short ? bls.verifyShortSignature(sig, msg, pk, { DST: dst }) : bls.verify(sig, msg, pk, { DST: dst });
  } catch (e) {
    return false;
  }
}

function sigEntries(short) {
  const dst = short ? DST1 : DST2;
  const entries = [];
  const add = (kind, pk, msg, sig, d) =>
    entries.push({ kind, pk: hex(pk), msg: hex(msg), dst: hex(enc(d)), sig: hex(sig), ok: verdict(short, sig, msg, pk, d) });
  for (let i = 0; i < count; i++) {
    const sk = secretKey();
    const pk = short ? bls.getPublicKeyForShortSignatures(sk) : bls.getPublicKey(sk);
    const msg = rnd(rint(0, 200));
    const sig = short ? bls.signShortSignature(msg, sk, { DST: dst }) : bls.sign(msg, sk, { DST: dst });
    add('valid', pk, msg, sig, dst);
    const flipped = Uint8Array.from(sig);
    const bit = rint(0, sig.length * 8 - 1);
    flipped[bit >> 3] ^= 1 << (bit & 7);
    add('sig_bit_flip', pk, msg, flipped, dst);
    const msg2 = Uint8Array.from([...msg, rint(0, 255)]);
    add('other_message', pk, msg2, sig, dst);
    const sk2 = secretKey();
    const pk2 = short ? bls.getPublicKeyForShortSignatures(sk2) : bls.getPublicKey(sk2);
    add('other_key', pk2, msg, sig, dst);
    add('other_dst', pk, msg, sig, short ? DST2 : DST1);
    const sig2 = short ? bls.signShortSignature(msg2, sk, { DST: dst }) : bls.sign(msg2, sk, { DST: dst });
    add('sig_of_other_message', pk, msg, sig2, dst);
  }
  return entries;
}

function h2cEntries(g1) {
  const entries = [];
  for (let i = 0; i < count; i++) {
    const msg = rnd(rint(0, 300));
    const dst = rnd(i === 0 ? 256 : rint(1, 300));
    const P = (g1 ? bls.G1 : bls.G2).hashToCurve(msg, { DST: dst });
    entries.push({ msg: hex(msg), dst: hex(dst), p: hex(P.toRawBytes(true)) });
  }
  return entries;
}

const t0 = Date.now();
const nobleVersion = JSON.parse(fs.readFileSync(require.resolve('@noble/curves/bls12-381').replace(/bls12-381\.js$/, 'package.json'), 'utf8')).version;
const doc = { noble: nobleVersion, seed, sig_g1: sigEntries(true), sig_g2: sigEntries(false), h2c_g1: h2cEntries(true), h2c_g2: h2cEntries(false) };
fs.writeFileSync(out, JSON.stringify(doc));
const nValid = (a) => a.filter((e) => e.ok).length;
console.log(`bls_vectors: noble ${doc.noble}, ${doc.sig_g1.length} sig_g1 (${nValid(doc.sig_g1)} valid), ${doc.sig_g2.length} sig_g2 (${nValid(doc.sig_g2)} valid), ${doc.h2c_g1.length}+${doc.h2c_g2.length} h2c, ${Date.now() - t0} ms`);
