import type { Observation } from '../../src/observe/observation.js';
import { stackDefinition, type ResolvedStack, type StackInput } from '../../src/model/stack-definition.js';

const region = 'me-central-1';
const account = '411714852748';
export const lbArn = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/shop-alb/0123456789abcdef`;
export const tgArn = `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/shop-tg/89fe413e994d9f0f`;
export const http80Arn = `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/shop-alb/0123456789abcdef/1111111111111111`;
export const https443Arn = `arn:aws:elasticloadbalancing:${region}:${account}:listener/app/shop-alb/0123456789abcdef/2222222222222222`;
export const certArn = `arn:aws:acm:${region}:${account}:certificate/aaaaaaaa-0000-0000-0000-000000000001`;
export const serviceArn = `arn:aws:ecs:${region}:${account}:service/shop-cluster/shop-web`;
export const now = new Date('2026-11-21T10:00:00Z');

/** The stack of the fixture, resolved as discovery would leave it. */
export function fixtureStack(overrides: Partial<StackInput> = {}): ResolvedStack {
  const spec = stackDefinition({
    region,
    domain: 'shop.example',
    loadBalancer: 'shop-alb',
    targetGroup: 'shop-tg',
    cluster: 'shop-cluster',
    service: 'shop-web',
    healthPath: '/health/alb',
    ...overrides,
  });
  return { ...spec, name: spec.name ?? 'shop.example', region, found: { loadBalancerArn: lbArn, targetGroupArn: tgArn, serviceArn } };
}

/** A healthy observation; tests break one thing at a time (and may swap its `stack`). */
export function healthyObservation(stack: ResolvedStack = fixtureStack()): Observation {
  return {
    account,
    region,
    callerArn: `arn:aws:iam::${account}:user/oncall`,
    observedAt: now,
    stack,
    dns: undefined,
    distribution: undefined,
    viewerCertificate: undefined,
    rules: {},
    taskDefinition: undefined,
    runningTasks: [],
    stoppedTasks: [],
    network: undefined,
    securityGroups: {},
    logGroup: undefined,
    loadBalancer: { LoadBalancerArn: lbArn, LoadBalancerName: 'shop-alb', Scheme: 'internet-facing' },
    listeners: [
      {
        ListenerArn: http80Arn,
        LoadBalancerArn: lbArn,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [
          {
            Type: 'redirect',
            RedirectConfig: {
              Protocol: 'HTTPS',
              Port: '443',
              StatusCode: 'HTTP_301',
              Host: '#{host}',
              Path: '/#{path}',
              Query: '#{query}',
            },
          },
        ],
      },
      {
        ListenerArn: https443Arn,
        LoadBalancerArn: lbArn,
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: certArn }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      },
    ],
    targetGroup: {
      TargetGroupArn: tgArn,
      TargetGroupName: 'shop-tg',
      Protocol: 'HTTP',
      Port: 3000,
      HealthCheckEnabled: true,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/health/alb',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 10,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 5,
      Matcher: { HttpCode: '200-399' },
    },
    targetHealth: [{ Target: { Id: '172.31.31.39', Port: 3000 }, TargetHealth: { State: 'healthy' } }],
    service: {
      serviceArn,
      serviceName: 'shop-web',
      clusterArn: `arn:aws:ecs:${region}:${account}:cluster/shop-cluster`,
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      healthCheckGracePeriodSeconds: 180,
      deploymentConfiguration: {
        deploymentCircuitBreaker: { enable: true, rollback: true },
        maximumPercent: 200,
        minimumHealthyPercent: 100,
      },
      loadBalancers: [{ targetGroupArn: tgArn, containerName: 'web', containerPort: 3000 }],
    },
    certificates: [
      {
        CertificateArn: certArn,
        DomainName: 'shop.example',
        SubjectAlternativeNames: ['shop.example', 'www.shop.example'],
        Status: 'ISSUED',
        NotAfter: new Date('2027-06-01T00:00:00Z'),
      },
    ],
    gaps: [],
  };
}
