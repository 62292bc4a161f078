/**
 * What remediate checks, as the user named it (stack file, flags or a sandbox scenario). Only the domain is
 * required: whatever else is missing is discovered by walking the chain from the domain (Route53 →
 * CloudFront → load balancer → target group → ECS service); whatever is given overrides discovery.
 */
export interface StackDefinition {
  /** A short name for the stack in the journal, locks and output. Defaults to the domain. */
  readonly name?: string | undefined;
  /**
   * A default region for what the chain does not say (see {@link RegionSource}): a region written in the chain
   * (an ARN, an ELB DNS name `*.REGION.elb.amazonaws.com`, a certificate ARN) wins over it.
   */
  readonly region?: string | undefined;
  /** Where `region` came from; absent: the stack file or the flags (`--region`). */
  readonly regionSource?: RegionSource | undefined;
  /** The public domain the stack serves, e.g. `arquantix.com`. */
  readonly domain: string;
  /** Load balancer name or ARN. */
  readonly loadBalancer?: string | undefined;
  /** Target group name or ARN. */
  readonly targetGroup?: string | undefined;
  /** ECS cluster name or ARN. */
  readonly cluster?: string | undefined;
  /** ECS service name or ARN. */
  readonly service?: string | undefined;
  /** The path that answers 200 without authentication; when absent, the target group's own path is trusted. */
  readonly healthPath?: string | undefined;
  /**
   * The stack's repository (`--repo`, `repo:`): the real absolute path of a folder whose files the `repo.*` checks
   * read and `repo.file-patch` changes patch. Absent: no file is read.
   */
  readonly repo?: string | undefined;
  /** `--allow-dirty`: a git-tracked file with uncommitted changes may be patched (recorded in each file change). */
  readonly allowDirty?: boolean | undefined;
  /** An ACM certificate to use for HTTPS; when absent, one is found in ACM that covers `domain`. */
  readonly certificateArn?: string | undefined;
  readonly policy: Policy;
}

/**
 * Where a stack's default region came from: `given` (--region, the stack file, the sandbox scenario) or
 * `environment` (AWS_REGION / AWS_DEFAULT_REGION). When the chain says otherwise, the walk follows the chain;
 * a `given` region that disagrees is named in a note.
 */
export type RegionSource = 'given' | 'environment';

/** The values the checks hold the stack to. */
export interface Policy {
  /** ECS `healthCheckGracePeriodSeconds` must be at least this. */
  readonly minHealthCheckGracePeriodSeconds: number;
  /** The SSL policy given to a new HTTPS listener, and to one whose policy is not modern. */
  readonly tlsPolicy: string;
  /** When set, the target group's health-check matcher (HttpCode) is held to this too. */
  readonly healthCheckMatcher?: string | undefined;
  /** Target group health checks: at most this interval… */
  readonly maxHealthCheckIntervalSeconds: number;
  /** …at most this many successes to turn healthy… */
  readonly maxHealthyThresholdCount: number;
  /** …at least this many failures to turn unhealthy. */
  readonly minUnhealthyThresholdCount: number;
  /** A certificate in use must stay valid at least this many days. */
  readonly minCertificateDaysLeft: number;
}

export const defaultPolicy: Policy = Object.freeze({
  minHealthCheckGracePeriodSeconds: 180,
  tlsPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
  maxHealthCheckIntervalSeconds: 30,
  maxHealthyThresholdCount: 2,
  minUnhealthyThresholdCount: 3,
  minCertificateDaysLeft: 30,
});

/** Input accepted by {@link stackDefinition}: the policy may be partial. */
export type StackInput = Omit<StackDefinition, 'policy'> & {
  readonly policy?: Partial<Policy> | undefined;
};

/** The name a stack's plans are kept under: its own name, else its domain. */
export function stackName(stack: Pick<StackDefinition, 'name' | 'domain'>): string {
  return stack.name ?? stack.domain.replace(/\.$/, '').toLowerCase();
}

/** Builds a frozen stack definition with the policy defaults filled in. */
export function stackDefinition(input: StackInput): StackDefinition {
  const policy: Policy = Object.freeze({ ...defaultPolicy, ...stripUndefined(input.policy ?? {}) });
  return Object.freeze({ ...input, policy });
}

/**
 * A stack after discovery: named, in a region, with the identifiers of what was found. The names the
 * user gave are kept; `found` holds the ARNs and ids, whether given or discovered.
 */
export interface ResolvedStack extends StackDefinition {
  readonly name: string;
  readonly region: string;
  readonly found: FoundResources;
}

/** The identifiers discovery found (each absent when that layer could not be reached). */
export interface FoundResources {
  readonly hostedZoneId?: string | undefined;
  readonly distributionId?: string | undefined;
  readonly loadBalancerArn?: string | undefined;
  readonly targetGroupArn?: string | undefined;
  readonly clusterArn?: string | undefined;
  readonly serviceArn?: string | undefined;
  readonly taskDefinitionArn?: string | undefined;
  readonly logGroupName?: string | undefined;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
