import type { ScenarioStack } from './scenario.js';
import { emptySandboxState, type SandboxState } from '../sandbox-state.js';
import type { CertificateState } from '../services/acm/acm-state.js';
import type { ContainerDefinitionState, EcsServiceState, TaskDefinitionState } from '../services/ecs/ecs-state.js';
import type { HealthCheckState, LoadBalancerState, TargetGroupState } from '../services/elbv2/elbv2-state.js';
import type { LogGroupState } from '../services/logs/logs-state.js';
import type { SimulatedApp } from '../simulation/simulated-app.js';
import { addCertificate, daysFrom } from './builders/acm-builders.js';
import { addCluster, addFargateService, addSimulatedApp, addTaskDefinition, containerDefinition } from './builders/ecs-builders.js';
import { addApplicationLoadBalancer, addTargetGroup } from './builders/elbv2-builders.js';
import { addLogGroup, addTaskLogStream } from './builders/logs-builders.js';
import { addArquantixNetwork, type ArquantixNetwork, type ArquantixNetworkVariant } from './arquantix-network.js';
import { addEcrRepository } from './builders/ecr-builders.js';

/**
 * The Arquantix production stack of seed audit 000 (arquantix.com, me-central-1, account
 * 411714852748): ALB `arquantix-prod-alb` → target group `arquantix-prod-tg` (id 89fe413e994d9f0f as
 * in the audit) → ECS service `arquantix-coming-soon` (one Fargate task at
 * 172.31.31.39), plus its ACM certificates. No listeners: each scenario adds its own.
 */
export const ARQUANTIX = {
  account: '411714852748',
  region: 'me-central-1',
  domain: 'arquantix.com',
  loadBalancer: 'arquantix-prod-alb',
  targetGroup: 'arquantix-prod-tg',
  targetGroupId: '89fe413e994d9f0f',
  cluster: 'arquantix-cluster',
  service: 'arquantix-coming-soon',
  container: 'arquantix-coming-soon',
  containerPort: 3000,
  taskIp: '172.31.31.39',
  cloudFrontDistributionId: 'EPJ3WQCO04UWW',
  logGroup: '/aws/ecs/arquantix-coming-soon',
} as const;

/** What the Next.js "coming soon" app prints when it starts. */
export const ARQUANTIX_STARTUP_LOG: readonly string[] = [
  '> arquantix-coming-soon@0.1.0 start',
  '> next start -p 3000 -H 0.0.0.0',
  '  ▲ Next.js 14.2.3',
  '  - Local:        http://0.0.0.0:3000',
  ' ✓ Ready in 1.2s',
];

/**
 * The app of the `incident` and `healthy` scenarios: the Arquantix page with the health endpoints of
 * the Nexora audit (seed 003) grafted on: `/health` requires authentication (401), `/health/alb` is
 * public. It starts in 15 s and fits in the task's memory (no crash loop).
 */
export const GRAFTED_APP: SimulatedApp = Object.freeze({
  responses: { '/': 200, '/health': 401, '/health/alb': 200 },
  startupSeconds: 15,
  startupLog: [...ARQUANTIX_STARTUP_LOG],
});

/** The stack definition remediate gets for the Arquantix scenarios. */
export const ARQUANTIX_STACK: ScenarioStack = Object.freeze({
  name: 'arquantix-prod',
  region: ARQUANTIX.region,
  domain: ARQUANTIX.domain,
  loadBalancer: ARQUANTIX.loadBalancer,
  targetGroup: ARQUANTIX.targetGroup,
  cluster: ARQUANTIX.cluster,
  service: ARQUANTIX.service,
  healthPath: '/health/alb',
});

