import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { useSandbox } from './support/sandbox-fixture.js';

const run = promisify(execFile);

/** The official aws CLI (v1, botocore) against the sandbox: its serialisers and parsers, not the JS SDK's. */
describe('sandbox with the aws CLI', () => {
  const sandbox = useSandbox({ per: 'file' });

  async function aws(...args: string[]): Promise<unknown> {
    const { stdout } = await run('aws', ['--endpoint-url', sandbox.server.url, '--region', 'me-central-1', '--output', 'json', ...args], {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_PAGER: '',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    });
    return JSON.parse(stdout) as unknown;
  }

  it('describes the listeners of the incident ALB and the ECS service', async () => {
    const lbs = (await aws('elbv2', 'describe-load-balancers', '--names', 'arquantix-prod-alb')) as {
      LoadBalancers: { LoadBalancerArn: string; DNSName: string }[];
    };
    const lbArn = lbs.LoadBalancers[0]?.LoadBalancerArn ?? '';
    expect(lbArn).toMatch(/^arn:aws:elasticloadbalancing:me-central-1:411714852748:loadbalancer\/app\/arquantix-prod-alb\/[0-9a-f]{16}$/);

    const listeners = (await aws('elbv2', 'describe-listeners', '--load-balancer-arn', lbArn)) as {
      Listeners: { Port: number; Protocol: string; DefaultActions: { Type: string; TargetGroupArn: string }[] }[];
    };
    expect(listeners.Listeners).toHaveLength(1);
    expect(listeners.Listeners[0]).toMatchObject({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'forward',
          TargetGroupArn: 'arn:aws:elasticloadbalancing:me-central-1:411714852748:targetgroup/arquantix-prod-tg/89fe413e994d9f0f',
        },
      ],
    });

    const services = (await aws('ecs', 'describe-services', '--cluster', 'arquantix-cluster', '--services', 'arquantix-coming-soon')) as {
      services: {
        serviceName: string;
        runningCount: number;
        desiredCount: number;
        healthCheckGracePeriodSeconds: number;
        createdAt: number | string;
      }[];
      failures: unknown[];
    };
    expect(services.failures).toEqual([]);
    expect(services.services[0]).toMatchObject({
      serviceName: 'arquantix-coming-soon',
      runningCount: 1,
      desiredCount: 1,
      healthCheckGracePeriodSeconds: 120,
    });

    expect(sandbox.store.calls().map((c) => `${c.service}:${c.operation}:${c.status}`)).toEqual([
      'elbv2:DescribeLoadBalancers:200',
      'elbv2:DescribeListeners:200',
      'ecs:DescribeServices:200',
    ]);
  });

  it('reports AWS error codes the way the CLI expects them', async () => {
    const error = await aws(
      'elbv2',
      'describe-listeners',
      '--listener-arns',
      'arn:aws:elasticloadbalancing:me-central-1:411714852748:listener/app/x/0000000000000000/0000000000000000',
    ).then(
      () => undefined,
      (e: unknown) => e as { stderr: string },
    );
    expect(error?.stderr).toContain('(ListenerNotFound)');
    const ecsError = await aws('ecs', 'describe-services', '--cluster', 'nope', '--services', 'x').then(
      () => undefined,
      (e: unknown) => e as { stderr: string },
    );
    expect(ecsError?.stderr).toContain('(ClusterNotFoundException)');
  });
});
