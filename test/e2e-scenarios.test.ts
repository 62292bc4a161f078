import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executors } from '../src/fixes/change-kinds.js';
import { runCli, tempDir } from './support/cli.js';
import { openSandboxView } from './support/sandbox-view.js';
import { securityGroupIds, stackSnapshot, type Found } from './support/stack-snapshot.js';

/**
 * Each seed audit, item by item, through the CLI as an on-call engineer runs it (no stack file: the stack is
 * walked from the domain): plan finds every item, apply --confirm --verify fixes what is fixable and proves
 * it, a new plan leaves only what no API call can fix, rollback puts every touched resource back exactly,
 * plan and verify make only read calls, and every call each command makes is in `remediate iam-policy`.
 */
/** What plan must say of a check: failed (a finding), passed, or not run (what it needs could not be read). */
type Expect = 'finding' | 'pass' | 'not-run';

interface Case {
  readonly scenario: string;
  readonly planArgs: readonly string[];
  readonly region: string;
  /** [check id, the audit line it comes from, what plan must say]. */
  readonly items: readonly (readonly [string, string, Expect])[];
  /** The checks that still fail after apply: what no API call can safely fix. */
  readonly residual: readonly string[];
}

const cases: readonly Case[] = [
  {
    scenario: 'arquantix',
    planArgs: ['--domain', 'arquantix.com'],
    region: 'me-central-1',
    items: [
      ['dns.apex-alias', '000 §1 Route53: `arquantix.com` pointe vers CloudFront distribution', 'pass'],
      [
        'dns.www-alias',
        '000 §1 Route53: `www.arquantix.com` pointe vers CloudFront distribution; pas de drift (records cohérents)',
        'finding',
      ],
      ['cloudfront.origin-domain', '000 §2 CloudFront: Origin domain = ALB DNS (pas de loop)', 'pass'],
      ['cloudfront.origin-path', '000 §2 CloudFront: Origin path = "" (vide)', 'pass'],
      ['cloudfront.origin-protocol', '000 §2 CloudFront: Origin protocol = HTTPS Only; HTTPS Port = 443', 'finding'],
      ['cloudfront.aliases', '000 §2 CloudFront: Aliases: arquantix.com, www.arquantix.com ✅', 'pass'],
      ['cloudfront.viewer-certificate', '000 §2 CloudFront: Certificate ACM attaché (us-east-1) ✅', 'pass'],
      ['cloudfront.viewer-https', '000 §2 CloudFront: TLS Settings: À vérifier (viewers on plain HTTP)', 'finding'],
      ['alb.scheme', '000 §3 ALB: Internet-facing (pas internal) ✅', 'pass'],
      ['alb.https-listener', '000 §3 ALB: Listener 443 → Certificat ACM ❌ MANQUANT', 'finding'],
      ['alb.http-redirect', '000 §3 ALB: Listener 80 → Redirect 443 ❌ (actuellement forward)', 'finding'],
      ['alb.default-rule', '000 §3 ALB: Default rule → arquantix-prod-tg ✅; Host header rules corrects ✅', 'pass'],
      ['alb.security-group', '000 §6 Security Groups: ALB INBOUND Port 443 depuis 0.0.0.0/0', 'finding'],
      ['ecs.task-security-group', '000 §6 Security Groups: ECS INBOUND Port 3000 depuis ALB Security Group', 'pass'],
      ['alb.security-group-egress', '000 §6 Security Groups: ALB OUTBOUND: All traffic', 'pass'],
      ['ecs.task-security-group-egress', '000 §6 Security Groups: ECS OUTBOUND: All traffic (pour logs, etc.)', 'finding'],
      // INFO ("normal if port mapping"): reported, and the check passes.
      ['tg.port-protocol', '000 §4 Target Group: Target Group port = 80 mais containers sur 3000 (normal si port mapping)', 'pass'],
      ['tg.health-check-path', '000 §4 Target Group: Health Check Path: /health', 'pass'],
      [
        'tg.health-check-settings',
        '000 Rollback 3: healthy 5 / unhealthy 2 (the thresholds before the fix; the matcher 200 only against a policy that names one)',
        'finding',
      ],
      ['tg.healthy-targets', '000 §4 Target Group: Target 172.31.31.39:3000 UNHEALTHY (FailedHealthChecks)', 'finding'],
      ['tg.unused-targets', '000 §4 Target Group: Pas de targets "unused" (AZ non activée) ✅', 'pass'],
      ['tg.draining-targets', '000 §4 Target Group: Pas de targets "draining" permanents ✅', 'pass'],
      ['ecs.health-check-grace-period', '000 §5 ECS: Health Check Grace Period: 120s (doit être 180s)', 'finding'],
      ['ecs.running-count', '000 Test 5: RunningCount == DesiredCount == 1', 'pass'],
      ['ecs.crash-loop', '000 §5 ECS: Pas de crash loop (tasks qui redémarrent); révision 3 pas encore démarrée', 'finding'],
      [
        'network.image-pull-path',
        '000 §5 ECS: Erreurs ECR timeout dans les événements (problème réseau); plan 5: NAT Gateway, VPC endpoints',
        'finding',
      ],
      ['ecs.container-port', '000 §5 Task Definition: Container Port 3000, PORT=3000, HOSTNAME=0.0.0.0', 'pass'],
      ['ecs.load-balancer-binding', '000 §5 Load Balancers: arquantix-prod-tg, container arquantix-coming-soon, port 3000', 'pass'],
      ['ecs.image-registry', '000 §5 Task Definition: Image: ECR/arquantix-coming-soon (not Docker Hub)', 'pass'],
      ['ecs.image-current', '000 §5 Task Definition: Image: Dernière version ECR', 'pass'],
      ['logs.log-group', '000 §7 CloudWatch Logs: Permissions insuffisantes pour accéder aux logs', 'finding'],
      [
        'logs.error-lines',
        "000 §7 CloudWatch Logs: Pas d'erreurs de démarrage — Impossible de vérifier les erreurs de démarrage directement",
        'not-run',
      ],
    ],
    residual: ['ecs.crash-loop', 'logs.log-group', 'network.image-pull-path'],
  },
  {
    scenario: 'nexora',
    planArgs: ['--domain', 'nexora.example', '--health-path', '/health/alb'],
    region: 'us-east-1',
    items: [
      [
        'tg.health-check-path',
        '003 §2 Health Check Authentication Failure: ALB health checks hit /health which requires authentication',
        'finding',
      ],
      ['tg.healthy-targets', '003 §2 100% failure rate (Target.ResponseCodeMismatch 401)', 'finding'],
      ['ecs.container-health-check', '003 §2 ecs.tf / Dockerfile HEALTHCHECK: changed path to /health/alb', 'finding'],
      ['ecs.memory', '003 §1 Backend Dockerfile - SIGKILL Issue: memory exhaustion (exit 137)', 'finding'],
      ['ecs.image-registry', '003 §3 Docker Hub Rate Limits: node:20-alpine → public.ecr.aws/docker/library/node:20-alpine', 'finding'],
      ['ecs.crash-loop', '003 §1 + §3: SIGKILL crashes and rate-limit pull failures', 'finding'],
      ['ecs.running-count', '003 Deployment: services marked healthy (1 of 2 running)', 'finding'],
      ['ecs.placeholder-secrets', '003 §6 Hardcoded Placeholder Secrets (sk_test_REPLACE_ME)', 'finding'],
      ['ecs.plaintext-secrets', '003 IAM Security: Secrets access via IAM policies (not environment variables) ✅', 'pass'],
      ['alb.tls-policy', '003 Encryption in Transit: TLS 1.3 policy on ALB (ELBSecurityPolicy-TLS13-1-2-2021-06)', 'finding'],
      ['alb.http-redirect', '003 Encryption in Transit: ALB enforces HTTPS (HTTP → HTTPS redirect) ✅', 'pass'],
      ['ecs.task-security-group', '003 Network Security: Security groups follow least-privilege', 'finding'],
      ['network.image-pull-path', '003 Network Security: ECS tasks in private subnets; NAT Gateway; VPC endpoints for S3 ✅', 'pass'],
      ['logs.log-group', '003 Monitoring: CloudWatch Logs ✅', 'pass'],
      [
        'logs.error-lines',
        '003 §1 SIGKILL Issue: ts-node at runtime, memory exhaustion (the heap error the killed tasks logged)',
        'finding',
      ],
      ['dns.apex-alias', '003 (no CloudFront) nexora.example aliases the ALB ✅', 'pass'],
    ],
    residual: ['ecs.placeholder-secrets'],
  },
  {
    scenario: 'healthy',
    planArgs: ['--domain', 'arquantix.com'],
    region: 'me-central-1',
    items: [],
    residual: [],
  },
  {
    scenario: 'incident',
    planArgs: [],
    region: 'me-central-1',
    items: [
      ['alb.https-listener', 'issue 2, change 1 (000 §3)', 'finding'],
      ['alb.http-redirect', 'issue 2, change 2 (000 §3)', 'finding'],
      ['ecs.health-check-grace-period', 'issue 2, change 3 (000 §5)', 'finding'],
      ['tg.health-check-path', 'issue 2, change 4 (003 §2)', 'finding'],
    ],
    residual: [],
  },
];

