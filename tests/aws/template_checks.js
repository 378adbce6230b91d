// node template_checks.js JOB.yaml [USERDATA_OUT]
//
// What cfn-lint cannot check on deploy/aws/job.yaml (docs/aws-host.md):
// nothing can be retained or snapshotted, no inbound traffic, IMDSv2,
// an encrypted root volume deleted with the instance, tags on the
// instance, volume and network interface, a power-off that terminates,
// least-privilege roles, and the user data: its first commands arm the two
// kill switches, its steps come in the documented order, it is under
// EC2's 16 KB with the longest parameter values substituted, it never asks
// for --debug-mode, and bash can parse it.  With USERDATA_OUT, the
// substituted user data is written there (for `bash -n`).  Prints one
// "FAIL: <check>: <why>" line per failed check and exits 1, else prints
// "ok: N checks" and exits 0.
'use strict';
const { load, substitute } = require('./cfn_yaml');

const file = process.argv[2];
const udOut = process.argv[3];
let text, t;
try {
  ({ text, t } = load(file));
} catch (e) {
  console.log(`FAIL: parse: ${file}: ${e.message.split('\n')[0]}`);
  process.exit(1);
}

let failed = 0, checks = 0;
function check(name, ok, why) {
  checks++;
  if (!ok) {
    failed++;
    console.log(`FAIL: ${name}: ${why}`);
  }
}
const R = (t && t.Resources) || {};
const P = (t && t.Parameters) || {};
const ofType = (type) => Object.entries(R).filter(([, r]) => r && r.Type === type);
const tagged = (list) => Array.isArray(list) && list.some((x) => x && x.Key === 'nitrosetup:job' &&
    x.Value && x.Value.Ref === 'JobId');

// Nothing kept after the stack: every resource says Delete for both policies.
for (const [name, r] of Object.entries(R)) {
  check('deletion-policy', r.DeletionPolicy === 'Delete', `${name}: DeletionPolicy is ${r.DeletionPolicy}, not Delete`);
  check('replace-policy', r.UpdateReplacePolicy === 'Delete',
    `${name}: UpdateReplacePolicy is ${r.UpdateReplacePolicy}, not Delete`);
}
check('no-retain', !/\b(Retain|Snapshot)\b/.test(text), 'the template mentions Retain or Snapshot');
check('resources', Object.keys(R).length > 0, 'no resources');
const allowedTypes = new Set(['AWS::IAM::Role', 'AWS::IAM::InstanceProfile', 'AWS::EC2::SecurityGroup',
  'AWS::EC2::LaunchTemplate', 'AWS::EC2::Instance', 'AWS::Scheduler::Schedule']);
for (const [name, r] of Object.entries(R)) {
  check('free-resources', allowedTypes.has(r.Type),
    `${name}: ${r.Type} is not one of the free resources the design allows (no volumes, buckets, log groups, EIPs)`);
}

// No inbound traffic; HTTPS out only.
check('no-ingress', !/Ingress/.test(text), 'the template declares ingress');
for (const [name, r] of ofType('AWS::EC2::SecurityGroup')) {
  const eg = (r.Properties && r.Properties.SecurityGroupEgress) || [];
  check('egress', eg.length > 0 && eg.every((e) => e.IpProtocol === 'tcp' && e.FromPort === 443 && e.ToPort === 443),
    `${name}: egress other than tcp/443 (or none given, which allows everything)`);
}

