// Keccak-256 vectors from @noble/hashes for tests/compat/keccak_noble.test.sh:
// writes lines "<message hex> <keccak256 hex>" for every length 0..300 (the
// rate-boundary lengths 135..137 and 271..273 among them) and some long
// random messages, from a seeded generator.
'use strict';
const fs = require('fs');
const { keccak_256 } = require('@noble/hashes/sha3');

const [out, seedArg] = process.argv.slice(2);
let seed = BigInt(seedArg || 1) & 0xffffffffffffffffn;
function nextByte() { // xorshift64*
  seed ^= seed >> 12n; seed ^= (seed << 25n) & 0xffffffffffffffffn; seed ^= seed >> 27n;
  return Number(((seed * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 56n);
}
const hex = (b) => Buffer.from(b).toString('hex');
const lines = [];
const lengths = [];
for (let n = 0; n <= 300; n++) lengths.push(n);
lengths.push(1087, 1088, 1089, 4096, 20000);
for (const n of lengths) {
  const m = new Uint8Array(n);
  for (let i = 0; i < n; i++) m[i] = nextByte();
  lines.push(`${hex(m)} ${hex(keccak_256(m))}`);
}
fs.writeFileSync(out, lines.join('\n') + '\n');
