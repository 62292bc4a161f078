import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type KeyValuePair,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Check } from '../src/checks/check.js';
import { checks } from '../src/checks/checks.js';
import { observeStack } from '../src/observe/observe-stack.js';
import { applyPlan } from '../src/engine/apply-plan.js';
import { buildPlan } from '../src/engine/build-plan.js';
import type { EngineContext, EngineLogger } from '../src/engine/engine-context.js';
import { ErrorCode, isRemediateError } from '../src/model/errors.js';
import { planTarget, type Plan } from '../src/model/plan.js';
import { rollbackRun } from '../src/engine/rollback-run.js';
import type { RunResult } from '../src/engine/run-result.js';
import { awsCliCommand, awsCliLines } from '../src/cli/render/aws-cli-command.js';
import { memoRef, type MutatingCall } from '../src/fixes/mutating-call.js';
import { taskDefinitionExecutor, taskDefinitionMatches } from '../src/fixes/task-definition/index.js';
import { revisionInput } from '../src/fixes/task-definition/revision.js';
import type { Journal } from '../src/journal/journal.js';
import { openSqliteJournal } from '../src/journal/sqlite-journal.js';
import { addStoppedTasks } from '../src/sandbox/scenarios/builders/ecs-builders.js';
import { stackDefinition } from '../src/model/stack-definition.js';
import { runCli, tempDir } from './support/cli.js';
import { hasAwsCli } from './support/aws-cli.js';
import { openSandboxStore, type SandboxStore } from '../src/sandbox/index.js';
import { sandboxEngine } from './support/engine-fixture.js';
import { useSandbox } from './support/sandbox-fixture.js';

const ACCOUNT = '411714852748';
const REGION = 'me-central-1';
const CLUSTER = 'arquantix-cluster';
const SERVICE = 'arquantix-coming-soon';
const FAMILY = 'arquantix-coming-soon';
const REV3 = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:3`;
const REV4 = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:4`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const execFileAsync = promisify(execFile);

/** What the Nexora task definition carries that must never leave AWS. */
const SECRETS = {
  stripe: 'sk_live_51NexoraREALstripeKEYneverLOG',
  dbPassword: 'Pg-pa55w0rd-0f-n3x0ra',
  jwt: 'jwt-signing-key-9f8e7d6c5b4a',
} as const;

const ecsChecks = [
  'ecs.image-registry',
  'ecs.memory',
  'ecs.container-health-check',
  'ecs.container-port',
  'ecs.health-check-grace-period',
  'ecs.placeholder-secrets',
];

const sandbox = useSandbox({ prepare: (store) => store.update(graftNexora) });
let ecs: ECSClient;
let dir: { path: string; cleanup: () => void };
let journalPath: string;
let journal: Journal;
let logs: string[];
let ctx: EngineContext;

