/**
 * One attempt of one AWS call, as the HTTP layer saw it: what `--log-level debug` prints, one line each. Never a
 * header, a body or a credential: only these fields.
 */
export interface AwsCallRecord {
  /** remediate's name of the service: `elbv2`, `ecs`, `route53`, … (as in error messages and the sandbox's call log). */
  readonly service: string;
  /** The API operation, e.g. `DescribeListeners`. */
  readonly operation: string;
  /** The region the request was signed for. */
  readonly region: string;
  /** Scheme, host and port the request went to. */
  readonly endpoint: string | null;
  /** The HTTP status answered; null when no answer came (refused, reset, timed out). */
  readonly status: number | null;
  readonly latencyMs: number;
  /** 1 for the first attempt, 2 for the first retry, … (the SDK's `amz-sdk-request` header). */
  readonly attempt: number | null;
  readonly maxAttempts: number | null;
  /** AWS's request id (`x-amzn-RequestId`, `x-amz-request-id`), when the answer carried one. */
  readonly requestId: string | null;
  /** The error's name when the attempt failed (`ThrottlingException`, `TimeoutError`, …). */
  readonly error: string | null;
}

/** The start of an attempt: what a progress line shows as awaited. */
export interface AwsCallStart {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
}

/** Told of every attempt of every AWS call (set up where the clients are made). */
export interface AwsCallObserver {
  started?(call: AwsCallStart): void;
  finished(record: AwsCallRecord): void;
}
