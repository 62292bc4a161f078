import { beforeAll, describe, expect, it } from 'vitest';
import type { ValueOf } from '../src/fixes/change-kinds.js';
import { REDACTED_COMMAND } from '../src/fixes/task-definition/health-check-command.js';
import type { HealthCheckValue } from '../src/fixes/target-group-health-check.js';
import { findAttribute } from '../src/repo/terraform/find-attribute.js';
import {
  declarationsFor,
  filePatches,
  sha256Of,
  type DeclarationResult,
  type FieldResult,
} from '../src/checks/repo/support/live-declarations.js';
import type { TerraformFile } from '../src/repo/terraform/terraform-model.js';
import { parseTerraform, parseTerraformFiles } from '../src/repo/terraform/terraform-parser.js';
import { fixtureSources } from './support/terraform-fixture.js';

let files: TerraformFile[];
beforeAll(async () => {
  files = await parseTerraformFiles(fixtureSources('nexora'));
});

const healthCheck: HealthCheckValue = {
  HealthCheckEnabled: true,
  HealthCheckProtocol: 'HTTP',
  HealthCheckPort: 'traffic-port',
  HealthCheckPath: '/health',
  HealthCheckIntervalSeconds: 30,
  HealthCheckTimeoutSeconds: 5,
  HealthyThresholdCount: 5,
  UnhealthyThresholdCount: 2,
  Matcher: { HttpCode: '200' },
};

function fieldsOf(result: DeclarationResult): readonly FieldResult[] {
  if (result.status !== 'declared') throw new Error(`undeclared: ${result.reason}`);
  return result.fields;
}

/** Every byte of `after` outside the rewritten values is the original's. */
function expectOnlyValuesChanged(before: string, after: string, fields: readonly FieldResult[]): void {
  const rewrites = fields.flatMap((f) => (f.kind === 'rewrite' ? [f] : [])).sort((a, b) => a.range.start - b.range.start);
  let shift = 0;
  let at = 0;
  for (const f of rewrites) {
    expect(after.slice(at + shift, f.range.start + shift)).toBe(before.slice(at, f.range.start));
    expect(after.slice(f.range.start + shift, f.range.start + shift + f.replacement.length)).toBe(f.replacement);
    shift += f.replacement.length - (f.range.end - f.range.start);
    at = f.range.end;
  }
  expect(after.slice(at + shift)).toBe(before.slice(at));
}

async function patched(results: DeclarationResult[], path: string): Promise<TerraformFile> {
  const patch = filePatches(files, results).find((p) => p.after.path === path);
  if (patch === undefined) throw new Error(`no patch of ${path}`);
  const original = files.find((f) => f.path === path);
  expect(patch.before.content).toBe(original?.text);
  expect(patch.before.sha256).toBe(sha256Of(original?.text ?? ''));
  expect(patch.after.sha256).toBe(sha256Of(patch.after.content));
  return parseTerraform({ path, text: patch.after.content });
}