/** The incident stack with the Nexora task-definition items grafted on revision 3, as `store.update` allows. */
function graftNexora(state: ReturnType<SandboxStore['read']>): void {
  const region = state.regions[REGION];
  const definition = region?.ecs.taskDefinitions.find((d) => d.arn === REV3);
  const service = region?.ecs.services.find((s) => s.name === SERVICE);
  const container = definition?.containers[0];
  if (region === undefined || definition === undefined || service === undefined || container === undefined)
    throw new Error('the incident scenario changed');
  container.image = 'node:20-alpine';
  container.environment.push(
    { name: 'STRIPE_SECRET_KEY', value: SECRETS.stripe },
    { name: 'DATABASE_URL', value: `postgres://api:${SECRETS.dbPassword}@db.internal:5432/nexora` },
    { name: 'JWT_SECRET', value: SECRETS.jwt },
  );
  container.secrets = [{ name: 'REDIS_PASSWORD', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:nexora/redis-AbCdEf` }];
  container.healthCheck = {
    command: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'],
    interval: 30,
    timeout: 5,
    retries: 3,
  };
  const lastStoppedAt = new Date(Date.now() - 60_000);
  addStoppedTasks(state, REGION, {
    service,
    taskDefinition: definition,
    cause: { kind: 'out-of-memory', containerName: container.name },
    count: 2,
    lastStoppedAt,
  });
}

function captureLogger(): EngineLogger {
  const write = (level: string) => (fields: object, message: string) => logs.push(JSON.stringify({ level, ...fields, message }));
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

beforeEach(async () => {
  logs = [];
  ecs = new ECSClient({ endpoint: sandbox.server.url, region: REGION, credentials, maxAttempts: 1 });
  dir = tempDir();
  journalPath = join(dir.path, 'journal.db');
  journal = openSqliteJournal(journalPath);
  ctx = sandboxEngine(sandbox.server.url, journal, { log: captureLogger(), notice: (message) => logs.push(message) });
});

afterEach(async () => {
  ecs.destroy();
  await journal.close();
  dir.cleanup();
});

/** A plan of the ECS checks only (the other layers' changes are other tests' business), journaled. */
async function ecsPlan(): Promise<Plan> {
  const observation = await observeStack(ctx.awsFor, stackDefinition(sandbox.store.stack()), new Date());
  const mine: Check[] = checks.filter((c) => ecsChecks.includes(c.id));
  const target = planTarget({
    endpoint: 'sandbox',
    account: observation.account,
    region: observation.stack.region,
    stack: observation.stack.name,
  });
  const plan = buildPlan({ id: 'plan-ecs00001', createdAt: new Date(), target, observation, checks: mine });
  await journal.savePlan({ plan, actor: { ...ctx.who, account: observation.account, region: REGION, callerArn: observation.callerArn } });
  return plan;
}

async function serviceTaskDefinition(): Promise<string | undefined> {
  return (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0]?.taskDefinition;
}

async function describe_(arn: string): Promise<TaskDefinition | undefined> {
  return (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition;
}

/** Every byte the journal left on disk (the database and, in WAL mode, its log). */
function journalBytes(): Buffer {
  return Buffer.concat([journalPath, `${journalPath}-wal`].filter((p) => existsSync(p)).map((p) => readFileSync(p)));
}

function expectNoSecret(where: string, text: string | Buffer): void {
  for (const value of Object.values(SECRETS)) expect(text.includes(value), `${where} contains a secret value`).toBe(false);
}

/** Revision 3 tells the app PORT=8080 and HOSTNAME=localhost: the load balancer cannot reach it on 3000. */
function breakListenEnvironment(): void {
  sandbox.store.update((state) => {
    const container = state.regions[REGION]?.ecs.taskDefinitions.find((d) => d.arn === REV3)?.containers[0];
    if (container === undefined) throw new Error('the incident scenario changed');
    container.environment = container.environment.map((e) =>
      e.name === 'PORT' ? { ...e, value: '8080' } : e.name === 'HOSTNAME' ? { ...e, value: 'localhost' } : e,
    );
  });
}

/** A variable as the fix leaves it: PORT 3000, HOSTNAME 0.0.0.0, every other one as it was. */
function fixedListen(e: KeyValuePair): KeyValuePair {
  return e.name === 'PORT' ? { ...e, value: '3000' } : e.name === 'HOSTNAME' ? { ...e, value: '0.0.0.0' } : e;
}

describe('ecs.task-definition against the sandbox, through the real SDK', () => {
  it('plans ONE change: new image, twice the memory and the health check on /health/alb', async () => {
    const plan = await ecsPlan();
    const changes = plan.changes.filter((c) => c.kind === 'ecs.task-definition');
    expect(changes).toHaveLength(1);
    expect(changes[0]?.before).toMatchObject({
      taskDefinition: REV3,
      image: 'node:20-alpine',
      memory: 512,
      healthCheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1'],
    });
    expect(changes[0]?.after).toMatchObject({
      taskDefinition: null,
      image: 'public.ecr.aws/docker/library/node:20-alpine',
      memory: 1024,
      healthCheck: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'],
    });
    expectNoSecret('the plan', JSON.stringify(plan));
  });

  it('apply registers the revision and moves the service to it; rollback puts it back on the exact previous revision', async () => {
    const plan = await ecsPlan();
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    expect(applied.status).toBe('succeeded');

    // Read back with the real SDK: the service runs a new revision with the changed settings…
    const now = await serviceTaskDefinition();
    expect(now).toBe(REV4);
    const revision = await describe_(REV4);
    const container = revision?.containerDefinitions?.[0];
    expect(container?.image).toBe('public.ecr.aws/docker/library/node:20-alpine');
    expect(revision?.memory).toBe('1024');
    expect(revision?.cpu).toBe('256');
    expect(container?.healthCheck).toMatchObject({
      command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
    });
    // …and everything else copied from revision 3, the environment and secret references included.
    const previous = await describe_(REV3);
    expect(revision?.family).toBe(FAMILY);
    expect(revision?.executionRoleArn).toBe(previous?.executionRoleArn);
    expect(revision?.networkMode).toBe('awsvpc');
    expect(revision?.requiresCompatibilities).toEqual(['FARGATE']);
    expect(container?.environment).toEqual(previous?.containerDefinitions?.[0]?.environment);
    expect(container?.secrets).toEqual(previous?.containerDefinitions?.[0]?.secrets);
    expect(container?.portMappings).toEqual(previous?.containerDefinitions?.[0]?.portMappings);
    expect(container?.logConfiguration).toEqual(previous?.containerDefinitions?.[0]?.logConfiguration);
    const deployments =
      (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0]?.deployments ?? [];
    expect(deployments.find((d) => d.status === 'PRIMARY')?.taskDefinition).toBe(REV4);

    // The journal recorded the derived call (what it copies, what it sets), and the ARN it registered.
    const [step] = (await journal.getSteps(applied.runId ?? '')).filter((s) => s.kind === 'ecs.task-definition');
    expect(step?.state).toBe('applied');
    expect(step?.memo).toMatchObject({ taskDefinitionArn: REV4, basedOn: REV3 });
    expect(JSON.stringify(step?.calls)).toContain('"basedOn"');

    const undo = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    expect(undo.status).toBe('succeeded');
    expect(await serviceTaskDefinition()).toBe(REV3);
    // The revision the apply registered stays registered (see docs/checks.md).
    expect((await describe_(REV4))?.status).toBe('ACTIVE');

    // A second rollback is a no-op.
    const again = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    expect(await serviceTaskDefinition()).toBe(REV3);
    expect(again.steps.every((s) => s.state !== 'applied')).toBe(true);
  });

  it('PORT and HOSTNAME (audit 000 §5): the new revision sets them in place, every other variable and secret copied as it was; rollback puts the service back', async () => {
    breakListenEnvironment();
    const plan = await ecsPlan();
    const change = plan.changes.find((c) => c.kind === 'ecs.task-definition');
    expect(plan.findings.filter((f) => f.check === 'ecs.container-port').map((f) => f.changeId)).toEqual([change?.id, change?.id]);
    expect(change?.after).toMatchObject({ listen: { PORT: '3000', HOSTNAME: '0.0.0.0' } });

    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    expect(applied.status).toBe('succeeded');
    expect(await serviceTaskDefinition()).toBe(REV4);
    const before = (await describe_(REV3))?.containerDefinitions?.[0]?.environment ?? [];
    const after = (await describe_(REV4))?.containerDefinitions?.[0]?.environment ?? [];
    expect(before.filter((e) => e.name === 'PORT' || e.name === 'HOSTNAME')).toEqual([
      { name: 'PORT', value: '8080' },
      { name: 'HOSTNAME', value: 'localhost' },
    ]);
    expect(after).toEqual(before.map(fixedListen));
    expectNoSecret('the journal', journalBytes());

    const undo = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    expect(undo.status).toBe('succeeded');
    expect(await serviceTaskDefinition()).toBe(REV3);
  });

  it('no secret value reaches the journal file, the step records, the JSON results or the logs', async () => {
    const plan = await ecsPlan();
    const dry = await applyPlan(ctx, { planId: plan.id, dryRun: true });
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    const undo = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false });
    expect(await serviceTaskDefinition()).toBe(REV3);

    // The secrets did reach AWS (the new revision carries them)…
    expect(JSON.stringify(await describe_(REV4))).toContain(SECRETS.stripe);
    // …and nothing else.
    for (const run of [dry, applied, undo] as RunResult[]) expectNoSecret(`run ${run.runId ?? ''} (--json)`, JSON.stringify(run));
    for (const runId of [dry.runId, applied.runId, undo.runId])
      expectNoSecret(`steps of ${runId ?? ''}`, JSON.stringify(await journal.getSteps(runId ?? '')));
    expect(logs.some((l) => l.includes('RegisterTaskDefinition'))).toBe(true);
    expectNoSecret('the logs', logs.join('\n'));
    await journal.close();
    journal = openSqliteJournal(journalPath);
    const bytes = journalBytes();
    expect(bytes.includes('RegisterTaskDefinition')).toBe(true);
    expectNoSecret('the journal file', bytes);
  });

  it('the dry run shows the aws CLI equivalent: describe to a file, jq, register, update-service with the new ARN', async () => {
    const plan = await ecsPlan();
    const dry = await applyPlan(ctx, { planId: plan.id, dryRun: true });
    const step = dry.steps.find((s) => s.kind === 'ecs.task-definition');
    // As the CLI renders them when the endpoint comes from AWS_ENDPOINT_URL (no --endpoint-url flag): no connection flags.
    const cli = awsCliLines(step?.calls ?? [], dry.region, {});
    expect(cli).toHaveLength(2);
    const [register, update] = cli;
    const lines = (register ?? '').split('\n');
    expect(lines[0]).toBe(
      `aws ecs describe-task-definition --task-definition ${REV3} --include TAGS --output json --region ${REGION} > taskdef.json`,
    );
    expect(lines[1]).toMatch(
      /^jq '.*select\(\.name == "arquantix-coming-soon"\)\) \|= \(\.image = "public\.ecr\.aws\/docker\/library\/node:20-alpine" \| \.healthCheck = .*\) \| \.memory = "1024" .*' taskdef\.json > taskdef-new\.json$/,
    );
    expect(lines[2]).toBe(
      `TASK_DEFINITION_ARN=$(aws ecs register-task-definition --cli-input-json file://taskdef-new.json --query taskDefinition.taskDefinitionArn --output text --region ${REGION})`,
    );
    expect(update).toBe(
      `aws ecs update-service --cluster arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER} --service ${SERVICE} --task-definition "$TASK_DEFINITION_ARN" --region ${REGION}`,
    );
    expect(await serviceTaskDefinition()).toBe(REV3);
  });

  it.skipIf(!hasAwsCli || spawnSync('jq', ['--version']).status !== 0).each([
    ['as found', false],
    ['with PORT and HOSTNAME wrong too', true],
  ])('the rendered commands, run with the real aws CLI and jq, make the same revision (%s)', async (_name, listenWrong) => {
    if (listenWrong) breakListenEnvironment();
    const plan = await ecsPlan();
    const dry = await applyPlan(ctx, { planId: plan.id, dryRun: true });
    const script = awsCliLines(dry.steps.find((s) => s.kind === 'ecs.task-definition')?.calls ?? [], dry.region, {}).join('\n');
    // Asynchronously: the sandbox answers from this process.
    const run = await execFileAsync('bash', ['--norc', '--noprofile', '-c', `set -euo pipefail\n${script}`], {
      cwd: dir.path,
      env: {
        PATH: process.env['PATH'],
        AWS_ENDPOINT_URL: sandbox.server.url,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    expect(run.stderr).toBe('');
    expect(await serviceTaskDefinition()).toBe(REV4);
    const revision = await describe_(REV4);
    expect(revision?.memory).toBe('1024');
    expect(revision?.containerDefinitions?.[0]).toMatchObject({
      image: 'public.ecr.aws/docker/library/node:20-alpine',
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'] },
    });
    const previous = (await describe_(REV3))?.containerDefinitions?.[0]?.environment ?? [];
    expect(revision?.containerDefinitions?.[0]?.environment).toEqual(listenWrong ? previous.map(fixedListen) : previous);
  });

  it('rollback refuses when someone moved the service to yet another revision, even one with the same settings', async () => {
    const plan = await ecsPlan();
    const applied = await applyPlan(ctx, { planId: plan.id, dryRun: false });
    const copy = await describe_(REV4);
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: FAMILY,
        containerDefinitions: copy?.containerDefinitions,
        cpu: copy?.cpu,
        memory: copy?.memory,
        networkMode: copy?.networkMode,
        requiresCompatibilities: copy?.requiresCompatibilities,
        executionRoleArn: copy?.executionRoleArn,
      }),
    );
    const rev5 = registered.taskDefinition?.taskDefinitionArn ?? '';
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: rev5 }));

    const refused = await rollbackRun(ctx, { runId: applied.runId ?? '', force: false, dryRun: false }).catch((e: unknown) => e);
    expect(isRemediateError(refused, ErrorCode.RollbackConflict)).toBe(true);
    expect(String((refused as Error).message)).toMatch(/neither .*:4 \(registered by the apply\) nor .*:3/);
    expect(await serviceTaskDefinition()).toBe(rev5);
  });

  it('apply refuses a stale plan: the service moved to another revision since the plan', async () => {
    const plan = await ecsPlan();
    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, taskDefinition: `${FAMILY}:2` }));
    const refused = await applyPlan(ctx, { planId: plan.id, dryRun: false }).catch((e: unknown) => e);
    expect(isRemediateError(refused, ErrorCode.StalePlan)).toBe(true);
    expect(await serviceTaskDefinition()).toBe(`arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${FAMILY}:2`);
    expect((await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: FAMILY }))).taskDefinition?.revision).toBe(3);
  });
});

