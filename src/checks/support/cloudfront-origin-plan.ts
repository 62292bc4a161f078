import type { Origin } from '@aws-sdk/client-cloudfront';
import type { JsonObject } from '../../model/json-value.js';
import { pointing, type Detection, type NextStep } from '../check.js';
import type { ProposedChangeOf } from '../../fixes/change-kinds.js';
import { configWith, defaultOrigin, distributionChange, edgeOf, type Edge } from './cloudfront-edge.js';
import { bareName, isCloudFrontDomain, loadBalancerDnsName, regionOfElbDnsName } from '../../aws/dns-names.js';
import { hostHeaderForwarded } from './cloudfront-host-forwarding.js';
import { httpsListenerCheck, httpsStatus } from '../alb/https-listener.js';
import { albSecurityGroupCheck } from '../alb/security-group.js';
import type { Observation } from '../../observe/observation.js';

/**
 * One aspect of the distribution's default origin (its domain, its path, its protocol): right, wrong and
 * fixable (after the checks in `requires`), or wrong with no safe fix (and why).
 */
export type OriginAspect =
  | { readonly state: 'ok' }
  | { readonly state: 'fixable'; readonly problem: string; readonly requires: readonly string[] }
  | { readonly state: 'stuck'; readonly problem: string; readonly reason: string; readonly fixFirst?: string | undefined };

/** The distribution and its default origin, when both exist. */
export interface EdgeOrigin {
  readonly edge: Edge;
  readonly index: number;
  readonly origin: Origin;
}

/** The default origin of the stack's distribution, if there is a distribution and its default behaviour targets an origin. */
export function edgeOrigin(o: Observation): EdgeOrigin | undefined {
  const edge = edgeOf(o);
  const found = edge === undefined ? undefined : defaultOrigin(edge.config);
  return edge === undefined || found === undefined ? undefined : { edge, ...found };
}

/**
 * What the walk knows of a load balancer an origin names and it did not find: only a NotFound answer of the
 * region's own list proves it does not exist; any other gap (denied, unreadable) proves nothing.
 */
function unknownLoadBalancer(o: Observation, originName: string): string {
  const region = regionOfElbDnsName(originName) ?? '';
  const gap = o.gaps.find((g) => g.layer === 'load-balancer' && g.resource === loadBalancerDnsName(originName));
  return gap?.code === 'NotFound'
    ? `which is no load balancer of this account in ${region}`
    : `a load balancer in ${region} that could not be read`;
}

/** Whether the origin's domain is the load balancer's DNS name, and if not, what it is instead. */
export function originDomainAspect(o: Observation, eo: EdgeOrigin): OriginAspect {
  const name = bareName(eo.origin.DomainName);
  const lb = o.loadBalancer;
  const lbDns = lb?.DNSName === undefined ? undefined : loadBalancerDnsName(lb.DNSName);
  if (lbDns !== undefined && loadBalancerDnsName(name) === lbDns) return { state: 'ok' };
  const domain = bareName(o.stack.domain);
  const aliases = (eo.edge.config.Aliases?.Items ?? []).map((a) => bareName(a));
  const problem =
    name === eo.edge.domainName
      ? `the origin is the distribution's own domain ${name}: CloudFront would request itself in a loop`
      : name === domain || name === `www.${domain}` || aliases.includes(name)
        ? `the origin is ${name}, the site's own name, which resolves back to this distribution: a loop`
        : isCloudFrontDomain(name)
          ? `the origin is ${name}, a CloudFront domain, not the load balancer`
          : regionOfElbDnsName(name) !== undefined
            ? `the origin is ${name}, ${lbDns === undefined ? unknownLoadBalancer(o, name) : `another load balancer than ${lb?.LoadBalancerName ?? lbDns}`}`
            : `the origin is ${name === '' ? 'empty' : name}, not the load balancer`;
  if (lbDns === undefined) {
    // The reason must agree with the evidence: an origin that names a load balancer does name one.
    const reason =
      regionOfElbDnsName(name) === undefined
        ? "the stack's load balancer is not known (the origin names none): name it with --load-balancer or in the stack file, then plan again"
        : "the load balancer the origin names was not read (see stack.unreachable): point the origin at the stack's load balancer, or name it with --load-balancer, then plan again";
    return { state: 'stuck', problem, reason };
  }
  if (eo.origin.CustomOriginConfig === undefined) {
    return {
      state: 'stuck',
      problem,
      reason:
        'the origin is not a custom origin (S3 or VPC origin): pointing it at the load balancer needs a custom origin configuration, which remediate does not invent',
    };
  }
  return { state: 'fixable', problem, requires: [] };
}

