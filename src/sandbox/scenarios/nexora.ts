import { emptySandboxState } from '../sandbox-state.js';
import type { SimulatedApp } from '../simulation/simulated-app.js';
import { addCertificate, daysFrom } from './builders/acm-builders.js';
import {
  addCluster,
  addFargateService,
  addSimulatedApp,
  addStoppedTasks,
  addTaskDefinition,
  containerDefinition,
  startFailureOf,
} from './builders/ecs-builders.js';
import { addApplicationLoadBalancer, addListener, addTargetGroup, forwardTo, redirectToHttps } from './builders/elbv2-builders.js';
import { addLogGroup, addTaskLogStream } from './builders/logs-builders.js';
import { addPublicPrivateNetwork, addVpcEndpoint, setDockerHubRateLimited } from './builders/network-builders.js';
import { addAliasRecord, addHostedZone, aliasToLoadBalancer } from './builders/route53-builders.js';
import { addSecurityGroup } from './builders/security-group-builders.js';
import type { Scenario, ScenarioStack } from './scenario.js';

/** The names of the Nexora production stack of seed audit 003. */
export const NEXORA = {
  account: '222233334444',
  region: 'us-east-1',
  domain: 'nexora.example',
  loadBalancer: 'nexora-prod-alb',
  targetGroup: 'nexora-api-tg',
  cluster: 'nexora-prod',
  service: 'nexora-api',
  container: 'nexora-api',
  containerPort: 3000,
  taskIp: '10.0.11.47',
  logGroup: '/ecs/nexora-api',
} as const;

/** The stack definition remediate gets for the `nexora` scenario: the public health endpoint the audit added. */
export const NEXORA_STACK: ScenarioStack = Object.freeze({
  name: 'nexora-prod',
  region: NEXORA.region,
  domain: NEXORA.domain,
  loadBalancer: NEXORA.loadBalancer,
  targetGroup: NEXORA.targetGroup,
  cluster: NEXORA.cluster,
  service: NEXORA.service,
  healthPath: '/health/alb',
});

/**
 * The Nexora API (audit items 1 and 2): `/health` requires authentication, `/health/alb` is public;
 * it runs `ts-node src/server.ts`, which compiles at start and needs about 700 MiB.
 */
const NEXORA_API_APP: SimulatedApp = {
  responses: { '/': 200, '/health': 401, '/health/alb': 200 },
  startupSeconds: 20,
  memoryNeededMiB: 700,
  startupLog: ['> nexora-api@1.2.0 start', '> ts-node src/server.ts', '[nexora-api] listening on 0.0.0.0:3000 (production)'],
};

