'use strict';
// The AWS twin's server: one loopback HTTP endpoint for every AWS API the
// project calls.  Services are told apart by the SigV4 credential scope of
// the request; signatures are not checked, access keys are.
//
//   node server.js DIR PORT
//
// State lives in DIR/state.json (rewritten atomically after every change and
// reloaded on restart); every API call is appended to DIR/calls.log as one
// JSON line.  See tests/aws/README.md.

const fs = require('fs');
const path = require('path');
const http = require('http');
const crypto = require('crypto');
const P = require('./protocol');

const ACCOUNT = '111122223333';
const MIRROR_ACCOUNT = '444455556666';
const REGION = 'us-east-1';

function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`twin: ${name}=${v}: not a non-negative number\n`);
    process.exit(2);
  }
  return n;
}

function randHex(n) {
  return crypto.randomBytes(Math.ceil(n / 2)).toString('hex').slice(0, n);
}

function randUpper(n) {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const b = crypto.randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += abc[b[i] % abc.length];
  return s;
}

// ---- the twin ---------------------------------------------------------------

class Twin {
  constructor(dir, port) {
    this.dir = dir;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.statePath = path.join(dir, 'state.json');
    this.callsPath = path.join(dir, 'calls.log');
    this.handles = {};          // instance id -> instance.js handle
    this.dirty = false;
    this.config = {
      stepMs: envInt('TWIN_STEP_MS', 150),          // one CloudFormation resource step
      bootMs: envInt('TWIN_BOOT_MS', 400),          // pending -> running
      terminateMs: envInt('TWIN_TERMINATE_MS', 400), // shutting-down -> terminated
      clockScale: envInt('TWIN_CLOCK_SCALE', 1),     // twin seconds per real second
      quotaVcpus: envInt('TWIN_QUOTA_VCPUS', 256),
      startInstances: process.env.TWIN_NO_INSTANCES ? false : true,
      terminatedVisibleS: envInt('TWIN_TERMINATED_VISIBLE_S', 3600),
    };
    this.load();
    this.realBase = Date.now();
    this.faults = makeFaults(this);
    this.log = (msg) => fs.appendFileSync(path.join(dir, 'twin.log'), `${new Date().toISOString()} ${msg}\n`);
    this.cfn = require('./cfn').create(this);
    this.ec2 = require('./ec2').create(this);
    this.misc = require('./misc').create(this);
    this.s3 = this.optional('s3.js', () => require('./s3').createS3({
      state: this.state, dir: path.join(dir, 's3'), faults: this.faults, log: this.log,
      twin: this,
    }));
    this.instanceMod = this.optional('instance.js', () => require('./instance'));
  }

  optional(file, make) {
    if (!fs.existsSync(path.join(__dirname, file))) {
      this.log(`${file} not present`);
      return null;
    }
    return make();
  }

  load() {
    if (fs.existsSync(this.statePath)) {
      this.state = JSON.parse(fs.readFileSync(this.statePath, 'utf8'));
      return;
    }
    this.state = {
      format: 'nitrosetup-twin-1',
      twinTime: Date.now(),
      clockOffsetS: 0,
      calls: 0,
      users: {
        user: {
          akid: 'AKIA' + randUpper(16), secret: randHex(40), expired: false,
          arn: `arn:aws:iam::${ACCOUNT}:user/twin-user`, userId: 'AIDA' + randUpper(17),
          account: ACCOUNT,
        },
        mirror: {
          akid: 'AKIA' + randUpper(16), secret: randHex(40), expired: false,
          arn: `arn:aws:iam::${MIRROR_ACCOUNT}:user/ptau-mirror-owner`, userId: 'AIDA' + randUpper(17),
          account: MIRROR_ACCOUNT,
        },
      },
      roleCreds: {},
      stacks: [], instances: [], volumes: [], network_interfaces: [], addresses: [],
      snapshots: [], schedules: [], log_groups: [], security_groups: [],
      launch_templates: [], iam_roles: [], instance_profiles: [],
      faults: {},
      s3: {},
    };
    this.dirty = true;
  }

  // Twin clock in ms: real time (scaled) plus the offset `twin fault clock` adds.
  now() {
    const real = Date.now() - this.realBase;
    return this.state.twinTime + real * this.config.clockScale + this.state.clockOffsetS * 1000;
  }

