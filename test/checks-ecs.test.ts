import type { ContainerDefinition, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { ImageDetail } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import type { Observation } from '../src/observe/observation.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Change, type Finding, type Plan } from '../src/model/plan.js';
import type { ResolvedStack } from '../src/model/stack-definition.js';
import {
  deploymentStop,
  ecrImage,
  elbStop,
  fixtureTaskDefinition,
  healthyEcsObservation,
  imageDigest,
  oomStop,
  pullTimeoutStop,
  rateLimitStop,
  runningTask,
  secretValues,
  stoppedTask,
  taskDefinitionArn,
} from './support/ecs-observation-fixture.js';
import { fixtureStack, now, serviceArn, tgArn } from './support/observation-fixture.js';

const MINE = [
  'ecs.deployment-circuit-breaker',
  'ecs.running-count',
  'ecs.crash-loop',
  'ecs.health-check-grace-period',
  'ecs.load-balancer-binding',
  'ecs.container-port',
  'ecs.container-health-check',
  'ecs.image-registry',
  'ecs.memory',
  'ecs.image-current',
  'ecs.placeholder-secrets',
  'ecs.plaintext-secrets',
  'network.image-pull-path',
  'logs.log-group',
  'logs.error-lines',
];

function plan(observation: Observation, stack?: ResolvedStack): Plan {
  const o = stack === undefined ? observation : { ...observation, stack };
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: o.account, region: o.region, stack: o.stack.name }),
    observation: o,
    checks,
  });
}

function findingsOf(p: Plan, check: string): Finding[] {
  return p.findings.filter((f) => f.check === check);
}

function only(p: Plan, check: string): Finding {
  const found = findingsOf(p, check);
  expect(found).toHaveLength(1);
  return found[0] as Finding;
}

function taskDefinitionChangeOf(p: Plan): Change | undefined {
  const found = p.changes.filter((c) => c.kind === 'ecs.task-definition');
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

/** The fixture with the serving container changed. */
function withContainer(o: Observation, patch: Partial<ContainerDefinition>, task: Partial<TaskDefinition> = {}): Observation {
  const td = o.taskDefinition ?? fixtureTaskDefinition();
  return {
    ...o,
    taskDefinition: {
      ...td,
      ...task,
      containerDefinitions: (td.containerDefinitions ?? []).map((c) => (c.name === 'web' ? { ...c, ...patch } : c)),
    },
  };
}

function withEnvironment(o: Observation, env: Record<string, string | undefined>): Observation {
  const container = o.taskDefinition?.containerDefinitions?.[0];
  const kept = (container?.environment ?? []).filter((e) => !(e.name !== undefined && e.name in env));
  const added = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([name, value]) => ({ name, value }));
  return withContainer(o, { environment: [...kept, ...added] });
}

const withStops = (o: Observation, stops: Task[]): Observation => ({ ...o, stoppedTasks: stops });
const withCounts = (o: Observation, running: number, desired: number): Observation => ({
  ...o,
  service: { ...o.service, runningCount: running, desiredCount: desired },
});

describe('the ECS, network and logs checks on a healthy stack', () => {
  it('find nothing, and each says it passed (but the secrets the fixture holds in the clear for the redaction tests)', () => {
    const p = plan(
      withEnvironment(healthyEcsObservation(), { DATABASE_URL: undefined, STRIPE_SECRET_KEY: undefined, SESSION_SECRET: undefined }),
    );
    expect(p.findings.filter((f) => MINE.includes(f.check))).toEqual([]);
    expect(p.changes.filter((c) => c.kind === 'ecs.task-definition' || c.kind === 'ecs.health-check-grace-period')).toEqual([]);
    for (const id of MINE)
      expect(
        p.checks.find((c) => c.id === id),
        id,
      ).toMatchObject({ status: 'passed' });
  });

  it('each check has a title phrased as a checklist line and one of the three layers', () => {
    for (const id of MINE) {
      const check = checks.find((c) => c.id === id);
      expect(check, id).toBeDefined();
      expect(['ecs', 'network', 'logs']).toContain(check?.layer);
      expect(check?.title).toMatch(/^[A-Z]/);
    }
  });

  it('are not run when the service could not be read', () => {
    const p = plan({ ...healthyEcsObservation(), service: undefined, taskDefinition: undefined, network: undefined, logGroup: undefined });
    for (const id of MINE) expect(p.checks.find((c) => c.id === id)?.status, id).toBe('not-run');
  });
});

describe('ecs.running-count', () => {
  it.each([
    [0, 1, 'critical'],
    [1, 2, 'high'],
  ])('running %i of %i desired: %s, with the deployments as evidence', (running, desired, severity) => {
    const p = plan(withCounts(healthyEcsObservation(), running, desired));
    const f = only(p, 'ecs.running-count');
    expect(f.severity).toBe(severity);
    expect(f.changeId).toBeUndefined();
    // No task stopped on a failure: ecs.crash-loop passed, so the next step reads the service's events instead.
    expect(f.nextStep).not.toMatch(/ecs\.crash-loop/);
    expect(f.nextStep).toMatch(/aws ecs describe-services .*--query 'services\[0\]\.events\[:10\]'/);
    expect(f.evidence).toMatchObject({
      desiredCount: desired,
      runningCount: running,
      pendingCount: 0,
      deployments: [{ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'shop-web:7' }],
    });
  });

  it('desired 0 behind a load balancer is a finding: nothing serves', () => {
    const f = only(plan(withCounts(healthyEcsObservation(), 0, 0)), 'ecs.running-count');
    expect(f.severity).toBe('high');
    expect(f.nextStep).toMatch(/--desired-count 1/);
  });

  it('running more than desired during a deployment is fine', () => {
    expect(findingsOf(plan(withCounts(healthyEcsObservation(), 2, 1)), 'ecs.running-count')).toEqual([]);
  });
});