/** What differs between the Arquantix scenarios at build time; the defaults are those of `incident` and `healthy`. */
export interface ArquantixVariant {
  /** The target group's health-check path. */
  readonly healthCheckPath: string;
  /** The ECS service's `healthCheckGracePeriodSeconds`. */
  readonly healthCheckGracePeriodSeconds: number;
  /** The other health-check settings (default: interval 30, timeout 10, healthy 2, unhealthy 5, matcher `200-399`). */
  readonly healthCheck?: Partial<Omit<HealthCheckState, 'path'>>;
  /** The target group's own port (default 3000, the container port; the audit's is 80). */
  readonly targetGroupPort?: number;
  /** The app the containers run (default {@link GRAFTED_APP}). */
  readonly app?: SimulatedApp;
  /** The NAT route and the ALB's 443 rule (default: both there). */
  readonly network?: ArquantixNetworkVariant;
  /**
   * `public` (default): the ALB in the public subnets (the main route table: 0.0.0.0/0 → the internet gateway).
   * `private`: in the tasks' private subnets, whose route table sends 0.0.0.0/0 to the NAT gateway only, so the
   * internet cannot reach it although it is internet-facing.
   */
  readonly albSubnets?: 'public' | 'private';
  /**
   * `awslogs` (default): the container logs to `/aws/ecs/arquantix-coming-soon`. `none`: it has no log
   * configuration (its output goes nowhere); the log group is still there, empty.
   */
  readonly containerLogging?: 'awslogs' | 'none';
  /**
   * `on` (default): the service's deployment circuit breaker is on, with rollback. `off`: AWS's default for a service
   * created without it (`{ enable: false, rollback: false }`), so a failing deployment keeps replacing tasks.
   */
  readonly circuitBreaker?: 'on' | 'off';
  /**
   * `steady` (default): revision 3 deployed and running on 172.31.31.39 since two days. `revision-3-stuck`: the
   * service was moved to revision 3 `rolloutStartedAt`, whose deployment has not started a task, while the task on
   * 172.31.31.39 runs revision 2 (deployed 30 days ago), started `taskStartedAt`.
   */
  readonly deployment?:
    { readonly kind: 'steady' } | { readonly kind: 'revision-3-stuck'; readonly rolloutStartedAt: Date; readonly taskStartedAt: Date };
}

/** The built stack, for the scenario to add listeners (and drifts) to. */
export interface ArquantixBuild {
  readonly state: SandboxState;
  readonly loadBalancer: LoadBalancerState;
  readonly targetGroup: TargetGroupState;
  readonly service: EcsServiceState;
  /** `arquantix-coming-soon:2`, registered 30 days ago. */
  readonly revision2: TaskDefinitionState;
  /** `arquantix-coming-soon:3`, registered 2 days ago: the same container and image tag as revision 2. */
  readonly revision3: TaskDefinitionState;
  /** The container of both revisions. */
  readonly container: ContainerDefinitionState;
  /** The ISSUED arquantix.com / www certificate in me-central-1 (for the ALB). */
  readonly issuedCertificate: CertificateState;
  /** The VPC, subnets, NAT gateway and security groups. */
  readonly network: ArquantixNetwork;
  /** `/aws/ecs/arquantix-coming-soon`, with the running task's stream (its app's startup log). */
  readonly logGroup: LogGroupState;
}

