'use strict';
// The AWS twin's EC2 instances (tests only).
//
// startInstance({ id, userData, dir, env, twinUrl, onPoweroff, onExit, faults, log, now })
//   boots instance `id` (needs root): its user data runs in a sandbox
//   (sandbox.sh: private mount and PID namespaces, the machine's /usr
//   read-only, its own /etc, /var, /run, /tmp under dir/root, stand-ins for
//   the Amazon Linux 2023 tools); its console output goes to dir/console.log.
//   env: the instance's AWS settings.  AWS_* (the role's credentials
//   AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN,
//   AWS_DEFAULT_REGION) reach only the instance's `aws` (the real
//   /usr/bin/aws with --endpoint-url TWIN_AWS_ENDPOINT, default twinUrl), as
//   an instance profile would; NITROSETUP_AWS is dropped (inside, `aws` on
//   PATH is that CLI); its TWIN_TIME_SCALE (else this process's
//   TWIN_TIME_SCALE or TWIN_CLOCK_SCALE) scales the timers kept here; every
//   other variable is added to the user data's environment.
//   The stand-ins POST to twinUrl + /_twin/instance/<id>/poweroff and
//   /_twin/instance/<id>/timer.  When the poweroff POST fails, onPoweroff()
//   is called here instead; a timer the twin did not take is kept here (on
//   the clock now(), milliseconds of the twin's time, when given, else on
//   real time divided by the scale) and calls onPoweroff() when it fires.
//   Either way the sandbox is then ended (the machine is off).
//   onExit(code, signal) is called once, when the sandbox has ended (the
//   user data ending does not end it: the machine stays up).
//   faults: { take(name), active(name) }; this module takes allocator-fail,
//   enclave-dies (argument: seconds, default 3) and host-fail, at boot or
//   when armed while the instance runs.
//   Returns { pid, kill() }; kill() ends every process of the instance, and
//   the instance also dies with the process that started it.
//
// node instance.js prepare DIR
//   builds (or takes from ~/.cache/nitrosetup-test/twin/<key>/) the test
//   enclave image, writes DIR/enclave.eif and prints its path; copies the
//   vsock shim to DIR/instance-kit/, and writes DIR/prepare.env
//   (TWIN_TRUST_PTAU: the pins; TWIN_VSOCK_SHIM; TWIN_EIF_PCR0..2).
//   Environment: NS_BIN (the nitrosetup binary, default build/nitrosetup),
//   NS_VSOCK_SHIM (default
//   build/tests/ns_vsock_shim.so), NS_TWIN_TRUST_PTAU (space-separated
//   BLAKE2b-512 pins the image trusts; default: the test ptau files of
//   powers 8, 10 and 12 in NS_PTAU_DIR, default ~/.cache/nitrosetup-test/ptau).

const fs = require('fs');
const path = require('path');
const os = require('os');
const crypto = require('crypto');
const cp = require('child_process');

const HERE = __dirname;
const SRC = path.resolve(HERE, '..', '..', '..');
const FAULTS = ['allocator-fail', 'enclave-dies', 'host-fail'];
const POLL_MS = 200;