  save() {
    if (!this.dirty) return;
    this.dirty = false;
    const s = this.state;
    // Re-anchor the clock so a restarted server continues from here.
    s.twinTime = this.now() - s.clockOffsetS * 1000;
    this.realBase = Date.now();
    const tmp = this.statePath + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify(s));
    fs.renameSync(tmp, this.statePath);
  }

  touch() { this.dirty = true; }

  logCall(entry) {
    fs.appendFileSync(this.callsPath, JSON.stringify(entry) + '\n');
  }

  // Every access key the twin knows -> identity.
  identity(akid, token) {
    for (const [name, u] of Object.entries(this.state.users)) {
      if (u.akid === akid) {
        return { kind: 'user', name, akid, arn: u.arn, userId: u.userId, account: u.account, expired: u.expired };
      }
    }
    const r = this.state.roleCreds[akid];
    if (r) {
      return {
        kind: 'role', akid, arn: r.arn, userId: `${r.roleId}:${r.instance}`, account: ACCOUNT,
        role: r.role, instance: r.instance, expired: r.dead, badToken: token !== r.token,
      };
    }
    return null;
  }

  // Credentials of an instance's role (what IMDS would hand out).
  roleCredentials(instance, roleName, roleId) {
    const akid = 'ASIA' + randUpper(16);
    const c = {
      akid, secret: randHex(40), token: 'IQoJ' + crypto.randomBytes(96).toString('base64'),
      instance, role: roleName, roleId,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${instance}`, dead: false,
    };
    this.state.roleCreds[akid] = c;
    this.touch();
    return c;
  }

  live() {
    const s = this.state;
    const out = [];
    for (const st of s.stacks) {
      if (st.StackStatus !== 'DELETE_COMPLETE') out.push({ type: 'stack', id: st.StackId, name: st.StackName, status: st.StackStatus });
    }
    for (const i of s.instances) {
      if (i.State.Name !== 'terminated') out.push({ type: 'instance', id: i.InstanceId, state: i.State.Name });
    }
    for (const v of s.volumes) out.push({ type: 'volume', id: v.VolumeId, state: v.State });
    for (const n of s.network_interfaces) out.push({ type: 'network-interface', id: n.NetworkInterfaceId, status: n.Status });
    for (const a of s.addresses) out.push({ type: 'address', id: a.AllocationId });
    for (const sn of s.snapshots) out.push({ type: 'snapshot', id: sn.SnapshotId });
    for (const sc of s.schedules) out.push({ type: 'schedule', id: sc.Name, arn: sc.Arn });
    for (const g of s.log_groups) out.push({ type: 'log-group', id: g.logGroupName });
    if (this.s3 && this.s3.live) out.push(...this.s3.live());
    return out;
  }

  dump() {
    const s = this.state;
    return {
      live: this.live(),
      stacks: s.stacks.map((st) => ({
        StackId: st.StackId, StackName: st.StackName, StackStatus: st.StackStatus,
        StackStatusReason: st.StackStatusReason, OnFailure: st.OnFailure,
        resources: st.resources.map((r) => ({
          LogicalResourceId: r.LogicalResourceId, ResourceType: r.ResourceType,
          PhysicalResourceId: r.PhysicalResourceId, ResourceStatus: r.ResourceStatus,
        })),
      })),
      instances: s.instances.map((i) => ({
        InstanceId: i.InstanceId, State: i.State.Name, InstanceType: i.InstanceType,
        StateReason: i.StateReason && i.StateReason.Code, Tags: i.Tags, pid: i.twinPid || null,
      })),
      volumes: s.volumes, network_interfaces: s.network_interfaces, addresses: s.addresses,
      snapshots: s.snapshots, schedules: s.schedules, log_groups: s.log_groups,
      s3: this.s3 && this.s3.summary ? this.s3.summary() : (this.s3 ? s.s3 : null),
      faults: s.faults,
      clock: new Date(this.now()).toISOString(),
      calls: s.calls,
    };
  }

  tick() {
    try {
      this.cfn.tick();
      this.ec2.tick();
      this.misc.tick();
    } catch (e) {
      this.log(`tick: ${e.stack}`);
    }
    this.save();
  }
}

// ---- faults (shared with s3.js and instance.js) ---------------------------

function normOp(op) { return String(op).replace(/[-_]/g, '').toLowerCase(); }

function makeFaults(twin) {
  const st = () => twin.state.faults;
  const f = {
    arm(name, args) {
      st()[name] = { args: args || [], armedAt: new Date(twin.now()).toISOString() };
      twin.touch();
    },
    // One-shot: the arguments if armed (and disarms it), else null.
    take(name) {
      const e = st()[name];
      if (!e) return null;
      delete st()[name];
      twin.touch();
      return e.args;
    },
    // The arguments (an array, truthy even when empty) while armed, else null.
    active(name) {
      const e = st()[name];
      if (!e) return null;
      return e.args || [];
    },
    args(name) { const e = st()[name]; return e ? e.args : null; },
    clear(name) { delete st()[name]; twin.touch(); },
    // Throttle: true when this call of OP must be throttled (counts down).
    takeThrottle(op) {
      const key = `throttle:${normOp(op)}`;
      const e = st()[key];
      if (!e) return false;
      e.remaining -= 1;
      if (e.remaining <= 0) delete st()[key];
      twin.touch();
      return true;
    },
    // api-error: the error code for this call of OP, once.
    takeApiError(op) {
      const key = `api-error:${normOp(op)}`;
      const e = st()[key];
      if (!e) return null;
      delete st()[key];
      twin.touch();
      return e.code;
    },
    now: () => twin.now(),
  };
  return f;
}

// ---- HTTP ------------------------------------------------------------------

const SERVICES = {
  cloudformation: { model: 'cloudformation', protocol: 'query' },
  sts: { model: 'sts', protocol: 'query' },
  ec2: { model: 'ec2', protocol: 'ec2' },
  servicequotas: { model: 'service-quotas', protocol: 'json' },
  pricing: { model: 'pricing', protocol: 'json' },
  logs: { model: 'logs', protocol: 'json' },
  tagging: { model: 'resourcegroupstaggingapi', protocol: 'json' },
  scheduler: { model: 'scheduler', protocol: 'rest-json' },
  s3: { model: null, protocol: 'rest-xml' },
};

function credentialOf(req, url) {
  const auth = req.headers.authorization || '';
  let m = /Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
  if (m) return { akid: m[1], region: m[3], service: m[4] };
  const q = url.searchParams.get('X-Amz-Credential');
  if (q) {
    m = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(q);
    if (m) return { akid: m[1], region: m[3], service: m[4], presigned: true };
  }
  return null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, status, type, body, headers) {
  const h = Object.assign({ 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) }, headers || {});
  res.writeHead(status, h);
  res.end(body);
}

function s3AuthError(res, code, message, akid, status) {
  const rid = randUpper(16);
  send(res, status, 'application/xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${P.xmlEscape(message)}</Message>` +
    (akid ? `<AWSAccessKeyId>${P.xmlEscape(akid)}</AWSAccessKeyId>` : '') +
    `<RequestId>${rid}</RequestId><HostId>${crypto.randomBytes(24).toString('base64')}</HostId></Error>`,
    { 'x-amz-request-id': rid });
}

