import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { plannedNexoraRepo, differingPaths, nexoraRepoExample, treeBytes } from './support/nexora-repo.js';
import { stackSnapshot, type Found } from './support/stack-snapshot.js';
import { openSandboxView } from './support/sandbox-view.js';

/**
 * The repository side on the `nexora` scenario with a copy of examples/nexora-repo (issue 14): one plan lists the live
 * findings and the Dockerfile findings with file:line; apply --confirm patches the files (only the bytes at fault) and
 * the live stack; rollback restores every file byte-identical and every live resource as it was. Files are compared
 * as bytes read back from disk, the live side through the SDK.
 */
interface PlanDoc {
  findings: { check: string; resource: string; evidence: Record<string, unknown>; changeId?: string }[];
  changes: { id: string; kind: string; label: string }[];
  stack: { found: Found };
}

const REGION = 'us-east-1';
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-repo-');
});
afterAll(() => dir.cleanup());

describe('remediate plan/apply/rollback --repo on the nexora scenario', () => {
  it('plans the Dockerfile findings with file:line, applies both sides, and rolls every file back byte-identical', async () => {
    const { repo, cli, original, plan } = await plannedNexoraRepo(dir.path);
    const p = plan.json<PlanDoc>();
    // The Dockerfile checks' findings (the audit's other file items: test/e2e-repo-audit.test.ts).
    const repoFindings = p.findings.filter((f) => f.check.startsWith('repo.dockerfile-'));
    expect(repoFindings.map((f) => [f.check, f.resource]).sort()).toEqual(
      [
        ['repo.dockerfile-base-image', 'backend-ml/Dockerfile:1'],
        ['repo.dockerfile-base-image', 'backend/Dockerfile:2'],
        ['repo.dockerfile-base-image', 'infrastructure/aws/docker/Dockerfile.backend:1'],
        ['repo.dockerfile-base-image', 'infrastructure/aws/docker/Dockerfile.frontend:1'],
        ['repo.dockerfile-base-image', 'infrastructure/aws/docker/Dockerfile.ml-service:1'],
        ['repo.dockerfile-healthcheck-path', 'backend/Dockerfile:17'],
        ['repo.dockerfile-healthcheck-path', 'infrastructure/aws/docker/Dockerfile.backend:7'],
        ['repo.dockerfile-runtime-compile', 'backend/Dockerfile:18'],
        ['repo.dockerfile-runtime-compile', 'infrastructure/aws/docker/Dockerfile.backend:8'],
      ].sort(),
    );
    // The Dockerfile without a build step gets the line to change, not a patch.
    const unbuilt = repoFindings.find((f) => f.check === 'repo.dockerfile-runtime-compile' && f.resource.startsWith('infrastructure'));
    expect(unbuilt?.changeId).toBeUndefined();
    // One change per file, the checks' edits merged.
    const fileChanges = p.changes.filter((c) => c.kind === 'repo.file-patch');
    expect(fileChanges.map((c) => c.label).sort()).toEqual(
      [
        'backend-ml/Dockerfile',
        'backend/Dockerfile',
        'infrastructure/aws/docker/Dockerfile.backend',
        'infrastructure/aws/docker/Dockerfile.frontend',
        'infrastructure/aws/docker/Dockerfile.ml-service',
        'infrastructure/aws/terraform/alb.tf',
        'infrastructure/aws/terraform/ecs.tf',
        'infrastructure/aws/buildspec-ml.yml',
      ].sort(),
    );
    // The plan wrote nothing.
    expect(differingPaths(original, treeBytes(repo))).toEqual([]);

    const view = await openSandboxView(join(dir.path, 'journal.sandbox.db'), REGION);
    try {
      const liveBefore = await stackSnapshot(view.server.url, REGION, p.stack.found, []);
      const apply = await cli('apply', '--repo', repo, '--confirm', '--json');
      expect(apply.code).toBe(0);
      const runId = apply.json<{ runId: string }>().runId;

      expect(differingPaths(original, treeBytes(repo))).toEqual(fileChanges.map((c) => c.label).sort());
      const backend = readFileSync(join(repo, 'backend/Dockerfile'), 'utf8');
      const example = readFileSync(join(nexoraRepoExample, 'backend/Dockerfile'), 'utf8');
      // Exactly the four lines at fault changed, every other line byte-identical.
      const changedLines = backend.split('\n').filter((line, i) => line !== example.split('\n')[i]);
      expect(changedLines).toEqual([
        'FROM public.ecr.aws/docker/library/node:20-alpine AS build',
        'FROM public.ecr.aws/docker/library/node:20-alpine',
        'HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD wget -qO- http://localhost:3000/health/alb || exit 1',
        'CMD ["node", "dist/server.js"]',
      ]);
      expect(backend.split('\n').length).toBe(example.split('\n').length);
      // The live side too: the target group's health check asks the public path.
      const liveAfter = await stackSnapshot(view.server.url, REGION, p.stack.found, []);
      expect(liveAfter).not.toEqual(liveBefore);
      expect(JSON.stringify(liveAfter['targetGroups'])).toContain('"HealthCheckPath":"/health/alb"');

      const again = await cli('plan', '--repo', repo, '--json');
      const left = again.json<PlanDoc>().findings.filter((f) => f.check.startsWith('repo.') && f.changeId !== undefined);
      expect(left).toEqual([]);

      const rollback = await cli('rollback', runId, '--json');
      expect(rollback.code).toBe(0);
      expect(differingPaths(original, treeBytes(repo))).toEqual([]);
      expect(await stackSnapshot(view.server.url, REGION, p.stack.found, [])).toEqual(liveBefore);
    } finally {
      await view.close();
    }
  });
});