describe('ecs.crash-loop', () => {
  const mixed = (): Observation =>
    withStops(withCounts(healthyEcsObservation(), 1, 2), [
      oomStop('00000000000000000000000000000oom1', 2),
      rateLimitStop('0000000000000000000000000000rate1', 4),
      oomStop('00000000000000000000000000000oom2', 6),
      pullTimeoutStop('00000000000000000000000000time1', 8),
      elbStop('000000000000000000000000000000elb1', 10),
      deploymentStop('0000000000000000000000000000depl1', 12),
      stoppedTask({
        id: '0000000000000000000000000000exit1',
        minutesAgo: 14,
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
        exitCode: 1,
      }),
      oomStop('000000000000000000000000000000old', 60 * 30),
      stoppedTask({
        id: '000000000000000000000000otherrev',
        minutesAgo: 3,
        stoppedReason: 'Task failed ELB health checks',
        taskDefinition: taskDefinitionArn.replace(':7', ':2'),
      }),
    ]);

  it('counts the recent failures per reason, explains each in plain words and names the check that fixes it', () => {
    const p = plan(mixed());
    const f = only(p, 'ecs.crash-loop');
    // A reason names only the checks that failed in the same plan (issue 8 item 4).
    const failed = (id: string) => p.checks.find((c) => c.id === id)?.status === 'failed';
    expect(f.severity).toBe('high');
    expect(f.changeId).toBeUndefined();
    const byReason = f.evidence['byReason'] as { kind: string; count: number; explanation: string; fixedBy: string[] }[];
    expect(byReason.map((r) => [r.kind, r.count])).toEqual([
      ['out-of-memory', 2],
      ['pull-rate-limit', 1],
      ['network-timeout', 1],
      ['elb-health-checks', 1],
      ['container-exited', 1],
    ]);
    const reason = (kind: string) => byReason.find((r) => r.kind === kind);
    expect(reason('out-of-memory')).toMatchObject({ fixedBy: ['ecs.memory'] });
    expect(reason('out-of-memory')?.explanation).toMatch(/exit 137.*ts-node/);
    // The fixture's image is on ECR already: ecs.image-registry passed, so the old rate-limit stop names no check.
    expect(failed('ecs.image-registry')).toBe(false);
    expect(reason('pull-rate-limit')).toMatchObject({ fixedBy: [] });
    expect(reason('pull-rate-limit')?.explanation).toMatch(/Docker Hub.*toomanyrequests/);
    expect(reason('network-timeout')).toMatchObject({ fixedBy: failed('network.image-pull-path') ? ['network.image-pull-path'] : [] });
    expect(reason('elb-health-checks')?.fixedBy).toEqual(
      ['tg.health-check-path', 'tg.health-check-settings', 'ecs.health-check-grace-period'].filter(failed),
    );
    expect(reason('container-exited')?.explanation).toMatch(/exit code 1/);
    expect(f.evidence).toMatchObject({ failedTasks: 6, desiredCount: 2, runningCount: 1 });
    const newest = f.evidence['newest'] as Record<string, unknown>[];
    expect(newest).toHaveLength(5);
    expect(newest[0]).toMatchObject({
      taskId: '00000000000000000000000000000oom1',
      kind: 'out-of-memory',
      exitCode: 137,
      taskDefinition: 'shop-web:7',
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    });
    expect(newest[0]?.['stoppedAt']).toBe(new Date(now.getTime() - 2 * 60_000).toISOString());
    expect(f.nextStep).toMatch(/see ecs\.memory/);
    expect(f.nextStep).toMatch(/see network\.image-pull-path/);
  });

  it('is critical when nothing runs', () => {
    expect(only(plan(withCounts(mixed(), 0, 2)), 'ecs.crash-loop').severity).toBe('critical');
  });

  it('is high when the newest deployment is stuck even though running = desired (the Arquantix revision 3)', () => {
    const o = withStops(healthyEcsObservation(), [pullTimeoutStop('00000000000000000000000000time1', 3)]);
    const stuck: Observation = {
      ...o,
      service: {
        ...o.service,
        deployments: [
          {
            id: 'ecs-svc/2',
            status: 'PRIMARY',
            taskDefinition: taskDefinitionArn,
            desiredCount: 1,
            runningCount: 0,
            failedTasks: 3,
            rolloutState: 'IN_PROGRESS',
          },
          {
            id: 'ecs-svc/1',
            status: 'ACTIVE',
            taskDefinition: taskDefinitionArn.replace(':7', ':6'),
            desiredCount: 1,
            runningCount: 1,
            rolloutState: 'COMPLETED',
          },
        ],
      },
    };
    expect(only(plan(stuck), 'ecs.crash-loop').severity).toBe('high');
    expect(only(plan(o), 'ecs.crash-loop').severity).toBe('medium');
  });

  it('says nothing about deployments, scale-ins, old history or revisions the service has left', () => {
    const o = withStops(healthyEcsObservation(), [
      deploymentStop('0000000000000000000000000000depl1', 2),
      stoppedTask({
        id: '0000000000000000000000000000user1',
        minutesAgo: 3,
        stopCode: 'UserInitiated',
        stoppedReason: 'Task stopped by user',
      }),
      oomStop('000000000000000000000000000000old', 60 * 30),
      stoppedTask({
        id: '000000000000000000000000otherrev',
        minutesAgo: 3,
        stoppedReason: 'Task failed ELB health checks',
        taskDefinition: taskDefinitionArn.replace(':7', ':2'),
      }),
    ]);
    expect(findingsOf(plan(o), 'ecs.crash-loop')).toEqual([]);
  });

  it('with the tasks not all read: the failures it did see fail it (and ecs.memory), none seen is not run, not passed', () => {
    const gap = (o: Observation): Observation => ({
      ...o,
      gaps: [
        ...o.gaps,
        { layer: 'tasks', resource: 'tasks', code: 'AccessDenied', message: 'not authorized to perform ecs:DescribeTasks' },
      ],
    });
    const statuses = (o: Observation) =>
      plan(o)
        .checks.filter((c) => c.id === 'ecs.crash-loop' || c.id === 'ecs.memory')
        .map((c) => [c.id, c.status]);
    expect(statuses(gap(mixed()))).toEqual([
      ['ecs.crash-loop', 'failed'],
      ['ecs.memory', 'failed'],
    ]);
    expect(statuses(gap(withStops(healthyEcsObservation(), [])))).toEqual([
      ['ecs.crash-loop', 'not-run'],
      ['ecs.memory', 'not-run'],
    ]);
    expect(statuses(withStops(healthyEcsObservation(), []))).toEqual([
      ['ecs.crash-loop', 'passed'],
      ['ecs.memory', 'passed'],
    ]);
  });
});

