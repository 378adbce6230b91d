'use strict';
// Wire formats of the AWS protocols the twin answers, driven by the service
// models that ship with the AWS CLI the tests run (botocore's service-2.json):
// the element names, list wrappers and "flattened" flags come from the same
// file the CLI parses our answers with, so a shape the model does not know
// is never sent by mistake.  The handlers work on plain objects keyed by the
// model's member names; this module turns requests into such objects and
// such objects into response bodies.
//
//   query (CloudFormation, STS): form body in, XML <OpResponse><OpResult> out
//   ec2: form body in (lists always flattened), XML <OpResponse> out
//   json (Service Quotas, Pricing, Logs, Tagging): JSON in and out
//   rest-json (Scheduler): URI + query string in, JSON out

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const MODEL_ROOT = process.env.TWIN_BOTOCORE_DATA ||
  '/usr/lib/python3/dist-packages/awscli/botocore/data';

const models = {};

function loadModel(service) {
  if (models[service]) return models[service];
  const dir = path.join(MODEL_ROOT, service);
  let versions;
  try {
    versions = fs.readdirSync(dir).sort();
  } catch (e) {
    throw new Error(`${dir}: cannot read the AWS CLI's model (${e.code})`);
  }
  const file = path.join(dir, versions[versions.length - 1], 'service-2.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8'));
  models[service] = m;
  return m;
}

function requestId() {
  return crypto.randomUUID();
}

function iso(t) {
  const d = t instanceof Date ? t : new Date(t);
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1Z');
}

function xmlEscape(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
}

// ---- form (query and ec2) requests -------------------------------------

// "A.member.1.B=x" -> {A: {member: {1: {B: 'x'}}}}
function formTree(params) {
  const root = {};
  for (const [k, v] of params) {
    const parts = k.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      if (typeof node[parts[i]] !== 'object' || node[parts[i]] === null) node[parts[i]] = {};
      node = node[parts[i]];
    }
    node[parts[parts.length - 1]] = v;
  }
  return root;
}

function scalarIn(shape, v) {
  if (typeof v !== 'string') return undefined;
  switch (shape.type) {
    case 'integer': case 'long': return parseInt(v, 10);
    case 'float': case 'double': return parseFloat(v);
    case 'boolean': return v === 'true';
    default: return v;
  }
}

function numbered(node) {
  if (typeof node !== 'object' || node === null) return [];
  return Object.keys(node).filter((k) => /^\d+$/.test(k))
    .sort((a, b) => a - b).map((k) => node[k]);
}