/** Builds the Arquantix stack as it stands at `now`, without listeners. */
export function buildArquantixStack(now: Date, variant: ArquantixVariant): ArquantixBuild {
  const { account, region } = ARQUANTIX;
  const state = emptySandboxState(account, 'oncall');
  const app = variant.app ?? GRAFTED_APP;
  addSimulatedApp(state, ARQUANTIX.container, app);

  const network = addArquantixNetwork(state, region, now, variant.network);
  const vpc = network.vpc;
  const [subnetA, subnetB] = network.privateSubnets;
  const [publicA, publicB] = network.publicSubnets;
  if (subnetA === undefined || subnetB === undefined || publicA === undefined || publicB === undefined) {
    throw new Error('the Arquantix network needs two public and two private subnets');
  }
  const loadBalancer = addApplicationLoadBalancer(state, region, {
    name: ARQUANTIX.loadBalancer,
    vpcId: vpc.vpcId,
    subnets: variant.albSubnets === 'private' ? [subnetA, subnetB] : [publicA, publicB],
    securityGroups: [network.albSecurityGroup.groupId],
    createdTime: daysFrom(now, -120),
  });
  const targetGroup = addTargetGroup(state, region, {
    name: ARQUANTIX.targetGroup,
    id: ARQUANTIX.targetGroupId,
    vpcId: vpc.vpcId,
    port: variant.targetGroupPort ?? ARQUANTIX.containerPort,
    healthCheck: {
      intervalSeconds: 30,
      timeoutSeconds: 10,
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 5,
      matcher: '200-399',
      ...variant.healthCheck,
      path: variant.healthCheckPath,
    },
  });

  const cluster = addCluster(state, region, ARQUANTIX.cluster);
  // The repository the task definitions pull from: `latest` moved to the build pushed before the running task started.
  addEcrRepository(state, region, {
    name: 'arquantix-coming-soon',
    createdAt: daysFrom(now, -120),
    images: [
      { tags: ['1.0.0'], pushedAt: daysFrom(now, -30) },
      { tags: ['1.0.1', 'latest'], pushedAt: daysFrom(now, -3) },
    ],
  });
  const image = `${account}.dkr.ecr.${region}.amazonaws.com/arquantix-coming-soon:latest`;
  const container = containerDefinition({
    name: ARQUANTIX.container,
    image,
    port: ARQUANTIX.containerPort,
    environment: { PORT: String(ARQUANTIX.containerPort), HOSTNAME: '0.0.0.0' },
    ...(variant.containerLogging === 'none' ? {} : { logGroup: { name: ARQUANTIX.logGroup, region } }),
  });
  const revision2 = addTaskDefinition(state, region, {
    family: 'arquantix-coming-soon',
    revision: 2,
    containers: [{ ...container }],
    registeredAt: daysFrom(now, -30),
  });
  const revision3 = addTaskDefinition(state, region, {
    family: 'arquantix-coming-soon',
    revision: 3,
    containers: [{ ...container }],
    registeredAt: daysFrom(now, -2),
  });
  const deployment = variant.deployment ?? { kind: 'steady' };
  const stuck = deployment.kind === 'revision-3-stuck' ? deployment : undefined;
  const service = addFargateService(state, region, {
    cluster,
    name: ARQUANTIX.service,
    taskDefinition: stuck === undefined ? revision3 : revision2,
    desiredCount: 1,
    subnets: [subnetA, subnetB],
    securityGroups: [network.taskSecurityGroup.groupId],
    assignPublicIp: 'DISABLED',
    createdAt: daysFrom(now, -120),
    deployedAt: stuck === undefined ? daysFrom(now, -2) : daysFrom(now, -30),
    loadBalancer: { targetGroup, containerName: ARQUANTIX.container, containerPort: ARQUANTIX.containerPort },
    healthCheckGracePeriodSeconds: variant.healthCheckGracePeriodSeconds,
    deploymentCircuitBreaker: variant.circuitBreaker === 'off' ? { enable: false, rollback: false } : { enable: true, rollback: true },
    tasks: [{ privateIp: ARQUANTIX.taskIp, subnet: subnetA, startedAt: stuck?.taskStartedAt ?? daysFrom(now, -2) }],
    ...(stuck === undefined ? {} : { rollout: { taskDefinition: revision3, createdAt: stuck.rolloutStartedAt } }),
  });
  const logGroup = addLogGroup(state, region, { name: ARQUANTIX.logGroup, createdAt: daysFrom(now, -120), retentionInDays: 30 });
  for (const task of variant.containerLogging === 'none' ? [] : (state.regions[region]?.ecs.tasks ?? [])) {
    addTaskLogStream(logGroup, { container, task, messages: app.startupLog ?? ARQUANTIX_STARTUP_LOG });
  }

  const issuedCertificate = addCertificate(state, region, {
    label: 'arquantix-issued',
    domainName: 'arquantix.com',
    subjectAlternativeNames: ['arquantix.com', 'www.arquantix.com'],
    status: 'ISSUED',
    notAfter: daysFrom(now, 300),
  });
  addCertificate(state, region, {
    label: 'arquantix-expired',
    domainName: 'arquantix.com',
    status: 'EXPIRED',
    notAfter: daysFrom(now, -30),
  });
  addCertificate(state, region, {
    label: 'arquantix-wildcard-pending',
    domainName: '*.arquantix.com',
    status: 'PENDING_VALIDATION',
    createdAt: daysFrom(now, -1),
  });
  // CloudFront's certificate lives in us-east-1.
  addCertificate(state, 'us-east-1', {
    label: 'arquantix-cloudfront',
    domainName: 'arquantix.com',
    subjectAlternativeNames: ['arquantix.com', 'www.arquantix.com'],
    status: 'ISSUED',
    notAfter: daysFrom(now, 200),
    otherUsers: [`arn:aws:cloudfront::${account}:distribution/${ARQUANTIX.cloudFrontDistributionId}`],
  });
  return { state, loadBalancer, targetGroup, service, revision2, revision3, container, issuedCertificate, network, logGroup };
}