/** Whether the origin path is empty. */
export function originPathAspect(eo: EdgeOrigin): OriginAspect {
  const path = eo.origin.OriginPath ?? '';
  if (path === '') return { state: 'ok' };
  return { state: 'fixable', problem: `the origin path is "${path}": every request reaches the load balancer as ${path}/…`, requires: [] };
}

/**
 * Whether CloudFront reaches the origin over HTTPS only, on 443. Switching to it needs a load balancer that
 * serves HTTPS on 443: now, after the `alb.https-listener` change, or never (stuck); and that lets 443 in
 * (after the `alb.security-group` change, when there is one).
 * Undefined for an origin that is not a custom origin (no protocol to choose).
 */
export function originProtocolAspect(o: Observation, eo: EdgeOrigin): OriginAspect | undefined {
  const custom = eo.origin.CustomOriginConfig;
  if (custom === undefined) return undefined;
  const policy = custom.OriginProtocolPolicy ?? 'unset';
  const port = custom.HTTPSPort;
  if (policy === 'https-only' && port === 443) return { state: 'ok' };
  const problem =
    policy === 'https-only'
      ? `CloudFront reaches the origin over HTTPS on port ${port ?? 'unset'}, not 443`
      : `CloudFront reaches the origin with protocol policy ${policy}${port !== 443 ? ` and HTTPS port ${port ?? 'unset'}` : ''}, not https-only on 443`;
  if (o.loadBalancer === undefined) {
    return {
      state: 'stuck',
      problem,
      reason: 'the load balancer behind the distribution is not known, so whether it can serve HTTPS on 443 cannot be told',
    };
  }
  const behavior = eo.edge.config.DefaultCacheBehavior;
  if (behavior !== undefined && hostHeaderForwarded(behavior) === false) {
    return {
      state: 'stuck',
      problem,
      reason: `the default cache behaviour does not forward the Host header, so over HTTPS CloudFront would check the load balancer's certificate against ${bareName(eo.origin.DomainName)}, which no ACM certificate covers (502); forward Host first (origin request policy Managed-AllViewer)`,
    };
  }
  const https = httpsStatus(o);
  switch (https.state) {
    case 'exists':
      return { state: 'fixable', problem, requires: [albSecurityGroupCheck.id] };
    case 'creatable':
      return { state: 'fixable', problem, requires: [httpsListenerCheck.id, albSecurityGroupCheck.id] };
    case 'impossible':
      return {
        state: 'stuck',
        problem,
        reason: `the load balancer cannot serve HTTPS on 443 (${https.reason}); switching the origin to https-only would take the site down`,
        fixFirst: httpsListenerCheck.id,
      };
  }
}

/** The default origin with every fixable aspect fixed (domain → the load balancer, path → empty, protocol → https-only on 443). */
export function desiredOrigin(o: Observation, eo: EdgeOrigin): Origin {
  const origin = structuredClone(eo.origin);
  if (originDomainAspect(o, eo).state === 'fixable' && o.loadBalancer?.DNSName !== undefined) {
    origin.DomainName = loadBalancerDnsName(o.loadBalancer.DNSName);
  }
  if (originPathAspect(eo).state === 'fixable') origin.OriginPath = '';
  if (originProtocolAspect(o, eo)?.state === 'fixable' && origin.CustomOriginConfig !== undefined) {
    origin.CustomOriginConfig = { ...origin.CustomOriginConfig, OriginProtocolPolicy: 'https-only', HTTPSPort: 443 };
  }
  return origin;
}

/**
 * The change every origin check proposes: the whole configuration with the default origin replaced by
 * {@link desiredOrigin}. The origins are a list, which the plan merges as one value, so the origin checks
 * all propose the same origin (every fixable aspect at once) rather than one field each.
 */
