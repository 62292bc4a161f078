import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

/** The Elastic Load Balancing v2 resources of one region. */
export interface Elbv2State {
  loadBalancers: LoadBalancerState[];
  listeners: ListenerState[];
  /** Non-default listener rules (each listener's default rule is derived from the listener). */
  rules: RuleState[];
  targetGroups: TargetGroupState[];
}

/** An Application Load Balancer. */
export interface LoadBalancerState {
  arn: string;
  name: string;
  type: 'application';
  scheme: 'internet-facing' | 'internal';
  dnsName: string;
  canonicalHostedZoneId: string;
  vpcId: string;
  /** ISO 8601. */
  createdTime: string;
  state: 'active' | 'provisioning' | 'failed';
  ipAddressType: 'ipv4' | 'dualstack';
  availabilityZones: { zoneName: string; subnetId: string }[];
  securityGroups: string[];
}

/**
 * A listener. `defaultActions` are kept exactly as DescribeListeners returns them
 * (forward actions carry both `TargetGroupArn` and `ForwardConfig`; redirects have their defaults filled in).
 */
export interface ListenerState {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: 'HTTP' | 'HTTPS';
  /** Only on HTTPS listeners. */
  sslPolicy?: string;
  /** The default certificate first; only on HTTPS listeners. */
  certificateArns: string[];
  defaultActions: Action[];
  /** The id (last ARN segment) of the listener's default rule. */
  defaultRuleId: string;
}

/** A listener rule other than the default one. */
export interface RuleState {
  arn: string;
  listenerArn: string;
  /** "1" … "50000". */
  priority: string;
  conditions: { field: string; values: string[] }[];
  actions: Action[];
}

/** A target group's health-check settings, as ModifyTargetGroup changes them. */
export interface HealthCheckState {
  enabled: boolean;
  protocol: 'HTTP' | 'HTTPS';
  /** `traffic-port` or a port number as a string. */
  port: string;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThresholdCount: number;
  unhealthyThresholdCount: number;
  /** The success codes: `200`, `200,302`, `200-399`. */
  matcher: string;
}

/** A target group. Its targets are its `registeredTargets` plus the running tasks of the ECS services bound to it. */
export interface TargetGroupState {
  arn: string;
  name: string;
  protocol: 'HTTP' | 'HTTPS';
  protocolVersion: 'HTTP1' | 'HTTP2' | 'GRPC';
  port: number;
  vpcId: string;
  targetType: 'ip' | 'instance';
  ipAddressType: 'ipv4' | 'ipv6';
  healthCheck: HealthCheckState;
  /** Targets registered by hand (RegisterTargets); ECS registers its tasks implicitly. */
  registeredTargets: RegisteredTarget[];
  /**
   * Since when each target's health checks pass or fail (kept by a sandbox with a time scale, see
   * `simulation/health-convergence.ts`); absent: never recorded (the group is as its scenario built it).
   */
  healthHistory?: TargetHealthHistory[];
}

/** One target's health-check verdict and since when it holds. */
export interface TargetHealthHistory {
  id: string;
  port: number;
  passing: boolean;
  /** ISO 8601: when the verdict last changed (or the target was first seen). */
  since: string;
  /** ISO 8601: when the target was first seen. */
  registeredAt: string;
}

/** A target registered in a target group. */
export interface RegisteredTarget {
  /** IP address (target type ip) or instance id. */
  id: string;
  port: number;
  availabilityZone?: string;
}

/** An empty ELBv2 region. */
export function emptyElbv2State(): Elbv2State {
  return { loadBalancers: [], listeners: [], rules: [], targetGroups: [] };
}
