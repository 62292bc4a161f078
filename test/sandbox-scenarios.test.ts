import { ACMClient, DescribeCertificateCommand, ListCertificatesCommand, type CertificateDetail } from '@aws-sdk/client-acm';
import {
  CloudFrontClient,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
  type Distribution,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type NatGateway,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type VpcEndpoint,
} from '@aws-sdk/client-ec2';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
  type Listener,
  type LoadBalancer,
  type Rule,
  type TargetGroup,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type AliasTarget,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { beforeAll, describe, expect, it } from 'vitest';

import {
  DEFAULT_SCENARIO,
  findScenario,
  SandboxAdminPath,
  scenarios,
  type SandboxServer,
  type SandboxStore,
} from '../src/sandbox/index.js';
import type { HttpProbeResult } from '../src/sandbox/simulation/http-probe-messages.js';
import { defaultPolicy, stackDefinition, type StackDefinition } from '../src/model/stack-definition.js';
import { runCli } from './support/cli.js';
import { useSandbox, type SandboxFixture } from './support/sandbox-fixture.js';

/*
 * Each scenario of docs/scenarios.md, read back through the real SDK clients (never the store), item by
 * item, with the audit line beside each assertion; then, for the broken ones, the healing proof: the
 * changes remediate plans, made here through the SDK, after which the audit's proof tests pass.
 */

const CLOUDFRONT_ZONE = 'Z2FDTNDATAQYW2';
const TLS13 = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

const AQ = {
  account: '411714852748',
  region: 'me-central-1',
  domain: 'arquantix.com',
  distributionId: 'EPJ3WQCO04UWW',
  loadBalancer: 'arquantix-prod-alb',
  targetGroup: 'arquantix-prod-tg',
  targetGroupArn: 'arn:aws:elasticloadbalancing:me-central-1:411714852748:targetgroup/arquantix-prod-tg/89fe413e994d9f0f',
  cluster: 'arquantix-cluster',
  service: 'arquantix-coming-soon',
  taskIp: '172.31.31.39',
  logGroup: '/aws/ecs/arquantix-coming-soon',
  image: '411714852748.dkr.ecr.me-central-1.amazonaws.com/arquantix-coming-soon:latest',
  albGroup: 'arquantix-alb-sg',
  taskGroup: 'arquantix-ecs-sg',
} as const;

const NX = {
  account: '222233334444',
  region: 'us-east-1',
  domain: 'nexora.example',
  loadBalancer: 'nexora-prod-alb',
  targetGroup: 'nexora-api-tg',
  cluster: 'nexora-prod',
  service: 'nexora-api',
  logGroup: '/ecs/nexora-api',
  albGroup: 'nexora-alb-sg',
  taskGroup: 'nexora-ecs-tasks-sg',
} as const;

/** The names a stack is read by. */
interface StackNames {
  readonly region: string;
  readonly loadBalancer: string;
  readonly targetGroup: string;
  readonly cluster: string;
  readonly service: string;
  readonly logGroup: string;
}

/** A sandbox started from a scenario, with SDK clients for its region (ACM also in us-east-1, for CloudFront). */
interface Sandbox {
  readonly store: SandboxStore;
  readonly server: SandboxServer;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly ecs: ECSClient;
  readonly ec2: EC2Client;
  readonly logs: CloudWatchLogsClient;
  readonly acm: ACMClient;
  readonly acmUsEast1: ACMClient;
  readonly cloudfront: CloudFrontClient;
  readonly route53: Route53Client;
  /** `POST /_sandbox/probe`: what curl would get. */
  probe(url: string, headers?: Record<string, string>): Promise<HttpProbeResult>;
}

/** The clients of a scenario's sandbox, started by the fixture (`useSandbox`) for the tests of one describe. */
function scenarioSandbox(fixture: SandboxFixture, scenario: string): Sandbox {
  const region = findScenario(scenario).stack.region ?? 'us-east-1';
  const server = fixture.server;
  return {
    store: fixture.store,
    server,
    elbv2: fixture.client(ElasticLoadBalancingV2Client, region),
    ecs: fixture.client(ECSClient, region),
    ec2: fixture.client(EC2Client, region),
    logs: fixture.client(CloudWatchLogsClient, region),
    acm: fixture.client(ACMClient, region),
    acmUsEast1: fixture.client(ACMClient, 'us-east-1'),
    cloudfront: fixture.client(CloudFrontClient, 'us-east-1'),
    route53: fixture.client(Route53Client, 'us-east-1'),
    async probe(url, headers) {
      const response = await fetch(`${server.url}${SandboxAdminPath.probe}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url, ...(headers === undefined ? {} : { headers }) }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as HttpProbeResult;
    },
  };
}

function defined<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what}: not found`);
  return value;
}

// ---- Route53 and CloudFront ----

async function zoneId(s: Sandbox, domain: string): Promise<string> {
  const zone = (await s.route53.send(new ListHostedZonesByNameCommand({ DNSName: domain, MaxItems: 1 }))).HostedZones?.[0];
  expect(zone?.Name).toBe(`${domain}.`);
  return defined(zone?.Id, `hosted zone ${domain}`).replace('/hostedzone/', '');
}

async function zoneRecords(s: Sandbox, domain: string): Promise<ResourceRecordSet[]> {
  return (await s.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: await zoneId(s, domain) }))).ResourceRecordSets ?? [];
}

function recordOf(records: readonly ResourceRecordSet[], name: string, type: string): ResourceRecordSet | undefined {
  return records.find((r) => r.Name === `${name}.` && r.Type === type);
}

function aliasTo(domainName: string): AliasTarget {
  return { HostedZoneId: CLOUDFRONT_ZONE, DNSName: `${domainName}.`, EvaluateTargetHealth: false };
}

async function readDistribution(s: Sandbox): Promise<Distribution> {
  const summaries = (await s.cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
  expect(summaries.map((d) => d.Id)).toEqual([AQ.distributionId]);
  return defined((await s.cloudfront.send(new GetDistributionCommand({ Id: AQ.distributionId }))).Distribution, 'distribution');
}

async function certificate(client: ACMClient, arn: string | undefined): Promise<CertificateDetail> {
  return defined((await client.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate, `certificate ${arn ?? ''}`);
}

// ---- Load balancer, target group, ECS, network, logs ----

/** Everything of a stack below the edge, as the SDK reads it. */
interface StackView {
  readonly lb: LoadBalancer;
  /** Sorted by port. */
  readonly listeners: Listener[];
  /** Every rule of every listener (the default ones included). */
  readonly rules: Rule[];
  readonly tg: TargetGroup;
  readonly targets: TargetHealthDescription[];
  readonly albGroups: SecurityGroup[];
  readonly service: Service;
  /** The revision the service is on. */
  readonly taskDefinition: TaskDefinition;
  readonly running: Task[];
  readonly stopped: Task[];
  readonly taskGroups: SecurityGroup[];
  readonly subnets: Subnet[];
  /** The route tables associated with the service's subnets. */
  readonly routeTables: RouteTable[];
  readonly natGateways: NatGateway[];
  readonly endpoints: VpcEndpoint[];
  readonly logGroup: LogGroup | undefined;
}

async function tasksOf(s: Sandbox, names: StackNames, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<Task[]> {
  const arns =
    (await s.ecs.send(new ListTasksCommand({ cluster: names.cluster, serviceName: names.service, desiredStatus }))).taskArns ?? [];
  if (arns.length === 0) return [];
  return (await s.ecs.send(new DescribeTasksCommand({ cluster: names.cluster, tasks: arns }))).tasks ?? [];
}

async function groups(s: Sandbox, ids: readonly string[]): Promise<SecurityGroup[]> {
  return (await s.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...ids] }))).SecurityGroups ?? [];
}

