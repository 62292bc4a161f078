import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogGroupState } from '../src/sandbox/services/logs/logs-state.js';
import { hasAwsCli } from './support/aws-cli.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView } from './support/sandbox-view.js';

/**
 * Issue 8, "checks the independent run showed missing", through the CLI on the `blind-spots` scenario (the
 * healthy Arquantix stack with its ALB in the private subnets and a container without log configuration):
 * plan finds both (alb.scheme still passes), and the third drift, the service without a deployment circuit breaker
 * (`ecs.deployment-circuit-breaker`, end to end in its own test); apply adds the awslogs configuration in a new
 * revision, turns the breaker on and leaves the subnets to a person; plan then finds only alb.subnets; verify reports the ALB unreachable;
 * rollback puts the service back on its revision, read back through the SDK.
 */
interface PlanDoc {
  findings: { check: string; severity: string; changeId?: string; nextStep?: string; evidence: Record<string, unknown> }[];
  changes: { id: string; kind: string }[];
  checks: { id: string; status: 'passed' | 'failed' | 'not-run' }[];
}

const region = 'me-central-1';
const cluster = 'arquantix-cluster';
const service = 'arquantix-coming-soon';
const logGroup = '/aws/ecs/arquantix-coming-soon';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-blind-spots-');
});
afterAll(() => dir.cleanup());

describe('scenario blind-spots', () => {
  it('plan finds the unrouted ALB and the unlogged container; apply logs it, rollback restores the revision', async () => {
    const journal = join(dir.path, 'journal.db');
    const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
    expect((await cli('sandbox', 'reset', '--scenario', 'blind-spots')).code).toBe(0);
    const view = await openSandboxView(join(dir.path, 'journal.sandbox.db'), region);
    const ecs = new ECSClient({
      region,
      endpoint: view.server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const live = async () => {
      const arn = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]?.taskDefinition;
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition;
      return { arn, logConfiguration: td?.containerDefinitions?.[0]?.logConfiguration };
    };
    try {
      // Without the log group (the walk reads /aws/ecs/<service> through DescribeLogGroups), no change: create it first.
      let removed: LogGroupState[] = [];
      view.store.update((state) => {
        const logs = state.regions[region]?.logs;
        if (logs === undefined) throw new Error('no logs state');
        removed = logs.logGroups.filter((g) => g.name === logGroup);
        logs.logGroups = logs.logGroups.filter((g) => g.name !== logGroup);
      });
      expect(removed).toHaveLength(1);
      const groupless = await cli('plan', '--domain', 'arquantix.com', '--json');
      const missing = groupless.json<PlanDoc>().findings.find((f) => f.check === 'logs.log-configuration');
      expect(missing?.changeId).toBeUndefined();
      expect(missing?.evidence['logGroup']).toEqual({ name: logGroup, exists: false });
      expect(missing?.nextStep).toMatch(
        new RegExp(`^log group ${logGroup} does not exist: aws logs create-log-group --log-group-name ${logGroup} --region ${region}`),
      );
      view.store.update((state) => {
        state.regions[region]?.logs.logGroups.push(...removed);
      });

      const plan = await cli('plan', '--domain', 'arquantix.com', '--json');
      expect(plan.code).toBe(2);
      const p = plan.json<PlanDoc>();
      expect(
        p.checks
          .filter((c) => c.status === 'failed')
          .map((c) => c.id)
          .sort(),
      ).toEqual(['alb.subnets', 'ecs.deployment-circuit-breaker', 'logs.log-configuration']);
      expect(p.checks.find((c) => c.id === 'alb.scheme')?.status).toBe('passed');
      const subnets = p.findings.find((f) => f.check === 'alb.subnets');
      expect(subnets).toMatchObject({ severity: 'critical' });
      expect(subnets?.changeId).toBeUndefined();
      expect(subnets?.nextStep).toContain('aws elbv2 set-subnets');
      // Each subnet is shown with the route table the sandbox associated with it and its NAT default route.
      const shown = subnets?.evidence['subnets'] as {
        association: string;
        defaultRoute: { target: string } | null;
        reachableFromInternet: boolean;
      }[];
      expect(shown).toHaveLength(2);
      for (const s of shown)
        expect(s).toMatchObject({
          association: 'explicit',
          defaultRoute: { target: expect.stringMatching(/^nat-/) },
          reachableFromInternet: false,
        });
      const logs = p.findings.find((f) => f.check === 'logs.log-configuration');
      expect(logs?.changeId).toBeDefined();
      expect(p.changes.map((c) => c.kind).sort()).toEqual(['ecs.deployment-circuit-breaker', 'ecs.task-definition']);

      const before = await live();
      expect(before.logConfiguration).toBeUndefined();

      const apply = await cli('apply', '--confirm', '--domain', 'arquantix.com', '--json');
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      const runId = apply.json<{ runId: string }>().runId;
      const applied = await live();
      expect(applied.arn).not.toBe(before.arn);
      expect(applied.logConfiguration).toEqual({
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/aws/ecs/arquantix-coming-soon', 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' },
        secretOptions: [],
      });

      const after = await cli('plan', '--domain', 'arquantix.com', '--json');
      expect(
        after
          .json<PlanDoc>()
          .checks.filter((c) => c.status === 'failed')
          .map((c) => c.id),
      ).toEqual(['alb.subnets']);

      // The site really is down: the probes through CloudFront time out at the ALB, whose subnets have no internet route.
      const verify = await cli('verify', '--domain', 'arquantix.com');
      expect(verify.code).not.toBe(0);
      expect(`${verify.stdout}${verify.stderr}`).toMatch(/routes 0\.0\.0\.0\/0 to an internet gateway/);

      expect((await cli('rollback', runId)).code).toBe(0);
      expect(await live()).toEqual(before);
      const again = await cli('plan', '--domain', 'arquantix.com', '--json');
      expect(
        again
          .json<PlanDoc>()
          .checks.filter((c) => c.status === 'failed')
          .map((c) => c.id)
          .sort(),
      ).toEqual(['alb.subnets', 'ecs.deployment-circuit-breaker', 'logs.log-configuration']);

      // The dry run's aws CLI equivalent (describe, jq, register, update-service), run with the real aws CLI and jq, does the same.
      const dry = await cli('apply', '--domain', 'arquantix.com', '--json');
      expect(dry.code).toBe(0);
      const printed = (
        dry.json<{ steps: { kind: string; cli?: string[] }[] }>().steps.find((x) => x.kind === 'ecs.task-definition')?.cli ?? []
      ).join('\n');
      expect(printed).toContain('.logConfiguration = {"logDriver":"awslogs"');
      // With --sandbox the lines name the default `sandbox serve` address; this test's sandbox is served elsewhere.
      expect(printed).toContain('--endpoint-url http://127.0.0.1:4566');
      const script = printed.replaceAll('http://127.0.0.1:4566', view.server.url);
      if (hasAwsCli && spawnSync('jq', ['--version']).status === 0) {
        const run = await promisify(execFile)('bash', ['--norc', '--noprofile', '-c', `set -euo pipefail\n${script}`], {
          cwd: dir.path,
          env: {
            PATH: process.env['PATH'],
            AWS_ENDPOINT_URL: view.server.url,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_PAGER: '',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          },
        });
        expect(run.stderr).toBe('');
        const byHand = await live();
        expect(byHand.arn).not.toBe(applied.arn);
        expect(byHand.logConfiguration).toEqual(applied.logConfiguration);
      }
    } finally {
      ecs.destroy();
      await view.close();
    }
  }, 240_000);
});