describe('ecs.health-check-grace-period and the target group', () => {
  const slowTargetGroup = (o: Observation): Observation => ({
    ...o,
    targetGroup: { ...o.targetGroup, HealthyThresholdCount: 5, HealthCheckIntervalSeconds: 30 },
  });
  const lowPolicy = fixtureStack({ policy: { minHealthCheckGracePeriodSeconds: 60 } });

  it('requires healthy threshold × interval + one interval when that is more than the policy (the Arquantix crash loop)', () => {
    const o = slowTargetGroup({
      ...healthyEcsObservation(),
      service: { ...healthyEcsObservation().service, healthCheckGracePeriodSeconds: 120 },
    });
    const p = plan(o, lowPolicy);
    const f = only(p, 'ecs.health-check-grace-period');
    expect(f.severity).toBe('medium');
    expect(f.title).toMatch(/5 × 30s = 150s/);
    expect(f.evidence).toMatchObject({
      healthCheckGracePeriodSeconds: 120,
      policyMinimum: 60,
      requiredSeconds: 180,
      targetGroup: { healthyThresholdCount: 5, healthCheckIntervalSeconds: 30, secondsToTurnHealthy: 150, requiredWithMargin: 180 },
    });
    const change = p.changes.find((c) => c.kind === 'ecs.health-check-grace-period');
    expect(change).toMatchObject({
      resource: serviceArn,
      before: { healthCheckGracePeriodSeconds: 120 },
      after: { healthCheckGracePeriodSeconds: 180 },
    });
  });

  it('is high when tasks were killed by ELB health checks', () => {
    const o = withStops(
      slowTargetGroup({ ...healthyEcsObservation(), service: { ...healthyEcsObservation().service, healthCheckGracePeriodSeconds: 120 } }),
      [elbStop('000000000000000000000000000000elb1', 5)],
    );
    expect(only(plan(o, lowPolicy), 'ecs.health-check-grace-period').severity).toBe('high');
  });

  it('passes when the grace period covers both', () => {
    const o = slowTargetGroup({
      ...healthyEcsObservation(),
      service: { ...healthyEcsObservation().service, healthCheckGracePeriodSeconds: 180 },
    });
    expect(findingsOf(plan(o, lowPolicy), 'ecs.health-check-grace-period')).toEqual([]);
  });
});

describe('ecs.container-port', () => {
  it('PORT that is not the port the load balancer sends to: high, with PORT and HOSTNAME only as evidence', () => {
    const f = only(plan(withEnvironment(healthyEcsObservation(), { PORT: '8080' })), 'ecs.container-port');
    expect(f.severity).toBe('high');
    expect(f.title).toMatch(/PORT=8080.*port 3000/);
    expect(f.evidence).toMatchObject({
      container: 'web',
      portMappings: [3000],
      loadBalancerContainerPort: 3000,
      PORT: '8080',
      HOSTNAME: '0.0.0.0',
    });
    expect(JSON.stringify(f)).not.toContain(secretValues.databasePassword);
  });

  it('its fix: a new revision with PORT set to the port the load balancer sends to, nothing else of the environment in the change', () => {
    const p = plan(withEnvironment(healthyEcsObservation(), { PORT: '8080' }));
    const change = taskDefinitionChangeOf(p);
    expect(only(p, 'ecs.container-port').changeId).toBe(change?.id);
    expect(change?.before).toMatchObject({ taskDefinition: taskDefinitionArn, listen: { PORT: '8080', HOSTNAME: '0.0.0.0' } });
    expect(change?.after).toEqual({ ...(change?.before as object), taskDefinition: null, listen: { PORT: '3000', HOSTNAME: '0.0.0.0' } });
    expect(JSON.stringify(p)).not.toContain(secretValues.databasePassword);
  });

  it.each(['localhost', '127.0.0.1', 'ip-10-0-1-23.ec2.internal'])(
    'HOSTNAME=%s: the load balancer cannot reach it; the fix sets HOSTNAME=0.0.0.0',
    (hostname) => {
      const p = plan(withEnvironment(healthyEcsObservation(), { HOSTNAME: hostname }));
      const f = only(p, 'ecs.container-port');
      expect(f.severity).toBe('high');
      const change = taskDefinitionChangeOf(p);
      expect(f.changeId).toBe(change?.id);
      expect(change?.after).toMatchObject({ taskDefinition: null, listen: { PORT: '3000', HOSTNAME: '0.0.0.0' } });
    },
  );

  it.each([
    ['0.0.0.0 and 3000', { PORT: '3000', HOSTNAME: '0.0.0.0' }],
    ['neither set', { PORT: undefined, HOSTNAME: undefined }],
    ['::', { HOSTNAME: '::' }],
  ])('passes with %s', (_name, env) => {
    expect(findingsOf(plan(withEnvironment(healthyEcsObservation(), env)), 'ecs.container-port')).toEqual([]);
  });
});

describe('ecs.load-balancer-binding', () => {
  const binding = (o: Observation, patch: Record<string, unknown> | null): Observation => ({
    ...o,
    service: {
      ...o.service,
      loadBalancers: patch === null ? [] : [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 3000, ...patch }],
    },
  });

  it.each([
    ['a container the task definition does not have', { containerName: 'api' }, /container api, which shop-web:7 does not have/],
    ['a port the container does not map', { containerPort: 8080 }, /port 8080 of container web, which maps 3000/],
    [
      'another target group',
      { targetGroupArn: tgArn.replace('shop-tg', 'old-tg') },
      /registers its tasks to old-tg, not to the stack's shop-tg/,
    ],
  ])('names %s: critical, with the binding and the containers as evidence', (_name, patch, title) => {
    const f = only(plan(binding(healthyEcsObservation(), patch)), 'ecs.load-balancer-binding');
    expect(f.severity).toBe('critical');
    expect(f.title).toMatch(title);
    expect(f.evidence).toMatchObject({ stackTargetGroup: tgArn, containers: [{ name: 'web', essential: true, ports: [3000] }] });
    expect(f.nextStep).toMatch(/update-service .*--load-balancers targetGroupArn=/);
  });

  it('no load balancer entry at all: critical', () => {
    const f = only(plan(binding(healthyEcsObservation(), null)), 'ecs.load-balancer-binding');
    expect(f.title).toMatch(/no load balancer entry/);
  });
});