// Errors for a key the twin does not know, and for one that has expired.
const AUTH_ERRORS = {
  unknown: {
    query: ['InvalidClientTokenId', 'The security token included in the request is invalid.', 403],
    ec2: ['AuthFailure', 'AWS was not able to validate the provided access credentials', 401],
    json: ['UnrecognizedClientException', 'The security token included in the request is invalid.', 400],
    'rest-json': ['UnrecognizedClientException', 'The security token included in the request is invalid.', 403],
    'rest-xml': ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403],
  },
  expired: {
    query: ['ExpiredToken', 'The security token included in the request is expired', 400],
    ec2: ['RequestExpired', 'Request has expired.', 400],
    json: ['ExpiredTokenException', 'The security token included in the request is expired', 400],
    'rest-json': ['ExpiredTokenException', 'The security token included in the request is expired', 403],
    'rest-xml': ['ExpiredToken', 'The provided token has expired.', 400],
  },
};

const THROTTLE = {
  query: ['Throttling', 'Rate exceeded', 400],
  ec2: ['RequestLimitExceeded', 'Request limit exceeded.', 503],
  json: ['ThrottlingException', 'Rate exceeded', 400],
  'rest-json': ['ThrottlingException', 'Rate exceeded', 429],
};

function sendApiError(res, svc, model, err, rid) {
  const e = P.errorBody(svc.protocol, model, err, rid);
  send(res, err.status || 400, e.type, e.body, Object.assign({ 'x-amzn-RequestId': rid }, e.headers || {}));
}

