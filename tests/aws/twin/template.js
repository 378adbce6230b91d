'use strict';
// CloudFormation templates: parsing (JSON, or YAML with the short-form
// intrinsic tags), checks CloudFormation makes before it accepts a stack,
// parameter validation, and evaluation of the intrinsic functions.

const path = require('path');
const fs = require('fs');

const NODE_MODULES = process.env.TWIN_NODE_MODULES ||
  path.resolve(__dirname, '../../compat/node_modules');
const yaml = require(path.join(NODE_MODULES, 'js-yaml'));

let spec = null;
function cfnSpec() {
  if (spec === null) {
    const f = path.join(NODE_MODULES, '@aws-cdk/cfnspec/spec/specification.json');
    spec = fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : false;
  }
  return spec;
}

class TemplateError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code || 'ValidationError';
  }
}

// ---- YAML short forms -----------------------------------------------------

function fnName(tag) {
  return tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`;
}

function shortTags() {
  const tags = ['Ref', 'Condition', 'Sub', 'GetAtt', 'Base64', 'Join', 'Select', 'If', 'Equals',
    'Not', 'And', 'Or', 'FindInMap', 'Split', 'GetAZs', 'ImportValue', 'Cidr'];
  const types = [];
  for (const t of tags) {
    for (const kind of ['scalar', 'sequence', 'mapping']) {
      types.push(new yaml.Type(`!${t}`, {
        kind,
        construct(data) {
          if (t === 'GetAtt' && kind === 'scalar') {
            const i = String(data).indexOf('.');
            if (i < 0) return { 'Fn::GetAtt': [String(data), ''] };
            return { 'Fn::GetAtt': [data.slice(0, i), data.slice(i + 1)] };
          }
          if (kind === 'scalar' && data === null) data = '';
          return { [fnName(t)]: data };
        },
      }));
    }
  }
  return yaml.DEFAULT_SCHEMA.extend(types);
}

let schema = null;

function parse(body) {
  const text = String(body);
  if (Buffer.byteLength(text) > 51200) {
    throw new TemplateError("1 validation error detected: Value 'TemplateBody' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200");
  }
  let t;
  if (/^\s*\{/.test(text)) {
    try {
      t = JSON.parse(text);
    } catch (e) {
      throw new TemplateError(`Template format error: JSON not well-formed. (${e.message})`);
    }
  } else {
    if (!schema) schema = shortTags();
    try {
      t = yaml.load(text, { schema });
    } catch (e) {
      const m = e.mark ? ` (line ${e.mark.line + 1}, column ${e.mark.column + 1})` : '';
      throw new TemplateError(`Template format error: YAML not well-formed.${m}`);
    }
  }
  if (!t || typeof t !== 'object' || Array.isArray(t)) {
    throw new TemplateError('Template format error: unsupported structure.');
  }
  if (!t.Resources || typeof t.Resources !== 'object' || Object.keys(t.Resources).length === 0) {
    throw new TemplateError('Template format error: At least one Resources member must be defined.');
  }
  return t;
}

// ---- references -------------------------------------------------------------

const PSEUDO = ['AWS::Region', 'AWS::AccountId', 'AWS::Partition', 'AWS::StackName', 'AWS::StackId',
  'AWS::NoValue', 'AWS::URLSuffix', 'AWS::NotificationARNs'];

function subRefs(str) {
  const out = [];
  const re = /\$\{([^}!][^}]*)\}/g;
  let m;
  while ((m = re.exec(str)) !== null) out.push(m[1].trim());
  return out;
}

// Every logical name a value refers to: [{name, attr}]
function refsOf(v, acc) {
  acc = acc || [];
  if (Array.isArray(v)) {
    v.forEach((x) => refsOf(x, acc));
  } else if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'Ref') {
      acc.push({ name: String(v.Ref) });
    } else if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      let a = v['Fn::GetAtt'];
      if (typeof a === 'string') a = [a.split('.')[0], a.split('.').slice(1).join('.')];
      acc.push({ name: String(a[0]), attr: String(a[1]) });
    } else if (keys.length === 1 && keys[0] === 'Fn::Sub') {
      const s = v['Fn::Sub'];
      const str = Array.isArray(s) ? s[0] : s;
      const vars = Array.isArray(s) && s[1] ? s[1] : {};
      for (const r of subRefs(String(str))) {
        const [name, ...attr] = r.split('.');
        if (name in vars) continue;
        acc.push(attr.length ? { name, attr: attr.join('.') } : { name });
      }
      if (Array.isArray(s) && s[1]) refsOf(s[1], acc);
    } else {
      for (const k of keys) refsOf(v[k], acc);
    }
  }
  return acc;
}

const IAM_TYPES = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::InstanceProfile',
  'AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::AccessKey', 'AWS::IAM::UserToGroupAddition'];
const NAMED_IAM = { 'AWS::IAM::Role': 'RoleName', 'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName', 'AWS::IAM::Group': 'GroupName', 'AWS::IAM::InstanceProfile': 'InstanceProfileName' };

// Checks CloudFormation makes on the template alone; returns the creation
// order of the resources (dependencies first) and what capabilities it needs.
function analyse(t) {
  const res = t.Resources;
  const params = t.Parameters || {};
  const sp = cfnSpec();
  const unknown = [];
  for (const [name, r] of Object.entries(res)) {
    if (!r || typeof r !== 'object' || typeof r.Type !== 'string') {
      throw new TemplateError(`Template format error: [/Resources/${name}] Every Resources object must contain a Type member.`);
    }
    if (sp && !sp.ResourceTypes[r.Type] && !r.Type.startsWith('Custom::')) unknown.push(r.Type);
  }
  if (unknown.length) throw new TemplateError(`Template format error: Unrecognized resource types: [${[...new Set(unknown)].join(', ')}]`);

  const unresolved = new Set();
  const deps = {};
  for (const [name, r] of Object.entries(res)) {
    const d = new Set();
    for (const ref of refsOf([r.Properties || {}, r.Metadata || {}])) {
      if (ref.attr === undefined) {
        if (ref.name in res) d.add(ref.name);
        else if (!(ref.name in params) && !PSEUDO.includes(ref.name)) unresolved.add(ref.name);
      } else {
        if (!(ref.name in res)) { unresolved.add(ref.name); continue; }
        d.add(ref.name);
        const rs = sp && sp.ResourceTypes[res[ref.name].Type];
        if (rs && !(rs.Attributes && ref.attr in rs.Attributes)) {
          throw new TemplateError(`Template error: resource ${ref.name} does not support attribute type ${ref.attr} in Fn::GetAtt`);
        }
      }
    }
    let dep = r.DependsOn || [];
    if (!Array.isArray(dep)) dep = [dep];
    for (const x of dep) {
      if (!(x in res)) throw new TemplateError(`Template format error: Unresolved resource dependencies [${x}] in the Resources block of the template`);
      d.add(x);
    }
    deps[name] = [...d];
  }
  for (const o of Object.values(t.Outputs || {})) {
    for (const ref of refsOf(o.Value)) {
      if (!(ref.name in res) && !(ref.name in params) && !PSEUDO.includes(ref.name)) unresolved.add(ref.name);
    }
  }
  if (unresolved.size) {
    throw new TemplateError(`Template format error: Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`);
  }
  // Topological order, keeping the template's order where free.
  const order = [];
  const state = {};
  const visit = (n, stack) => {
    if (state[n] === 2) return;
    if (state[n] === 1) throw new TemplateError(`Circular dependency between resources: [${stack.join(', ')}]`);
    state[n] = 1;
    for (const d of deps[n]) visit(d, stack.concat(d));
    state[n] = 2;
    order.push(n);
  };
  for (const n of Object.keys(res)) visit(n, [n]);

  const caps = new Set();
  const capTypes = new Set();
  for (const r of Object.values(res)) {
    if (!IAM_TYPES.includes(r.Type)) continue;
    capTypes.add(r.Type);
    const nameProp = NAMED_IAM[r.Type];
    if (nameProp && r.Properties && r.Properties[nameProp] !== undefined) caps.add('CAPABILITY_NAMED_IAM');
    else caps.add('CAPABILITY_IAM');
  }
  if (caps.has('CAPABILITY_NAMED_IAM')) caps.delete('CAPABILITY_IAM');
  return { order, deps, capabilities: [...caps], capabilityTypes: [...capTypes] };
}

// ---- parameters --------------------------------------------------------------

function validateParameters(t, given, ctx) {
  const decl = t.Parameters || {};
  const extra = Object.keys(given).filter((k) => !(k in decl));
  if (extra.length) throw new TemplateError(`Parameters: [${extra.join(', ')}] do not exist in the template`);
  const missing = Object.keys(decl).filter((k) => given[k] === undefined && decl[k].Default === undefined);
  if (missing.length) throw new TemplateError(`Parameters: [${missing.join(', ')}] must have values`);
  const values = {};
  const resolved = {};
  for (const [name, d] of Object.entries(decl)) {
    let v = given[name] !== undefined ? given[name] : d.Default;
    if (typeof v === 'number' || typeof v === 'boolean') v = String(v);
    if (Array.isArray(v)) v = v.join(',');
    v = String(v);
    const type = String(d.Type || '');
    const fail = (why) => {
      throw new TemplateError(d.ConstraintDescription ?
        `Parameter '${name}' failed to satisfy constraint: ${d.ConstraintDescription}` :
        `Parameter '${name}' ${why}`);
    };
    const ssm = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type);
    if (type === 'Number') {
      if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw new TemplateError(`Parameter '${name}' must be a number`);
      const n = Number(v);
      if (d.MinValue !== undefined && n < Number(d.MinValue)) fail(`must be a number not less than ${d.MinValue}`);
      if (d.MaxValue !== undefined && n > Number(d.MaxValue)) fail(`must be a number not greater than ${d.MaxValue}`);
    } else if (type === 'String' || type === 'CommaDelimitedList' || ssm || type.startsWith('AWS::')) {
      if (d.AllowedPattern !== undefined && !new RegExp(`^(?:${d.AllowedPattern})$`).test(v)) {
        fail(`must match pattern ${d.AllowedPattern}`);
      }
      if (d.MinLength !== undefined && v.length < Number(d.MinLength)) fail(`must contain at least ${d.MinLength} characters`);
      if (d.MaxLength !== undefined && v.length > Number(d.MaxLength)) fail(`must contain at most ${d.MaxLength} characters`);
    } else {
      throw new TemplateError(`Template format error: Unrecognized parameter type: ${type}`);
    }
    if (d.AllowedValues !== undefined && !d.AllowedValues.map(String).includes(v)) fail('must be one of AllowedValues');
    if (ssm) {
      const r = ctx.ssm(v);
      if (r === undefined) throw new TemplateError(`Unable to fetch parameters [${v}] from parameter store for this account.`);
      resolved[name] = r;
    } else if (type === 'AWS::EC2::VPC::Id' || type === 'AWS::EC2::Subnet::Id' ||
               type === 'AWS::EC2::SecurityGroup::Id' || type === 'AWS::EC2::Image::Id') {
      if (!ctx.exists(type, v)) {
        throw new TemplateError(`Parameter validation failed: parameter value ${v} for parameter name ${name} does not exist. Rollback requested by user.`);
      }
    }
    values[name] = type === 'CommaDelimitedList' ? v.split(',') : v;
  }
  return { values, resolved };
}

// ---- evaluation -----------------------------------------------------------------

const NO_VALUE = Symbol('NoValue');

// env: {ref(name) -> value, getAtt(name, attr) -> value, conditions, mappings, azs}
function evaluate(v, env) {
  if (Array.isArray(v)) return v.map((x) => evaluate(x, env)).filter((x) => x !== NO_VALUE);
  if (!v || typeof v !== 'object') return v;
  const keys = Object.keys(v);
  if (keys.length === 1) {
    const k = keys[0];
    const a = v[k];
    switch (k) {
      case 'Ref':
        if (a === 'AWS::NoValue') return NO_VALUE;
        return env.ref(String(a));
      case 'Fn::GetAtt': {
        const parts = typeof a === 'string' ? [a.split('.')[0], a.split('.').slice(1).join('.')] : a;
        return env.getAtt(String(parts[0]), String(evaluate(parts[1], env)));
      }
      case 'Fn::Sub': {
        const str = Array.isArray(a) ? a[0] : a;
        const vars = Array.isArray(a) && a[1] ? evaluate(a[1], env) : {};
        return String(str).replace(/\$\{([^}]*)\}/g, (all, inner) => {
          if (inner.startsWith('!')) return '${' + inner.slice(1) + '}';
          const name = inner.trim();
          if (name in vars) return String(vars[name]);
          const dot = name.indexOf('.');
          if (dot > 0 && !PSEUDO.includes(name)) return String(env.getAtt(name.slice(0, dot), name.slice(dot + 1)));
          return String(env.ref(name));
        });
      }
      case 'Fn::Base64': return Buffer.from(String(evaluate(a, env)), 'utf8').toString('base64');
      case 'Fn::Join': {
        const list = evaluate(a[1], env);
        return (Array.isArray(list) ? list : [list]).join(a[0]);
      }
      case 'Fn::Select': {
        const list = evaluate(a[1], env);
        const i = Number(evaluate(a[0], env));
        if (!Array.isArray(list) || i < 0 || i >= list.length) throw new TemplateError('Template error: Fn::Select cannot select nonexistent value at index ' + i);
        return list[i];
      }
      case 'Fn::Split': return String(evaluate(a[1], env)).split(a[0]);
      case 'Fn::GetAZs': return env.azs;
      case 'Fn::If': {
        const c = env.conditions[a[0]];
        if (c === undefined) throw new TemplateError(`Template error: unresolved condition dependency ${a[0]} in Fn::If`);
        return evaluate(c ? a[1] : a[2], env);
      }
      case 'Fn::Equals': return String(evaluate(a[0], env)) === String(evaluate(a[1], env));
      case 'Fn::Not': return !evaluate(a[0], env);
      case 'Fn::And': return a.every((x) => evaluate(x, env));
      case 'Fn::Or': return a.some((x) => evaluate(x, env));
      case 'Condition': return env.conditions[a];
      case 'Fn::FindInMap': {
        const [m, k1, k2] = a.map((x) => evaluate(x, env));
        const mv = env.mappings[m] && env.mappings[m][k1] && env.mappings[m][k1][k2];
        if (mv === undefined) throw new TemplateError(`Template error: Unable to get mapping for ${m}::${k1}::${k2}`);
        return mv;
      }
      default:
        break;
    }
  }
  const out = {};
  for (const k of keys) {
    const x = evaluate(v[k], env);
    if (x !== NO_VALUE) out[k] = x;
  }
  return out;
}

function evalConditions(t, env) {
  const conds = {};
  const decl = t.Conditions || {};
  const pending = new Set(Object.keys(decl));
  const cenv = Object.assign({}, env, { conditions: conds });
  // Conditions may refer to each other; evaluate until stable.
  for (let round = 0; pending.size && round < 50; round++) {
    for (const name of [...pending]) {
      try {
        conds[name] = Boolean(evaluate(decl[name], cenv));
        pending.delete(name);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
      }
    }
  }
  if (pending.size) throw new TemplateError(`Template error: cannot evaluate conditions [${[...pending].join(', ')}]`);
  return conds;
}

module.exports = {
  parse, analyse, validateParameters, evaluate, evalConditions, TemplateError, NO_VALUE, PSEUDO, cfnSpec,
};
