// A local runner for a composite GitHub Action (tests only): reads action.yml's
// runs.steps and runs them in order the way the GitHub runner does, without
// GitHub.  Started by run-action.sh, which sets NODE_PATH to the npm tools.
//
//   node runner.js ACTION_YML [name=value]... [--workdir DIR] [--cancel-after ID]
//                  [--cancel-during ID:SECONDS] [--twin-dir DIR]
//
// What it does, as GitHub does it:
// - inputs: name=value arguments, else the input's default; a required input
//   without a value is an error; each is also INPUT_<NAME> in the steps' env;
// - expressions ${{ ... }} in run:, env:, with: and the action's outputs, and
//   if: conditions (an if: without a status function gets an implicit
//   success() &&); contexts inputs, steps (outputs, outcome, conclusion), env,
//   github (action_path, workspace, token, ...), runner (temp, os, arch), job;
//   operators ! == != < <= > >= && || and parentheses, strings compared
//   without regard to case; functions always(), success(), failure(),
//   cancelled(), contains(), startsWith(), endsWith(), format(), toJSON();
// - run: steps with their shell (bash: bash --noprofile --norc -eo pipefail,
//   sh: sh -e), working-directory and env, each with fresh GITHUB_OUTPUT and
//   GITHUB_STEP_SUMMARY files, and GITHUB_ENV / GITHUB_PATH whose lines apply
//   to the later steps; the step summaries are joined into WORKDIR/summary.md;
// - uses: steps through a table of local stand-ins (below);
// - cancellation: --cancel-after ID cancels the run when step ID has ended;
//   --cancel-during ID:S sends the running step's entry process SIGINT after
//   S seconds, SIGTERM 7.5 s later and kills its process group 2.5 s after
//   that (the runner's ProcessInvoker timings), unless the step's if: is
//   still true once cancelled (then it runs on).  Once cancelled, a step
//   runs only when its if: is true with cancelled() true and success() false.
//
// Writes WORKDIR/outputs.json (the action's outputs), WORKDIR/summary.md,
// WORKDIR/steps.json (each step's outcome; for a uses: step also the with:
// values it was given).  Exit status: 0 success,
// 1 a step failed, 3 cancelled, 2 usage or a malformed action.
'use strict';

const fs = require('fs');
const path = require('path');
const os = require('os');
const { spawn } = require('child_process');
const yaml = require('js-yaml');

function die(msg) {
    process.stderr.write(`run-action: ${msg}\n`);
    process.exit(2);
}

// ---------------------------------------------------------------- expressions

function tokenize(src, where) {
    const toks = [];
    let i = 0;
    while (i < src.length) {
        const c = src[i];
        if (/\s/.test(c)) { i++; continue; }
        if (c === "'") {
            let s = '';
            i++;
            for (;;) {
                if (i >= src.length) die(`${where}: unterminated string in '${src}'`);
                if (src[i] === "'") {
                    if (src[i + 1] === "'") { s += "'"; i += 2; continue; }
                    i++;
                    break;
                }
                s += src[i++];
            }
            toks.push({ t: 'str', v: s });
            continue;
        }
        const two = src.slice(i, i + 2);
        if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) { toks.push({ t: 'op', v: two }); i += 2; continue; }
        if ('!<>()[].,'.includes(c)) { toks.push({ t: 'op', v: c }); i++; continue; }
        let m = /^(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?)/.exec(src.slice(i));
        if (m && !/[A-Za-z_]/.test(src[i + m[0].length] || '')) {
            toks.push({ t: 'num', v: Number(m[0]) });
            i += m[0].length;
            continue;
        }
        m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i));
        if (m) { toks.push({ t: 'id', v: m[0] }); i += m[0].length; continue; }
        die(`${where}: unexpected '${c}' in expression '${src}'`);
    }
    return toks;
}