function summarize(obj) {
  // Long values (template bodies, user data) are logged by size and hash.
  if (typeof obj === 'string') {
    if (obj.length <= 512) return obj;
    return `<${obj.length} chars sha256:${crypto.createHash('sha256').update(obj).digest('hex').slice(0, 16)}>`;
  }
  if (Array.isArray(obj)) return obj.map(summarize);
  if (obj && typeof obj === 'object') {
    const o = {};
    for (const [k, v] of Object.entries(obj)) o[k] = summarize(v);
    return o;
  }
  return obj;
}

async function handleAdmin(twin, req, res, url, body) {
  const p = url.pathname;
  const json = (status, obj) => send(res, status, 'application/json', JSON.stringify(obj, null, 1) + '\n');
  if (p === '/_twin/ping') return json(200, { ok: true, port: twin.port });
  if (p === '/_twin/state') return json(200, twin.dump());
  if (p === '/_twin/env') {
    const u = twin.state.users;
    return json(200, {
      user: { akid: u.user.akid, secret: u.user.secret, arn: u.user.arn },
      mirror: { akid: u.mirror.akid, secret: u.mirror.secret, arn: u.mirror.arn },
      account: ACCOUNT, mirror_account: MIRROR_ACCOUNT, region: REGION,
    });
  }
  if (p === '/_twin/fault' && req.method === 'POST') {
    let args;
    try {
      args = JSON.parse(body.toString('utf8'));
    } catch (e) {
      return json(400, { error: 'body must be a JSON array: [NAME, ARG...]' });
    }
    const r = armFault(twin, args);
    twin.save();
    return json(r.error ? 400 : 200, r);
  }
  let m = /^\/_twin\/instance\/(i-[0-9a-f]+)\/poweroff$/.exec(p);
  if (m && req.method === 'POST') {
    const ok = twin.ec2.powerOff(m[1]);
    twin.save();
    return json(ok ? 200 : 404, { ok });
  }
  m = /^\/_twin\/instance\/(i-[0-9a-f]+)\/timer$/.exec(p);
  if (m && req.method === 'POST') {
    let t;
    try {
      t = JSON.parse(body.toString('utf8') || '{}');
    } catch (e) {
      return json(400, { error: 'timer: body is not JSON' });
    }
    const secs = t.seconds !== undefined ? Number(t.seconds) : Number(t.minutes) * 60;
    if (!Number.isFinite(secs) || secs < 0) return json(400, { error: 'timer: seconds or minutes required' });
    const ok = twin.ec2.addTimer(m[1], secs, `${t.kind || 'timer'} ${t.what || ''}`.trim());
    twin.save();
    return json(ok ? 200 : 404, { ok });
  }
  m = /^\/_twin\/instance\/(i-[0-9a-f]+)\/exit$/.exec(p);
  if (m && req.method === 'POST') {
    twin.ec2.sandboxExited(m[1]);
    twin.save();
    return json(200, { ok: true });
  }
  if (p === '/_twin/leak' && req.method === 'POST') {
    let args;
    try {
      args = JSON.parse(body.toString('utf8'));
    } catch (e) {
      return json(400, { error: 'body must be a JSON array: [KIND, Key=Value...]' });
    }
    const tags = [];
    for (const a of args.slice(1)) {
      const i = String(a).indexOf('=');
      if (i <= 0) return json(400, { error: `leak: tag ${a} is not Key=Value` });
      tags.push({ Key: a.slice(0, i), Value: a.slice(i + 1) });
    }
    try {
      const id = args[0] === 'log-group' ? twin.misc.createLogGroup(tags.length ? tags[0].Value : '/nitrosetup/leak').logGroupName
        : twin.ec2.leak(String(args[0]), tags);
      twin.touch();
      twin.save();
      return json(200, { id });
    } catch (e) {
      return json(400, { error: e.message });
    }
  }
  if (p === '/_twin/shutdown' && req.method === 'POST') {
    json(200, { ok: true });
    shutdown(twin);
    return undefined;
  }
  return json(404, { error: `no admin endpoint ${p}` });
}

// The S3 operation an OP argument names (PutObject or put-object), or null.
function s3Operation(op) {
  let m;
  try {
    m = P.loadModel('s3');
  } catch (e) {
    return null;
  }
  return Object.keys(m.operations).find((o) => normOp(o) === normOp(op)) || null;
}

const FAULT_NAMES = ['allocator-fail', 'enclave-dies', 'bootstrap-hash', 'ptau-mirror-403',
  'upload-network-loss', 'heartbeat-loss', 'host-fail', 'create-fail', 'delete-failed'];

