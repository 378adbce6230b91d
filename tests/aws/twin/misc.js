'use strict';
// The smaller services: STS, Service Quotas, Pricing, CloudWatch Logs,
// Resource Groups Tagging and EventBridge Scheduler (whose one-time "at"
// schedules fire on the twin's clock: the AWS-side reaper).

const crypto = require('crypto');
const { ApiError } = require('./protocol');

const MIRROR_BUCKET = 'twin-ptau-mirror';

// Storage prices, us-east-1 (per GB-month, per IOPS-month, per MiB/s-month).
const EBS_PRICES = { gp3: 0.08, iops: 0.005, throughput: 0.04 };

function create(twin) {
  const { ACCOUNT, MIRROR_ACCOUNT, REGION } = require('./server');
  const s = () => twin.state;
  const iso = () => new Date(twin.now()).toISOString();

  function bootstrap() {
    twin.ec2.bootstrap();
    // The ptau mirror belongs to another account (requester pays applies).
    if (twin.s3 && typeof twin.s3.createBucketAs === 'function') {
      twin.s3.createBucketAs({ account: MIRROR_ACCOUNT }, MIRROR_BUCKET, { requesterPays: true });
    }
  }

  // ---- Scheduler ---------------------------------------------------------------

  function parseAt(expr, tz) {
    const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expr || '');
    if (!m) return null;
    if (tz && tz !== 'UTC' && tz !== 'Etc/UTC') return null;
    return Date.parse(`${m[1]}Z`);
  }

  function createSchedule(p, name) {
    const expr = p.ScheduleExpression;
    if (!/^(at\(.+\)|rate\(.+\)|cron\(.+\))$/.test(expr || '')) {
      const e = new Error(`Invalid Schedule Expression ${expr}. (Service: Scheduler, Status Code: 400, Request ID: ${crypto.randomUUID()})`);
      e.aws = false;
      throw e;
    }
    if (!p.Target || !p.Target.Arn || !p.Target.RoleArn) throw new Error('Target, Target.Arn and Target.RoleArn are required');
    if (s().schedules.some((x) => x.Name === name)) throw new Error(`Schedule ${name} already exists.`);
    const sc = {
      Name: name, GroupName: p.GroupName || 'default',
      Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${p.GroupName || 'default'}/${name}`,
      Description: p.Description, ScheduleExpression: expr, ScheduleExpressionTimezone: p.ScheduleExpressionTimezone || 'UTC',
      FlexibleTimeWindow: p.FlexibleTimeWindow || { Mode: 'OFF' }, State: p.State || 'ENABLED',
      Target: p.Target, CreationDate: iso(), LastModificationDate: iso(),
      at: parseAt(expr, p.ScheduleExpressionTimezone), fired: null,
    };
    s().schedules.push(sc);
    twin.touch();
    return sc;
  }

  function deleteSchedule(name) {
    s().schedules = s().schedules.filter((x) => x.Name !== name);
    twin.touch();
  }

  // Runs a schedule's target: only the universal target the project uses.
  function fire(sc) {
    sc.fired = iso();
    const arn = sc.Target.Arn;
    let result = 'ok';
    try {
      if (arn !== 'arn:aws:scheduler:::aws-sdk:ec2:terminateInstances') throw new Error(`target ${arn} is not modelled`);
      const input = JSON.parse(sc.Target.Input || '{}');
      twin.ec2.terminate(input.InstanceIds || [], `schedule ${sc.Name}`);
    } catch (e) {
      result = e.code || e.message;
    }
    twin.log(`schedule ${sc.Name} fired: ${result}`);
    twin.logCall({ t: iso(), service: 'scheduler-target', op: arn, schedule: sc.Name,
      params: { Input: sc.Target.Input }, code: result === 'ok' ? 'OK' : result });
    twin.touch();
  }

  function tick() {
    const now = twin.now();
    for (const sc of s().schedules) {
      if (sc.State === 'ENABLED' && sc.at !== null && sc.at !== undefined && !sc.fired && now >= sc.at) fire(sc);
    }
  }

  function scheduleView(sc) {
    const v = Object.assign({}, sc);
    delete v.at;
    delete v.fired;
    return v;
  }

  // ---- Logs ---------------------------------------------------------------------

  function createLogGroup(name, retention) {
    const g = {
      logGroupName: name, creationTime: twin.now(), metricFilterCount: 0, storedBytes: 0,
      arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`,
    };
    if (retention) g.retentionInDays = Number(retention);
    s().log_groups.push(g);
    twin.touch();
    return g;
  }

  function deleteLogGroup(name) {
    s().log_groups = s().log_groups.filter((g) => g.logGroupName !== name);
    twin.touch();
  }

  // ---- Pricing ------------------------------------------------------------------

  function products() {
    const out = [];
    const pub = '2026-12-01T00:00:00Z';
    const term = (sku, unit, usd, desc) => {
      const code = 'JRTCKXETXF';
      return {
        OnDemand: {
          [`${sku}.${code}`]: {
            offerTermCode: code, sku, effectiveDate: '2026-12-01T00:00:00Z', termAttributes: {},
            priceDimensions: {
              [`${sku}.${code}.6YS6EN2CT7`]: {
                unit, endRange: 'Inf', description: desc, appliesTo: [], rateCode: `${sku}.${code}.6YS6EN2CT7`,
                beginRange: '0', pricePerUnit: { USD: usd.toFixed(10) },
              },
            },
          },
        },
      };
    };
    const skuOf = (s1) => crypto.createHash('sha256').update(s1).digest('hex').slice(0, 16).toUpperCase();
    for (const t of Object.values(twin.ec2.types)) {
      for (const [os, cap, mult] of [['Linux', 'Used', 1], ['Linux', 'UnusedCapacityReservation', 1], ['RHEL', 'Used', 1.3]]) {
        const sku = skuOf(`${t.name}/${os}/${cap}`);
        out.push({
          product: {
            productFamily: 'Compute Instance', sku,
            attributes: {
              servicecode: 'AmazonEC2', location: 'US East (N. Virginia)', locationType: 'AWS Region',
              regionCode: REGION, instanceType: t.name, instanceFamily: 'Memory optimized',
              vcpu: String(t.vcpus), memory: `${t.memMiB / 1024} GiB`, physicalProcessor: t.arch === 'arm64' ? 'AWS Graviton' : 'Intel Xeon',
              processorArchitecture: t.arch === 'arm64' ? '64-bit' : '64-bit', tenancy: 'Shared', operatingSystem: os,
              licenseModel: 'No License required', preInstalledSw: 'NA', capacitystatus: cap,
              usagetype: `BoxUsage:${t.name}`, operation: 'RunInstances', currentGeneration: 'Yes',
            },
          },
          serviceCode: 'AmazonEC2',
          terms: term(sku, 'Hrs', t.price * mult, `$${(t.price * mult).toFixed(4)} per On Demand ${os} ${t.name} Instance Hour`),
          version: '20261201000000', publicationDate: pub,
        });
      }
    }
    const ebs = [
      ['Storage', { volumeApiName: 'gp3', volumeType: 'General Purpose', usagetype: 'EBS:VolumeUsage.gp3', storageMedia: 'SSD-backed' }, 'GB-Mo', EBS_PRICES.gp3, 'per GB-month of General Purpose (gp3) provisioned storage'],
      ['System Operation', { volumeApiName: 'gp3', group: 'EBS IOPS', usagetype: 'EBS:VolumeP-IOPS.gp3' }, 'IOPS-Mo', EBS_PRICES.iops, 'per IOPS-month provisioned above 3000 (gp3)'],
      ['Provisioned Throughput', { volumeApiName: 'gp3', group: 'EBS Throughput', usagetype: 'EBS:VolumeP-Throughput.gp3' }, 'MiBps-Mo', EBS_PRICES.throughput, 'per MiB/s-month provisioned above 125 (gp3)'],
    ];
    for (const [fam, attrs, unit, usd, desc] of ebs) {
      const sku = skuOf(`ebs/${attrs.usagetype}`);
      out.push({
        product: {
          productFamily: fam, sku,
          attributes: Object.assign({ servicecode: 'AmazonEC2', location: 'US East (N. Virginia)', locationType: 'AWS Region', regionCode: REGION }, attrs),
        },
        serviceCode: 'AmazonEC2', terms: term(sku, unit, usd, `$${usd} ${desc}`), version: '20261201000000', publicationDate: pub,
      });
    }
    return out;
  }

  function getProducts(input) {
    if (input.ServiceCode !== 'AmazonEC2') return { FormatVersion: 'aws_v1', PriceList: [] };
    let list = products();
    for (const f of input.Filters || []) {
      if (f.Type !== 'TERM_MATCH') throw new ApiError('InvalidParameterException', `Invalid filter type ${f.Type}`);
      list = list.filter((p) => (f.Field === 'productFamily' ? p.product.productFamily : p.product.attributes[f.Field]) === f.Value);
    }
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString()) : 0;
    const max = input.MaxResults || 100;
    const page = list.slice(start, start + max);
    const out = { FormatVersion: 'aws_v1', PriceList: page.map((p) => JSON.stringify(p)) };
    if (start + max < list.length) out.NextToken = Buffer.from(String(start + max)).toString('base64');
    return out;
  }

  // ---- Tagging ------------------------------------------------------------------

  function tagged() {
    const st = s();
    const ec2 = (kind, id) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${kind}/${id}`;
    const out = [];
    const add = (arn, type, tags) => { if (tags && tags.length) out.push({ ResourceARN: arn, type, Tags: tags }); };
    for (const i of st.instances) if (i.State.Name !== 'terminated') add(ec2('instance', i.InstanceId), 'ec2:instance', i.Tags);
    for (const v of st.volumes) add(ec2('volume', v.VolumeId), 'ec2:volume', v.Tags);
    for (const n of st.network_interfaces) add(ec2('network-interface', n.NetworkInterfaceId), 'ec2:network-interface', n.TagSet);
    for (const g of st.security_groups) add(ec2('security-group', g.GroupId), 'ec2:security-group', g.Tags);
    for (const l of st.launch_templates) add(ec2('launch-template', l.LaunchTemplateId), 'ec2:launch-template', l.Tags);
    for (const a of st.addresses) add(ec2('elastic-ip', a.AllocationId), 'ec2:elastic-ip', a.Tags);
    for (const sn of st.snapshots) add(`arn:aws:ec2:${REGION}::snapshot/${sn.SnapshotId}`, 'ec2:snapshot', sn.Tags);
    for (const k of st.stacks) if (k.StackStatus !== 'DELETE_COMPLETE') add(k.StackId, 'cloudformation:stack', k.Tags);
    for (const g of st.log_groups) add(g.arn.replace(/:\*$/, ''), 'logs:log-group', g.tags);
    return out;
  }

  function getResources(input) {
    let list = tagged();
    for (const f of input.TagFilters || []) {
      list = list.filter((r) => r.Tags.some((t) => t.Key === f.Key && (!f.Values || f.Values.length === 0 || f.Values.includes(t.Value))));
    }
    if (input.ResourceTypeFilters && input.ResourceTypeFilters.length) {
      list = list.filter((r) => input.ResourceTypeFilters.some((t) => r.type === t || r.type.split(':')[0] === t));
    }
    return { ResourceTagMappingList: list.map((r) => ({ ResourceARN: r.ResourceARN, Tags: r.Tags })), PaginationToken: '' };
  }

  const ops = {
    sts: {
      GetCallerIdentity(input, ident) {
        return { UserId: ident.userId, Account: ident.account, Arn: ident.arn };
      },
    },
    servicequotas: {
      GetServiceQuota(input) {
        if (input.ServiceCode === 'ec2' && input.QuotaCode === 'L-1216C47A') {
          return {
            Quota: {
              ServiceCode: 'ec2', ServiceName: 'Amazon Elastic Compute Cloud (Amazon EC2)',
              QuotaArn: `arn:aws:servicequotas:${REGION}:${ACCOUNT}:ec2/L-1216C47A`, QuotaCode: 'L-1216C47A',
              QuotaName: 'Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances',
              Value: twin.config.quotaVcpus, Unit: 'None', Adjustable: true, GlobalQuota: false,
              UsageMetric: { MetricNamespace: 'AWS/Usage', MetricName: 'ResourceCount',
                MetricDimensions: { Class: 'Standard/OnDemand', Resource: 'vCPU', Service: 'EC2', Type: 'Resource' },
                MetricStatisticRecommendation: 'Maximum' },
            },
          };
        }
        throw new ApiError('NoSuchResourceException', `The request failed because the specified quota ${input.QuotaCode} of service ${input.ServiceCode} doesn't exist.`);
      },
    },
    pricing: { GetProducts: getProducts },
    logs: {
      DescribeLogGroups(input) {
        let list = s().log_groups;
        if (input.logGroupNamePrefix) list = list.filter((g) => g.logGroupName.startsWith(input.logGroupNamePrefix));
        return { logGroups: list.map((g) => { const v = Object.assign({}, g); delete v.tags; return v; }) };
      },
    },
    tagging: { GetResources: getResources },
    scheduler: {
      ListSchedules(input) {
        let list = s().schedules;
        if (input.NamePrefix) list = list.filter((x) => x.Name.startsWith(input.NamePrefix));
        if (input.GroupName) list = list.filter((x) => x.GroupName === input.GroupName);
        if (input.State) list = list.filter((x) => x.State === input.State);
        return {
          Schedules: list.map((x) => ({ Arn: x.Arn, CreationDate: x.CreationDate, GroupName: x.GroupName,
            LastModificationDate: x.LastModificationDate, Name: x.Name, State: x.State, Target: { Arn: x.Target.Arn } })),
        };
      },
      GetSchedule(input) {
        const sc = s().schedules.find((x) => x.Name === input.Name && x.GroupName === (input.GroupName || 'default'));
        if (!sc) throw new ApiError('ResourceNotFoundException', `Schedule ${input.Name} does not exist.`, 404);
        return scheduleView(sc);
      },
      DeleteSchedule(input) {
        const sc = s().schedules.find((x) => x.Name === input.Name && x.GroupName === (input.GroupName || 'default'));
        if (!sc) throw new ApiError('ResourceNotFoundException', `Schedule ${input.Name} does not exist.`, 404);
        deleteSchedule(sc.Name);
        return {};
      },
    },
  };

  return {
    call(service, op, input, ident) {
      const f = ops[service] && ops[service][op];
      if (!f) throw new ApiError('UnknownOperationException', `The AWS twin does not model ${service} ${op}`);
      return f(input, ident);
    },
    tick, bootstrap, createSchedule, deleteSchedule, createLogGroup, deleteLogGroup,
  };
}

// Scheduler's REST routes -> {opName, input}
function routeRest(model, method, url, body) {
  const p = decodeURIComponent(url.pathname);
  const q = url.searchParams;
  let m;
  if (method === 'GET' && p === '/schedules') {
    const input = {};
    if (q.get('NamePrefix')) input.NamePrefix = q.get('NamePrefix');
    if (q.get('ScheduleGroup')) input.GroupName = q.get('ScheduleGroup');
    if (q.get('State')) input.State = q.get('State');
    if (q.get('MaxResults')) input.MaxResults = Number(q.get('MaxResults'));
    return { opName: 'ListSchedules', input };
  }
  if ((m = /^\/schedules\/([^/]+)$/.exec(p))) {
    const input = { Name: m[1] };
    if (q.get('groupName')) input.GroupName = q.get('groupName');
    if (method === 'GET') return { opName: 'GetSchedule', input };
    if (method === 'DELETE') return { opName: 'DeleteSchedule', input };
  }
  void body;
  throw new ApiError('UnknownOperationException', `The AWS twin does not model scheduler ${method} ${p}`, 404);
}

module.exports = { create, routeRest, MIRROR_BUCKET };
