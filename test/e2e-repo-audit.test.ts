import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/cli.js';
import { plannedNexoraRepo, differingPaths, nexoraRepoExample, treeBytes } from './support/nexora-repo.js';

/**
 * The Nexora audit's "critical issues fixed" file items (seed 003, items 2 and 4-8, and its duplicate Dockerfiles) on
 * the `nexora` scenario with a copy of examples/nexora-repo (issue 14): plan lists each with its check, file and line;
 * apply --confirm writes the patches (read back from disk); a second plan has no file change left for these checks;
 * rollback restores every file byte-identical.
 */
interface PlanDoc {
  findings: { check: string; resource: string; evidence: Record<string, unknown>; changeId?: string }[];
  changes: { id: string; kind: string; label: string }[];
}

const AUDIT_CHECKS = [
  'repo.terraform-health-check-path',
  'repo.terraform-undeclared-reference',
  'repo.secret-placeholders',
  'repo.build-args',
  'repo.buildspec-paths',
  'repo.duplicate-dockerfiles',
];

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-repo-audit-');
});
afterAll(() => dir.cleanup());

describe("the Nexora audit's file items, plan → apply → plan → rollback", () => {
  it('lists each item with file:line, patches what it can, leaves no patch behind, and rolls every file back', async () => {
    const { repo, cli, original, plan } = await plannedNexoraRepo(dir.path);
    const p = plan.json<PlanDoc>();
    const audit = p.findings.filter((f) => AUDIT_CHECKS.includes(f.check));
    expect(audit.map((f) => [f.check, f.resource, f.evidence['file'], f.evidence['line'], f.changeId !== undefined])).toEqual([
      // Item 2: the Terraform health checks on the authenticated /health.
      ['repo.terraform-health-check-path', 'infrastructure/aws/terraform/alb.tf:16', 'infrastructure/aws/terraform/alb.tf', 16, true],
      // The container's command: the live fix rewrites it, and repo.terraform-declares-live writes it into ecs.tf after.
      ['repo.terraform-health-check-path', 'infrastructure/aws/terraform/ecs.tf:23', 'infrastructure/aws/terraform/ecs.tf', 23, false],
      // Item 4: the output naming the malgenx log group nothing declares.
      [
        'repo.terraform-undeclared-reference',
        'infrastructure/aws/terraform/outputs.tf:8',
        'infrastructure/aws/terraform/outputs.tf',
        8,
        false,
      ],
      // Item 6: the placeholder secrets.
      ['repo.secret-placeholders', 'infrastructure/aws/terraform/secrets.tf:8', 'infrastructure/aws/terraform/secrets.tf', 8, false],
      ['repo.secret-placeholders', 'infrastructure/aws/terraform/secrets.tf:9', 'infrastructure/aws/terraform/secrets.tf', 9, false],
      // Item 5: NEXT_PUBLIC_WS_URL passed by the buildspec, not declared by the Dockerfile.
      ['repo.build-args', 'infrastructure/aws/docker/Dockerfile.frontend:4', 'infrastructure/aws/docker/Dockerfile.frontend', 4, true],
      // Items 7 and 8: the ML build's ml-service/ context where the folder is backend-ml/.
      ['repo.buildspec-paths', 'infrastructure/aws/buildspec-ml.yml:5', 'infrastructure/aws/buildspec-ml.yml', 5, true],
      // The duplicates with wrong build contexts.
      [
        'repo.duplicate-dockerfiles',
        'infrastructure/aws/docker/Dockerfile.backend:3',
        'infrastructure/aws/docker/Dockerfile.backend',
        3,
        false,
      ],
      [
        'repo.duplicate-dockerfiles',
        'infrastructure/aws/docker/Dockerfile.ml-service:3',
        'infrastructure/aws/docker/Dockerfile.ml-service',
        3,
        false,
      ],
    ]);
    expect(differingPaths(original, treeBytes(repo))).toEqual([]);

    const apply = await cli('apply', '--repo', repo, '--confirm', '--json');
    expect(apply.code).toBe(0);
    const runId = apply.json<{ runId: string }>().runId;
    // The patches on disk, each only at the line at fault.
    const changed = (path: string) => {
      const before = readFileSync(join(nexoraRepoExample, path), 'utf8').split('\n');
      return readFileSync(join(repo, path), 'utf8')
        .split('\n')
        .filter((line, i) => line !== before[i]);
    };
    expect(changed('infrastructure/aws/terraform/alb.tf')).toEqual(['    path                = "/health/alb"']);
    // ecs.tf follows the live task definition (repo.terraform-declares-live): its health check asks the public path.
    expect(changed('infrastructure/aws/terraform/ecs.tf').join('\n')).toContain('http://localhost:3000/health/alb');
    expect(changed('infrastructure/aws/buildspec-ml.yml')).toEqual([
      '      - docker build -f infrastructure/aws/docker/Dockerfile.ml-service -t $ECR_REGISTRY/nexora-ml:$CODEBUILD_BUILD_NUMBER backend-ml',
    ]);
    expect(readFileSync(join(repo, 'infrastructure/aws/docker/Dockerfile.frontend'), 'utf8')).toContain(
      'ARG NEXT_PUBLIC_ENVIRONMENT=production\nARG NEXT_PUBLIC_WS_URL\n',
    );
    // The findings-only files untouched.
    for (const path of ['infrastructure/aws/terraform/outputs.tf', 'infrastructure/aws/terraform/secrets.tf'])
      expect(readFileSync(join(repo, path)).equals(readFileSync(join(nexoraRepoExample, path)))).toBe(true);

    const again = await cli('plan', '--repo', repo, '--json');
    const left = again.json<PlanDoc>();
    expect(left.findings.filter((f) => AUDIT_CHECKS.includes(f.check) && f.changeId !== undefined)).toEqual([]);
    expect(left.changes.filter((c) => c.kind === 'repo.file-patch')).toEqual([]);
    // What needs a person is still listed.
    expect([...new Set(left.findings.filter((f) => AUDIT_CHECKS.includes(f.check)).map((f) => f.check))].sort()).toEqual([
      'repo.duplicate-dockerfiles',
      'repo.secret-placeholders',
      'repo.terraform-undeclared-reference',
    ]);

    const rollback = await cli('rollback', runId, '--json');
    expect(rollback.code).toBe(0);
    expect(differingPaths(original, treeBytes(repo))).toEqual([]);
  });
});
