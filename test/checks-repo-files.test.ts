import { describe, expect, it } from 'vitest';
import {
  buildArgsCheck,
  buildspecPathsCheck,
  duplicateDockerfilesCheck,
  secretPlaceholdersCheck,
  terraformHealthCheckPathCheck,
  terraformUndeclaredReferenceCheck,
} from '../src/checks/repo/index.js';
import type { Check } from '../src/checks/check.js';
import type { Observation } from '../src/observe/observation.js';
import { withTerraform } from '../src/repo/read-repo.js';
import { sha256Of, type RepoSnapshot } from '../src/repo/repo-snapshot.js';
import { healthyObservation } from './support/observation-fixture.js';

/** The healthy stack with a repository of the given files, its Terraform parsed as a plan's read parses it. */
async function withRepo(files: Record<string, string>, healthPath?: string): Promise<Observation> {
  const base = healthyObservation();
  const repo: RepoSnapshot = await withTerraform({
    root: '/srv/repo',
    truncated: false,
    files: Object.entries(files).map(([path, content]) => ({ path, content, sha256: sha256Of(content) })),
  });
  return { ...base, stack: { ...base.stack, ...(healthPath !== undefined ? { healthPath } : {}) }, repo };
}

const found = (check: Check, o: Observation) => check.detect(o).map((d) => d.finding.resource);
const patched = (check: Check, o: Observation) =>
  check.detect(o).map((d) => (d.change?.kind === 'repo.file-patch' ? (d.change.after?.content ?? '(deleted)') : '(no change)'));

describe('repo.terraform-undeclared-reference', () => {
  it('finds the output referring to an undeclared log group at its line, with no change', async () => {
    const o = await withRepo({
      'tf/main.tf': 'resource "aws_cloudwatch_log_group" "api" {\n  name = "/ecs/api"\n}\n',
      'tf/outputs.tf':
        'output "groups" {\n  value = {\n    api = aws_cloudwatch_log_group.api.name\n    malgenx = aws_cloudwatch_log_group.malgenx.name\n  }\n}\n',
    });
    const [d, more] = terraformUndeclaredReferenceCheck.detect(o);
    expect(more).toBeUndefined();
    expect(d?.finding.resource).toBe('tf/outputs.tf:4');
    expect(d?.finding.evidence['text']).toBe('malgenx = aws_cloudwatch_log_group.malgenx.name');
    expect(d?.change).toBeUndefined();
    expect(d?.finding.nextStep).toMatch(/tf\/outputs.tf:4/);
  });

  it('passes when every reference is declared, and is not run without Terraform', async () => {
    const ok = await withRepo({ 'main.tf': 'resource "aws_lb" "a" {}\noutput "x" {\n  value = aws_lb.a.arn\n}\n' });
    expect(terraformUndeclaredReferenceCheck.detect(ok)).toEqual([]);
    expect(terraformUndeclaredReferenceCheck.appliesTo(ok)).toBe(true);
    expect(terraformUndeclaredReferenceCheck.appliesTo(await withRepo({ Dockerfile: 'FROM node:20\n' }))).toBe(false);
    expect(terraformUndeclaredReferenceCheck.appliesTo(healthyObservation())).toBe(false);
  });
});

describe('repo.secret-placeholders', () => {
  it('finds each placeholder secret at its line, never a change', async () => {
    const o = await withRepo({
      'secrets.tf': [
        'resource "aws_secretsmanager_secret_version" "stripe" {',
        '  secret_id = "x"',
        '  secret_string = jsonencode({',
        '    STRIPE_SECRET_KEY = "sk_test_REPLACE_ME"',
        '    STRIPE_WEBHOOK_SECRET = "whsec_REPLACE_ME"',
        '    REGION = "eu-west-1"',
        '  })',
        '}',
        '',
      ].join('\n'),
    });
    expect(found(secretPlaceholdersCheck, o)).toEqual(['secrets.tf:4', 'secrets.tf:5']);
    expect(secretPlaceholdersCheck.detect(o).every((d) => d.change === undefined && d.finding.nextStep !== undefined)).toBe(true);
  });

  it('passes on a secret read from a variable', async () => {
    const o = await withRepo({
      'secrets.tf': 'resource "aws_secretsmanager_secret_version" "s" {\n  secret_id = "x"\n  secret_string = var.stripe\n}\n',
    });
    expect(secretPlaceholdersCheck.detect(o)).toEqual([]);
  });
});