function shq(s) {
    return "'" + String(s).replace(/'/g, "'\\''") + "'";
}

function envFile(vars) {
    return Object.entries(vars).map(([k, v]) => `${k}=${shq(v)}\n`).join('');
}

// the vsock shim: NS_VSOCK_SHIM, else DIR/instance-kit/ of a twin directory
// above the instance's, else the build tree's
function findShim(dir) {
    if (process.env.NS_VSOCK_SHIM && fs.existsSync(process.env.NS_VSOCK_SHIM)) return process.env.NS_VSOCK_SHIM;
    let d = path.resolve(dir);
    for (let i = 0; i < 5; i++) {
        const k = path.join(d, 'instance-kit', 'ns_vsock_shim.so');
        if (fs.existsSync(k)) return k;
        d = path.dirname(d);
    }
    const b = path.join(SRC, 'build', 'tests', 'ns_vsock_shim.so');
    if (fs.existsSync(b)) return b;
    throw new Error(`${dir}: no vsock shim (set NS_VSOCK_SHIM or run instance.js prepare)`);
}

function startInstance(o) {
    const { id, userData, dir, twinUrl, onPoweroff, onExit, faults } = o;
    const env = o.env || {};
    const log = o.log || (() => {});
    if (!/^i-[0-9a-f]{8,17}$/.test(String(id))) throw new Error(`instance id ${id}: not i-<hex>`);
    if (typeof userData !== 'string') throw new Error(`${id}: user data is not a string`);
    if (!dir || !path.isAbsolute(dir)) throw new Error(`${id}: dir must be an absolute path`);
    if (process.getuid() !== 0) throw new Error(`${id}: the twin's instances need root (namespaces, chroot, mounts)`);
    const root = path.join(dir, 'root');
    const etc = path.join(root, 'opt', 'twin', 'etc');
    const shim = findShim(dir);
    fs.mkdirSync(path.join(etc, 'faults'), { recursive: true });
    fs.mkdirSync(path.join(root, 'var', 'lib', 'cloud', 'instance', 'scripts'), { recursive: true });
    fs.mkdirSync(path.join(root, 'run', 'twin'), { recursive: true });
    fs.writeFileSync(path.join(root, 'var', 'lib', 'cloud', 'instance', 'user-data.txt'), userData);
    fs.writeFileSync(path.join(root, 'var', 'lib', 'cloud', 'instance', 'scripts', 'part-001'), userData, { mode: 0o755 });
    fs.chmodSync(path.join(root, 'var', 'lib', 'cloud', 'instance', 'scripts', 'part-001'), 0o755);

    const region = env.AWS_DEFAULT_REGION || env.AWS_REGION || 'us-east-1';
    const scale = env.TWIN_TIME_SCALE || process.env.TWIN_TIME_SCALE || process.env.TWIN_CLOCK_SCALE || '1';
    fs.writeFileSync(path.join(etc, 'instance.env'), envFile({
        TWIN_URL: twinUrl || '',
        TWIN_INSTANCE_ID: id,
        TWIN_TIME_SCALE: scale,
        TWIN_REGION: region,
        TWIN_AZ: env.TWIN_AZ || `${region}a`,
    }));
    const aws = {
        AWS_CONFIG_FILE: '/opt/twin/etc/aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/opt/twin/etc/aws-credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        AWS_DEFAULT_REGION: region,
        TWIN_AWS_ENDPOINT: env.TWIN_AWS_ENDPOINT || twinUrl || '',
    };
    const user = {
        PATH: '/opt/twin/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        LANG: 'C.UTF-8',
        LD_PRELOAD: '/opt/twin/lib/ns_vsock_shim.so',
    };
    for (const [k, v] of Object.entries(env)) {
        if (k.startsWith('AWS_')) {
            if (k !== 'AWS_CONFIG_FILE' && k !== 'AWS_SHARED_CREDENTIALS_FILE') aws[k] = String(v);
        } else if (k === 'NITROSETUP_AWS' || k.startsWith('TWIN_')) {
            continue;
        } else {
            user[k] = String(v);
        }
    }
    fs.writeFileSync(path.join(etc, 'aws.env'), envFile(aws), { mode: 0o600 });
    fs.writeFileSync(path.join(etc, 'aws-config'), '');
    fs.writeFileSync(path.join(etc, 'userdata.env'), Object.entries(user).map(([k, v]) => `${k}=${v}\n`).join(''));

    const marker = (name) => path.join(etc, 'faults', name);
    const takeFaults = () => {
        if (!faults) return;
        for (const f of FAULTS) {
            if (fs.existsSync(marker(f))) continue;
            if (typeof faults.active === 'function' && !faults.active(f)) continue;
            const a = faults.take(f);
            if (a === null || a === undefined || a === false) continue;
            const arg = Array.isArray(a) ? a.join(' ') : (typeof a === 'string' || typeof a === 'number' ? String(a) : '');
            fs.writeFileSync(marker(f), arg + '\n');
            log(`${id}: took fault ${f}${arg ? ' ' + arg : ''}`);
        }
    };
    takeFaults();

    const consoleFd = fs.openSync(path.join(dir, 'console.log'), 'a');
    // setpriv --pdeathsig: the sandbox dies with the process that started it
    // (a twin server killed outright leaves no instance running)
    const child = cp.spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'unshare', '-m', '-p', '--fork', '--kill-child',
        '--propagation', 'private', '/bin/bash', path.join(HERE, 'sandbox.sh'), root, shim], {
        stdio: ['ignore', consoleFd, consoleFd],
        detached: true,
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    });
    fs.closeSync(consoleFd);
    log(`${id}: booting (pid ${child.pid}, console ${path.join(dir, 'console.log')})`);

    let ended = false, poweredOff = false;
    const kill = () => {
        if (ended) return;
        for (const p of [-child.pid, child.pid]) {
            try { process.kill(p, 'SIGKILL'); } catch (e) { /* gone */ }
        }
    };
    // kill-switch timers the twin did not take (standin_timer): kept here,
    // on the twin's clock o.now() when given, else on real time / scale
    const clock = typeof o.now === 'function' ? () => o.now() : () => Date.now();
    const rate = typeof o.now === 'function' ? 1 : Math.max(Number(scale) || 1, 1e-6);
    const timers = [];
    let timerLines = 0;
    const pending = path.join(root, 'run', 'twin', 'timers.pending');
    const checkTimers = () => {
        if (fs.existsSync(pending)) {
            const lines = fs.readFileSync(pending, 'utf8').split('\n');
            lines.pop(); // only whole lines
            for (; timerLines < lines.length; timerLines++) {
                const [kind, secs] = lines[timerLines].split(' ');
                const due = clock() + Number(secs) * 1000 / rate;
                timers.push({ kind, secs: Number(secs), due });
                log(`${id}: ${kind} timer: power off in ${secs} s (kept by instance.js)`);
            }
        }
        const t = timers.find((x) => clock() >= x.due);
        if (t && !poweredOff) {
            poweredOff = true;
            log(`${id}: ${t.kind} timer fired after ${t.secs} s: power off`);
            fs.appendFileSync(path.join(root, 'run', 'twin', 'timers'), `fired ${t.kind} ${t.secs}\n`);
            if (typeof onPoweroff === 'function') {
                try { onPoweroff(); } catch (e) { log(`${id}: onPoweroff: ${e.message}`); }
            }
            kill();
        }
    };
    const poll = setInterval(() => {
        if (ended) return;
        try { takeFaults(); } catch (e) { log(`${id}: faults: ${e.message}`); }
        try { checkTimers(); } catch (e) { log(`${id}: timers: ${e.message}`); }
        const p = path.join(root, 'run', 'twin', 'poweroff');
        if (!poweredOff && fs.existsSync(p)) {
            poweredOff = true;
            const how = fs.readFileSync(p, 'utf8').trim();
            log(`${id}: powered off (${how})`);
            if (!how.startsWith('posted') && typeof onPoweroff === 'function') {
                try { onPoweroff(); } catch (e) { log(`${id}: onPoweroff: ${e.message}`); }
            }
            kill();
        }
    }, POLL_MS);
    child.on('error', (e) => log(`${id}: cannot start the sandbox: ${e.message}`));
    child.on('exit', (code, signal) => {
        ended = true;
        clearInterval(poll);
        log(`${id}: sandbox ended (${signal || code})`);
        if (typeof onExit === 'function') {
            try { onExit(code, signal); } catch (e) { log(`${id}: onExit: ${e.message}`); }
        }
    });
    return { pid: child.pid, kill };
}

