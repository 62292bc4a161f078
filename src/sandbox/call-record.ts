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
  /** The region of the request, from its SigV4 credential scope. */
  readonly region: string;
  /** True unless the operation's name starts with Describe, List or Get. */
  readonly mutating: boolean;
  /** The HTTP status answered. */
  readonly status: number;
  /** The AWS error code, when the call failed. */
  readonly errorCode?: string | undefined;
}

/** A call record before the store gives it its sequence number. */
export type CallDraft = Omit<CallRecord, 'seq'>;

/** True unless the operation only reads (its name starts with Describe, List or Get). */
export function isMutatingOperation(operation: string): boolean {
  return !/^(Describe|List|Get)/.test(operation);
}
