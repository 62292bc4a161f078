import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Check } from '../src/checks/check.js';
import { observeStack } from '../src/observe/observe-stack.js';
import { albSchemeCheck } from '../src/checks/alb/scheme.js';
import { listenerCertificateCheck } from '../src/checks/alb/listener-certificate.js';
import { tlsPolicyCheck } from '../src/checks/alb/tls-policy.js';
import { defaultRuleCheck } from '../src/checks/alb/default-rule.js';
import { albSecurityGroupCheck } from '../src/checks/alb/security-group.js';
import { taskSecurityGroupCheck } from '../src/checks/ecs/task-security-group.js';
import { albSecurityGroupEgressCheck } from '../src/checks/alb/security-group-egress.js';
import { taskSecurityGroupEgressCheck } from '../src/checks/ecs/task-security-group-egress.js';
import { portProtocolCheck } from '../src/checks/tg/port-protocol.js';
import { healthCheckPathCheck } from '../src/checks/tg/health-check-path.js';
import { healthCheckSettingsCheck } from '../src/checks/tg/health-check-settings.js';
import { healthyTargetsCheck } from '../src/checks/tg/healthy-targets.js';
import { applyPlan } from '../src/engine/apply-plan.js';
import { buildPlan } from '../src/engine/build-plan.js';
import type { EngineContext } from '../src/engine/engine-context.js';
import { ErrorCode, RemediateError } from '../src/model/errors.js';
import { newId } from '../src/model/ids.js';
import { planTarget, type Plan } from '../src/model/plan.js';
import type { ChangeKind } from '../src/fixes/change-kinds.js';
import { rollbackRun } from '../src/engine/rollback-run.js';
import { egressRules, ingressRuleOf } from '../src/fixes/security-group-rules.js';
import { memoryJournal } from '../src/journal/memory-journal.js';
import type { Journal } from '../src/journal/journal.js';
import type { SandboxServer, SandboxStore } from '../src/sandbox/index.js';
import { regionState } from '../src/sandbox/sandbox-state.js';
import { addCertificate, daysFrom } from '../src/sandbox/scenarios/builders/acm-builders.js';
import { addTargetGroup } from '../src/sandbox/scenarios/builders/elbv2-builders.js';
import { stackDefinition, type StackInput } from '../src/model/stack-definition.js';
import { hasAwsCli } from './support/aws-cli.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandboxes } from './support/sandbox-fixture.js';
import { awsCliLines } from '../src/cli/render/aws-cli-command.js';

const REGION = 'me-central-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const TG_ARN = 'arn:aws:elasticloadbalancing:me-central-1:411714852748:targetgroup/arquantix-prod-tg/89fe413e994d9f0f';

/** The checks whose changes these tests apply and undo. */
const checks: readonly Check[] = [
  albSchemeCheck,
  listenerCertificateCheck,
  tlsPolicyCheck,
  defaultRuleCheck,
  albSecurityGroupCheck,
  taskSecurityGroupCheck,
  albSecurityGroupEgressCheck,
  taskSecurityGroupEgressCheck,
  portProtocolCheck,
  healthCheckPathCheck,
  healthCheckSettingsCheck,
];

let store: SandboxStore;
let server: SandboxServer;
let journal: Journal;
let engine: EngineContext;
let elbv2: ElasticLoadBalancingV2Client;
let ec2: EC2Client;
const sandboxes = useSandboxes();

async function start(scenario: 'incident' | 'healthy'): Promise<void> {
  ({ store, server } = await sandboxes.start({ scenario }));
  journal = memoryJournal();
  engine = sandboxEngine(server.url, journal, { who: { user: 'test', host: 'localhost', pid: process.pid } });

  const config = { endpoint: server.url, region: REGION, credentials, maxAttempts: 1 };
  elbv2 = new ElasticLoadBalancingV2Client(config);
  ec2 = new EC2Client(config);
}

afterEach(async () => {
  elbv2.destroy();
  ec2.destroy();
  await journal.close();
});

