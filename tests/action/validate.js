// Validates YAML files against a JSON schema (tests only): the GitHub Action
// metadata and workflow schemas kept in tests/action/schema (see its
// README).  node validate.js SCHEMA.json FILE.yml...; NODE_PATH has ajv and
// js-yaml (tests/compat/node_modules).  Prints "FILE: ok" or one line per
// error ("FILE: /json/pointer message"); exit 0 when every file is valid,
// 1 when one is not, 2 on a file that cannot be read or parsed.
'use strict';
const fs = require('fs');
const Ajv = require('ajv');
const yaml = require('js-yaml');

const [schemaFile, ...files] = process.argv.slice(2);
if (!schemaFile || files.length === 0) {
    process.stderr.write('usage: validate.js SCHEMA.json FILE.yml...\n');
    process.exit(2);
}
let schema;
try {
    schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
} catch (e) {
    process.stderr.write(`${schemaFile}: ${e.message}\n`);
    process.exit(2);
}
// strict: false: SchemaStore's schemas use keywords ajv's strict mode
// rejects (e.g. "markdownDescription"); allErrors: report every problem.
const ajv = new Ajv({ strict: false, allErrors: true });
let validate;
try {
    validate = ajv.compile(schema);
} catch (e) {
    process.stderr.write(`${schemaFile}: not a usable schema: ${e.message}\n`);
    process.exit(2);
}
let bad = 0;
for (const f of files) {
    let doc;
    try {
        doc = yaml.load(fs.readFileSync(f, 'utf8'));
    } catch (e) {
        process.stderr.write(`${f}: ${e.message.split('\n')[0]}\n`);
        process.exit(2);
    }
    if (validate(doc)) {
        console.log(`${f}: ok`);
        continue;
    }
    bad = 1;
    for (const e of validate.errors) {
        const extra = e.params && e.params.additionalProperty ? ` '${e.params.additionalProperty}'`
            : e.params && e.params.allowedValues ? ` (${e.params.allowedValues.slice(0, 9).join(', ')}${e.params.allowedValues.length > 9 ? ', ...' : ''})` : '';
        console.log(`${f}: ${e.instancePath || '/'} ${e.message}${extra}`);
    }
}
process.exit(bad);
