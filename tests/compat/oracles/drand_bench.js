#!/usr/bin/env node
// Reference timing for `nitrosetup bench drand`: drand beacon verification
// with @noble/curves (quicknet: G1 signature; default: G2 signature, chained
// message), same beacons and same work as ours (parse hex, hash the message,
// hash to curve, decompress, subgroup checks, pairing).
// usage: node drand_bench.js [seconds-per-op]   -> JSON {"quicknet": ms, "default": ms}
'use strict';
const path = require('path');
const NM = process.env.NS_COMPAT ? path.join(process.env.NS_COMPAT, 'node_modules')
                                  : path.join(__dirname, '..', 'node_modules');
const { bls12_381: bls } = require(path.join(NM, '@noble/curves/bls12-381'));
const { sha256 } = require(path.join(NM, '@noble/hashes/sha2'));

const budget = Number(process.argv[2] || '1') * 1000;
const QN = {
  pk: '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  round: 1n,
  sig: 'b55e7cb2d5c613ee0b2e28d6750aabbb78c39dcc96bd9d38c2c2e12198df95571de8e8e402a0cc48871c7089a2b3af4b',
};
const DF = {
  pk: '868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529eeda66c7293784a9402801af31',
  round: 2n,
  prev: '8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac5ac20ff7bc3e09d7c046566c9f7f3c6f3b10104990e7cb424998203d8f7de586fb7fa5f60045417a432684f85093b06ca91c769f0e7ca19268375e659c2a2352b4655',
  sig: 'aa18facd2d51b616511d542de6f9af8a3b920121401dad1434ed1db4a565f10e04fad8d9b2b4e3e0094364374caafe9b10478bf75650124831509c638b5a36a7a232ec70289f8751a2adb47fc32eb70b57dc81c39d48cbcac9fec46cdfc31663',
};
const be64 = (r) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(r); return b; };

function verifyQuicknet() {
  const m = sha256(be64(QN.round));
  const H = bls.shortSignatures.hash(m, 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_');
  return bls.shortSignatures.verify(Buffer.from(QN.sig, 'hex'), H, Buffer.from(QN.pk, 'hex'));
}
function verifyDefault() {
  const m = sha256(Buffer.concat([Buffer.from(DF.prev, 'hex'), be64(DF.round)]));
  const H = bls.longSignatures.hash(m, 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_');
  return bls.longSignatures.verify(Buffer.from(DF.sig, 'hex'), H, Buffer.from(DF.pk, 'hex'));
}
function time(fn) {
  if (!fn()) throw new Error('reference verification failed');
  let n = 0;
  const t0 = process.hrtime.bigint();
  let el = 0;
  do { fn(); n++; el = Number(process.hrtime.bigint() - t0) / 1e6; } while (el < budget && n < 1000);
  return el / n;
}
console.log(JSON.stringify({ quicknet: time(verifyQuicknet), default: time(verifyDefault) }));