function inputFromForm(model, shapeName, node, ec2) {
  const shape = model.shapes[shapeName];
  if (node === undefined) return undefined;
  if (shape.type === 'structure') {
    if (typeof node !== 'object') return undefined;
    const out = {};
    for (const [name, ref] of Object.entries(shape.members || {})) {
      let key;
      if (ec2) {
        key = ref.queryName ||
          (ref.locationName ? ref.locationName[0].toUpperCase() + ref.locationName.slice(1) : name);
      } else {
        key = ref.locationName || name;
      }
      const v = inputFromForm(model, ref.shape, node[key], ec2);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (shape.type === 'list') {
    let items;
    if (ec2 || shape.flattened) items = numbered(node);
    else items = numbered(node[shape.member.locationName || 'member']);
    return items.map((it) => inputFromForm(model, shape.member.shape, it, ec2));
  }
  if (shape.type === 'map') {
    const entries = shape.flattened ? numbered(node) : numbered(node.entry);
    const out = {};
    const kn = shape.key.locationName || 'key';
    const vn = shape.value.locationName || 'value';
    for (const e of entries) out[e[kn]] = inputFromForm(model, shape.value.shape, e[vn], ec2);
    return out;
  }
  return scalarIn(shape, node);
}

function parseForm(model, body) {
  const params = new URLSearchParams(body.toString('utf8'));
  const tree = formTree(params);
  const action = params.get('Action');
  const op = model.operations[action];
  if (!op) return { action, op: null, input: {}, raw: params };
  const ec2 = model.metadata.protocol === 'ec2';
  const input = op.input ? inputFromForm(model, op.input.shape, tree, ec2) || {} : {};
  return { action, op, input, raw: params };
}

// ---- XML responses ------------------------------------------------------

function xmlValue(model, shapeName, value, ec2) {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null) return '';
  switch (shape.type) {
    case 'structure': {
      let s = '';
      for (const [name, ref] of Object.entries(shape.members || {})) {
        if (value[name] === undefined || value[name] === null) continue;
        s += xmlMember(model, ref, name, value[name], ec2);
      }
      // Fields newer than the CLI's model (e.g. EC2's nitroEnclavesSupport):
      // sent as the real service does; the CLI drops them.
      if (value.$extra) {
        for (const [k, v] of Object.entries(value.$extra)) s += `<${k}>${xmlEscape(v)}</${k}>`;
      }
      return s;
    }
    case 'list': {
      const mname = shape.member.locationName || 'member';
      return value.map((v) => `<${mname}>${xmlValue(model, shape.member.shape, v, ec2)}</${mname}>`).join('');
    }
    case 'map': {
      const kn = shape.key.locationName || 'key';
      const vn = shape.value.locationName || 'value';
      return Object.entries(value).map(([k, v]) =>
        `<entry><${kn}>${xmlEscape(k)}</${kn}><${vn}>${xmlValue(model, shape.value.shape, v, ec2)}</${vn}></entry>`).join('');
    }
    case 'timestamp':
      return xmlEscape(iso(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'blob':
      return Buffer.from(value).toString('base64');
    default:
      return xmlEscape(value);
  }
}

function xmlMember(model, ref, name, value, ec2) {
  const shape = model.shapes[ref.shape];
  const tag = ref.locationName || name;
  if (shape.type === 'list' && (shape.flattened || ref.flattened)) {
    const inner = shape.member.locationName || tag;
    return value.map((v) => `<${inner}>${xmlValue(model, shape.member.shape, v, ec2)}</${inner}>`).join('');
  }
  return `<${tag}>${xmlValue(model, ref.shape, value, ec2)}</${tag}>`;
}

function xmlResponse(model, action, data, rid) {
  const op = model.operations[action];
  const ns = model.metadata.xmlNamespace;
  const ec2 = model.metadata.protocol === 'ec2';
  let body = '';
  if (op.output) body = xmlValue(model, op.output.shape, data || {}, ec2);
  if (ec2) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}/">` +
      `<requestId>${rid}</requestId>${body}</${action}Response>`;
  }
  const wrap = op.output && op.output.resultWrapper;
  const inner = wrap ? `<${wrap}>${body}</${wrap}>` : body;
  return `<${action}Response xmlns="${ns}">${inner}` +
    `<ResponseMetadata><RequestId>${rid}</RequestId></ResponseMetadata></${action}Response>`;
}

// ---- JSON ---------------------------------------------------------------

const FLOAT_MARK = '@@twin-float@@';

// Timestamps in JSON protocols are epoch seconds.
function jsonValue(model, shapeName, value) {
  const shape = model.shapes[shapeName];
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const out = {};
      for (const [name, ref] of Object.entries(shape.members || {})) {
        if (ref.location) continue;
        const v = jsonValue(model, ref.shape, value[name]);
        if (v !== undefined) out[ref.jsonName || name] = v;
      }
      return out;
    }
    case 'list': return value.map((v) => jsonValue(model, shape.member.shape, v));
    case 'map': {
      const out = {};
      for (const [k, v] of Object.entries(value)) out[k] = jsonValue(model, shape.value.shape, v);
      return out;
    }
    case 'timestamp': return (value instanceof Date ? value.getTime() : new Date(value).getTime()) / 1000;
    case 'double': case 'float':
      // AWS writes doubles with a fraction (256.0); JSON.stringify would not.
      return Number.isInteger(Number(value)) ? `${FLOAT_MARK}${Number(value)}` : Number(value);
    default: return value;
  }
}

function jsonResponse(model, opName, data) {
  const op = model.operations[opName];
  if (!op.output) return '{}';
  return JSON.stringify(jsonValue(model, op.output.shape, data || {}))
    .replace(new RegExp(`"${FLOAT_MARK}(-?\\d+)"`, 'g'), '$1.0');
}

// ---- errors ---------------------------------------------------------------

class ApiError extends Error {
  constructor(code, message, status, extra) {
    super(message);
    this.code = code;
    this.status = status || 400;
    Object.assign(this, extra || {});
  }
}

function errorBody(protocol, model, err, rid) {
  if (protocol === 'query') {
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    const ns = model ? ` xmlns="${model.metadata.xmlNamespace}"` : '';
    return {
      type: 'text/xml',
      body: `<ErrorResponse${ns}><Error><Type>${type}</Type><Code>${xmlEscape(err.code)}</Code>` +
        `<Message>${xmlEscape(err.message)}</Message></Error><RequestId>${rid}</RequestId></ErrorResponse>`,
    };
  }
  if (protocol === 'ec2') {
    return {
      type: 'text/xml;charset=UTF-8',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xmlEscape(err.code)}</Code>` +
        `<Message>${xmlEscape(err.message)}</Message></Error></Errors><RequestID>${rid}</RequestID></Response>`,
    };
  }
  // json and rest-json
  return {
    type: 'application/x-amz-json-1.1',
    headers: { 'x-amzn-ErrorType': err.code },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

module.exports = {
  loadModel, parseForm, xmlResponse, jsonResponse, jsonValue, errorBody, ApiError,
  requestId, iso, xmlEscape,
};
