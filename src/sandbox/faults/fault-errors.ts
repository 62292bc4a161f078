import { AwsError } from '../aws-error.js';

/**
 * The error families of the AWS wire protocols, which answer the same fault with different codes:
 * `query` (ELBv2, STS), `ec2` (EC2's own Query dialect), `json` (ECS, ACM, CloudWatch Logs), `rest-xml`
 * (CloudFront, Route53).
 */
export type ProtocolFamily = 'query' | 'ec2' | 'json' | 'rest-xml';

/**
 * The family of a service's protocol, from the service's name and its `WireProtocol.kind`
 * (`query`, `json-1.1`, `rest-xml`; EC2 is recognised by its name or a kind starting with `ec2`).
 */
export function protocolFamily(service: string, protocolKind: string): ProtocolFamily {
  if (service === 'ec2' || protocolKind.startsWith('ec2')) return 'ec2';
  if (protocolKind.startsWith('json')) return 'json';
  if (protocolKind.startsWith('rest')) return 'rest-xml';
  return 'query';
}

/**
 * The throttling error each family answers with; every code is one the AWS SDK's retry strategy classifies as
 * throttling (`THROTTLING_ERROR_CODES` of `@smithy/core`'s retry), so the SDK retries it with backoff. `code`
 * (one of those codes) replaces the family's code, with the family's status.
 */
export function throttlingError(family: ProtocolFamily, code?: string): AwsError {
  if (code !== undefined) return new AwsError(code, 'Rate exceeded', family === 'ec2' ? 503 : 400);
  switch (family) {
    case 'ec2':
      return new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503);
    case 'json':
      return new AwsError('ThrottlingException', 'Rate exceeded', 400);
    case 'query':
    case 'rest-xml':
      return new AwsError('Throttling', 'Rate exceeded', 400);
  }
}

/**
 * A server error: 500 `InternalFailure` (EC2: `InternalError`) or 503 `ServiceUnavailable` (EC2: `Unavailable`).
 * The SDK retries both as transient (their status codes are in `TRANSIENT_ERROR_STATUS_CODES`).
 */
export function serverError(family: ProtocolFamily, status: 500 | 503): AwsError {
  if (status === 503) {
    return family === 'ec2'
      ? new AwsError('Unavailable', "The server is overloaded and can't handle the request.", 503)
      : new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
  }
  return family === 'ec2'
    ? new AwsError('InternalError', 'An internal error has occurred.', 500)
    : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}

/**
 * The access-denied error of each family: `AccessDenied` 403 (Query, REST-XML), `UnauthorizedOperation` 403 (EC2),
 * `AccessDeniedException` 400 (JSON), with AWS's message naming the caller, the action and the resource.
 * The SDK does not retry it.
 */
export function accessDeniedError(family: ProtocolFamily, callerArn: string, action: string, resource = '*'): AwsError {
  const denial = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource} with an explicit deny in an identity-based policy`;
  switch (family) {
    case 'ec2':
      return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${denial}`, 403);
    case 'json':
      return new AwsError('AccessDeniedException', denial, 400);
    case 'query':
    case 'rest-xml':
      return new AwsError('AccessDenied', denial, 403);
  }
}
