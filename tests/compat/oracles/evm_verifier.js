// Deploys Groth16 verifier contracts in @ethereumjs/evm and calls them, for
// tests/compat/onchain_*.test.sh.
//
//   node evm_verifier.js check   INIT_HEX_FILE RUNTIME_BIN PROOF PUBLIC [KECCAK_HEX]
//     deploys our init code; checks the deployed code == RUNTIME_BIN and
//     keccak256 (noble) == EXTCODEHASH (through a helper contract) ==
//     KECCAK_HEX; verifyProof: the proof -> true; tampered A, B, C, a public
//     signal + 1, a signal + r, a signal = r, A.y + q -> false; another
//     selector, short calldata, a call with value -> revert.  Prints
//     "gas <execution gas of the true call>".  INIT_HEX_FILE "-": the 13-byte
//     loader + RUNTIME_BIN.
//   node evm_verifier.js expect  PREFIX_HEX_FILE VK_JSON OUT
//     the runtime code for snarkjs's verification_key.json, made here from
//     the layout in docs/onchain.md (independently of the C code): the
//     compiled prefix, the key words, the trailer.
//   node evm_verifier.js gas     RUNTIME_HEX_FILE PROOF PUBLIC
//     deploys that runtime code (any contract without constructor or
//     immutables, e.g. snarkjs's verifier compiled by contracts/build.js),
//     checks the proof verifies and a tampered signal does not, prints
//     "gas <execution gas of the true call>".
'use strict';
const fs = require('fs');
const { createEVM } = require('@ethereumjs/evm');
const { Common, Mainnet, Hardfork } = require('@ethereumjs/common');
const { createAddressFromString } = require('@ethereumjs/util');
const { keccak_256 } = require('@noble/hashes/sha3');

const R = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001n;
const Q = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
const CALLER = createAddressFromString('0x1000000000000000000000000000000000000001');

const hex = (b) => Buffer.from(b).toString('hex');
const word = (x) => x.toString(16).padStart(64, '0');
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };

function selector(n) {
  const sig = n === 0 ? 'verifyProof(uint256[2],uint256[2][2],uint256[2])'
    : `verifyProof(uint256[2],uint256[2][2],uint256[2],uint256[${n}])`;
  return hex(keccak_256(Buffer.from(sig))).slice(0, 8);
}

// snarkjs proof.json + public.json -> the call's words, B in EIP-197 order
function words(proof, pub) {
  const b = proof.pi_b;
  return {
    a: [proof.pi_a[0], proof.pi_a[1]].map(BigInt),
    b: [b[0][1], b[0][0], b[1][1], b[1][0]].map(BigInt),
    c: [proof.pi_c[0], proof.pi_c[1]].map(BigInt),
    s: pub.map(BigInt),
  };
}
const calldata = (w, sel) => Buffer.from((sel || selector(w.s.length)) +
  [...w.a, ...w.b, ...w.c, ...w.s].map(word).join(''), 'hex');
const clone = (w) => ({ a: [...w.a], b: [...w.b], c: [...w.c], s: [...w.s] });

async function newEVM() {
  return createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }) });
}

async function deploy(evm, init) {
  const res = await evm.runCall({ caller: CALLER, data: init, gasLimit: 30000000n });
  if (res.execResult.exceptionError || !res.createdAddress)
    fail(`deployment failed: ${res.execResult.exceptionError && res.execResult.exceptionError.error}`);
  return res.createdAddress;
}

async function call(evm, to, data, value) {
  const res = await evm.runCall({ caller: CALLER, to, data, gasLimit: 10000000n, value: value || 0n });
  const e = res.execResult;
  if (e.exceptionError) return { revert: true, gas: e.executionGasUsed };
  const rv = e.returnValue;
  if (rv.length !== 32) fail(`return value of ${rv.length} bytes`);
  const v = BigInt('0x' + hex(rv));
  if (v > 1n) fail(`return value ${v} is not a bool`);
  return { ok: v === 1n, gas: e.executionGasUsed };
}

function loader(rt) { // 13-byte init code, as ns_verifier_initcode writes it
  const l = rt.length;
  return Buffer.concat([Buffer.from([0x62, l >> 16, (l >> 8) & 255, l & 255, 0x80, 0x60, 13, 0x60, 0, 0x39, 0x60, 0, 0xf3]), rt]);
}

async function extcodehash(evm, addr) {
  // PUSH20 addr EXTCODEHASH PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
  const code = Buffer.concat([Buffer.from([0x73]), addr.bytes, Buffer.from('3f60005260206000f3', 'hex')]);
  const helper = await deploy(evm, loader(code));
  const res = await evm.runCall({ caller: CALLER, to: helper, gasLimit: 100000n });
  return hex(res.execResult.returnValue);
}

