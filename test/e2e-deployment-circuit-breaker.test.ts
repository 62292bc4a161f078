import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand, type DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView } from './support/sandbox-view.js';

/**
 * `ecs.deployment-circuit-breaker` end to end through the CLI on the `blind-spots` scenario, whose service has no
 * deployment circuit breaker: plan finds it with an UpdateService change; apply turns it on with rollback and keeps the
 * limits; plan again has nothing left for the check; a colleague then changes maximumPercent, and rollback restores
 * only the circuit breaker (its written scope), keeping their limit. Every state is read back through the SDK.
 */
interface PlanDoc {
  findings: { check: string; severity: string; changeId?: string }[];
  changes: { id: string; kind: string; before: unknown; after: unknown }[];
  checks: { id: string; status: 'passed' | 'failed' | 'not-run' }[];
}

const region = 'me-central-1';
const cluster = 'arquantix-cluster';
const service = 'arquantix-coming-soon';
const ID = 'ecs.deployment-circuit-breaker';

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-circuit-breaker-');
});
afterAll(() => dir.cleanup());

describe(ID, () => {
  it('plan finds it, apply turns the breaker on (limits kept), plan passes, rollback restores only the breaker', async () => {
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
    const live = async (): Promise<DeploymentConfiguration | undefined> =>
      (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]?.deploymentConfiguration;
    try {
      // A limit that is not AWS's default, so that the test can tell "kept" from "reset".
      await ecs.send(
        new UpdateServiceCommand({ cluster, service, deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 } }),
      );
      expect(await live()).toEqual({
        deploymentCircuitBreaker: { enable: false, rollback: false },
        maximumPercent: 150,
        minimumHealthyPercent: 50,
      });

      const plan = await cli('plan', '--domain', 'arquantix.com', '--json');
      expect(plan.code).toBe(2);
      const p = plan.json<PlanDoc>();
      const finding = p.findings.find((f) => f.check === ID);
      expect(finding?.severity).toBe('medium');
      const change = p.changes.find((c) => c.id === finding?.changeId);
      expect(change).toMatchObject({
        kind: ID,
        before: { deploymentCircuitBreaker: { enable: false, rollback: false }, maximumPercent: 150, minimumHealthyPercent: 50 },
        after: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 150, minimumHealthyPercent: 50 },
      });

      const apply = await cli('apply', '--confirm', '--domain', 'arquantix.com', '--json');
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      const runId = apply.json<{ runId: string }>().runId;
      expect(await live()).toEqual({
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 150,
        minimumHealthyPercent: 50,
      });
      // The step's call, as the run reports it: one UpdateService with the whole structure, the limits as they were.
      const step = apply.json<{ steps: { kind: string; cli?: string[] }[] }>().steps.find((x) => x.kind === ID);
      expect(step?.cli).toHaveLength(1);
      expect(step?.cli?.[0]).toContain(
        `aws ecs update-service --cluster arn:aws:ecs:${region}:411714852748:cluster/${cluster} --service ${service} --deployment-configuration '{"deploymentCircuitBreaker":{"enable":true,"rollback":true},"maximumPercent":150,"minimumHealthyPercent":50}'`,
      );

      const after = await cli('plan', '--domain', 'arquantix.com', '--json');
      expect(after.json<PlanDoc>().checks.find((c) => c.id === ID)?.status).toBe('passed');
      expect(after.json<PlanDoc>().changes.filter((c) => c.kind === ID)).toEqual([]);

      // A colleague's change to a limit after the apply: outside the change's written scope, so neither a conflict
      // nor reverted by the rollback.
      await ecs.send(new UpdateServiceCommand({ cluster, service, deploymentConfiguration: { maximumPercent: 175 } }));
      const rollback = await cli('rollback', runId);
      expect(rollback.stderr).toBe('');
      expect(rollback.code).toBe(0);
      expect(await live()).toEqual({
        deploymentCircuitBreaker: { enable: false, rollback: false },
        maximumPercent: 175,
        minimumHealthyPercent: 50,
      });
      const again = await cli('plan', '--domain', 'arquantix.com', '--json');
      expect(again.json<PlanDoc>().checks.find((c) => c.id === ID)?.status).toBe('failed');
    } finally {
      ecs.destroy();
      await view.close();
    }
  });
});
