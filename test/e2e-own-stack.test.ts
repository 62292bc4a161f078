import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CACHING_DISABLED_POLICY_ID } from '../src/sandbox/services/cloudfront/managed-policies.js';
import { awsCli, hasAwsCli } from './support/aws-cli.js';
import { binPath, cleanEnv, runCli, tempDir } from './support/cli.js';
import { stackSnapshot, type Found } from './support/stack-snapshot.js';

const REGION = 'me-central-1';
const DOMAIN = 'own-stack.example';

interface PlanDoc {
  planId: string;
  stack: { found: Found };
  findings: { id: string; check: string }[];
  changes: { id: string; kind: string }[];
  checks: { id: string; status: 'passed' | 'failed' | 'not-run' }[];
}

/**
 * The issue's headline (issue 8, "let a user build their own stack"): `sandbox serve` on an empty account
 * (`sandbox reset --empty`), a broken stack built from nothing with the real aws CLI, then the loop: plan finds
 * the drifts, apply fixes them, plan finds fewer, rollback puts every resource back exactly as it was.
 */
describe.skipIf(!hasAwsCli)('a stack of ones own, built with the aws CLI against sandbox serve', () => {
  let dir: { path: string; cleanup: () => void };
  let journal: string;
  let serve: ChildProcess;
  let url: string;

  beforeAll(async () => {
    dir = tempDir('remediate-own-stack-');
    journal = join(dir.path, 'journal.db');
    const reset = await runCli(['sandbox', 'reset', '--empty', '--journal', journal]);
    expect(reset.stdout).toContain('Sandbox reset to scenario empty');
    expect(reset.code).toBe(0);
    serve = spawn(process.execPath, [binPath, 'sandbox', 'serve', '--port', '0', '--json', '--journal', journal], { env: cleanEnv() });
    let stdout = '';
    url = await new Promise<string>((resolve, reject) => {
      serve.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /"url": "(http:\/\/127\.0\.0\.1:\d+)"/.exec(stdout);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      serve.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
  });
  afterAll(async () => {
    if (serve.exitCode === null) {
      const exited = new Promise((resolve) => serve.on('exit', resolve));
      serve.kill('SIGTERM');
      await exited;
    }
    dir.cleanup();
  });

  const aws = <T>(region: string, ...args: string[]): Promise<T> => awsCli(url, region, ...args) as Promise<T>;
  const ec2 = <T>(...args: string[]): Promise<T> => aws<T>(REGION, 'ec2', ...args);
  const file = (name: string, content: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, content);
    return path;
  };
  const remediate = (...args: string[]) =>
    runCli([...args, '--endpoint-url', url, '--region', REGION, '--journal', journal], {
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    });

  it(
    'plans the drifts of a broken stack built from nothing, applies the fixes, and rolls back to exactly what was built',
    { timeout: 900_000 },
    async () => {
      const state = (await (await fetch(`${url}/_sandbox/state`)).json()) as { scenario: string; state: { regions: object } };
      expect(state).toMatchObject({ scenario: 'empty', state: { regions: {} } });

      // The network: a VPC, two public subnets, an internet gateway and a default route.
      const vpcId = (await ec2<{ Vpc: { VpcId: string } }>('create-vpc', '--cidr-block', '10.20.0.0/16')).Vpc.VpcId;
      const subnets: string[] = [];
      for (const [cidr, zone] of [
        ['10.20.1.0/24', 'a'],
        ['10.20.2.0/24', 'b'],
      ] as const) {
        subnets.push(
          (
            await ec2<{ Subnet: { SubnetId: string } }>(
              'create-subnet',
              '--vpc-id',
              vpcId,
              '--cidr-block',
              cidr,
              '--availability-zone',
              `${REGION}${zone}`,
            )
          ).Subnet.SubnetId,
        );
      }
      const igw = (await ec2<{ InternetGateway: { InternetGatewayId: string } }>('create-internet-gateway')).InternetGateway
        .InternetGatewayId;
      await ec2('attach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpcId);
      const table = (await ec2<{ RouteTable: { RouteTableId: string } }>('create-route-table', '--vpc-id', vpcId)).RouteTable.RouteTableId;
      await ec2('create-route', '--route-table-id', table, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igw);
      for (const subnet of subnets) await ec2('associate-route-table', '--route-table-id', table, '--subnet-id', subnet);
      // Broken: the load balancer's group lets in port 80 only (no 443).
      const albGroup = (
        await ec2<{ GroupId: string }>(
          'create-security-group',
          '--group-name',
          'own-alb',
          '--description',
          'load balancer',
          '--vpc-id',
          vpcId,
        )
      ).GroupId;
      await ec2('authorize-security-group-ingress', '--group-id', albGroup, '--protocol', 'tcp', '--port', '80', '--cidr', '0.0.0.0/0');
      const taskGroup = (
        await ec2<{ GroupId: string }>('create-security-group', '--group-name', 'own-tasks', '--description', 'tasks', '--vpc-id', vpcId)
      ).GroupId;
      await ec2(
        'authorize-security-group-ingress',
        '--group-id',
        taskGroup,
        '--protocol',
        'tcp',
        '--port',
        '80',
        '--source-group',
        albGroup,
      );

      // A certificate for the domain, imported in the load balancer's region and in us-east-1 (CloudFront's).
      const key = join(dir.path, 'key.pem');
      const cert = join(dir.path, 'cert.pem');
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '120',
          '-subj',
          `/CN=${DOMAIN}`,
          '-addext',
          `subjectAltName=DNS:${DOMAIN},DNS:www.${DOMAIN}`,
        ],
        { stdio: 'ignore' },
      );
      const importIn = async (region: string): Promise<string> =>
        (
          await aws<{ CertificateArn: string }>(
            region,
            'acm',
            'import-certificate',
            '--certificate',
            `fileb://${cert}`,
            '--private-key',
            `fileb://${key}`,
          )
        ).CertificateArn;
      await importIn(REGION);
      const edgeCertificate = await importIn('us-east-1');

      // The load balancer, its target group and an HTTP listener only (broken: no HTTPS listener).
      const elbv2 = <T>(...args: string[]): Promise<T> => aws<T>(REGION, 'elbv2', ...args);
      const lb = (
        await elbv2<{ LoadBalancers: { LoadBalancerArn: string; DNSName: string; CanonicalHostedZoneId: string }[] }>(
          'create-load-balancer',
          '--name',
          'own-alb',
          '--subnets',
          ...subnets,
          '--security-groups',
          albGroup,
        )
      ).LoadBalancers[0];
      if (lb === undefined) throw new Error('no load balancer');
      const tgArn =
        (
          await elbv2<{ TargetGroups: { TargetGroupArn: string }[] }>(
            'create-target-group',
            '--name',
            'own-tg',
            '--protocol',
            'HTTP',
            '--port',
            '80',
            '--vpc-id',
            vpcId,
            '--target-type',
            'ip',
            '--health-check-path',
            '/',
          )
        ).TargetGroups[0]?.TargetGroupArn ?? '';
      await elbv2(
        'create-listener',
        '--load-balancer-arn',
        lb.LoadBalancerArn,
        '--protocol',
        'HTTP',
        '--port',
        '80',
        '--default-actions',
        `Type=forward,TargetGroupArn=${tgArn}`,
      );

      // The service: a log group, a cluster, a task definition of an image the sandbox does not know, one task.
      await aws(REGION, 'logs', 'create-log-group', '--log-group-name', '/ecs/own-web');
      await aws(REGION, 'ecs', 'create-cluster', '--cluster-name', 'own-cluster');
      const containers = [
        {
          name: 'web',
          image: 'public.ecr.aws/nginx/nginx:1.27',
          essential: true,
          portMappings: [{ containerPort: 80, protocol: 'tcp' }],
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': '/ecs/own-web', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'ecs' },
          },
        },
      ];
      await aws(
        REGION,
        'ecs',
        'register-task-definition',
        '--family',
        'own-web',
        '--network-mode',
        'awsvpc',
        '--requires-compatibilities',
        'FARGATE',
        '--cpu',
        '256',
        '--memory',
        '512',
        '--execution-role-arn',
        'arn:aws:iam::411714852748:role/ecsTaskExecutionRole',
        '--container-definitions',
        `file://${file('containers.json', JSON.stringify(containers))}`,
      );
      // Broken: a 30 s grace period, and no deployment circuit breaker (AWS's default when CreateService is not given one).
      await aws(
        REGION,
        'ecs',
        'create-service',
        '--cluster',
        'own-cluster',
        '--service-name',
        'own-web',
        '--task-definition',
        'own-web',
        '--desired-count',
        '1',
        '--launch-type',
        'FARGATE',
        '--health-check-grace-period-seconds',
        '30',
        '--network-configuration',
        `awsvpcConfiguration={subnets=[${subnets.join(',')}],securityGroups=[${taskGroup}],assignPublicIp=ENABLED}`,
        '--load-balancers',
        `targetGroupArn=${tgArn},containerName=web,containerPort=80`,
      );
      const health = await elbv2<{ TargetHealthDescriptions: { TargetHealth: { State: string } }[] }>(
        'describe-target-health',
        '--target-group-arn',
        tgArn,
      );
      expect(health.TargetHealthDescriptions.map((d) => d.TargetHealth.State)).toEqual(['healthy']);

      // The edge. Broken: viewers may stay on HTTP, and the origin is reached over HTTP.
      const distributionConfig = {
        CallerReference: 'own-stack-1',
        Aliases: { Quantity: 2, Items: [DOMAIN, `www.${DOMAIN}`] },
        Origins: {
          Quantity: 1,
          Items: [
            { Id: 'alb', DomainName: lb.DNSName, CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' } },
          ],
        },
        DefaultCacheBehavior: { TargetOriginId: 'alb', ViewerProtocolPolicy: 'allow-all', CachePolicyId: CACHING_DISABLED_POLICY_ID },
        Comment: 'own stack',
        Enabled: true,
        ViewerCertificate: { ACMCertificateArn: edgeCertificate, SSLSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' },
      };
      const distribution = (
        await aws<{ Distribution: { Id: string; DomainName: string } }>(
          'us-east-1',
          'cloudfront',
          'create-distribution',
          '--distribution-config',
          `file://${file('distribution.json', JSON.stringify(distributionConfig))}`,
        )
      ).Distribution;
      const zoneId = (
        await aws<{ HostedZone: { Id: string } }>(
          'us-east-1',
          'route53',
          'create-hosted-zone',
          '--name',
          DOMAIN,
          '--caller-reference',
          'own-stack-1',
        )
      ).HostedZone.Id;
      const alias = (name: string) => ({
        Action: 'CREATE',
        ResourceRecordSet: {
          Name: name,
          Type: 'A',
          AliasTarget: { HostedZoneId: 'Z2FDTNDATAQYW2', DNSName: distribution.DomainName, EvaluateTargetHealth: false },
        },
      });
      await aws(
        'us-east-1',
        'route53',
        'change-resource-record-sets',
        '--hosted-zone-id',
        zoneId,
        '--change-batch',
        `file://${file('records.json', JSON.stringify({ Changes: [alias(DOMAIN), alias(`www.${DOMAIN}`)] }))}`,
      );

      // plan: exit 2, with the drifts built in.
      const plan = await remediate('plan', '--domain', DOMAIN, '--json');
      const p = plan.json<PlanDoc>();
      const failed = p.checks
        .filter((k) => k.status === 'failed')
        .map((k) => k.id)
        .sort();
      expect({ code: plan.code, failed }).toMatchObject({ code: 2 });
      expect(failed).toEqual(
        expect.arrayContaining([
          'alb.https-listener',
          'alb.security-group',
          'cloudfront.viewer-https',
          'ecs.health-check-grace-period',
          'ecs.deployment-circuit-breaker',
        ]),
      );
      expect(failed).not.toContain('stack.unreachable');
      expect(p.stack.found).toMatchObject({ distributionId: distribution.Id, loadBalancerArn: lb.LoadBalancerArn, targetGroupArn: tgArn });
      expect(p.changes.length).toBeGreaterThan(0);

      const before = await stackSnapshot(url, REGION, p.stack.found, [albGroup, taskGroup]);

      // apply --confirm: every step applied; then fewer findings.
      const apply = await remediate('apply', '--confirm', '--domain', DOMAIN, '--json');
      expect({ code: apply.code, stderr: apply.stderr }).toEqual({ code: 0, stderr: '' });
      const run = apply.json<{ runId: string; steps: { state: string }[] }>();
      expect(run.steps.every((s) => s.state === 'applied')).toBe(true);
      const after = await remediate('plan', '--domain', DOMAIN, '--json');
      const left = after
        .json<PlanDoc>()
        .checks.filter((k) => k.status === 'failed')
        .map((k) => k.id);
      expect(left.length).toBeLessThan(failed.length);
      expect(left).not.toContain('alb.https-listener');
      expect(await stackSnapshot(url, REGION, p.stack.found, [albGroup, taskGroup])).not.toEqual(before);

      // rollback: the stack read back is exactly what was built.
      const rollback = await remediate('rollback', run.runId);
      expect({ code: rollback.code, stderr: rollback.stderr }).toEqual({ code: 0, stderr: '' });
      expect(await stackSnapshot(url, REGION, p.stack.found, [albGroup, taskGroup])).toEqual(before);
    },
  );
});

describe('sandbox reset --empty', () => {
  it('starts from an account with nothing in it; --empty with another --scenario is bad input and changes nothing', async () => {
    const dir = tempDir('remediate-empty-');
    try {
      const journal = join(dir.path, 'journal.db');
      expect((await runCli(['sandbox', 'reset', '--scenario', 'nexora', '--journal', journal])).code).toBe(0);
      const both = await runCli(['sandbox', 'reset', '--empty', '--scenario', 'healthy', '--journal', journal]);
      expect(both.code).toBe(3);
      expect(both.stderr).toMatch(/--empty and --scenario healthy name two different starting points/);
      const plan = await runCli(['plan', '--sandbox', '--journal', journal, '--json']);
      expect(plan.json<{ stack: { name: string } }>().stack.name).toBe('nexora-prod');
      const reset = await runCli(['sandbox', 'reset', '--empty', '--journal', journal, '--json']);
      expect(reset.code).toBe(0);
      expect(reset.json()).toMatchObject({ scenario: 'empty' });
      const { openSandboxStore } = await import('../src/sandbox/index.js');
      const store = openSandboxStore(join(dir.path, 'journal.sandbox.db'));
      try {
        expect(store.scenario()).toBe('empty');
        expect(store.read()).toMatchObject({
          regions: {},
          global: { cloudfront: { distributions: [] }, route53: { hostedZones: [] } },
          apps: {},
        });
      } finally {
        store.close();
      }
    } finally {
      dir.cleanup();
    }
  });
});