// ---- prepare: the test enclave image ----------------------------------------

// deterministic "random" bytes (the synthetic blobs)
function stream(seed, n) {
    const out = Buffer.alloc(n);
    for (let i = 0, off = 0; off < n; i++) {
        const h = crypto.createHash('sha256').update(`${seed}/${i}`).digest();
        off += h.copy(out, off);
    }
    return out;
}

function sha256File(f) {
    return crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
}

function b2File(f) {
    const h = crypto.createHash('blake2b512');
    const fd = fs.openSync(f, 'r');
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n === 0) break;
        h.update(buf.subarray(0, n));
    }
    fs.closeSync(fd);
    return h.digest('hex');
}

function die(msg) {
    process.stderr.write(`twin instance: ${msg}\n`);
    process.exit(1);
}

function pins() {
    const given = (process.env.NS_TWIN_TRUST_PTAU || '').trim();
    if (given) {
        const list = given.split(/\s+/);
        for (const p of list) if (!/^[0-9a-f]{128}$/.test(p)) die(`NS_TWIN_TRUST_PTAU: ${p.slice(0, 20)}...: not 128 hex digits`);
        return list;
    }
    const dir = process.env.NS_PTAU_DIR ||
        path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nitrosetup-test', 'ptau');
    const list = [];
    for (const p of ['08', '10', '12']) {
        const f = path.join(dir, `pot${p}.ptau`);
        if (fs.existsSync(f)) list.push(b2File(f));
        else process.stderr.write(`twin instance: ${f} missing: the image will not trust power ${Number(p)}\n`);
    }
    if (list.length === 0) die(`${dir}: no test ptau (tests/ptau.sh ${dir} 8 10 12), or set NS_TWIN_TRUST_PTAU`);
    return list;
}