async function readStack(s: Sandbox, names: StackNames): Promise<StackView> {
  const lb = defined(
    (await s.elbv2.send(new DescribeLoadBalancersCommand({ Names: [names.loadBalancer] }))).LoadBalancers?.[0],
    'load balancer',
  );
  const listeners = ((await s.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? []).sort(
    (a, b) => (a.Port ?? 0) - (b.Port ?? 0),
  );
  const rules: Rule[] = [];
  for (const listener of listeners)
    rules.push(...((await s.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? []));
  const tg = defined(
    (await s.elbv2.send(new DescribeTargetGroupsCommand({ Names: [names.targetGroup] }))).TargetGroups?.[0],
    'target group',
  );
  const targets =
    (await s.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions ?? [];
  const service = defined(
    (await s.ecs.send(new DescribeServicesCommand({ cluster: names.cluster, services: [names.service] }))).services?.[0],
    'service',
  );
  const taskDefinition = defined(
    (await s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }))).taskDefinition,
    'task definition',
  );
  const network = service.networkConfiguration?.awsvpcConfiguration;
  const subnetIds = network?.subnets ?? [];
  const subnets = (await s.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))).Subnets ?? [];
  const vpcId = defined(subnets[0]?.VpcId, 'VPC');
  return {
    lb,
    listeners,
    rules,
    tg,
    targets,
    albGroups: await groups(s, lb.SecurityGroups ?? []),
    service,
    taskDefinition,
    running: await tasksOf(s, names, 'RUNNING'),
    stopped: await tasksOf(s, names, 'STOPPED'),
    taskGroups: await groups(s, network?.securityGroups ?? []),
    subnets,
    routeTables:
      (await s.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: subnetIds }] }))).RouteTables ??
      [],
    natGateways: (await s.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [vpcId] }] }))).NatGateways ?? [],
    endpoints: (await s.ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints ?? [],
    logGroup: ((await s.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: names.logGroup }))).logGroups ?? []).find(
      (g) => g.logGroupName === names.logGroup,
    ),
  };
}

/** A group's inbound rules, one line each: `tcp 443 from 0.0.0.0/0`, `tcp 3000 from sg-…`. */
function ingress(group: SecurityGroup | undefined): string[] {
  return (group?.IpPermissions ?? []).flatMap((p) => {
    const ports = p.IpProtocol === '-1' ? 'all' : p.FromPort === p.ToPort ? `${p.FromPort ?? ''}` : `${p.FromPort ?? ''}-${p.ToPort ?? ''}`;
    return [
      ...(p.IpRanges ?? []).map((r) => `${p.IpProtocol ?? ''} ${ports} from ${r.CidrIp ?? ''}`),
      ...(p.UserIdGroupPairs ?? []).map((g) => `${p.IpProtocol ?? ''} ${ports} from ${g.GroupId ?? ''}`),
    ];
  });
}

function named(groupsRead: readonly SecurityGroup[], name: string): SecurityGroup {
  return defined(
    groupsRead.find((g) => g.GroupName === name),
    `security group ${name}`,
  );
}

function defaultRoute(table: RouteTable): string | undefined {
  const route = table.Routes?.find((r) => r.DestinationCidrBlock === '0.0.0.0/0');
  return route?.NatGatewayId ?? route?.GatewayId;
}

function endpointServices(view: StackView): string[] {
  return view.endpoints.map((e) => `${e.VpcEndpointType ?? ''} ${e.ServiceName ?? ''}`).sort();
}

function environmentOf(definition: TaskDefinition): Record<string, string> {
  return Object.fromEntries((definition.containerDefinitions?.[0]?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
}

/** A log group's events, or the error reading them. */
async function readEvents(s: Sandbox, group: string): Promise<{ filter: number | string; get: number | string }> {
  const stream = (await s.logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams?.[0]?.logStreamName;
  const count = async (p: Promise<{ events?: unknown[] | undefined }>): Promise<number | string> => {
    try {
      return ((await p).events ?? []).length;
    } catch (error) {
      return (error as Error).name;
    }
  };
  return {
    filter: await count(s.logs.send(new FilterLogEventsCommand({ logGroupName: group }))),
    get: await count(s.logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream }))),
  };
}

/** The audits' proof tests (Arquantix "Tests de Preuve" 1–3, Nexora "Verify Deployment"), as `remediate verify` runs them. */
async function proofProbes(
  s: Sandbox,
  domain: string,
  healthPath: string,
  albDns: string,
): Promise<{ health: HttpProbeResult; root: HttpProbeResult; albDirect: HttpProbeResult; redirect: HttpProbeResult }> {
  return {
    health: await s.probe(`https://${domain}${healthPath}`),
    root: await s.probe(`https://${domain}/`),
    albDirect: await s.probe(`https://${albDns}${healthPath}`, { Host: domain }),
    redirect: await s.probe(`http://${domain}/`),
  };
}

function expectProofsPass(proofs: Awaited<ReturnType<typeof proofProbes>>, domain: string): void {
  expect(proofs.health.status).toBe(200); // "curl -I https://arquantix.com/health  # Attendu: HTTP/2 200"
  expect(proofs.root.status).toBe(200); // "curl -I https://arquantix.com/  # Attendu: HTTP/2 200"
  expect(proofs.albDirect.status).toBe(200); // "curl -I -H "Host: arquantix.com" …$ALB_DNS/health  # Attendu: 200"
  expect(proofs.redirect.status).toBe(301); // "Forcer HTTPS pour toutes les requêtes HTTP"
  expect(proofs.redirect.headers['location']).toMatch(new RegExp(`^https://${domain.replace(/\./g, '\\.')}(:443)?/$`));
}

// ---- The correct Arquantix layers, shared by incident and healthy ----