// Recursive descent over the tokens; returns an AST.
function parseExpr(src, where) {
    const toks = tokenize(src, where);
    let p = 0;
    const peek = () => toks[p];
    const isOp = (v) => toks[p] && toks[p].t === 'op' && toks[p].v === v;
    const expect = (v) => {
        if (!isOp(v)) die(`${where}: expected '${v}' in expression '${src}'`);
        p++;
    };
    function primary() {
        const t = peek();
        if (!t) die(`${where}: expression '${src}' ends early`);
        p++;
        if (t.t === 'str' || t.t === 'num') return { k: 'lit', v: t.v };
        if (t.t === 'op' && t.v === '(') { const e = or(); expect(')'); return e; }
        if (t.t === 'op' && t.v === '!') return { k: 'not', e: primary() };
        if (t.t !== 'id') die(`${where}: unexpected '${t.v}' in expression '${src}'`);
        if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
        if (t.v === 'null') return { k: 'lit', v: null };
        if (isOp('(')) {
            p++;
            const args = [];
            if (!isOp(')')) {
                for (;;) { args.push(or()); if (isOp(',')) { p++; continue; } break; }
            }
            expect(')');
            return postfix({ k: 'call', f: t.v, args });
        }
        return postfix({ k: 'ctx', name: t.v });
    }
    function postfix(e) {
        for (;;) {
            if (isOp('.')) {
                p++;
                const t = peek();
                if (!t || (t.t !== 'id' && !(t.t === 'op' && t.v === '*'))) die(`${where}: bad property in '${src}'`);
                p++;
                e = { k: 'get', e, key: { k: 'lit', v: t.v } };
            } else if (isOp('[')) {
                p++;
                const key = or();
                expect(']');
                e = { k: 'get', e, key };
            } else {
                return e;
            }
        }
    }
    function cmp() {
        let l = primary();
        while (peek() && peek().t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(peek().v)) {
            const op = toks[p++].v;
            l = { k: 'cmp', op, l, r: primary() };
        }
        return l;
    }
    function and() {
        let l = cmp();
        while (isOp('&&')) { p++; l = { k: 'and', l, r: cmp() }; }
        return l;
    }
    function or() {
        let l = and();
        while (isOp('||')) { p++; l = { k: 'or', l, r: and() }; }
        return l;
    }
    const ast = or();
    if (p !== toks.length) die(`${where}: trailing '${toks[p].v}' in expression '${src}'`);
    return ast;
}

const STATUS_FUNCS = ['success', 'failure', 'cancelled', 'always'];

function usesStatus(ast) {
    if (!ast || typeof ast !== 'object') return false;
    if (ast.k === 'call' && STATUS_FUNCS.includes(ast.f)) return true;
    return Object.values(ast).some((v) => (Array.isArray(v) ? v.some(usesStatus) : usesStatus(v)));
}

function truthy(v) {
    return !(v === null || v === undefined || v === false || v === 0 || v === '' || Number.isNaN(v));
}

function toNum(v) {
    if (v === null || v === undefined) return 0;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'number') return v;
    if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
    return NaN;
}

function looseEq(a, b) {
    if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
    if (a === undefined) a = null;
    if (b === undefined) b = null;
    if (typeof a === typeof b && (typeof a !== 'object' || a === null)) return a === b;
    if (typeof a === 'object' && a !== null) return a === b;
    return toNum(a) === toNum(b);
}

function str(v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'object') return JSON.stringify(v, null, 2);
    return String(v);
}

