import type { AwsError } from '../aws-error.js';

/** The request a fault hook is asked about (after routing, before the state is touched). */
export interface FaultContext {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly requestId: string;
}

/**
 * A custom fault hook, for tests that need a fault the configuration cannot express. Called for every routed AWS
 * request before the configured faults (`FaultOptions`: rates, rules, latency, consistency lag); it may wait, and it
 * may answer instead of the service with an `AwsError`, which is recorded like any other failed call and leaves the
 * state unchanged (the configured faults are then not applied). Returning undefined lets the request through to
 * the configured faults.
 */
export type FaultHook = (request: FaultContext) => Promise<AwsError | undefined> | AwsError | undefined;
