import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

import { digitId, hexId } from '../../resource-ids.js';
import { ensureRegionState, type SandboxState } from '../../sandbox-state.js';
import type { SubnetState } from '../../services/ec2/ec2-state.js';
import { listenerArn, loadBalancerArn, targetGroupArn } from '../../services/elbv2/elbv2-arns.js';
import type { HealthCheckState, ListenerState, LoadBalancerState, TargetGroupState } from '../../services/elbv2/elbv2-state.js';
import { DEFAULT_SSL_POLICY } from '../../services/elbv2/ssl-policies.js';
import { albHostedZoneId } from '../../services/elbv2/alb-hosted-zones.js';

/** Adds an internet-facing (or internal) Application Load Balancer in the given subnets. */
export function addApplicationLoadBalancer(
  state: SandboxState,
  region: string,
  spec: {
    name: string;
    vpcId: string;
    subnets: readonly SubnetState[];
    securityGroups: readonly string[];
    createdTime: Date;
    scheme?: 'internet-facing' | 'internal';
    /** 16 hex digits; derived from the name when absent. */
    id?: string;
  },
): LoadBalancerState {
  const id = spec.id ?? hexId(`${state.account}:${region}:loadbalancer:${spec.name}`);
  const scheme = spec.scheme ?? 'internet-facing';
  const lb: LoadBalancerState = {
    arn: loadBalancerArn(region, state.account, spec.name, id),
    name: spec.name,
    type: 'application',
    scheme,
    dnsName: `${scheme === 'internal' ? 'internal-' : ''}${spec.name}-${digitId(id, 10)}.${region}.elb.amazonaws.com`,
    canonicalHostedZoneId: albHostedZoneId(region),
    vpcId: spec.vpcId,
    createdTime: spec.createdTime.toISOString(),
    state: 'active',
    ipAddressType: 'ipv4',
    availabilityZones: spec.subnets.map((s) => ({ zoneName: s.availabilityZone, subnetId: s.subnetId })),
    securityGroups: [...spec.securityGroups],
  };
  ensureRegionState(state, region).elbv2.loadBalancers.push(lb);
  return lb;
}

/** AWS's defaults for an HTTP target group's health check. */
export const DEFAULT_HEALTH_CHECK: HealthCheckState = Object.freeze({
  enabled: true,
  protocol: 'HTTP',
  port: 'traffic-port',
  path: '/',
  intervalSeconds: 30,
  timeoutSeconds: 5,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  matcher: '200',
});

/** Adds an HTTP target group of target type `ip`. */
export function addTargetGroup(
  state: SandboxState,
  region: string,
  spec: { name: string; vpcId: string; port: number; healthCheck?: Partial<HealthCheckState>; id?: string },
): TargetGroupState {
  const id = spec.id ?? hexId(`${state.account}:${region}:targetgroup:${spec.name}`);
  const tg: TargetGroupState = {
    arn: targetGroupArn(region, state.account, spec.name, id),
    name: spec.name,
    protocol: 'HTTP',
    protocolVersion: 'HTTP1',
    port: spec.port,
    vpcId: spec.vpcId,
    targetType: 'ip',
    ipAddressType: 'ipv4',
    healthCheck: { ...DEFAULT_HEALTH_CHECK, ...spec.healthCheck },
    registeredTargets: [],
  };
  ensureRegionState(state, region).elbv2.targetGroups.push(tg);
  return tg;
}

/** Adds a listener; HTTPS listeners need `certificateArn` and get `sslPolicy` or the default one. */
export function addListener(
  state: SandboxState,
  region: string,
  spec: {
    loadBalancer: LoadBalancerState;
    port: number;
    protocol: 'HTTP' | 'HTTPS';
    defaultActions: Action[];
    certificateArn?: string;
    sslPolicy?: string;
  },
): ListenerState {
  const seed = `${spec.loadBalancer.arn}:listener:${spec.port}`;
  const listener: ListenerState = {
    arn: listenerArn(spec.loadBalancer.arn, hexId(seed)),
    loadBalancerArn: spec.loadBalancer.arn,
    port: spec.port,
    protocol: spec.protocol,
    ...(spec.protocol === 'HTTPS' ? { sslPolicy: spec.sslPolicy ?? DEFAULT_SSL_POLICY } : {}),
    certificateArns: spec.protocol === 'HTTPS' && spec.certificateArn !== undefined ? [spec.certificateArn] : [],
    defaultActions: spec.defaultActions,
    defaultRuleId: hexId(`${seed}:default-rule`),
  };
  if (spec.protocol === 'HTTPS' && listener.certificateArns.length === 0) {
    throw new Error(`HTTPS listener on port ${spec.port} needs a certificate`);
  }
  ensureRegionState(state, region).elbv2.listeners.push(listener);
  return listener;
}

/** A forward action to one target group, as AWS describes it. */
export function forwardTo(targetGroup: TargetGroupState): Action {
  return {
    Type: 'forward',
    TargetGroupArn: targetGroup.arn,
    ForwardConfig: {
      TargetGroups: [{ TargetGroupArn: targetGroup.arn, Weight: 1 }],
      TargetGroupStickinessConfig: { Enabled: false },
    },
  };
}

/** A permanent redirect to HTTPS:443, as AWS describes it. */
export function redirectToHttps(): Action {
  return {
    Type: 'redirect',
    RedirectConfig: {
      Protocol: 'HTTPS',
      Port: '443',
      Host: '#{host}',
      Path: '/#{path}',
      Query: '#{query}',
      StatusCode: 'HTTP_301',
    },
  };
}
