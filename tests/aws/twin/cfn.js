'use strict';
// CloudFormation: stacks, their resources and events, created and deleted a
// step at a time on the twin's clock (TWIN_STEP_MS per resource step).

const crypto = require('crypto');
const T = require('./template');
const { ApiError } = require('./protocol');

const SSM_PUBLIC = {
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64': 'ami-0a7d80731ae1b2435',
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64': 'ami-0c5b5b6a0f4e9e2c1',
};

function create(twin) {
  const { ACCOUNT, REGION, randUpper } = require('./server');
  const s = () => twin.state;
  const iso = () => new Date(twin.now()).toISOString();

  function genName(stack, logical, max) {
    const suffix = randUpper(12);
    let base = `${stack.StackName}-${logical}`;
    if (base.length + 13 > max) base = base.slice(0, max - 13);
    return `${base}-${suffix}`;
  }

  function findStack(nameOrId, includeDeleted) {
    if (!nameOrId) return null;
    if (nameOrId.startsWith('arn:')) return s().stacks.find((x) => x.StackId === nameOrId) || null;
    return s().stacks.find((x) => x.StackName === nameOrId && x.StackStatus !== 'DELETE_COMPLETE') ||
      (includeDeleted ? null : null);
  }

  function mustStack(nameOrId) {
    const st = findStack(nameOrId);
    if (!st) throw new ApiError('ValidationError', `Stack with id ${nameOrId} does not exist`);
    return st;
  }

  function event(st, r, status, reason) {
    // Strictly increasing timestamps: EventIds stay unique and "newest
    // first" is well defined even for events of the same millisecond.
    let ms = twin.now();
    const last = st.events.length ? Date.parse(st.events[st.events.length - 1].Timestamp) : 0;
    if (ms <= last) ms = last + 1;
    const t = new Date(ms).toISOString();
    const e = {
      StackId: st.StackId, StackName: st.StackName, Timestamp: t,
      EventId: r ? `${r.LogicalResourceId}-${status}-${t}` : crypto.randomUUID(),
      LogicalResourceId: r ? r.LogicalResourceId : st.StackName,
      PhysicalResourceId: r ? (r.PhysicalResourceId || '') : st.StackId,
      ResourceType: r ? r.ResourceType : 'AWS::CloudFormation::Stack',
      ResourceStatus: status,
    };
    if (reason) e.ResourceStatusReason = reason;
    if (st.token) e.ClientRequestToken = st.token;
    st.events.push(e);
    if (r) {
      r.ResourceStatus = status;
      r.ResourceStatusReason = reason;
      r.Timestamp = t;
    } else {
      st.StackStatus = status;
      st.StackStatusReason = reason;
    }
    twin.touch();
  }

  // ---- evaluation environment of one stack ---------------------------------

  function envOf(st) {
    const pseudo = {
      'AWS::Region': REGION, 'AWS::AccountId': ACCOUNT, 'AWS::Partition': 'aws',
      'AWS::StackName': st.StackName, 'AWS::StackId': st.StackId, 'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': [],
    };
    return {
      conditions: st.conditions || {},
      mappings: st.template.Mappings || {},
      azs: twin.ec2.azNames(),
      ref(name) {
        if (name in pseudo) return pseudo[name];
        if (name in st.paramValues) return st.resolvedParams[name] !== undefined ? st.resolvedParams[name] : st.paramValues[name];
        const r = st.resources.find((x) => x.LogicalResourceId === name);
        if (r && r.PhysicalResourceId) return r.PhysicalResourceId;
        throw new T.TemplateError(`Template error: resource ${name} is not available`);
      },
      getAtt(name, attr) {
        const r = st.resources.find((x) => x.LogicalResourceId === name);
        if (!r || !r.attrs || r.attrs[attr] === undefined) {
          throw new T.TemplateError(`Template error: resource ${name} does not support attribute type ${attr} in Fn::GetAtt`);
        }
        return r.attrs[attr];
      },
    };
  }

  function stackTags(st, logical) {
    return (st.Tags || []).map((t) => ({ Key: t.Key, Value: t.Value })).concat([
      { Key: 'aws:cloudformation:stack-name', Value: st.StackName },
      { Key: 'aws:cloudformation:stack-id', Value: st.StackId },
      { Key: 'aws:cloudformation:logical-id', Value: logical },
    ]);
  }

  // ---- resource types ---------------------------------------------------------
  // create(st, r, props) sets r.PhysicalResourceId and r.attrs (may throw);
  // ready(r) -> true | false | 'reason' (failure); remove(st, r) may throw;
  // gone(r) -> true when the deletion has finished.

  const types = {
    'AWS::IAM::Role': {
      create(st, r, p) {
        const name = p.RoleName || genName(st, r.LogicalResourceId, 64);
        if (s().iam_roles.some((x) => x.RoleName === name)) throw new Error(`Role with name ${name} already exists.`);
        const role = {
          RoleName: name, RoleId: 'AROA' + randUpper(17), Path: p.Path || '/',
          Arn: `arn:aws:iam::${ACCOUNT}:role${p.Path || '/'}${name}`,
          AssumeRolePolicyDocument: p.AssumeRolePolicyDocument, Policies: p.Policies || [],
          ManagedPolicyArns: p.ManagedPolicyArns || [], CreateDate: iso(),
        };
        s().iam_roles.push(role);
        r.PhysicalResourceId = name;
        r.attrs = { Arn: role.Arn, RoleId: role.RoleId };
      },
      remove(st, r) { s().iam_roles = s().iam_roles.filter((x) => x.RoleName !== r.PhysicalResourceId); },
    },
    'AWS::IAM::InstanceProfile': {
      create(st, r, p) {
        const name = p.InstanceProfileName || genName(st, r.LogicalResourceId, 128);
        for (const rn of p.Roles || []) {
          if (!s().iam_roles.some((x) => x.RoleName === rn)) throw new Error(`Role ${rn} not found`);
        }
        const prof = {
          InstanceProfileName: name, InstanceProfileId: 'AIPA' + randUpper(17),
          Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${name}`, Roles: p.Roles || [],
        };
        s().instance_profiles.push(prof);
        r.PhysicalResourceId = name;
        r.attrs = { Arn: prof.Arn };
      },
      remove(st, r) {
        s().instance_profiles = s().instance_profiles.filter((x) => x.InstanceProfileName !== r.PhysicalResourceId);
      },
    },
    'AWS::EC2::SecurityGroup': {
      create(st, r, p) {
        const g = twin.ec2.createSecurityGroup({
          GroupName: p.GroupName || genName(st, r.LogicalResourceId, 255),
          Description: p.GroupDescription, VpcId: p.VpcId, Egress: p.SecurityGroupEgress,
          Ingress: p.SecurityGroupIngress, Tags: (p.Tags || []).concat(stackTags(st, r.LogicalResourceId)),
        });
        r.PhysicalResourceId = g.GroupId;
        r.attrs = { GroupId: g.GroupId, VpcId: g.VpcId };
      },
      remove(st, r) { twin.ec2.deleteSecurityGroup(r.PhysicalResourceId); },
    },
    'AWS::EC2::LaunchTemplate': {
      create(st, r, p) {
        const lt = {
          LaunchTemplateId: 'lt-' + require('./server').randHex(17),
          LaunchTemplateName: p.LaunchTemplateName || `${r.LogicalResourceId}_${randUpper(12)}`,
          LatestVersionNumber: 1, DefaultVersionNumber: 1, CreateTime: iso(),
          data: p.LaunchTemplateData || {}, Tags: stackTags(st, r.LogicalResourceId),
        };
        s().launch_templates.push(lt);
        r.PhysicalResourceId = lt.LaunchTemplateId;
        r.attrs = { LatestVersionNumber: '1', DefaultVersionNumber: '1', LaunchTemplateId: lt.LaunchTemplateId };
      },
      remove(st, r) {
        s().launch_templates = s().launch_templates.filter((x) => x.LaunchTemplateId !== r.PhysicalResourceId);
      },
    },
    'AWS::EC2::Instance': {
      create(st, r, p) {
        const fail = twin.faults.take('create-fail');
        const inst = twin.ec2.launch(p, {
          tags: stackTags(st, r.LogicalResourceId),
          fault: fail ? 'VcpuLimitExceeded' : null,
        });
        r.PhysicalResourceId = inst.InstanceId;
        r.attrs = {
          AvailabilityZone: inst.Placement.AvailabilityZone, PrivateIp: inst.PrivateIpAddress,
          PublicIp: inst.PublicIpAddress || '', PrivateDnsName: inst.PrivateDnsName,
          PublicDnsName: inst.PublicDnsName || '',
        };
      },
      ready(r) {
        const i = twin.ec2.instance(r.PhysicalResourceId);
        if (!i) return 'Instance disappeared';
        if (i.State.Name === 'running') return true;
        if (i.State.Name === 'pending') return false;
        return `Instance ${i.InstanceId} failed to stabilize. Current state: ${i.State.Name}. Reason: ${i.StateReason ? i.StateReason.Message : ''}`;
      },
      remove(st, r) {
        if (twin.faults.take('delete-failed')) throw new Error('fault: instance could not be terminated');
        twin.ec2.terminate([r.PhysicalResourceId], 'cloudformation');
      },
      gone(r) {
        const i = twin.ec2.instance(r.PhysicalResourceId);
        return !i || i.State.Name === 'terminated';
      },
    },
    'AWS::Scheduler::Schedule': {
      create(st, r, p) {
        const sc = twin.misc.createSchedule(p, p.Name || genName(st, r.LogicalResourceId, 64));
        r.PhysicalResourceId = sc.Name;
        r.attrs = { Arn: sc.Arn };
      },
      remove(st, r) { twin.misc.deleteSchedule(r.PhysicalResourceId); },
    },
    'AWS::Logs::LogGroup': {
      create(st, r, p) {
        const g = twin.misc.createLogGroup(p.LogGroupName || genName(st, r.LogicalResourceId, 512), p.RetentionInDays);
        r.PhysicalResourceId = g.logGroupName;
        r.attrs = { Arn: g.arn };
      },
      remove(st, r) { twin.misc.deleteLogGroup(r.PhysicalResourceId); },
    },
  };

  // ---- the engine ---------------------------------------------------------------

  function resource(st, logical) {
    return st.resources.find((x) => x.LogicalResourceId === logical);
  }

  function startDelete(st, mode, reason) {
    // Delete in reverse creation order; resources never started are skipped.
    const created = st.created.slice().reverse();
    st.plan = { mode, queue: created, current: null };
    const status = mode === 'rollback' ? 'ROLLBACK_IN_PROGRESS' : 'DELETE_IN_PROGRESS';
    if (st.StackStatus !== status) event(st, null, status, reason);
  }

  function failCreate(st, r, reason) {
    event(st, r, 'CREATE_FAILED', reason);
    const why = `The following resource(s) failed to create: [${r.LogicalResourceId}]. `;
    if (st.OnFailure === 'DO_NOTHING') {
      st.plan = null;
      event(st, null, 'CREATE_FAILED', why);
    } else if (st.OnFailure === 'DELETE') {
      startDelete(st, 'delete', `${why}Delete requested by user.`);
    } else {
      startDelete(st, 'rollback', `${why}Rollback requested by user.`);
    }
  }

  function finishCreate(st) {
    const env = envOf(st);
    const outs = [];
    for (const [k, o] of Object.entries(st.template.Outputs || {})) {
      if (o.Condition && !st.conditions[o.Condition]) continue;
      const out = { OutputKey: k, OutputValue: String(T.evaluate(o.Value, env)) };
      if (o.Description) out.Description = o.Description;
      if (o.Export && o.Export.Name) out.ExportName = String(T.evaluate(o.Export.Name, env));
      outs.push(out);
    }
    st.Outputs = outs;
    st.plan = null;
    event(st, null, 'CREATE_COMPLETE');
  }

  function stepCreate(st) {
    const plan = st.plan;
    const now = twin.now();
    if (plan.current) {
      const r = resource(st, plan.current.logical);
      if (now < plan.current.due) return;
      const ty = types[r.ResourceType];
      const ok = ty.ready ? ty.ready(r) : true;
      if (ok === false) return;
      plan.current = null;
      if (ok !== true) return failCreate(st, r, ok);
      event(st, r, 'CREATE_COMPLETE');
      if (plan.deleteRequested) {
        const d = plan.deleteRequested;
        return startDelete(st, 'delete', d.reason);
      }
      return undefined;
    }
    if (plan.deleteRequested) return startDelete(st, 'delete', plan.deleteRequested.reason);
    const next = plan.queue.shift();
    if (next === undefined) return finishCreate(st);
    const decl = st.template.Resources[next];
    if (decl.Condition && !st.conditions[decl.Condition]) return undefined;
    const r = { LogicalResourceId: next, ResourceType: decl.Type, PhysicalResourceId: '', attrs: {} };
    st.resources.push(r);
    event(st, r, 'CREATE_IN_PROGRESS');
    st.created.push(next);
    const ty = types[decl.Type];
    if (!ty) {
      return failCreate(st, r, `Unrecognized resource types: [${decl.Type}] (the AWS twin does not model this type)`);
    }
    try {
      const props = T.evaluate(decl.Properties || {}, envOf(st));
      ty.create(st, r, props);
    } catch (e) {
      if (e instanceof TypeError || e instanceof ReferenceError) twin.log(`create ${next}: ${e.stack}`);
      return failCreate(st, r, e.aws ? e.message : `Resource handler returned message: "${e.message}"`);
    }
    event(st, r, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
    plan.current = { logical: next, due: now + twin.config.stepMs };
    return undefined;
  }

  function stepDelete(st) {
    const plan = st.plan;
    const now = twin.now();
    if (plan.current) {
      if (now < plan.current.due) return;
      const r = resource(st, plan.current.logical);
      const ty = types[r.ResourceType];
      if (ty && ty.gone && !ty.gone(r)) return;
      plan.current = null;
      event(st, r, 'DELETE_COMPLETE');
      return;
    }
    const next = plan.queue.shift();
    if (next === undefined) {
      st.plan = null;
      if (plan.mode === 'rollback') {
        event(st, null, 'ROLLBACK_COMPLETE');
        // A deletion asked for during the rollback starts now.
        if (plan.deleteAfter) {
          st.plan = { mode: 'delete', queue: st.created.slice().reverse(), current: null, retain: [] };
          event(st, null, 'DELETE_IN_PROGRESS', 'User Initiated');
        }
      } else {
        st.DeletionTime = iso();
        event(st, null, 'DELETE_COMPLETE');
      }
      return;
    }
    const r = resource(st, next);
    if (!r || r.ResourceStatus === 'DELETE_COMPLETE' || r.ResourceStatus === 'DELETE_SKIPPED') return;
    if (plan.retain && plan.retain.includes(next)) {
      event(st, r, 'DELETE_SKIPPED');
      return;
    }
    event(st, r, 'DELETE_IN_PROGRESS');
    const ty = types[r.ResourceType];
    if (!r.PhysicalResourceId || !ty) {
      plan.current = { logical: next, due: now };
      return;
    }
    try {
      ty.remove(st, r);
    } catch (e) {
      const failed = [r.LogicalResourceId];
      event(st, r, 'DELETE_FAILED', e.aws ? e.message : `Resource handler returned message: "${e.message}"`);
      st.plan = null;
      event(st, null, plan.mode === 'rollback' ? 'ROLLBACK_FAILED' : 'DELETE_FAILED',
        `The following resource(s) failed to delete: [${failed.join(', ')}]. `);
      return;
    }
    plan.current = { logical: next, due: now + twin.config.stepMs };
  }

  function tick() {
    for (const st of s().stacks) {
      // A few steps per tick at most, so events keep distinct timestamps.
      for (let i = 0; i < 4 && st.plan; i++) {
        const before = JSON.stringify(st.plan);
        if (st.plan.mode === 'create') stepCreate(st);
        else stepDelete(st);
        if (st.plan && JSON.stringify(st.plan) === before) break;
      }
    }
  }

  // ---- API ------------------------------------------------------------------------

  function paramsOf(list) {
    const out = {};
    for (const p of list || []) {
      if (p.UsePreviousValue) throw new ApiError('ValidationError', 'UsePreviousValue is only valid for stack updates');
      out[p.ParameterKey] = p.ParameterValue === undefined ? '' : p.ParameterValue;
    }
    return out;
  }

  function checkTemplate(input) {
    if (input.TemplateURL) throw new ApiError('ValidationError', 'TemplateURL is not supported by the AWS twin: use TemplateBody');
    if (input.TemplateBody === undefined) throw new ApiError('ValidationError', 'Either Template URL or Template Body must be specified.');
    try {
      const t = T.parse(input.TemplateBody);
      return { t, a: T.analyse(t) };
    } catch (e) {
      if (e instanceof T.TemplateError) throw new ApiError(e.code, e.message);
      throw e;
    }
  }

  function ctxParams() {
    return {
      ssm: (name) => SSM_PUBLIC[name],
      exists: (type, v) => twin.ec2.exists(type, v),
    };
  }

  function createStack(input) {
    const name = input.StackName || '';
    if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name)) {
      throw new ApiError('ValidationError', `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`);
    }
    const existing = findStack(name);
    if (existing) {
      if (input.ClientRequestToken && existing.ClientRequestToken === input.ClientRequestToken) {
        return { StackId: existing.StackId };
      }
      throw new ApiError('AlreadyExistsException', `Stack [${name}] already exists`);
    }
    if (input.OnFailure && input.DisableRollback !== undefined) {
      throw new ApiError('ValidationError', 'You cannot specify both DisableRollback and OnFailure.');
    }
    if (input.OnFailure && !['DO_NOTHING', 'ROLLBACK', 'DELETE'].includes(input.OnFailure)) {
      throw new ApiError('ValidationError', `1 validation error detected: Value '${input.OnFailure}' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]`);
    }
    const { t, a } = checkTemplate(input);
    let pv;
    try {
      pv = T.validateParameters(t, paramsOf(input.Parameters), ctxParams());
    } catch (e) {
      if (e instanceof T.TemplateError) throw new ApiError(e.code, e.message);
      throw e;
    }
    const caps = input.Capabilities || [];
    const need = a.capabilities.filter((c) => !caps.includes(c) &&
      !(c === 'CAPABILITY_IAM' && caps.includes('CAPABILITY_NAMED_IAM')));
    if (need.length) throw new ApiError('InsufficientCapabilitiesException', `Requires capabilities : [${need.join(', ')}]`);
    const st = {
      StackId: `arn:aws:cloudformation:${REGION}:${ACCOUNT}:stack/${name}/${crypto.randomUUID()}`,
      StackName: name,
      Description: t.Description,
      CreationTime: iso(),
      StackStatus: 'CREATE_IN_PROGRESS',
      OnFailure: input.OnFailure || (input.DisableRollback ? 'DO_NOTHING' : 'ROLLBACK'),
      DisableRollback: input.OnFailure ? input.OnFailure === 'DO_NOTHING' : Boolean(input.DisableRollback),
      Capabilities: caps,
      Tags: input.Tags || [],
      EnableTerminationProtection: Boolean(input.EnableTerminationProtection),
      TimeoutInMinutes: input.TimeoutInMinutes,
      ClientRequestToken: input.ClientRequestToken,
      token: input.ClientRequestToken,
      template: t,
      paramValues: pv.values,
      resolvedParams: pv.resolved,
      resources: [], created: [], events: [], Outputs: [],
      plan: { mode: 'create', queue: a.order.slice(), current: null },
    };
    st.conditions = T.evalConditions(t, envOf(st));
    s().stacks.push(st);
    event(st, null, 'CREATE_IN_PROGRESS', 'User Initiated');
    return { StackId: st.StackId };
  }

  function stackView(st) {
    const decl = st.template.Parameters || {};
    const v = {
      StackId: st.StackId, StackName: st.StackName, Description: st.Description,
      Parameters: Object.keys(decl).map((k) => {
        const val = st.paramValues[k];
        const p = { ParameterKey: k, ParameterValue: decl[k].NoEcho ? '****' : (Array.isArray(val) ? val.join(',') : val) };
        if (st.resolvedParams[k] !== undefined) p.ResolvedValue = st.resolvedParams[k];
        return p;
      }),
      CreationTime: st.CreationTime, StackStatus: st.StackStatus, StackStatusReason: st.StackStatusReason,
      DisableRollback: st.DisableRollback, NotificationARNs: [], Capabilities: st.Capabilities,
      Outputs: st.Outputs && st.Outputs.length ? st.Outputs : undefined, Tags: st.Tags,
      EnableTerminationProtection: st.EnableTerminationProtection,
      RollbackConfiguration: {},
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    };
    if (st.DeletionTime) v.DeletionTime = st.DeletionTime;
    if (st.TimeoutInMinutes) v.TimeoutInMinutes = st.TimeoutInMinutes;
    return v;
  }

  function describeStacks(input) {
    if (input.StackName) return { Stacks: [stackView(mustStack(input.StackName))] };
    return { Stacks: s().stacks.filter((x) => x.StackStatus !== 'DELETE_COMPLETE').reverse().map(stackView) };
  }

  function deleteStack(input) {
    const st = findStack(input.StackName);
    if (!st) return {};                       // unknown names: success, nothing happens
    if (st.StackStatus === 'DELETE_COMPLETE') return {};
    if (st.EnableTerminationProtection) {
      throw new ApiError('ValidationError', `Stack [${st.StackName}] cannot be deleted while TerminationProtection is enabled`);
    }
    const token = input.ClientRequestToken;
    st.deleteTokens = st.deleteTokens || [];
    if (token && st.deleteTokens.includes(token)) return {};
    const retain = input.RetainResources || [];
    if (retain.length && st.StackStatus !== 'DELETE_FAILED') {
      throw new ApiError('ValidationError', `Invalid operation on stack [${st.StackId}]. RetainResources is only valid for stacks in the DELETE_FAILED state.`);
    }
    for (const l of retain) {
      if (!resource(st, l)) throw new ApiError('ValidationError', `The specified resources to retain [${l}] do not exist in the stack`);
    }
    if (token) st.deleteTokens.push(token);
    st.token = token;
    if (st.plan && st.plan.mode === 'rollback') {
      st.plan.deleteAfter = true;
      return {};
    }
    if (st.StackStatus === 'DELETE_IN_PROGRESS' || (st.plan && st.plan.mode !== 'create')) return {};
    if (st.plan && st.plan.mode === 'create') {
      // In-flight creations finish first, then everything is deleted.
      st.plan.deleteRequested = { reason: 'User Initiated' };
      event(st, null, 'DELETE_IN_PROGRESS', 'User Initiated');
      return {};
    }
    const plan = { mode: 'delete', queue: st.created.slice().reverse(), current: null, retain };
    st.plan = plan;
    event(st, null, 'DELETE_IN_PROGRESS', 'User Initiated');
    return {};
  }

  function describeStackEvents(input) {
    const st = mustStack(input.StackName);
    return { StackEvents: st.events.slice().reverse() };
  }

  function resourceView(st, r) {
    return {
      StackName: st.StackName, StackId: st.StackId, LogicalResourceId: r.LogicalResourceId,
      PhysicalResourceId: r.PhysicalResourceId || undefined, ResourceType: r.ResourceType,
      Timestamp: r.Timestamp, ResourceStatus: r.ResourceStatus, ResourceStatusReason: r.ResourceStatusReason,
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    };
  }

  function describeStackResources(input) {
    let st;
    if (input.StackName) st = mustStack(input.StackName);
    else if (input.PhysicalResourceId) {
      st = s().stacks.find((x) => x.StackStatus !== 'DELETE_COMPLETE' &&
        x.resources.some((r) => r.PhysicalResourceId === input.PhysicalResourceId));
      if (!st) throw new ApiError('ValidationError', `Stack for ${input.PhysicalResourceId} does not exist`);
    } else {
      throw new ApiError('ValidationError', 'Either StackName or PhysicalResourceId must be specified.');
    }
    let rs = st.resources;
    if (input.LogicalResourceId) rs = rs.filter((r) => r.LogicalResourceId === input.LogicalResourceId);
    return { StackResources: rs.map((r) => resourceView(st, r)) };
  }

  function listStacks(input) {
    const f = input.StackStatusFilter || [];
    const list = s().stacks.filter((x) => f.length === 0 || f.includes(x.StackStatus)).reverse();
    return {
      StackSummaries: list.map((st) => ({
        StackId: st.StackId, StackName: st.StackName, TemplateDescription: st.Description,
        CreationTime: st.CreationTime, DeletionTime: st.DeletionTime, StackStatus: st.StackStatus,
        StackStatusReason: st.StackStatusReason, DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      })),
    };
  }

  function validateTemplate(input) {
    const { t, a } = checkTemplate(input);
    const out = {
      Parameters: Object.entries(t.Parameters || {}).map(([k, d]) => ({
        ParameterKey: k, DefaultValue: d.Default === undefined ? undefined : String(d.Default),
        NoEcho: Boolean(d.NoEcho), Description: d.Description,
      })),
      Description: t.Description,
    };
    if (a.capabilities.length) {
      out.Capabilities = a.capabilities;
      out.CapabilitiesReason = `The following resource(s) require capabilities: [${a.capabilityTypes.join(', ')}]`;
    }
    return out;
  }

  const ops = {
    CreateStack: createStack, DescribeStacks: describeStacks, DeleteStack: deleteStack,
    DescribeStackEvents: describeStackEvents, DescribeStackResources: describeStackResources,
    ListStacks: listStacks, ValidateTemplate: validateTemplate,
  };

  return {
    call(service, op, input) {
      const f = ops[op];
      if (!f) throw new ApiError('InvalidAction', `The AWS twin does not model CloudFormation ${op}`);
      return f(input);
    },
    tick,
    SSM_PUBLIC,
  };
}

module.exports = { create, SSM_PUBLIC };
