import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSandboxStore } from '../src/sandbox/index.js';
import { runCli, tempDir } from './support/cli.js';

/**
 * The walk follows every page (issue 8, "AWS's real page sizes"): with the sandbox paging as AWS does, the
 * Arquantix service is listed after 250 others of its cluster (page 3 of ListServices even at 100 a page), its
 * load balancer after 450 others (page 2 of DescribeLoadBalancers), its distribution after 150 others (page 2 of
 * ListDistributions). plan finds the same stack and the same findings as in the tidy account.
 */
interface PlanDocument {
  readonly stack: { readonly found: Readonly<Record<string, string | undefined>> };
  readonly findings: readonly { readonly check: string; readonly resource: string; readonly severity: string }[];
}

const dir = tempDir('remediate-pages-');
afterAll(() => dir.cleanup());
const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
const REGION = 'me-central-1';
const findingsOf = (plan: PlanDocument) => plan.findings.map((f) => `${f.check} ${f.severity} ${f.resource}`).sort();

async function planOf(journal: string): Promise<PlanDocument> {
  const r = await runCli(['plan', '--sandbox', '--json', '--domain', 'arquantix.com', '--journal', journal], { env });
  expect(r.code, r.stderr).toBe(2);
  return r.json<PlanDocument>();
}

let tidy: PlanDocument;
const crowded = join(dir.path, 'crowded.db');
beforeAll(async () => {
  const journal = join(dir.path, 'tidy.db');
  expect((await runCli(['sandbox', 'reset', '--scenario', 'arquantix', '--journal', journal])).code).toBe(0);
  tidy = await planOf(journal);
  expect((await runCli(['sandbox', 'reset', '--scenario', 'arquantix', '--journal', crowded])).code).toBe(0);
  const store = openSandboxStore(join(dir.path, 'crowded.sandbox.db'));
  try {
    store.update((state) => {
      const region = state.regions[REGION];
      const [service] = region?.ecs.services ?? [];
      const [lb] = region?.elbv2.loadBalancers ?? [];
      const [distribution] = state.global.cloudfront.distributions;
      if (region === undefined || service === undefined || lb === undefined || distribution === undefined)
        throw new Error('the scenario lacks a resource to copy');
      const copies = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));
      region.ecs.services.unshift(
        ...copies(250, (i) => ({
          ...structuredClone(service),
          name: `other-${i}`,
          arn: `${service.arn}-other-${i}`,
          desiredCount: 0,
          loadBalancers: [],
        })),
      );
      region.elbv2.loadBalancers.unshift(
        ...copies(450, (i) => ({
          ...structuredClone(lb),
          name: `other-${i}`,
          arn: `${lb.arn}-other-${i}`,
          dnsName: `other-${i}-1.${REGION}.elb.amazonaws.com`,
        })),
      );
      state.global.cloudfront.distributions.unshift(
        ...copies(150, (i) => {
          const id = `EOTHER${String(i).padStart(7, '0')}`;
          return {
            ...structuredClone(distribution),
            id,
            arn: `${distribution.arn.replace(/[^/]+$/, '')}${id}`,
            domainName: `d${String(i).padStart(13, '0')}.cloudfront.net`,
            config: { ...structuredClone(distribution.config), Aliases: { Quantity: 0 }, CallerReference: `other-${i}` },
          };
        }),
      );
    });
  } finally {
    store.close();
  }
});

describe('a crowded account', () => {
  it('plan finds the service among 250 others, the load balancer among 450, the distribution on page 2: the same stack, the same findings', async () => {
    const plan = await planOf(crowded);
    expect(plan.stack.found).toEqual(tidy.stack.found);
    expect(findingsOf(plan)).toEqual(findingsOf(tidy));
    // The record shows how (issue 11): the distribution list was followed to its second page; the service was found
    // from the target group's targets (a page of running tasks), not by reading every service's page; the load
    // balancer by the name its DNS name begins with, not by reading every load balancer.
    const store = openSandboxStore(join(dir.path, 'crowded.sandbox.db'));
    try {
      const count = (operation: string) => store.calls().filter((c) => c.operation === operation).length;
      expect(count('ListDistributions')).toBeGreaterThanOrEqual(2);
      expect(count('ListServices')).toBe(1);
      expect(count('ListTasks')).toBeGreaterThanOrEqual(1);
      expect(count('DescribeLoadBalancers')).toBe(1);
    } finally {
      store.close();
    }
  });
});
