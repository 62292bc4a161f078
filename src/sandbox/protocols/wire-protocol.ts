import type { AwsError } from '../aws-error.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from './http-message.js';
import type { CredentialScope } from './sigv4-scope.js';

/**
 * One AWS wire protocol as configured for one service (Query for ELBv2, JSON 1.1 for ECS, …).
 * The router asks each service's protocol whether it `claims` a request; the first that does
 * decodes it and encodes the answer. A new protocol (REST-XML, EC2 Query) is a new implementation
 * of this interface; the router and the pipeline do not change.
 */
export interface WireProtocol {
  /** `query`, `json-1.1`, `rest-xml`, … (for messages). */
  readonly kind: string;
  /** Whether the request is addressed to this protocol's service. Must not throw. */
  claims(request: SandboxHttpRequest, scope: CredentialScope | undefined): boolean;
  /** The operation the request names, or undefined when it names none. Must not throw. */
  operationOf(request: SandboxHttpRequest): string | undefined;
  /** The request's input as a tree of plain values; throws an `AwsError` when it is malformed. */
  decodeInput(request: SandboxHttpRequest, operation: string): unknown;
  /** The successful response for `output` (a plain object; `Date` values are timestamps). */
  encodeOutput(operation: string, output: object, requestId: string): SandboxHttpResponse;
  /** The error response in the protocol's error shape. */
  encodeError(error: AwsError, requestId: string): SandboxHttpResponse;
  /** The error for an operation the service does not have (`InvalidAction`, `UnknownOperationException`). */
  unknownOperation(operation: string | undefined): AwsError;
}
