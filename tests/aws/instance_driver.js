'use strict';
// Drives one twin instance without the twin's server (tests/aws/instance_sandbox.test.sh):
//   node instance_driver.js INSTANCE_JS DIR USERDATA [FAULT[:ARG],...]
// A stub HTTP listener on 127.0.0.1 stands for the twin's control routes
// (POST /_twin/instance/<id>/poweroff and /timer: 200, and the instance is
// killed on poweroff as the twin does); with STUB_ROUTES=0 it answers 404,
// so the instance falls back to onPoweroff and its own timers.  Events go to
// DIR/driver.log, one line each: "listening PORT", "post PATH BODY",
// "req METHOD PATH ACCESS-KEY" (any other request), "onPoweroff", "exit CODE
// SIGNAL".  GET/HEAD of /twin-bucket/<key> answers a fixed 4096-byte object
// (bytes i % 251), enough for the instance's `aws s3 cp` to download it.  The driver exits when the instance's
// sandbox has ended, or kills it after DRIVER_TIMEOUT seconds (default 300).
const fs = require('fs');
const http = require('http');
const path = require('path');

const [instanceJs, dir, userDataFile, faultList] = process.argv.slice(2);
const { startInstance } = require(path.resolve(instanceJs));
const logFile = path.join(dir, 'driver.log');
const ev = (s) => fs.appendFileSync(logFile, s + '\n');

const armed = new Map();
for (const f of (faultList || '').split(',').filter(Boolean)) {
    const [name, arg] = f.split(':');
    armed.set(name, arg === undefined ? [] : [arg]);
}
const faults = {
    active: (n) => armed.has(n),
    take: (n) => {
        if (!armed.has(n)) return null;
        const a = armed.get(n);
        armed.delete(n);
        ev(`take ${n}`);
        return a;
    },
};

const id = 'i-0a1b2c3d4e5f60718';
const OBJECT = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
let handle = null;
const routes = process.env.STUB_ROUTES !== '0';
const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        if (req.url.startsWith('/twin-bucket/') && (req.method === 'GET' || req.method === 'HEAD')) {
            const m = /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization || '');
            ev(`req ${req.method} ${req.url} ${m ? m[1] : '-'}`);
            res.writeHead(200, {
                'Content-Length': OBJECT.length, 'Content-Type': 'application/octet-stream',
                'ETag': '"0123456789abcdef0123456789abcdef"', 'Last-Modified': new Date(0).toUTCString(),
            });
            res.end(req.method === 'GET' ? OBJECT : undefined);
            return;
        }
        if (req.method !== 'POST' || !req.url.startsWith('/_twin/')) {
            const m = /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization || '');
            ev(`req ${req.method} ${req.url} ${m ? m[1] : '-'}`);
            res.writeHead(404);
            res.end();
            return;
        }
        ev(`post ${req.url} ${Buffer.concat(chunks).toString().replace(/\n/g, ' ')}`);
        const ok = routes && req.method === 'POST' &&
            (req.url === `/_twin/instance/${id}/poweroff` || req.url === `/_twin/instance/${id}/timer`);
        res.writeHead(ok ? 200 : 404, { 'Content-Type': 'application/json' });
        res.end(ok ? '{}' : '{"error":"no such route"}');
        if (ok && req.url.endsWith('/poweroff') && handle) setTimeout(() => handle.kill(), 100);
    });
});
server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    ev(`listening ${port}`);
    handle = startInstance({
        id,
        userData: fs.readFileSync(userDataFile, 'utf8'),
        dir: path.resolve(dir),
        env: {
            AWS_ACCESS_KEY_ID: 'ASIATWININSTANCE0001',
            AWS_SECRET_ACCESS_KEY: 'twin-instance-secret',
            AWS_SESSION_TOKEN: 'twin-instance-token',
            AWS_DEFAULT_REGION: 'us-east-1',
            NITROSETUP_AWS: '/nonexistent/aws',
            TWIN_TIME_SCALE: process.env.TWIN_TIME_SCALE || '1',
        },
        twinUrl: `http://127.0.0.1:${port}`,
        faults,
        log: (m) => ev(`log ${m}`),
        onPoweroff: () => ev('onPoweroff'),
        onExit: (code, signal) => {
            ev(`exit ${code} ${signal}`);
            server.close();
            process.exit(0);
        },
    });
    ev(`pid ${handle.pid}`);
    const t = Number(process.env.DRIVER_TIMEOUT || 300);
    setTimeout(() => { ev('timeout'); handle.kill(); }, t * 1000).unref();
});
for (const s of ['SIGTERM', 'SIGINT']) process.on(s, () => { if (handle) handle.kill(); setTimeout(() => process.exit(1), 500); });