// The launch template: IMDSv2, encrypted root deleted with the instance, tags.
const lts = ofType('AWS::EC2::LaunchTemplate');
check('launch-template', lts.length === 1, `${lts.length} launch templates, not 1`);
for (const [name, r] of lts) {
  const d = (r.Properties && r.Properties.LaunchTemplateData) || {};
  const md = d.MetadataOptions || {};
  check('imdsv2', md.HttpTokens === 'required', `${name}: MetadataOptions.HttpTokens is ${md.HttpTokens}, not required`);
  const bdm = d.BlockDeviceMappings || [];
  check('root-volume', bdm.length === 1, `${name}: ${bdm.length} block devices, not exactly the root`);
  for (const b of bdm) {
    const e = b.Ebs || {};
    check('encrypted-root', e.Encrypted === true, `${name}: ${b.DeviceName} is not Encrypted: true`);
    check('root-deleted', e.DeleteOnTermination === true, `${name}: ${b.DeviceName} is not DeleteOnTermination: true`);
    check('root-gp3', e.VolumeType === 'gp3', `${name}: ${b.DeviceName} is ${e.VolumeType}, not gp3`);
    check('no-snapshot-source', e.SnapshotId === undefined, `${name}: ${b.DeviceName} starts from a snapshot`);
  }
  const ts = d.TagSpecifications || [];
  for (const rt of ['instance', 'volume', 'network-interface']) {
    check('launch-tags', ts.some((s) => s.ResourceType === rt && tagged(s.Tags)),
      `${name}: no nitrosetup:job tag for ${rt}`);
  }
}

// The instance: enclaves on, a power-off terminates it, deletable.
const hosts = ofType('AWS::EC2::Instance');
check('one-instance', hosts.length === 1, `${hosts.length} instances, not 1`);
let userData = null;
for (const [name, r] of hosts) {
  const p = r.Properties || {};
  check('shutdown-terminates', p.InstanceInitiatedShutdownBehavior === 'terminate',
    `${name}: InstanceInitiatedShutdownBehavior is ${p.InstanceInitiatedShutdownBehavior}, not terminate`);
  check('enclaves', p.EnclaveOptions && p.EnclaveOptions.Enabled === true, `${name}: EnclaveOptions.Enabled is not true`);
  check('no-protection', p.DisableApiTermination !== true, `${name}: termination protection is on`);
  check('instance-tags', tagged(p.Tags), `${name}: no nitrosetup:job tag`);
  check('launch-template-used', p.LaunchTemplate && p.LaunchTemplate.LaunchTemplateId &&
    lts.some(([n]) => p.LaunchTemplate.LaunchTemplateId.Ref === n), `${name}: does not use the launch template`);
  check('no-instance-volumes', p.BlockDeviceMappings === undefined && p.Volumes === undefined,
    `${name}: block devices on the instance (they belong to the launch template)`);
  const ud = p.UserData && p.UserData['Fn::Base64'];
  const sub = ud && ud['Fn::Sub'];
  check('user-data-sub', typeof sub === 'string', `${name}: UserData is not Fn::Base64 of a Fn::Sub string`);
  if (typeof sub === 'string') userData = sub;
}

