import { ErrorCode, RemediateError } from '../engine/errors.js';

/** An AWS call that failed, with the service's own error code kept for checks to branch on. */
export class AwsCallError extends RemediateError {
  /** AWS's error code, e.g. `LoadBalancerNotFound`, `AccessDenied`, or a network code such as `ECONNREFUSED`. */
  readonly awsCode: string;
  readonly service: string;
  readonly operation: string;
  readonly httpStatus: number | undefined;

  constructor(args: {
    service: string;
    operation: string;
    awsCode: string;
    message: string;
    httpStatus?: number | undefined;
    cause: unknown;
  }) {
    const code = classify(args.awsCode);
    super(code, `${args.service} ${args.operation} failed: ${args.awsCode}: ${args.message}`, {
      hint: hintFor(code, args.awsCode),
      details: { service: args.service, operation: args.operation, awsCode: args.awsCode, httpStatus: args.httpStatus ?? null },
      cause: args.cause,
    });
    this.name = 'AwsCallError';
    this.awsCode = args.awsCode;
    this.service = args.service;
    this.operation = args.operation;
    this.httpStatus = args.httpStatus;
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

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN', 'ETIMEDOUT', 'TimeoutError', 'EHOSTUNREACH']);

function classify(awsCode: string): ErrorCode {
  if (credentialCodes.has(awsCode)) return ErrorCode.Credentials;
  return networkCodes.has(awsCode) ? ErrorCode.Unreachable : ErrorCode.Aws;
}

function hintFor(code: ErrorCode, awsCode: string): string | undefined {
  if (code === ErrorCode.Credentials) {
    return 'check your AWS credentials (aws sts get-caller-identity, --profile, or aws sso login)';
  }
  if (accessCodes.has(awsCode)) return 'the caller lacks an IAM permission: see `remediate iam-policy` or docs/checks.md';
  if (networkCodes.has(awsCode)) return 'check --endpoint-url / --region and the network; nothing was changed by this call';
  return undefined;
}

/** True when an error is an AWS call failure with one of the given AWS codes. */
export function isAwsError(error: unknown, ...codes: string[]): error is AwsCallError {
  return error instanceof AwsCallError && (codes.length === 0 || codes.includes(error.awsCode));
}

/** Wraps any error thrown by an SDK call into an AwsCallError (RemediateErrors pass through). */
export function toAwsCallError(service: string, operation: string, error: unknown): RemediateError {
  if (error instanceof RemediateError) return error;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  const rawCode = typeof e.code === 'string' && networkCodes.has(e.code) ? e.code : e.name;
  const awsCode = typeof rawCode === 'string' && rawCode !== 'Error' ? rawCode : 'UnknownError';
  const message = typeof e.message === 'string' && e.message !== '' ? firstLine(e.message) : 'no message';
  return new AwsCallError({ service, operation, awsCode, message, httpStatus: e.$metadata?.httpStatusCode, cause: error });
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? text;
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}