describe('through the CLI process: stdout, stderr (debug logs) and the journal files', () => {
  it('plan, apply --confirm and rollback never print nor journal a secret value, and the plan after the apply has nothing left to change in the task definition', async () => {
    const local = tempDir();
    try {
      const journalFile = join(local.path, 'journal.db');
      const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journalFile, '--log-level', 'debug']);
      expect((await cli('sandbox', 'reset')).code).toBe(0);
      const sandbox = openSandboxStore(join(local.path, 'journal.sandbox.db'));
      sandbox.update(graftNexora);
      sandbox.close();

      const outputs: string[] = [];
      const text = await cli('plan');
      const plan = await cli('plan', '--json');
      outputs.push(text.stdout, text.stderr, plan.stdout, plan.stderr);
      const changes = plan.json<{ changes: { kind: string }[] }>().changes;
      expect(changes.filter((c) => c.kind === 'ecs.task-definition')).toHaveLength(1);
      const dry = await cli('apply', '--json');
      const apply = await cli('apply', '--confirm', '--json');
      outputs.push(dry.stdout, dry.stderr, apply.stdout, apply.stderr);
      const run = apply.json<{ runId: string; steps: { kind: string; state: string }[] }>();
      expect(run.steps.find((s) => s.kind === 'ecs.task-definition')?.state).toBe('applied');
      const replan = await cli('plan', '--json');
      outputs.push(replan.stdout, replan.stderr);
      const after = replan.json<{ changes: { kind: string }[]; findings: { check: string }[] }>();
      expect(after.changes.filter((c) => c.kind === 'ecs.task-definition')).toEqual([]);
      expect(after.findings.map((f) => f.check)).not.toEqual(expect.arrayContaining(['ecs.memory']));
      const rollback = await cli('rollback', run.runId, '--json');
      outputs.push(rollback.stdout, rollback.stderr);
      expect(rollback.code).toBe(0);

      const view = openSandboxStore(join(local.path, 'journal.sandbox.db'));
      const service = view.read().regions[REGION]?.ecs.services.find((x) => x.name === SERVICE);
      view.close();
      expect(service?.taskDefinitionArn).toBe(REV3);

      expect(outputs.join('\n')).toMatch(/RegisterTaskDefinition|register-task-definition/);
      expectNoSecret('the CLI output', outputs.join('\n'));
      const files = [journalFile, `${journalFile}-wal`].filter((f) => existsSync(f));
      expectNoSecret('the journal files', Buffer.concat(files.map((f) => readFileSync(f))));
    } finally {
      local.cleanup();
    }
  });
});

