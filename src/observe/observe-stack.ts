import { readRepo } from '../repo/read-repo.js';
import type { AwsPorts } from '../aws/ports.js';
import { stackName, type ResolvedStack, type StackDefinition } from '../model/stack-definition.js';
import type { Observation } from './observation.js';
import type { PortUse } from './port-reads.js';
import { GLOBAL_REGION, startWalk } from './walk-context.js';
import { walkDns } from './walk-dns.js';
import { walkCloudFront } from './walk-cloudfront.js';
import { walkLoadBalancer, type ChainRegion } from './walk-load-balancer.js';
import { walkEcs } from './walk-ecs.js';
import { walkNetwork } from './walk-network.js';
import { walkSecurityGroups } from './walk-security-groups.js';
import { walkLogs } from './walk-logs.js';
import { reportLayer, type WalkListener } from './walk-progress.js';

/** The port method the walk calls besides its walkers: who is asking (the account of the plan). */
export const identityReads = { sts: ['getCallerIdentity'] } as const satisfies PortUse;

/**
 * Walks the stack from its domain and reads what the checks need: Route53 → CloudFront → load balancer →
 * listeners, rules, target group → ECS service → task definition, tasks, network, security groups,
 * certificates, log group. Every read starts as soon as what it depends on is known, so independent
 * branches run at once. Only read calls. A layer that is missing or denied becomes a gap and the walk goes
 * on where it can; credentials and network failures end it. What the stack names overrides discovery.
 *
 * One walker per layer (`walk-*.ts`), each handed the promises it depends on by name. `onLayer` is told when each
 * layer starts and when its reads have settled (a progress line); it prints nothing itself.
 */