function evaluate(ast, ctx, where) {
    switch (ast.k) {
    case 'lit': return ast.v;
    case 'ctx':
        if (!(ast.name in ctx.contexts)) die(`${where}: unknown context '${ast.name}'`);
        return ctx.contexts[ast.name];
    case 'get': {
        const o = evaluate(ast.e, ctx, where);
        const key = evaluate(ast.key, ctx, where);
        if (o === null || typeof o !== 'object') return null;
        if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
        // property names are case-insensitive
        const k2 = Object.keys(o).find((k) => k.toLowerCase() === String(key).toLowerCase());
        return k2 === undefined ? null : o[k2];
    }
    case 'not': return !truthy(evaluate(ast.e, ctx, where));
    case 'and': { const l = evaluate(ast.l, ctx, where); return truthy(l) ? evaluate(ast.r, ctx, where) : l; }
    case 'or': { const l = evaluate(ast.l, ctx, where); return truthy(l) ? l : evaluate(ast.r, ctx, where); }
    case 'cmp': {
        const l = evaluate(ast.l, ctx, where), r = evaluate(ast.r, ctx, where);
        if (ast.op === '==') return looseEq(l, r);
        if (ast.op === '!=') return !looseEq(l, r);
        const [a, b] = typeof l === 'string' && typeof r === 'string'
            ? [l.toLowerCase(), r.toLowerCase()] : [toNum(l), toNum(r)];
        return ast.op === '<' ? a < b : ast.op === '<=' ? a <= b : ast.op === '>' ? a > b : a >= b;
    }
    case 'call': {
        const a = ast.args.map((x) => evaluate(x, ctx, where));
        const need = (n) => { if (a.length !== n) die(`${where}: ${ast.f}() takes ${n} argument(s)`); };
        switch (ast.f) {
        case 'always': need(0); return true;
        case 'success': need(0); return !ctx.status.failed && !ctx.status.cancelled;
        case 'failure': need(0); return ctx.status.failed;
        case 'cancelled': need(0); return ctx.status.cancelled;
        case 'contains':
            need(2);
            return Array.isArray(a[0]) ? a[0].some((x) => looseEq(x, a[1]))
                : str(a[0]).toLowerCase().includes(str(a[1]).toLowerCase());
        case 'startsWith': need(2); return str(a[0]).toLowerCase().startsWith(str(a[1]).toLowerCase());
        case 'endsWith': need(2); return str(a[0]).toLowerCase().endsWith(str(a[1]).toLowerCase());
        case 'format':
            if (a.length < 1) die(`${where}: format() needs a format string`);
            return str(a[0]).replace(/\{\{|\}\}|\{(\d+)\}/g, (m, n) => (m === '{{' ? '{' : m === '}}' ? '}' : str(a[1 + Number(n)])));
        case 'toJSON': need(1); return JSON.stringify(a[0], null, 2);
        default: die(`${where}: unknown function ${ast.f}()`);
        }
    }
    default: die(`${where}: internal: bad node ${ast.k}`);
    }
    return null;
}

// Replaces every ${{ expr }} in a string.
function interpolate(s, ctx, where) {
    if (typeof s !== 'string') return s;
    let out = '';
    let i = 0;
    for (;;) {
        const a = s.indexOf('${{', i);
        if (a < 0) { out += s.slice(i); return out; }
        const b = s.indexOf('}}', a + 3);
        if (b < 0) die(`${where}: unterminated \${{ in '${s}'`);
        out += s.slice(i, a) + str(evaluate(parseExpr(s.slice(a + 3, b), where), ctx, where));
        i = b + 2;
    }
}

// An if: condition: with or without ${{ }}, implicit success() && when the
// expression has no status function.
function condition(src, ctx, where) {
    let e = src === undefined || src === null ? 'success()' : String(src).trim();
    if (e === '') e = 'success()';
    const m = /^\$\{\{([\s\S]*)\}\}$/.exec(e);
    if (m && m[1].indexOf('}}') < 0) e = m[1];
    let ast = parseExpr(e, where);
    if (!usesStatus(ast)) ast = { k: 'and', l: { k: 'call', f: 'success', args: [] }, r: ast };
    return truthy(evaluate(ast, ctx, where));
}

// ------------------------------------------------------------- file commands