interface PlanDoc {
  planId: string;
  stack: { found: Found };
  findings: { id: string; check: string; severity: string; changeId?: string }[];
  changes: { id: string; kind: string }[];
  checks: { id: string; status: 'passed' | 'failed' | 'not-run' }[];
}

let dir: { path: string; cleanup: () => void };
beforeAll(() => {
  dir = tempDir('remediate-scenarios-');
});
afterAll(() => dir.cleanup());

const policy = async (command: string): Promise<Set<string>> => {
  const r = await runCli(['iam-policy', command, '--json']);
  expect(r.code).toBe(0);
  return new Set(r.json<{ policy: { Statement: { Action: string[] }[] } }>().policy.Statement.flatMap((s) => s.Action));
};

describe.each(cases)('scenario $scenario', (c) => {
  it('plan finds every audit item, apply fixes and verify proves what is fixable, rollback restores it exactly, all within the IAM policy', async () => {
    const journal = join(dir.path, `${c.scenario}.db`);
    const cli = (...args: string[]) => runCli([...args, '--sandbox', '--journal', journal]);
    expect((await cli('sandbox', 'reset', '--scenario', c.scenario)).code).toBe(0);
    const view = await openSandboxView(join(dir.path, `${c.scenario}.sandbox.db`), c.region);
    const actionsOf = (fromSeq: number) => view.store.calls().filter((call) => call.seq > fromSeq && call.action !== undefined);
    try {
      let mark = view.lastSeq();
      const plan = await cli('plan', ...c.planArgs, '--json');
      const p = plan.json<PlanDoc>();
      const statusOf = new Map(p.checks.map((k) => [k.id, k.status]));
      const said = { finding: 'failed', pass: 'passed', 'not-run': 'not-run' } as const;
      for (const [check, line, expected] of c.items) {
        expect({ check, line, status: statusOf.get(check) }).toEqual({ check, line, status: said[expected] });
      }
      if (c.items.length === 0) expect(p.findings).toEqual([]);
      // 2: changes to apply; 15: findings (above INFO) that need a person, nothing to apply; 0: neither.
      expect(plan.code).toBe(p.changes.length > 0 ? 2 : p.findings.some((f) => f.severity !== 'info') ? 15 : 0);
      const planCalls = actionsOf(mark);
      noteSeen('plan', planCalls);
      expect(planCalls.filter((call) => call.mutating)).toEqual([]);
      const planPolicy = await policy('plan');
      expect(planCalls.map((call) => call.action).filter((a) => !planPolicy.has(a ?? ''))).toEqual([]);

      const groups = await securityGroupIds(view.server.url, c.region);
      const before = await stackSnapshot(view.server.url, c.region, p.stack.found, groups);

      mark = view.lastSeq();
      const apply = await cli('apply', '--confirm', ...c.planArgs, '--json');
      if (p.changes.length === 0) {
        expect(apply.code).toBe(0);
        return;
      }
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      const run = apply.json<{ runId: string; steps: { state: string }[] }>();
      expect(run.steps.every((s) => s.state === 'applied')).toBe(true);
      const applyPolicy = await policy('apply');
      const verifyPolicy = await policy('verify');
      noteSeen('apply', actionsOf(mark));
      expect(
        actionsOf(mark)
          .map((call) => call.action)
          .filter((a) => !applyPolicy.has(a ?? '')),
      ).toEqual([]);

      const after = await cli('plan', ...c.planArgs, '--json');
      const left = after
        .json<PlanDoc>()
        .checks.filter((k) => k.status === 'failed')
        .map((k) => k.id)
        .sort();
      expect(left).toEqual([...c.residual].sort());

      mark = view.lastSeq();
      const verify = await cli('verify', ...c.planArgs);
      expect(verify.code).toBe(0);
      noteSeen('verify', actionsOf(mark));
      expect(actionsOf(mark).filter((call) => call.mutating)).toEqual([]);
      expect(
        actionsOf(mark)
          .map((call) => call.action)
          .filter((a) => !verifyPolicy.has(a ?? '')),
      ).toEqual([]);

      mark = view.lastSeq();
      const rollback = await cli('rollback', run.runId);
      expect(rollback.code).toBe(0);
      expect(rollback.stdout).not.toMatch(/\[object \w+\]/);
      const rollbackPolicy = await policy('rollback');
      noteSeen('rollback', actionsOf(mark));
      expect(
        actionsOf(mark)
          .map((call) => call.action)
          .filter((a) => !rollbackPolicy.has(a ?? '')),
      ).toEqual([]);
      expect(await stackSnapshot(view.server.url, c.region, p.stack.found, groups)).toEqual(before);
    } finally {
      await view.close();
    }
  });
});

