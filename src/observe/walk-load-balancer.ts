import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { Action, Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AwsCallError } from '../aws/aws-call-error.js';
import { loadBalancerDnsName, loadBalancerNameOf, regionOfElbDnsName } from '../aws/dns-names.js';
import { ErrorCode, RemediateError } from '../model/errors.js';
import type { StackDefinition } from '../model/stack-definition.js';
import { summaryMayCover } from './certificate-names.js';
import { originOf } from './walk-cloudfront.js';
import type { PortsFor, PortUse } from './port-reads.js';
import { byNameOrArn, regionOf, type Walk } from './walk-context.js';
import type { DistributionSummary } from '@aws-sdk/client-cloudfront';

/** The port methods the load-balancer walker calls. */
export const loadBalancerReads = {
  elbv2: ['describeLoadBalancers', 'describeListeners', 'describeRules', 'describeTargetGroups', 'describeTargetHealth'],
  acm: ['listCertificates', 'describeCertificate'],
} as const satisfies PortUse;

/** The region a chain names, and what said so. */
export interface ChainRegion {
  readonly region: string;
  readonly from: string;
}

export interface LoadBalancerWalk {
  /** The region the chain says (the stack's ARNs, else the load balancer's DNS name), with where it says it. */
  readonly chainRegion: Promise<ChainRegion | undefined>;
  /** The region as early as anything tells it, for the reads of a whole region that may start on a guess. */
  readonly regionHint: Promise<string | undefined>;
  readonly loadBalancer: Promise<{ readonly lb: LoadBalancer; readonly region: string } | undefined>;
  /** The region of the regional reads: the load balancer's, else the chain's, else the stack's. */
  readonly region: Promise<string | undefined>;
  readonly listeners: Promise<Listener[]>;
  /** The rules of each listener, by listener ARN. */
  readonly rules: Promise<Record<string, readonly Rule[]>>;
  readonly targetGroup: Promise<TargetGroup | undefined>;
  readonly targetHealth: Promise<TargetHealthDescription[]>;
  /** The other target groups the listeners forward to, by ARN; null when AWS says it does not exist. */
  readonly forwardedTargetGroups: Promise<Record<string, TargetGroup | null>>;
  /** Certificates of the region that could cover the domain, those of the listeners, and the stack's own one. */
  readonly certificates: Promise<CertificateDetail[]>;
}

/**
 * The load balancer (named, else the one the CloudFront origin or the apex alias names), its listeners and rules,
 * the target group (named, else the one the listeners forward to), its health, the other target groups the
 * listeners forward to, and the region's certificates. The region rule lives here: a region written in the chain
 * is the truth for that resource.
 */