/** Route53 and CloudFront as `incident` and `healthy` have them: every item correct. */
async function expectArquantixEdgeCorrect(s: Sandbox, albDns: string): Promise<void> {
  const distribution = await readDistribution(s);
  const config = defined(distribution.DistributionConfig, 'distribution config');
  const records = await zoneRecords(s, AQ.domain);
  for (const name of [AQ.domain, `www.${AQ.domain}`]) {
    for (const type of ['A', 'AAAA']) {
      // "arquantix.com (A/AAAA) / www.arquantix.com (A/AAAA)" → CloudFront
      expect(recordOf(records, name, type)?.AliasTarget).toEqual(aliasTo(defined(distribution.DomainName, 'domain name')));
    }
  }
  expect(distribution.Status).toBe('Deployed'); // "Status: Deployed"
  expect(config.Aliases?.Items).toEqual([AQ.domain, `www.${AQ.domain}`]); // "Aliases: arquantix.com, www.arquantix.com ✅"
  const origin = config.Origins?.Items?.[0];
  expect(origin?.DomainName).toBe(albDns); // "Origin domain = ALB DNS (pas de loop)"
  expect(origin?.OriginPath).toBe(''); // "Origin path = "" (vide)"
  expect(origin?.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', HTTPSPort: 443 }); // "Origin protocol = HTTPS Only", "HTTPS Port = 443"
  expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('redirect-to-https');
  const viewer = await certificate(s.acmUsEast1, config.ViewerCertificate?.ACMCertificateArn); // "Certificate ACM attaché (us-east-1) ✅"
  expect(viewer.CertificateArn).toMatch(/^arn:aws:acm:us-east-1:411714852748:certificate\//);
  expect(viewer.Status).toBe('ISSUED');
  expect(viewer.SubjectAlternativeNames).toEqual([AQ.domain, `www.${AQ.domain}`]);
}

/** The me-central-1 certificates of the Arquantix stack: ISSUED for both names, EXPIRED, PENDING_VALIDATION `*.`. */
async function arquantixCertificates(s: Sandbox): Promise<Record<string, CertificateDetail>> {
  const summaries =
    (await s.acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED', 'EXPIRED', 'PENDING_VALIDATION'] })))
      .CertificateSummaryList ?? [];
  const details = await Promise.all(summaries.map((c) => certificate(s.acm, c.CertificateArn)));
  return Object.fromEntries(details.map((d) => [d.Status ?? '', d]));
}

/** Security groups, network and logs as `incident` and `healthy` have them. */
async function expectArquantixBelowCorrect(s: Sandbox, view: StackView): Promise<void> {
  expect(view.lb.Scheme).toBe('internet-facing'); // "Internet-facing (pas internal) ✅"
  const albGroup = named(view.albGroups, AQ.albGroup);
  expect(ingress(albGroup)).toEqual(['tcp 80 from 0.0.0.0/0', 'tcp 443 from 0.0.0.0/0']); // "INBOUND: Port 80 / Port 443 depuis 0.0.0.0/0"
  expect(ingress(named(view.taskGroups, AQ.taskGroup))).toEqual([`tcp 3000 from ${albGroup.GroupId ?? ''}`]); // "Port 3000 depuis ALB Security Group"
  expect(view.rules.map((r) => r.IsDefault)).toEqual(view.listeners.map(() => true)); // "Host header rules corrects (si présents) ✅": none
  expect(view.targets.map((t) => t.TargetHealth?.State)).not.toContain('unused'); // "Pas de targets "unused" ✅"
  expect(view.targets.map((t) => t.TargetHealth?.State)).not.toContain('draining'); // "Pas de targets "draining" permanents ✅"
  const container = view.taskDefinition.containerDefinitions?.[0];
  expect(container?.portMappings?.[0]?.containerPort).toBe(3000); // "Container Port: 3000"
  expect(environmentOf(view.taskDefinition)).toEqual({ PORT: '3000', HOSTNAME: '0.0.0.0' }); // "PORT=3000", "HOSTNAME=0.0.0.0"
  expect(container?.image).toBe(AQ.image); // "Image: ECR/arquantix-coming-soon:latest"
  expect(view.service.loadBalancers).toEqual([{ targetGroupArn: AQ.targetGroupArn, containerName: AQ.service, containerPort: 3000 }]); // "Target Group attaché", "Container Name", "Container Port"
  expect(view.service.launchType).toBe('FARGATE');
  expect(view.service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('DISABLED');
  expect(view.routeTables.map(defaultRoute)).toEqual([view.natGateways[0]?.NatGatewayId]); // task networking has a NAT route
  expect(view.natGateways.map((n) => n.State)).toEqual(['available']);
  expect(view.stopped).toEqual([]); // "Pas de crash loop", "Tasks stables"
  expect(view.logGroup?.logGroupName).toBe(AQ.logGroup); // "Log Group: /aws/ecs/arquantix-coming-soon"
  expect(await readEvents(s, AQ.logGroup)).toEqual({ filter: 5, get: 5 }); // "Logs accessibles"
  const certificates = await arquantixCertificates(s);
  expect(certificates['ISSUED']?.SubjectAlternativeNames).toEqual([AQ.domain, `www.${AQ.domain}`]);
  expect(certificates['EXPIRED']?.DomainName).toBe(AQ.domain);
  expect(certificates['PENDING_VALIDATION']?.DomainName).toBe(`*.${AQ.domain}`);
}

const ARQUANTIX_NAMES: StackNames = { ...AQ };
const NEXORA_NAMES: StackNames = { ...NX };

describe('the scenario catalog', () => {
  it('lists incident (the default), healthy, arquantix, nexora, blind-spots and empty, each with a one-line description, its domain and a valid stack', () => {
    expect(DEFAULT_SCENARIO).toBe('incident');
    expect(scenarios.map((s) => [s.name, s.domain])).toEqual([
      ['incident', AQ.domain],
      ['healthy', AQ.domain],
      ['arquantix', AQ.domain],
      ['nexora', NX.domain],
      ['blind-spots', AQ.domain],
      ['empty', 'example.com'],
    ]);
    for (const scenario of scenarios) {
      expect(scenario.description).not.toContain('\n');
      expect(scenario.description.length).toBeGreaterThan(60);
      expect(scenario.description.length).toBeLessThan(500);
    }
    const arquantixStack = {
      name: 'arquantix-prod',
      region: AQ.region,
      domain: AQ.domain,
      loadBalancer: AQ.loadBalancer,
      targetGroup: AQ.targetGroup,
      cluster: AQ.cluster,
      service: AQ.service,
    };
    const stack = (name: string): StackDefinition => stackDefinition(findScenario(name).stack);
    expect(stack('incident')).toMatchObject({ ...arquantixStack, healthPath: '/health/alb', policy: defaultPolicy });
    expect(stack('healthy')).toMatchObject({ ...arquantixStack, healthPath: '/health/alb', policy: defaultPolicy });
    // The audit's stack: /health is public; its change set the matcher to 200-399 ("Matcher: 200-399").
    expect(stack('arquantix')).toMatchObject({
      ...arquantixStack,
      healthPath: '/health',
      policy: { ...defaultPolicy, healthCheckMatcher: '200-399' },
    });
    expect(stack('nexora')).toEqual({
      name: 'nexora-prod',
      region: NX.region,
      domain: NX.domain,
      loadBalancer: NX.loadBalancer,
      targetGroup: NX.targetGroup,
      cluster: NX.cluster,
      service: NX.service,
      healthPath: '/health/alb',
      policy: defaultPolicy,
    });
    expect(() => findScenario('x')).toThrow('unknown sandbox scenario "x"');
  });

  it('`remediate sandbox scenarios` lists each with its description and domain', async () => {
    const run = await runCli(['sandbox', 'scenarios']);
    expect(run.code).toBe(0);
    const width = Math.max(...scenarios.map((s) => s.name.length));
    for (const scenario of scenarios) {
      expect(run.stdout).toContain(
        `${scenario.name.padEnd(width)}  ${scenario.name === 'incident' ? '(default) ' : ''}${scenario.description}\n`,
      );
      expect(run.stdout).toContain(`domain ${scenario.domain}, stack ${scenario.stack.name ?? ''} in ${scenario.stack.region ?? ''}`);
    }
  });

  it('builds the same ids whatever the day, with dates relative to it', () => {
    for (const scenario of scenarios) {
      const a = scenario.build(new Date('2026-01-03T00:00:00Z'));
      const b = scenario.build(new Date('2031-06-01T00:00:00Z'));
      const ids = (s: typeof a): string[] =>
        Object.values(s.regions).flatMap((r) => [
          ...r.elbv2.listeners.map((l) => l.arn),
          ...r.acm.certificates.map((c) => c.arn),
          ...r.ecs.tasks.map((t) => `${t.arn} ${t.privateIp}`),
          ...r.ec2.securityGroups.flatMap((g) => g.rules.map((rule) => rule.ruleId)),
        ]);
      expect(ids(a)).toEqual(ids(b));
    }
    const incident = findScenario('incident').build(new Date('2026-01-03T00:00:00Z'));
    expect(incident.regions[AQ.region]?.acm.certificates[0]?.notAfter).toBe('2026-10-30T00:00:00.000Z');
  });
});

describe('incident: the Arquantix stack with exactly four drifts', () => {
  const sandbox = useSandbox({ scenario: 'incident', per: 'file' });
  let s: Sandbox;
  beforeAll(() => {
    s = scenarioSandbox(sandbox, 'incident');
  });

  it('reads back with its four drifts, every other layer correct', async () => {
    const view = await readStack(s, ARQUANTIX_NAMES);
    await expectArquantixEdgeCorrect(s, defined(view.lb.DNSName, 'DNS name'));
    await expectArquantixBelowCorrect(s, view);
    // ✗ 1. no HTTPS listener on 443; ✗ 2. port 80 forwards to arquantix-prod-tg.
    expect(view.listeners).toHaveLength(1);
    expect(view.listeners[0]).toMatchObject({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: AQ.targetGroupArn }],
    });
    // ✗ 3. /health answers 401: Target.ResponseCodeMismatch (Nexora audit 2).
    expect(view.tg).toMatchObject({
      Port: 3000,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 10,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 5,
      Matcher: { HttpCode: '200-399' },
    });
    expect(view.targets).toEqual([
      {
        Target: { Id: AQ.taskIp, Port: 3000, AvailabilityZone: 'me-central-1a' },
        HealthCheckPort: '3000',
        TargetHealth: {
          State: 'unhealthy',
          Reason: 'Target.ResponseCodeMismatch',
          Description: 'Health checks failed with these codes: [401]',
        },
      },
    ]);
    // ✗ 4. "Health Check Grace Period: 120s (doit être 180s)".
    expect(view.service.healthCheckGracePeriodSeconds).toBe(120);
    expect(view.service).toMatchObject({ desiredCount: 1, runningCount: 1 });
    expect(view.service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    expect(view.running.map((t) => t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address)).toEqual([AQ.taskIp]);
  });

  it('heals with those four changes alone: every proof test passes', async () => {
    const albDns = (await readStack(s, ARQUANTIX_NAMES)).lb.DNSName ?? '';
    await healIncident(s);
    expectProofsPass(await proofProbes(s, AQ.domain, '/health/alb', albDns), AQ.domain);
    const view = await readStack(s, ARQUANTIX_NAMES);
    expect(view.targets.map((t) => t.TargetHealth?.State)).toEqual(['healthy']);
    expect(view.service).toMatchObject({ desiredCount: 1, runningCount: 1 });
  });
});

/** The four changes of the incident, through the SDK. */
async function healIncident(s: Sandbox): Promise<void> {
  const view = await readStack(s, ARQUANTIX_NAMES);
  const issued = (await s.acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }))).CertificateSummaryList?.[0]
    ?.CertificateArn;
  await s.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: view.lb.LoadBalancerArn,
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: TLS13,
      Certificates: [{ CertificateArn: issued }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: AQ.targetGroupArn }],
    }),
  );
  await redirectPort80(s, view);
  await s.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: AQ.targetGroupArn, HealthCheckPath: '/health/alb' }));
  await s.ecs.send(new UpdateServiceCommand({ cluster: AQ.cluster, service: AQ.service, healthCheckGracePeriodSeconds: 180 }));
}