async function check([initFile, rtFile, proofFile, pubFile, keccakHex]) {
  const rt = fs.readFileSync(rtFile);
  const init = initFile === '-' ? loader(rt)
    : Buffer.from(fs.readFileSync(initFile, 'utf8').trim().replace(/^0x/, ''), 'hex');
  const w = words(JSON.parse(fs.readFileSync(proofFile, 'utf8')), JSON.parse(fs.readFileSync(pubFile, 'utf8')));
  const evm = await newEVM();
  const addr = await deploy(evm, init);
  const code = await evm.stateManager.getCode(addr);
  if (!Buffer.from(code).equals(rt)) fail('deployed code differs from verifier.runtime.bin');
  const k = hex(keccak_256(rt));
  const ext = await extcodehash(evm, addr);
  if (ext !== k) fail(`EXTCODEHASH ${ext} != keccak256(runtime) ${k}`);
  if (keccakHex && keccakHex !== k) fail(`EXTCODEHASH ${ext} != expected ${keccakHex}`);
  console.log(`deployed ${rt.length} bytes, EXTCODEHASH ${ext}`);

  const good = await call(evm, addr, calldata(w));
  if (good.revert || !good.ok) fail('the proof does not verify');
  const cases = [];
  const t = (name, f) => { const x = clone(w); f(x); cases.push([name, x]); };
  t('A.x + 1', (x) => { x.a[0] += 1n; });
  t('A negated', (x) => { x.a[1] = (Q - x.a[1]) % Q; });
  t('A.y + q', (x) => { x.a[1] += Q; });
  t('B.x.im + 1', (x) => { x.b[0] += 1n; });
  t('B re/im swapped', (x) => { x.b = [x.b[1], x.b[0], x.b[3], x.b[2]]; });
  t('C negated', (x) => { x.c[1] = (Q - x.c[1]) % Q; });
  t('C = A', (x) => { x.c = [...x.a]; });
  for (let i = 0; i < w.s.length; i++) {
    t(`signal ${i} + 1`, (x) => { x.s[i] = (x.s[i] + 1n) % R; });
    t(`signal ${i} + r`, (x) => { x.s[i] += R; });
    t(`signal ${i} = r`, (x) => { x.s[i] = R; });
    t(`signal ${i} = 2^256 - 1`, (x) => { x.s[i] = (1n << 256n) - 1n; });
  }
  for (const [name, x] of cases) {
    const r = await call(evm, addr, calldata(x));
    if (r.revert || r.ok) fail(`tampered (${name}): ${r.revert ? 'reverted' : 'verified'}, expected false`);
  }
  const data = calldata(w);
  const reverts = [
    ['another selector', calldata(w, selector(w.s.length + 1))],
    ['calldata one byte short', data.subarray(0, data.length - 1)],
    ['empty calldata', Buffer.alloc(0)],
  ];
  for (const [name, d] of reverts) {
    const r = await call(evm, addr, d);
    if (!r.revert) fail(`${name}: did not revert`);
  }
  const withValue = await evm.runCall({ caller: CALLER, to: addr, data, gasLimit: 10000000n, value: 1n, skipBalance: true });
  if (!withValue.execResult.exceptionError) fail('a call with value did not revert');
  console.log(`true for the proof; false for ${cases.length} tampered calls; ${reverts.length + 1} malformed calls revert`);
  console.log(`gas ${good.gas}`);
}

async function gas([rtHexFile, proofFile, pubFile]) {
  const rt = Buffer.from(fs.readFileSync(rtHexFile, 'utf8').trim().replace(/^0x/, ''), 'hex');
  const w = words(JSON.parse(fs.readFileSync(proofFile, 'utf8')), JSON.parse(fs.readFileSync(pubFile, 'utf8')));
  const evm = await newEVM();
  const addr = await deploy(evm, loader(rt));
  const good = await call(evm, addr, calldata(w));
  if (good.revert || !good.ok) fail('the proof does not verify');
  const x = clone(w);
  x.s[0] = (x.s[0] + 1n) % R;
  const bad = await call(evm, addr, calldata(x));
  if (bad.revert || bad.ok) fail('a tampered signal verifies');
  console.log(`gas ${good.gas}`);
}

async function expect([prefixFile, vkFile, out]) {
  const prefix = fs.readFileSync(prefixFile, 'utf8').trim();
  const vk = JSON.parse(fs.readFileSync(vkFile, 'utf8'));
  const g1 = (p) => (p[2] === '0' ? [0n, 0n] : [BigInt(p[0]), BigInt(p[1])]);
  const g2 = (p) => [p[0][1], p[0][0], p[1][1], p[1][0]].map(BigInt);
  const n = vk.nPublic;
  const ws = [...g1(vk.vk_alpha_1), ...g2(vk.vk_beta_2), ...g2(vk.vk_gamma_2), ...g2(vk.vk_delta_2),
              ...vk.IC.flatMap(g1)];
  if (ws.length !== 16 + 2 * n) fail('IC count');
  const trailer = selector(n) + '00'.repeat(24) + n.toString(16).padStart(8, '0');
  fs.writeFileSync(out, Buffer.from(prefix + ws.map(word).join('') + trailer, 'hex'));
}

const [mode, ...args] = process.argv.slice(2);
({ check, gas, expect })[mode](args).catch((e) => fail(e.stack || e));
