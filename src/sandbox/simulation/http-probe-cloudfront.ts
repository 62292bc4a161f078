import type { CacheBehavior, DefaultCacheBehavior, Origin } from '@aws-sdk/client-cloudfront';

import type { SandboxState } from '../sandbox-state.js';
import type { DistributionState } from '../services/cloudfront/cloudfront-state.js';
import { ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID } from '../services/cloudfront/managed-policies.js';
import { certificateCovers, viewerCertificateByArn } from '../services/cloudfront/viewer-certificates.js';
import { serveAtLoadBalancer } from './http-probe-alb.js';
import { resolveHost } from './http-probe-dns.js';
import { failure, response, type LayerRequest, type ProbeAnswer, type ProbeHop } from './http-probe-messages.js';

/**
 * A CloudFront distribution answering a viewer: TLS with a certificate covering the server name
 * (its own `*.cloudfront.net` one, or the viewer certificate for an alias), the Host among its
 * names, enabled; the cache behavior of the path (none is cached: the sandbox's distributions pass
 * every request to the origin) and its viewer protocol policy (`redirect-to-https` → 301,
 * `https-only` → 403 over HTTP); then the origin, over the protocol and port its origin protocol
 * policy says, with the origin path prefixed. The origin must be a load balancer of the account (by
 * its DNS name, or a name that resolves to one); origin failures become 502 (refused, TLS) and 504
 * (timeout), and the origin's answers (redirects included) pass through.
 */
export function serveAtEdge(state: SandboxState, distribution: DistributionState, request: LayerRequest, hops: ProbeHop[]): ProbeAnswer {
  const config = distribution.config;
  const aliases = (config.Aliases?.Items ?? []).map((a) => a.toLowerCase());
  const label = `distribution ${distribution.id} (${distribution.domainName})`;
  const ownName = distribution.domainName.toLowerCase();

  if (request.port !== (request.scheme === 'https' ? 443 : 80)) {
    const message = `${request.serverName}: CloudFront listens on 80 (HTTP) and 443 (HTTPS) only, not ${request.scheme} on ${request.port}`;
    hops.push({ layer: 'cloudfront', detail: message });
    return failure('CONNECT_TIMEOUT', message);
  }
  if (request.scheme === 'https') {
    const problem = tlsProblem(state, distribution, request.serverName, aliases);
    if (problem !== undefined) {
      hops.push({ layer: 'cloudfront', detail: `${label}: ${problem}` });
      return failure('TLS_ERROR', `${request.serverName}: ${problem}`);
    }
  }
  if (request.host !== ownName && !aliases.includes(request.host)) {
    hops.push({ layer: 'cloudfront', detail: `${label}: Host ${request.host} is not one of its alternate domain names` });
    return edgeError(403, "Bad request. We can't connect to the server for this app or website at this time.");
  }
  if (config.Enabled !== true) {
    hops.push({ layer: 'cloudfront', detail: `${label} is disabled` });
    return edgeError(403, 'Bad request. The distribution is disabled.');
  }
  const behavior = behaviorFor(config.CacheBehaviors?.Items ?? [], config.DefaultCacheBehavior, request.path);
  if (behavior === undefined) return edgeError(502, 'The distribution has no default cache behavior.');
  const policy = behavior.ViewerProtocolPolicy ?? 'allow-all';
  if (request.scheme === 'http' && policy === 'redirect-to-https') {
    hops.push({ layer: 'cloudfront', detail: `${label}: viewer protocol policy redirect-to-https → 301` });
    const query = request.query === '' ? '' : `?${request.query}`;
    return response(301, { ...edgeHeaders('Redirect'), location: `https://${request.host}${request.path}${query}` }, movedBody());
  }
  if (request.scheme === 'http' && policy === 'https-only') {
    hops.push({ layer: 'cloudfront', detail: `${label}: viewer protocol policy https-only refuses HTTP → 403` });
    return edgeError(403, 'Bad request. This distribution only accepts HTTPS.');
  }

  const origin = originFor(config.Origins?.Items ?? [], config.OriginGroups?.Items ?? [], behavior.TargetOriginId ?? '');
  if (origin === undefined) {
    hops.push({ layer: 'cloudfront', detail: `${label}: origin ${behavior.TargetOriginId ?? ''} does not exist` });
    return edgeError(502, "CloudFront wasn't able to connect to the origin.");
  }
  const custom = origin.CustomOriginConfig;
  if (custom === undefined) {
    hops.push({
      layer: 'cloudfront',
      detail: `${label}: origin ${origin.Id ?? ''} is not a custom origin; S3 and VPC origins are not simulated`,
    });
    return edgeError(502, "CloudFront wasn't able to connect to the origin.");
  }
  const originPolicy = custom.OriginProtocolPolicy ?? 'match-viewer';
  const scheme = originPolicy === 'http-only' ? 'http' : originPolicy === 'https-only' ? 'https' : request.scheme;
  const port = scheme === 'http' ? (custom.HTTPPort ?? 80) : (custom.HTTPSPort ?? 443);
  const originDomain = (origin.DomainName ?? '').toLowerCase();
  const forwardsHost =
    behavior.OriginRequestPolicyId === ALL_VIEWER_ORIGIN_REQUEST_POLICY_ID ||
    (behavior.ForwardedValues?.Headers?.Items ?? []).some((h) => h === '*' || h.toLowerCase() === 'host');
  const path = `${origin.OriginPath ?? ''}${request.path}`;
  hops.push({
    layer: 'cloudfront',
    detail: `${label} ${request.scheme.toUpperCase()} ${request.host}${request.path} (viewer policy ${policy}) → origin ${origin.Id ?? ''} ${scheme}://${originDomain}:${port}${path} (origin policy ${originPolicy})`,
  });

  const originHops: ProbeHop[] = [];
  const resolved = resolveHost(state, originDomain, originHops);
  if (resolved.kind !== 'load-balancer') {
    hops.push(...originHops, {
      layer: 'cloudfront',
      detail: `origin ${originDomain} is no load balancer of the account${resolved.kind === 'failure' ? ` (${resolved.error.message})` : ''}`,
    });
    return edgeError(502, "CloudFront wasn't able to resolve the origin domain name.");
  }
  hops.push(...originHops);
  const answer = serveAtLoadBalancer(
    state,
    resolved.region,
    resolved.loadBalancer,
    {
      method: request.method,
      scheme,
      port,
      serverName: originDomain,
      host: forwardsHost ? request.host : originDomain,
      path,
      query: request.query,
    },
    hops,
  );
  if (answer.kind === 'failure') {
    const timeout = answer.error.code === 'CONNECT_TIMEOUT';
    hops.push({
      layer: 'cloudfront',
      detail: `origin failed (${answer.error.code}) → ${timeout ? 504 : 502}`,
    });
    return timeout
      ? edgeError(
          504,
          'CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.',
        )
      : edgeError(502, "CloudFront wasn't able to connect to the origin.");
  }
  return response(answer.status, { ...answer.headers, ...edgeHeaders('Miss') }, answer.body);
}