/** Observes the sandbox's stack for real, runs the checks, and journals a plan holding only the changes of one kind. */
async function planOf(kind: ChangeKind, stack: Partial<StackInput> = {}): Promise<Plan> {
  const spec = stackDefinition({ ...(store.stack() as StackInput), ...stack });
  const observation = await observeStack(engine.awsFor, spec, new Date());
  const target = planTarget({
    endpoint: 'sandbox',
    account: observation.account,
    region: observation.region,
    stack: observation.stack.name,
  });
  const full = buildPlan({ id: newId('plan'), createdAt: new Date(), target, observation, checks });
  const plan: Plan = { ...full, changes: full.changes.filter((c) => c.kind === kind) };
  await journal.savePlan({
    plan,
    actor: { ...engine.who, account: observation.account, region: observation.region, callerArn: observation.callerArn },
  });
  return plan;
}

async function apply(plan: Plan): Promise<string> {
  const result = await applyPlan(engine, { planId: plan.id, dryRun: false });
  expect(result.status).toBe('succeeded');
  if (result.runId === null) throw new Error('no run');
  return result.runId;
}

async function rollback(runId: string): Promise<void> {
  const result = await rollbackRun(engine, { runId, force: false, dryRun: false });
  expect(result.status).toBe('succeeded');
}

function mutatingCallsSince(seq: number): string[] {
  return store
    .calls()
    .filter((c) => c.seq > seq && c.mutating)
    .map((c) => c.operation);
}

const lastSeq = () => store.calls().at(-1)?.seq ?? 0;

async function loadBalancerArn(): Promise<string> {
  const arn = (await elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0]?.LoadBalancerArn;
  if (arn === undefined) throw new Error('no load balancer');
  return arn;
}

async function listeners(): Promise<Listener[]> {
  return (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: await loadBalancerArn() }))).Listeners ?? [];
}

async function listener(port: number): Promise<Listener> {
  const found = (await listeners()).find((l) => l.Port === port);
  if (found === undefined) throw new Error(`no listener on ${port}`);
  return found;
}

async function groupId(name: string): Promise<string> {
  const id = (await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] }))).SecurityGroups?.[0]
    ?.GroupId;
  if (id === undefined) throw new Error(`no group ${name}`);
  return id;
}

async function ingressRules(id: string): Promise<SecurityGroupRule[]> {
  const rules =
    (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }))).SecurityGroupRules ?? [];
  return rules.filter((r) => r.IsEgress !== true);
}

/** Every rule of a group, inbound and outbound, exactly as DescribeSecurityGroupRules returns them. */
async function allRules(id: string): Promise<SecurityGroupRule[]> {
  return (
    (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }))).SecurityGroupRules ?? []
  );
}

/** A group's inbound rules as a comparable set (ids left out): protocol, ports, source, description. */
async function ruleSet(id: string): Promise<string[]> {
  return (await ingressRules(id)).map((r) => JSON.stringify(ingressRuleOf(r))).sort();
}