async function redirectPort80(s: Sandbox, view: StackView): Promise<void> {
  await s.elbv2.send(
    new ModifyListenerCommand({
      ListenerArn: view.listeners.find((l) => l.Port === 80)?.ListenerArn,
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
    }),
  );
}

describe('healthy: the Arquantix stack with nothing wrong', () => {
  const sandbox = useSandbox({ scenario: 'healthy', per: 'file' });
  let s: Sandbox;
  beforeAll(() => {
    s = scenarioSandbox(sandbox, 'healthy');
  });

  it('reads back with every item correct, within the default policy and the timing rule', async () => {
    const view = await readStack(s, ARQUANTIX_NAMES);
    await expectArquantixEdgeCorrect(s, defined(view.lb.DNSName, 'DNS name'));
    await expectArquantixBelowCorrect(s, view);
    const certificates = await arquantixCertificates(s);
    expect(view.listeners).toHaveLength(2);
    // "Port 80: Redirect to 443"
    expect(view.listeners[0]).toMatchObject({
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' },
        },
      ],
    });
    // "Port 443: HTTPS with ACM cert"; "Default: Forward to arquantix-prod-tg"
    expect(view.listeners[1]).toMatchObject({
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: TLS13,
      Certificates: [{ CertificateArn: certificates['ISSUED']?.CertificateArn }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: AQ.targetGroupArn }],
    });
    expect(certificates['ISSUED']?.InUseBy).toEqual([view.lb.LoadBalancerArn]);
    const tg = view.tg;
    expect(tg).toMatchObject({ Port: 3000, Protocol: 'HTTP', HealthCheckPath: '/health/alb', Matcher: { HttpCode: '200-399' } });
    const interval = defined(tg.HealthCheckIntervalSeconds, 'interval');
    const healthy = defined(tg.HealthyThresholdCount, 'healthy threshold');
    const grace = defined(view.service.healthCheckGracePeriodSeconds, 'grace period');
    // The default policy: interval ≤ 30, timeout < interval, healthy ≤ 2, unhealthy ≥ 3, grace ≥ 180 and ≥ (healthy + 1) × interval.
    expect(interval).toBeLessThanOrEqual(defaultPolicy.maxHealthCheckIntervalSeconds);
    expect(tg.HealthCheckTimeoutSeconds).toBeLessThan(interval);
    expect(healthy).toBeLessThanOrEqual(defaultPolicy.maxHealthyThresholdCount);
    expect(tg.UnhealthyThresholdCount).toBeGreaterThanOrEqual(defaultPolicy.minUnhealthyThresholdCount);
    expect(grace).toBe(180);
    expect(grace).toBeGreaterThanOrEqual((healthy + 1) * interval);
    // The timing rule: the app (15 s to start) turns healthy (15 + 2 × 30 = 75 s) well within the grace period.
    const startup = s.store.read().apps[AQ.service]?.startupSeconds ?? 0;
    expect(startup + healthy * interval).toBeLessThanOrEqual(grace);
    expect(view.targets.map((t) => [t.Target?.Id, t.TargetHealth?.State])).toEqual([[AQ.taskIp, 'healthy']]); // "Au moins 1 target HEALTHY"
    expect(view.service).toMatchObject({ desiredCount: 1, runningCount: 1 }); // "RunningCount == DesiredCount == 1"
  });

  it('passes every proof test as it is', async () => {
    const albDns = (await readStack(s, ARQUANTIX_NAMES)).lb.DNSName ?? '';
    expectProofsPass(await proofProbes(s, AQ.domain, '/health/alb', albDns), AQ.domain);
    expect((await s.probe(`https://www.${AQ.domain}/`)).status).toBe(200);
  });
});

