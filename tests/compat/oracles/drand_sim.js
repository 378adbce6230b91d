#!/usr/bin/env node
// drand relay simulator for tests: serves the v1 HTTP API of a simulated
// chain (unchained, G1 signatures, RFC 9380 DST, like quicknet) signed with a
// published test key, using @noble/curves.  Listens on 127.0.0.1 only and
// exits by itself after --lifetime seconds.
//
// Every URL may start with a mode prefix that makes the relay misbehave:
//   /ok/...          honest relay (also the default without a prefix)
//   /fail/...        HTTP 500 for everything
//   /slow/...        answers after --slow-ms (to trigger client timeouts)
//   /flaky/...       HTTP 500 for the first request of each path, then honest
//   /badsig/...      a valid-looking beacon whose signature is for another round
//   /wronground/...  an honestly signed beacon of a different round
//   /badrand/...     a correct signature with a wrong randomness field
//   /garbage/...     200 with a body that is not JSON
//   /badinfo/...     /info with another public key under the real chain hash
//   /wronginfo/...   /info of another chain (quicknet's public record)
//   /early/...       425 Too Early for every beacon
//   /stale/...       "latest" answers with a beacon 1000 rounds old
// Future rounds (scheduled after now) always get 425 Too Early.
//
// usage: node drand_sim.js --port-file FILE [--port N] [--lifetime S]
//                          [--slow-ms MS] [--log FILE]
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const NM = process.env.NS_COMPAT ? path.join(process.env.NS_COMPAT, 'node_modules')
                                  : path.join(__dirname, '..', 'node_modules');
const { bls12_381: bls } = require(path.join(NM, '@noble/curves/bls12-381'));
const { sha256 } = require(path.join(NM, '@noble/hashes/sha2'));

function arg(name, dflt) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}
const portFile = arg('--port-file', null);
const lifetime = Number(arg('--lifetime', '60'));
const slowMs = Number(arg('--slow-ms', '5000'));
const logFile = arg('--log', null);

const hex = (b) => Buffer.from(b).toString('hex');
const DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_';

// The simulated chain (must match the "sim" record pinned in src/drand/chains.c).
const r = bls.fields.Fr.ORDER;
const skN = BigInt('0x' + hex(sha256(Buffer.from('nitrosetup drand simulator test key')))) % r;
const sk = Buffer.from(skN.toString(16).padStart(64, '0'), 'hex');
const pk = bls.shortSignatures.getPublicKey(sk).toHex(true);
const PERIOD = 3;
const GENESIS = 1700000000;
const SEED = hex(sha256(Buffer.from('nitrosetup drand simulator genesis seed')));
const BEACON_ID = 'nitrosetup-sim';

function chainHash(period, genesis, pkHex, seedHex, beaconId) {
  const head = Buffer.alloc(12);
  head.writeUInt32BE(period, 0);
  head.writeBigInt64BE(BigInt(genesis), 4);
  const id = beaconId && beaconId !== 'default' ? Buffer.from(beaconId) : Buffer.alloc(0);
  return hex(sha256(Buffer.concat([head, Buffer.from(pkHex, 'hex'), Buffer.from(seedHex, 'hex'), id])));
}
const HASH = chainHash(PERIOD, GENESIS, pk, SEED, BEACON_ID);

function info(pubkey) {
  return { public_key: pubkey, period: PERIOD, genesis_time: GENESIS, hash: HASH, groupHash: SEED,
           schemeID: 'bls-unchained-g1-rfc9380', metadata: { beaconID: BEACON_ID } };
}
// quicknet's public record, served by a relay that answers for the wrong chain.
const QUICKNET_INFO = {
  public_key: '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  period: 3, genesis_time: 1692803367,
  hash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  groupHash: 'f477d5c89f21a17c863a7f937c6a6d15859414d2be09cd448d4279af331c5d3e',
  schemeID: 'bls-unchained-g1-rfc9380', metadata: { beaconID: 'quicknet' },
};
// Another valid G2 key (the simulator key times 2) for the lying /info.
const OTHER_PK = bls.shortSignatures.getPublicKey(
  Buffer.from(((skN * 2n) % r).toString(16).padStart(64, '0'), 'hex')).toHex(true);