/** What V8 prints as ts-node's compile runs the heap into the task's memory (the Nexora SIGKILL). */
const NEXORA_OOM_LOG = ['<--- Last few GCs --->', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'];

/**
 * Seed audit 003, every item that is live AWS state (see docs/scenarios.md, `nexora`): no CloudFront,
 * `nexora.example` aliases the ALB; the target group and the container health check probe `/health`
 * (401); the task definition runs `node:20-alpine` from Docker Hub (rate-limited) in 512 MiB (the
 * app needs 700) with a placeholder Stripe key; 2 tasks desired, 1 running, the others killed (exit
 * 137) or unable to pull; the 443 listener's policy is `ELBSecurityPolicy-2016-08`; the tasks' group
 * lets 3000 in from anywhere. The network (NAT per AZ, S3 gateway endpoint) and the logs are right.
 */
export const nexoraScenario: Scenario = {
  name: 'nexora',
  description:
    "seed audit 003's live items: the target group and the container health check probe /health (401); node:20-alpine " +
    'from a rate-limited Docker Hub in 512 MiB (exit 137, toomanyrequests: 1 of 2 tasks running); STRIPE_SECRET_KEY ' +
    "placeholder; 443 on ELBSecurityPolicy-2016-08; the tasks' port 3000 open to 0.0.0.0/0.",
  domain: NEXORA.domain,
  stack: NEXORA_STACK,
  build(now: Date) {
    const { account, region } = NEXORA;
    const state = emptySandboxState(account, 'oncall');
    addSimulatedApp(state, NEXORA.container, NEXORA_API_APP);
    setDockerHubRateLimited(state);

    const network = addPublicPrivateNetwork(state, region, {
      name: 'nexora-prod',
      cidrBlock: '10.0.0.0/16',
      zones: [
        { az: 'a', publicCidr: '10.0.1.0/24', privateCidr: '10.0.11.0/24' },
        { az: 'b', publicCidr: '10.0.2.0/24', privateCidr: '10.0.12.0/24' },
        { az: 'c', publicCidr: '10.0.3.0/24', privateCidr: '10.0.13.0/24' },
      ],
      nat: 'per-az',
      createdAt: daysFrom(now, -200),
    });
    const vpcId = network.vpc.vpcId;
    for (const service of ['s3', 'dynamodb']) {
      addVpcEndpoint(state, region, { vpcId, service, routeTables: network.privateRouteTables, createdAt: daysFrom(now, -200) });
    }
    const albGroup = addSecurityGroup(state, region, {
      name: 'nexora-alb-sg',
      vpcId,
      description: 'nexora-prod-alb: HTTP and HTTPS from the internet',
      ingress: [
        { port: 80, cidr: '0.0.0.0/0', description: 'HTTP' },
        { port: 443, cidr: '0.0.0.0/0', description: 'HTTPS' },
      ],
    });
    const taskGroup = addSecurityGroup(state, region, {
      name: 'nexora-ecs-tasks-sg',
      vpcId,
      description: 'nexora-api tasks',
      ingress: [{ port: NEXORA.containerPort, cidr: '0.0.0.0/0', description: 'API' }],
    });

    const loadBalancer = addApplicationLoadBalancer(state, region, {
      name: NEXORA.loadBalancer,
      vpcId,
      subnets: network.publicSubnets,
      securityGroups: [albGroup.groupId],
      createdTime: daysFrom(now, -200),
    });
    const targetGroup = addTargetGroup(state, region, {
      name: NEXORA.targetGroup,
      vpcId,
      port: NEXORA.containerPort,
      healthCheck: {
        path: '/health',
        intervalSeconds: 30,
        timeoutSeconds: 5,
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
        matcher: '200',
      },
    });
    const certificate = addCertificate(state, region, {
      label: 'nexora',
      domainName: NEXORA.domain,
      subjectAlternativeNames: [NEXORA.domain, `*.${NEXORA.domain}`],
      status: 'ISSUED',
      notAfter: daysFrom(now, 240),
    });
    addListener(state, region, {
      loadBalancer,
      port: 443,
      protocol: 'HTTPS',
      certificateArn: certificate.arn,
      sslPolicy: 'ELBSecurityPolicy-2016-08',
      defaultActions: [forwardTo(targetGroup)],
    });
    addListener(state, region, { loadBalancer, port: 80, protocol: 'HTTP', defaultActions: [redirectToHttps()] });
    const zone = addHostedZone(state, { name: NEXORA.domain });
    addAliasRecord(state, { zone, name: NEXORA.domain, type: 'A', target: aliasToLoadBalancer(loadBalancer) });

    const logGroup = addLogGroup(state, region, { name: NEXORA.logGroup, createdAt: daysFrom(now, -200), retentionInDays: 30 });
    const cluster = addCluster(state, region, NEXORA.cluster);
    const container = containerDefinition({
      name: NEXORA.container,
      image: 'node:20-alpine',
      port: NEXORA.containerPort,
      environment: {
        NODE_ENV: 'production',
        PORT: String(NEXORA.containerPort),
        LOG_LEVEL: 'info',
        CORS_ORIGIN: `https://${NEXORA.domain}`,
        STRIPE_SECRET_KEY: 'sk_test_REPLACE_ME',
        AWS_REGION: region,
      },
      healthCheck: { command: 'curl -f http://localhost:3000/health || exit 1', interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
      logGroup: { name: NEXORA.logGroup, region },
    });
    const taskDefinition = addTaskDefinition(state, region, {
      family: 'nexora-api',
      revision: 7,
      containers: [container],
      cpu: '256',
      memory: '512',
      taskRoleArn: `arn:aws:iam::${account}:role/nexora-api-task`,
      registeredAt: daysFrom(now, -3),
    });
    const [subnetA] = network.privateSubnets;
    if (subnetA === undefined) throw new Error('the Nexora network needs private subnets');
    // The survivor: started before Docker Hub began refusing the account's pulls.
    const taskStartedAt = new Date(now.getTime() - 19 * 60_000);
    const service = addFargateService(state, region, {
      cluster,
      name: NEXORA.service,
      taskDefinition,
      desiredCount: 2,
      subnets: network.privateSubnets,
      securityGroups: [taskGroup.groupId],
      assignPublicIp: 'DISABLED',
      createdAt: daysFrom(now, -200),
      deployedAt: daysFrom(now, -3),
      loadBalancer: { targetGroup, containerName: NEXORA.container, containerPort: NEXORA.containerPort },
      healthCheckGracePeriodSeconds: 180,
      tasks: [{ privateIp: NEXORA.taskIp, subnet: subnetA, startedAt: taskStartedAt }],
    });

    // The crash loop: ts-node killed for memory (SIGKILL, exit 137), then replacements refused by Docker Hub.
    const killed = addStoppedTasks(state, region, {
      service,
      taskDefinition,
      cause: { kind: 'out-of-memory', containerName: NEXORA.container },
      count: 5,
      ranForSeconds: 15 * 60,
      spacingSeconds: 20 * 60,
      lastStoppedAt: new Date(now.getTime() - 25 * 60_000),
    });
    addStoppedTasks(state, region, {
      service,
      taskDefinition,
      cause: startFailureOf(state, region, { service, taskDefinition }),
      count: 4,
      spacingSeconds: 5 * 60,
      lastStoppedAt: new Date(now.getTime() - 2 * 60_000),
    });
    const running = state.regions[region]?.ecs.tasks.filter((t) => t.lastStatus === 'RUNNING') ?? [];
    for (const task of killed)
      addTaskLogStream(logGroup, { container, task, messages: NEXORA_API_APP.startupLog ?? [], lastMessages: NEXORA_OOM_LOG });
    for (const task of running) addTaskLogStream(logGroup, { container, task, messages: NEXORA_API_APP.startupLog ?? [] });
    return state;
  },
};
