import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The load balancer's subnets (alb.subnets) and the tasks' image-pull path (network.image-pull-path) both need the
 * route tables of their VPC; in the scenarios they share one VPC, whose route tables the walk reads once.
 */
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-route-tables-');
});
afterAll(() => dir.cleanup());

describe('the walk reads the route tables of a VPC once', () => {
  it('plan on the incident scenario: one DescribeRouteTables, and both checks that need it ran', async () => {
    const journal = join(dir.path, 'j.db');
    const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
    expect((await cli('sandbox', 'reset', '--scenario', 'incident')).code).toBe(0);
    const plan = await cli('plan', '--json');
    expect(plan.code).toBe(2);
    const ran = plan
      .json<{ checks: { id: string; status: string }[] }>()
      .checks.filter((c) => c.id === 'alb.subnets' || c.id === 'network.image-pull-path');
    expect(ran.map((c) => [c.id, c.status === 'not-run'])).toEqual([
      ['alb.subnets', false],
      ['network.image-pull-path', false],
    ]);
    const calls = (await cli('sandbox', 'calls', '--json')).json<{ calls: { operation: string }[] }>().calls;
    expect(calls.filter((c) => c.operation === 'DescribeRouteTables')).toHaveLength(1);
    expect(calls.filter((c) => c.operation === 'DescribeSubnets').length).toBeGreaterThan(0);
  });
});