describe('ecs.container-health-check', () => {
  const onHealth = (o: Observation): Observation =>
    withContainer(o, {
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'], interval: 30, timeout: 5, retries: 3 },
    });

  it('a check on another path than the public one (the Nexora /health): a new revision with the same command on /health/alb', () => {
    const p = plan(onHealth(healthyEcsObservation()));
    const f = only(p, 'ecs.container-health-check');
    expect(f.severity).toBe('medium');
    expect(f.evidence).toMatchObject({
      container: 'web',
      probedPath: '/health',
      publicHealthPath: '/health/alb',
      command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'],
    });
    const change = taskDefinitionChangeOf(p);
    expect(change).toMatchObject({
      kind: 'ecs.task-definition',
      action: 'update',
      resource: serviceArn,
      locator: { service: 'shop-web', container: 'web' },
    });
    expect(change?.before).toMatchObject({
      taskDefinition: taskDefinitionArn,
      healthCheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'],
    });
    expect(change?.after).toEqual({
      ...(change?.before as object),
      taskDefinition: null,
      healthCheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'],
    });
    expect(f.changeId).toBe(change?.id);
  });

  it('is high when tasks were replaced for failing it', () => {
    const o = withStops(onHealth(healthyEcsObservation()), [
      stoppedTask({
        id: '00000000000000000000000000000hc01',
        minutesAgo: 5,
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Task failed container health checks',
      }),
    ]);
    expect(only(plan(o), 'ecs.container-health-check').severity).toBe('high');
  });

  it('a command that carries credentials: never shown nor rewritten, a next step instead', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.fixture-token';
    const o = withContainer(healthyEcsObservation(), {
      healthCheck: { command: ['CMD-SHELL', `curl -f -H "Authorization: Bearer ${token}" http://localhost:3000/health || exit 1`] },
    });
    const p = plan(o);
    const f = only(p, 'ecs.container-health-check');
    expect(f.changeId).toBeUndefined();
    expect(f.nextStep).toMatch(/carries credentials/);
    expect(JSON.stringify(p)).not.toContain(token);
  });

  it('the same path as the target group, failing, and no public path named (the Nexora stack walked from its domain): a finding that asks for the path, no change', () => {
    const base = onHealth(healthyEcsObservation());
    const { healthPath: _named, ...unnamed } = base.stack;
    const o: Observation = {
      ...base,
      stack: unnamed,
      targetGroup: { ...base.targetGroup, HealthCheckPath: '/health' },
      runningTasks: [{ ...runningTask(), containers: [{ name: 'web', lastStatus: 'RUNNING', healthStatus: 'UNHEALTHY' }] }],
    };
    const p = plan(o);
    const f = only(p, 'ecs.container-health-check');
    expect(f).toMatchObject({
      severity: 'high',
      evidence: { probedPath: '/health', targetGroupPath: '/health', publicHealthPath: null, unhealthyRunningTasks: 1 },
    });
    expect(f.title).toMatch(/health check on \/health fails/);
    expect(f.nextStep).toMatch(/--health-path/);
    expect(f.changeId).toBeUndefined();
    expect(taskDefinitionChangeOf(p)).toBeUndefined();
  });

  it('the public path, passing: no finding; failing: a finding that sends to the logs', () => {
    const onPublic = withContainer(healthyEcsObservation(), {
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'] },
    });
    expect(findingsOf(plan(onPublic), 'ecs.container-health-check')).toEqual([]);
    const failing = withStops(onPublic, [
      stoppedTask({
        id: '00000000000000000000000000000hc02',
        minutesAgo: 5,
        stopCode: 'ServiceSchedulerInitiated',
        stoppedReason: 'Task failed container health checks',
      }),
    ]);
    const f = only(plan(failing), 'ecs.container-health-check');
    expect(f.nextStep).toMatch(/logs/);
    expect(f.changeId).toBeUndefined();
  });

  it.each([
    ['the public path', ['CMD-SHELL', 'wget -q --spider http://localhost:3000/health/alb || exit 1']],
    ['no URL', ['CMD', 'node', 'healthcheck.js']],
  ])('passes with %s', (_name, command) => {
    expect(findingsOf(plan(withContainer(healthyEcsObservation(), { healthCheck: { command } })), 'ecs.container-health-check')).toEqual(
      [],
    );
  });
});

describe('ecs.image-registry', () => {
  it.each([
    ['node:20-alpine', 'public.ecr.aws/docker/library/node:20-alpine'],
    ['docker.io/library/node:20', 'public.ecr.aws/docker/library/node:20'],
    ['library/python:3.11-slim', 'public.ecr.aws/docker/library/python:3.11-slim'],
    ['nginx@sha256:0123abcd', 'public.ecr.aws/docker/library/nginx@sha256:0123abcd'],
  ])('%s from Docker Hub: medium, and a new revision with %s', (image, mirror) => {
    const p = plan(withContainer(healthyEcsObservation(), { image }));
    const f = only(p, 'ecs.image-registry');
    expect(f.severity).toBe('medium');
    expect(f.evidence).toMatchObject({ image, registry: 'Docker Hub', mirror, tasksStoppedByRateLimit: 0 });
    expect(taskDefinitionChangeOf(p)?.after).toMatchObject({ image: mirror });
  });

  it('high when tasks stopped on the rate limit (the Nexora toomanyrequests)', () => {
    const o = withStops(withContainer(healthyEcsObservation(), { image: 'node:20-alpine' }), [
      rateLimitStop('0000000000000000000000000000rate1', 3),
    ]);
    const f = only(plan(o), 'ecs.image-registry');
    expect(f.severity).toBe('high');
    expect(f.title).toMatch(/toomanyrequests/);
    expect(f.evidence['newest']).toMatchObject([{ kind: 'pull-rate-limit', taskId: '0000000000000000000000000000rate1' }]);
  });

  it('a non-official Docker Hub image: a next step, no change', () => {
    const p = plan(withContainer(healthyEcsObservation(), { image: 'bitnami/nginx:1.25' }));
    const f = only(p, 'ecs.image-registry');
    expect(f.changeId).toBeUndefined();
    expect(f.nextStep).toMatch(/Amazon ECR/);
    expect(taskDefinitionChangeOf(p)).toBeUndefined();
  });

  it.each([
    '411714852748.dkr.ecr.me-central-1.amazonaws.com/shop-web:1.4.2',
    'public.ecr.aws/docker/library/node:20-alpine',
    'ghcr.io/acme/web:1',
    'localhost:5000/web',
  ])('passes with %s', (image) => {
    expect(findingsOf(plan(withContainer(healthyEcsObservation(), { image })), 'ecs.image-registry')).toEqual([]);
  });
});

describe('ecs.image-current', () => {
  const newer = `sha256:${'cd'.repeat(32)}`;
  const pushedAt = new Date(now.getTime() - 3_600_000);
  const tagNow = (o: Observation, detail: ImageDetail | null): Observation => ({ ...o, ecrImages: { [ecrImage]: detail } });

  it('the running task pulled an older build than the tag names now: medium, both digests, the redeploy as next step, no change', () => {
    const o = tagNow(healthyEcsObservation(), {
      repositoryName: 'shop-web',
      imageDigest: newer,
      imageTags: ['1.4.2'],
      imagePushedAt: pushedAt,
    });
    const p = plan(o);
    const f = only(p, 'ecs.image-current');
    expect(f).toMatchObject({
      severity: 'medium',
      resource: taskDefinitionArn,
      evidence: { tagPointsTo: newer, pushedAt: pushedAt.toISOString(), runningTasks: [{ imageDigest }] },
    });
    expect(f.nextStep).toMatch(
      /aws ecs update-service --cluster shop-cluster --service shop-web --region me-central-1 --force-new-deployment/,
    );
    expect(f.changeId).toBeUndefined();
  });

  it('the tag does not exist any more: high, new tasks cannot pull', () => {
    const f = only(plan(tagNow(healthyEcsObservation(), null)), 'ecs.image-current');
    expect(f).toMatchObject({ severity: 'high', evidence: { image: ecrImage, found: false } });
  });

  it('passes when the tasks run what the tag names; not run for an image the walk did not read (Docker Hub, a digest)', () => {
    expect(findingsOf(plan(healthyEcsObservation()), 'ecs.image-current')).toEqual([]);
    const { ecrImages: _read, ...unread } = healthyEcsObservation();
    expect(plan(unread).checks.find((c) => c.id === 'ecs.image-current')?.status).toBe('not-run');
  });
});