// GITHUB_OUTPUT / GITHUB_ENV syntax: NAME=value, or NAME<<DELIM ... DELIM.
function readKeyValueFile(file, where) {
    const out = {};
    if (!fs.existsSync(file)) return out;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        if (line === '') continue;
        const h = /^([^=<]+)<<(.+)$/.exec(line);
        if (h) {
            const val = [];
            let j = i + 1;
            while (j < lines.length && lines[j] !== h[2]) val.push(lines[j++]);
            if (j >= lines.length) die(`${where}: ${path.basename(file)}: no closing delimiter '${h[2]}' for ${h[1]}`);
            out[h[1]] = val.join('\n');
            i = j;
            continue;
        }
        const e = line.indexOf('=');
        if (e <= 0) die(`${where}: ${path.basename(file)}: malformed line '${line}'`);
        out[line.slice(0, e)] = line.slice(e + 1);
    }
    return out;
}

// ------------------------------------------------------------- local stand-ins

// Each returns {rc, outputs}.  `with` has its expressions evaluated already.
const STANDINS = {
    // OIDC is not available here: the twin's credentials (DIR/env, a shell
    // file of exports) become the job's environment, as the real action's
    // AWS_* variables would.
    'aws-actions/configure-aws-credentials': (w, run) => {
        const dir = run.twinDir || process.env.TWIN_DIR;
        if (!dir) return fail('configure-aws-credentials: no twin directory (--twin-dir or TWIN_DIR)');
        const envFile = path.join(dir, 'env');
        if (!fs.existsSync(envFile)) return fail(`configure-aws-credentials: ${envFile}: no such file`);
        if (!w['role-to-assume']) return fail('configure-aws-credentials: role-to-assume is empty');
        const r = require('child_process').spawnSync('bash', ['-c', 'set -a; . "$1" >/dev/null; env -0', 'env', envFile],
            { env: { PATH: process.env.PATH, HOME: process.env.HOME }, encoding: 'utf8' });
        if (r.status !== 0) return fail(`configure-aws-credentials: ${envFile}: ${r.stderr.trim()}`);
        for (const kv of r.stdout.split('\0')) {
            const e = kv.indexOf('=');
            if (e <= 0) continue;
            const k = kv.slice(0, e);
            if (/^(AWS_|NITROSETUP_)/.test(k)) run.env[k] = kv.slice(e + 1);
        }
        if (w['aws-region']) { run.env.AWS_REGION = w['aws-region']; run.env.AWS_DEFAULT_REGION = w['aws-region']; }
        run.log(`configure-aws-credentials (stand-in): role ${w['role-to-assume']}, the twin's credentials from ${envFile}`);
        return { rc: 0, outputs: {} };
    },
    // Copies the files into WORKDIR/artifacts/NAME/.
    'actions/upload-artifact': (w, run) => {
        const name = w.name || 'artifact';
        const dest = path.join(run.workdir, 'artifacts', name);
        const paths = String(w.path || '').split('\n').map((s) => s.trim()).filter(Boolean);
        if (paths.length === 0) return fail('upload-artifact: no path');
        fs.mkdirSync(dest, { recursive: true });
        let n = 0;
        for (const p of paths) {
            const src = path.resolve(run.env.GITHUB_WORKSPACE, p);
            if (!fs.existsSync(src)) {
                if ((w['if-no-files-found'] || 'warn') === 'error') return fail(`upload-artifact: ${p}: no such file`);
                continue;
            }
            fs.cpSync(src, path.join(dest, path.basename(src)), { recursive: true });
            n++;
        }
        run.log(`upload-artifact (stand-in): ${n} path(s) into ${dest}`);
        return { rc: 0, outputs: { 'artifact-id': '1', 'artifact-url': `file://${dest}` } };
    },
};

function fail(msg) {
    process.stderr.write(`run-action: ${msg}\n`);
    return { rc: 1, outputs: {} };
}

// "owner/name@ref" or "owner/name/sub@ref" -> "owner/name"
function standinFor(uses) {
    const m = /^([^/@]+\/[^/@]+)(\/[^@]*)?@([^@]+)$/.exec(uses);
    if (!m) return null;
    return STANDINS[m[1]] ? { fn: STANDINS[m[1]], ref: m[3] } : null;
}