describe('elbv2.listener-tls (alb.tls-policy + alb.listener-certificate)', () => {
  beforeEach(() => start('healthy'));

  it('moves the listener to the modern policy and the certificate that expires last in ONE ModifyListener; rollback restores both exactly', async () => {
    let later = '';
    store.update((state) => {
      const acm = regionState(state, REGION).acm;
      const current = acm.certificates.find((c) => c.status === 'ISSUED' && c.domainName === 'arquantix.com');
      if (current === undefined) throw new Error('no issued certificate');
      current.notAfter = daysFrom(new Date(), 10).toISOString();
      later = addCertificate(state, REGION, {
        label: 'arquantix-renewed',
        domainName: 'arquantix.com',
        subjectAlternativeNames: ['arquantix.com', 'www.arquantix.com'],
        status: 'ISSUED',
        notAfter: daysFrom(new Date(), 390),
      }).arn;
    });
    await elbv2.send(new ModifyListenerCommand({ ListenerArn: (await listener(443)).ListenerArn, SslPolicy: 'ELBSecurityPolicy-2016-08' }));
    const before = await listeners();

    const plan = await planOf('elbv2.listener-tls');
    expect(plan.changes).toHaveLength(1);
    const seq = lastSeq();
    const runId = await apply(plan);
    expect(mutatingCallsSince(seq)).toEqual(['ModifyListener']);
    const https = await listener(443);
    expect(https.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(https.Certificates?.map((c) => c.CertificateArn)).toEqual([later]);
    expect(https.DefaultActions).toEqual(before.find((l) => l.Port === 443)?.DefaultActions);

    await rollback(runId);
    expect(await listeners()).toEqual(before);
  });
});

describe('elbv2.target-group-health-check (tg.health-check-path + tg.health-check-settings)', () => {
  beforeEach(() => start('incident'));

  it('path and thresholds land in ONE ModifyTargetGroup; rollback restores the target group exactly', async () => {
    await elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: TG_ARN,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
      }),
    );
    const read = async () => (await elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [TG_ARN] }))).TargetGroups?.[0];
    const before = await read();

    const plan = await planOf('elbv2.target-group-health-check', { policy: { healthCheckMatcher: '200-399' } });
    expect(plan.changes).toHaveLength(1);
    const seq = lastSeq();
    const runId = await apply(plan);
    expect(mutatingCallsSince(seq)).toEqual(['ModifyTargetGroup']);
    expect(await read()).toMatchObject({
      HealthCheckPath: '/health/alb',
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-399' },
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 10,
    });

    await rollback(runId);
    expect(await read()).toEqual(before);
  });
});

