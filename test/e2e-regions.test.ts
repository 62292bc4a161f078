import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './support/cli.js';

/**
 * The region rule (issue 8 item 1), through the CLI: a region written in the chain (an ARN, the ELB DNS name
 * `*.REGION.elb.amazonaws.com`) is the truth for that resource; AWS_REGION / AWS_DEFAULT_REGION and --region are
 * only defaults. The Arquantix stack lives in me-central-1; the engineer's shell exports us-east-1.
 */
interface PlanDocument {
  readonly target: { readonly region: string };
  readonly findings: readonly { readonly check: string; readonly resource: string; readonly severity: string }[];
  readonly checks: readonly { readonly id: string; readonly status: string }[];
  readonly notes?: readonly string[];
}

const dir = tempDir('remediate-regions-');
afterAll(() => dir.cleanup());

const exported = (region: string) => ({ AWS_REGION: region, AWS_DEFAULT_REGION: region });
const findingsOf = (plan: PlanDocument) => plan.findings.map((f) => `${f.check} ${f.severity} ${f.resource}`).sort();

async function plan(journal: string, args: readonly string[], env: Record<string, string> = {}) {
  const r = await runCli(['plan', '--sandbox', '--json', ...args, '--journal', journal], { env });
  return { run: r, doc: r.json<PlanDocument>() };
}

describe.each([
  ['arquantix', 'arquantix.com', 'me-central-1', 'us-east-1'],
  ['nexora', 'nexora.example', 'us-east-1', 'eu-west-1'],
])('scenario %s (stack in %s): a foreign default region exported', (scenario, domain, home, foreign) => {
  const journal = join(dir.path, `${scenario}.db`);
  const domainArgs = ['--domain', domain];
  let baseline: PlanDocument;

  beforeAll(async () => {
    const reset = await runCli(['sandbox', 'reset', '--scenario', scenario, '--journal', journal]);
    expect(reset.code, reset.stderr).toBe(0);
    const { run, doc } = await plan(journal, domainArgs);
    expect(run.code, run.stderr).toBe(2);
    baseline = doc;
    expect(baseline.target.region).toBe(home);
  });

  it('gives the same findings as with no region exported', async () => {
    const { run, doc } = await plan(journal, domainArgs, exported(foreign));
    expect(run.code, run.stderr).toBe(2);
    expect(doc.target.region).toBe(home);
    expect(findingsOf(doc)).toEqual(findingsOf(baseline));
    expect(doc.findings.map((f) => f.check)).not.toContain('stack.unreachable');
    expect(doc.findings.map((f) => f.check)).not.toContain('cloudfront.origin-domain');
    // The regional checks ran (each has an outcome other than "not run").
    for (const id of ['alb.https-listener', 'tg.health-check-path', 'ecs.health-check-grace-period']) {
      expect(doc.checks.find((c) => c.id === id)?.status, id).toMatch(/^(passed|failed)$/);
    }
    // An exported default is only a default: no note.
    expect(doc.notes).toEqual([]);
    expect(run.stderr).not.toContain('disagrees');
  });

  it('--load-balancer <ARN of the stack region> is looked up in the ARN region', async () => {
    const found = (baseline as unknown as { stack: { found: { loadBalancerArn: string } } }).stack.found.loadBalancerArn;
    expect(found).toContain(`:${home}:`);
    const { run, doc } = await plan(journal, [...domainArgs, '--load-balancer', found], exported(foreign));
    expect(run.code, run.stderr).toBe(2);
    expect(doc.target.region).toBe(home);
    expect(findingsOf(doc)).toEqual(findingsOf(baseline));
  });

  it('an explicit --region that disagrees: the chain is followed, and one note line says so', async () => {
    const { run, doc } = await plan(journal, [...domainArgs, '--region', foreign]);
    expect(run.code, run.stderr).toBe(2);
    expect(doc.target.region).toBe(home);
    expect(findingsOf(doc)).toEqual(findingsOf(baseline));
    expect(doc.notes).toHaveLength(1);
    expect(doc.notes?.[0]).toMatch(
      new RegExp(`region ${foreign} \\(given\\) disagrees with the chain: .* is in ${home}; following the chain`),
    );
    const noteLines = run.stderr.split('\n').filter((l) => l.startsWith('remediate: note:'));
    expect(noteLines).toEqual([`remediate: note: ${doc.notes?.[0] ?? ''}`]);
  });
});
