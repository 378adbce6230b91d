// Checks of action.yml that the metadata schema cannot make (tests only):
//   node lint_action.js ACTION_YML
// - no ${{ }} inside run: (inputs reach the scripts through env:, never as
//   shell code: an input holding `"; rm -rf ~` must stay data);
// - every run: is `exec "$GITHUB_ACTION_PATH/<script>"` (the script is the
//   process GitHub signals on a cancellation), the script executable;
// - every uses: is pinned by a full commit SHA with the tag as a comment;
// - every inputs.X in an expression is declared, every steps.X is an
//   earlier step's id, step ids are unique;
// - the teardown step runs on always(), after the create step.
// One line per problem; exit 1 when there is one.
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
const a = yaml.load(text);
const dir = path.dirname(path.resolve(file));
const problems = [];
const bad = (m) => problems.push(`${file}: ${m}`);
const steps = (a.runs && a.runs.steps) || [];
const ids = [];
const inputs = Object.keys(a.inputs || {});

function exprs(s) {
    const out = [];
    const re = /\$\{\{([\s\S]*?)\}\}/g;
    let m;
    while ((m = re.exec(s)) !== null) out.push(m[1]);
    return out;
}
function checkRefs(e, where, seen) {
    for (const m of e.matchAll(/\binputs\.([A-Za-z0-9_-]+)/g)) {
        if (!inputs.includes(m[1])) bad(`${where}: inputs.${m[1]} is not declared`);
    }
    for (const m of e.matchAll(/\bsteps\.([A-Za-z0-9_-]+)/g)) {
        if (!seen.includes(m[1])) bad(`${where}: steps.${m[1]} is not an earlier step`);
    }
}

steps.forEach((s, i) => {
    const where = `step ${s.id || i + 1}`;
    if (s.id) {
        if (ids.includes(s.id)) bad(`${where}: duplicate id`);
    } else {
        bad(`${where}: no id`);
    }
    if (typeof s.run === 'string') {
        if (s.run.includes('${{')) bad(`${where}: run: contains an expression (pass it through env:)`);
        // exec: the script must be the step's entry process, which is what
        // GitHub signals on a cancellation (a shell in between would not
        // pass SIGINT / SIGTERM on)
        const m = /^exec "\$GITHUB_ACTION_PATH\/([^"]+)"\s*$/.exec(s.run.trim());
        if (!m) {
            bad(`${where}: run: does not exec a script under $GITHUB_ACTION_PATH`);
        } else {
            const p = path.join(dir, m[1]);
            try {
                fs.accessSync(p, fs.constants.X_OK);
            } catch (e) {
                bad(`${where}: ${m[1]} is missing or not executable`);
            }
        }
    }
    if (typeof s.uses === 'string' && !/^[^@]+@[0-9a-f]{40}$/.test(s.uses)) {
        bad(`${where}: uses: ${s.uses} is not pinned by a full commit SHA`);
    }
    if (typeof s.uses === 'string') {
        const line = text.split('\n').find((l) => l.includes(`uses: ${s.uses}`)) || '';
        if (!/#\s*v[0-9]/.test(line)) bad(`${where}: uses: ${s.uses} has no '# vX.Y.Z' comment naming the tag`);
    }
    const cond = s.if === undefined ? '' : String(s.if);
    checkRefs(cond, `${where} if`, ids);
    for (const [k, v] of Object.entries(Object.assign({}, s.env || {}, s.with || {}))) {
        for (const e of exprs(String(v))) checkRefs(e, `${where} ${k}`, ids);
    }
    if (s.id) ids.push(s.id);
});
for (const [k, o] of Object.entries(a.outputs || {})) {
    for (const e of exprs(String(o.value || ''))) checkRefs(e, `outputs.${k}`, ids);
}
const td = steps.findIndex((s) => s.id === 'teardown');
const cr = steps.findIndex((s) => s.id === 'create');
if (td < 0) bad('no teardown step');
else if (!/\balways\(\)/.test(String(steps[td].if || ''))) bad('the teardown step does not run on always()');
if (cr < 0 || (td >= 0 && td < cr)) bad('the teardown step does not come after the create step');
problems.forEach((p) => console.log(p));
if (problems.length === 0) console.log(`${file}: ok (${steps.length} steps)`);
process.exit(problems.length ? 1 : 0);
