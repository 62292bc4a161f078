import type { RecordedFault } from './faults/fault-options.js';

/**
 * One request the sandbox received, as recorded in its call log
 * (so tests can prove what was, and was not, called).
 */
export interface CallRecord {
  /** 1, 2, 3, … in the order the calls were committed; restarts at 1 after a reset. */
  readonly seq: number;
  /** When the call was handled (ISO 8601). */
  readonly at: string;
  /** The sandbox's name of the service: `elbv2`, `ecs`, `acm`, `sts`, …; `unknown` when no service claimed the request. */
  readonly service: string;
  /** The AWS operation name, e.g. `DescribeListeners`. */
  readonly operation: string;
  /**
   * The IAM action the call needs, e.g. `elasticloadbalancing:CreateListener`, `route53:ChangeResourceRecordSets`
   * (see `iamAction`). Absent only when no service claimed the request (`service: 'unknown'`) or the service has no
   * such operation.
   */
  readonly action?: string | undefined;
  /** The region of the request, from its SigV4 credential scope. */
  readonly region: string;
  /** False for the operations that only read (see {@link isMutatingOperation}). */
  readonly mutating: boolean;
  /** The HTTP status answered; 0 when the connection was reset before the request was handled (`fault: 'reset-before'`). */
  readonly status: number;
  /** The AWS error code, when the call failed. */
  readonly errorCode?: string | undefined;
  /**
   * The fault the sandbox injected into this call, when it injected one: `throttle`, `error` and `denied` answered
   * with the protocol's error (status and code above); `reset-before` dropped the connection before handling
   * (status 0, nothing changed); `reset-after` handled and committed the call, then dropped the connection
   * (status is what the answer would have been); `error-after` handled and committed it, then answered a server
   * error (status is what the answer would have been); `latency` delayed the answer.
   */
  readonly fault?: RecordedFault | undefined;
  /**
   * True when a read was served from the state as it was before recent writes (the consistency window of
   * `consistencyLagMs`), false or absent otherwise.
   */
  readonly stale?: boolean | undefined;
}

/** A call record before the store gives it its sequence number. */
export type CallDraft = Omit<CallRecord, 'seq'>;

/**
 * Read operations whose names do not start with a read verb (Describe, List, Get, BatchGet, Search, Lookup, Head).
 * Everything else (Create…, Update…, Modify…, Change…, Authorize…, Register…, Start…) changes something.
 */
const READ_OPERATIONS: ReadonlySet<string> = new Set([
  'FilterLogEvents', // CloudWatch Logs
  'TestDNSAnswer', // Route53
  'TestMetricFilter', // CloudWatch Logs
]);

const READ_VERB = /^(Describe|List|Get|BatchGet|Search|Lookup|Head)[A-Z0-9]/;

/**
 * False for the operations that only read: names starting with Describe, List, Get, BatchGet, Search, Lookup or
 * Head (`DescribeTargetGroups`, `GetDistributionConfig`, `ListResourceRecordSets`, `GetCallerIdentity`) and a few
 * others (`FilterLogEvents`, `TestDNSAnswer`); true for everything else (`ModifyTargetGroup`, `UpdateDistribution`,
 * `ChangeResourceRecordSets`, `AuthorizeSecurityGroupIngress`, `RegisterTaskDefinition`, …). CloudFront's
 * versioned operation names (`UpdateDistribution2020_05_31`) are judged by their base name.
 */
export function isMutatingOperation(operation: string): boolean {
  const base = operation.replace(/\d{4}_\d{2}_\d{2}$/, '');
  return !(READ_VERB.test(base) || READ_OPERATIONS.has(base));
}
