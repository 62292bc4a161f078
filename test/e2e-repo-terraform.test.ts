import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeListenersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { tempDir } from './support/cli.js';
import { plannedNexoraRepo, differingPaths, treeBytes } from './support/nexora-repo.js';
import { stackSnapshot, type Found } from './support/stack-snapshot.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';
import { parseTerraform } from '../src/repo/terraform/terraform-parser.js';
import { attributeOf, blocksOf, entryAt, nestedBlocks } from '../src/repo/terraform/find-attribute.js';
import type { HclValue, TerraformFile } from '../src/repo/terraform/terraform-model.js';

/**
 * Live ↔ code on the `nexora` scenario with a copy of examples/nexora-repo (issue 14, "make the fix stick"): the plan
 * shows, for each live change whose field the Terraform declares, the declaration with file:line and the code change
 * that follows it; apply --confirm fixes both; the patched .tf files, parsed again, declare exactly the values the
 * sandbox now holds (read back through the SDK), so the next terraform apply would not revert the fix; a value from a
 * variable is left for a person at the variable's default, its file untouched; rollback restores every file
 * byte-identical and the live side.
 */
interface FindingDoc {
  check: string;
  severity: string;
  resource: string;
  title: string;
  evidence: Record<string, unknown>;
  changeId?: string;
  follows?: string;
  nextStep?: string;
}
interface PlanDoc {
  findings: FindingDoc[];
  changes: { id: string; kind: string; label: string; dependsOn: string[] }[];
  stack: { found: Found & { clusterArn?: string; serviceArn?: string } };
}

const REGION = 'us-east-1';
const TF = 'infrastructure/aws/terraform';
let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-tf-');
});
afterAll(() => dir.cleanup());

const literal = (value: HclValue | undefined): unknown =>
  value?.kind === 'literal' ? value.value : value?.kind === 'tuple' ? value.items.map(literal) : undefined;

async function parsed(repo: string, path: string): Promise<TerraformFile> {
  return parseTerraform({ path, text: readFileSync(join(repo, path), 'utf8') });
}

/** What the patched Terraform declares for the fields the live fixes set, read from the files as terraform would. */
async function declared(repo: string): Promise<Record<string, unknown>> {
  const alb = await parsed(repo, `${TF}/alb.tf`);
  const ecs = await parsed(repo, `${TF}/ecs.tf`);
  const tg = blocksOf(alb, 'resource', ['aws_lb_target_group', 'api'])[0];
  const td = blocksOf(ecs, 'resource', ['aws_ecs_task_definition', 'api'])[0];
  const healthCheck = tg === undefined ? undefined : nestedBlocks(tg.body, 'health_check')[0];
  const defs = td === undefined ? undefined : attributeOf(td.body, 'container_definitions')?.value;
  const list = defs?.kind === 'call' && defs.name === 'jsonencode' ? defs.args[0] : undefined;
  const container = list?.kind === 'tuple' ? list.items.find((i) => literal(entryAt(i, ['name'])?.value) === 'nexora-api') : undefined;
  return {
    healthCheckPath: literal(healthCheck === undefined ? undefined : attributeOf(healthCheck.body, 'path')?.value),
    memory: literal(td === undefined ? undefined : attributeOf(td.body, 'memory')?.value),
    image: literal(container === undefined ? undefined : entryAt(container, ['image'])?.value),
    healthCheckCommand: literal(container === undefined ? undefined : entryAt(container, ['healthCheck', 'command'])?.value),
  };
}

/** The same fields as the sandbox holds them now, through the SDK (memory as Terraform writes it: a string). */
async function live(view: SandboxView, found: PlanDoc['stack']['found']): Promise<Record<string, unknown>> {
  const tg = (await view.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [found.targetGroupArn ?? ''] }))).TargetGroups?.[0];
  const service = (await view.ecs.send(new DescribeServicesCommand({ cluster: found.clusterArn, services: [found.serviceArn ?? ''] })))
    .services?.[0];
  const td = (await view.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }))).taskDefinition;
  const container = td?.containerDefinitions?.find((c) => c.name === 'nexora-api');
  return {
    healthCheckPath: tg?.HealthCheckPath,
    memory: td?.memory,
    image: container?.image,
    healthCheckCommand: container?.healthCheck?.command,
  };
}