// Roles: the instance's reads in/ and the mirror, writes out/; the reaper's
// terminates its one instance.
function statements(role) {
  return ((role.Properties && role.Properties.Policies) || []).flatMap((pol) =>
    ((pol.PolicyDocument && pol.PolicyDocument.Statement) || []).map((s) => (s && s['Fn::If'] ? s['Fn::If'][1] : s)));
}
const arr = (x) => (Array.isArray(x) ? x : [x]);
const resText = (s) => JSON.stringify(s.Resource);
for (const [name, r] of ofType('AWS::IAM::Role')) {
  const st = statements(r);
  check('iam-managed', !(r.Properties && r.Properties.ManagedPolicyArns), `${name}: managed policies attached`);
  for (const s of st) {
    check('iam-allow', s.Effect === 'Allow', `${name}: a statement that is not Allow`);
    for (const a of arr(s.Action)) {
      check('iam-no-wildcard', typeof a === 'string' && !a.includes('*'), `${name}: action ${a} has a wildcard`);
    }
    check('iam-resource', s.Resource !== '*' && s.Resource !== undefined, `${name}: a statement on every resource`);
  }
  const acts = st.flatMap((s) => arr(s.Action));
  const principal = JSON.stringify(r.Properties && r.Properties.AssumeRolePolicyDocument);
  if (principal.includes('ec2.amazonaws.com')) {
    const ok = new Set(['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListBucketMultipartUploads']);
    check('host-actions', acts.every((a) => ok.has(a)), `${name}: actions beyond S3 job I/O: ${acts.join(' ')}`);
    const gets = st.filter((s) => arr(s.Action).includes('s3:GetObject')).map(resText);
    check('host-reads', gets.length === 2 && gets.some((g) => g.includes('/jobs/${JobId}/in/*')) &&
      gets.some((g) => g.includes('${PtauBucket}/${PtauPrefix}*')), `${name}: reads other than in/ and the mirror`);
    const puts = st.filter((s) => arr(s.Action).includes('s3:PutObject')).map(resText);
    check('host-writes', puts.length === 1 && puts[0].includes('/jobs/${JobId}/out/*'),
      `${name}: writes other than out/`);
  } else if (principal.includes('scheduler.amazonaws.com')) {
    check('reaper-actions', acts.length === 1 && acts[0] === 'ec2:TerminateInstances',
      `${name}: actions other than ec2:TerminateInstances`);
    check('reaper-one-instance', st.every((s) => resText(s).includes(':instance/${Host}')),
      `${name}: may terminate more than its own instance`);
    check('reaper-confused-deputy', principal.includes('aws:SourceAccount'), `${name}: no aws:SourceAccount condition`);
  } else {
    check('role-principal', false, `${name}: a role for neither EC2 nor the Scheduler`);
  }
}
const reapers = ofType('AWS::Scheduler::Schedule');
check('reaper', reapers.length === 1 && JSON.stringify(reapers[0][1]).includes('ec2:terminateInstances') &&
  JSON.stringify(reapers[0][1]).includes('${Host}'), 'no scheduled reaper terminating the instance');

// The user data.
check('no-debug-mode', !/--debug-mode/.test(text), 'the template mentions --debug-mode');
for (const name of ['JobSha256', 'BootstrapSha256', 'MaxLifetimeMinutes', 'EnclaveMemoryMiB', 'EnclaveCpuCount',
  'JobBucket', 'JobId', 'NitroCliVersion']) {
  check('parameters', P[name] !== undefined, `no parameter ${name}`);
}
check('ami-parameter', P.ImageId && /^AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>$/.test(P.ImageId.Type) &&
  /al2023-ami-kernel-default-x86_64$/.test(P.ImageId.Default) &&
  (P.ImageId.AllowedValues || []).some((v) => /al2023-ami-kernel-default-arm64$/.test(v)),
  'ImageId is not the AL2023 SSM path (x86_64 default, arm64 allowed)');
