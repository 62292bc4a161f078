import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

import { regionState, type RegionState, type SandboxState } from '../sandbox-state.js';
import type { ListenerState, LoadBalancerState, TargetGroupState } from '../services/elbv2/elbv2-state.js';
import { targetsOfGroup, type GroupTarget } from './group-targets.js';
import { probeTarget } from './health-probe.js';
import { albAcceptsPort } from './http-probe-security-group.js';
import { unroutedLoadBalancer } from './load-balancer-ingress.js';
import { failure, response, type LayerRequest, type ProbeAnswer, type ProbeHop } from './http-probe-messages.js';
import { targetHealth } from './target-health.js';

const ALB_HEADERS = { server: 'awselb/2.0', 'content-type': 'text/html' } as const;

/**
 * An Application Load Balancer answering a request from the internet (a client, or CloudFront
 * fetching from its origin): internet-facing and active, its security groups let the port in, a
 * listener on the port with the request's protocol; then the first listener rule whose conditions
 * match (host-header, path-pattern), else the default action: `redirect` (301/302 with the Location
 * built from the redirect's template), `fixed-response`, or `forward` to a target group.
 */
export function serveAtLoadBalancer(
  state: SandboxState,
  regionName: string,
  lb: LoadBalancerState,
  request: LayerRequest,
  hops: ProbeHop[],
): ProbeAnswer {
  const region = regionState(state, regionName);
  const name = `${lb.name} (${regionName})`;
  if (lb.scheme !== 'internet-facing') {
    return hopFailure(hops, 'CONNECT_TIMEOUT', `${name} is internal: it cannot be reached from the internet`);
  }
  if (lb.state !== 'active') return hopFailure(hops, 'CONNECT_TIMEOUT', `${name} is ${lb.state}, not active`);
  const unrouted = unroutedLoadBalancer(state, regionName, lb);
  if (unrouted !== undefined) return hopFailure(hops, 'CONNECT_TIMEOUT', `${name}: ${unrouted}`);
  if (!albAcceptsPort(state, regionName, lb, request.port)) {
    return hopFailure(
      hops,
      'CONNECT_TIMEOUT',
      `${name}: its security groups (${lb.securityGroups.join(', ')}) do not allow TCP ${request.port} from 0.0.0.0/0`,
    );
  }
  const listener = region.elbv2.listeners.find((l) => l.loadBalancerArn === lb.arn && l.port === request.port);
  if (listener === undefined) {
    return hopFailure(hops, 'ECONNREFUSED', `${name} has no listener on port ${request.port}: connection refused`);
  }
  if (listener.protocol === 'HTTP' && request.scheme === 'https') {
    return hopFailure(hops, 'TLS_ERROR', `${name}: the listener on port ${listener.port} is HTTP, the TLS handshake fails`);
  }
  if (listener.protocol === 'HTTPS') {
    const certificateArn = listener.certificateArns[0];
    const certificate = region.acm.certificates.find((c) => c.arn === certificateArn);
    if (request.scheme === 'http') {
      hops.push({ layer: 'alb', detail: `${name}: plain HTTP sent to the HTTPS listener on port ${listener.port}` });
      return response(400, { ...ALB_HEADERS }, 'The plain HTTP request was sent to HTTPS port');
    }
    if (certificate === undefined || certificate.status !== 'ISSUED') {
      return hopFailure(
        hops,
        'TLS_ERROR',
        `${name}: the listener's certificate ${certificateArn ?? '(none)'} is ${certificate?.status ?? 'not in ACM'}; the TLS handshake fails`,
      );
    }
  }
  const { actions, matched } = actionsFor(region, listener, request);
  const action = terminalAction(actions);
  hops.push({
    layer: 'alb',
    detail: `${name} ${listener.protocol}:${listener.port} ${matched} → ${action?.Type ?? 'no action'}`,
  });
  switch (action?.Type) {
    case 'redirect':
      return redirect(action, request);
    case 'fixed-response': {
      const config = action.FixedResponseConfig;
      return response(
        Number(config?.StatusCode ?? '503'),
        { server: 'awselb/2.0', 'content-type': config?.ContentType ?? 'text/plain' },
        config?.MessageBody ?? '',
      );
    }
    case 'forward': {
      const targetGroup = forwardedGroup(region, action);
      if (targetGroup === undefined) return response(503, { ...ALB_HEADERS }, '503 Service Temporarily Unavailable');
      return serveFromTargetGroup(state, region, targetGroup, request, hops);
    }
    default:
      return response(503, { ...ALB_HEADERS }, '503 Service Temporarily Unavailable');
  }
}

