import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm';
import type { Action, LoadBalancer, TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service } from '@aws-sdk/client-ecs';
import type { ImageDetail } from '@aws-sdk/client-ecr';
import type { Distribution } from '@aws-sdk/client-cloudfront';
import type { AwsPorts } from '../aws/ports.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { nameFromArn } from '../aws/arn.js';
import { parseEcrImage } from '../aws/facts/ecr-image.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import { stackName, type ResolvedStack, type StackDefinition } from '../model/stack-definition.js';
import { boundedMap } from './bounded-map.js';
import { ERROR_FILTER_PATTERN, ERROR_WINDOW_MS } from './log-error-pattern.js';
import { bareName, isCloudFrontDomain, loadBalancerDnsName, nameCovers, regionOfElbDnsName } from '../aws/dns-names.js';
import type {
  Layer,
  LoadBalancerNetworkObservation,
  LogGroupObservation,
  NetworkObservation,
  Observation,
  ObservationGap,
  ProposedLogGroupObservation,
  SecurityGroupObservation,
} from './observation.js';

/** Where the global services (CloudFront, Route53, CloudFront's ACM certificates) are reached. */
export const GLOBAL_REGION = 'us-east-1';

/**
 * Walks the stack from its domain and reads what the checks need: Route53 → CloudFront → load balancer →
 * listeners, rules, target group → ECS service → task definition, tasks, network, security groups,
 * certificates, log group. Every read starts as soon as what it depends on is known, so independent
 * branches run at once. Only read calls. A layer that is missing or denied becomes a gap and the walk goes
 * on where it can; credentials and network failures end it. What the stack names overrides discovery.
 */