describe('live ↔ Terraform declarations', () => {
  it('target group health check: the path literal is rewritten in alb.tf, the interval (a variable) is by hand at its default, and the patched file declares the live value', async () => {
    const after = { ...healthCheck, HealthCheckPath: '/health/alb', HealthCheckIntervalSeconds: 10, Matcher: { HttpCode: '200' } };
    const result = declarationsFor(
      files,
      { kind: 'elbv2.target-group-health-check', before: healthCheck, after },
      { name: 'nexora-api-tg' },
    );
    expect(result).toMatchObject({ status: 'declared', address: 'aws_lb_target_group.api', file: 'alb.tf', line: 8 });
    const fields = fieldsOf(result);
    expect(fields).toEqual([
      expect.objectContaining({
        kind: 'rewrite',
        field: 'HealthCheckPath',
        file: 'alb.tf',
        line: 16,
        before: '"/health"',
        replacement: '"/health/alb"',
      }),
      expect.objectContaining({ kind: 'manual', field: 'HealthCheckIntervalSeconds', file: 'variables.tf', line: 4 }),
    ]);
    const manual = fields[1];
    expect(manual?.kind === 'manual' && manual.reason).toContain('var.health_check_interval');
    const alb = await patched([result], 'alb.tf');
    expectOnlyValuesChanged(files.find((f) => f.path === 'alb.tf')?.text ?? '', alb.text, fields);
    // "terraform apply" after the fix: the declared path is the live one, so it would not be put back.
    const declared = findAttribute(alb, { blockType: 'resource', labels: ['aws_lb_target_group', 'api'], path: ['health_check', 'path'] });
    expect(declared?.value.kind === 'literal' && declared.value.value).toBe(after.HealthCheckPath);
  });

  it('ECS service matched across files (its name is a template on a local in variables.tf): grace period and circuit breaker rewritten, one patch of ecs.tf', async () => {
    const grace = declarationsFor(
      files,
      {
        kind: 'ecs.health-check-grace-period',
        before: { healthCheckGracePeriodSeconds: 60 },
        after: { healthCheckGracePeriodSeconds: 300 },
      },
      { name: 'nexora-api' },
    );
    const breakerValue = (on: boolean): ValueOf<'ecs.deployment-circuit-breaker'> => ({
      deploymentCircuitBreaker: { enable: on, rollback: on },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    });
    const breaker = declarationsFor(
      files,
      { kind: 'ecs.deployment-circuit-breaker', before: breakerValue(false), after: breakerValue(true) },
      { name: 'nexora-api' },
    );
    expect(fieldsOf(grace)).toEqual([expect.objectContaining({ kind: 'rewrite', file: 'ecs.tf', line: 5, replacement: '300' })]);
    expect(fieldsOf(breaker).map((f) => [f.kind, f.line, f.kind === 'rewrite' ? f.replacement : ''])).toEqual([
      ['rewrite', 8, 'true'],
      ['rewrite', 9, 'true'],
    ]);
    const ecs = await patched([grace, breaker], 'ecs.tf');
    expectOnlyValuesChanged(files.find((f) => f.path === 'ecs.tf')?.text ?? '', ecs.text, [...fieldsOf(grace), ...fieldsOf(breaker)]);
    const service = { blockType: 'resource', labels: ['aws_ecs_service', 'api'] };
    const value = (path: string[]) => {
      const v = findAttribute(ecs, { ...service, path })?.value;
      return v?.kind === 'literal' ? v.value : undefined;
    };
    expect([
      value(['health_check_grace_period_seconds']),
      value(['deployment_circuit_breaker', 'enable']),
      value(['deployment_circuit_breaker', 'rollback']),
    ]).toEqual([300, true, true]);
  });

  it('listeners by port: the TLS policy is rewritten, a certificate from a variable without default points to the variable; the redirect keeps its string type', () => {
    const tls = declarationsFor(
      files,
      {
        kind: 'elbv2.listener-tls',
        before: { SslPolicy: 'ELBSecurityPolicy-2016-08', Certificates: [{ CertificateArn: 'arn:old' }] },
        after: { SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: 'arn:new' }] },
      },
      { port: 443 },
    );
    expect(fieldsOf(tls)).toEqual([
      expect.objectContaining({ kind: 'rewrite', line: 29, replacement: '"ELBSecurityPolicy-TLS13-1-2-2021-06"' }),
      expect.objectContaining({ kind: 'manual', field: 'Certificates.0.CertificateArn', file: 'variables.tf', line: 7 }),
    ]);
    const redirect = (code: string) => [{ Type: 'redirect', RedirectConfig: { Port: '443', Protocol: 'HTTPS', StatusCode: code } }];
    const actions = declarationsFor(
      files,
      {
        kind: 'elbv2.listener-default-actions',
        before: { DefaultActions: redirect('HTTP_302') },
        after: { DefaultActions: redirect('HTTP_301') },
      },
      { port: 80 },
    );
    expect(fieldsOf(actions)).toEqual([expect.objectContaining({ kind: 'rewrite', line: 48, replacement: '"HTTP_301"' })]);
  });

  it('CloudFront: the origin selected by its origin_id and the default behaviour are rewritten', () => {
    const config = (origin: string, viewer: 'allow-all' | 'redirect-to-https') => ({
      CallerReference: 'r',
      Comment: '',
      Enabled: true,
      Aliases: { Quantity: 1, Items: ['nexora.example'] },
      Origins: { Quantity: 1, Items: [{ Id: 'alb', DomainName: 'alb.example', CustomOriginConfig: { OriginProtocolPolicy: origin } }] },
      DefaultCacheBehavior: { TargetOriginId: 'alb', ViewerProtocolPolicy: viewer },
    });
    const result = declarationsFor(
      files,
      {
        kind: 'cloudfront.distribution-config',
        before: config('http-only', 'allow-all'),
        after: config('https-only', 'redirect-to-https'),
      },
      { aliases: ['nexora.example'] },
    );
    expect(fieldsOf(result).map((f) => [f.kind, f.field, f.line])).toEqual([
      ['rewrite', 'Origins.Items.0.CustomOriginConfig.OriginProtocolPolicy', 72],
      ['rewrite', 'DefaultCacheBehavior.ViewerProtocolPolicy', 79],
    ]);
  });

  it('task definition: inside jsonencode([...]) the image, memory and health-check command are rewritten, the task memory stays a string; file() is by hand', async () => {
    const value = (image: string, memory: number, path: string): ValueOf<'ecs.task-definition'> => ({
      taskDefinition: null,
      container: 'api',
      image,
      cpu: 256,
      memory,
      containerMemory: memory,
      healthCheck: ['CMD-SHELL', `wget -qO- http://localhost:3000${path} || exit 1`],
      listen: { PORT: '3000', HOSTNAME: '0.0.0.0' },
      logging: null,
    });
    const before = value('node:20-alpine', 512, '/health');
    const after = value('public.ecr.aws/docker/library/node:20-alpine', 1024, '/health/alb');
    const result = declarationsFor(
      files,
      { kind: 'ecs.task-definition', before: { ...before, listen: { PORT: '3000', HOSTNAME: '127.0.0.1' } }, after },
      { name: 'nexora-api' },
    );
    expect(fieldsOf(result).map((f) => [f.kind, f.field, f.line, f.kind === 'rewrite' ? f.replacement : ''])).toEqual([
      ['rewrite', 'memory', 16, '"1024"'],
      ['rewrite', 'image', 21, '"public.ecr.aws/docker/library/node:20-alpine"'],
      ['rewrite', 'containerMemory', 22, '1024'],
      ['rewrite', 'listen.HOSTNAME', 25, '"0.0.0.0"'],
      ['rewrite', 'healthCheck', 28, '["CMD-SHELL", "wget -qO- http://localhost:3000/health/alb || exit 1"]'],
    ]);
    const ecs = await patched([result], 'ecs.tf');
    expect(ecs.errors).toEqual([]);
    expectOnlyValuesChanged(files.find((f) => f.path === 'ecs.tf')?.text ?? '', ecs.text, fieldsOf(result));

    const worker = declarationsFor(
      files,
      { kind: 'ecs.task-definition', before: { ...before }, after: { ...after } },
      { name: 'nexora-worker' },
    );
    const fields = fieldsOf(worker);
    expect(fields.map((f) => [f.kind, f.field, f.line])).toEqual([
      ['manual', 'memory', 34],
      ['manual', 'image', 36],
      ['manual', 'containerMemory', 36],
      ['manual', 'healthCheck', 36],
    ]);
    expect(fields.slice(1).every((f) => f.kind === 'manual' && f.reason.includes('file('))).toBe(true);
    expect(fields[0]?.kind === 'manual' && fields[0].reason).toContain('memory is not declared here: add it as 1024');
    expect(filePatches(files, [worker])).toEqual([]);
  });

  it('a health-check command that carries credentials is never written: by hand', () => {
    const value = (healthCheck: string[]): ValueOf<'ecs.task-definition'> => ({
      taskDefinition: null,
      container: 'api',
      image: 'node:20-alpine',
      cpu: 256,
      memory: 512,
      containerMemory: 512,
      healthCheck,
      listen: { PORT: '3000', HOSTNAME: '127.0.0.1' },
      logging: null,
    });
    const result = declarationsFor(
      files,
      { kind: 'ecs.task-definition', before: value(['CMD-SHELL', 'old']), after: value([REDACTED_COMMAND, 'sha256:0123456789ab']) },
      { name: 'nexora-api' },
    );
    expect(fieldsOf(result)).toEqual([
      expect.objectContaining({ kind: 'manual', field: 'healthCheck', line: 13, reason: expect.stringContaining('credentials') }),
    ]);
    expect(filePatches(files, [result])).toEqual([]);
  });

  it('security groups: the declared rule the fix revoked is by hand at its ingress block; a rule declared as its own resource is in sync; a new one is added at the group', () => {
    const rule = (port: number, source: string) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, Source: source, Description: null });
    const tasks = declarationsFor(
      files,
      {
        kind: 'ec2.security-group-ingress',
        before: { IngressRules: [rule(3000, '0.0.0.0/0')] },
        after: { IngressRules: [rule(3000, 'sg-alb')] },
      },
      { name: 'nexora-tasks' },
    );
    expect(fieldsOf(tasks)).toEqual([
      expect.objectContaining({
        kind: 'manual',
        file: 'ecs.tf',
        line: 42,
        reason: expect.stringContaining('remove the ingress rule tcp 3000 0.0.0.0/0'),
      }),
      expect.objectContaining({
        kind: 'manual',
        file: 'ecs.tf',
        line: 39,
        reason: expect.stringContaining('add the ingress rule tcp 3000 sg-alb'),
      }),
    ]);
    const alb = declarationsFor(
      files,
      { kind: 'ec2.security-group-ingress', before: { IngressRules: [] }, after: { IngressRules: [rule(443, '0.0.0.0/0')] } },
      { name: 'nexora-alb-sg' },
    );
    expect(fieldsOf(alb)).toEqual([]);
  });

  it('matched by tags; a local is by hand at its definition, a module output at the module block', async () => {
    const text = [
      'locals {',
      '  hc_path = "/health"',
      '}',
      'module "health" {',
      '  source = "registry.example/health/aws"',
      '}',
      'resource "aws_alb_target_group" "web" {',
      '  name_prefix = "web-"',
      '  tags = { Name = "nexora-web-tg" }',
      '  health_check {',
      '    path    = local.hc_path',
      '    matcher = module.health.matcher',
      '  }',
      '}',
      '',
    ].join('\n');
    const own = [await parseTerraform({ path: 'web.tf', text })];
    const after = { ...healthCheck, HealthCheckPath: '/health/alb', Matcher: { HttpCode: '200-399' } };
    const result = declarationsFor(
      own,
      { kind: 'elbv2.target-group-health-check', before: healthCheck, after },
      { tags: { Name: 'nexora-web-tg' } },
    );
    expect(result).toMatchObject({ status: 'declared', address: 'aws_alb_target_group.web', line: 7 });
    expect(fieldsOf(result).map((f) => [f.kind, f.field, f.line])).toEqual([
      ['manual', 'HealthCheckPath', 2],
      ['manual', 'Matcher.HttpCode', 4],
    ]);
    expect(filePatches(own, [result])).toEqual([]);
  });

  it('a live resource no Terraform declares is undeclared, with what was looked for', () => {
    const result = declarationsFor(
      files,
      { kind: 'elbv2.target-group-health-check', before: healthCheck, after: { ...healthCheck, HealthCheckPath: '/x' } },
      { name: 'other-tg' },
    );
    expect(result.status).toBe('undeclared');
    expect(result.status === 'undeclared' && result.reason).toContain('aws_lb_target_group or aws_alb_target_group');
  });
});
