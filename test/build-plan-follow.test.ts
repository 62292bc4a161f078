import { describe, expect, it } from 'vitest';
import { checks } from '../src/checks/checks.js';
import { buildPlan } from '../src/engine/build-plan.js';
import { isFilePatchValue } from '../src/fixes/repo-file-patch.js';
import { planTarget } from '../src/model/plan.js';
import type { Observation } from '../src/observe/observation.js';
import { parseTerraformFiles } from '../src/repo/terraform/terraform-parser.js';
import { sha256Of } from '../src/repo/repo-snapshot.js';
import { healthyObservation, now } from './support/observation-fixture.js';

/**
 * The second pass of a plan (pure): `repo.terraform-declares-live` follows the live change the other checks propose,
 * its file patch depends on that change and its finding names it, both by the ids the plan gives in apply order.
 */
const ALB_TF = `resource "aws_lb_target_group" "shop" {
  name = "shop-tg"

  health_check {
    path    = "/health"
    matcher = "200"
  }
}
`;

async function observationWithRepo(tf: string): Promise<Observation> {
  const base = healthyObservation();
  const targetGroup = base.targetGroup === undefined ? undefined : { ...base.targetGroup, HealthCheckPath: '/health' };
  const files = [{ path: 'infra/alb.tf', content: tf, sha256: sha256Of(tf) }];
  return {
    ...base,
    targetGroup,
    repo: {
      root: '/nowhere/repo',
      files,
      truncated: false,
      terraform: await parseTerraformFiles(files.map((f) => ({ path: f.path, text: f.content }))),
    },
  };
}

// The second pass alone: repo.terraform-health-check-path (first pass) would propose the same edit of alb.tf, and the
// plan would then hold one merged change of that file, attributed to the first check (e2e-repo-audit covers that).
const checksButTerraformHealthPath = checks.filter((c) => c.id !== 'repo.terraform-health-check-path');

const plan = (observation: Observation) =>
  buildPlan({
    id: 'plan-test',
    createdAt: now,
    target: planTarget({ endpoint: 'test', account: observation.account, region: observation.region, stack: observation.stack.name }),
    observation,
    checks: checksButTerraformHealthPath,
  });

describe('buildPlan: the checks that follow the live changes', () => {
  it('patches the declaration after the live change it follows, and names both', async () => {
    const p = plan(await observationWithRepo(ALB_TF));
    const live = p.changes.find((c) => c.kind === 'elbv2.target-group-health-check');
    const code = p.changes.find((c) => c.check === 'repo.terraform-declares-live');
    expect(live).toBeDefined();
    expect(code?.dependsOn).toEqual([live?.id]);
    const ids = p.changes.map((c) => c.id);
    expect(ids.indexOf(code?.id ?? '')).toBeGreaterThan(ids.indexOf(live?.id ?? ''));
    const after = code?.after ?? null;
    expect(after !== null && isFilePatchValue(after) ? after.content : undefined).toBe(ALB_TF.replace('"/health"', '"/health/alb"'));
    const finding = p.findings.find((f) => f.check === 'repo.terraform-declares-live');
    expect(finding).toMatchObject({ follows: live?.id, changeId: code?.id, resource: 'infra/alb.tf:5' });
    expect(p.checks.find((c) => c.id === 'repo.terraform-declares-live')?.status).toBe('failed');
  });

  it('passes with an INFO finding when the declaration already says the live value, and is not run without --repo', async () => {
    const p = plan(await observationWithRepo(ALB_TF.replace('"/health"', '"/health/alb"')));
    expect(p.changes.filter((c) => c.kind === 'repo.file-patch')).toEqual([]);
    expect(p.findings.filter((f) => f.check === 'repo.terraform-declares-live').map((f) => f.severity)).toEqual(['info']);
    expect(p.checks.find((c) => c.id === 'repo.terraform-declares-live')?.status).toBe('passed');
    expect(plan(healthyObservation()).checks.find((c) => c.id === 'repo.terraform-declares-live')?.status).toBe('not-run');
  });
});
