'use strict';
// EC2: the default VPC, instance types and offerings, instances launched by
// CloudFormation with their root volume and network interface, and the
// life of an instance (pending, running, shutting-down, terminated; stopping
// and stopped when it powers off with shutdown behaviour "stop").

const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { ApiError } = require('./protocol');

const AZS = ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'];
const AZ_IDS = { 'us-east-1a': 'use1-az6', 'us-east-1b': 'use1-az1', 'us-east-1c': 'use1-az2',
  'us-east-1d': 'use1-az4', 'us-east-1e': 'use1-az3', 'us-east-1f': 'use1-az5' };

// The fake AMIs the public SSM parameters resolve to.
const AMIS = {
  'ami-0a7d80731ae1b2435': { arch: 'x86_64', name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64' },
  'ami-0c5b5b6a0f4e9e2c1': { arch: 'arm64', name: 'al2023-ami-2023.6.20241212.0-kernel-6.1-arm64' },
};

// Instance types: vCPUs, memory per vCPU (GiB), architecture, enclave
// support, $/h of the .large size (on-demand Linux, us-east-1; prices scale
// linearly with size), and AZs that do not offer the family.
const FAMILIES = {
  r6i: { gib: 8, arch: 'x86_64', price: 0.126, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'], tpc: 2 },
  r7i: { gib: 8, arch: 'x86_64', price: 0.1323, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'], tpc: 2, notIn: ['us-east-1e'] },
  r6a: { gib: 8, arch: 'x86_64', price: 0.1134, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge', '48xlarge'], tpc: 2, notIn: ['us-east-1e'] },
  m6i: { gib: 4, arch: 'x86_64', price: 0.096, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'], tpc: 2 },
  c6i: { gib: 2, arch: 'x86_64', price: 0.085, sizes: ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '32xlarge'], tpc: 2 },
  r8g: { gib: 8, arch: 'arm64', price: 0.1178125, sizes: ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'], tpc: 1, notIn: ['us-east-1e', 'us-east-1f'] },
  r6g: { gib: 8, arch: 'arm64', price: 0.1008, sizes: ['medium', 'large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'], tpc: 1 },
  t3: { gib: 0, arch: 'x86_64', price: 0.0832, sizes: ['nano', 'micro', 'small', 'medium', 'large', 'xlarge', '2xlarge'], tpc: 2, noEnclaves: true },
};
const T3 = { nano: [2, 0.5], micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] };

function sizeVcpus(size) {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  return 4 * Number(size.replace('xlarge', ''));
}

function buildTypes() {
  const out = {};
  for (const [fam, f] of Object.entries(FAMILIES)) {
    for (const size of f.sizes) {
      const name = `${fam}.${size}`;
      let vcpus = sizeVcpus(size);
      let mem = vcpus * f.gib * 1024;
      let price = f.price * (vcpus / 2);
      if (fam === 't3') {
        [vcpus, mem] = [T3[size][0], T3[size][1] * 1024];
        price = 0.0104 * (T3[size][1]);
      }
      const enclaves = !f.noEnclaves && (f.arch === 'arm64' ? vcpus >= 2 : vcpus >= 4);
      out[name] = { name, family: fam, vcpus, memMiB: mem, arch: f.arch, enclaves, price: Math.round(price * 1e6) / 1e6,
        tpc: f.tpc, notIn: f.notIn || [] };
    }
  }
  return out;
}
const TYPES = buildTypes();

const STATE_CODES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

function wildcard(pattern) {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`);
}

// Generic EC2 filter: getters map a filter name to a function item -> [values].
function applyFilters(items, filters, getters) {
  for (const f of filters || []) {
    let get = getters[f.Name];
    if (!get && f.Name && f.Name.startsWith('tag:')) {
      const k = f.Name.slice(4);
      get = (x) => (x.Tags || x.TagSet || []).filter((t) => t.Key === k).map((t) => t.Value);
    }
    if (!get && f.Name === 'tag-key') get = (x) => (x.Tags || x.TagSet || []).map((t) => t.Key);
    if (!get) throw new ApiError('InvalidParameterValue', `The filter '${f.Name}' is invalid`);
    const pats = (f.Values || []).map(wildcard);
    items = items.filter((x) => get(x).some((v) => v !== undefined && v !== null && pats.some((p) => p.test(String(v)))));
  }
  return items;
}

function create(twin) {
  const { ACCOUNT, REGION, randHex } = require('./server');
  const s = () => twin.state;
  const iso = () => new Date(twin.now()).toISOString();
  const ec2Error = (code, msg) => {
    const e = new ApiError(code, msg);
    return e;
  };
  // How CloudFormation reports an EC2 error on AWS::EC2::Instance.
  const cfnEc2Error = (code, msg) => {
    const e = new Error(`${msg} (Service: AmazonEC2; Status Code: 400; Error Code: ${code}; Request ID: ${crypto.randomUUID()}; Proxy: null)`);
    e.aws = true;
    e.code = code;
    return e;
  };

  function bootstrap() {
    const st = s();
    if (st.vpcs) return;
    const vpcId = 'vpc-' + randHex(17);
    st.vpcs = [{
      VpcId: vpcId, CidrBlock: '172.31.0.0/16', State: 'available', IsDefault: true, OwnerId: ACCOUNT,
      DhcpOptionsId: 'dopt-' + randHex(17), InstanceTenancy: 'default',
      CidrBlockAssociationSet: [{ AssociationId: 'vpc-cidr-assoc-' + randHex(17), CidrBlock: '172.31.0.0/16', CidrBlockState: { State: 'associated' } }],
    }];
    st.subnets = AZS.map((az, i) => ({
      SubnetId: 'subnet-' + randHex(17), VpcId: vpcId, AvailabilityZone: az, AvailabilityZoneId: AZ_IDS[az],
      CidrBlock: `172.31.${i * 16}.0/20`, AvailableIpAddressCount: 4091, DefaultForAz: true,
      MapPublicIpOnLaunch: true, State: 'available', OwnerId: ACCOUNT, AssignIpv6AddressOnCreation: false,
      SubnetArn: '', third: i * 16,
    }));
    for (const sn of st.subnets) sn.SubnetArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${sn.SubnetId}`;
    st.security_groups.push({
      GroupId: 'sg-' + randHex(17), GroupName: 'default', Description: 'default VPC security group',
      VpcId: vpcId, OwnerId: ACCOUNT, Tags: [], default: true,
    });
    twin.touch();
  }

  function instance(id) { return s().instances.find((i) => i.InstanceId === id) || null; }

  function visible(i) {
    if (i.State.Name !== 'terminated' || !i.terminatedAt) return true;
    return twin.now() - i.terminatedAt < twin.config.terminatedVisibleS * 1000;
  }

  function exists(type, v) {
    if (type === 'AWS::EC2::VPC::Id') return s().vpcs.some((x) => x.VpcId === v);
    if (type === 'AWS::EC2::Subnet::Id') return s().subnets.some((x) => x.SubnetId === v);
    if (type === 'AWS::EC2::SecurityGroup::Id') return s().security_groups.some((x) => x.GroupId === v);
    if (type === 'AWS::EC2::Image::Id') return v in AMIS;
    return true;
  }

  function createSecurityGroup(g) {
    if (!s().vpcs.some((v) => v.VpcId === g.VpcId)) {
      throw cfnEc2Error('InvalidVpcID.NotFound', `The vpc ID '${g.VpcId}' does not exist`);
    }
    const sg = {
      GroupId: 'sg-' + randHex(17), GroupName: g.GroupName, Description: g.Description, VpcId: g.VpcId,
      OwnerId: ACCOUNT, Tags: g.Tags || [], egress: g.Egress || null, ingress: g.Ingress || [],
    };
    s().security_groups.push(sg);
    return sg;
  }

  function deleteSecurityGroup(id) {
    const users = s().network_interfaces.filter((n) => n.Groups.some((g) => g.GroupId === id));
    if (users.length) {
      throw cfnEc2Error('DependencyViolation', `resource ${id} has a dependent object`);
    }
    s().security_groups = s().security_groups.filter((g) => g.GroupId !== id);
  }

  function vcpusInUse() {
    return s().instances.filter((i) => ['pending', 'running', 'stopping', 'shutting-down'].includes(i.State.Name))
      .reduce((n, i) => n + (TYPES[i.InstanceType] ? TYPES[i.InstanceType].vcpus : 0), 0);
  }

  function bool(v) { return v === true || v === 'true'; }

  // Launch one instance from AWS::EC2::Instance properties (merged with its
  // launch template).  Throws errors worded as CloudFormation shows them.
  function launch(p, opts) {
    let lt = null;
    if (p.LaunchTemplate) {
      const want = p.LaunchTemplate;
      lt = s().launch_templates.find((x) => x.LaunchTemplateId === want.LaunchTemplateId ||
        x.LaunchTemplateName === want.LaunchTemplateName);
      if (!lt) throw cfnEc2Error('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${want.LaunchTemplateId}, does not exist.`);
      const v = String(want.Version || '$Default');
      if (!['1', '$Latest', '$Default'].includes(v)) {
        throw cfnEc2Error('InvalidLaunchTemplateId.VersionNotFound', `The specified launch template version ${v} does not exist.`);
      }
    }
    const d = lt ? lt.data : {};
    const typeName = p.InstanceType || d.InstanceType || 'm1.small';
    const ty = TYPES[typeName];
    if (!ty) throw cfnEc2Error('InvalidParameterValue', `Invalid value '${typeName}' for InstanceType.`);
    const imageId = p.ImageId || d.ImageId;
    const ami = AMIS[imageId];
    if (!ami) throw cfnEc2Error('InvalidAMIID.NotFound', `The image id '[${imageId}]' does not exist`);
    if (ami.arch !== ty.arch) {
      throw cfnEc2Error('InvalidParameterValue', `The architecture '${ty.arch}' of the specified instance type does not match the architecture '${ami.arch}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again.`);
    }
    const enclave = bool((p.EnclaveOptions || d.EnclaveOptions || {}).Enabled);
    if (enclave && !ty.enclaves) {
      throw cfnEc2Error('UnsupportedOperation', `Nitro Enclaves is not supported for the instance type ${typeName}.`);
    }
    const subnetId = p.SubnetId || s().subnets[0].SubnetId;
    const subnet = s().subnets.find((x) => x.SubnetId === subnetId);
    if (!subnet) throw cfnEc2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
    if (ty.notIn.includes(subnet.AvailabilityZone)) {
      throw cfnEc2Error('Unsupported', `Your requested instance type (${typeName}) is not supported in your requested Availability Zone (${subnet.AvailabilityZone}). Please retry your request by not specifying an Availability Zone or choosing ${AZS.filter((a) => !ty.notIn.includes(a)).join(', ')}.`);
    }
    const sgIds = p.SecurityGroupIds || d.SecurityGroupIds ||
      [s().security_groups.find((g) => g.default && g.VpcId === subnet.VpcId).GroupId];
    const groups = sgIds.map((id) => {
      const g = s().security_groups.find((x) => x.GroupId === id);
      if (!g) throw cfnEc2Error('InvalidGroup.NotFound', `The security group '${id}' does not exist in VPC '${subnet.VpcId}'`);
      return { GroupId: g.GroupId, GroupName: g.GroupName };
    });
    let profile = null;
    const pn = p.IamInstanceProfile || (d.IamInstanceProfile && (d.IamInstanceProfile.Name || d.IamInstanceProfile.Arn));
    if (pn) {
      profile = s().instance_profiles.find((x) => x.InstanceProfileName === pn || x.Arn === pn);
      if (!profile) throw cfnEc2Error('InvalidParameterValue', `Value (${pn}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
    }
    if (opts.fault || vcpusInUse() + ty.vcpus > twin.config.quotaVcpus) {
      throw cfnEc2Error('VcpuLimitExceeded', `You have requested more vCPU capacity than your current vCPU limit of ${twin.config.quotaVcpus} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`);
    }

    const id = 'i-' + randHex(17);
    const now = iso();
    const tagSpec = (kind) => (d.TagSpecifications || []).filter((t) => t.ResourceType === kind)
      .flatMap((t) => t.Tags || []);
    const merge = (...lists) => {
      const m = new Map();
      for (const l of lists) for (const t of l || []) m.set(t.Key, String(t.Value));
      return [...m].map(([Key, Value]) => ({ Key, Value }));
    };
    // Root volume: the AMI's /dev/xvda (8 GiB gp3) overlaid by the mappings.
    const bdms = (p.BlockDeviceMappings || d.BlockDeviceMappings || []);
    const root = bdms.find((b) => b.DeviceName === '/dev/xvda') || {};
    const ebs = root.Ebs || {};
    const vol = {
      VolumeId: 'vol-' + randHex(17), Size: Number(ebs.VolumeSize || 8), VolumeType: ebs.VolumeType || 'gp3',
      Iops: Number(ebs.Iops || 3000), Throughput: Number(ebs.Throughput || 125), Encrypted: bool(ebs.Encrypted),
      AvailabilityZone: subnet.AvailabilityZone, State: 'in-use', CreateTime: now, MultiAttachEnabled: false,
      SnapshotId: 'snap-' + randHex(17),
      Attachments: [{ VolumeId: '', InstanceId: id, Device: '/dev/xvda', State: 'attached', AttachTime: now,
        DeleteOnTermination: ebs.DeleteOnTermination === undefined ? true : bool(ebs.DeleteOnTermination) }],
      Tags: tagSpec('volume'),
    };
    if (vol.Encrypted) vol.KmsKeyId = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${crypto.randomUUID()}`;
    vol.Attachments[0].VolumeId = vol.VolumeId;
    const priv = `172.31.${subnet.third + (crypto.randomBytes(1)[0] % 16)}.${1 + (crypto.randomBytes(1)[0] % 250)}`;
    const pub = subnet.MapPublicIpOnLaunch ? `3.${crypto.randomBytes(1)[0]}.${crypto.randomBytes(1)[0]}.${1 + (crypto.randomBytes(1)[0] % 250)}` : undefined;
    const eni = {
      NetworkInterfaceId: 'eni-' + randHex(17), SubnetId: subnet.SubnetId, VpcId: subnet.VpcId,
      AvailabilityZone: subnet.AvailabilityZone, Description: '', Groups: groups, InterfaceType: 'interface',
      MacAddress: '0e:' + randHex(10).match(/../g).join(':'), OwnerId: ACCOUNT, PrivateIpAddress: priv,
      PrivateDnsName: `ip-${priv.replace(/\./g, '-')}.ec2.internal`, RequesterManaged: false, SourceDestCheck: true,
      Status: 'in-use',
      Attachment: { AttachmentId: 'eni-attach-' + randHex(17), AttachTime: now, DeleteOnTermination: true,
        DeviceIndex: 0, NetworkCardIndex: 0, InstanceId: id, InstanceOwnerId: ACCOUNT, Status: 'attached' },
      TagSet: tagSpec('network-interface'),
    };
    if (pub) eni.Association = { IpOwnerId: 'amazon', PublicIp: pub, PublicDnsName: `ec2-${pub.replace(/\./g, '-')}.compute-1.amazonaws.com` };
    let userData = p.UserData || d.UserData || '';
    const inst = {
      InstanceId: id, ReservationId: 'r-' + randHex(17), ImageId: imageId, InstanceType: typeName,
      State: { Code: 0, Name: 'pending' }, LaunchTime: now, AmiLaunchIndex: 0,
      Placement: { AvailabilityZone: subnet.AvailabilityZone, GroupName: '', Tenancy: 'default' },
      Monitoring: { State: bool(p.Monitoring) ? 'enabled' : 'disabled' },
      PrivateDnsName: eni.PrivateDnsName, PrivateIpAddress: priv,
      PublicDnsName: pub ? eni.Association.PublicDnsName : '', PublicIpAddress: pub,
      StateTransitionReason: '', SubnetId: subnet.SubnetId, VpcId: subnet.VpcId, Architecture: ty.arch,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: vol.VolumeId, Status: 'attached', AttachTime: now, DeleteOnTermination: vol.Attachments[0].DeleteOnTermination } }],
      ClientToken: crypto.randomUUID(), EbsOptimized: true, EnaSupport: true, Hypervisor: 'xen',
      IamInstanceProfile: profile ? { Arn: profile.Arn, Id: profile.InstanceProfileId } : undefined,
      NetworkInterfaces: [], RootDeviceName: '/dev/xvda', RootDeviceType: 'ebs', SecurityGroups: groups,
      SourceDestCheck: true, VirtualizationType: 'hvm',
      CpuOptions: { CoreCount: ty.vcpus / ty.tpc, ThreadsPerCore: ty.tpc },
      HibernationOptions: { Configured: false },
      MetadataOptions: Object.assign({ State: 'applied', HttpTokens: 'optional', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled', HttpProtocolIpv6: 'disabled', InstanceMetadataTags: 'disabled' },
        d.MetadataOptions || {}, p.MetadataOptions || {}),
      EnclaveOptions: { Enabled: enclave },
      BootMode: 'uefi-preferred', PlatformDetails: 'Linux/UNIX', UsageOperation: 'RunInstances',
      UsageOperationUpdateTime: now,
      Tags: merge(tagSpec('instance'), p.Tags, opts.tags),
      shutdownBehavior: p.InstanceInitiatedShutdownBehavior || d.InstanceInitiatedShutdownBehavior || 'stop',
      disableApiTermination: bool(p.DisableApiTermination !== undefined ? p.DisableApiTermination : d.DisableApiTermination),
      userData,
      due: twin.now() + twin.config.bootMs,
      roleName: profile && profile.Roles[0],
    };
    inst.MetadataOptions.HttpPutResponseHopLimit = Number(inst.MetadataOptions.HttpPutResponseHopLimit);
    s().instances.push(inst);
    s().volumes.push(vol);
    s().network_interfaces.push(eni);
    twin.touch();
    twin.log(`launch ${id} ${typeName} in ${subnet.AvailabilityZone}`);
    return inst;
  }

  function instanceDir(id) { return path.join(twin.dir, 'instances', id); }

  function startSandbox(inst) {
    if (!twin.config.startInstances || !twin.instanceMod) return;
    let userData = '';
    try {
      userData = Buffer.from(inst.userData || '', 'base64').toString('utf8');
    } catch (e) {
      userData = '';
    }
    const env = { AWS_DEFAULT_REGION: REGION, AWS_REGION: REGION };
    if (inst.roleName) {
      const role = s().iam_roles.find((r) => r.RoleName === inst.roleName);
      const c = twin.roleCredentials(inst.InstanceId, inst.roleName, role ? role.RoleId : 'AROA0000000000000000');
      Object.assign(env, { AWS_ACCESS_KEY_ID: c.akid, AWS_SECRET_ACCESS_KEY: c.secret, AWS_SESSION_TOKEN: c.token });
      inst.roleAkid = c.akid;
    }
    const dir = instanceDir(inst.InstanceId);
    fs.mkdirSync(dir, { recursive: true });
    const id = inst.InstanceId;
    try {
      const h = twin.instanceMod.startInstance({
        id, userData, dir, env, twinUrl: twin.url, faults: twin.faults, log: twin.log,
        onPoweroff: () => { powerOff(id); twin.save(); },
        onExit: (code) => { sandboxExited(id, code); twin.save(); },
      });
      twin.handles[id] = h;
      inst.twinPid = h.pid;
    } catch (e) {
      twin.log(`instance ${id}: sandbox did not start: ${e.stack}`);
      inst.sandboxError = e.message;
    }
  }

  function stopSandbox(id) {
    const h = twin.handles[id];
    if (!h) return;
    delete twin.handles[id];
    try { h.kill(); } catch (e) { twin.log(`kill ${id}: ${e.message}`); }
  }

  function gmt() {
    return new Date(twin.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
  }

  function beginTerminate(inst, reasonCode, reasonMsg) {
    inst.State = { Code: STATE_CODES['shutting-down'], Name: 'shutting-down' };
    inst.StateTransitionReason = `User initiated (${gmt()})`;
    inst.StateReason = { Code: reasonCode, Message: `${reasonCode}: ${reasonMsg}` };
    inst.due = twin.now() + twin.config.terminateMs;
    stopSandbox(inst.InstanceId);
    twin.touch();
  }

  // The instance powered itself off (its sandbox says so).
  function powerOff(id) {
    const inst = instance(id);
    if (!inst || !['pending', 'running'].includes(inst.State.Name)) return false;
    if (inst.shutdownBehavior === 'terminate') {
      beginTerminate(inst, 'Client.InstanceInitiatedShutdown', 'Instance initiated shutdown');
    } else {
      inst.State = { Code: STATE_CODES.stopping, Name: 'stopping' };
      inst.StateTransitionReason = `User initiated (${gmt()})`;
      inst.StateReason = { Code: 'Client.InstanceInitiatedShutdown', Message: 'Client.InstanceInitiatedShutdown: Instance initiated shutdown' };
      inst.due = twin.now() + twin.config.terminateMs;
      stopSandbox(id);
    }
    twin.log(`instance ${id} powered off (${inst.shutdownBehavior})`);
    twin.touch();
    return true;
  }

  // The user data process ended without powering off: the machine stays up.
  function sandboxExited(id, code) {
    const inst = instance(id);
    if (inst) inst.sandboxExit = code === undefined ? null : code;
    delete twin.handles[id];
    twin.log(`instance ${id}: user data exited (${code})`);
    twin.touch();
  }

  function terminate(ids, by) {
    return ids.map((id) => {
      const inst = instance(id);
      if (!inst || !visible(inst)) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      const prev = Object.assign({}, inst.State);
      if (['pending', 'running', 'stopping', 'stopped'].includes(inst.State.Name)) {
        if (inst.disableApiTermination) {
          throw ec2Error('OperationNotPermitted', `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
        }
        beginTerminate(inst, 'Client.UserInitiatedShutdown', 'User initiated shutdown');
        twin.log(`terminate ${id} by ${by}`);
      }
      return { InstanceId: id, PreviousState: prev, CurrentState: Object.assign({}, inst.State) };
    });
  }

  function finishShutdown(inst) {
    const st = s();
    const terminated = inst.State.Name === 'shutting-down';
    inst.State = terminated ? { Code: 48, Name: 'terminated' } : { Code: 80, Name: 'stopped' };
    if (!terminated) return;
    inst.terminatedAt = twin.now();
    // Volumes: DeleteOnTermination ones go, the others are detached.
    st.volumes = st.volumes.filter((v) => {
      const a = v.Attachments.find((x) => x.InstanceId === inst.InstanceId);
      if (!a) return true;
      if (a.DeleteOnTermination) return false;
      v.Attachments = [];
      v.State = 'available';
      return true;
    });
    st.network_interfaces = st.network_interfaces.filter((n) => {
      if (!n.Attachment || n.Attachment.InstanceId !== inst.InstanceId) return true;
      if (n.Attachment.DeleteOnTermination) return false;
      delete n.Attachment;
      n.Status = 'available';
      return true;
    });
    inst.BlockDeviceMappings = [];
    inst.NetworkInterfaces = [];
    delete inst.PublicIpAddress;
    inst.PublicDnsName = '';
    if (inst.roleAkid && st.roleCreds[inst.roleAkid]) st.roleCreds[inst.roleAkid].dead = true;
    twin.log(`instance ${inst.InstanceId} terminated`);
  }

  // A kill-switch timer armed inside the instance (shutdown -h +N,
  // systemd-run --on-active): powers it off on the twin's clock.
  function addTimer(id, secs, what) {
    const inst = instance(id);
    if (!inst || !['pending', 'running'].includes(inst.State.Name)) return false;
    inst.timers = inst.timers || [];
    inst.timers.push({ at: twin.now() + secs * 1000, what });
    twin.log(`instance ${id}: timer in ${secs} s (${what})`);
    twin.touch();
    return true;
  }

  function tick() {
    const now = twin.now();
    for (const inst of s().instances) {
      if (inst.timers && inst.State.Name === 'running' && inst.timers.some((t) => now >= t.at)) {
        const t = inst.timers.find((x) => now >= x.at);
        twin.log(`instance ${inst.InstanceId}: timer fired (${t.what})`);
        inst.timers = [];
        powerOff(inst.InstanceId);
      }
      if (inst.due === undefined || now < inst.due) continue;
      if (inst.State.Name === 'pending') {
        inst.State = { Code: 16, Name: 'running' };
        delete inst.due;
        twin.touch();
        startSandbox(inst);
      } else if (inst.State.Name === 'shutting-down' || inst.State.Name === 'stopping') {
        delete inst.due;
        finishShutdown(inst);
        twin.touch();
      }
    }
  }

  // ---- API -------------------------------------------------------------------

  function byIds(list, ids, key, code, what) {
    if (!ids || ids.length === 0) return list;
    for (const id of ids) {
      if (!list.some((x) => x[key] === id)) throw ec2Error(code, `The ${what} ID '${id}' does not exist`);
    }
    return list.filter((x) => ids.includes(x[key]));
  }

  function checkIdFormat(ids, prefix, code) {
    for (const id of ids || []) {
      if (!new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) throw ec2Error(code, `Invalid id: "${id}"`);
    }
  }

  function instanceView(i) {
    const v = Object.assign({}, i);
    for (const k of ['shutdownBehavior', 'disableApiTermination', 'userData', 'due', 'roleName', 'roleAkid',
      'terminatedAt', 'twinPid', 'sandboxExit', 'sandboxError', 'ReservationId', 'timers']) delete v[k];
    const eni = s().network_interfaces.find((n) => n.Attachment && n.Attachment.InstanceId === i.InstanceId);
    if (eni) {
      v.NetworkInterfaces = [{
        Attachment: { AttachTime: eni.Attachment.AttachTime, AttachmentId: eni.Attachment.AttachmentId,
          DeleteOnTermination: eni.Attachment.DeleteOnTermination, DeviceIndex: 0, Status: 'attached', NetworkCardIndex: 0 },
        Description: '', Groups: eni.Groups, MacAddress: eni.MacAddress, NetworkInterfaceId: eni.NetworkInterfaceId,
        OwnerId: ACCOUNT, PrivateDnsName: eni.PrivateDnsName, PrivateIpAddress: eni.PrivateIpAddress,
        SourceDestCheck: true, Status: 'in-use', SubnetId: eni.SubnetId, VpcId: eni.VpcId, InterfaceType: 'interface',
        Association: eni.Association,
      }];
    }
    return v;
  }

  const INSTANCE_FILTERS = {
    'instance-id': (i) => [i.InstanceId],
    'instance-state-name': (i) => [i.State.Name],
    'instance-state-code': (i) => [i.State.Code],
    'instance-type': (i) => [i.InstanceType],
    'vpc-id': (i) => [i.VpcId],
    'subnet-id': (i) => [i.SubnetId],
    'availability-zone': (i) => [i.Placement.AvailabilityZone],
    'image-id': (i) => [i.ImageId],
    'reservation-id': (i) => [i.ReservationId],
  };

  const ops = {
    DescribeInstances(input) {
      checkIdFormat(input.InstanceIds, 'i', 'InvalidInstanceID.Malformed');
      let list = s().instances.filter(visible);
      list = byIds(list, input.InstanceIds, 'InstanceId', 'InvalidInstanceID.NotFound', 'instance');
      list = applyFilters(list, input.Filters, INSTANCE_FILTERS);
      return {
        Reservations: list.map((i) => ({
          ReservationId: i.ReservationId, OwnerId: ACCOUNT,
          RequesterId: '043234062703', Groups: [], Instances: [instanceView(i)],
        })),
      };
    },
    TerminateInstances(input) {
      checkIdFormat(input.InstanceIds, 'i', 'InvalidInstanceID.Malformed');
      return { TerminatingInstances: terminate(input.InstanceIds || [], 'api') };
    },
    DescribeVolumes(input) {
      checkIdFormat(input.VolumeIds, 'vol', 'InvalidVolumeID.Malformed');
      let list = byIds(s().volumes, input.VolumeIds, 'VolumeId', 'InvalidVolume.NotFound', 'volume');
      list = applyFilters(list, input.Filters, {
        'volume-id': (v) => [v.VolumeId], status: (v) => [v.State],
        'attachment.instance-id': (v) => v.Attachments.map((a) => a.InstanceId),
        'attachment.delete-on-termination': (v) => v.Attachments.map((a) => String(a.DeleteOnTermination)),
        'availability-zone': (v) => [v.AvailabilityZone], 'volume-type': (v) => [v.VolumeType],
      });
      return { Volumes: list };
    },
    DeleteVolume(input) {
      const v = s().volumes.find((x) => x.VolumeId === input.VolumeId);
      if (!v) throw ec2Error('InvalidVolume.NotFound', `The volume '${input.VolumeId}' does not exist.`);
      if (v.Attachments.length) throw ec2Error('VolumeInUse', `Volume ${v.VolumeId} is currently attached to ${v.Attachments[0].InstanceId}`);
      s().volumes = s().volumes.filter((x) => x !== v);
      twin.touch();
      return {};
    },
    DescribeSnapshots(input) {
      let list = byIds(s().snapshots, input.SnapshotIds, 'SnapshotId', 'InvalidSnapshot.NotFound', 'snapshot');
      if (input.OwnerIds && input.OwnerIds.length) {
        list = list.filter((x) => input.OwnerIds.some((o) => (o === 'self' ? ACCOUNT : o) === x.OwnerId));
      }
      list = applyFilters(list, input.Filters, {
        'snapshot-id': (x) => [x.SnapshotId], 'owner-id': (x) => [x.OwnerId], 'volume-id': (x) => [x.VolumeId],
        status: (x) => [x.State],
      });
      return { Snapshots: list };
    },
    DeleteSnapshot(input) {
      const x = s().snapshots.find((y) => y.SnapshotId === input.SnapshotId);
      if (!x) throw ec2Error('InvalidSnapshot.NotFound', `The snapshot '${input.SnapshotId}' does not exist.`);
      s().snapshots = s().snapshots.filter((y) => y !== x);
      twin.touch();
      return {};
    },
    DescribeNetworkInterfaces(input) {
      let list = byIds(s().network_interfaces, input.NetworkInterfaceIds, 'NetworkInterfaceId',
        'InvalidNetworkInterfaceID.NotFound', 'network interface');
      list = applyFilters(list, input.Filters, {
        'network-interface-id': (n) => [n.NetworkInterfaceId], 'group-id': (n) => n.Groups.map((g) => g.GroupId),
        status: (n) => [n.Status], 'vpc-id': (n) => [n.VpcId], 'subnet-id': (n) => [n.SubnetId],
        'attachment.instance-id': (n) => [n.Attachment && n.Attachment.InstanceId],
      });
      return { NetworkInterfaces: list };
    },
    DeleteNetworkInterface(input) {
      const n = s().network_interfaces.find((x) => x.NetworkInterfaceId === input.NetworkInterfaceId);
      if (!n) throw ec2Error('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${input.NetworkInterfaceId}' does not exist`);
      if (n.Attachment) throw ec2Error('InvalidParameterValue', `Network interface '${n.NetworkInterfaceId}' is currently in use.`);
      s().network_interfaces = s().network_interfaces.filter((x) => x !== n);
      twin.touch();
      return {};
    },
    DescribeAddresses(input) {
      let list = s().addresses;
      if (input.AllocationIds && input.AllocationIds.length) {
        for (const id of input.AllocationIds) {
          if (!list.some((a) => a.AllocationId === id)) throw ec2Error('InvalidAllocationID.NotFound', `The allocation IDs '${id}' do not exist`);
        }
        list = list.filter((a) => input.AllocationIds.includes(a.AllocationId));
      }
      list = applyFilters(list, input.Filters, {
        'allocation-id': (a) => [a.AllocationId], 'public-ip': (a) => [a.PublicIp], domain: (a) => [a.Domain],
        'instance-id': (a) => [a.InstanceId],
      });
      return { Addresses: list };
    },
    ReleaseAddress(input) {
      const a = s().addresses.find((x) => x.AllocationId === input.AllocationId || (input.PublicIp && x.PublicIp === input.PublicIp));
      if (!a) throw ec2Error('InvalidAllocationID.NotFound', `The allocation ID '${input.AllocationId}' does not exist`);
      if (a.AssociationId) throw ec2Error('InvalidIPAddress.InUse', `Address ${a.PublicIp} is in use.`);
      s().addresses = s().addresses.filter((x) => x !== a);
      twin.touch();
      return {};
    },
    DescribeInstanceTypes(input) {
      let list = Object.values(TYPES);
      if (input.InstanceTypes && input.InstanceTypes.length) {
        for (const t of input.InstanceTypes) {
          if (!TYPES[t]) throw ec2Error('InvalidInstanceType', `The following supplied instance types do not exist: [${t}]`);
        }
        list = list.filter((t) => input.InstanceTypes.includes(t.name));
      }
      list = applyFilters(list, input.Filters, {
        'instance-type': (t) => [t.name],
        'nitro-enclaves-support': (t) => [t.enclaves ? 'supported' : 'unsupported'],
        'processor-info.supported-architecture': (t) => [t.arch],
        'current-generation': () => ['true'],
        'vcpu-info.default-vcpus': (t) => [t.vcpus],
        'memory-info.size-in-mib': (t) => [t.memMiB],
      });
      return {
        InstanceTypes: list.map((t) => ({
          InstanceType: t.name, CurrentGeneration: true, FreeTierEligible: false,
          SupportedUsageClasses: ['on-demand', 'spot'], SupportedRootDeviceTypes: ['ebs'],
          SupportedVirtualizationTypes: ['hvm'], BareMetal: false, Hypervisor: 'nitro',
          ProcessorInfo: { SupportedArchitectures: [t.arch] },
          VCpuInfo: { DefaultVCpus: t.vcpus, DefaultCores: Math.max(1, t.vcpus / t.tpc), DefaultThreadsPerCore: t.tpc },
          MemoryInfo: { SizeInMiB: t.memMiB },
          InstanceStorageSupported: false,
          EbsInfo: { EbsOptimizedSupport: 'default', EncryptionSupport: 'supported', NvmeSupport: 'required' },
          NetworkInfo: { NetworkPerformance: 'Up to 12.5 Gigabit', MaximumNetworkInterfaces: 8, Ipv4AddressesPerInterface: 30, Ipv6Supported: true, EnaSupport: 'required' },
          PlacementGroupInfo: { SupportedStrategies: ['cluster', 'partition', 'spread'] },
          HibernationSupported: false, BurstablePerformanceSupported: t.family === 't3',
          DedicatedHostsSupported: true, AutoRecoverySupported: true,
          SupportedBootModes: ['legacy-bios', 'uefi'],
          $extra: { nitroEnclavesSupport: t.enclaves ? 'supported' : 'unsupported', nitroTpmSupport: 'supported' },
        })),
      };
    },
    DescribeInstanceTypeOfferings(input) {
      const lt = input.LocationType || 'region';
      const rows = [];
      for (const t of Object.values(TYPES)) {
        if (lt === 'region') rows.push({ InstanceType: t.name, LocationType: 'region', Location: REGION });
        else {
          for (const az of AZS) {
            if (t.notIn.includes(az)) continue;
            rows.push({ InstanceType: t.name, LocationType: lt, Location: lt === 'availability-zone-id' ? AZ_IDS[az] : az });
          }
        }
      }
      return {
        InstanceTypeOfferings: applyFilters(rows, input.Filters, {
          'instance-type': (r) => [r.InstanceType], location: (r) => [r.Location],
        }),
      };
    },
    DescribeVpcs(input) {
      let list = byIds(s().vpcs, input.VpcIds, 'VpcId', 'InvalidVpcID.NotFound', 'vpc');
      list = applyFilters(list, input.Filters, {
        'is-default': (v) => [String(v.IsDefault)], 'vpc-id': (v) => [v.VpcId], state: (v) => [v.State],
        'cidr-block': (v) => [v.CidrBlock],
      });
      return { Vpcs: list };
    },
    DescribeSubnets(input) {
      let list = byIds(s().subnets, input.SubnetIds, 'SubnetId', 'InvalidSubnetID.NotFound', 'subnet');
      list = applyFilters(list, input.Filters, {
        'vpc-id': (x) => [x.VpcId], 'availability-zone': (x) => [x.AvailabilityZone],
        'availability-zone-id': (x) => [x.AvailabilityZoneId], 'default-for-az': (x) => [String(x.DefaultForAz)],
        'subnet-id': (x) => [x.SubnetId], state: (x) => [x.State],
        'map-public-ip-on-launch': (x) => [String(x.MapPublicIpOnLaunch)],
      });
      return { Subnets: list.map((x) => { const v = Object.assign({}, x); delete v.third; return v; }) };
    },
    DescribeAvailabilityZones(input) {
      let list = AZS.map((az) => ({
        ZoneName: az, ZoneId: AZ_IDS[az], State: 'available', RegionName: REGION, Messages: [],
        OptInStatus: 'opt-in-not-required', GroupName: REGION, NetworkBorderGroup: REGION, ZoneType: 'availability-zone',
      }));
      if (input.ZoneNames && input.ZoneNames.length) list = list.filter((z) => input.ZoneNames.includes(z.ZoneName));
      list = applyFilters(list, input.Filters, {
        'zone-name': (z) => [z.ZoneName], 'zone-id': (z) => [z.ZoneId], state: (z) => [z.State],
        'region-name': (z) => [z.RegionName],
      });
      return { AvailabilityZones: list };
    },
    DescribeSecurityGroups(input) {
      let list = byIds(s().security_groups, input.GroupIds, 'GroupId', 'InvalidGroup.NotFound', 'security group');
      list = applyFilters(list, input.Filters, { 'group-id': (g) => [g.GroupId], 'vpc-id': (g) => [g.VpcId],
        'group-name': (g) => [g.GroupName] });
      return {
        SecurityGroups: list.map((g) => ({ GroupId: g.GroupId, GroupName: g.GroupName, Description: g.Description,
          VpcId: g.VpcId, OwnerId: g.OwnerId, Tags: g.Tags })),
      };
    },
    GetConsoleOutput(input) {
      const inst = instance(input.InstanceId);
      if (!inst || !visible(inst)) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${input.InstanceId}' does not exist`);
      let out = Buffer.alloc(0);
      const dir = instanceDir(inst.InstanceId);
      for (const f of ['console.log', 'console']) {
        const p = path.join(dir, f);
        if (fs.existsSync(p)) { out = fs.readFileSync(p); break; }
      }
      if (out.length > 65536) out = out.subarray(out.length - 65536);
      return { InstanceId: inst.InstanceId, Timestamp: iso(), Output: out.length ? out.toString('base64') : undefined };
    },
  };

  // A resource left behind outside any stack (`twin leak`), for the tests of
  // the tool's tag sweep.
  function leak(kind, tags) {
    const st = s();
    const sub = st.subnets[0];
    const now = iso();
    if (kind === 'volume') {
      const v = { VolumeId: 'vol-' + randHex(17), Size: 8, VolumeType: 'gp3', Iops: 3000, Throughput: 125,
        Encrypted: true, AvailabilityZone: sub.AvailabilityZone, State: 'available', CreateTime: now,
        MultiAttachEnabled: false, Attachments: [], Tags: tags };
      st.volumes.push(v);
      return v.VolumeId;
    }
    if (kind === 'network-interface') {
      const n = { NetworkInterfaceId: 'eni-' + randHex(17), SubnetId: sub.SubnetId, VpcId: sub.VpcId,
        AvailabilityZone: sub.AvailabilityZone, Description: 'leaked by the twin',
        Groups: [{ GroupId: st.security_groups[0].GroupId, GroupName: st.security_groups[0].GroupName }],
        InterfaceType: 'interface', OwnerId: ACCOUNT, PrivateIpAddress: '172.31.0.250', Status: 'available',
        RequesterManaged: false, SourceDestCheck: true, TagSet: tags };
      st.network_interfaces.push(n);
      return n.NetworkInterfaceId;
    }
    if (kind === 'address') {
      const a = { AllocationId: 'eipalloc-' + randHex(17), PublicIp: `54.${crypto.randomBytes(1)[0]}.0.1`,
        Domain: 'vpc', NetworkBorderGroup: REGION, PublicIpv4Pool: 'amazon', Tags: tags };
      st.addresses.push(a);
      return a.AllocationId;
    }
    if (kind === 'snapshot') {
      const x = { SnapshotId: 'snap-' + randHex(17), VolumeId: 'vol-' + randHex(17), VolumeSize: 8,
        State: 'completed', StartTime: now, Progress: '100%', OwnerId: ACCOUNT, Encrypted: true,
        Description: 'leaked by the twin', StorageTier: 'standard', Tags: tags };
      st.snapshots.push(x);
      return x.SnapshotId;
    }
    if (kind === 'instance') {
      const inst = launch({ ImageId: Object.keys(AMIS)[0], InstanceType: 'm6i.large', SubnetId: sub.SubnetId,
        InstanceInitiatedShutdownBehavior: 'terminate', Tags: tags }, { tags: [] });
      return inst.InstanceId;
    }
    throw new Error(`leak: unknown kind ${kind} (volume, network-interface, address, snapshot, instance)`);
  }

  return {
    leak,
    call(service, op, input) {
      const f = ops[op];
      if (!f) throw new ApiError('InvalidAction', `The action ${op} is not valid for this web service.`);
      return f(input);
    },
    tick, bootstrap, launch, terminate, instance, powerOff, sandboxExited, exists, addTimer,
    createSecurityGroup, deleteSecurityGroup, stopSandbox,
    azNames: () => AZS.slice(),
    types: TYPES,
  };
}

module.exports = { create, TYPES, AMIS, AZS };