describe('arquantix: seed audit 000, item by item', () => {
  const sandbox = useSandbox({ scenario: 'arquantix', per: 'file' });
  let s: Sandbox;
  beforeAll(() => {
    s = scenarioSandbox(sandbox, 'arquantix');
  });

  it('reads back every item of docs/scenarios.md', async () => {
    const view = await readStack(s, ARQUANTIX_NAMES);
    const albDns = defined(view.lb.DNSName, 'DNS name');
    const distribution = await readDistribution(s);
    const config = defined(distribution.DistributionConfig, 'distribution config');

    // Route53 — "Zone hosted: arquantix.com"
    const records = await zoneRecords(s, AQ.domain);
    expect(recordOf(records, AQ.domain, 'A')?.AliasTarget).toEqual(aliasTo(distribution.DomainName ?? '')); // ✓ "arquantix.com pointe vers CloudFront distribution"
    expect(recordOf(records, AQ.domain, 'AAAA')?.AliasTarget).toEqual(aliasTo(distribution.DomainName ?? ''));
    expect(recordOf(records, `www.${AQ.domain}`, 'A')?.AliasTarget).toEqual(aliasTo('d1stale0000000.cloudfront.net')); // ✗ "Pas de drift (records cohérents)"
    expect(recordOf(records, `www.${AQ.domain}`, 'AAAA')).toBeUndefined(); // ✗ www AAAA missing
    expect((await s.probe(`https://www.${AQ.domain}/`)).error?.code).toBe('NXDOMAIN');

    // CloudFront EPJ3WQCO04UWW
    expect(distribution.Status).toBe('Deployed'); // ✓ "Status: Deployed"
    expect(config.Aliases?.Items).toEqual([AQ.domain, `www.${AQ.domain}`]); // ✓ "Aliases: arquantix.com, www.arquantix.com ✅"
    const viewer = await certificate(s.acmUsEast1, config.ViewerCertificate?.ACMCertificateArn); // ✓ "Certificate: ACM (us-east-1) ✅"
    expect([viewer.Status, viewer.SubjectAlternativeNames]).toEqual(['ISSUED', [AQ.domain, `www.${AQ.domain}`]]);
    const origin = config.Origins?.Items?.[0];
    expect(origin?.DomainName).toBe(albDns); // ✓ "Origin domain = ALB DNS (pas de loop)"
    expect(origin?.OriginPath).toBe(''); // ✓ "Origin path = "" (vide)"
    expect(origin?.CustomOriginConfig?.HTTPSPort).toBe(443); // ✓ "HTTPS Port = 443"
    expect(origin?.CustomOriginConfig?.OriginProtocolPolicy).toBe('http-only'); // ✗ "CloudFront nécessite HTTPS vers l'ALB"
    expect(config.DefaultCacheBehavior?.ViewerProtocolPolicy).toBe('allow-all'); // ✗ viewer HTTPS not enforced
    expect((await s.probe(`http://${AQ.domain}/`)).status).toBe(200); // …so plain HTTP is served, not redirected

    // ALB arquantix-prod-alb
    expect(view.lb.Scheme).toBe('internet-facing'); // ✓ "Internet-facing (pas internal) ✅"
    expect(view.listeners.map((l) => l.Port)).toEqual([80]); // ✗ "Listener HTTPS (443) manquant" (CRITIQUE)
    expect(view.listeners[0]).toMatchObject({ Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: AQ.targetGroupArn }] }); // ✗ "Listener 80 forward au lieu de redirect"; ✓ "Default rule → arquantix-prod-tg ✅"
    expect(view.rules.map((r) => r.IsDefault)).toEqual([true]); // ✓ "Host header rules corrects (si présents) ✅": none
    const albGroup = named(view.albGroups, AQ.albGroup);
    expect(ingress(albGroup)).toEqual(['tcp 80 from 0.0.0.0/0']); // ✗ "INBOUND: Port 443 depuis 0.0.0.0/0" missing
    expect((await s.probe(`https://${albDns}/health`, { Host: AQ.domain })).error?.code).toBe('CONNECT_TIMEOUT');

    // Target group arquantix-prod-tg
    expect(view.tg).toMatchObject({
      TargetGroupArn: AQ.targetGroupArn,
      Port: 80, // ✗ (info) "Target Group port = 80 mais containers sur 3000 (normal si port mapping)"
      Protocol: 'HTTP', // ✓ "Protocol: HTTP"
      TargetType: 'ip',
      HealthCheckPath: '/health', // ✓ "Health Check Path: /health"
      HealthCheckIntervalSeconds: 30, // ✓ "Interval: 30s"
      HealthCheckTimeoutSeconds: 10, // ✓ "Timeout: 10s"
      HealthyThresholdCount: 5, // ✗ "Rollback 3": --healthy-threshold-count 5
      UnhealthyThresholdCount: 2, // ✗ "Rollback 3": --unhealthy-threshold-count 2
      Matcher: { HttpCode: '200' }, // ✗ "Rollback 3": --matcher HttpCode=200
    });
    expect(view.targets).toEqual([
      {
        Target: { Id: AQ.taskIp, Port: 3000, AvailabilityZone: 'me-central-1a' },
        HealthCheckPort: '3000',
        TargetHealth: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks', Description: 'Health checks failed' }, // ✗ "Target 172.31.31.39:3000 UNHEALTHY (FailedHealthChecks)"
      },
    ]);
    expect(view.targets.map((t) => t.TargetHealth?.State)).not.toContain('unused'); // ✓ "Pas de targets "unused" ✅"
    expect(view.targets.map((t) => t.TargetHealth?.State)).not.toContain('draining'); // ✓ "Pas de targets "draining" permanents ✅"

    // ECS arquantix-coming-soon
    const service = view.service;
    expect(service.healthCheckGracePeriodSeconds).toBe(120); // ✗ "Health Check Grace Period: 120s (doit être 180s)"
    expect(service).toMatchObject({ launchType: 'FARGATE', desiredCount: 1, runningCount: 1 }); // ✓ "Desired Count: 1", "Running Count: 1"
    const revision = (arn: string | undefined): string => arn?.slice(arn.lastIndexOf('/') + 1) ?? '';
    expect(service.deployments?.map((d) => [d.status, revision(d.taskDefinition), d.rolloutState, d.runningCount, d.failedTasks])).toEqual([
      ['PRIMARY', `${AQ.service}:3`, 'IN_PROGRESS', 0, 6], // ✗ "révision 3 pas encore démarrée"
      ['ACTIVE', `${AQ.service}:2`, 'COMPLETED', 1, 8], // ✓ "Tasks: … running (révision 2)"
    ]);
    expect(view.running.map((t) => [revision(t.taskDefinitionArn), t.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address])).toEqual(
      [[`${AQ.service}:2`, AQ.taskIp]],
    );
    const stoppedOf = (n: number): Task[] => view.stopped.filter((t) => revision(t.taskDefinitionArn) === `${AQ.service}:${n}`);
    expect(stoppedOf(3)).toHaveLength(6);
    for (const task of stoppedOf(3)) {
      // ✗ "Erreurs ECR timeout dans les événements (problème réseau)"
      expect(task.stopCode).toBe('TaskFailedToStart');
      expect(task.stoppedReason).toMatch(
        /^CannotPullContainerError: pull image manifest has been retried 5 time\(s\): failed to resolve ref 411714852748\.dkr\.ecr\.me-central-1\.amazonaws\.com\/arquantix-coming-soon:latest: .*dial tcp [\d.]+:443: i\/o timeout$/,
      );
    }
    expect(stoppedOf(2)).toHaveLength(8);
    for (const task of stoppedOf(2)) {
      // ✗ "Pas de crash loop (tasks qui redémarrent)"
      expect([task.stopCode, task.stoppedReason]).toEqual([
        'ServiceSchedulerInitiated',
        `Task failed ELB health checks in (target-group ${AQ.targetGroupArn})`,
      ]);
    }
    const newestStop = Math.max(...view.stopped.map((t) => t.stoppedAt?.getTime() ?? 0));
    expect(Date.now() - newestStop).toBeLessThan(24 * 3600 * 1000);
    // ✗ the network path to ECR: private subnets, no public IP, no endpoints ("Vérifier la configuration réseau (NAT Gateway, VPC endpoints)")
    expect(service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('DISABLED');
    expect(view.subnets.map((n) => n.MapPublicIpOnLaunch)).toEqual([false, false]);
    expect(view.routeTables).toHaveLength(1);
    expect(view.routeTables.map(defaultRoute)).toEqual([undefined]);
    expect(view.natGateways).toEqual([]);
    expect(endpointServices(view)).toEqual([]);
    // ✓ task definition (both revisions): "Container Port: 3000", "PORT=3000", "HOSTNAME=0.0.0.0", "Image: Dernière version ECR"
    for (const definition of [view.taskDefinition, await describeTaskDefinition(s, `${AQ.service}:2`)]) {
      expect(definition.containerDefinitions?.[0]).toMatchObject({
        name: AQ.service,
        image: AQ.image,
        portMappings: [{ containerPort: 3000 }],
      });
      expect(environmentOf(definition)).toEqual({ PORT: '3000', HOSTNAME: '0.0.0.0' });
    }
    // ✓ "Target Group attaché: arquantix-prod-tg", "Container Name: arquantix-coming-soon", "Container Port: 3000"
    expect(service.loadBalancers).toEqual([{ targetGroupArn: AQ.targetGroupArn, containerName: AQ.service, containerPort: 3000 }]);
    // ✓ "INBOUND: Port 3000 depuis ALB Security Group"
    expect(ingress(named(view.taskGroups, AQ.taskGroup))).toEqual([`tcp 3000 from ${albGroup.GroupId ?? ''}`]);

    // CloudWatch Logs: ✗ "Accès limité par permissions"
    expect(view.logGroup?.logGroupName).toBe(AQ.logGroup);
    expect(await readEvents(s, AQ.logGroup)).toEqual({ filter: 'AccessDeniedException', get: 'AccessDeniedException' });

    // The ISSUED me-central-1 certificate the 443 listener will use (and the EXPIRED and PENDING ones beside it).
    const certificates = await arquantixCertificates(s);
    expect(Object.keys(certificates).sort()).toEqual(['EXPIRED', 'ISSUED', 'PENDING_VALIDATION']);
    expect(certificates['ISSUED']?.InUseBy).toEqual([]);
  });

  it('heals with the changes remediate plans: the proof tests pass, a target is healthy, running = desired', async () => {
    const before = await readStack(s, ARQUANTIX_NAMES);
    const albDns = defined(before.lb.DNSName, 'DNS name');
    const issued = (await arquantixCertificates(s))['ISSUED']?.CertificateArn;

    // CloudFront: origin https-only, viewers redirected to HTTPS (UpdateDistribution with the ETag).
    const current = await s.cloudfront.send(new GetDistributionConfigCommand({ Id: AQ.distributionId }));
    await s.cloudfront.send(
      new UpdateDistributionCommand({
        Id: AQ.distributionId,
        IfMatch: current.ETag,
        DistributionConfig: httpsEverywhere(defined(current.DistributionConfig, 'config')),
      }),
    );
    // The ALB: 443 let in, a 443 listener (TLS 1.3 policy, the ISSUED certificate) forwarding, port 80 redirecting.
    await s.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: named(before.albGroups, AQ.albGroup).GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'HTTPS from anywhere (remediate)' }],
          },
        ],
      }),
    );
    await s.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: before.lb.LoadBalancerArn,
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: TLS13,
        Certificates: [{ CertificateArn: issued }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: AQ.targetGroupArn }],
      }),
    );
    await redirectPort80(s, before);
    // The target group: healthy 2, unhealthy 3 (the policy's bounds), matcher 200-399 (the stack's policy).
    await s.elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: AQ.targetGroupArn,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        Matcher: { HttpCode: '200-399' },
      }),
    );
    // The timing rule: 100 s + 2 × 30 s = 160 s is still more than the 120 s grace period…
    expect((await readStack(s, ARQUANTIX_NAMES)).targets.map((t) => t.TargetHealth?.Reason)).toEqual(['Target.FailedHealthChecks']);
    // …and within 180 s.
    await s.ecs.send(new UpdateServiceCommand({ cluster: AQ.cluster, service: AQ.service, healthCheckGracePeriodSeconds: 180 }));
    // Route53: www A UPSERTed to the distribution, www AAAA created.
    const distributionDomain = defined((await readDistribution(s)).DomainName, 'domain name');
    await s.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: await zoneId(s, AQ.domain),
        ChangeBatch: {
          Changes: [
            { Action: 'UPSERT', ResourceRecordSet: { Name: `www.${AQ.domain}.`, Type: 'A', AliasTarget: aliasTo(distributionDomain) } },
            { Action: 'CREATE', ResourceRecordSet: { Name: `www.${AQ.domain}.`, Type: 'AAAA', AliasTarget: aliasTo(distributionDomain) } },
          ],
        },
      }),
    );

    // "Tests de Preuve" 1–3, through the domain (and www) and the ALB directly.
    expectProofsPass(await proofProbes(s, AQ.domain, '/health', albDns), AQ.domain);
    expect((await s.probe(`https://www.${AQ.domain}/health`)).status).toBe(200);
    const after = await readStack(s, ARQUANTIX_NAMES);
    // Test 4: "Au moins 1 target avec Health: "healthy""
    expect(after.targets.map((t) => [t.Target?.Id, t.TargetHealth?.State])).toEqual([[AQ.taskIp, 'healthy']]);
    // Test 5: "RunningCount == DesiredCount == 1"
    expect(after.service).toMatchObject({ desiredCount: 1, runningCount: 1 });

    // Left broken by design: revision 3 still cannot pull (no API call fixes the network path), the logs stay
    // unreadable, the target group stays on port 80.
    expect(after.service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([
      ['PRIMARY', 'IN_PROGRESS'],
      ['ACTIVE', 'COMPLETED'],
    ]);
    await s.ecs.send(new UpdateServiceCommand({ cluster: AQ.cluster, service: AQ.service, forceNewDeployment: true }));
    const retried = await readStack(s, ARQUANTIX_NAMES);
    expect(retried.service).toMatchObject({ desiredCount: 1, runningCount: 1 });
    const pullTimeouts = (view: StackView): number =>
      view.stopped.filter((t) => /^CannotPullContainerError: .*i\/o timeout$/.test(t.stoppedReason ?? '')).length;
    expect(pullTimeouts(retried)).toBeGreaterThan(pullTimeouts(after));
    expect(retried.targets.map((t) => t.TargetHealth?.State)).toEqual(['healthy']);
    expect(await readEvents(s, AQ.logGroup)).toEqual({ filter: 'AccessDeniedException', get: 'AccessDeniedException' });
    expect(retried.tg.Port).toBe(80);
  });
});

