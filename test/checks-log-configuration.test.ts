import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import type { Observation } from '../src/observe/observation.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { planTarget, type Change, type Finding, type Plan } from '../src/model/plan.js';
import { taskDefinitionMatches } from '../src/fixes/task-definition/index.js';
import { revisionInput } from '../src/fixes/task-definition/revision.js';
import { fixtureTaskDefinition, healthyEcsObservation, oomStop, taskDefinitionArn } from './support/ecs-observation-fixture.js';
import { now } from './support/observation-fixture.js';

/**
 * `logs.log-configuration` (issue 8, "checks the independent run showed missing"): a container without a
 * `logConfiguration` is a finding (logs.log-group only says "does not apply"), fixed by a new revision with an
 * awslogs driver when the group exists; the revision registered copies everything else.
 */
function plan(o: Observation): Plan {
  return buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: o.account, region: o.region, stack: o.stack.name }),
    observation: o,
    checks,
  });
}
const findingsOf = (p: Plan): Finding[] => p.findings.filter((f) => f.check === 'logs.log-configuration');
const changeOf = (p: Plan): Change | undefined => p.changes.find((c) => c.id === findingsOf(p)[0]?.changeId);

/** The ECS fixture whose containers have no log configuration (and so no log group read), plus sidecars. */
function unlogged(opts: { groupExists?: boolean | undefined; sidecar?: boolean; executionRole?: boolean } = {}): Observation {
  const base = healthyEcsObservation();
  const td = fixtureTaskDefinition();
  const strip = (c: ContainerDefinition): ContainerDefinition => {
    const { logConfiguration: _dropped, ...rest } = c;
    return rest;
  };
  const containers = (td.containerDefinitions ?? []).map(strip);
  const { executionRoleArn: _role, ...withoutRole } = td;
  return {
    ...base,
    taskDefinition: {
      ...(opts.executionRole === false ? withoutRole : td),
      containerDefinitions: [
        ...containers,
        ...(opts.sidecar === true ? [{ name: 'xray', image: 'public.ecr.aws/xray/aws-xray-daemon:3.3.12', essential: false }] : []),
      ],
    },
    logGroup: undefined,
    ...(opts.groupExists === undefined ? {} : { proposedLogGroup: { name: '/aws/ecs/shop-web', exists: opts.groupExists } }),
  };
}

