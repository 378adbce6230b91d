// A minimal Ethereum JSON-RPC endpoint over @ethereumjs/evm for
// `verify --rpc` (tests/compat/onchain_ceremony.test.sh): deploys each given
// runtime code (raw file) with the 13-byte loader, writes
// "<port> <address 1> <address 2> ..." to PORTFILE, and answers eth_getCode
// on 127.0.0.1 until killed.
'use strict';
const fs = require('fs');
const http = require('http');
const { createEVM } = require('@ethereumjs/evm');
const { Common, Mainnet, Hardfork } = require('@ethereumjs/common');
const { createAddressFromString } = require('@ethereumjs/util');

const CALLER = createAddressFromString('0x1000000000000000000000000000000000000001');

async function main() {
  const [portFile, ...codes] = process.argv.slice(2);
  const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }) });
  const addrs = [];
  for (const f of codes) {
    const rt = fs.readFileSync(f);
    const l = rt.length;
    const init = Buffer.concat([Buffer.from([0x62, l >> 16, (l >> 8) & 255, l & 255, 0x80, 0x60, 13, 0x60, 0, 0x39, 0x60, 0, 0xf3]), rt]);
    const res = await evm.runCall({ caller: CALLER, data: init, gasLimit: 30000000n });
    if (!res.createdAddress) throw new Error(`cannot deploy ${f}`);
    addrs.push(res.createdAddress.toString());
  }
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      let reply;
      try {
        const q = JSON.parse(body);
        if (q.method !== 'eth_getCode') throw new Error(`method ${q.method}`);
        const code = await evm.stateManager.getCode(createAddressFromString(q.params[0]));
        reply = { jsonrpc: '2.0', id: q.id, result: '0x' + Buffer.from(code).toString('hex') };
      } catch (e) {
        reply = { jsonrpc: '2.0', id: null, error: { code: -32600, message: String(e.message || e) } };
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    fs.writeFileSync(portFile + '.tmp', `${server.address().port} ${addrs.join(' ')}\n`);
    fs.renameSync(portFile + '.tmp', portFile);
  });
}
main().catch((e) => { console.error(e); process.exit(1); });