async function describeTaskDefinition(s: Sandbox, ref: string): Promise<TaskDefinition> {
  return defined((await s.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: ref }))).taskDefinition, `task definition ${ref}`);
}

/** The distribution's configuration with the origin on `https-only` and viewers redirected to HTTPS. */
function httpsEverywhere(config: DistributionConfig): DistributionConfig {
  const origin = defined(config.Origins?.Items?.[0], 'origin');
  const custom = defined(origin.CustomOriginConfig, 'custom origin');
  const behavior = defined(config.DefaultCacheBehavior, 'default cache behavior');
  return {
    ...config,
    Origins: { Quantity: 1, Items: [{ ...origin, CustomOriginConfig: { ...custom, OriginProtocolPolicy: 'https-only' } }] },
    DefaultCacheBehavior: { ...behavior, ViewerProtocolPolicy: 'redirect-to-https' },
  };
}

describe('nexora: seed audit 003, every live item', () => {
  const sandbox = useSandbox({ scenario: 'nexora', per: 'file' });
  let s: Sandbox;
  beforeAll(() => {
    s = scenarioSandbox(sandbox, 'nexora');
  });

  it('reads back every item of docs/scenarios.md', async () => {
    const view = await readStack(s, NEXORA_NAMES);
    const albDns = defined(view.lb.DNSName, 'DNS name');
    // ✓ Route53 nexora.example A alias → the ALB (dualstack); no CloudFront ("ALB enforces HTTPS")
    const records = await zoneRecords(s, NX.domain);
    expect(recordOf(records, NX.domain, 'A')?.AliasTarget).toEqual({
      HostedZoneId: view.lb.CanonicalHostedZoneId,
      DNSName: `dualstack.${albDns}.`,
      EvaluateTargetHealth: true,
    });
    expect(records.map((r) => r.Type)).toEqual(['A', 'NS', 'SOA']);
    expect((await s.cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Quantity).toBe(0);

    // The ALB: ✓ "ALB enforces HTTPS (HTTP → HTTPS redirect)"; ✗ "TLS 1.3 policy on ALB" (the claim is false)
    expect(view.lb).toMatchObject({ Scheme: 'internet-facing', IpAddressType: 'ipv4' });
    expect(view.listeners.map((l) => [l.Port, l.Protocol, l.DefaultActions?.[0]?.Type])).toEqual([
      [80, 'HTTP', 'redirect'],
      [443, 'HTTPS', 'forward'],
    ]);
    expect(view.listeners[0]?.DefaultActions?.[0]?.RedirectConfig).toMatchObject({
      Protocol: 'HTTPS',
      Port: '443',
      StatusCode: 'HTTP_301',
    });
    const https = defined(view.listeners[1], '443 listener');
    expect(https.SslPolicy).toBe('ELBSecurityPolicy-2016-08');
    expect(https.DefaultActions?.[0]?.TargetGroupArn).toBe(view.tg.TargetGroupArn);
    const listenerCertificate = await certificate(s.acm, https.Certificates?.[0]?.CertificateArn);
    expect([listenerCertificate.Status, listenerCertificate.SubjectAlternativeNames]).toEqual(['ISSUED', [NX.domain, `*.${NX.domain}`]]);
    const albGroup = named(view.albGroups, NX.albGroup);
    expect(ingress(albGroup)).toEqual(['tcp 80 from 0.0.0.0/0', 'tcp 443 from 0.0.0.0/0']);

    // ✗ audit 2, "Health Check Authentication Failure": /health → 401
    expect(view.tg).toMatchObject({
      Port: 3000,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
    });
    expect(view.targets.map((t) => [t.Target?.Id, t.TargetHealth])).toEqual([
      [
        '10.0.11.47',
        { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [401]' },
      ],
    ]);
    expect((await s.probe(`https://${NX.domain}/health`)).status).toBe(401);

    // The task definition
    const definition = view.taskDefinition;
    const container = defined(definition.containerDefinitions?.[0], 'container');
    expect(definition.memory).toBe('512'); // ✗ audit 1, "SIGKILL": ts-node at runtime in 512 MiB
    expect(container.image).toBe('node:20-alpine'); // ✗ audit 3, "Docker Hub Rate Limits": FROM node:20-alpine
    expect(container.healthCheck?.command).toEqual(['CMD-SHELL', 'curl -f http://localhost:3000/health || exit 1']); // ✗ audit 2: "ecs.tf - Changed path to /health/alb"
    const environment = environmentOf(definition);
    expect(environment['STRIPE_SECRET_KEY']).toBe('sk_test_REPLACE_ME'); // ✗ audit 6, "Hardcoded Placeholder Secrets"
    expect(environment).toMatchObject({ NODE_ENV: 'production', PORT: '3000' }); // among ordinary variables
    expect(container.logConfiguration?.options?.['awslogs-group']).toBe(NX.logGroup);

    // ✗ running 1 < desired 2: the crash loop
    expect(view.service).toMatchObject({ desiredCount: 2, runningCount: 1, healthCheckGracePeriodSeconds: 180 });
    expect(view.running[0]?.containers?.[0]?.healthStatus).toBe('UNHEALTHY');
    const oom = view.stopped.filter((t) => t.stopCode === 'EssentialContainerExited');
    expect(oom).toHaveLength(5);
    for (const task of oom) {
      // ✗ audit 1: "causing memory exhaustion and SIGKILL errors"
      expect(task.containers?.[0]).toMatchObject({ exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' });
    }
    const pulls = view.stopped.filter((t) => t.stopCode === 'TaskFailedToStart');
    expect(pulls).toHaveLength(4);
    for (const task of pulls) {
      // ✗ audit 3: "causing rate limit errors"
      expect(task.stoppedReason).toMatch(
        /^CannotPullContainerError: .*docker\.io\/library\/node:20-alpine: .*429 Too Many Requests.*toomanyrequests: You have reached your pull rate limit/,
      );
    }
    expect(view.stopped).toHaveLength(9);

    // ✗ "Security groups follow least-privilege": 3000 from anywhere, not from the ALB's group
    expect(ingress(named(view.taskGroups, NX.taskGroup))).toEqual(['tcp 3000 from 0.0.0.0/0']);
    // ✓ "ECS tasks in private subnets", "NAT Gateway for private subnet internet access", "VPC endpoints for S3, DynamoDB"
    expect(view.service.networkConfiguration?.awsvpcConfiguration?.assignPublicIp).toBe('DISABLED');
    expect(view.subnets.map((n) => [n.AvailabilityZone, n.MapPublicIpOnLaunch])).toEqual([
      ['us-east-1a', false],
      ['us-east-1b', false],
      ['us-east-1c', false],
    ]);
    expect(view.routeTables).toHaveLength(3);
    for (const table of view.routeTables) expect(defaultRoute(table)).toMatch(/^nat-/);
    expect(view.natGateways.map((n) => n.State)).toEqual(['available', 'available', 'available']);
    expect(endpointServices(view)).toEqual(['Gateway com.amazonaws.us-east-1.dynamodb', 'Gateway com.amazonaws.us-east-1.s3']);
    const s3 = view.endpoints.find((e) => e.ServiceName === 'com.amazonaws.us-east-1.s3');
    expect([...(s3?.RouteTableIds ?? [])].sort()).toEqual(view.routeTables.map((t) => t.RouteTableId).sort());
    // ✓ the log group exists and is readable ("Check CloudWatch logs")
    expect(view.logGroup?.logGroupName).toBe(NX.logGroup);
    const events = await readEvents(s, NX.logGroup);
    expect(events.filter).toBeGreaterThan(0);
    expect(events.get).toBeGreaterThan(0);
  });

  it('heals with one new revision, the TLS 1.3 policy, the public path and the least-privilege rule', async () => {
    const before = await readStack(s, NEXORA_NAMES);
    const albDns = defined(before.lb.DNSName, 'DNS name');
    // One change: a new revision (ECR Public's mirror, 1024 MiB, the health check on /health/alb) and the service moved to it.
    const definition = before.taskDefinition;
    const container = defined(definition.containerDefinitions?.[0], 'container');
    const registered = await s.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: definition.family,
        taskRoleArn: definition.taskRoleArn,
        executionRoleArn: definition.executionRoleArn,
        networkMode: definition.networkMode,
        requiresCompatibilities: definition.requiresCompatibilities,
        cpu: definition.cpu,
        memory: '1024',
        containerDefinitions: [
          {
            ...container,
            image: 'public.ecr.aws/docker/library/node:20-alpine',
            healthCheck: { ...container.healthCheck, command: ['CMD-SHELL', 'curl -f http://localhost:3000/health/alb || exit 1'] },
          },
        ],
      }),
    );
    const revision = defined(registered.taskDefinition?.taskDefinitionArn, 'new revision');
    expect(revision).toBe(`arn:aws:ecs:${NX.region}:${NX.account}:task-definition/nexora-api:8`);
    await s.ecs.send(new UpdateServiceCommand({ cluster: NX.cluster, service: NX.service, taskDefinition: revision }));
    // The TLS 1.3 policy the audit claimed; the target group on the public path.
    await s.elbv2.send(new ModifyListenerCommand({ ListenerArn: before.listeners[1]?.ListenerArn, SslPolicy: TLS13 }));
    await s.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: before.tg.TargetGroupArn, HealthCheckPath: '/health/alb' }));
    // Least privilege: 3000 from the ALB's group first, then the open rule revoked by its id.
    const taskGroup = named(before.taskGroups, NX.taskGroup);
    const albGroup = named(before.albGroups, NX.albGroup);
    await s.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: taskGroup.GroupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 3000,
            ToPort: 3000,
            UserIdGroupPairs: [{ GroupId: albGroup.GroupId, Description: `from ${NX.albGroup} (remediate)` }],
          },
        ],
      }),
    );
    const rules =
      (await s.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [taskGroup.GroupId ?? ''] }] })))
        .SecurityGroupRules ?? [];
    const open = rules.filter((r) => r.IsEgress === false && r.CidrIpv4 === '0.0.0.0/0').map((r) => r.SecurityGroupRuleId ?? '');
    expect(open).toHaveLength(1);
    await s.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: taskGroup.GroupId, SecurityGroupRuleIds: open }));

    // "Verify Deployment": "Test health endpoints", "Verify ALB target health"
    expectProofsPass(await proofProbes(s, NX.domain, '/health/alb', albDns), NX.domain);
    const after = await readStack(s, NEXORA_NAMES);
    expect(after.targets.map((t) => t.TargetHealth?.State)).toEqual(['healthy', 'healthy']);
    expect(after.service).toMatchObject({ desiredCount: 2, runningCount: 2, taskDefinition: revision });
    expect(after.service.deployments?.map((d) => [d.status, d.rolloutState])).toEqual([['PRIMARY', 'COMPLETED']]);
    expect(after.running.map((t) => [t.taskDefinitionArn, t.healthStatus])).toEqual([
      [revision, 'HEALTHY'],
      [revision, 'HEALTHY'],
    ]);
    expect(ingress(named(after.taskGroups, NX.taskGroup))).toEqual([`tcp 3000 from ${albGroup.GroupId ?? ''}`]);
    expect(after.listeners[1]?.SslPolicy).toBe(TLS13);
    // Left as a finding: the placeholder secret, still in the new revision's environment.
    expect(environmentOf(after.taskDefinition)['STRIPE_SECRET_KEY']).toBe('sk_test_REPLACE_ME');
    // The inverse of the one change: back on revision 7, whose tasks cannot start (the rate limit), the fixed ones keep running.
    await s.ecs.send(new UpdateServiceCommand({ cluster: NX.cluster, service: NX.service, taskDefinition: before.service.taskDefinition }));
    expect((await readStack(s, NEXORA_NAMES)).running.map((t) => t.taskDefinitionArn)).toEqual([revision, revision]);
  });
});
