import type { Observation } from '../observe/observation.js';
import { bareName, loadBalancerDnsName } from '../aws/dns-names.js';
import type { JsonObject } from '../model/json-value.js';
import type { Prober, ProbeReply, ProbeRequest } from './prober.js';
import type { ProbeId, ProbeOutcome } from './verify-result.js';

/** Response headers kept as evidence: they say who answered (CloudFront, the load balancer, the app) and where to. */
const evidenceHeaders = ['server', 'location', 'content-type', 'via', 'x-cache', 'x-amz-cf-pop'] as const;

/** How many characters of an unexpected body are kept as evidence. */
const BODY_EVIDENCE_CHARS = 200;

/** The path the health probes request: the stack's public health path, else the target group's health-check path. */
function healthPathOf(observation: Observation): string | undefined {
  const path = observation.stack.healthPath ?? observation.targetGroup?.HealthCheckPath;
  return path === undefined || path === '' ? undefined : path.startsWith('/') ? path : `/${path}`;
}

/**
 * The HTTP proof tests of the seed audits, sent through `prober`, at once:
 * - `domain-health`: `GET https://<domain><health path>` through the domain answers 200;
 * - `domain-root`: `GET https://<domain>/` answers 200;
 * - `alb-direct`: `GET https://<load balancer DNS name><health path>` with `Host: <domain>` and SNI `<domain>` answers 200;
 * - `http-redirect`: `GET http://<domain>/` answers 301 to `https://`; skipped when nothing is meant to answer HTTP
 *   (no CloudFront distribution and no listener on port 80).
 * A probe that cannot be formed (no health path, no load balancer found) fails: verify never passes what it could not prove.
 */
export async function httpProbes(observation: Observation, prober: Prober): Promise<ProbeOutcome[]> {
  const domain = bareName(observation.stack.domain);
  const healthPath = healthPathOf(observation);
  const albDns = observation.loadBalancer?.DNSName !== undefined ? loadBalancerDnsName(observation.loadBalancer.DNSName) : undefined;
  const hasDistribution = observation.distribution !== undefined;
  const port80 = observation.listeners.some((l) => l.Port === 80);

  const domainHealth =
    healthPath === undefined
      ? cannot(
          'domain-health',
          `HTTPS GET https://${domain}/<health path> through the domain`,
          '200',
          'no health path: the stack names none and no target group was found',
        )
      : exchange(
          prober,
          'domain-health',
          `HTTPS GET https://${domain}${healthPath} through the domain`,
          { url: `https://${domain}${healthPath}` },
          status200,
        );
  const domainRoot = exchange(
    prober,
    'domain-root',
    `HTTPS GET https://${domain}/ through the domain`,
    { url: `https://${domain}/` },
    status200,
  );
  const albDirect =
    albDns === undefined || healthPath === undefined
      ? cannot(
          'alb-direct',
          `HTTPS GET of the load balancer directly, Host: ${domain}`,
          '200',
          albDns === undefined
            ? `no load balancer was found behind ${domain}`
            : 'no health path: the stack names none and no target group was found',
        )
      : exchange(
          prober,
          'alb-direct',
          `HTTPS GET https://${albDns}${healthPath} (the load balancer directly), Host: ${domain}, SNI ${domain}`,
          { url: `https://${albDns}${healthPath}`, headers: { Host: domain }, serverName: domain },
          status200,
        );
  const redirect =
    !hasDistribution && !port80
      ? Promise.resolve<ProbeOutcome>({
          id: 'http-redirect',
          title: `HTTP GET http://${domain}/ redirects to HTTPS`,
          status: 'skipped',
          expected: '301 to https://',
          observed: 'skipped: nothing is meant to answer HTTP (no CloudFront distribution, no listener on port 80)',
          evidence: { cloudfront: false, port80Listener: false },
        })
      : exchange(
          prober,
          'http-redirect',
          `HTTP GET http://${domain}/ redirects to HTTPS`,
          { url: `http://${domain}/` },
          redirectToHttps(domain),
        );
  return Promise.all([domainHealth, domainRoot, albDirect, redirect]);
}

/** A pass rule: the expected answer in words, and whether a reply meets it. */
interface Expectation {
  readonly expected: string;
  readonly met: (reply: ProbeReply) => boolean;
}

const status200: Expectation = { expected: '200', met: (r) => r.status === 200 };

function redirectToHttps(domain: string): Expectation {
  return {
    expected: `301 to https://${domain}/`,
    met: (r) => r.status === 301 && /^https:\/\//i.test(r.headers['location'] ?? ''),
  };
}

async function exchange(
  prober: Prober,
  id: ProbeId,
  title: string,
  request: ProbeRequest,
  expectation: Expectation,
): Promise<ProbeOutcome> {
  const reply = await prober.probe(request);
  if (reply.notSent !== undefined) {
    return {
      id,
      title,
      status: 'not-run',
      expected: expectation.expected,
      observed: `not run: ${reply.notSent}`,
      evidence: { request: requestEvidence(request), via: prober.description, reason: reply.notSent },
    };
  }
  const met = expectation.met(reply);
  return {
    id,
    title,
    status: met ? 'passed' : 'failed',
    expected: expectation.expected,
    observed: observedLine(reply),
    evidence: evidenceOf(request, reply, prober, met),
  };
}

function cannot(id: ProbeId, title: string, expected: string, why: string): Promise<ProbeOutcome> {
  return Promise.resolve({ id, title, status: 'failed', expected, observed: `not probed: ${why}`, evidence: { reason: why } });
}

/** `502 from CloudFront (Error from cloudfront)`, `301 → https://arquantix.com/`, `no response: ECONNREFUSED …`. */
function observedLine(reply: ProbeReply): string {
  if (reply.status === null)
    return `no response: ${reply.error?.code ?? 'NETWORK'}${reply.error !== undefined ? ` (${reply.error.message})` : ''}`;
  const server = reply.headers['server'];
  const location = reply.headers['location'];
  const cache = reply.headers['x-cache'];
  return [
    String(reply.status),
    server !== undefined ? ` from ${server}` : '',
    location !== undefined ? ` → ${location}` : '',
    cache !== undefined ? ` (${cache})` : '',
  ].join('');
}

function requestEvidence(request: ProbeRequest): JsonObject {
  return {
    method: 'GET',
    url: request.url,
    ...(request.headers !== undefined ? { headers: { ...request.headers } } : {}),
    ...(request.serverName !== undefined ? { serverName: request.serverName } : {}),
  };
}

function evidenceOf(request: ProbeRequest, reply: ProbeReply, prober: Prober, met: boolean): JsonObject {
  const headers: JsonObject = {};
  for (const name of evidenceHeaders) {
    const value = reply.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  return {
    request: requestEvidence(request),
    via: prober.description,
    ...(reply.connection !== undefined ? { connection: { ...reply.connection, rules: [...reply.connection.rules] } } : {}),
    status: reply.status,
    headers,
    hops: reply.hops.map((h) => `${h.layer}: ${h.detail}`),
    ...(reply.error !== undefined ? { error: { code: reply.error.code, message: reply.error.message } } : {}),
    ...(!met && reply.body !== undefined && reply.body !== ''
      ? { body: reply.body.replace(/\s+/g, ' ').slice(0, BODY_EVIDENCE_CHARS) }
      : {}),
  };
}