function armFault(twin, args) {
  if (!Array.isArray(args) || args.length === 0) return { error: 'no fault name' };
  const [name, ...rest] = args.map(String);
  const st = twin.state.faults;
  switch (name) {
    case 'throttle': {
      if (!rest[0]) return { error: 'throttle OP [N]: missing OP' };
      const n = rest[1] === undefined ? 3 : Number(rest[1]);
      if (!Number.isInteger(n) || n < 1) return { error: `throttle: N must be a positive integer, not ${rest[1]}` };
      // S3 operations are counted by s3.js, which reads the 'throttle' fault.
      const s3op = s3Operation(rest[0]);
      if (s3op) twin.faults.arm('throttle', [s3op, String(n)]);
      else st[`throttle:${normOp(rest[0])}`] = { op: rest[0], remaining: n };
      break;
    }
    case 'api-error':
      if (rest.length < 2) return { error: 'api-error OP CODE: missing argument' };
      st[`api-error:${normOp(rest[0])}`] = { op: rest[0], code: rest[1] };
      break;
    case 'expire-credentials':
      twin.state.users.user.expired = true;
      break;
    case 'renew-credentials':
      twin.state.users.user.expired = false;
      break;
    case 'clock': {
      const m = /^\+?(\d+)$/.exec(rest[0] || '');
      if (!m) return { error: `clock +SECONDS: bad argument ${rest[0]}` };
      twin.state.clockOffsetS += Number(m[1]);
      break;
    }
    case 'clear':
      for (const k of Object.keys(st)) delete st[k];
      break;
    default:
      if (!FAULT_NAMES.includes(name)) return { error: `unknown fault ${name}` };
      twin.faults.arm(name, rest);
  }
  twin.touch();
  twin.log(`fault ${args.join(' ')}`);
  return { ok: true, faults: st, clock: new Date(twin.now()).toISOString() };
}

async function handle(twin, req, res) {
  const url = new URL(req.url, twin.url);
  const body = await readBody(req);
  if (url.pathname.startsWith('/_twin/')) return handleAdmin(twin, req, res, url, body);

  const cred = credentialOf(req, url);
  if (!cred) {
    if (twin.s3 && twin.s3.handlePublic && (req.method === 'GET' || req.method === 'HEAD') &&
        url.pathname.startsWith('/zkevm/ptau/')) {
      twin.logCall({ t: new Date(twin.now()).toISOString(), service: 'public', op: req.method, path: url.pathname });
      if (await twin.s3.handlePublic(req, res)) return undefined;
    }
    if (twin.s3) return twin.s3.handle(req, res, body, { kind: 'anonymous' });
    return send(res, 403, 'text/plain', 'twin: request without SigV4 credentials\n');
  }
  const svc = SERVICES[cred.service];
  const rid = P.requestId();
  twin.state.calls += 1;
  twin.touch();
  const entry = { t: new Date(twin.now()).toISOString(), service: cred.service, akid: cred.akid };
  const ident = twin.identity(cred.akid, req.headers['x-amz-security-token'] ||
    url.searchParams.get('X-Amz-Security-Token'));
  if (!svc) {
    entry.code = 'UnknownService';
    twin.logCall(entry);
    return send(res, 400, 'text/plain', `twin: service ${cred.service} is not modelled\n`);
  }
  if (svc.protocol === 'rest-xml') {
    entry.op = `${req.method} ${url.pathname}${url.search}`;
    if (!ident || ident.badToken || ident.expired) {
      const [code, msg, status] = AUTH_ERRORS[ident && ident.expired ? 'expired' : 'unknown']['rest-xml'];
      entry.code = code;
      twin.logCall(entry);
      return s3AuthError(res, code, msg, cred.akid, status);
    }
    entry.caller = ident.arn;
    twin.logCall(entry);
    if (!twin.s3) return s3AuthError(res, 'NotImplemented', 'twin: s3.js not present', null, 501);
    return twin.s3.handle(req, res, body, ident);
  }

  const model = P.loadModel(svc.model);
  let opName;
  let input;
  try {
    if (svc.protocol === 'query' || svc.protocol === 'ec2') {
      const f = P.parseForm(model, body);
      opName = f.action;
      entry.params = summarize(Object.fromEntries(f.raw));
      if (!f.op) throw new P.ApiError('InvalidAction', `Could not find operation ${opName} for version ${model.metadata.apiVersion}`);
      input = f.input;
    } else if (svc.protocol === 'json') {
      const target = req.headers['x-amz-target'] || '';
      opName = target.split('.').pop();
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
      entry.params = summarize(input);
      if (!model.operations[opName]) throw new P.ApiError('UnknownOperationException', `Unknown operation ${target}`);
    } else {
      ({ opName, input } = require('./misc').routeRest(model, req.method, url, body));
      entry.params = summarize(input);
    }
    entry.op = opName;
    if (!ident || ident.badToken) {
      const [code, msg, status] = AUTH_ERRORS.unknown[svc.protocol];
      throw new P.ApiError(code, msg, status);
    }
    entry.caller = ident.arn;
    if (ident.expired) {
      const [code, msg, status] = AUTH_ERRORS.expired[svc.protocol];
      throw new P.ApiError(code, msg, status);
    }
    if (twin.faults.takeThrottle(opName)) {
      const [code, msg, status] = THROTTLE[svc.protocol];
      throw new P.ApiError(code, msg, status);
    }
    const injected = twin.faults.takeApiError(opName);
    if (injected) throw new P.ApiError(injected, `fault: injected ${injected}`, 400);

    const handler = { cloudformation: twin.cfn, ec2: twin.ec2 }[cred.service] || twin.misc;
    const out = handler.call(cred.service, opName, input, ident);
    entry.code = 'OK';
    twin.logCall(entry);
    twin.save();
    if (svc.protocol === 'query' || svc.protocol === 'ec2') {
      return send(res, 200, 'text/xml', P.xmlResponse(model, opName, out, rid), { 'x-amzn-RequestId': rid });
    }
    return send(res, 200, 'application/x-amz-json-1.1', P.jsonResponse(model, opName, out), { 'x-amzn-RequestId': rid });
  } catch (e) {
    if (!(e instanceof P.ApiError)) {
      twin.log(`internal error in ${cred.service} ${opName}: ${e.stack}`);
      e.code = 'InternalFailure';
      e.status = 500;
    }
    entry.op = entry.op || opName;
    entry.code = e.code;
    entry.message = e.message;
    twin.logCall(entry);
    twin.save();
    return sendApiError(res, svc, model, e, rid);
  }
}