export function walkLoadBalancer(
  walk: Walk<typeof loadBalancerReads>,
  upstream: {
    readonly apexTarget: Promise<string | undefined>;
    readonly byAlias: Promise<DistributionSummary | undefined>;
    readonly distributionOrigin: Promise<string | undefined>;
  },
): LoadBalancerWalk {
  const { spec, domain, awsFor, attempt, missing, track } = walk;
  const { apexTarget, byAlias, distributionOrigin } = upstream;

  // The region rule: a region written in the chain is the truth for that resource. The stack's ARNs say it at
  // once; else the load balancer's DNS name does (the CloudFront origin, else the apex alias). The stack's
  // region (--region, the stack file, AWS_REGION) is only the default for a chain that says nothing.
  const named = namedRegion(spec);
  const chainRegion = track(
    (async (): Promise<ChainRegion | undefined> => {
      if (named !== undefined) return named;
      const origin = await distributionOrigin;
      if (regionOfElbDnsName(origin) !== undefined)
        return { region: regionOfElbDnsName(origin) ?? '', from: `the CloudFront origin ${loadBalancerDnsName(origin)}` };
      const target = await apexTarget;
      if (regionOfElbDnsName(target) !== undefined)
        return { region: regionOfElbDnsName(target) ?? '', from: `the Route53 alias of ${domain} (${loadBalancerDnsName(target)})` };
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
  // Every load balancer of a region, read at most once, only when the name a DNS name begins with finds none.
  const allLoadBalancers = new Map<string, Promise<LoadBalancer[]>>();
  const loadBalancersIn = (region: string): Promise<LoadBalancer[]> => {
    let read = allLoadBalancers.get(region);
    if (read === undefined) {
      read = track(awsFor(region).elbv2.describeLoadBalancers({}));
      allLoadBalancers.set(region, read);
    }
    return read;
  };
  // The load balancers that may have a DNS name: the one its name begins with (one call, however many the region
  // holds), else every one of the region. Read at most once per name; a read started early (from the alias-matched
  // distribution's origin, or the apex alias) records nothing (no gap) until the walk uses it.
  const byDnsName = new Map<string, Promise<LoadBalancer[]>>();
  const loadBalancersFor = (region: string, dnsName: string): Promise<LoadBalancer[]> => {
    const key = `${region} ${loadBalancerDnsName(dnsName)}`;
    let read = byDnsName.get(key);
    if (read === undefined) {
      read = track(
        (async () => {
          const name = loadBalancerNameOf(dnsName);
          if (name !== undefined) {
            try {
              const named = await awsFor(region).elbv2.describeLoadBalancers({ names: [name] });
              if (named.some((l) => loadBalancerDnsName(l.DNSName) === loadBalancerDnsName(dnsName))) return named;
            } catch (error) {
              if (!(error instanceof AwsCallError && error.awsCode === 'LoadBalancerNotFound')) throw error;
            }
          }
          return loadBalancersIn(region);
        })(),
      );
      byDnsName.set(key, read);
    }
    return read;
  };
  const prefetch = (dnsName: string | undefined): void => {
    const region = regionOfElbDnsName(dnsName);
    if (spec.loadBalancer === undefined && dnsName !== undefined && region !== undefined) void loadBalancersFor(region, dnsName);
  };
  void track(byAlias.then((s) => prefetch(originOf(s))));
  void track(apexTarget.then(prefetch));

  const loadBalancer = track(
    (async (): Promise<{ lb: LoadBalancer; region: string } | undefined> => {
      if (spec.loadBalancer !== undefined) {
        const region = (await chainRegion)?.region ?? spec.region;
        if (region === undefined) throw noRegion(spec.loadBalancer);
        const found = await attempt('load-balancer', spec.loadBalancer, () =>
          awsFor(region).elbv2.describeLoadBalancers(byNameOrArn(spec.loadBalancer ?? '')),
        );
        const lb = found?.[0];
        if (found !== undefined && lb === undefined)
          missing('load-balancer', spec.loadBalancer, `load balancer ${spec.loadBalancer} was not found in ${region}`);
        return lb === undefined ? undefined : { lb, region };
      }
      const originDns = await distributionOrigin;
      const target = await apexTarget;
      const dnsName = originDns ?? (regionOfElbDnsName(target) !== undefined ? target : undefined);
      const region = regionOfElbDnsName(dnsName);
      if (dnsName === undefined || region === undefined) {
        missing(
          'load-balancer',
          domain,
          `no load balancer found behind ${domain} (neither a CloudFront origin nor a Route53 alias names one); name it with --load-balancer`,
        );
        return undefined;
      }
      const all = await attempt('load-balancer', loadBalancerDnsName(dnsName), () => loadBalancersFor(region, dnsName));
      const lb = all?.find((l) => loadBalancerDnsName(l.DNSName) === loadBalancerDnsName(dnsName));
      if (all !== undefined && lb === undefined)
        missing(
          'load-balancer',
          loadBalancerDnsName(dnsName),
          `${loadBalancerDnsName(dnsName)} is no load balancer of this account in ${region}`,
        );
      return lb === undefined ? undefined : { lb, region };
    })(),
  );

  const region = track(loadBalancer.then(async (l) => l?.region ?? (await chainRegion)?.region ?? spec.region));
  const regional = async (): Promise<PortsFor<typeof loadBalancerReads> | undefined> => {
    const r = await region;
    return r === undefined ? undefined : awsFor(r);
  };

  const listeners = track(
    loadBalancer.then(async (l) => {
      const arn = l?.lb.LoadBalancerArn;
      if (arn === undefined) return [];
      return (await attempt('listeners', arn, () => awsFor(l?.region ?? '').elbv2.describeListeners(arn))) ?? [];
    }),
  );

  const rules = track(
    listeners.then(async (ls) => {
      const aws = await regional();
      const entries = await Promise.all(
        ls.map(
          async (l) =>
            [
              l.ListenerArn ?? '',
              (await attempt('rules', l.ListenerArn ?? '', () => aws?.elbv2.describeRules(l.ListenerArn ?? '') ?? Promise.resolve([]))) ??
                [],
            ] as const,
        ),
      );
      return Object.fromEntries(entries);
    }),
  );

  const targetGroup = track(
    (async (): Promise<TargetGroup | undefined> => {
      const aws = await regional();
      if (aws === undefined) return undefined;
      if (spec.targetGroup !== undefined) {
        const found = await attempt('target-group', spec.targetGroup, () =>
          aws.elbv2.describeTargetGroups(byNameOrArn(spec.targetGroup ?? '')),
        );
        if (found !== undefined && found[0] === undefined)
          missing('target-group', spec.targetGroup, `target group ${spec.targetGroup} was not found`);
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
        arn !== undefined
          ? aws.elbv2.describeTargetGroups({ arns: [arn] })
          : aws.elbv2.describeTargetGroups({ loadBalancerArn: lbArn ?? '' }),
      );
      if (found !== undefined && found[0] === undefined)
        missing('target-group', lbArn ?? domain, 'no target group behind the load balancer');
      return found?.[0];
    })(),
  );

  // The health of the target group the listeners forward to is read as soon as its ARN is known (beside
  // DescribeTargetGroups, not after it); the read is used, and its failure recorded, only once the target group is.
  const earlyHealth = track(
    (async () => {
      if (spec.targetGroup !== undefined) return undefined;
      const ls = await listeners;
      const action = [443, 80]
        .map((port) => ls.find((l) => l.Port === port)?.DefaultActions?.find((a) => a.Type === 'forward'))
        .find((a) => a !== undefined);
      const arn = action?.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn ?? action?.TargetGroupArn;
      const aws = await regional();
      return arn === undefined || aws === undefined ? undefined : { arn, read: track(aws.elbv2.describeTargetHealth(arn)) };
    })(),
  );
  const targetHealth = track(
    targetGroup.then(async (tg) => {
      const aws = await regional();
      if (tg?.TargetGroupArn === undefined || aws === undefined) return [];
      const early = await earlyHealth;
      const read =
        early !== undefined && early.arn === tg.TargetGroupArn
          ? () => early.read
          : () => aws.elbv2.describeTargetHealth(tg.TargetGroupArn ?? '');
      return (await attempt('target-health', tg.TargetGroupArn, read)) ?? [];
    }),
  );

  const certificates = track(
    region.then(async (r) => {
      if (r === undefined) return [];
      const aws = awsFor(r);
      // The region's list is read beside the listeners, not after them (it is a page per 1,000 certificates).
      const [ls, listed] = await Promise.all([listeners, attempt('certificates', r, () => aws.acm.listCertificates())]);
      const inUse = ls.flatMap((l) => (l.Certificates ?? []).map((c) => c.CertificateArn ?? '')).filter((a) => a !== '');
      const summaries = listed ?? [];
      const wanted = new Set([
        ...summaries.filter((s) => summaryMayCover(s, domain)).map((s) => s.CertificateArn ?? ''),
        ...inUse,
        ...(spec.certificateArn !== undefined ? [spec.certificateArn] : []),
      ]);
      wanted.delete('');
      // A certificate ARN names its own region (the stack's certificate could be elsewhere: the check says so).
      const details = await Promise.all(
        [...wanted].map((arn) => attempt('certificates', arn, () => awsFor(regionOf(arn) ?? r).acm.describeCertificate(arn))),
      );
      return details.filter((c): c is CertificateDetail => c !== undefined);
    }),
  );

  const forwardedTargetGroups = track(
    Promise.all([listeners, rules, targetGroup]).then(async ([ls, rs, walked]) => {
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
      const read = async (batch: string[]): Promise<[string, TargetGroup | null][]> => {
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
    }),
  );

  return {
    chainRegion,
    regionHint,
    loadBalancer,
    region,
    listeners,
    rules,
    targetGroup,
    targetHealth,
    forwardedTargetGroups,
    certificates,
  };
}

/**
 * The stack's own region evidence: the region written in an ARN it names (load balancer, target group, ECS
 * service or cluster, certificate), in that order.
 */
function namedRegion(spec: StackDefinition): ChainRegion | undefined {
  const named: [string, string | undefined][] = [
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

function noRegion(what: string): RemediateError {
  return new RemediateError(ErrorCode.BadInput, `no region for ${what}`, {
    hint: 'give --region (or region in the stack file), or an ARN',
  });
}