describe('ec2.security-group-ingress', () => {
  beforeEach(() => start('incident'));

  it('alb.security-group (Arquantix: 80 but not 443): authorizes 443; rollback revokes exactly that rule', async () => {
    const albSg = await groupId('arquantix-alb-sg');
    const https = (await ingressRules(albSg)).find((r) => r.FromPort === 443);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: albSg, SecurityGroupRuleIds: [https?.SecurityGroupRuleId ?? ''] }));
    const before = await ingressRules(albSg);

    const plan = await planOf('ec2.security-group-ingress');
    expect(plan.changes.map((c) => c.locator)).toEqual([{ groupId: albSg }]);
    const seq = lastSeq();
    const runId = await apply(plan);
    expect(mutatingCallsSince(seq)).toEqual(['AuthorizeSecurityGroupIngress']);
    const applied = await ingressRules(albSg);
    const added = applied.filter((r) => !before.some((b) => b.SecurityGroupRuleId === r.SecurityGroupRuleId));
    expect(added.map(ingressRuleOf)).toEqual([
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Source: '0.0.0.0/0', Description: 'HTTPS from anywhere (remediate)' },
    ]);
    const steps = await journal.getSteps(runId);
    expect(steps[0]?.memo?.['authorizedRuleIds']).toEqual([added[0]?.SecurityGroupRuleId]);

    const rollbackSeq = lastSeq();
    await rollback(runId);
    expect(mutatingCallsSince(rollbackSeq)).toEqual(['RevokeSecurityGroupIngress']);
    const after = await ingressRules(albSg);
    expect(after).toEqual(before);
    expect(after.map((r) => r.SecurityGroupRuleId)).not.toContain(added[0]?.SecurityGroupRuleId);
  });

  it("ecs.task-security-group (Nexora: 3000 open to 0.0.0.0/0): authorizes 3000 from the ALB's group and revokes exactly the open rule; rollback restores the same set", async () => {
    const albSg = await groupId('arquantix-alb-sg');
    const taskSg = await groupId('arquantix-ecs-sg');
    const fromAlb = (await ingressRules(taskSg)).find((r) => r.ReferencedGroupInfo?.GroupId === albSg);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: taskSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'app' }] }],
      }),
    );
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: taskSg, SecurityGroupRuleIds: [fromAlb?.SecurityGroupRuleId ?? ''] }));
    const before = await ingressRules(taskSg);
    const beforeSet = await ruleSet(taskSg);
    const openId = before.find((r) => r.CidrIpv4 === '0.0.0.0/0')?.SecurityGroupRuleId;

    const plan = await planOf('ec2.security-group-ingress');
    expect(plan.changes.map((c) => c.locator)).toEqual([{ groupId: taskSg }]);
    const seq = lastSeq();
    const runId = await apply(plan);
    expect(mutatingCallsSince(seq)).toEqual(['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress']);
    const applied = await ingressRules(taskSg);
    expect(applied.map(ingressRuleOf)).toEqual([
      { IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, Source: albSg, Description: 'from arquantix-alb-sg (remediate)' },
    ]);
    expect(applied.map((r) => r.SecurityGroupRuleId)).not.toContain(openId);
    const addedId = applied[0]?.SecurityGroupRuleId;

    await rollback(runId);
    expect(await ruleSet(taskSg)).toEqual(beforeSet);
    expect((await ingressRules(taskSg)).map((r) => r.SecurityGroupRuleId)).not.toContain(addedId);
  });

  it('a rule the apply added, removed and added again by someone else since, is an identity conflict at rollback', async () => {
    const albSg = await groupId('arquantix-alb-sg');
    const https = (await ingressRules(albSg)).find((r) => r.FromPort === 443);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: albSg, SecurityGroupRuleIds: [https?.SecurityGroupRuleId ?? ''] }));
    const runId = await apply(await planOf('ec2.security-group-ingress'));
    const added = (await ingressRules(albSg)).find((r) => r.FromPort === 443);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: albSg, SecurityGroupRuleIds: [added?.SecurityGroupRuleId ?? ''] }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: albSg,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS from anywhere (remediate)' }],
          },
        ],
      }),
    );
    const recreated = (await ingressRules(albSg)).find((r) => r.FromPort === 443)?.SecurityGroupRuleId;

    const seq = lastSeq();
    const refused = await rollbackRun(engine, { runId, force: false, dryRun: false }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RemediateError);
    expect((refused as RemediateError).code).toBe(ErrorCode.RollbackConflict);
    expect((refused as RemediateError).message).toMatch(new RegExp(`${recreated ?? 'x'}, not ${added?.SecurityGroupRuleId ?? 'y'}`));
    expect(mutatingCallsSince(seq)).toEqual([]);
    expect((await ingressRules(albSg)).find((r) => r.FromPort === 443)?.SecurityGroupRuleId).toBe(recreated);
  });
});

