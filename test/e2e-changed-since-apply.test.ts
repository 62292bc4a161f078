import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { documentSchemas } from '../src/cli/documents/document-schemas.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView, type SandboxView } from './support/sandbox-view.js';
import { unwrapped } from './support/markdown-unwrap.js';

/**
 * Issue 10, "The ticket": verify's report never says "Apply: succeeded" about a stack changed out of band since
 * without saying so. After an apply of `arquantix`, a colleague changes fields the apply wrote with the real SDK
 * against the sandbox the CLI uses (its state file); verify names each such field with the value the apply read
 * back and the value live now, in text, markdown and JSON. A change that breaks no proof test is reported and
 * verify still exits 0; one that breaks a proof test is a verify failure, exit 12.
 *
 * Failing first: without src/verify/read-changed-since-apply.ts and its rendering, verify prints nothing of it
 * (no `changed since the apply` line, no `changedSinceApply` member), and the schema test refuses nothing new.
 */
interface VerifyDoc {
  passed: boolean;
  changedSinceApply: {
    runId: string;
    stepsCompared: number;
    fields: { step: number; changeId: string; resource: string; field: string; applied: string; now: string; nowValue: unknown }[];
  } | null;
}

describe('verify after an apply, with fields the apply wrote changed out of band since', () => {
  const dir = tempDir('remediate-since-');
  const journal = join(dir.path, 'journal.db');
  const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
  let view: SandboxView;
  let runId = '';

  const valid = (stdout: string): VerifyDoc => {
    const doc: unknown = JSON.parse(stdout);
    const parsed = documentSchemas.verify.safeParse(doc);
    expect(parsed.success, parsed.error?.message).toBe(true);
    return doc as VerifyDoc;
  };

  beforeAll(async () => {
    expect((await cli('sandbox', 'reset', '--scenario', 'arquantix')).code).toBe(0);
    expect((await cli('plan')).code).toBe(2);
    const apply = await cli('apply', '--confirm', '--json');
    expect(apply.code, apply.stderr).toBe(0);
    runId = apply.json<{ runId: string }>().runId;
    view = await openSandboxView(join(dir.path, 'journal.sandbox.db'));
  });

  afterAll(async () => {
    await view.close();
    dir.cleanup();
  });

  const arns = async () => {
    const lb = (await view.elbv2.send(new DescribeLoadBalancersCommand({ Names: ['arquantix-prod-alb'] }))).LoadBalancers?.[0];
    const tg = (await view.elbv2.send(new DescribeTargetGroupsCommand({ Names: ['arquantix-prod-tg'] }))).TargetGroups?.[0];
    const listeners = (await view.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
    return { targetGroup: tg?.TargetGroupArn ?? '', https: listeners.find((l) => l.Port === 443)?.ListenerArn ?? '' };
  };

  it('right after the apply: every field it wrote reads as applied, and the report says so', async () => {
    const json = await cli('verify', '--json');
    expect(json.code, json.stderr).toBe(0);
    const doc = valid(json.stdout);
    expect(doc.changedSinceApply).toEqual({ runId, stepsCompared: 9, fields: [] });
    const md = unwrapped(await cli('verify', '--format', 'markdown'));
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('- Apply: `succeeded`, 9 of 9 steps applied; every field it wrote reads now as applied.');
    expect(md.stdout).not.toContain('- changed since the apply:');
  });

  it('a field changed that breaks no proof test: reported with both values, exit 0', async () => {
    // A colleague narrows the target group's success codes back to 200 (the app answers 200: still healthy).
    const { targetGroup } = await arns();
    await view.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: targetGroup, Matcher: { HttpCode: '200' } }));

    const text = await cli('verify');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Verified: every proof test passes');
    expect(text.stdout).toContain(`1 field that apply run ${runId} wrote has changed since (out of band: not by remediate):`);
    expect(text.stdout).toContain('  changed since the apply: arquantix-prod-tg Matcher: applied 200-399, now 200\n');

    const doc = valid((await cli('verify', '--json')).stdout);
    expect(doc.passed).toBe(true);
    expect(doc.changedSinceApply?.fields).toEqual([
      expect.objectContaining({
        resource: 'arquantix-prod-tg',
        field: 'Matcher',
        applied: '200-399',
        now: '200',
        nowValue: { HttpCode: '200' },
      }),
    ]);

    const md = unwrapped(await cli('verify', '--format', 'markdown'));
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(
      '- Apply: `succeeded`, 9 of 9 steps applied; **changed since the apply** (out of band): 1 field, listed under Last remediation.',
    );
    expect(md.stdout).not.toMatch(/- Apply: `succeeded`, 9 of 9 steps applied\.\n/);
    expect(md.stdout).toContain('- changed since the apply: `arquantix-prod-tg` `Matcher`: applied `200-399`, now `200`');
  });

  it('a field changed that breaks a proof test: a verify failure (exit 12), the field named beside the failed probe', async () => {
    // A colleague points the HTTPS listener remediate created at a fixed 503: the domain no longer answers 200.
    const { https } = await arns();
    await view.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: https,
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503', ContentType: 'text/plain' } }],
      }),
    );

    const text = await cli('verify');
    expect(text.code, text.stderr).toBe(12);
    expect(text.stdout).toContain('Verification failed');
    expect(text.stdout).toContain(`2 fields that apply run ${runId} wrote have changed since (out of band: not by remediate):`);
    expect(text.stdout).toContain(
      '  changed since the apply: arquantix-prod-alb :443 DefaultActions: applied forward to arquantix-prod-tg, now fixed-response 503\n',
    );
    expect(text.stdout).toContain('  changed since the apply: arquantix-prod-tg Matcher: applied 200-399, now 200\n');

    const json = await cli('verify', '--json');
    expect(json.code).toBe(12);
    const doc = valid(json.stdout);
    expect(doc.passed).toBe(false);
    expect(doc.changedSinceApply?.fields.map((f) => `${f.resource} ${f.field}`).sort()).toEqual([
      'arquantix-prod-alb :443 DefaultActions',
      'arquantix-prod-tg Matcher',
    ]);

    const md = unwrapped(await cli('verify', '--format', 'markdown'));
    expect(md.code).toBe(12);
    expect(md.stdout).toContain('**changed since the apply** (out of band): 2 fields');
    expect(md.stdout).toContain(
      '- changed since the apply: `arquantix-prod-alb :443` `DefaultActions`: applied `forward to arquantix-prod-tg`, now',
    );
  });
});