function shutdown(twin) {
  for (const [id, h] of Object.entries(twin.handles)) {
    try { h.kill(); } catch (e) { twin.log(`kill ${id}: ${e.message}`); }
  }
  twin.save();
  setTimeout(() => process.exit(0), 50);
}

function main() {
  const [dir, portArg] = process.argv.slice(2);
  if (dir === '--dump') {
    // `twin state` of a stopped twin: the saved state, read only.
    const d = path.resolve(portArg || '');
    if (!fs.existsSync(path.join(d, 'state.json'))) {
      process.stderr.write(`twin: ${d}: no state.json\n`);
      process.exit(1);
    }
    const twin = new Twin(d, 0);
    process.stdout.write(JSON.stringify(twin.dump(), null, 1) + '\n');
    return;
  }
  if (!dir || portArg === undefined || !/^\d+$/.test(portArg)) {
    process.stderr.write('usage: node server.js DIR PORT (0: any free port)\n');
    process.exit(2);
  }
  let twin = null;
  const server = http.createServer((req, res) => {
    handle(twin, req, res).catch((e) => {
      twin.log(`request failed: ${e.stack}`);
      if (!res.headersSent) send(res, 500, 'text/plain', `twin: ${e.message}\n`);
      else res.destroy();
    });
  });
  server.on('error', (e) => {
    process.stderr.write(`twin: cannot listen on 127.0.0.1:${portArg}: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(Number(portArg), '127.0.0.1', () => {
    twin = new Twin(path.resolve(dir), server.address().port);
    twin.log(`listening on ${twin.url}`);
    twin.misc.bootstrap();
    twin.save();
    fs.writeFileSync(path.join(twin.dir, 'url.tmp'), twin.url + '\n');
    fs.renameSync(path.join(twin.dir, 'url.tmp'), path.join(twin.dir, 'url'));
    setInterval(() => twin.tick(), 100);
    process.on('SIGTERM', () => shutdown(twin));
    process.on('SIGINT', () => shutdown(twin));
  });
}

module.exports = { Twin, ACCOUNT, MIRROR_ACCOUNT, REGION, randHex, randUpper, armFault };

// After the exports: the modules main() loads read them.
if (require.main === module) main();