function prepare(dir) {
    if (!dir) die('usage: instance.js prepare DIR');
    fs.mkdirSync(dir, { recursive: true });
    const bin = process.env.NS_BIN || path.join(SRC, 'build', 'nitrosetup');
    const shim = process.env.NS_VSOCK_SHIM || path.join(SRC, 'build', 'tests', 'ns_vsock_shim.so');
    if (!fs.existsSync(bin)) die(`${bin}: no nitrosetup binary (set NS_BIN)`);
    if (!fs.existsSync(shim)) die(`${shim}: no vsock shim (set NS_VSOCK_SHIM; CMake target ns_vsock_shim)`);
    const buildEif = path.join(SRC, 'scripts', 'build-eif.sh');
    const lock = path.join(SRC, 'tests', 'compat', 'package-lock.json');
    const pinList = pins();
    const extra = ['--local', '--drand-sim', ...pinList.flatMap((p) => ['--trust-ptau', p])].join(' ');
    const key = crypto.createHash('sha256').update(JSON.stringify({
        blobs: 'twin-blobs-1', bin: sha256File(bin), buildEif: sha256File(buildEif),
        lock: fs.existsSync(lock) ? sha256File(lock) : '', extra,
    })).digest('hex').slice(0, 24);
    const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'nitrosetup-test', 'twin');
    const cache = path.join(cacheRoot, key);
    fs.mkdirSync(cacheRoot, { recursive: true });
    const cached = path.join(cache, 'enclave.eif');
    if (!fs.existsSync(cached)) {
        const work = fs.mkdtempSync(path.join(cacheRoot, '.build-'));
        const blobs = path.join(work, 'blobs');
        fs.mkdirSync(blobs);
        fs.writeFileSync(path.join(blobs, 'bzImage'), stream('twin-kernel', 300000));
        fs.writeFileSync(path.join(blobs, 'cmdline'), 'reboot=k panic=30 pci=off nomodules console=ttyS0 twin=1\n');
        fs.writeFileSync(path.join(blobs, 'init'), stream('twin-init', 70001));
        fs.writeFileSync(path.join(blobs, 'nsm.ko'), stream('twin-nsm', 9999));
        // one build at a time per cache (flock); the cache entry appears whole (rename)
        const script = `set -euo pipefail
if [ ! -f ${shq(cached)} ]; then
  NS_ALLOW_DIRTY=1 NS_EIF_BINARY=${shq(bin)} NS_EIF_CMD_EXTRA=${shq(extra)} \\
    bash ${shq(buildEif)} ${shq(blobs)} ${shq(path.join(work, 'enclave.eif'))} >${shq(path.join(work, 'build.json'))} 2>${shq(path.join(work, 'build.log'))} ||
    { tail -20 ${shq(path.join(work, 'build.log'))} >&2; exit 1; }
  mkdir -p ${shq(work + '/out')}
  mv ${shq(path.join(work, 'enclave.eif'))} ${shq(path.join(work, 'build.json'))} ${shq(work + '/out/')}
  rm -rf ${shq(cache)}
  mv ${shq(work + '/out')} ${shq(cache)}
fi`;
        process.stderr.write(`twin instance: building the test enclave image (cache ${cache})\n`);
        const r = cp.spawnSync('flock', [path.join(cacheRoot, '.lock'), 'bash', '-c', script], { stdio: ['ignore', 'inherit', 'inherit'] });
        fs.rmSync(work, { recursive: true, force: true });
        if (r.status !== 0) die('scripts/build-eif.sh failed for the test enclave image');
    }
    // the cache keeps the three images used last and any used in the last
    // hour (each is some 130 MB; other twins may be copying theirs)
    const now = new Date();
    fs.utimesSync(cache, now, now);
    const entries = fs.readdirSync(cacheRoot).filter((e) => /^[0-9a-f]{24}$/.test(e))
        .map((e) => ({ e, t: fs.statSync(path.join(cacheRoot, e)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { e, t } of entries.slice(3)) {
        if (now.getTime() - t > 3600 * 1000) fs.rmSync(path.join(cacheRoot, e), { recursive: true, force: true });
    }
    const out = path.join(path.resolve(dir), 'enclave.eif');
    fs.rmSync(out, { force: true });
    fs.copyFileSync(cached, out, fs.constants.COPYFILE_FICLONE);
    const kit = path.join(path.resolve(dir), 'instance-kit');
    fs.mkdirSync(kit, { recursive: true });
    fs.copyFileSync(shim, path.join(kit, 'ns_vsock_shim.so'));
    fs.copyFileSync(path.join(cache, 'build.json'), path.join(kit, 'enclave.json'));
    fs.writeFileSync(path.join(kit, 'trust-ptau'), pinList.join('\n') + '\n');
    // for DIR/env (twin up appends DIR/prepare.env): what a test needs to make
    // a job the image accepts and to check its bundle
    const m = JSON.parse(fs.readFileSync(path.join(kit, 'enclave.json'), 'utf8')).Measurements || {};
    fs.writeFileSync(path.join(path.resolve(dir), 'prepare.env'), 'export ' + envFile({
        TWIN_TRUST_PTAU: pinList.join(' '),
        TWIN_VSOCK_SHIM: path.join(kit, 'ns_vsock_shim.so'),
        TWIN_EIF_PCR0: m.PCR0 || '', TWIN_EIF_PCR1: m.PCR1 || '', TWIN_EIF_PCR2: m.PCR2 || '',
    }).replace(/\n(?=.)/g, '\nexport '));
    process.stdout.write(out + '\n');
}

module.exports = { startInstance };

if (require.main === module) {
    const [cmd, arg] = process.argv.slice(2);
    if (cmd === 'prepare') prepare(arg);
    else die('usage: instance.js prepare DIR');
}
