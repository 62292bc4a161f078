import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { countOf, readFleetFile } from '../src/stack/fleet-file.js';
import { RemediateError } from '../src/model/errors.js';
import { tempDir } from './support/cli.js';

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((cleanup) => cleanup()));

function fileWith(text: string, name = 'fleet.yaml'): string {
  const dir = tempDir('remediate-fleet-file-');
  dirs.push(dir.cleanup);
  const path = join(dir.path, name);
  writeFileSync(path, text);
  return path;
}

function problem(text: string): string {
  const path = fileWith(text);
  try {
    readFleetFile(path);
  } catch (error) {
    if (!(error instanceof RemediateError)) throw error;
    expect(error.message.split('\n')).toHaveLength(1);
    return error.message.replace(path, 'FILE');
  }
  throw new Error('the fleet file was accepted');
}

const good = `
name: web
maxConcurrency: 25%
maxErrors: 1
targets:
  - accounts:
      - role: arn:aws:iam::222222222222:role/remediate-fleet
      - profile: prod-eu
    regions: [me-central-1, us-east-1]
    domains: [Arquantix.com., nexora.example]
  - accounts: [{ role: "arn:aws:iam::333333333333:role/ops/remediate" }]
    regions: [us-east-1]
    domains: all
`;

describe('the fleet file', () => {
  it('reads targets as accounts (role or profile) × regions × domains or all, with SSM-style limits', () => {
    const fleet = readFleetFile(fileWith(good));
    expect(fleet).toEqual({
      name: 'web',
      maxConcurrency: '25%',
      maxErrors: 1,
      targets: [
        {
          accounts: [{ role: 'arn:aws:iam::222222222222:role/remediate-fleet' }, { profile: 'prod-eu' }],
          regions: ['me-central-1', 'us-east-1'],
          domains: ['arquantix.com', 'nexora.example'],
        },
        { accounts: [{ role: 'arn:aws:iam::333333333333:role/ops/remediate' }], regions: ['us-east-1'], domains: 'all' },
      ],
    });
  });

  it.each([
    ['targets: []', 'FILE: targets: must name at least one target'],
    ['maxErrors: -1\ntargets: [{accounts: [{profile: a}], regions: [us-east-1], domains: all}]', 'maxErrors'],
    ['maxConcurrency: 0%\ntargets: [{accounts: [{profile: a}], regions: [us-east-1], domains: all}]', 'maxConcurrency'],
    ['targets: [{accounts: [{role: "arn:aws:iam::12:role/x"}], regions: [us-east-1], domains: all}]', 'targets.0.accounts.0'],
    ['targets: [{accounts: [{profile: a}], regions: [mars-1], domains: all}]', 'targets.0.regions.0: must be an AWS region'],
    [
      'targets: [{accounts: [{profile: a}], regions: [us-east-1], domains: some}]',
      'targets.0.domains: must be a list of domains, or "all"',
    ],
    ['targets: [{accounts: [{profile: a}], regions: [us-east-1], domains: all, extra: 1}]', 'unknown field "extra"'],
    ['targets: [{accounts: [{profile: a}], regions: [us-east-1], domains: [not_a_domain]}]', 'targets.0.domains.0: must be a domain name'],
    ['{', 'not valid YAML or JSON'],
  ])('refuses %j with one line naming the field', (text, expected) => {
    expect(problem(text)).toContain(expected);
  });

  it('counts a percentage of the targets as SSM does: rounded down', () => {
    expect(countOf('10%', 50)).toBe(5);
    expect(countOf('40%', 10)).toBe(4);
    expect(countOf('25%', 3)).toBe(0);
    expect(countOf(3, 50)).toBe(3);
  });
});