export async function observeStack(
  awsFor: (region: string) => AwsPorts,
  spec: StackDefinition,
  now: Date,
  onLayer: WalkListener = () => undefined,
): Promise<Observation> {
  const walk = startWalk(awsFor, spec, now);
  // The repository's files (I/O of their own, not AWS): read alongside the walk.
  const repo =
    spec.repo === undefined ? undefined : readRepo(spec.repo, { allowDirty: spec.allowDirty }).then((snapshot) => ({ repo: snapshot }));
  // Marked handled for the case where the walk fails first (no unhandled rejection then); `await repo` below still
  // throws its error when the walk succeeds.
  repo?.catch(() => undefined);
  const identity = walk.track((spec.region !== undefined ? awsFor(spec.region) : walk.global).sts.getCallerIdentity());
  const dns = walkDns(walk);
  const cloudFront = walkCloudFront(walk, dns);
  const lb = walkLoadBalancer(walk, {
    apexTarget: dns.apexTarget,
    byAlias: cloudFront.byAlias,
    distributionOrigin: cloudFront.distributionOrigin,
  });
  const ecs = walkEcs(walk, lb);
  const upstream = { region: lb.region, loadBalancer: lb.loadBalancer, service: ecs.service };
  const network = walkNetwork(walk, upstream);
  const securityGroups = walkSecurityGroups(walk, upstream);
  const logs = walkLogs(walk, { region: lb.region, taskDefinition: ecs.taskDefinition, service: ecs.service });
  reportLayer(onLayer, 'DNS', [dns.dns]);
  reportLayer(onLayer, 'CloudFront', [cloudFront.distribution, cloudFront.viewerCertificate, cloudFront.edgeCertificates]);
  reportLayer(onLayer, 'load balancer', [lb.loadBalancer, lb.listeners, lb.rules, lb.certificates]);
  reportLayer(onLayer, 'target group', [lb.targetGroup, lb.targetHealth, lb.forwardedTargetGroups]);
  reportLayer(onLayer, 'ECS', [ecs.service, ecs.taskDefinition, ecs.tasks, ecs.ecrImages]);
  reportLayer(onLayer, 'network', [network.network, securityGroups.securityGroups, network.loadBalancerNetwork]);
  reportLayer(onLayer, 'logs', [logs.logGroup, logs.proposedLogGroup]);

  const read = await allOf({
    who: identity,
    dns: dns.dns,
    distribution: cloudFront.distribution,
    viewerCertificate: cloudFront.viewerCertificate,
    loadBalancer: lb.loadBalancer,
    listeners: lb.listeners,
    rules: lb.rules,
    targetGroup: lb.targetGroup,
    targetHealth: lb.targetHealth,
    service: ecs.service,
    taskDefinition: ecs.taskDefinition,
    tasks: ecs.tasks,
    network: network.network,
    securityGroups: securityGroups.securityGroups,
    logGroup: logs.logGroup,
    certificates: lb.certificates,
    region: lb.region,
    edgeCertificates: cloudFront.edgeCertificates,
    forwardedTargetGroups: lb.forwardedTargetGroups,
    ecrImages: ecs.ecrImages,
    chainRegion: lb.chainRegion,
  });
  // Awaited after the rest, as reads that only add to the observation.
  const extra = await allOf({ loadBalancerNetwork: network.loadBalancerNetwork, proposedLogGroup: logs.proposedLogGroup });

  const stack: ResolvedStack = {
    ...spec,
    name: stackName(spec),
    region: read.region ?? spec.region ?? GLOBAL_REGION,
    found: {
      hostedZoneId: read.dns?.zone.Id,
      distributionId: read.distribution?.distribution.Id,
      loadBalancerArn: read.loadBalancer?.lb.LoadBalancerArn,
      targetGroupArn: read.targetGroup?.TargetGroupArn,
      clusterArn: read.service?.clusterArn,
      serviceArn: read.service?.serviceArn,
      taskDefinitionArn: read.taskDefinition?.taskDefinitionArn,
      logGroupName: read.logGroup?.name,
    },
  };
  return {
    account: read.who.account,
    region: stack.region,
    callerArn: read.who.arn,
    observedAt: now,
    stack,
    dns: read.dns,
    distribution: read.distribution,
    viewerCertificate: read.viewerCertificate,
    edgeCertificates: read.edgeCertificates,
    loadBalancer: read.loadBalancer?.lb,
    listeners: read.listeners,
    rules: read.rules,
    targetGroup: read.targetGroup,
    forwardedTargetGroups: read.forwardedTargetGroups,
    targetHealth: read.targetHealth,
    certificates: read.certificates,
    service: read.service,
    taskDefinition: read.taskDefinition,
    runningTasks: read.tasks.running,
    stoppedTasks: read.tasks.stopped,
    network: read.network,
    securityGroups: read.securityGroups,
    logGroup: read.logGroup,
    ...(extra.loadBalancerNetwork !== undefined ? { loadBalancerNetwork: extra.loadBalancerNetwork } : {}),
    ...(extra.proposedLogGroup !== undefined ? { proposedLogGroup: extra.proposedLogGroup } : {}),
    ...(Object.keys(read.ecrImages).length > 0 ? { ecrImages: read.ecrImages } : {}),
    ...(repo !== undefined ? await repo : {}),
    gaps: walk.gaps,
    notes: regionNotes(spec, read.chainRegion),
  };
}

/** Awaits named promises at once (rejecting with the first failure, like Promise.all): their values by name. */
async function allOf<T extends Record<string, Promise<unknown>>>(named: T): Promise<{ readonly [K in keyof T]: Awaited<T[K]> }> {
  const keys = Object.keys(named) as (keyof T)[];
  const values = await Promise.all(keys.map((k) => named[k]));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as { [K in keyof T]: Awaited<T[K]> };
}

/** One note when the region the user gave (not the environment's default) disagrees with the chain, which the walk followed. */
function regionNotes(spec: StackDefinition, chain: ChainRegion | undefined): string[] {
  if (chain === undefined || spec.region === undefined || spec.regionSource === 'environment' || chain.region === spec.region) return [];
  return [
    `region ${spec.region} (given) disagrees with the chain: ${chain.from} is in ${chain.region}; following the chain (regional reads in ${chain.region}, Route53 and CloudFront in ${GLOBAL_REGION})`,
  ];
}