export function originChange(
  o: Observation,
  eo: EdgeOrigin,
  reason: string,
  requires: readonly string[],
): ProposedChangeOf<'cloudfront.distribution-config'> | undefined {
  const after = configWith(eo.edge.config, (draft) => {
    const items = draft.Origins?.Items;
    if (items !== undefined) items[eo.index] = desiredOrigin(o, eo);
  });
  return distributionChange(eo.edge, after, reason, requires);
}

/** The origin as evidence: where CloudFront sends the default behaviour's requests, and where the load balancer is. */
export function originEvidence(o: Observation, eo: EdgeOrigin): JsonObject {
  const custom = eo.origin.CustomOriginConfig;
  return {
    distribution: eo.edge.id,
    distributionDomain: eo.edge.domainName,
    originId: eo.origin.Id ?? '',
    originDomain: eo.origin.DomainName ?? '',
    originPath: eo.origin.OriginPath ?? '',
    originProtocolPolicy: custom?.OriginProtocolPolicy ?? null,
    httpsPort: custom?.HTTPSPort ?? null,
    loadBalancerDnsName: o.loadBalancer?.DNSName ?? null,
    hostHeaderForwarded:
      (eo.edge.config.DefaultCacheBehavior === undefined ? undefined : hostHeaderForwarded(eo.edge.config.DefaultCacheBehavior)) ?? null,
  };
}

/** One origin aspect as a detection: nothing when right, the change when fixable, the reason as the next step when stuck. */
export function originDetection(
  o: Observation,
  eo: EdgeOrigin,
  aspect: OriginAspect,
  finding: { readonly severity: 'critical' | 'high' | 'medium'; readonly reason: string },
): Detection[] {
  if (aspect.state === 'ok') return [];
  const base = {
    severity: finding.severity,
    resource: eo.edge.arn,
    title: `CloudFront ${eo.edge.id}: ${aspect.problem}`,
    evidence: originEvidence(o, eo),
  };
  if (aspect.state === 'stuck') return [{ finding: { ...base, nextStep: stuckNextStep(aspect.reason, aspect.fixFirst) } }];
  return [{ finding: base, change: originChange(o, eo, finding.reason, aspect.requires) }];
}

/** "not planned: why", and, when another check's fix must come first and that check failed, "fix it first, then plan again". */
export function stuckNextStep(reason: string, fixFirst: string | undefined): NextStep {
  if (fixFirst === undefined) return `not planned: ${reason}`;
  return pointing([fixFirst], (failed) => `not planned: ${reason}${failed.length > 0 ? `; fix ${fixFirst} first, then plan again` : ''}`);
}

/**
 * How CloudFront talks to the load balancer, for the port-80 redirect: a 301 on port 80 while CloudFront's
 * origin uses HTTP would send CloudFront's own requests back to the viewer in a loop. `switching` when the
 * `cloudfront.origin-protocol` change moves it to HTTPS; `stays-http` when nothing can.
 */
export type EdgeOriginProtocol =
  | { readonly state: 'none' }
  | { readonly state: 'https' }
  | { readonly state: 'switching'; readonly policy: string }
  | { readonly state: 'stays-http'; readonly policy: string; readonly reason: string; readonly fixFirst?: string | undefined };

/** See {@link EdgeOriginProtocol}. `none` when there is no distribution or its origin is not a custom one. */
export function edgeOriginProtocol(o: Observation): EdgeOriginProtocol {
  const eo = edgeOrigin(o);
  const policy = eo?.origin.CustomOriginConfig?.OriginProtocolPolicy;
  if (eo === undefined || policy === undefined) return { state: 'none' };
  if (policy === 'https-only') return { state: 'https' };
  const aspect = originProtocolAspect(o, eo);
  if (aspect?.state === 'fixable') return { state: 'switching', policy };
  return {
    state: 'stays-http',
    policy,
    reason: aspect?.state === 'stuck' ? aspect.reason : 'the origin cannot be switched to HTTPS',
    fixFirst: aspect?.state === 'stuck' ? aspect.fixFirst : undefined,
  };
}
