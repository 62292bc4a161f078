import { describe, expect, it } from 'vitest';
import { buildArgMismatches } from '../src/checks/repo/support/files/build-args.js';
import { buildspecPaths } from '../src/checks/repo/support/files/buildspec-paths.js';
import type { FileFinding } from '../src/checks/repo/support/files/file-finding.js';
import { healthCheckPaths } from '../src/checks/repo/support/files/health-check-paths.js';
import { placeholderSecrets } from '../src/checks/repo/support/files/placeholder-secrets.js';
import { undeclaredReferences } from '../src/checks/repo/support/files/undeclared-references.js';
import { replaceRanges } from '../src/repo/terraform/replace-attribute-value.js';
import type { SourceFile } from '../src/repo/terraform/terraform-model.js';
import { parseTerraform } from '../src/repo/terraform/terraform-parser.js';
import { findAttribute } from '../src/repo/terraform/find-attribute.js';
import { fixtureSources } from './support/terraform-fixture.js';

const nexora = fixtureSources('nexora');

/** Applies the findings' edits to the sources (each edit's `before` must be what the file holds there). */
function applyEdits(sources: readonly SourceFile[], findings: readonly FileFinding[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sources) {
    const edits = findings.flatMap((f) => (f.proposedEdit?.file === s.path ? [f.proposedEdit] : []));
    for (const e of edits) expect(s.text.slice(e.range.start, e.range.end)).toBe(e.before);
    out.set(s.path, replaceRanges(s.text, edits));
  }
  return out;
}

describe('undeclared references', () => {
  it('finds the output on a log group that does not exist (and a variable no block declares), with file and line', async () => {
    const findings = await undeclaredReferences(nexora);
    expect(findings.map((f) => [f.file, f.line, f.evidence])).toEqual([
      ['outputs.tf', 8, 'malgenx = aws_cloudwatch_log_group.malgenx.name'],
      ['secrets.tf', 10, 'publishable    = var.stripe_publishable_key'],
    ]);
    expect(findings[0]?.message).toContain('aws_cloudwatch_log_group.malgenx');
    expect(findings.every((f) => f.proposedEdit === undefined)).toBe(true);
  });

  it('finds nothing when every reference is declared: resources, data, locals, built-ins, for and dynamic iterators', async () => {
    const text = [
      'data "aws_vpc" "main" {}',
      'locals { ids = [for sub_net in aws_subnet.a : sub_net.id] }',
      'resource "aws_subnet" "a" { vpc_id = data.aws_vpc.main.id }',
      'resource "aws_security_group" "g" {',
      '  name = "${path.module}-${terraform.workspace}"',
      '  dynamic "ingress_rule" {',
      '    for_each = local.ids',
      '    content { description = ingress_rule.value }',
      '  }',
      '}',
      'output "x" { value = aws_subnet.a[*].id }',
      '',
    ].join('\n');
    expect(await undeclaredReferences([{ path: 'main.tf', text }])).toEqual([]);
  });
});

describe('placeholder secrets', () => {
  it('finds the REPLACE_ME and CHANGE_ME secret values and the empty password, and proposes no edit', async () => {
    const findings = await placeholderSecrets(nexora);
    expect(findings.map((f) => [f.file, f.line])).toEqual([
      ['secrets.tf', 8],
      ['secrets.tf', 9],
      ['secrets.tf', 17],
    ]);
    expect(findings[0]?.evidence).toBe('secret_key     = "sk_test_REPLACE_ME"');
    expect(findings[2]?.message).toContain('empty');
    expect(findings.every((f) => f.proposedEdit === undefined)).toBe(true);
  });

  it('finds nothing in real references and in non-secret values that look like placeholders', async () => {
    const text = [
      'variable "db_password" {',
      '  type      = string',
      '  sensitive = true',
      '}',
      'resource "aws_db_instance" "main" {',
      '  password    = var.db_password',
      '  description = "TODO: tune"',
      '}',
      'resource "aws_secretsmanager_secret_version" "s" { secret_string = random_password.p.result }',
      '',
    ].join('\n');
    expect(await placeholderSecrets([{ path: 'secrets.tf', text }])).toEqual([]);
  });
});

describe('health-check paths on the authenticated route', () => {
  const routes = { publicPath: '/health/alb', authenticatedPaths: ['/health'] };

  it('finds the target group path and the container health-check command, each with an edit that only changes the value', async () => {
    const findings = await healthCheckPaths(nexora, routes);
    expect(findings.map((f) => [f.file, f.line, f.proposedEdit?.replacement])).toEqual([
      ['alb.tf', 16, '"/health/alb"'],
      ['ecs.tf', 28, '["CMD-SHELL", "wget -qO- http://localhost:3000/health/alb || exit 1"]'],
    ]);
    const patched = applyEdits(nexora, findings);
    for (const s of nexora) if (s.path !== 'alb.tf' && s.path !== 'ecs.tf') expect(patched.get(s.path)).toBe(s.text);
    const alb = await parseTerraform({ path: 'alb.tf', text: patched.get('alb.tf') ?? '' });
    const path = findAttribute(alb, { blockType: 'resource', labels: ['aws_lb_target_group', 'api'], path: ['health_check', 'path'] });
    expect(path?.value.kind === 'literal' && path.value.value).toBe('/health/alb');
    expect(
      await healthCheckPaths(
        [...patched].map(([p, text]) => ({ path: p, text })),
        routes,
      ),
    ).toEqual([]);
  });

  it('a path from a variable is a finding at the default, without edit', async () => {
    const sources = [
      { path: 'tg.tf', text: 'resource "aws_lb_target_group" "api" {\n  health_check { path = var.hc }\n}\n' },
      { path: 'vars.tf', text: 'variable "hc" {\n  default = "/health"\n}\n' },
    ];
    const findings = await healthCheckPaths(sources, routes);
    expect(findings).toEqual([expect.objectContaining({ file: 'vars.tf', line: 2, evidence: 'default = "/health"' })]);
    expect(findings[0]?.proposedEdit).toBeUndefined();
  });
});