/** Why the TLS handshake for `serverName` fails, if it does. */
function tlsProblem(
  state: SandboxState,
  distribution: DistributionState,
  serverName: string,
  aliases: readonly string[],
): string | undefined {
  if (serverName === distribution.domainName.toLowerCase()) return undefined; // *.cloudfront.net
  if (!aliases.includes(serverName)) return `no certificate for ${serverName}: it is not an alternate domain name of the distribution`;
  const arn = distribution.config.ViewerCertificate?.ACMCertificateArn;
  if (arn === undefined) return `the distribution presents its default *.cloudfront.net certificate, which does not cover ${serverName}`;
  const certificate = viewerCertificateByArn(state, arn);
  if (certificate === undefined || certificate.status !== 'ISSUED') {
    return `the viewer certificate ${arn} is ${certificate?.status ?? 'not in ACM us-east-1'}`;
  }
  if (!certificateCovers(certificate, serverName)) return `the viewer certificate ${arn} does not cover ${serverName}`;
  return undefined;
}

/** The cache behavior whose path pattern matches first, else the default one. */
function behaviorFor(
  behaviors: readonly CacheBehavior[],
  fallback: DefaultCacheBehavior | undefined,
  path: string,
): DefaultCacheBehavior | CacheBehavior | undefined {
  return behaviors.find((b) => pathPatternMatches(b.PathPattern ?? '', path)) ?? fallback;
}

/** CloudFront path patterns: `*` any run of characters, `?` one; case-sensitive; a leading `/` optional. */
function pathPatternMatches(pattern: string, path: string): boolean {
  const anchored = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
  const regex = anchored
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(path);
}

/** The origin a behavior targets; an origin group stands for its first member (the primary). */
function originFor(
  origins: readonly Origin[],
  groups: readonly { Id?: string | undefined; Members?: { Items?: { OriginId?: string | undefined }[] | undefined } | undefined }[],
  targetId: string,
): Origin | undefined {
  const group = groups.find((g) => g.Id === targetId);
  const id = group === undefined ? targetId : (group.Members?.Items?.[0]?.OriginId ?? '');
  return origins.find((o) => o.Id === id);
}

function edgeHeaders(cache: 'Miss' | 'Error' | 'Redirect'): Record<string, string> {
  return { via: '1.1 sandbox.cloudfront.net (CloudFront)', 'x-cache': `${cache} from cloudfront` };
}

function edgeError(status: number, message: string): ProbeAnswer {
  return response(
    status,
    { server: 'CloudFront', 'content-type': 'text/html', ...edgeHeaders('Error') },
    `${status} ERROR. The request could not be satisfied. ${message}`,
  );
}

function movedBody(): string {
  return '<html><head><title>301 Moved Permanently</title></head><body><center><h1>301 Moved Permanently</h1></center><hr><center>CloudFront</center></body></html>';
}