describe('ecs.memory', () => {
  it('tasks killed with exit 137 (the Nexora SIGKILL): a new revision with twice the memory', () => {
    const o = withStops(healthyEcsObservation(), [
      oomStop('00000000000000000000000000000oom1', 2),
      oomStop('00000000000000000000000000000oom2', 7),
    ]);
    const p = plan(o);
    const f = only(p, 'ecs.memory');
    expect(f.severity).toBe('high');
    expect(f.title).toMatch(/2 task\(s\).*killed for memory \(exit 137\) at 512 MiB/);
    expect(f.evidence).toMatchObject({
      killedForMemory: 2,
      cpu: 256,
      memory: 512,
      containerMemory: null,
      proposed: { cpu: 256, memory: 1024, containerMemory: null },
    });
    expect(String(f.evidence['explanation'])).toMatch(/ts-node/);
    expect(taskDefinitionChangeOf(p)?.after).toMatchObject({ taskDefinition: null, cpu: 256, memory: 1024 });
  });

  it.each([
    ['256', '2048', null, { cpu: 512, memory: 4096, containerMemory: null }],
    ['1024', '2048', 2048, { cpu: 1024, memory: 4096, containerMemory: 4096 }],
    ['512', '1024', 512, { cpu: 512, memory: 2048, containerMemory: 1024 }],
    ['4096', '30720', null, { cpu: 8192, memory: 61440, containerMemory: null }],
  ])('cpu %s / memory %s (container %s) becomes a valid Fargate size: %o', (cpu, memory, containerMemory, wanted) => {
    const o = withStops(
      withContainer(healthyEcsObservation(), containerMemory === null ? {} : { memory: containerMemory }, { cpu, memory }),
      [{ ...oomStop('00000000000000000000000000000oom1', 2), memory }],
    );
    expect(taskDefinitionChangeOf(plan(o))?.after).toMatchObject(wanted);
  });

  it('kills at a smaller size than the one running now are history', () => {
    const o = withStops(withContainer(healthyEcsObservation(), {}, { memory: '1024' }), [oomStop('00000000000000000000000000000oom1', 2)]);
    expect(findingsOf(plan(o), 'ecs.memory')).toEqual([]);
  });

  it('the largest Fargate size cannot double: a next step', () => {
    const o = withStops(withContainer(healthyEcsObservation(), {}, { cpu: '16384', memory: '122880' }), [
      { ...oomStop('00000000000000000000000000000oom1', 2), memory: '122880' },
    ]);
    const f = only(plan(o), 'ecs.memory');
    expect(f.changeId).toBeUndefined();
    expect(f.nextStep).toMatch(/compile ahead/);
  });
});

describe('one ecs.task-definition change per service, merged from the image, memory and health-check checks', () => {
  const nexora = (): Observation =>
    withStops(
      withCounts(
        withContainer(healthyEcsObservation(), {
          image: 'node:20-alpine',
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'], interval: 30, timeout: 5, retries: 3 },
        }),
        1,
        2,
      ),
      [
        oomStop('00000000000000000000000000000oom1', 2),
        rateLimitStop('0000000000000000000000000000rate1', 4),
        oomStop('00000000000000000000000000000oom2', 6),
      ],
    );

  it('holds the new image, twice the memory and the health check on /health/alb, and nothing secret', () => {
    const p = plan(nexora());
    const change = taskDefinitionChangeOf(p);
    expect(change?.before).toEqual({
      taskDefinition: taskDefinitionArn,
      container: 'web',
      image: 'node:20-alpine',
      cpu: 256,
      memory: 512,
      containerMemory: null,
      healthCheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'],
      listen: { PORT: '3000', HOSTNAME: '0.0.0.0' },
      logging: { driver: 'awslogs', group: '/ecs/shop-web', region: 'me-central-1', streamPrefix: 'ecs' },
    });
    expect(change?.after).toEqual({
      taskDefinition: null,
      container: 'web',
      image: 'public.ecr.aws/docker/library/node:20-alpine',
      cpu: 256,
      memory: 1024,
      containerMemory: null,
      healthCheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'],
      listen: { PORT: '3000', HOSTNAME: '0.0.0.0' },
      logging: { driver: 'awslogs', group: '/ecs/shop-web', region: 'me-central-1', streamPrefix: 'ecs' },
    });
    for (const check of ['ecs.image-registry', 'ecs.memory', 'ecs.container-health-check'])
      expect(only(p, check).changeId).toBe(change?.id);
  });

  it('comes after the grace-period change, so that new tasks get the longer grace period', () => {
    const o = nexora();
    const p = plan({ ...o, service: { ...o.service, healthCheckGracePeriodSeconds: 60 } });
    const grace = p.changes.find((c) => c.kind === 'ecs.health-check-grace-period');
    const td = taskDefinitionChangeOf(p);
    expect(td?.dependsOn).toEqual([grace?.id]);
    expect(p.changes.indexOf(grace as Change)).toBeLessThan(p.changes.indexOf(td as Change));
  });
});

describe('ecs.placeholder-secrets', () => {
  const placeholder = 'sk_test_REPLACE_ME';

  it.each([
    ['STRIPE_SECRET_KEY', placeholder, 'placeholder'],
    ['ADMIN_PASSWORD', 'changeme', 'placeholder'],
    ['API_TOKEN', '', 'empty-secret'],
    ['WEBHOOK_SECRET', '<your-webhook-secret>', 'placeholder'],
  ])('%s=%j: a finding naming the variable, never the value, and no change', (name, value, kind) => {
    const p = plan(withEnvironment(healthyEcsObservation(), { [name]: value }));
    const f = only(p, 'ecs.placeholder-secrets');
    expect(f.severity).toBe('high');
    expect(f.changeId).toBeUndefined();
    expect(f.title).toContain(name);
    expect(f.evidence).toEqual({ taskDefinition: 'shop-web:7', variables: [{ container: 'web', name, kind }] });
    expect(f.nextStep).toMatch(/Secrets Manager.*"secrets"/);
    if (value !== '') expect(JSON.stringify(p)).not.toContain(value);
  });

  it('passes with real values (which it never copies either)', () => {
    const p = plan(healthyEcsObservation());
    expect(findingsOf(p, 'ecs.placeholder-secrets')).toEqual([]);
  });
});

