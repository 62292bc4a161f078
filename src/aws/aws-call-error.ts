import { DeadlinePassed, ErrorCode, RemediateError } from '../model/errors.js';

/** An AWS call that failed, with the service's own error code kept for checks to branch on. */
export class AwsCallError extends RemediateError {
  /** AWS's error code, e.g. `LoadBalancerNotFound`, `AccessDenied`, or a network code such as `ECONNREFUSED`. */
  readonly awsCode: string;
  readonly service: string;
  readonly operation: string;
  readonly httpStatus: number | undefined;
  /** How many attempts the SDK made (its retries included), when it says; more than 1: an earlier attempt may have been made and its answer lost. */
  readonly attempts: number | undefined;

  constructor(args: {
    service: string;
    operation: string;
    awsCode: string;
    message: string;
    httpStatus?: number | undefined;
    /** Where the call went (scheme, host, port), when the HTTP layer said. */
    endpoint?: string | undefined;
    attempts?: number | undefined;
    cause: unknown;
  }) {
    const code = classify(args.awsCode);
    const at = args.endpoint !== undefined ? ` at ${args.endpoint}` : '';
    super(code, `${args.service} ${args.operation}${at} failed: ${args.awsCode}: ${args.message}`, {
      hint: hintFor(code, args.awsCode),
      details: {
        service: args.service,
        operation: args.operation,
        awsCode: args.awsCode,
        httpStatus: args.httpStatus ?? null,
        ...(args.endpoint !== undefined ? { endpoint: args.endpoint } : {}),
      },
      cause: args.cause,
    });
    this.name = 'AwsCallError';
    this.awsCode = args.awsCode;
    this.service = args.service;
    this.operation = args.operation;
    this.httpStatus = args.httpStatus;
    this.attempts = args.attempts;
  }
}

const credentialCodes = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'AuthFailure',
  'TokenRefreshRequired',
  'RequestExpired',
]);

const accessCodes = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException']);

const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'TimeoutError',
  'EHOSTUNREACH',
  'EPROTO',
]);

const neverSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

function classify(awsCode: string): ErrorCode {
  if (credentialCodes.has(awsCode)) return ErrorCode.Credentials;
  return networkCodes.has(awsCode) ? ErrorCode.Unreachable : ErrorCode.Aws;
}

function hintFor(code: ErrorCode, awsCode: string): string | undefined {
  if (code === ErrorCode.Credentials) {
    return 'check your AWS credentials (aws sts get-caller-identity, --profile, or aws sso login)';
  }
  if (accessCodes.has(awsCode)) return 'the caller lacks an IAM permission: see `remediate iam-policy` or docs/checks.md';
  if (awsCode === 'EPROTO')
    return 'an https:// endpoint that speaks plain HTTP (LocalStack, moto, remediate sandbox serve) needs http://; nothing was changed by this call';
  // Refused or unresolved: the request never left. Timed out or reset: it may have reached AWS.
  if (neverSentCodes.has(awsCode)) return 'check --endpoint-url / --region and the network; nothing was changed by this call';
  if (networkCodes.has(awsCode))
    return 'check --endpoint-url / --region and the network, or raise --connect-timeout / --read-timeout (seconds, 0 = none)';
  return undefined;
}

/** True when an error is an AWS call failure with one of the given AWS codes. */
export function isAwsError(error: unknown, ...codes: string[]): error is AwsCallError {
  return error instanceof AwsCallError && (codes.length === 0 || codes.includes(error.awsCode));
}

/** Wraps any error thrown by an SDK call into an AwsCallError (RemediateErrors pass through). */
export function toAwsCallError(service: string, operation: string, error: unknown): RemediateError {
  if (error instanceof RemediateError) return error;
  if (error instanceof DeadlinePassed) return deadlineError(service, operation, error);
  const e = error as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number; attempts?: number };
    $endpoint?: unknown;
  };
  // A timeout keeps its name (TimeoutError) even when the SDK also sets code ETIMEDOUT.
  const rawCode = e.name === 'TimeoutError' ? e.name : typeof e.code === 'string' && networkCodes.has(e.code) ? e.code : e.name;
  const awsCode = typeof rawCode === 'string' && rawCode !== 'Error' ? rawCode : 'UnknownError';
  const raw = typeof e.message === 'string' && e.message !== '' ? firstLine(e.message) : 'no message';
  // OpenSSL's own words are a line of internals: say what happened.
  const tls = `the TLS handshake failed (${/wrong version number/.test(raw) ? 'the endpoint answered in something else than TLS' : 'protocol error'})`;
  const message = awsCode === 'TimeoutError' ? timeoutText(raw) : awsCode === 'EPROTO' ? tls : raw;
  const endpoint = typeof e.$endpoint === 'string' ? e.$endpoint : undefined;
  return new AwsCallError({
    service,
    operation,
    awsCode,
    message,
    httpStatus: e.$metadata?.httpStatusCode,
    attempts: e.$metadata?.attempts,
    endpoint,
    cause: error,
  });
}

/** A call not started, or ended, because the command's deadline passed: what it was doing, and where. */
function deadlineError(service: string, operation: string, error: DeadlinePassed): RemediateError {
  const endpoint = (error as { $endpoint?: unknown }).$endpoint;
  const at = typeof endpoint === 'string' ? ` at ${endpoint}` : '';
  return new RemediateError(
    ErrorCode.Deadline,
    `${error.deadline} passed during ${service} ${operation}${at}: no further AWS call was made`,
    {
      hint: 'raise --deadline, in seconds (0: none), or see why the endpoint is slow with --log-level debug',
      details: { service, operation, deadline: error.deadline, ...(typeof endpoint === 'string' ? { endpoint } : {}) },
      cause: error,
    },
  );
}

/** The SDK's timeout message in the terms of remediate's flags. */
function timeoutText(message: string): string {
  const ms = /(\d+) ms/.exec(message)?.[1];
  const after = ms !== undefined ? ` within ${Number(ms) / 1000} s` : '';
  if (/did not establish a connection/.test(message)) return `no connection${after} (--connect-timeout)`;
  if (/timed out after .* inactivity/.test(message)) return `no answer${after} (--read-timeout)`;
  return message;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