// --------------------------------------------------------------------- steps

// cancelDuring: seconds after which the run is cancelled, or null; keep():
// whether the step's if: is still true once cancelled (then, as on GitHub,
// the step is not signalled and runs on).
function runShellStep(step, script, env, cwd, run, cancelDuring, keep) {
    const shell = step.shell;
    const file = path.join(run.env.RUNNER_TEMP, `step-${run.n}.sh`);
    fs.writeFileSync(file, script);
    let argv;
    if (shell === 'bash') argv = ['bash', '--noprofile', '--norc', '-eo', 'pipefail', file];
    else if (shell === 'sh') argv = ['sh', '-e', file];
    else return Promise.resolve({ rc: 2, err: `shell '${shell}' is not supported here (bash, sh)` });
    return new Promise((resolve) => {
        const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: 'inherit', detached: true });
        const timers = [];
        let cancelled = false, signalled = false;
        if (cancelDuring !== null) {
            timers.push(setTimeout(() => {
                cancelled = true;
                if (keep()) {
                    run.log('cancelled: the running step\'s if: is still true: it runs on');
                    return;
                }
                signalled = true;
                run.log(`cancelling: SIGINT to the step's process ${child.pid}`);
                try { process.kill(child.pid, 'SIGINT'); } catch (e) { /* gone */ }
                timers.push(setTimeout(() => {
                    run.log(`cancelling: SIGTERM to ${child.pid}`);
                    try { process.kill(child.pid, 'SIGTERM'); } catch (e) { /* gone */ }
                    timers.push(setTimeout(() => {
                        run.log(`cancelling: killing the process group ${child.pid}`);
                        try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* gone */ }
                    }, 2500));
                }, 7500));
            }, cancelDuring * 1000));
        }
        child.on('exit', (code, sig) => {
            timers.forEach(clearTimeout);
            resolve({ rc: code === null ? 128 + (os.constants.signals[sig] || 0) : code, cancelled, signalled });
        });
        child.on('error', (e) => { timers.forEach(clearTimeout); resolve({ rc: 127, err: e.message, cancelled, signalled }); });
    });
}

