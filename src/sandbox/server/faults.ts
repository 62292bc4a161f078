import type { AwsError } from '../aws-error.js';

/** The request a fault hook is asked about (after routing, before the state is touched). */
export interface FaultContext {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly requestId: string;
}

/**
 * The one place fault injection hooks into the request pipeline. Called for every routed AWS
 * request before it is handled; it may wait (latency), and it may answer instead of the service
 * with an `AwsError` (throttling, 5xx), which is recorded like any other failed call and leaves
 * the state unchanged. Returning undefined lets the request through.
 *
 * Not built yet: the fault policies themselves (rates, schedules), connection resets and
 * eventual consistency (stale reads), which will extend this contract.
 */
export type FaultHook = (request: FaultContext) => Promise<AwsError | undefined> | AwsError | undefined;