if (userData !== null) {
  // Longest values the parameters allow (or plausible maxima).
  const longest = {
    JobId: 'j'.repeat(40), JobBucket: 'b'.repeat(63), PtauBucket: 'm'.repeat(63), PtauPrefix: 'p'.repeat(200),
    BootstrapSha256: 'a'.repeat(64), JobSha256: 'c'.repeat(64), MaxLifetimeMinutes: '1440',
    EnclaveMemoryMiB: '9999999', EnclaveCpuCount: '999', NitroCliVersion: '99.99.99-' + 'x'.repeat(40),
    ExpiresAtUtc: '2099-12-31T23:59:59', InstanceType: 'x'.repeat(40), RootVolumeGiB: '16384',
    'AWS::Region': 'ap-southeast-99', 'AWS::AccountId': '123456789012', 'AWS::Partition': 'aws-us-gov',
    'AWS::StackName': 'nitrosetup-' + 'j'.repeat(40),
  };
  const unknown = [];
  for (const name of Object.keys(longest)) {
    if (!name.startsWith('AWS::') && P[name] === undefined) delete longest[name];
  }
  const out = substitute(userData, longest, unknown);
  check('sub-names', unknown.length === 0, `user data substitutes unknown names: ${unknown.join(' ')}`);
  const bytes = Buffer.byteLength(out, 'utf8');
  check('user-data-size', bytes < 16384, `user data is ${bytes} bytes after substitution (EC2's limit: 16384)`);
  check('user-data-small', bytes < 8192, `user data is ${bytes} bytes: keep the loader thin (under 8 KiB)`);
  console.log(`user data: ${bytes} bytes after substitution with the longest parameter values`);
  if (udOut) require('fs').writeFileSync(udOut, out);

  const lines = userData.split('\n');
  check('shebang', lines[0] === '#!/bin/bash', 'the user data does not start with #!/bin/bash');
  // Commands in order of appearance (not comments, not blank).
  const cmds = lines.slice(1).map((l, i) => ({ l: l.trim(), i })).filter((x) => x.l && !x.l.startsWith('#'));
  check('kill-switch-1', cmds.length > 1 && /^shutdown -h \+\$\{MaxLifetimeMinutes\}( |$)/.test(cmds[0].l),
    `the first command is not shutdown -h +\${MaxLifetimeMinutes}: ${cmds[0] && cmds[0].l}`);
  check('kill-switch-2', cmds.length > 1 &&
    /^systemd-run .*--on-active=\$\{MaxLifetimeMinutes\}m .*poweroff/.test(cmds[1].l),
    `the second command is not the systemd-run power-off timer: ${cmds[1] && cmds[1].l}`);
  const at = (re) => { const c = cmds.find((x) => re.test(x.l)); return c ? c.i : -1; };
  const steps = [
    ['set -E (traps in functions)', /^set -E/],
    ['the ERR trap', /^trap 'fail .*' ERR$/],
    ['the EXIT trap', /^trap 'fail .*' EXIT$/],
    ['status boot', /^status 0 boot\b/],
    ['dnf install of the pinned nitro-cli', /^dnf install -y aws-nitro-enclaves-cli-\$\{NitroCliVersion\}$/],
    ['allocator.yaml', /allocator\.yaml$/],
    ['the allocator started', /^systemctl enable --now nitro-enclaves-allocator\.service/],
    ['in/bootstrap.sh fetched', /aws s3 cp "\$P\/in\/bootstrap\.sh"/],
    ['in/job.json fetched', /aws s3 cp "\$P\/in\/job\.json"/],
    ['bootstrap.sh checked', /^echo "\$\{BootstrapSha256\}  bootstrap\.sh" \| sha256sum -c/],
    ['job.json checked', /^echo "\$\{JobSha256\}  job\.json" \| sha256sum -c/],
    ['the bootstrap started', /^exec bash \S*bootstrap\.sh "\$P" \$\{JobSha256\}$/],
  ];
  let prev = -1, prevName = 'the kill switches';
  for (const [what, re] of steps) {
    const i = at(re);
    check('user-data-order', i > prev, i < 0 ? `user data: no step "${what}"` : `user data: "${what}" comes before "${prevName}"`);
    if (i >= 0) { prev = i; prevName = what; }
  }
  check('allocator-config', /memory_mib: %d\\ncpu_count: %d\\n' \$\{EnclaveMemoryMiB\} \$\{EnclaveCpuCount\}/.test(userData),
    'allocator.yaml does not take memory_mib and cpu_count from EnclaveMemoryMiB and EnclaveCpuCount');
  check('failure-report', /FAILED\.json/.test(userData) && /boot\.log/.test(userData) && /poweroff/.test(userData),
    'the failure path does not upload FAILED.json and boot.log and power off');
  const ks = cmds.slice(0, 2).map((c) => c.l).join('\n');
  check('kill-switch-ttl', (ks.match(/\$\{MaxLifetimeMinutes\}/g) || []).length === 2, 'the two kill switches do not both use MaxLifetimeMinutes');
}

if (failed) process.exit(1);
console.log(`ok: ${checks} checks`);