export async function observeStack(awsFor: (region: string) => AwsPorts, spec: StackDefinition, now: Date): Promise<Observation> {
  const gaps: ObservationGap[] = [];
  const attempt = async <T>(layer: Layer, resource: string, read: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof AwsCallError && error.code === ErrorCode.Aws) {
        gaps.push({ layer, resource, code: error.awsCode, message: error.message });
        return undefined;
      }
      throw error;
    }
  };
  const missing = (layer: Layer, resource: string, message: string) => gaps.push({ layer, resource, code: 'NotFound', message });
  // Every read below is a promise others may await later, or never (when one of them fails first). The
  // walk's outcome, failure included, is what the final Promise.all reports; `track` only keeps a failure
  // that is reported there from also surfacing as an unhandled rejection.
  const track = <T>(promise: Promise<T>): Promise<T> => {
    promise.catch(() => undefined);
    return promise;
  };
  const global = awsFor(GLOBAL_REGION);
  const domain = bareName(spec.domain);
  const holdsDomain = holdsDomainOf(domain);

  const identity = track((spec.region !== undefined ? awsFor(spec.region) : global).sts.getCallerIdentity());

  const dns = track((async () => {
    const zones = await attempt('dns-zone', domain, () => global.route53.listHostedZonesByName(domain));
    const zone = (zones ?? [])
      .filter((z) => z.Config?.PrivateZone !== true && (domain === bareName(z.Name) || domain.endsWith(`.${bareName(z.Name)}`)))
      .sort((a, b) => bareName(b.Name).length - bareName(a.Name).length)[0];
    if (zones !== undefined && zone === undefined) missing('dns-zone', domain, `no public Route53 hosted zone holds ${domain}`);
    if (zone?.Id === undefined) return undefined;
    // Exactly the names the checks need (every type at each, for the evidence), however large the zone.
    const read = await attempt('dns-records', domain, () =>
      Promise.all([domain, `www.${domain}`].map((name) => global.route53.recordSetsAt(zone.Id ?? '', `${name}.`))),
    );
    if (read === undefined) return undefined;
    const records = read.flat().filter((r) => r.Type === 'A' || r.Type === 'AAAA' || r.Type === 'CNAME');
    return { zone, records };
  })());

  const apexTarget = track(dns.then((d) => {
    const apex = d?.records.find((r) => bareName(r.Name) === domain && r.Type === 'A');
    return apex?.AliasTarget?.DNSName ?? apex?.ResourceRecords?.[0]?.Value;
  }));

  // CloudFront: the distribution list is read at once; the one whose aliases hold the domain is fetched without
  // waiting for the records, and the records decide when they alias a distribution (by its DomainName). A
  // summary is not the resource: a field missing from one (some endpoints return minimal summaries) is never
  // evidence of absence, so the distributions whose summaries cannot tell are read in full before concluding.
  const summaries = track(attempt('cloudfront', domain, () => global.cloudfront.listDistributions()));
  const byAlias = track(summaries.then((list) => list?.find((s) => holdsDomain(s.Aliases))));
  const aliasDistribution = track(byAlias.then((s) => (s?.Id === undefined ? undefined : attempt('cloudfront', s.Id, () => global.cloudfront.getDistribution(s.Id ?? '')))));
  const distribution = track(
    Promise.all([summaries, byAlias, apexTarget]).then(async ([list, alias, target]): Promise<{ distribution: Distribution; etag: string } | undefined> => {
      if (list === undefined) return undefined;
      const cloudFrontTarget = isCloudFrontDomain(target) ? bareName(target) : undefined;
      const byTarget = cloudFrontTarget === undefined ? undefined : list.find((s) => bareName(s.DomainName) === cloudFrontTarget);
      const chosen = byTarget ?? alias;
      if (chosen?.Id !== undefined) {
        return chosen.Id === alias?.Id ? aliasDistribution : attempt('cloudfront', chosen.Id, () => global.cloudfront.getDistribution(chosen.Id ?? ''));
      }
      const unknown = list.filter((s) => s.Id !== undefined && (s.DomainName === undefined || s.Aliases === undefined));
      const read = await boundedMap(unknown, 4, (s) => attempt('cloudfront', s.Id ?? '', () => global.cloudfront.getDistribution(s.Id ?? '')));
      const full = read.filter((d): d is { distribution: Distribution; etag: string } => d !== undefined);
      const found =
        (cloudFrontTarget === undefined ? undefined : full.find((d) => bareName(d.distribution.DomainName) === cloudFrontTarget)) ??
        full.find((d) => holdsDomain(d.distribution.DistributionConfig?.Aliases));
      if (found === undefined && cloudFrontTarget !== undefined) {
        missing('cloudfront', cloudFrontTarget, `${domain} points to ${cloudFrontTarget}, which is no distribution of this account`);
      }
      return found;
    }),
  );
  const originOf = (summary: { Origins?: { Items?: Array<{ DomainName?: string | undefined }> | undefined } | undefined } | undefined) =>
    summary?.Origins?.Items?.map((o) => o.DomainName).find((n) => regionOfElbDnsName(n) !== undefined);
  // The load balancer the distribution sends to, from the most complete read: the distribution itself.
  const distributionOrigin = track(distribution.then((d) => originOf(d?.distribution.DistributionConfig)));

  // The region rule: a region written in the chain is the truth for that resource. The stack's ARNs say it at
  // once; else the load balancer's DNS name does (the CloudFront origin, else the apex alias). The stack's
  // region (--region, the stack file, AWS_REGION) is only the default for a chain that says nothing.
  const named = namedRegion(spec);
  const chainRegion = track(
    (async (): Promise<{ region: string; from: string } | undefined> => {
      if (named !== undefined) return named;
      const origin = await distributionOrigin;
      if (regionOfElbDnsName(origin) !== undefined) return { region: regionOfElbDnsName(origin) ?? '', from: `the CloudFront origin ${loadBalancerDnsName(origin)}` };
      const target = await apexTarget;
      if (regionOfElbDnsName(target) !== undefined) return { region: regionOfElbDnsName(target) ?? '', from: `the Route53 alias of ${domain} (${loadBalancerDnsName(target)})` };
      return undefined;
    })(),
  );
  // The region as early as anything tells it: the stack's ARNs, a region the user gave (a guess: what is read on
  // it is used only if the chain agrees), the alias-matched distribution's origin, the chain, then the default.
  // Reads of the whole region (its load balancers, its ECS services) start from it.
  const regionHint = track(
    (async (): Promise<string | undefined> => {
      if (named !== undefined) return named.region;
      if (spec.region !== undefined && spec.regionSource !== 'environment') return spec.region;
      const early = regionOfElbDnsName(originOf(await byAlias));
      if (early !== undefined) return early;
      return (await chainRegion)?.region ?? spec.region;
    })(),
  );
  // Every load balancer of a region, read at most once; a read started early on a guess records nothing (no gap)
  // until the walk uses it.
  const allLoadBalancers = new Map<string, Promise<LoadBalancer[]>>();
  const loadBalancersIn = (region: string): Promise<LoadBalancer[]> => {
    let read = allLoadBalancers.get(region);
    if (read === undefined) {
      read = track(awsFor(region).elbv2.describeLoadBalancers({}));
      allLoadBalancers.set(region, read);
    }
    return read;
  };
  if (spec.loadBalancer === undefined) void track(regionHint.then((r) => (r === undefined ? undefined : loadBalancersIn(r))));

  const viewerCertificate = track(distribution.then(async (d) => {
    const arn = d?.distribution.DistributionConfig?.ViewerCertificate?.ACMCertificateArn;
    return arn === undefined ? undefined : attempt('viewer-certificate', arn, () => global.acm.describeCertificate(arn));
  }));

  const edgeCertificates = track(distribution.then(async (d): Promise<CertificateDetail[]> => {
    if (d === undefined) return [];
    const summaries = (await attempt('viewer-certificate', GLOBAL_REGION, () => global.acm.listCertificates())) ?? [];
    const current = await viewerCertificate;
    const arns = summaries
      .filter((s) => summaryMayCover(s, domain))
      .map((s) => s.CertificateArn ?? '')
      .filter((arn) => arn !== '' && arn !== current?.CertificateArn);
    const details = await Promise.all(arns.map((arn) => attempt('viewer-certificate', arn, () => global.acm.describeCertificate(arn))));
    return [...(current !== undefined ? [current] : []), ...details.filter((c): c is CertificateDetail => c !== undefined)];
  }));

  const loadBalancer = track((async (): Promise<{ lb: LoadBalancer; region: string } | undefined> => {
    if (spec.loadBalancer !== undefined) {
      const region = (await chainRegion)?.region ?? spec.region;
      if (region === undefined) throw noRegion(spec.loadBalancer);
      const found = await attempt('load-balancer', spec.loadBalancer, () => awsFor(region).elbv2.describeLoadBalancers(byNameOrArn(spec.loadBalancer ?? '')));
      const lb = found?.[0];
      if (found !== undefined && lb === undefined) missing('load-balancer', spec.loadBalancer, `load balancer ${spec.loadBalancer} was not found in ${region}`);
      return lb === undefined ? undefined : { lb, region };
    }
    const originDns = await distributionOrigin;
    const target = await apexTarget;
    const dnsName = originDns ?? (regionOfElbDnsName(target) !== undefined ? target : undefined);
    const region = regionOfElbDnsName(dnsName);
    if (dnsName === undefined || region === undefined) {
      missing('load-balancer', domain, `no load balancer found behind ${domain} (neither a CloudFront origin nor a Route53 alias names one); name it with --load-balancer`);
      return undefined;
    }
    const all = await attempt('load-balancer', loadBalancerDnsName(dnsName), () => loadBalancersIn(region));
    const lb = all?.find((l) => loadBalancerDnsName(l.DNSName) === loadBalancerDnsName(dnsName));
    if (all !== undefined && lb === undefined) missing('load-balancer', loadBalancerDnsName(dnsName), `${loadBalancerDnsName(dnsName)} is no load balancer of this account in ${region}`);
    return lb === undefined ? undefined : { lb, region };
  })());

  const region = track(loadBalancer.then(async (l) => l?.region ?? (await chainRegion)?.region ?? spec.region));
  const regional = async () => {
    const r = await region;
    return r === undefined ? undefined : awsFor(r);
  };

  const listeners = track(loadBalancer.then(async (l) => {
    const arn = l?.lb.LoadBalancerArn;
    if (arn === undefined) return [];
    return (await attempt('listeners', arn, () => awsFor(l?.region ?? '').elbv2.describeListeners(arn))) ?? [];
  }));

  const rules = track(listeners.then(async (ls) => {
    const aws = await regional();
    const entries = await Promise.all(
      ls.map(async (l) => [l.ListenerArn ?? '', (await attempt('rules', l.ListenerArn ?? '', () => aws?.elbv2.describeRules(l.ListenerArn ?? '') ?? Promise.resolve([]))) ?? []] as const),
    );
    return Object.fromEntries(entries);
  }));

  const targetGroup = track((async (): Promise<TargetGroup | undefined> => {
    const aws = await regional();
    if (aws === undefined) return undefined;
    if (spec.targetGroup !== undefined) {
      const found = await attempt('target-group', spec.targetGroup, () => aws.elbv2.describeTargetGroups(byNameOrArn(spec.targetGroup ?? '')));
      if (found !== undefined && found[0] === undefined) missing('target-group', spec.targetGroup, `target group ${spec.targetGroup} was not found`);
      return found?.[0];
    }
    const ls = await listeners;
    const forwardOf = (port: number) => {
      const action = ls.find((l) => l.Port === port)?.DefaultActions?.find((a) => a.Type === 'forward');
      return action?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn ?? action?.TargetGroupArn;
    };
    const arn = forwardOf(443) ?? forwardOf(80);
    const lbArn = (await loadBalancer)?.lb.LoadBalancerArn;
    if (arn === undefined && lbArn === undefined) return undefined;
    const found = await attempt('target-group', arn ?? lbArn ?? domain, () =>
      arn !== undefined ? aws.elbv2.describeTargetGroups({ arns: [arn] }) : aws.elbv2.describeTargetGroups({ loadBalancerArn: lbArn ?? '' }),
    );
    if (found !== undefined && found[0] === undefined) missing('target-group', lbArn ?? domain, 'no target group behind the load balancer');
    return found?.[0];
  })());

  const targetHealth = track(targetGroup.then(async (tg) => {
    const aws = await regional();
    if (tg?.TargetGroupArn === undefined || aws === undefined) return [];
    return (await attempt('target-health', tg.TargetGroupArn, () => aws.elbv2.describeTargetHealth(tg.TargetGroupArn ?? ''))) ?? [];
  }));

  // Without a named service, every service of the region is read as soon as the region is known, and the one
  // registered to the target group is picked when that is known: no round trip waits on the other.
  const servicesOfRegion = track(
    regionHint.then((r) => (r === undefined || spec.service !== undefined ? undefined : { region: r, read: track(servicesOf(awsFor(r))) })),
  );

  const service = track((async (): Promise<Service | undefined> => {
    const aws = await regional();
    if (aws === undefined) return undefined;
    if (spec.service !== undefined) {
      const cluster = spec.cluster ?? clusterOfServiceArn(spec.service) ?? '';
      const found = await attempt('ecs-service', `${cluster}/${spec.service}`, () => aws.ecs.describeServices(cluster, [spec.service ?? '']));
      const s = found?.services.find((x) => x.status !== 'INACTIVE');
      if (found !== undefined && s === undefined) {
        missing('ecs-service', `${cluster}/${spec.service}`, `ECS service ${spec.service} in cluster ${cluster}: ${found.failures[0]?.reason ?? 'INACTIVE'}`);
      }
      return s;
    }
    const tgArn = (await targetGroup)?.TargetGroupArn;
    if (tgArn === undefined) return undefined;
    const early = await servicesOfRegion;
    const r = await region;
    const scanned = early !== undefined && early.region === r ? await attempt('ecs-service', r, () => early.read) : await attempt('ecs-service', tgArn, () => servicesOf(aws));
    const found = scanned?.find((x) => (x.loadBalancers ?? []).some((b) => b.targetGroupArn === tgArn));
    if (scanned !== undefined && found === undefined) missing('ecs-service', tgArn, `no ECS service of this account in ${await region} is registered to ${nameFromArn(tgArn)}`);
    return found;
  })());

  const taskDefinition = track(service.then(async (s) => {
    const aws = await regional();
    const arn = s?.taskDefinition;
    return arn === undefined || aws === undefined ? undefined : attempt('task-definition', arn, () => aws.ecs.describeTaskDefinition(arn));
  }));

  // What each tag of the task definition's private-ECR images points to now (a digest pinned needs no read).
  const ecrImages = track(taskDefinition.then(async (td): Promise<Record<string, ImageDetail | null>> => {
    const tagged = [...new Set((td?.containerDefinitions ?? []).map((c) => c.image ?? ''))].flatMap((image) => {
      const ref = parseEcrImage(image);
      return ref?.tag === undefined ? [] : [{ image, ref, tag: ref.tag }];
    });
    const entries = await Promise.all(
      tagged.map(async ({ image, ref, tag }) => {
        const read = async (): Promise<ImageDetail | null> => {
          try {
            return (await awsFor(ref.region).ecr.describeImages(ref.account, ref.repository, [{ imageTag: tag }]))[0] ?? null;
          } catch (error) {
            if (error instanceof AwsCallError && error.awsCode === 'ImageNotFoundException') return null;
            throw error;
          }
        };
        const found = await attempt('image', image, read);
        return found === undefined ? [] : [[image, found] as const];
      }),
    );
    return Object.fromEntries(entries.flat());
  }));

  const tasks = track(service.then(async (s) => {
    const aws = await regional();
    if (s?.serviceName === undefined || s.clusterArn === undefined || aws === undefined) return { running: [], stopped: [] };
    const list = async (status: 'RUNNING' | 'STOPPED') => {
      const arns = await attempt('tasks', `${s.serviceName ?? ''} ${status}`, () => aws.ecs.listTasks(s.clusterArn ?? '', s.serviceName ?? '', status));
      return arns === undefined || arns.length === 0 ? [] : ((await attempt('tasks', s.serviceName ?? '', () => aws.ecs.describeTasks(s.clusterArn ?? '', arns.slice(0, 100)))) ?? []);
    };
    const [running, stopped] = await Promise.all([list('RUNNING'), list('STOPPED')]);
    stopped.sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
    return { running, stopped };
  }));

  const network = track(service.then(async (s): Promise<NetworkObservation | undefined> => {
    const aws = await regional();
    const subnetIds = s?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    if (subnetIds.length === 0 || aws === undefined) return undefined;
    const subnets = await attempt('network', subnetIds.join(','), () => aws.ec2.describeSubnets(subnetIds));
    const vpcId = subnets?.[0]?.VpcId;
    if (subnets === undefined || vpcId === undefined) return undefined;
    const [routeTables, natGateways, vpcEndpoints] = await Promise.all([
      attempt('network', vpcId, () => aws.ec2.describeRouteTables(vpcId)),
      attempt('network', vpcId, () => aws.ec2.describeNatGateways(vpcId)),
      attempt('network', vpcId, () => aws.ec2.describeVpcEndpoints(vpcId)),
    ]);
    return { subnets, routeTables: routeTables ?? [], natGateways: natGateways ?? [], vpcEndpoints: vpcEndpoints ?? [] };
  }));

  const securityGroups = track(Promise.all([loadBalancer, service]).then(async ([l, s]) => {
    const aws = await regional();
    const ids = [...new Set([...(l?.lb.SecurityGroups ?? []), ...(s?.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [])])];
    if (ids.length === 0 || aws === undefined) return {};
    const groups = (await attempt('security-groups', ids.join(','), () => aws.ec2.describeSecurityGroups(ids))) ?? [];
    const entries = await Promise.all(
      groups.map(async (group): Promise<[string, SecurityGroupObservation]> => {
        const rules = (await attempt('security-groups', group.GroupId ?? '', () => aws.ec2.describeSecurityGroupRules(group.GroupId ?? ''))) ?? [];
        return [group.GroupId ?? '', { group, rules }];
      }),
    );
    return Object.fromEntries(entries);
  }));

  const logGroup = track(taskDefinition.then(async (td): Promise<LogGroupObservation | undefined> => {
    const aws = await regional();
    const name = td?.containerDefinitions?.map((c) => c.logConfiguration?.options?.['awslogs-group']).find((n) => n !== undefined);
    if (name === undefined || aws === undefined) return undefined;
    const groups = await attempt('log-group', name, () => aws.logs.describeLogGroups(name));
    const group = groups?.find((g) => g.logGroupName === name);
    if (groups === undefined || group === undefined) return { name, group: undefined, readable: undefined };
    try {
      const errorEvents = await aws.logs.filterLogEvents(name, { startTime: now.getTime() - ERROR_WINDOW_MS, filterPattern: ERROR_FILTER_PATTERN, limit: 50 });
      return { name, group, readable: true, errorEvents };
    } catch (error) {
      if (error instanceof AwsCallError && error.code === ErrorCode.Aws) return { name, group, readable: false, denial: `${error.awsCode}: ${error.message}` };
      throw error;
    }
  }));

  // The internet-facing load balancer's subnets and its VPC's route tables (alb.subnets: can the internet reach it?).
  const loadBalancerNetwork = track(loadBalancer.then(async (l): Promise<LoadBalancerNetworkObservation | undefined> => {
    const subnetIds = (l?.lb.AvailabilityZones ?? []).map((z) => z.SubnetId).filter((id): id is string => id !== undefined);
    const vpcId = l?.lb.VpcId;
    if (l === undefined || l.lb.Scheme !== 'internet-facing' || subnetIds.length === 0 || vpcId === undefined) return undefined;
    const aws = awsFor(l.region);
    const [subnets, routeTables] = await Promise.all([
      attempt('load-balancer-network', subnetIds.join(','), () => aws.ec2.describeSubnets(subnetIds)),
      attempt('load-balancer-network', vpcId, () => aws.ec2.describeRouteTables(vpcId)),
    ]);
    return subnets === undefined || routeTables === undefined ? undefined : { subnets, routeTables };
  }));

  // A container without a log configuration: does the group an awslogs driver would write to exist?
  const proposedLogGroup = track(Promise.all([taskDefinition, service]).then(async ([td, s]): Promise<ProposedLogGroupObservation | undefined> => {
    const containers = td?.containerDefinitions ?? [];
    const aws = await regional();
    if (aws === undefined || s?.serviceName === undefined || !containers.some((c) => c.logConfiguration === undefined)) return undefined;
    const logs = await logGroup;
    if (logs !== undefined) return logs.group === undefined && gaps.some((g) => g.layer === 'log-group') ? undefined : { name: logs.name, exists: logs.group !== undefined };
    const name = `/aws/ecs/${s.serviceName}`;
    const groups = await attempt('log-group', name, () => aws.logs.describeLogGroups(name));
    return groups === undefined ? undefined : { name, exists: groups.some((g) => g.logGroupName === name) };
  }));

  const certificates = track(region.then(async (r) => {
    if (r === undefined) return [];
    const aws = awsFor(r);
    const ls = await listeners;
    const inUse = ls.flatMap((l) => (l.Certificates ?? []).map((c) => c.CertificateArn ?? '')).filter((a) => a !== '');
    const summaries = (await attempt('certificates', r, () => aws.acm.listCertificates())) ?? [];
    const wanted = new Set([...summaries.filter((s) => summaryMayCover(s, domain)).map((s) => s.CertificateArn ?? ''), ...inUse, ...(spec.certificateArn !== undefined ? [spec.certificateArn] : [])]);
    wanted.delete('');
    // A certificate ARN names its own region (the stack's certificate could be elsewhere: the check says so).
    const details = await Promise.all([...wanted].map((arn) => attempt('certificates', arn, () => awsFor(regionOf(arn) ?? r).acm.describeCertificate(arn))));
    return details.filter((c): c is CertificateDetail => c !== undefined);
  }));

  const forwardedTargetGroups = track(Promise.all([listeners, rules, targetGroup]).then(async ([ls, rs, walked]) => {
    const aws = await regional();
    const arns = new Set<string>();
    const collect = (actions: readonly Action[] | undefined) => {
      for (const a of actions ?? []) {
        if (a.Type !== 'forward') continue;
        if (a.TargetGroupArn !== undefined) arns.add(a.TargetGroupArn);
        for (const g of a.ForwardConfig?.TargetGroups ?? []) if (g.TargetGroupArn !== undefined) arns.add(g.TargetGroupArn);
      }
    };
    ls.forEach((l) => collect(l.DefaultActions));
    Object.values(rs).forEach((list) => list.forEach((rule) => collect(rule.Actions)));
    if (walked?.TargetGroupArn !== undefined) arns.delete(walked.TargetGroupArn);
    if (arns.size === 0 || aws === undefined) return {};
    const read = async (batch: string[]): Promise<Array<[string, TargetGroup | null]>> => {
      try {
        const found = await aws.elbv2.describeTargetGroups({ arns: batch });
        return batch.map((arn) => [arn, found.find((g) => g.TargetGroupArn === arn) ?? null]);
      } catch (error) {
        if (!(error instanceof AwsCallError && error.awsCode === 'TargetGroupNotFound')) throw error;
        if (batch.length === 1) return batch.map((arn) => [arn, null]);
        return (await Promise.all(batch.map((arn) => read([arn])))).flat();
      }
    };
    return Object.fromEntries((await attempt('target-group', [...arns].join(','), () => read([...arns]))) ?? []);
  }));

  const [who, d, dist, viewer, l, ls, rs, tg, th, svc, td, ts, net, sgs, logs, certs, r, edgeCerts, forwarded, images, chain] = await Promise.all([
    identity,
    dns,
    distribution,
    viewerCertificate,
    loadBalancer,
    listeners,
    rules,
    targetGroup,
    targetHealth,
    service,
    taskDefinition,
    tasks,
    network,
    securityGroups,
    logGroup,
    certificates,
    region,
    edgeCertificates,
    forwardedTargetGroups,
    ecrImages,
    chainRegion,
  ]);
  const [lbNetwork, proposedLogs] = await Promise.all([loadBalancerNetwork, proposedLogGroup]);

  const stack: ResolvedStack = {
    ...spec,
    name: stackName(spec),
    region: r ?? spec.region ?? GLOBAL_REGION,
    found: {
      hostedZoneId: d?.zone.Id,
      distributionId: dist?.distribution.Id,
      loadBalancerArn: l?.lb.LoadBalancerArn,
      targetGroupArn: tg?.TargetGroupArn,
      clusterArn: svc?.clusterArn,
      serviceArn: svc?.serviceArn,
      taskDefinitionArn: td?.taskDefinitionArn,
      logGroupName: logs?.name,
    },
  };
  return {
    account: who.account,
    region: stack.region,
    callerArn: who.arn,
    observedAt: now,
    stack,
    dns: d,
    distribution: dist,
    viewerCertificate: viewer,
    edgeCertificates: edgeCerts,
    loadBalancer: l?.lb,
    listeners: ls,
    rules: rs,
    targetGroup: tg,
    forwardedTargetGroups: forwarded,
    targetHealth: th,
    certificates: certs,
    service: svc,
    taskDefinition: td,
    runningTasks: ts.running,
    stoppedTasks: ts.stopped,
    network: net,
    securityGroups: sgs,
    logGroup: logs,
    ...(lbNetwork !== undefined ? { loadBalancerNetwork: lbNetwork } : {}),
    ...(proposedLogs !== undefined ? { proposedLogGroup: proposedLogs } : {}),
    ...(Object.keys(images).length > 0 ? { ecrImages: images } : {}),
    gaps,
    notes: regionNotes(spec, chain),
  };
}

