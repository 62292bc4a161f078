/**
 * What remediate checks: one web stack, named by a stack file, by flags, or by a sandbox scenario.
 * Plain data; `stackDefinition()` fills in the policy defaults.
 */
export interface StackDefinition {
  /** A short name for the stack, used in lock keys and output. Defaults to the load balancer's name. */
  readonly name: string;
  readonly region: string;
  /** The public domain the stack serves, e.g. `arquantix.com`. */
  readonly domain: string;
  /** Load balancer name or ARN. */
  readonly loadBalancer: string;
  /** Target group name or ARN. */
  readonly targetGroup: string;
  /** ECS cluster name or ARN. */
  readonly cluster: string;
  /** ECS service name or ARN. */
  readonly service: string;
  /** The path that answers 200 without authentication, for the load balancer's health check. */
  readonly healthPath: string;
  /** An ACM certificate to use for HTTPS; when absent, one is found in ACM that covers `domain`. */
  readonly certificateArn?: string | undefined;
  readonly policy: Policy;
}

/** The values the checks hold the stack to. */
export interface Policy {
  /** ECS `healthCheckGracePeriodSeconds` must be at least this. */
  readonly minHealthCheckGracePeriodSeconds: number;
  /** The SSL policy given to a new HTTPS listener. */
  readonly tlsPolicy: string;
  /** When set, the target group's health-check matcher (HttpCode) is held to this too. */
  readonly healthCheckMatcher?: string | undefined;
}

export const defaultPolicy: Policy = Object.freeze({
  minHealthCheckGracePeriodSeconds: 180,
  tlsPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
});

/** Input accepted by {@link stackDefinition}: everything but the policy is required; `name` defaults. */
export type StackInput = Omit<StackDefinition, 'name' | 'policy'> & {
  readonly name?: string | undefined;
  readonly policy?: Partial<Policy> | undefined;
};

/** Builds a frozen stack definition with the policy defaults filled in. */
export function stackDefinition(input: StackInput): StackDefinition {
  const policy: Policy = Object.freeze({ ...defaultPolicy, ...stripUndefined(input.policy ?? {}) });
  return Object.freeze({
    ...input,
    name: input.name ?? nameOf(input.loadBalancer),
    policy,
  });
}

function nameOf(loadBalancer: string): string {
  // arn:aws:elasticloadbalancing:region:acct:loadbalancer/app/NAME/ID
  const parts = loadBalancer.split('/');
  return loadBalancer.startsWith('arn:') && parts.length >= 3 ? (parts[2] ?? loadBalancer) : loadBalancer;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
