'use strict';
// A small HTTP server around tests/aws/twin/s3.js alone, for
// tests/aws/twin_s3.test.sh: it resolves the caller from the SigV4 access
// key (no signature check, like the twin), keeps the state in DIR/state.json
// (saved after every request, reloaded at start), and has the fault switch
// the twin's server has.  It lets the S3 test use identities the full twin
// has no need for (a third account, the mirror's owner).
//
//   node s3_harness.js DIR   writes DIR/port once it listens; DIR/calls.log has
//                            one JSON line per request, DIR/twin.log the faults
//
// Access keys: AKIATWINUSER (user, account 111122223333), ASIATWINROLE
// (role, 111122223333), AKIAMIRROROWNER (user, 444455556666, owns
// twin-ptau-mirror), AKIATHIRDPARTY (user, 777788889999).  Secrets are not
// checked.  Control: POST /_harness/fault {"name","args"}, GET
// /_harness/live, GET /_harness/summary.

const http = require('http');
const fs = require('fs');
const path = require('path');
const { createS3, MIRROR_BUCKET } = require('./twin/s3.js');

const dir = process.argv[2];
if (!dir) {
    process.stderr.write('usage: node s3_harness.js DIR\n');
    process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });

const IDENTS = {
    AKIATWINUSER: { kind: 'user', account: '111122223333', arn: 'arn:aws:iam::111122223333:user/twin-user' },
    ASIATWINROLE: { kind: 'role', account: '111122223333', arn: 'arn:aws:sts::111122223333:assumed-role/twin-host/i-0123456789abcdef0' },
    AKIAMIRROROWNER: { kind: 'user', account: '444455556666', arn: 'arn:aws:iam::444455556666:user/mirror-owner' },
    AKIATHIRDPARTY: { kind: 'user', account: '777788889999', arn: 'arn:aws:iam::777788889999:user/someone' },
};

const statePath = path.join(dir, 'state.json');
let state = {};
if (fs.existsSync(statePath)) {
    try {
        state = JSON.parse(fs.readFileSync(statePath, 'utf8'));
    } catch (e) {
        process.stderr.write(`s3_harness: ${statePath}: not JSON: ${e.message}\n`);
        process.exit(1);
    }
}
function save() {
    fs.writeFileSync(statePath + '.tmp', JSON.stringify(state));
    fs.renameSync(statePath + '.tmp', statePath);
}

// One-shot faults keyed by name; active() returns the arguments.
const armed = {};
const faults = {
    take(name) {
        if (!(name in armed)) return null;
        const a = armed[name];
        delete armed[name];
        return a;
    },
    active(name) {
        return name in armed ? armed[name] : null;
    },
};

const callsLog = path.join(dir, 'calls.log');
const logCall = (entry) => fs.appendFileSync(callsLog, JSON.stringify(entry) + '\n');
const log = (line) => fs.appendFileSync(path.join(dir, 'twin.log'), `${line}\n`);
const s3 = createS3({ state, dir, faults, log });
s3.createBucketAs(IDENTS.AKIAMIRROROWNER, MIRROR_BUCKET, { requesterPays: true });
save();

function identify(req) {
    const m = /Credential=([^/,\s]+)\//.exec(req.headers.authorization || '');
    if (!m) return { kind: 'anonymous' };
    return IDENTS[m[1]] ? Object.assign({ accessKey: m[1] }, IDENTS[m[1]]) : null;
}

const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (req.url.startsWith('/_harness/')) {
            let out = {};
            if (req.url === '/_harness/fault' && req.method === 'POST') {
                const f = JSON.parse(body.toString('utf8'));
                armed[f.name] = f.args || [];
            } else if (req.url === '/_harness/live') {
                out = s3.live();
            } else if (req.url === '/_harness/summary') {
                out = s3.summary();
            }
            res.writeHead(200, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify(out));
            return;
        }
        if (!req.headers.authorization && s3.handlePublic(req, res)) return;
        const ident = identify(req);
        if (!ident) {
            const msg = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidAccessKeyId</Code>' +
                '<Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>';
            res.writeHead(403, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(msg) });
            res.end(req.method === 'HEAD' ? undefined : msg);
            return;
        }
        const result = s3.handle(req, res, body, ident);
        logCall(result);
        save();
    });
});
server.listen(0, '127.0.0.1', () => {
    fs.writeFileSync(path.join(dir, 'port'), String(server.address().port));
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