/**
 * The stack's own region evidence: the region written in an ARN it names (load balancer, target group, ECS
 * service or cluster, certificate), in that order.
 */
function namedRegion(spec: StackDefinition): { region: string; from: string } | undefined {
  const named: Array<[string, string | undefined]> = [
    ['the load balancer ARN', spec.loadBalancer],
    ['the target group ARN', spec.targetGroup],
    ['the ECS service ARN', spec.service],
    ['the ECS cluster ARN', spec.cluster],
    ['the certificate ARN', spec.certificateArn],
  ];
  for (const [from, value] of named) {
    const region = value === undefined ? undefined : regionOf(value);
    if (region !== undefined) return { region, from };
  }
  return undefined;
}

/** One note when the region the user gave (not the environment's default) disagrees with the chain, which the walk followed. */
function regionNotes(spec: StackDefinition, chain: { region: string; from: string } | undefined): string[] {
  if (chain === undefined || spec.region === undefined || spec.regionSource === 'environment' || chain.region === spec.region) return [];
  return [`region ${spec.region} (given) disagrees with the chain: ${chain.from} is in ${chain.region}; following the chain (regional reads in ${chain.region}, Route53 and CloudFront in ${GLOBAL_REGION})`];
}

/** Every active service of a region: its clusters (at most 50) and their services, described ten at a time, a few at once. */
async function servicesOf(aws: AwsPorts): Promise<Service[]> {
  const clusters = (await aws.ecs.listClusters()).slice(0, 50);
  const perCluster = await boundedMap(clusters, 4, async (cluster) => {
    const arns = await aws.ecs.listServices(cluster);
    const batches = [];
    for (let i = 0; i < arns.length; i += 10) batches.push(arns.slice(i, i + 10));
    const described = await boundedMap(batches, 4, async (batch) => (await aws.ecs.describeServices(cluster, batch)).services);
    return described.flat();
  });
  return perCluster.flat().filter((s) => s.status !== 'INACTIVE');
}

function holdsDomainOf(domain: string) {
  return (aliases: { Items?: string[] | undefined } | undefined): boolean => (aliases?.Items ?? []).some((a) => bareName(a) === domain);
}

function summaryMayCover(summary: CertificateSummary, domain: string): boolean {
  const names = [summary.DomainName, ...(summary.SubjectAlternativeNameSummaries ?? [])].filter((n): n is string => n !== undefined);
  return names.some((name) => nameCovers(name, domain) || nameCovers(name, `www.${domain}`));
}

function byNameOrArn(value: string): { names?: string[]; arns?: string[] } {
  return value.startsWith('arn:') ? { arns: [value] } : { names: [value] };
}

function regionOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return arn.startsWith('arn:') && parts[3] !== undefined && parts[3] !== '' ? parts[3] : undefined;
}

function clusterOfServiceArn(arn: string): string | undefined {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts.length === 3 ? parts[1] : undefined;
}

function noRegion(what: string): RemediateError {
  return new RemediateError(ErrorCode.BadInput, `no region for ${what}`, { hint: 'give --region (or region in the stack file), or an ARN' });
}