/** The actions of the first rule that matches, else the listener's default actions. */
function actionsFor(region: RegionState, listener: ListenerState, request: LayerRequest): { actions: Action[]; matched: string } {
  const rules = region.elbv2.rules.filter((r) => r.listenerArn === listener.arn).sort((a, b) => Number(a.priority) - Number(b.priority));
  for (const rule of rules) {
    const matches = rule.conditions.every((condition) => {
      if (condition.field === 'host-header') return condition.values.some((v) => wildcardMatch(v, request.host, 'i'));
      if (condition.field === 'path-pattern') return condition.values.some((v) => wildcardMatch(v, request.path, ''));
      return false; // other conditions (headers, methods, source IPs) are not simulated: such a rule never matches
    });
    if (matches) return { actions: rule.actions, matched: `rule ${rule.priority}` };
  }
  return { actions: listener.defaultActions, matched: 'default rule' };
}

/** The action that answers: the first forward, redirect or fixed-response by `Order`. */
function terminalAction(actions: readonly Action[]): Action | undefined {
  return [...actions]
    .sort((a, b) => (a.Order ?? 0) - (b.Order ?? 0))
    .find((a) => a.Type === 'forward' || a.Type === 'redirect' || a.Type === 'fixed-response');
}

/** The redirect's answer: `#{protocol}`, `#{host}`, `#{port}`, `#{path}` and `#{query}` filled from the request. */
function redirect(action: Action, request: LayerRequest): ProbeAnswer {
  const config = action.RedirectConfig;
  const fill = (template: string): string =>
    template
      .replace(/#\{protocol\}/g, request.scheme)
      .replace(/#\{host\}/g, request.host)
      .replace(/#\{port\}/g, String(request.port))
      .replace(/#\{path\}/g, request.path.replace(/^\//, ''))
      .replace(/#\{query\}/g, request.query);
  const protocol = fill(config?.Protocol ?? '#{protocol}').toLowerCase();
  const query = fill(config?.Query ?? '#{query}');
  const location = `${protocol}://${fill(config?.Host ?? '#{host}')}:${fill(config?.Port ?? '#{port}')}${fill(config?.Path ?? '/#{path}')}${query === '' ? '' : `?${query}`}`;
  const status = config?.StatusCode === 'HTTP_302' ? 302 : 301;
  return response(status, { ...ALB_HEADERS, location }, `<html><head><title>${status} Moved</title></head></html>`);
}

function forwardedGroup(region: RegionState, action: Action): TargetGroupState | undefined {
  const weighted = [...(action.ForwardConfig?.TargetGroups ?? [])].sort((a, b) => (b.Weight ?? 1) - (a.Weight ?? 1));
  const arn = action.TargetGroupArn ?? weighted.find((t) => (t.Weight ?? 1) > 0)?.TargetGroupArn;
  return region.elbv2.targetGroups.find((tg) => tg.arn === arn);
}

/**
 * The target group's answer: a healthy target's; with none healthy the load balancer fails open
 * to every registered target that runs; with none running, 503.
 */
function serveFromTargetGroup(
  state: SandboxState,
  region: RegionState,
  targetGroup: TargetGroupState,
  request: LayerRequest,
  hops: ProbeHop[],
): ProbeAnswer {
  const targets = targetsOfGroup(region, targetGroup).map((target) => ({
    target,
    health: targetHealth({ state, region, targetGroup, target }),
  }));
  const healthy = targets.filter((t) => t.health.State === 'healthy');
  const running = targets.filter((t) => t.target.task !== undefined);
  const chosen = healthy[0] ?? running[0];
  const routing =
    healthy.length > 0
      ? 'to a healthy target'
      : running.length > 0
        ? `none healthy: failing open to all ${running.length} running targets`
        : 'no running target';
  hops.push({
    layer: 'target-group',
    detail: `${targetGroup.name}: ${targets.length} targets, ${healthy.length} healthy; ${routing}`,
  });
  if (chosen === undefined) return response(503, { ...ALB_HEADERS }, '503 Service Temporarily Unavailable');
  return serveFromTarget(state, region, targetGroup, chosen.target, chosen.health.State ?? 'unknown', request, hops);
}

function serveFromTarget(
  state: SandboxState,
  region: RegionState,
  targetGroup: TargetGroupState,
  target: GroupTarget,
  health: string,
  request: LayerRequest,
  hops: ProbeHop[],
): ProbeAnswer {
  const result = probeTarget(state, region, target, { protocol: targetGroup.protocol, port: target.port, path: request.path });
  const where = `${target.id}:${target.port} (${health})`;
  if (result.kind === 'timeout') {
    hops.push({ layer: 'target', detail: `${where} did not answer in time` });
    return response(504, { ...ALB_HEADERS }, '504 Gateway Time-out');
  }
  hops.push({ layer: 'target', detail: `${where} answered ${result.status} to ${request.method} ${request.path}` });
  return response(result.status, {});
}

/** `*` (any run of characters) and `?` (one character) wildcards, as ALB conditions use them (host names ignore case, paths do not). */
function wildcardMatch(pattern: string, value: string, flags: 'i' | ''): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, flags).test(value);
}

function hopFailure(hops: ProbeHop[], code: 'CONNECT_TIMEOUT' | 'ECONNREFUSED' | 'TLS_ERROR', message: string): ProbeAnswer {
  hops.push({ layer: 'alb', detail: message });
  return failure(code, message);
}
