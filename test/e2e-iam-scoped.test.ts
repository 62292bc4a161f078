import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { isAllowed, type AccessRequest, type PolicyDocument } from './support/iam-evaluator.js';
import { openSandboxView } from './support/sandbox-view.js';

/**
 * Least privilege that is actually least (issue 10): for each scenario whose plan has changes, apply --confirm then
 * rollback on the sandbox; every mutating call the sandbox recorded (paired in order with the calls the runs
 * journaled, which carry the inputs that name the resource) is allowed by `iam-policy apply|rollback` scoped to
 * that plan, and the same action on another resource of the account, or iam:PassRole to another role or service,
 * is denied. Evaluated with the small evaluator in test/support/iam-evaluator.ts.
 */
interface Case {
  readonly scenario: string;
  readonly planArgs: readonly string[];
  readonly region: string;
}

const cases: readonly Case[] = [
  { scenario: 'arquantix', planArgs: ['--domain', 'arquantix.com'], region: 'me-central-1' },
  { scenario: 'incident', planArgs: [], region: 'me-central-1' },
  { scenario: 'nexora', planArgs: ['--domain', 'nexora.example', '--health-path', '/health/alb'], region: 'us-east-1' },
  { scenario: 'blind-spots', planArgs: ['--domain', 'arquantix.com'], region: 'me-central-1' },
];

interface JournaledCall {
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
}
interface RunDoc {
  readonly runId: string;
  readonly steps: readonly { readonly state: string; readonly calls: readonly JournaledCall[] }[];
}
interface PolicyDoc {
  readonly scope: { readonly plan?: string; readonly account: string; readonly region: string };
  readonly policy: PolicyDocument;
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new Error(`call input has no string ${what}`);
  return v;
};
const nameOf = (arnOrName: string): string => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);

/**
 * The authorisation requests one journaled call makes, as the Service Authorization Reference names its resource,
 * and its implied iam:PassRole (the roles of the revision a RegisterTaskDefinition is based on, read from the
 * sandbox). The first request is the call's own action.
 */
async function requestsOf(call: JournaledCall, at: { account: string; region: string }, ecs: ECSClient): Promise<AccessRequest[]> {
  const i = call.input;
  const elb = (key: string): AccessRequest[] => [{ action: `elasticloadbalancing:${call.operation}`, resource: str(i[key], key) }];
  switch (`${call.service}:${call.operation}`) {
    case 'elbv2:CreateListener':
      return elb('LoadBalancerArn');
    case 'elbv2:ModifyListener':
    case 'elbv2:DeleteListener':
      return elb('ListenerArn');
    case 'elbv2:ModifyTargetGroup':
      return elb('TargetGroupArn');
    case 'ecs:UpdateService':
      return [
        {
          action: 'ecs:UpdateService',
          resource: `arn:aws:ecs:${at.region}:${at.account}:service/${nameOf(str(i['cluster'], 'cluster'))}/${str(i['service'], 'service')}`,
        },
      ];
    case 'ecs:TagResource':
      return [{ action: 'ecs:TagResource', resource: str(i['resourceArn'], 'resourceArn') }];
    case 'ecs:RegisterTaskDefinition': {
      const based = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: str(i['basedOn'], 'basedOn') }))).taskDefinition;
      const roles = [based?.taskRoleArn, based?.executionRoleArn].filter((r): r is string => r !== undefined);
      expect(roles.length).toBeGreaterThan(0);
      return [
        { action: 'ecs:RegisterTaskDefinition', resource: '*' },
        ...roles.map((role) => ({ action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } })),
      ];
    }
    case 'route53:ChangeResourceRecordSets':
      return [
        {
          action: 'route53:ChangeResourceRecordSets',
          resource: `arn:aws:route53:::hostedzone/${nameOf(str(i['HostedZoneId'], 'HostedZoneId'))}`,
        },
      ];
    case 'cloudfront:UpdateDistribution':
      return [
        { action: 'cloudfront:UpdateDistribution', resource: `arn:aws:cloudfront::${at.account}:distribution/${str(i['Id'], 'Id')}` },
      ];
    case 'ec2:AuthorizeSecurityGroupIngress':
    case 'ec2:RevokeSecurityGroupIngress':
    case 'ec2:AuthorizeSecurityGroupEgress':
    case 'ec2:RevokeSecurityGroupEgress':
      return [
        {
          action: `ec2:${call.operation}`,
          resource: `arn:aws:ec2:${at.region}:${at.account}:security-group/${str(i['GroupId'], 'GroupId')}`,
        },
      ];
    default:
      throw new Error(`no IAM mapping in this test for ${call.service} ${call.operation}`);
  }
}

/** The same kind of resource, another one of the account and region: every path segment after the type renamed. */
function another(arn: string): string {
  const slash = arn.indexOf('/');
  return `${arn.slice(0, slash)}/${arn
    .slice(slash + 1)
    .split('/')
    .map((seg) => (seg === 'app' ? seg : `other${seg}`))
    .join('/')}`;
}

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-iam-scoped-');
});
afterAll(() => dir.cleanup());