const dockerfile = (args: string) => `FROM public.ecr.aws/docker/library/node:20-alpine AS build\n${args}RUN npm run build\n`;

describe('buildspec paths', () => {
  const buildspec = (path: string) =>
    [
      'version: 0.2',
      'phases:',
      '  build:',
      '    commands:',
      '      - echo building',
      `      - docker build -t nexora-ml:latest -f ${path}/Dockerfile ${path}`,
      '',
    ].join('\n');
  const repo = (path: string): SourceFile[] => [
    { path: 'infrastructure/aws/buildspec-ml.yml', text: buildspec(path) },
    { path: 'backend-ml/Dockerfile', text: dockerfile('') },
    { path: 'backend/Dockerfile', text: dockerfile('') },
    { path: 'frontend/Dockerfile', text: dockerfile('') },
  ];

  it('finds ml-service/ where the folder is backend-ml/, with edits that make the paths exist', () => {
    const sources = repo('ml-service');
    const findings = buildspecPaths(sources);
    expect(findings.map((f) => [f.file, f.line, f.proposedEdit?.before, f.proposedEdit?.replacement])).toEqual([
      ['infrastructure/aws/buildspec-ml.yml', 6, 'ml-service', 'backend-ml'],
      ['infrastructure/aws/buildspec-ml.yml', 6, 'ml-service', 'backend-ml'],
    ]);
    const patched = applyEdits(sources, findings).get('infrastructure/aws/buildspec-ml.yml') ?? '';
    expect(patched).toBe(buildspec('backend-ml'));
    expect(buildspecPaths([{ path: 'infrastructure/aws/buildspec-ml.yml', text: patched }, ...sources.slice(1)])).toEqual([]);
  });

  it('finds nothing when the paths exist, and proposes no edit when no single sibling is meant', () => {
    expect(buildspecPaths(repo('backend-ml'))).toEqual([]);
    const findings = buildspecPaths([...repo('ml-service'), { path: 'ml-tools/Dockerfile', text: dockerfile('') }]);
    expect(findings.length).toBe(2);
    expect(findings.every((f) => f.proposedEdit === undefined)).toBe(true);
  });

  it('a context without a Dockerfile, when no -f names one', () => {
    const text = 'version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -t web infrastructure\n';
    const sources = [
      { path: 'buildspec.yml', text },
      { path: 'infrastructure/aws/main.tf', text: '' },
    ];
    expect(buildspecPaths(sources)).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringContaining('infrastructure/Dockerfile') }),
    ]);
    expect(buildspecPaths([...sources, { path: 'infrastructure/Dockerfile', text: dockerfile('') }])).toEqual([]);
  });
});

describe('NEXT_PUBLIC_* build args between buildspec and Dockerfile', () => {
  const buildspec = [
    'version: 0.2',
    'phases:',
    '  build:',
    '    commands:',
    '      - cd frontend',
    '      - docker build --build-arg NEXT_PUBLIC_API_URL=$API_URL --build-arg NEXT_PUBLIC_WS_URL=$WS_URL -t web .',
    '',
  ].join('\n');

  it('finds the WS URL the buildspec passes and the Dockerfile does not declare, with an edit adding the ARG', () => {
    const sources = [
      { path: 'buildspec-frontend.yml', text: buildspec },
      { path: 'frontend/Dockerfile', text: dockerfile('ARG NEXT_PUBLIC_API_URL\nARG NEXT_PUBLIC_ENVIRONMENT=production\n') },
    ];
    const findings = buildArgMismatches(sources);
    expect(findings.map((f) => [f.file, f.line, f.proposedEdit?.replacement])).toEqual([
      ['frontend/Dockerfile', 3, 'ARG NEXT_PUBLIC_WS_URL\n'],
    ]);
    const patched = applyEdits(sources, findings);
    expect(patched.get('frontend/Dockerfile')).toBe(
      dockerfile('ARG NEXT_PUBLIC_API_URL\nARG NEXT_PUBLIC_ENVIRONMENT=production\nARG NEXT_PUBLIC_WS_URL\n'),
    );
    expect(buildArgMismatches([...patched].map(([path, text]) => ({ path, text })))).toEqual([]);
  });

  it('finds an ARG without default that the build never passes (the reverse), and nothing when they agree', () => {
    const sources = [
      { path: 'buildspec-frontend.yml', text: buildspec },
      { path: 'frontend/Dockerfile', text: dockerfile('ARG NEXT_PUBLIC_API_URL\nARG NEXT_PUBLIC_WS_URL\nARG NEXT_PUBLIC_SENTRY_DSN\n') },
    ];
    const findings = buildArgMismatches(sources);
    expect(findings).toEqual([
      expect.objectContaining({ file: 'buildspec-frontend.yml', line: 6, message: expect.stringContaining('NEXT_PUBLIC_SENTRY_DSN') }),
    ]);
    expect(
      buildArgMismatches([
        sources[0] ?? { path: '', text: '' },
        { path: 'frontend/Dockerfile', text: dockerfile('ARG NEXT_PUBLIC_API_URL\nARG NEXT_PUBLIC_WS_URL\n') },
      ]),
    ).toEqual([]);
  });
});
