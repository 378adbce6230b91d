#!/usr/bin/env node
// Compiles contracts/Groth16Verifier.sol with the pinned solc (npm solc 0.8.28
// from tests/compat/node_modules) and the pinned settings, and compares the
// runtime code with the checked-in contracts/Groth16Verifier.runtime.hex
// (exit 1 if they differ).  --write rewrites the hex file instead.
// --compile FILE.sol NAME prints the runtime code of contract NAME in FILE
// with the same settings (the tests compile snarkjs's verifier with it).
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const SOLC_VERSION = '0.8.28+commit.7893614a.Emscripten.clang';
const SETTINGS = {
  evmVersion: 'paris',
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  metadata: { appendCBOR: false },
  outputSelection: { '*': { '*': ['evm.deployedBytecode.object', 'evm.deployedBytecode.immutableReferences',
                                  'evm.deployedBytecode.linkReferences'] } },
};

function compile(unitName, text, contract) {
  if (solc.version() !== SOLC_VERSION) throw new Error(`solc ${solc.version()}, pinned ${SOLC_VERSION}`);
  const input = { language: 'Solidity', sources: { [unitName]: { content: text } }, settings: SETTINGS };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts[unitName][contract];
  const d = c.evm.deployedBytecode;
  if (Object.keys(d.immutableReferences || {}).length || Object.keys(d.linkReferences || {}).length)
    throw new Error('the runtime code has immutables or library links: not a fixed prefix');
  return d.object;
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--compile') {
    process.stdout.write(compile(path.basename(args[1]), fs.readFileSync(args[1], 'utf8'), args[2]) + '\n');
    return;
  }
  const dir = __dirname;
  const hexPath = path.join(dir, 'Groth16Verifier.runtime.hex');
  const got = compile('Groth16Verifier.sol', fs.readFileSync(path.join(dir, 'Groth16Verifier.sol'), 'utf8'),
                      'NitrosetupGroth16Verifier');
  if (args[0] === '--write') {
    fs.writeFileSync(hexPath, got + '\n');
    console.log(`wrote ${hexPath}: ${got.length / 2} bytes`);
    return;
  }
  const sha = require('crypto').createHash('sha256').update(fs.readFileSync(path.join(dir, 'Groth16Verifier.sol'))).digest('hex');
  if (!fs.readFileSync(path.join(dir, 'README.md'), 'utf8').includes(`sha256(Groth16Verifier.sol) = ${sha}`)) {
    console.error(`contracts/README.md does not record sha256(Groth16Verifier.sol) = ${sha}`);
    process.exit(1);
  }
  const want = fs.readFileSync(hexPath, 'utf8').trim();
  if (got !== want) {
    console.error(`contracts/Groth16Verifier.runtime.hex differs from solc's output (${want.length / 2} vs ${got.length / 2} bytes)`);
    process.exit(1);
  }
  console.log(`contracts/Groth16Verifier.runtime.hex = solc ${SOLC_VERSION} output, ${got.length / 2} bytes`);
}

main();