/**
 * Least privilege the other way round: over the four scenarios, every action of each policy was needed by
 * that command, except those AWS checks without a call of their own (iam:PassRole) or that a call needs only
 * in a case the scenarios do not have (ecs:TagResource: only for a task definition that has tags).
 */
describe('reading an interrupted run back needs no more than the plan policy', () => {
  it("every executor's read is one of the walk's (what `iam-policy plan` grants), so plan and history can reconcile", async () => {
    const planPolicy = await policy('plan');
    const reads = Object.values(executors).flatMap((e) => e.iam.read);
    expect(reads.filter((a) => !planPolicy.has(a))).toEqual([]);
  });
});

describe('the IAM policies hold nothing the commands did not use', () => {
  it.each(['plan', 'verify'] as const)('%s', async (command) => {
    expect([...(await policy(command))].filter((a) => !seen[command].has(a)).sort()).toEqual([]);
  });
  it('apply and rollback (one policy: an apply may roll back, with --rollback-on-failure)', async () => {
    const used = new Set([...seen.apply, ...seen.rollback]);
    const unused = [...(await policy('apply'))].filter((a) => !used.has(a)).sort();
    expect(unused).toEqual(['ecs:TagResource', 'iam:PassRole']);
  });
  it('rollback: only the writes of inverses; of those, only the generic security-group kinds hold one the scenarios did not need', async () => {
    const rollbackPolicy = await policy('rollback');
    const applyPolicy = await policy('apply');
    expect([...rollbackPolicy].filter((a) => !applyPolicy.has(a))).toEqual([]);
    for (const applyOnly of ['elasticloadbalancing:CreateListener', 'ecs:RegisterTaskDefinition', 'iam:PassRole', 'ecs:TagResource'])
      expect(rollbackPolicy.has(applyOnly), applyOnly).toBe(false);
    expect([...rollbackPolicy].filter((a) => !seen.rollback.has(a)).sort()).toEqual(['ec2:AuthorizeSecurityGroupEgress']);
  });
});

const seen: Record<'plan' | 'verify' | 'apply' | 'rollback', Set<string>> = {
  plan: new Set(),
  verify: new Set(),
  apply: new Set(),
  rollback: new Set(),
};

function noteSeen(command: keyof typeof seen, calls: readonly { action?: string | undefined }[]): void {
  for (const call of calls) if (call.action !== undefined) seen[command].add(call.action);
}
