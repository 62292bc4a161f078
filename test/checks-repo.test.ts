import { describe, expect, it } from 'vitest';
import { dockerfileBaseImageCheck, dockerfileHealthcheckPathCheck, dockerfileRuntimeCompileCheck } from '../src/checks/repo/index.js';
import type { Check } from '../src/checks/check.js';
import type { Observation } from '../src/observe/observation.js';
import { sha256Of, type RepoSnapshot } from '../src/repo/repo-snapshot.js';
import { healthyObservation } from './support/observation-fixture.js';

/** The repo.* checks on an observation whose repository holds the given files (the healthy stack otherwise). */
function withRepo(files: Record<string, string>, healthPath?: string): Observation {
  const base = healthyObservation();
  const repo: RepoSnapshot = {
    root: '/srv/repo',
    truncated: false,
    files: Object.entries(files).map(([path, content]) => ({ path, content, sha256: sha256Of(content) })),
  };
  return { ...base, stack: { ...base.stack, ...(healthPath !== undefined ? { healthPath } : {}) }, repo };
}

function afterOf(check: Check, observation: Observation): string[] {
  return check
    .detect(observation)
    .map((d) => (d.change?.kind === 'repo.file-patch' ? (d.change.after?.content ?? '(deleted)') : '(no change)'));
}

describe('repo.dockerfile-base-image', () => {
  it('mirrors official Docker Hub images, leaves stages, other registries and ARG images alone, keeps every other byte', () => {
    const dockerfile = [
      'ARG BASE=node:20',
      'FROM node:20-alpine AS build',
      'RUN npm ci',
      'FROM build AS test',
      'FROM ${BASE}',
      'FROM public.ecr.aws/docker/library/python:3.11-slim',
      'FROM docker.io/library/nginx:1.27 AS web  ',
      '',
    ].join('\r\n');
    const o = withRepo({ 'web/Dockerfile': dockerfile });
    const [found] = dockerfileBaseImageCheck.detect(o);
    expect(found?.finding.resource).toBe('web/Dockerfile:2');
    expect(found?.finding.evidence['images']).toEqual([
      { at: 'web/Dockerfile:2', line: 2, image: 'node:20-alpine', mirror: 'public.ecr.aws/docker/library/node:20-alpine' },
      { at: 'web/Dockerfile:7', line: 7, image: 'docker.io/library/nginx:1.27', mirror: 'public.ecr.aws/docker/library/nginx:1.27' },
    ]);
    expect(afterOf(dockerfileBaseImageCheck, o)).toEqual([
      dockerfile
        .replace('FROM node:20-alpine AS build', 'FROM public.ecr.aws/docker/library/node:20-alpine AS build')
        .replace('FROM docker.io/library/nginx:1.27 AS web  ', 'FROM public.ecr.aws/docker/library/nginx:1.27 AS web  '),
    ]);
  });

  it('an image that is not official: the finding with the line, no change', () => {
    const [found] = dockerfileBaseImageCheck.detect(withRepo({ Dockerfile: 'FROM bitnami/nginx:1.27\n' }));
    expect(found?.change).toBeUndefined();
    expect(found?.finding.nextStep).toMatch(/copy bitnami\/nginx:1.27 to Amazon ECR and change Dockerfile:1/);
  });

  it('is not run without a repository or without Dockerfiles', () => {
    expect(dockerfileBaseImageCheck.appliesTo(healthyObservation())).toBe(false);
    expect(dockerfileBaseImageCheck.appliesTo(withRepo({ 'README.md': 'FROM node:20\n' }))).toBe(false);
  });
});

describe('repo.dockerfile-runtime-compile', () => {
  it('with a build step: the compiled form in place of the arguments, nothing else changed', () => {
    const dockerfile = 'FROM node:20\nRUN npm run build\nCMD [ "npx", "ts-node", "src/server.ts" ]\nEXPOSE 3000\n';
    expect(afterOf(dockerfileRuntimeCompileCheck, withRepo({ Dockerfile: dockerfile }))).toEqual([
      'FROM node:20\nRUN npm run build\nCMD ["node", "dist/server.js"]\nEXPOSE 3000\n',
    ]);
  });

  it('without a build step, or ts-node in a shell-form ENTRYPOINT: a finding with the line, no change', () => {
    const found = dockerfileRuntimeCompileCheck.detect(
      withRepo({ 'api/Dockerfile': 'FROM node:20\nCOPY . .\nENTRYPOINT npx ts-node src/main.ts\n' }),
    );
    expect(found.map((d) => [d.finding.resource, d.change])).toEqual([['api/Dockerfile:3', undefined]]);
    expect(found[0]?.finding.nextStep).toMatch(/\["node", "dist\/main.js"\]/);
  });

  it('a compiled CMD passes', () => {
    expect(dockerfileRuntimeCompileCheck.detect(withRepo({ Dockerfile: 'FROM node:20\nCMD ["node", "dist/server.js"]\n' }))).toEqual([]);
  });
});

describe('repo.dockerfile-healthcheck-path', () => {
  it("patches only the path of the HEALTHCHECK's URL to the stack's public health path", () => {
    const dockerfile = 'FROM node:20\nHEALTHCHECK --interval=30s CMD curl -fsS "http://localhost:3000/health?x=1" || exit 1\n';
    const o = withRepo({ Dockerfile: dockerfile }, '/health/alb');
    const [found] = dockerfileHealthcheckPathCheck.detect(o);
    expect(found?.finding.evidence).toMatchObject({
      file: 'Dockerfile',
      line: 2,
      healthcheckPath: '/health?x=1',
      publicHealthPath: '/health/alb',
    });
    expect(afterOf(dockerfileHealthcheckPathCheck, o)).toEqual([
      'FROM node:20\nHEALTHCHECK --interval=30s CMD curl -fsS "http://localhost:3000/health/alb" || exit 1\n',
    ]);
  });

  it('passes when the path is the public one', () => {
    expect(
      dockerfileHealthcheckPathCheck.detect(
        withRepo({ Dockerfile: 'FROM node:20\nHEALTHCHECK CMD wget -qO- http://127.0.0.1:3000/health/alb || exit 1\n' }, '/health/alb'),
      ),
    ).toEqual([]);
  });
});