describe('ecs.plaintext-secrets', () => {
  it("the fixture's secrets in plain environment (there on purpose, for the redaction tests): one finding naming them, never a value", () => {
    const p = plan(healthyEcsObservation());
    const f = only(p, 'ecs.plaintext-secrets');
    expect(f).toMatchObject({ severity: 'medium', resource: taskDefinitionArn });
    expect(f.changeId).toBeUndefined();
    expect(f.evidence).toEqual({
      taskDefinition: 'shop-web:7',
      variables: [
        { container: 'web', name: 'DATABASE_URL', kind: 'url-password' },
        { container: 'web', name: 'STRIPE_SECRET_KEY', kind: 'secret-name' },
        { container: 'web', name: 'SESSION_SECRET', kind: 'secret-name' },
      ],
    });
    expect(f.nextStep).toMatch(/Secrets Manager.*"secrets".*rotate/);
    for (const value of Object.values(secretValues)) expect(JSON.stringify(p)).not.toContain(value);
  });

  it.each([
    ['a placeholder (ecs.placeholder-secrets says so)', { STRIPE_SECRET_KEY: 'sk_test_REPLACE_ME' }],
    ['an empty secret', { STRIPE_SECRET_KEY: '' }],
    ['a public key by name', { NEXT_PUBLIC_STRIPE_KEY: 'pk_live_abc123', JWT_PUBLIC_KEY: 'MIIBIjANBgkq' }],
    ['an access key id', { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE' }],
    ['an ARN', { DB_SECRET: 'arn:aws:secretsmanager:me-central-1:411714852748:secret:db-AbCdEf' }],
    ['a URL without a password', { DATABASE_URL: 'postgres://db.internal:5432/shop' }],
  ])('does not count %s', (_name, env) => {
    const clean = withEnvironment(healthyEcsObservation(), {
      DATABASE_URL: undefined,
      STRIPE_SECRET_KEY: undefined,
      SESSION_SECRET: undefined,
    });
    expect(findingsOf(plan(clean), 'ecs.plaintext-secrets')).toEqual([]);
    expect(findingsOf(plan(withEnvironment(clean, env)), 'ecs.plaintext-secrets')).toEqual([]);
  });
});

describe('network.image-pull-path', () => {
  const noEgress = (o: Observation): Observation => ({
    ...o,
    network:
      o.network === undefined
        ? undefined
        : {
            ...o.network,
            routeTables: o.network.routeTables.map((t) => ({
              ...t,
              Routes: (t.Routes ?? []).filter((r) => t.RouteTableId !== 'rtb-private' || r.DestinationCidrBlock !== '0.0.0.0/0'),
            })),
            vpcEndpoints: [],
          },
  });

  it('pull timeouts from private subnets without NAT or endpoints (the Arquantix ECR timeout): evidence of the path, the exact things to create', () => {
    const o = withStops(noEgress(healthyEcsObservation()), [
      pullTimeoutStop('00000000000000000000000000time1', 3),
      pullTimeoutStop('00000000000000000000000000time2', 9),
    ]);
    const p = plan(o);
    const f = only(p, 'network.image-pull-path');
    expect(f.severity).toBe('high');
    expect(f.changeId).toBeUndefined();
    expect(f.title).toMatch(/2 task\(s\).*timed out.*2 of 2 subnet\(s\)/);
    expect(f.evidence).toMatchObject({
      assignPublicIp: 'DISABLED',
      subnets: [
        {
          subnetId: 'subnet-a',
          routeTable: 'rtb-private',
          defaultRoute: null,
          reachesInternet: false,
          s3GatewayEndpoint: false,
          mapPublicIpOnLaunch: false,
        },
        { subnetId: 'subnet-b', routeTable: 'rtb-private', defaultRoute: null, reachesInternet: false },
      ],
      vpcEndpoints: { 'ecr.api': false, 'ecr.dkr': false, s3: false, logs: false },
      registry: 'Amazon ECR (private)',
      pullTimeouts: 2,
    });
    expect(f.nextStep).toMatch(/NAT gateway in a public subnet of vpc-1 and a 0\.0\.0\.0\/0 route to it in route table\(s\) rtb-private/);
    expect(f.nextStep).toMatch(
      /interface com\.amazonaws\.me-central-1\.ecr\.api; interface com\.amazonaws\.me-central-1\.ecr\.dkr; gateway com\.amazonaws\.me-central-1\.s3 on route table\(s\) rtb-private; interface com\.amazonaws\.me-central-1\.logs/,
    );
    expect(f.nextStep).toMatch(/TCP 443 from sg-tasks/);
  });

  it('no path and no failure yet: still a finding (new tasks cannot pull)', () => {
    const f = only(plan(noEgress(healthyEcsObservation())), 'network.image-pull-path');
    expect(f.title).toMatch(/2 of 2 subnet\(s\).*no path/);
  });

  it('a deleted NAT gateway (blackhole route) is no path', () => {
    const o = healthyEcsObservation();
    const broken: Observation = {
      ...o,
      network:
        o.network === undefined
          ? undefined
          : {
              ...o.network,
              routeTables: o.network.routeTables.map((t) => ({
                ...t,
                Routes: (t.Routes ?? []).map((r) => (r.NatGatewayId !== undefined ? { ...r, State: 'blackhole' as const } : r)),
              })),
              natGateways: [],
            },
    };
    const f = only(plan(broken), 'network.image-pull-path');
    expect(f.evidence['subnets']).toMatchObject([
      { defaultRoute: { target: 'nat-1', state: 'blackhole' }, natGatewayState: 'missing', reachesInternet: false },
      {},
    ]);
  });

  it('public subnets without a public IP: says to enable assignPublicIp', () => {
    const o = healthyEcsObservation();
    const publicOnly: Observation = {
      ...o,
      network:
        o.network === undefined
          ? undefined
          : { ...o.network, routeTables: o.network.routeTables.filter((t) => t.RouteTableId === 'rtb-main') },
    };
    const f = only(plan(publicOnly), 'network.image-pull-path');
    expect(f.nextStep).toMatch(/assignPublicIp=ENABLED/);
    const withPublicIp: Observation = {
      ...publicOnly,
      service: {
        ...publicOnly.service,
        networkConfiguration: {
          awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-tasks'], assignPublicIp: 'ENABLED' },
        },
      },
    };
    expect(findingsOf(plan(withPublicIp), 'network.image-pull-path')).toEqual([]);
  });

  it('a Docker Hub image cannot use the endpoints: the internet route is needed', () => {
    const o = withContainer(noEgress(healthyEcsObservation()), { image: 'node:20-alpine' });
    expect(only(plan(o), 'network.image-pull-path').nextStep).toMatch(/VPC endpoints cannot reach a public registry/);
  });

  it('passes with the ECR endpoints and the S3 gateway and no internet route', () => {
    const o = noEgress(healthyEcsObservation());
    const region = 'me-central-1';
    const withEndpoints: Observation = {
      ...o,
      network:
        o.network === undefined
          ? undefined
          : {
              ...o.network,
              vpcEndpoints: [
                {
                  VpcEndpointType: 'Interface',
                  ServiceName: `com.amazonaws.${region}.ecr.api`,
                  State: 'Available',
                  PrivateDnsEnabled: true,
                },
                {
                  VpcEndpointType: 'Interface',
                  ServiceName: `com.amazonaws.${region}.ecr.dkr`,
                  State: 'Available',
                  PrivateDnsEnabled: true,
                },
                {
                  VpcEndpointType: 'Gateway',
                  ServiceName: `com.amazonaws.${region}.s3`,
                  State: 'Available',
                  RouteTableIds: ['rtb-private'],
                },
              ],
            },
    };
    expect(findingsOf(plan(withEndpoints), 'network.image-pull-path')).toEqual([]);
  });
});

describe('logs.log-group', () => {
  it('exists but cannot be read (the Arquantix logs): medium, the denial as evidence, the IAM actions to grant', () => {
    const denial = 'AccessDeniedException: User: arn:aws:iam::411714852748:user/oncall is not authorized to perform: logs:FilterLogEvents';
    const healthy = healthyEcsObservation();
    const o: Observation = { ...healthy, logGroup: { name: '/ecs/shop-web', group: healthy.logGroup?.group, readable: false, denial } };
    const f = only(plan(o), 'logs.log-group');
    expect(f.severity).toBe('medium');
    expect(f.resource).toBe('arn:aws:logs:me-central-1:411714852748:log-group:/ecs/shop-web');
    expect(f.evidence).toEqual({ logGroup: '/ecs/shop-web', exists: true, readable: false, denial });
    expect(f.nextStep).toMatch(/logs:FilterLogEvents/);
    expect(f.nextStep).toMatch(/logs:GetLogEvents/);
    expect(f.nextStep).toMatch(/logs:DescribeLogStreams/);
  });

  it('missing: high, and tasks that failed for it are counted', () => {
    const o = withStops({ ...healthyEcsObservation(), logGroup: { name: '/ecs/shop-web', group: undefined, readable: undefined } }, [
      stoppedTask({
        id: '00000000000000000000000000logs01',
        minutesAgo: 2,
        stopCode: 'TaskFailedToStart',
        stoppedReason:
          'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. : exit status 1',
      }),
    ]);
    const f = only(plan(o), 'logs.log-group');
    expect(f.severity).toBe('high');
    expect(f.evidence).toMatchObject({ exists: false, tasksFailedForIt: 1 });
    expect(f.nextStep).toMatch(/aws logs create-log-group --log-group-name \/ecs\/shop-web/);
  });

  it('DescribeLogGroups denied: the finding says so', () => {
    const o = {
      ...healthyEcsObservation(),
      logGroup: { name: '/ecs/shop-web', group: undefined, readable: undefined },
      gaps: [
        {
          layer: 'log-group' as const,
          resource: '/ecs/shop-web',
          code: 'AccessDeniedException',
          message: 'not authorized to perform: logs:DescribeLogGroups',
        },
      ],
    };
    const f = only(plan(o), 'logs.log-group');
    expect(f.title).toMatch(/access denied/);
    expect(f.evidence).toMatchObject({
      readable: false,
      denial: 'AccessDeniedException: not authorized to perform: logs:DescribeLogGroups',
    });
  });
});

describe('logs.error-lines', () => {
  const streamOf = (task: Task) => `ecs/web/${task.taskArn?.split('/').pop() ?? ''}`;
  const withErrors = (o: Observation, events: { stream: string; minutesAgo: number; message: string }[]): Observation => ({
    ...o,
    logGroup: {
      name: '/ecs/shop-web',
      group: o.logGroup?.group,
      readable: true,
      errorEvents: events.map((e) => ({ logStreamName: e.stream, timestamp: now.getTime() - e.minutesAgo * 60_000, message: e.message })),
    },
  });

  it('error lines of the running task: high, the newest first, every environment value and URL password masked', () => {
    const o = healthyEcsObservation();
    const running = o.runningTasks[0] as Task;
    const leak = `Error: connect ECONNREFUSED postgres://shop:${secretValues.databasePassword}@replica.internal:5432/shop (session ${secretValues.sessionSecret}, db ${o.taskDefinition?.containerDefinitions?.[0]?.environment?.find((e) => e.name === 'DATABASE_URL')?.value ?? ''})`;
    const f = only(
      plan(
        withErrors(o, [
          { stream: streamOf(running), minutesAgo: 9, message: "Error: Cannot find module 'next'" },
          { stream: streamOf(running), minutesAgo: 3, message: leak },
        ]),
      ),
      'logs.error-lines',
    );
    expect(f).toMatchObject({ severity: 'high', evidence: { errorLines: 2, fromRunningTasks: 2 } });
    const newest = (f.evidence['newest'] as { message: string; stream: string }[]).map((l) => l.message);
    expect(newest[1]).toBe("Error: Cannot find module 'next'");
    expect(newest[0]).toBe(
      'Error: connect ECONNREFUSED postgres://shop:(redacted)@replica.internal:5432/shop (session (redacted), db (redacted))',
    );
    expect(JSON.stringify(f)).not.toContain(secretValues.databasePassword);
    expect(JSON.stringify(f)).not.toContain(secretValues.sessionSecret);
    expect(f.changeId).toBeUndefined();
    expect(f.nextStep).toMatch(/^read them in full: aws logs filter-log-events --log-group-name \/ecs\/shop-web /);
  });

  it('a stopped task of the revision it runs counts (medium); a task of an older revision is history; a stream that names no task counts', () => {
    const old = stoppedTask({
      id: '0000000000000000000000000000old1',
      minutesAgo: 30,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    const oldTask: Task = { ...old, taskDefinitionArn: taskDefinitionArn.replace(/:7$/, ':6') };
    const current = stoppedTask({
      id: '0000000000000000000000000000cur1',
      minutesAgo: 20,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
    });
    const base = withStops(healthyEcsObservation(), [current, oldTask]);
    expect(
      findingsOf(
        plan(withErrors(base, [{ stream: streamOf(oldTask), minutesAgo: 31, message: 'FATAL ERROR: JavaScript heap out of memory' }])),
        'logs.error-lines',
      ),
    ).toEqual([]);
    const f = only(
      plan(withErrors(base, [{ stream: streamOf(current), minutesAgo: 21, message: 'FATAL ERROR: JavaScript heap out of memory' }])),
      'logs.error-lines',
    );
    expect(f).toMatchObject({ severity: 'medium', evidence: { errorLines: 1, fromRunningTasks: 0 } });
    expect(
      only(plan(withErrors(base, [{ stream: 'app.log', minutesAgo: 5, message: 'Unhandled rejection' }])), 'logs.error-lines').evidence[
        'errorLines'
      ],
    ).toBe(1);
  });

  it('is not run when the events could not be read, and passes when there are none', () => {
    const o = healthyEcsObservation();
    const unreadable: Observation = {
      ...o,
      logGroup: { name: '/ecs/shop-web', group: o.logGroup?.group, readable: false, denial: 'AccessDeniedException: no' },
    };
    expect(plan(unreadable).checks.find((c) => c.id === 'logs.error-lines')?.status).toBe('not-run');
    expect(plan(o).checks.find((c) => c.id === 'logs.error-lines')?.status).toBe('passed');
  });
});

describe('secrets never leave the observation', () => {
  it('a stack where every ECS check fails: no secret value in any finding, change or the plan JSON', () => {
    let o = withContainer(healthyEcsObservation(), {
      image: 'node:20-alpine',
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'] },
    });
    o = withEnvironment(o, { PORT: '8080', HOSTNAME: 'localhost', STRIPE_WEBHOOK_SECRET: 'sk_test_REPLACE_ME' });
    o = withStops(withCounts(o, 0, 2), [
      oomStop('00000000000000000000000000000oom1', 2),
      rateLimitStop('0000000000000000000000000000rate1', 3),
      pullTimeoutStop('00000000000000000000000000time1', 4),
    ]);
    o = {
      ...o,
      logGroup: { name: '/ecs/shop-web', group: { logGroupName: '/ecs/shop-web' }, readable: false, denial: 'AccessDeniedException: no' },
    };
    const p = plan(o);
    expect([...new Set(p.findings.map((f) => f.check))]).toEqual(
      expect.arrayContaining([
        'ecs.running-count',
        'ecs.crash-loop',
        'ecs.container-port',
        'ecs.container-health-check',
        'ecs.image-registry',
        'ecs.memory',
        'ecs.placeholder-secrets',
        'logs.log-group',
      ]),
    );
    const text = JSON.stringify(p);
    for (const value of [...Object.values(secretValues), 'sk_test_REPLACE_ME', 'postgres://']) expect(text).not.toContain(value);
    expect(text).not.toMatch(/"value"/);
    // Names are fine: the placeholder finding names its variable.
    expect(text).toContain('STRIPE_WEBHOOK_SECRET');
  });
});

const ID = 'ecs.deployment-circuit-breaker';

/** The fixture's service with its deployment configuration replaced (undefined: none reported). */
function withDeployment(
  o: Observation,
  deploymentConfiguration: NonNullable<Observation['service']>['deploymentConfiguration'],
): Observation {
  return { ...o, service: { ...o.service, deploymentConfiguration } };
}

describe(ID, () => {
  it('passes when the circuit breaker is on with rollback', () => {
    const p = plan(healthyEcsObservation());
    expect(p.findings.filter((f) => f.check === ID)).toEqual([]);
    expect(p.checks.find((c) => c.id === ID)).toMatchObject({ status: 'passed', layer: 'ecs' });
  });

  it.each([
    ['off', { enable: false, rollback: false }, /has no deployment circuit breaker/],
    ['on without rollback', { enable: true, rollback: false }, /without rollback/],
  ])('%s: a medium finding, and an UpdateService change that turns on the breaker and keeps the limits', (_name, breaker, title) => {
    const p = plan(
      withDeployment(healthyEcsObservation(), { deploymentCircuitBreaker: breaker, maximumPercent: 150, minimumHealthyPercent: 50 }),
    );
    const [finding, ...more] = p.findings.filter((f) => f.check === ID);
    expect(more).toEqual([]);
    expect(finding).toMatchObject({ severity: 'medium', resource: serviceArn, evidence: { deploymentCircuitBreaker: breaker } });
    expect(finding?.title).toMatch(title);
    const change = p.changes.find((c) => c.id === finding?.changeId);
    expect(change).toMatchObject({
      kind: ID,
      action: 'update',
      locator: { cluster: expect.stringContaining(':cluster/shop-cluster'), service: 'shop-web' },
      before: { deploymentCircuitBreaker: breaker, maximumPercent: 150, minimumHealthyPercent: 50 },
      after: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 150, minimumHealthyPercent: 50 },
    });
  });

  it("reads a service that reports no deployment configuration as AWS's default: off, 200%, 100%", () => {
    const p = plan(withDeployment(healthyEcsObservation(), undefined));
    const change = p.changes.find((c) => c.kind === ID);
    expect(change?.before).toEqual({
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
  });

  it('proposes no change for a service whose deployment configuration holds more than the breaker and the limits (alarms): the step is by hand', () => {
    const alarms = { alarmNames: ['shop-5xx'], enable: true, rollback: true };
    const p = plan(
      withDeployment(healthyEcsObservation(), {
        deploymentCircuitBreaker: { enable: false, rollback: false },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        alarms,
      }),
    );
    const [finding] = p.findings.filter((f) => f.check === ID);
    expect(finding?.changeId).toBeUndefined();
    expect(p.changes.filter((c) => c.kind === ID)).toEqual([]);
    expect(finding?.nextStep).toMatch(/alarms/);
    expect(finding?.nextStep).toMatch(/update-service/);
  });

  it('is not run for a service with another deployment controller (the circuit breaker is for rolling updates), nor without a service', () => {
    const blueGreen: Observation = {
      ...healthyEcsObservation(),
      service: { ...healthyEcsObservation().service, deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: undefined },
    };
    expect(plan(blueGreen).checks.find((c) => c.id === ID)?.status).toBe('not-run');
    expect(plan({ ...healthyEcsObservation(), service: undefined }).checks.find((c) => c.id === ID)?.status).toBe('not-run');
  });
});