describe('repo.terraform-health-check-path', () => {
  const alb = [
    'resource "aws_lb_target_group" "api" {',
    '  name = "api"',
    '  health_check {',
    '    path    = "/health"',
    '    matcher = "200"',
    '  }',
    '}',
    '',
  ].join('\r\n');
  const ecs = [
    'resource "aws_ecs_task_definition" "api" {',
    '  family = "api"',
    '  container_definitions = jsonencode([',
    '    {',
    '      name = "api"',
    '      healthCheck = {',
    '        command = ["CMD-SHELL", "wget -qO- http://localhost:3000/health || exit 1"]',
    '      }',
    '    }',
    '  ])',
    '}',
    '',
  ].join('\n');

  it('rewrites the target group path and the container command to the public path, every other byte kept', async () => {
    const o = await withRepo({ 'tf/alb.tf': alb, 'tf/ecs.tf': ecs }, '/health/alb');
    expect(found(terraformHealthCheckPathCheck, o)).toEqual(['tf/alb.tf:4', 'tf/ecs.tf:7']);
    expect(patched(terraformHealthCheckPathCheck, o)).toEqual([
      alb.replace('path    = "/health"', 'path    = "/health/alb"'),
      ecs.replace('http://localhost:3000/health ', 'http://localhost:3000/health/alb '),
    ]);
  });

  it('a path from a variable is a finding at the variable, by hand', async () => {
    const o = await withRepo(
      {
        'alb.tf': 'resource "aws_lb_target_group" "api" {\n  health_check {\n    path = var.hc\n  }\n}\n',
        'variables.tf': 'variable "hc" {\n  default = "/health"\n}\n',
      },
      '/health/alb',
    );
    const [d] = terraformHealthCheckPathCheck.detect(o);
    expect(d?.finding.resource).toBe('variables.tf:2');
    expect(d?.change).toBeUndefined();
    expect(d?.finding.nextStep).toMatch(/variables.tf:2 to \/health\/alb/);
  });

  it('passes on the public path, and is not run without a public health path', async () => {
    const ok = await withRepo({ 'alb.tf': alb.replace('"/health"', '"/health/alb"') }, '/health/alb');
    expect(terraformHealthCheckPathCheck.detect(ok)).toEqual([]);
    const noPublicPath = await withRepo({ 'alb.tf': alb });
    expect(terraformHealthCheckPathCheck.appliesTo({ ...noPublicPath, stack: { ...noPublicPath.stack, healthPath: undefined } })).toBe(
      false,
    );
  });
});

describe('repo.buildspec-paths', () => {
  const files = {
    'infra/buildspec-ml.yml':
      'version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -f backend-ml/Dockerfile -t ml:1 ml-service\n',
    'backend-ml/Dockerfile': 'FROM python:3.11-slim\n',
    'backend-ml/main.py': 'print(1)\n',
  };

  it('renames the missing context to the one folder meant', async () => {
    const o = await withRepo(files);
    const [d] = buildspecPathsCheck.detect(o);
    expect(d?.finding.resource).toBe('infra/buildspec-ml.yml:5');
    expect(patched(buildspecPathsCheck, o)).toEqual([
      (files['infra/buildspec-ml.yml'] ?? '').replace('-t ml:1 ml-service', '-t ml:1 backend-ml'),
    ]);
  });

  it('two folders that could be meant: the finding, no change', async () => {
    const o = await withRepo({ ...files, 'ml-tools/Dockerfile': 'FROM python:3.11-slim\n' });
    const [d] = buildspecPathsCheck.detect(o);
    expect(d?.change).toBeUndefined();
    expect(d?.finding.nextStep).toMatch(/infra\/buildspec-ml.yml:5/);
  });
});

describe('repo.build-args', () => {
  it('adds the ARG a buildspec passes and the Dockerfile does not declare', async () => {
    const dockerfile = 'FROM node:20-alpine\nARG NEXT_PUBLIC_API_URL\nENV NEXT_PUBLIC_API_URL=$NEXT_PUBLIC_API_URL\nRUN npm run build\n';
    const o = await withRepo({
      'buildspec.yml':
        'version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -f web/Dockerfile --build-arg NEXT_PUBLIC_API_URL=$A --build-arg NEXT_PUBLIC_WS_URL=$W .\n',
      'web/Dockerfile': dockerfile,
    });
    expect(found(buildArgsCheck, o)).toEqual(['web/Dockerfile:2']);
    expect(patched(buildArgsCheck, o)).toEqual([
      dockerfile.replace('ARG NEXT_PUBLIC_API_URL\n', 'ARG NEXT_PUBLIC_API_URL\nARG NEXT_PUBLIC_WS_URL\n'),
    ]);
  });

  it('an ARG without default the buildspec never passes: the finding at the buildspec line, by hand', async () => {
    const o = await withRepo({
      'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands:\n      - docker build -f web/Dockerfile .\n',
      'web/Dockerfile': 'FROM node:20-alpine\nARG NEXT_PUBLIC_WS_URL\n',
    });
    const [d] = buildArgsCheck.detect(o);
    expect(d?.finding.resource).toBe('buildspec.yml:5');
    expect(d?.change).toBeUndefined();
  });
});

describe('repo.duplicate-dockerfiles', () => {
  it("finds the service's second Dockerfile with the path its context lacks, never a change", async () => {
    const o = await withRepo({
      'backend/Dockerfile': 'FROM node:20\nCOPY . .\n',
      'backend/package.json': '{}\n',
      'backend-ml/Dockerfile': 'FROM python:3.11\nCOPY . .\n',
      'backend-ml/main.py': 'print(1)\n',
      'infra/docker/Dockerfile.backend': 'FROM node:20\nWORKDIR /app\nCOPY backend/ .\n',
      'infra/docker/Dockerfile.ml-service': 'FROM python:3.11\nCOPY ml-service/main.py .\n',
    });
    const ds = duplicateDockerfilesCheck.detect(o);
    expect(ds.map((d) => d.finding.resource)).toEqual(['infra/docker/Dockerfile.backend:3', 'infra/docker/Dockerfile.ml-service:2']);
    expect(ds.map((d) => d.finding.title)).toEqual([
      expect.stringMatching(/duplicates backend\/Dockerfile/),
      expect.stringMatching(/duplicates backend-ml\/Dockerfile.*ml-service\/main.py\/ \(line 2\) does not exist/),
    ]);
    expect(ds.every((d) => d.change === undefined)).toBe(true);
  });

  it('passes with one Dockerfile per service', async () => {
    const o = await withRepo({ 'backend/Dockerfile': 'FROM node:20\n', 'web/Dockerfile.prod': 'FROM nginx\n' });
    expect(duplicateDockerfilesCheck.detect(o)).toEqual([]);
  });
});