describe('logs.log-configuration', () => {
  it('passes when every container has a log configuration (the healthy fixture)', () => {
    const p = plan(healthyEcsObservation());
    expect(p.checks.find((c) => c.id === 'logs.log-configuration')?.status).toBe('passed');
  });

  it('finds a container without one, with the awslogs configuration to add, and proposes the new revision when the group exists', () => {
    const p = plan(unlogged({ groupExists: true }));
    const [f] = findingsOf(p);
    expect(f).toMatchObject({ severity: 'medium', resource: taskDefinitionArn });
    expect(f?.title).toBe('container(s) web of shop-web:7 have no log configuration: their output goes nowhere');
    expect(f?.evidence).toMatchObject({
      containersWithoutLogConfiguration: ['web'],
      servingContainer: 'web',
      logConfigurationToAdd: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/aws/ecs/shop-web', 'awslogs-region': 'me-central-1', 'awslogs-stream-prefix': 'ecs' },
      },
      logGroup: { name: '/aws/ecs/shop-web', exists: true },
    });
    const change = changeOf(p);
    expect(change).toMatchObject({ kind: 'ecs.task-definition', locator: { service: 'shop-web', container: 'web' } });
    expect(change?.before).toMatchObject({ taskDefinition: taskDefinitionArn, logging: null });
    expect(change?.after).toMatchObject({
      taskDefinition: null,
      logging: { driver: 'awslogs', group: '/aws/ecs/shop-web', region: 'me-central-1', streamPrefix: 'ecs' },
    });
    // logs.log-group has nothing to look at: it does not apply, as before.
    expect(p.checks.find((c) => c.id === 'logs.log-group')?.status).toBe('not-run');
  });

  it('is high while tasks fail (their reasons cannot be read)', () => {
    const o = unlogged({ groupExists: true });
    const [f] = findingsOf(plan({ ...o, stoppedTasks: [oomStop('00000000000000000000000000000oom1', 5)] }));
    expect(f?.severity).toBe('high');
    expect(f?.title).toMatch(/and 1 failed task\(s\) cannot say why$/);
  });

  it('proposes no change when the group does not exist or could not be read: the next step creates it first', () => {
    const missing = findingsOf(plan(unlogged({ groupExists: false })))[0];
    expect(missing?.changeId).toBeUndefined();
    expect(missing?.nextStep).toMatch(
      /^log group \/aws\/ecs\/shop-web does not exist: aws logs create-log-group --log-group-name \/aws\/ecs\/shop-web --region me-central-1/,
    );
    expect(missing?.nextStep).toContain('"logConfiguration": {"logDriver":"awslogs"');
    const unread = findingsOf(plan(unlogged()))[0];
    expect(unread?.changeId).toBeUndefined();
    expect(unread?.nextStep).toMatch(/^remediate could not read whether log group \/aws\/ecs\/shop-web exists/);
  });

  it('proposes no change on Fargate without an execution role (ECS refuses awslogs without one)', () => {
    const [f] = findingsOf(plan(unlogged({ groupExists: true, executionRole: false })));
    expect(f?.changeId).toBeUndefined();
    expect(f?.nextStep).toMatch(/needs a task execution role/);
  });

  it('fixes the serving container and names the sidecars it leaves to a person', () => {
    const [f] = findingsOf(plan(unlogged({ groupExists: true, sidecar: true })));
    expect(f?.evidence['containersWithoutLogConfiguration']).toEqual(['web', 'xray']);
    expect(f?.changeId).toBeDefined();
    expect(f?.nextStep).toMatch(/^the new revision logs web only: add to container\(s\) xray in a new revision/);
  });
});

describe('the task-definition executor with a log configuration, pure parts', () => {
  it('adds the awslogs configuration to the one container and copies everything else', () => {
    const td = fixtureTaskDefinition();
    const bare = { ...td, containerDefinitions: (td.containerDefinitions ?? []).map(({ logConfiguration: _l, ...c }) => c) };
    const input = revisionInput(bare, [], {
      basedOn: taskDefinitionArn,
      container: 'web',
      set: { awslogs: { group: '/aws/ecs/shop-web', region: 'me-central-1', streamPrefix: 'ecs' } },
    });
    expect(input.containerDefinitions?.[0]?.logConfiguration).toEqual({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/aws/ecs/shop-web', 'awslogs-region': 'me-central-1', 'awslogs-stream-prefix': 'ecs' },
    });
    expect(input.containerDefinitions?.[0]?.environment).toEqual(bare.containerDefinitions[0]?.environment);
    expect(input.executionRoleArn).toBe(td.executionRoleArn);
    // An existing configuration is never replaced.
    expect(() =>
      revisionInput(td, [], {
        basedOn: taskDefinitionArn,
        container: 'web',
        set: { awslogs: { group: '/x', region: 'me-central-1', streamPrefix: 'ecs' } },
      }),
    ).toThrow(/already has a log configuration/);
  });

  it('a value journaled before logging was read (no `logging` member) still matches the live revision', () => {
    const live = {
      taskDefinition: 'arn:rev3',
      container: 'web',
      image: 'i',
      cpu: 256,
      memory: 512,
      containerMemory: null,
      healthCheck: null,
      listen: { PORT: null, HOSTNAME: null },
      logging: { driver: 'awslogs', group: '/g', region: 'r', streamPrefix: 'ecs' },
    };
    const { logging: _l, ...old } = live;
    expect(taskDefinitionMatches(live, old)).toBe(true);
    expect(taskDefinitionMatches(live, { ...old, logging: null })).toBe(false);
  });
});