describe('the task-definition executor, pure parts', () => {
  const value = {
    taskDefinition: REV3,
    container: 'web',
    image: 'node:20-alpine',
    cpu: 256,
    memory: 512,
    containerMemory: null,
    healthCheck: null,
  };
  const wanted = { ...value, taskDefinition: null, image: 'public.ecr.aws/docker/library/node:20-alpine', memory: 1024 };

  it('a new revision of any ARN with the wanted settings matches the plan`s after; anything else does not', () => {
    expect(taskDefinitionMatches({ ...wanted, taskDefinition: REV4 }, wanted)).toBe(true);
    expect(taskDefinitionMatches({ ...wanted, taskDefinition: `${REV4}0` }, wanted)).toBe(true);
    expect(taskDefinitionMatches({ ...wanted, taskDefinition: REV4, memory: 2048 }, wanted)).toBe(false);
    expect(taskDefinitionMatches(value, wanted)).toBe(false);
    expect(taskDefinitionMatches(null, wanted)).toBe(false);
    expect(taskDefinitionMatches(value, value)).toBe(true);
    expect(taskDefinitionMatches({ ...value, taskDefinition: REV4 }, value)).toBe(false);
  });

  it('the apply calls hold only the revision copied and the settings changed; the inverse is one UpdateService', () => {
    const change = {
      id: 'c1',
      check: 'ecs.memory',
      kind: 'ecs.task-definition' as const,
      action: 'update' as const,
      resource: 'arn:svc',
      label: 'svc',
      locator: { cluster: CLUSTER, service: SERVICE, container: 'web' },
      before: value,
      after: wanted,
      dependsOn: [],
      reason: 'r',
    };
    const calls = taskDefinitionExecutor.calls(change, wanted, { value, memo: null }, null);
    expect(calls).toEqual([
      {
        service: 'ecs',
        operation: 'RegisterTaskDefinition',
        input: { basedOn: REV3, container: 'web', set: { image: 'public.ecr.aws/docker/library/node:20-alpine', memory: 1024 } },
      },
      {
        service: 'ecs',
        operation: 'UpdateService',
        input: { cluster: CLUSTER, service: SERVICE, taskDefinition: memoRef('taskDefinitionArn') },
      },
    ] satisfies MutatingCall[]);
    expect(
      taskDefinitionExecutor.calls(
        change,
        value,
        { value: { ...wanted, taskDefinition: REV4 }, memo: null },
        { taskDefinitionArn: REV4, basedOn: REV3 },
      ),
    ).toEqual([{ service: 'ecs', operation: 'UpdateService', input: { cluster: CLUSTER, service: SERVICE, taskDefinition: REV3 } }]);
    expect(awsCliCommand(calls[1] as MutatingCall, REGION)).toContain('--task-definition "$TASK_DEFINITION_ARN"');
  });

  it('the register input copies every registrable member and drops what describe adds', () => {
    const current: TaskDefinition = {
      taskDefinitionArn: REV3,
      family: FAMILY,
      revision: 3,
      status: 'ACTIVE',
      requiresAttributes: [{ name: 'ecs.capability.task-eni' }],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: new Date(),
      registeredBy: 'arn:aws:iam::1:user/x',
      taskRoleArn: 'arn:aws:iam::1:role/task',
      executionRoleArn: 'arn:aws:iam::1:role/exec',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      volumes: [{ name: 'tmp' }],
      ephemeralStorage: { sizeInGiB: 30 },
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      containerDefinitions: [
        { name: 'web', image: 'node:20-alpine', environment: [{ name: 'A', value: 'b' }], memory: 512 },
        { name: 'sidecar', image: 'envoy', essential: false },
      ],
    };
    const input = revisionInput(current, [{ key: 'team', value: 'api' }], {
      basedOn: REV3,
      container: 'web',
      set: { memory: 1024, containerMemory: 1024, healthCheck: ['CMD-SHELL', 'exit 0'] },
    });
    expect(input).toEqual({
      family: FAMILY,
      taskRoleArn: 'arn:aws:iam::1:role/task',
      executionRoleArn: 'arn:aws:iam::1:role/exec',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '1024',
      volumes: [{ name: 'tmp' }],
      ephemeralStorage: { sizeInGiB: 30 },
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      tags: [{ key: 'team', value: 'api' }],
      containerDefinitions: [
        {
          name: 'web',
          image: 'node:20-alpine',
          environment: [{ name: 'A', value: 'b' }],
          memory: 1024,
          healthCheck: { command: ['CMD-SHELL', 'exit 0'], interval: 30, timeout: 5, retries: 3 },
        },
        { name: 'sidecar', image: 'envoy', essential: false },
      ],
    });
  });
});
