import type { StackInput } from '../../stack/stack-definition.js';
import { emptySandboxState, type SandboxState } from '../sandbox-state.js';
import type { CertificateState } from '../services/acm/acm-state.js';
import type { EcsServiceState } from '../services/ecs/ecs-state.js';
import type { LoadBalancerState, TargetGroupState } from '../services/elbv2/elbv2-state.js';
import { addCertificate, daysFrom } from './builders/acm-builders.js';
import { addCluster, addFargateService, addTaskDefinition } from './builders/ecs-builders.js';
import { addApplicationLoadBalancer, addTargetGroup } from './builders/elbv2-builders.js';
import { addDefaultVpc, securityGroupId } from './builders/network-builders.js';

/**
 * The Arquantix production stack of seed audit 000 (arquantix.com, me-central-1, account
 * 411714852748): ALB `arquantix-prod-alb` → target group `arquantix-prod-tg` (port 3000, id
 * 89fe413e994d9f0f as in the audit) → ECS service `arquantix-coming-soon` (one Fargate task at
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
} as const;

/** The stack definition remediate gets for the Arquantix scenarios. */
export const ARQUANTIX_STACK: StackInput = Object.freeze({
  name: 'arquantix-prod',
  region: ARQUANTIX.region,
  domain: ARQUANTIX.domain,
  loadBalancer: ARQUANTIX.loadBalancer,
  targetGroup: ARQUANTIX.targetGroup,
  cluster: ARQUANTIX.cluster,
  service: ARQUANTIX.service,
  healthPath: '/health/alb',
});

/** What differs between the Arquantix scenarios at build time. */
export interface ArquantixVariant {
  readonly healthCheckPath: string;
  readonly healthCheckGracePeriodSeconds: number;
}

/** The built stack, for the scenario to add listeners (and drifts) to. */
export interface ArquantixBuild {
  readonly state: SandboxState;
  readonly loadBalancer: LoadBalancerState;
  readonly targetGroup: TargetGroupState;
  readonly service: EcsServiceState;
  /** The ISSUED arquantix.com / www certificate in me-central-1 (for the ALB). */
  readonly issuedCertificate: CertificateState;
}

/** Builds the Arquantix stack as it stands at `now`, without listeners. */
export function buildArquantixStack(now: Date, variant: ArquantixVariant): ArquantixBuild {
  const { account, region } = ARQUANTIX;
  const state = emptySandboxState(account, 'oncall');
  // The app of the Nexora audit (seed 003): /health requires authentication, /health/alb is public.
  state.apps[ARQUANTIX.container] = { responses: { '/': 200, '/health': 401, '/health/alb': 200 } };

  const vpc = addDefaultVpc(state, region, ['a', 'b', 'c']);
  const [subnetA, subnetB] = vpc.subnets;
  if (subnetA === undefined || subnetB === undefined) throw new Error('the default VPC needs two subnets');
  const loadBalancer = addApplicationLoadBalancer(state, region, {
    name: ARQUANTIX.loadBalancer,
    vpcId: vpc.vpcId,
    subnets: [subnetA, subnetB],
    securityGroups: [securityGroupId(state, region, 'arquantix-alb-sg')],
    createdTime: daysFrom(now, -120),
  });
  const targetGroup = addTargetGroup(state, region, {
    name: ARQUANTIX.targetGroup,
    id: ARQUANTIX.targetGroupId,
    vpcId: vpc.vpcId,
    port: ARQUANTIX.containerPort,
    healthCheck: {
      path: variant.healthCheckPath,
      intervalSeconds: 30,
      timeoutSeconds: 10,
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 5,
      matcher: '200-399',
    },
  });

  const cluster = addCluster(state, region, ARQUANTIX.cluster);
  const image = `${account}.dkr.ecr.${region}.amazonaws.com/arquantix-coming-soon:latest`;
  const container = {
    name: ARQUANTIX.container,
    image,
    essential: true,
    portMappings: [{ containerPort: ARQUANTIX.containerPort, hostPort: ARQUANTIX.containerPort, protocol: 'tcp' as const }],
    environment: [
      { name: 'PORT', value: String(ARQUANTIX.containerPort) },
      { name: 'HOSTNAME', value: '0.0.0.0' },
    ],
    logGroup: '/aws/ecs/arquantix-coming-soon',
    simulatedApp: ARQUANTIX.container,
  };
  addTaskDefinition(state, region, { family: 'arquantix-coming-soon', revision: 2, containers: [{ ...container }], registeredAt: daysFrom(now, -30) });
  const taskDefinition = addTaskDefinition(state, region, {
    family: 'arquantix-coming-soon',
    revision: 3,
    containers: [{ ...container }],
    registeredAt: daysFrom(now, -2),
  });
  const service = addFargateService(state, region, {
    cluster,
    name: ARQUANTIX.service,
    taskDefinition,
    desiredCount: 1,
    subnets: [subnetA, subnetB],
    securityGroups: [securityGroupId(state, region, 'arquantix-ecs-sg')],
    createdAt: daysFrom(now, -120),
    loadBalancer: { targetGroup, containerName: ARQUANTIX.container, containerPort: ARQUANTIX.containerPort },
    healthCheckGracePeriodSeconds: variant.healthCheckGracePeriodSeconds,
    tasks: [{ privateIp: ARQUANTIX.taskIp, subnet: subnetA, startedAt: daysFrom(now, -2) }],
  });

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
  return { state, loadBalancer, targetGroup, service, issuedCertificate };
}