const sigCache = new Map();
function sign(round) {
  const key = String(round);
  if (!sigCache.has(key)) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(round));
    const H = bls.shortSignatures.hash(sha256(b), DST);
    sigCache.set(key, bls.shortSignatures.sign(H, sk).toHex(true));
  }
  return sigCache.get(key);
}
function beacon(round) {
  const sig = sign(round);
  return { round, randomness: hex(sha256(Buffer.from(sig, 'hex'))), signature: sig };
}
const nowS = () => Math.floor(Date.now() / 1000);
const timeOf = (round) => GENESIS + (round - 1) * PERIOD;
const currentRound = () => Math.floor((nowS() - GENESIS) / PERIOD) + 1;

const seen = new Set();
const MODES = new Set(['ok', 'fail', 'slow', 'flaky', 'badsig', 'wronground', 'badrand', 'garbage',
                       'badinfo', 'wronginfo', 'early', 'stale']);

function send(res, status, body) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(text);
}

function handle(req, res) {
  let parts = req.url.split('?')[0].split('/').filter((s) => s.length > 0);
  let mode = 'ok';
  if (parts.length && MODES.has(parts[0])) mode = parts.shift();
  if (logFile) fs.appendFileSync(logFile, `${mode} ${req.method} ${req.url}\n`);
  const p = '/' + parts.join('/');
  if (mode === 'fail') return send(res, 500, 'internal error');
  if (mode === 'flaky' && !seen.has(req.url)) {
    seen.add(req.url);
    return send(res, 500, 'transient failure');
  }
  if (p === '/chains') return send(res, 200, [HASH]);
  if (parts.length < 2 || parts[0] !== HASH) return send(res, 404, 'not found');
  if (parts[1] === 'info' && parts.length === 2) {
    if (mode === 'badinfo') return send(res, 200, info(OTHER_PK));
    if (mode === 'wronginfo') return send(res, 200, QUICKNET_INFO);
    return send(res, 200, info(pk));
  }
  if (parts[1] !== 'public' || parts.length !== 3) return send(res, 404, 'not found');
  if (mode === 'garbage') return send(res, 200, '<html>drand</html>');
  let round;
  if (parts[2] === 'latest') {
    round = currentRound();
    if (mode === 'stale') round -= 1000;
  } else {
    if (!/^[0-9]{1,15}$/.test(parts[2])) return send(res, 400, 'bad round');
    round = Number(parts[2]);
    if (round < 1) return send(res, 400, 'bad round');
  }
  if (mode === 'early' || timeOf(round) > nowS()) return send(res, 425, 'too early');
  if (mode === 'badsig') return send(res, 200, { ...beacon(round), signature: sign(round + 1),
                                                 randomness: hex(sha256(Buffer.from(sign(round + 1), 'hex'))) });
  if (mode === 'wronground') return send(res, 200, beacon(round > 1 ? round - 1 : round + 1));
  if (mode === 'badrand') return send(res, 200, { ...beacon(round), randomness: '00'.repeat(32) });
  return send(res, 200, beacon(round));
}

const server = http.createServer((req, res) => {
  const mode = req.url.split('/')[1];
  if (mode === 'slow') setTimeout(() => handle(req, res), slowMs);
  else handle(req, res);
});
server.listen(Number(arg('--port', '0')), '127.0.0.1', () => {
  const port = server.address().port;
  if (portFile) fs.writeFileSync(portFile + '.tmp', String(port));
  if (portFile) fs.renameSync(portFile + '.tmp', portFile);
  console.log(`drand_sim: chain ${HASH} on http://127.0.0.1:${port} for ${lifetime} s`);
});
// Stop by ourselves, whatever happens to the test that started us.
setTimeout(() => { server.close(); process.exit(0); }, lifetime * 1000).unref();
setTimeout(() => process.exit(0), lifetime * 1000 + 2000);