describe('ec2.security-group-egress', () => {
  beforeEach(() => start('incident'));

  const VPC_CIDR = '172.31.0.0/16';
  const HTTPS_OUT = 'HTTPS out: image pulls and logs (remediate)';

  /** Narrows a group's outbound rules to all traffic inside the VPC, as the `arquantix` scenario has the tasks' group. */
  async function onlyInsideVpc(id: string): Promise<void> {
    const anywhere = (await allRules(id)).find((r) => r.IsEgress === true && r.CidrIpv4 === '0.0.0.0/0');
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId: id,
        IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: VPC_CIDR, Description: 'inside the VPC' }] }],
      }),
    );
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, SecurityGroupRuleIds: [anywhere?.SecurityGroupRuleId ?? ''] }));
  }

  it('ecs.task-security-group-egress (tasks out only to the VPC): the dry run names authorize-security-group-egress; apply adds exactly tcp 443 to anywhere; rollback leaves the rules byte-identical', async () => {
    const taskSg = await groupId('arquantix-ecs-sg');
    await onlyInsideVpc(taskSg);
    const before = await allRules(taskSg);

    const plan = await planOf('ec2.security-group-egress');
    expect(plan.changes.map((c) => [c.check, c.locator])).toEqual([['ecs.task-security-group-egress', { groupId: taskSg }]]);
    const dry = await applyPlan(engine, { planId: plan.id, dryRun: true });
    expect(dry.steps.flatMap((s) => awsCliLines(s.calls, dry.region, {}))).toEqual([
      `aws ec2 authorize-security-group-egress --group-id ${taskSg} --ip-permissions '[{"IpProtocol":"tcp","FromPort":443,"ToPort":443,"IpRanges":[{"CidrIp":"0.0.0.0/0","Description":"${HTTPS_OUT}"}]}]' --region ${REGION}`,
    ]);
    expect(await allRules(taskSg)).toEqual(before);

    const seq = lastSeq();
    const runId = await apply(plan);
    expect(mutatingCallsSince(seq)).toEqual(['AuthorizeSecurityGroupEgress']);
    const applied = await allRules(taskSg);
    const added = applied.filter((r) => !before.some((b) => b.SecurityGroupRuleId === r.SecurityGroupRuleId));
    expect(added.map((r) => ({ IsEgress: r.IsEgress, ...egressRules.of(r) }))).toEqual([
      { IsEgress: true, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Destination: '0.0.0.0/0', Description: HTTPS_OUT },
    ]);
    expect(applied.filter((r) => !added.includes(r))).toEqual(before);
    const steps = await journal.getSteps(runId);
    expect(steps[0]?.memo?.['authorizedRuleIds']).toEqual([added[0]?.SecurityGroupRuleId]);

    const rollbackSeq = lastSeq();
    await rollback(runId);
    expect(mutatingCallsSince(rollbackSeq)).toEqual(['RevokeSecurityGroupEgress']);
    expect(await allRules(taskSg)).toEqual(before);
  });

  it("alb.security-group-egress (the load balancer's group lets nothing out): authorizes only tcp 3000 to the tasks' group; rollback revokes exactly that rule", async () => {
    const albSg = await groupId('arquantix-alb-sg');
    const taskSg = await groupId('arquantix-ecs-sg');
    const anywhere = (await allRules(albSg)).find((r) => r.IsEgress === true);
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: albSg, SecurityGroupRuleIds: [anywhere?.SecurityGroupRuleId ?? ''] }));
    const before = await allRules(albSg);

    const plan = await planOf('ec2.security-group-egress');
    expect(plan.changes.map((c) => [c.check, c.locator])).toEqual([['alb.security-group-egress', { groupId: albSg }]]);
    const seq = lastSeq();
    const runId = await apply(plan);
    expect(mutatingCallsSince(seq)).toEqual(['AuthorizeSecurityGroupEgress']);
    const added = (await allRules(albSg)).filter((r) => !before.some((b) => b.SecurityGroupRuleId === r.SecurityGroupRuleId));
    expect(added.map((r) => ({ IsEgress: r.IsEgress, ...egressRules.of(r) }))).toEqual([
      {
        IsEgress: true,
        IpProtocol: 'tcp',
        FromPort: 3000,
        ToPort: 3000,
        Destination: taskSg,
        Description: 'to the tasks on 3000 (remediate)',
      },
    ]);

    await rollback(runId);
    expect(await allRules(albSg)).toEqual(before);
  });

  it.runIf(hasAwsCli)('the dry run’s aws CLI command, run as printed, makes the same rule', async () => {
    const taskSg = await groupId('arquantix-ecs-sg');
    await onlyInsideVpc(taskSg);
    const before = await allRules(taskSg);
    const dry = await applyPlan(engine, { planId: (await planOf('ec2.security-group-egress')).id, dryRun: true });
    const script = dry.steps.flatMap((s) => awsCliLines(s.calls, dry.region, {})).join('\n');
    const run = await promisify(execFile)('bash', ['--norc', '--noprofile', '-c', `set -euo pipefail\n${script}`], {
      env: {
        PATH: process.env['PATH'],
        AWS_ENDPOINT_URL: server.url,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    expect(run.stderr).toBe('');
    const added = (await allRules(taskSg)).filter((r) => !before.some((b) => b.SecurityGroupRuleId === r.SecurityGroupRuleId));
    expect(added.map((r) => ({ IsEgress: r.IsEgress, ...egressRules.of(r) }))).toEqual([
      { IsEgress: true, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Destination: '0.0.0.0/0', Description: HTTPS_OUT },
    ]);
  });
});

describe('ec2.security-group-ingress, seen through target health', () => {
  beforeEach(() => start('healthy'));

  const health = async () =>
    ((await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: TG_ARN }))).TargetHealthDescriptions ?? []).map((t) =>
      `${t.TargetHealth?.State ?? ''} ${t.TargetHealth?.Reason ?? ''}`.trim(),
    );

  it('tasks the load balancer cannot reach time out (tg.healthy-targets points at ecs.task-security-group); the fix makes them healthy, the rollback undoes it', async () => {
    const albSg = await groupId('arquantix-alb-sg');
    const taskSg = await groupId('arquantix-ecs-sg');
    const fromAlb = (await ingressRules(taskSg)).find((r) => r.ReferencedGroupInfo?.GroupId === albSg);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: taskSg, SecurityGroupRuleIds: [fromAlb?.SecurityGroupRuleId ?? ''] }));
    expect(await health()).toEqual(['unhealthy Target.Timeout']);

    const spec = stackDefinition(store.stack() as StackInput);
    const observation = await observeStack(engine.awsFor, spec, new Date());
    const [targets] = healthyTargetsCheck.detect(observation);
    expect(targets?.finding.evidence).toMatchObject({
      notHealthy: [{ reason: 'Target.Timeout', addressedBy: ['ecs.task-security-group', 'tg.port-protocol', 'tg.health-check-settings'] }],
    });

    const plan = await planOf('ec2.security-group-ingress');
    expect(plan.findings.find((f) => f.check === 'ecs.task-security-group')?.severity).toBe('critical');
    const runId = await apply(plan);
    expect(await health()).toEqual(['healthy']);

    await rollback(runId);
    expect(await health()).toEqual(['unhealthy Target.Timeout']);
    expect(await ingressRules(taskSg)).toEqual([]);
  });

  it("closing Nexora's open port keeps the targets healthy: the load balancer's group is let in before the open rule goes", async () => {
    const albSg = await groupId('arquantix-alb-sg');
    const taskSg = await groupId('arquantix-ecs-sg');
    const fromAlb = (await ingressRules(taskSg)).find((r) => r.ReferencedGroupInfo?.GroupId === albSg);
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: taskSg,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3000, ToPort: 3000, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: taskSg, SecurityGroupRuleIds: [fromAlb?.SecurityGroupRuleId ?? ''] }));
    expect(await health()).toEqual(['healthy']);
    const runId = await apply(await planOf('ec2.security-group-ingress'));
    expect(await health()).toEqual(['healthy']);
    expect((await ingressRules(taskSg)).map((r) => ingressRuleOf(r).Source)).toEqual([albSg]);
    await rollback(runId);
    expect(await health()).toEqual(['healthy']);
  });
});

describe('elbv2.listener-default-actions (alb.default-rule)', () => {
  beforeEach(() => start('healthy'));

  it('an HTTPS listener forwarding to another target group is moved back to the service target group; rollback restores it', async () => {
    let stray = '';
    store.update((state) => {
      const vpcId = regionState(state, REGION).elbv2.targetGroups[0]?.vpcId ?? '';
      stray = addTargetGroup(state, REGION, { name: 'arquantix-old-tg', vpcId, port: 3000 }).arn;
    });
    await elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: (await listener(443)).ListenerArn,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: stray }],
      }),
    );
    const before = await listeners();

    const plan = await planOf('elbv2.listener-default-actions');
    expect(plan.changes.map((c) => c.check)).toEqual(['alb.default-rule']);
    const runId = await apply(plan);
    const forwarded = (await listener(443)).DefaultActions?.flatMap((a) => [
      a.TargetGroupArn,
      ...(a.ForwardConfig?.TargetGroups ?? []).map((g) => g.TargetGroupArn),
    ]);
    expect(new Set(forwarded)).toEqual(new Set([TG_ARN]));

    await rollback(runId);
    expect(await listeners()).toEqual(before);
  });
});