describe('iam-policy scoped to a plan', () => {
  it.each(cases)(
    'scenario $scenario: every write apply and rollback made is allowed by the scoped policy, the same on another resource is not',
    async (c) => {
      const journal = join(dir.path, `${c.scenario}.db`);
      const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
      expect((await cli('sandbox', 'reset', '--scenario', c.scenario)).code).toBe(0);
      const view = await openSandboxView(join(dir.path, `${c.scenario}.sandbox.db`), c.region);
      const ecs = new ECSClient({
        region: c.region,
        endpoint: view.server.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      });
      try {
        const plan = await cli('plan', ...c.planArgs, '--json');
        expect(plan.code).toBe(2);
        const planId = plan.json<{ id: string }>().id;

        const scoped = async (command: 'apply' | 'rollback'): Promise<PolicyDoc> => {
          const r = await cli('iam-policy', command, ...c.planArgs, '--json');
          expect(r.stderr).toBe('');
          expect(r.code).toBe(0);
          const doc = r.json<PolicyDoc>();
          expect(doc.scope.plan).toBe(planId);
          return doc;
        };
        const applyPolicy = await scoped('apply');
        const rollbackPolicy = await scoped('rollback');
        // No write statement is on "*" but RegisterTaskDefinition (no resource-level permission); PassRole is conditioned.
        for (const doc of [applyPolicy, rollbackPolicy]) {
          for (const s of doc.policy.Statement.slice(1)) {
            const actions = typeof s.Action === 'string' ? [s.Action] : s.Action;
            const resources = typeof s.Resource === 'string' ? [s.Resource] : s.Resource;
            if (!actions.includes('ecs:RegisterTaskDefinition')) expect({ actions, resources }).not.toMatchObject({ resources: ['*'] });
            if (actions.includes('iam:PassRole'))
              expect(s.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
          }
        }

        const check = async (run: RunDoc, policy: PolicyDoc, fromSeq: number): Promise<number> => {
          const journaled = run.steps.flatMap((s) => s.calls).filter((call) => call.service !== 'file');
          // Every mutating call the sandbox received is one the run journaled (the journal has the inputs), and no
          // other: the same actions, as many times each. Independent steps run at once, so the order may differ.
          const recorded = view.store.calls().filter((r) => r.seq > fromSeq && r.mutating);
          const requests = await Promise.all(journaled.map((call) => requestsOf(call, policy.scope, ecs)));
          const sorted = (actions: (string | undefined)[]) => [...actions].sort();
          expect(sorted(recorded.map((r) => r.action))).toEqual(sorted(requests.map((r) => r[0]?.action)));
          for (const request of requests.flat()) {
            expect({ request, allowed: isAllowed(policy.policy, request) }).toEqual({ request, allowed: true });
            if (request.resource !== '*') {
              const elsewhere = { ...request, resource: another(request.resource) };
              expect({ elsewhere, allowed: isAllowed(policy.policy, elsewhere) }).toEqual({ elsewhere, allowed: false });
            }
            if (request.action === 'iam:PassRole') {
              const toEc2 = { ...request, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } };
              expect(isAllowed(policy.policy, toEc2)).toBe(false);
              expect(isAllowed(policy.policy, { action: request.action, resource: request.resource })).toBe(false);
            }
          }
          return requests.flat().length;
        };

        let mark = view.lastSeq();
        const apply = await cli('apply', '--confirm', ...c.planArgs, '--json');
        expect(apply.code).toBe(0);
        const run = apply.json<RunDoc>();
        expect(run.steps.every((s) => s.state === 'applied')).toBe(true);
        expect(await check(run, applyPolicy, mark)).toBeGreaterThan(0);

        mark = view.lastSeq();
        const rollback = await cli('rollback', run.runId, '--json');
        expect(rollback.code).toBe(0);
        expect(await check(rollback.json<RunDoc>(), rollbackPolicy, mark)).toBeGreaterThan(0);
      } finally {
        ecs.destroy();
        await view.close();
      }
    },
    240_000,
  );
});

describe('iam-policy without a plan', () => {
  it('grants each write on the ARN patterns of --account and --region, PassRole only to ECS tasks', async () => {
    const r = await runCli(['iam-policy', 'apply', '--account', '123456789012', '--region', 'eu-west-1', '--json']);
    expect(r.code).toBe(0);
    const { policy } = r.json<PolicyDoc>();
    const listener = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2';
    expect(isAllowed(policy, { action: 'elasticloadbalancing:ModifyListener', resource: listener })).toBe(true);
    expect(
      isAllowed(policy, { action: 'elasticloadbalancing:ModifyListener', resource: listener.replace('123456789012', '210987654321') }),
    ).toBe(false);
    expect(isAllowed(policy, { action: 'elasticloadbalancing:ModifyListener', resource: listener.replace('eu-west-1', 'us-east-1') })).toBe(
      false,
    );
    expect(isAllowed(policy, { action: 'elasticloadbalancing:DeleteLoadBalancer', resource: listener })).toBe(false);
    const role = 'arn:aws:iam::123456789012:role/app-task';
    expect(
      isAllowed(policy, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } }),
    ).toBe(true);
    expect(isAllowed(policy, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe(
      false,
    );
    // Only the reads and RegisterTaskDefinition (no resource-level permission) are on "*".
    const onStar = policy.Statement.filter((s) => s.Resource === '*' || (typeof s.Resource !== 'string' && s.Resource.includes('*')));
    expect(onStar.map((s) => s.Action)).toEqual([expect.arrayContaining(['sts:GetCallerIdentity']), ['ecs:RegisterTaskDefinition']]);
  });

  it('refuses an --account that is not 12 digits, --plan for a command that only reads, and --plan with a stack', async () => {
    const bad = await runCli(['iam-policy', 'apply', '--account', 'prod']);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--account prod is not an AWS account id \(12 digits\)/);
    const reads = await runCli(['iam-policy', 'plan', '--plan', 'plan-1234']);
    expect(reads.code).toBe(bad.code);
    expect(reads.stderr).toMatch(/--plan scopes the writes of apply and rollback, and plan only reads/);
    const both = await runCli(['iam-policy', 'apply', '--plan', 'plan-1234', '--domain', 'arquantix.com']);
    expect(both.code).toBe(bad.code);
    expect(both.stderr).toMatch(/--plan names the plan and therefore its stack; it cannot be combined with --stack or stack flags/);
  });
});