async function main() {
    const args = process.argv.slice(2);
    let actionFile = null, workdir = null, cancelAfter = null, cancelDuring = null, twinDir = null;
    const given = {};
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        const val = () => { if (i + 1 >= args.length) die(`${a} needs a value`); return args[++i]; };
        if (a === '--workdir') workdir = val();
        else if (a === '--cancel-after') cancelAfter = val();
        else if (a === '--cancel-during') {
            const m = /^([^:]+):([0-9.]+)$/.exec(val());
            if (!m) die('--cancel-during STEP_ID:SECONDS');
            cancelDuring = { id: m[1], s: Number(m[2]) };
        } else if (a === '--twin-dir') twinDir = val();
        else if (a.startsWith('--')) die(`unknown option ${a}`);
        else if (actionFile === null) actionFile = a;
        else {
            const e = a.indexOf('=');
            if (e <= 0) die(`input '${a}': expected name=value`);
            given[a.slice(0, e)] = a.slice(e + 1);
        }
    }
    if (!actionFile) die('usage: run-action.sh ACTION_YML [name=value]... [--workdir DIR] [--cancel-after ID] [--cancel-during ID:S] [--twin-dir DIR]');
    let action;
    try {
        action = yaml.load(fs.readFileSync(actionFile, 'utf8'));
    } catch (e) {
        die(`${actionFile}: ${e.message.split('\n')[0]}`);
    }
    if (!action || typeof action !== 'object') die(`${actionFile}: not a YAML mapping`);
    if (!action.runs || action.runs.using !== 'composite') die(`${actionFile}: runs.using is not 'composite'`);
    const steps = action.runs.steps;
    if (!Array.isArray(steps) || steps.length === 0) die(`${actionFile}: runs.steps is empty`);
    const declared = action.inputs || {};
    for (const k of Object.keys(given)) {
        if (!Object.keys(declared).some((d) => d.toLowerCase() === k.toLowerCase())) die(`input '${k}' is not declared in ${actionFile}`);
    }
    for (const id of [cancelAfter, cancelDuring && cancelDuring.id]) {
        if (id && !steps.some((s) => s.id === id)) die(`no step with id '${id}' in ${actionFile}`);
    }

    workdir = path.resolve(workdir || fs.mkdtempSync(path.join(os.tmpdir(), 'run-action-')));
    fs.mkdirSync(path.join(workdir, 'temp'), { recursive: true });
    const actionPath = path.dirname(path.resolve(actionFile));
    const workspace = path.resolve(process.env.GITHUB_WORKSPACE || process.cwd());

    const run = {
        workdir, twinDir, n: 0,
        env: {},     // from GITHUB_ENV and stand-ins, for the later steps
        paths: [],   // from GITHUB_PATH
        log: (m) => process.stderr.write(`run-action: ${m}\n`),
    };
    const base = Object.assign({}, process.env, {
        CI: 'true',
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_ACTION_PATH: actionPath,
        GITHUB_ACTION_REPOSITORY: process.env.GITHUB_ACTION_REPOSITORY || 'local/nitrosetup',
        GITHUB_REPOSITORY: process.env.GITHUB_REPOSITORY || 'local/circuit',
        GITHUB_SERVER_URL: process.env.GITHUB_SERVER_URL || 'https://github.com',
        GITHUB_RUN_ID: process.env.GITHUB_RUN_ID || String(process.pid),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_SHA: process.env.GITHUB_SHA || '0'.repeat(40),
        GITHUB_REF: process.env.GITHUB_REF || 'refs/heads/main',
        RUNNER_TEMP: path.join(workdir, 'temp'),
        RUNNER_OS: 'Linux',
        RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    });
    run.env.GITHUB_WORKSPACE = workspace;
    run.env.RUNNER_TEMP = base.RUNNER_TEMP;

    const inputs = {};
    for (const [name, spec] of Object.entries(declared)) {
        const g = Object.keys(given).find((k) => k.toLowerCase() === name.toLowerCase());
        inputs[name] = g !== undefined ? given[g] : spec && spec.default !== undefined ? str(spec.default) : '';
        if (g === undefined && spec && spec.required && (spec.default === undefined)) die(`input '${name}' is required`);
    }
    const stepsCtx = {};
    const status = { failed: false, cancelled: false };
    const contexts = () => ({
        inputs,
        steps: stepsCtx,
        env: Object.assign({}, run.env),
        github: {
            action_path: actionPath, workspace, token: process.env.GITHUB_TOKEN || '',
            repository: base.GITHUB_REPOSITORY, action_repository: base.GITHUB_ACTION_REPOSITORY,
            server_url: base.GITHUB_SERVER_URL, run_id: base.GITHUB_RUN_ID, sha: base.GITHUB_SHA, ref: base.GITHUB_REF,
        },
        runner: { temp: base.RUNNER_TEMP, os: 'Linux', arch: base.RUNNER_ARCH },
        job: { status: status.cancelled ? 'cancelled' : status.failed ? 'failure' : 'success' },
    });
    const summaryParts = [];
    const record = [];

    for (const step of steps) {
        run.n++;
        const label = step.id || `#${run.n}`;
        const where = `step ${label}`;
        const ctx = { contexts: contexts(), status };
        const go = condition(step.if, ctx, `${where} if`);
        if (!go) {
            run.log(`== ${label} (${step.name || step.uses || 'run'}): skipped`);
            if (step.id) stepsCtx[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
            record.push({ id: label, outcome: 'skipped' });
            continue;
        }
        run.log(`== ${label} (${step.name || step.uses || 'run'})`);
        const stepEnv = {};
        for (const [k, v] of Object.entries(step.env || {})) stepEnv[k] = interpolate(str(v), ctx, `${where} env.${k}`);
        let result;
        if (step.run !== undefined) {
            if (step.uses !== undefined) die(`${where}: both run: and uses:`);
            if (!step.shell) die(`${where}: a run: step in a composite action needs shell:`);
            const script = interpolate(String(step.run), ctx, `${where} run`);
            const files = {};
            for (const f of ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE']) {
                files[f] = path.join(base.RUNNER_TEMP, `${f.toLowerCase()}-${run.n}`);
                fs.writeFileSync(files[f], '');
            }
            const env = Object.assign({}, base, run.env, files, stepEnv);
            for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
            env.PATH = run.paths.concat([run.env.PATH || base.PATH]).join(':');
            const cwd = step['working-directory']
                ? path.resolve(workspace, interpolate(String(step['working-directory']), ctx, `${where} working-directory`))
                : workspace;
            const keep = () => condition(step.if, { contexts: contexts(), status: { failed: status.failed, cancelled: true } },
                `${where} if`);
            const r = await runShellStep(step, script, env, cwd, run,
                cancelDuring && cancelDuring.id === step.id ? cancelDuring.s : null, keep);
            if (r.err) run.log(`${where}: ${r.err}`);
            if (r.cancelled) status.cancelled = true;
            // file commands are read whatever the step's result
            const outputs = readKeyValueFile(files.GITHUB_OUTPUT, where);
            Object.assign(run.env, readKeyValueFile(files.GITHUB_ENV, where));
            for (const p of fs.readFileSync(files.GITHUB_PATH, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean).reverse()) {
                run.paths.unshift(p);
            }
            const sm = fs.readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
            if (sm !== '') summaryParts.push(sm);
            result = { rc: r.rc, outputs, signalled: r.signalled };
        } else if (step.uses !== undefined) {
            const s = standinFor(String(step.uses));
            if (!s) die(`${where}: no local stand-in for '${step.uses}'`);
            if (!/^[0-9a-f]{40}$/.test(s.ref)) die(`${where}: '${step.uses}' is not pinned by a full commit SHA`);
            const w = {};
            for (const [k, v] of Object.entries(step.with || {})) w[k] = interpolate(str(v), ctx, `${where} with.${k}`);
            result = s.fn(w, run);
            result.with = w;
        } else {
            die(`${where}: neither run: nor uses:`);
        }
        const outcome = result.rc === 0 ? 'success' : result.signalled ? 'cancelled' : 'failure';
        if (outcome === 'failure') status.failed = true;
        run.log(`-- ${label}: ${outcome}${result.rc ? ` (exit ${result.rc})` : ''}`);
        if (step.id) stepsCtx[step.id] = { outputs: result.outputs, outcome, conclusion: outcome };
        record.push(Object.assign({ id: label, outcome, rc: result.rc }, result.with ? { uses: step.uses, with: result.with } : {}));
        if (cancelAfter && step.id === cancelAfter) {
            run.log(`cancelling the run after step ${label}`);
            status.cancelled = true;
        }
    }

    const ctx = { contexts: contexts(), status };
    const outputs = {};
    for (const [name, spec] of Object.entries(action.outputs || {})) {
        outputs[name] = interpolate(str(spec && spec.value), ctx, `outputs.${name}`);
    }
    fs.writeFileSync(path.join(workdir, 'outputs.json'), JSON.stringify(outputs, null, 2) + '\n');
    fs.writeFileSync(path.join(workdir, 'summary.md'), summaryParts.join(''));
    fs.writeFileSync(path.join(workdir, 'steps.json'), JSON.stringify(record, null, 2) + '\n');
    const verdict = status.cancelled ? 'cancelled' : status.failed ? 'failure' : 'success';
    run.log(`result: ${verdict} (workdir ${workdir})`);
    process.exit(status.cancelled ? 3 : status.failed ? 1 : 0);
}

main().catch((e) => die(e.stack || String(e)));
