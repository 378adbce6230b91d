// CloudFormation YAML for the AWS tests: the short-form tags (!Ref, !Sub,
// ...) read as their long forms, and Fn::Sub string substitution.
//
//   const { load, substitute } = require('./cfn_yaml');
//   node cfn_yaml.js userdata TEMPLATE [NAME=VALUE...]
//     prints the instance's user data with the parameters substituted
//     (their defaults where no value is given; pseudo parameters
//     AWS::Region=us-east-1 etc. unless given); an unknown name fails.
'use strict';
const fs = require('fs');
const yaml = require('js-yaml');

const tags = [];
for (const [tag, fn] of [['Ref', 'Ref'], ['Sub', 'Fn::Sub'], ['GetAtt', 'Fn::GetAtt'], ['Base64', 'Fn::Base64'],
    ['Join', 'Fn::Join'], ['Select', 'Fn::Select'], ['If', 'Fn::If'], ['Equals', 'Fn::Equals'], ['Not', 'Fn::Not'],
    ['And', 'Fn::And'], ['Or', 'Fn::Or'], ['FindInMap', 'Fn::FindInMap'], ['Split', 'Fn::Split'],
    ['GetAZs', 'Fn::GetAZs'], ['ImportValue', 'Fn::ImportValue'], ['Condition', 'Condition']]) {
  for (const kind of ['scalar', 'sequence', 'mapping']) {
    tags.push(new yaml.Type('!' + tag, {
      kind,
      construct: (d) => ({ [fn]: tag === 'GetAtt' && kind === 'scalar' ? d.split('.') : d }),
    }));
  }
}
const schema = yaml.DEFAULT_SCHEMA.extend(tags);

function load(file) {
  const text = fs.readFileSync(file, 'utf8');
  return { text, t: yaml.load(text, { schema, filename: file }) };
}

// Fn::Sub of a string: ${Name} from values (a missing name is collected in
// unknown), ${!x} is the literal ${x}.
function substitute(str, values, unknown) {
  return str.replace(/\$\{(!?)([^}]*)\}/g, (m, bang, name) => {
    if (bang) return '${' + name + '}';
    if (values[name] === undefined) {
      if (unknown) unknown.push(name);
      return '';
    }
    return String(values[name]);
  });
}

function userDataSub(t) {
  for (const r of Object.values(t.Resources || {})) {
    const ud = r && r.Type === 'AWS::EC2::Instance' && r.Properties && r.Properties.UserData;
    if (ud && ud['Fn::Base64'] && typeof ud['Fn::Base64']['Fn::Sub'] === 'string') return ud['Fn::Base64']['Fn::Sub'];
  }
  return null;
}

module.exports = { load, substitute, userDataSub, schema };

if (require.main === module) {
  const [cmd, file, ...kv] = process.argv.slice(2);
  if (cmd !== 'userdata' || !file) {
    console.error('usage: cfn_yaml.js userdata TEMPLATE [NAME=VALUE...]');
    process.exit(2);
  }
  const { t } = load(file);
  const values = { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '000000000000', 'AWS::Partition': 'aws' };
  for (const [name, p] of Object.entries(t.Parameters || {})) if (p.Default !== undefined) values[name] = p.Default;
  for (const a of kv) {
    const i = a.indexOf('=');
    if (i < 1) { console.error(`cfn_yaml.js: ${a}: not NAME=VALUE`); process.exit(2); }
    values[a.slice(0, i)] = a.slice(i + 1);
  }
  const sub = userDataSub(t);
  if (sub === null) { console.error(`cfn_yaml.js: ${file}: no instance user data (Fn::Base64 of Fn::Sub)`); process.exit(1); }
  const unknown = [];
  const out = substitute(sub, values, unknown);
  if (unknown.length) { console.error(`cfn_yaml.js: ${file}: no value for ${unknown.join(' ')}`); process.exit(1); }
  process.stdout.write(out);
}