async function sslPolicy(view: SandboxView, found: PlanDoc['stack']['found']): Promise<string | undefined> {
  const listeners = (await view.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: found.loadBalancerArn }))).Listeners ?? [];
  return listeners.find((l) => l.Port === 443)?.SslPolicy;
}

describe('live ↔ code: the Terraform declarations follow the live fixes (nexora + examples/nexora-repo)', () => {
  it('plans each declaration with file:line, applies both sides so the .tf declares the live values, leaves a variable by hand, rolls back byte-identical', async () => {
    const { repo, cli, original, plan } = await plannedNexoraRepo(dir.path);
    const p = plan.json<PlanDoc>();
    const follows = p.findings.filter((f) => f.check === 'repo.terraform-declares-live');
    const byId = new Map(p.changes.map((c) => [c.id, c]));
    expect(
      follows.map((f) => [byId.get(f.follows ?? '')?.kind, f.evidence['declaredAt'], f.resource, byId.get(f.changeId ?? '')?.label]).sort(),
    ).toEqual(
      [
        ['elbv2.target-group-health-check', `${TF}/alb.tf:8`, `${TF}/alb.tf:16`, `${TF}/alb.tf`],
        ['ecs.task-definition', `${TF}/ecs.tf:10`, `${TF}/ecs.tf:15`, `${TF}/ecs.tf`],
        // ssl_policy = var.ssl_policy: the line to change by hand is the variable's default, and no change.
        ['elbv2.listener-tls', `${TF}/alb.tf:25`, `${TF}/variables.tf:16`, undefined],
      ].sort(),
    );
    const manual = follows.find((f) => f.changeId === undefined);
    expect(manual?.nextStep).toContain('ELBSecurityPolicy-TLS13-1-2-2021-06');
    expect(readFileSync(join(repo, `${TF}/variables.tf`), 'utf8').split('\n')[15]).toBe('  default = "ELBSecurityPolicy-2016-08"');
    // Each code change depends on the live change it follows.
    for (const f of follows.filter((x) => x.changeId !== undefined)) expect(byId.get(f.changeId ?? '')?.dependsOn).toContain(f.follows);
    // The text shows the same, under each live change.
    const text = await cli('plan', '--repo', repo);
    const tgChange = follows.find((f) => f.evidence['liveKind'] === 'elbv2.target-group-health-check');
    expect(text.stdout).toContain(`declared: ${TF}/alb.tf:8 → ${tgChange?.changeId ?? '?'} declares it at ${TF}/alb.tf:16`);
    expect(text.stdout).toContain(`declared: ${TF}/alb.tf:25 → change ${TF}/variables.tf:16 by hand`);
    expect(differingPaths(original, treeBytes(repo))).toEqual([]);

    const view = await openSandboxView(join(dir.path, 'journal.sandbox.db'), REGION);
    try {
      const liveBefore = await stackSnapshot(view.server.url, REGION, p.stack.found, []);
      const declaredBefore = await declared(repo);
      expect(declaredBefore['healthCheckPath']).toBe('/health');

      const apply = await cli('apply', '--repo', repo, '--confirm', '--json');
      expect(apply.code).toBe(0);
      const runId = apply.json<{ runId: string }>().runId;

      // "terraform plan": the patched files declare what the sandbox now holds, field by field.
      const liveAfter = await live(view, p.stack.found);
      expect(liveAfter['healthCheckPath']).toBe('/health/alb');
      expect(await declared(repo)).toEqual({ ...liveAfter, memory: String(liveAfter['memory']) });
      expect(await declared(repo)).not.toEqual(declaredBefore);
      // The variable's file is untouched (by hand), the live policy fixed.
      expect(differingPaths(original, treeBytes(repo))).toContain(`${TF}/alb.tf`);
      expect(differingPaths(original, treeBytes(repo))).toContain(`${TF}/ecs.tf`);
      expect(differingPaths(original, treeBytes(repo))).not.toContain(`${TF}/variables.tf`);
      expect(await sslPolicy(view, p.stack.found)).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');

      const rollback = await cli('rollback', runId, '--json');
      expect(rollback.code).toBe(0);
      expect(differingPaths(original, treeBytes(repo))).toEqual([]);
      expect(await stackSnapshot(view.server.url, REGION, p.stack.found, [])).toEqual(liveBefore);
      expect(await sslPolicy(view, p.stack.found)).toBe('ELBSecurityPolicy-2016-08');
    } finally {
      await view.close();
    }
  });
});
