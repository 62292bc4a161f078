import { randomUUID } from 'node:crypto';

import { AwsError } from '../aws-error.js';
import { isMutatingOperation, type CallDraft } from '../call-record.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../protocols/http-message.js';
import { credentialScope } from '../protocols/sigv4-scope.js';
import { xmlEscape } from '../protocols/xml-writer.js';
import { InputReader } from '../services/input-reader.js';
import { operationHandler, type ServiceModule } from '../services/service-module.js';
import type { SandboxStore, StoreWork } from '../store/sandbox-store.js';
import type { FaultHook } from './faults.js';

/** What the pipeline needs besides the request. */
export interface PipelineOptions {
  readonly store: SandboxStore;
  readonly services: readonly ServiceModule[];
  readonly clock: () => Date;
  readonly faults?: FaultHook | undefined;
  /** Told about every unexpected error (a bug or a broken store), after the 500 has been recorded. */
  readonly onInternalError?: ((error: unknown) => void) | undefined;
}

/** The region of requests that carry no SigV4 credential scope. */
export const DEFAULT_REGION = 'us-east-1';

/**
 * Handles one AWS request: route it to the service whose protocol claims it, let the fault hook
 * have its say, decode the input, then in ONE store transaction run the operation on the state,
 * keep the changes if it succeeded, and record the call; only then encode the response.
 */
export async function handleAwsRequest(request: SandboxHttpRequest, options: PipelineOptions): Promise<SandboxHttpResponse> {
  const requestId = randomUUID();
  const now = options.clock();
  const scope = credentialScope(request);
  const region = scope?.region ?? DEFAULT_REGION;
  const service = options.services.find((s) => s.protocol.claims(request, scope));
  const draft = (serviceName: string, operation: string, status: number, errorCode?: string): CallDraft => ({
    at: now.toISOString(),
    service: serviceName,
    operation,
    region,
    mutating: isMutatingOperation(operation),
    status,
    ...(errorCode === undefined ? {} : { errorCode }),
  });
  const record = (call: CallDraft): void => {
    options.store.transact(() => ({ value: undefined, keep: false, call }));
  };

  if (service === undefined) {
    const operation = describeUnrouted(request);
    const error = new AwsError('UnknownService', `No simulated service handles this request (${operation}).`);
    record(draft('unknown', operation, error.status, error.code));
    return unroutedResponse(error, requestId);
  }
  const protocol = service.protocol;
  const operation = protocol.operationOf(request);
  const handler = operation === undefined ? undefined : operationHandler(service, operation);
  if (operation === undefined || handler === undefined) {
    const error = protocol.unknownOperation(operation);
    record(draft(service.name, operation ?? '(none)', error.status, error.code));
    return protocol.encodeError(error, requestId);
  }

  const fault = options.faults === undefined ? undefined : await options.faults({ service: service.name, operation, region, requestId });
  if (fault !== undefined) {
    record(draft(service.name, operation, fault.status, fault.code));
    return protocol.encodeError(fault, requestId);
  }

  let input: InputReader;
  try {
    input = new InputReader(protocol.decodeInput(request, operation), service.invalidInput);
  } catch (error) {
    if (!(error instanceof AwsError)) throw error;
    record(draft(service.name, operation, error.status, error.code));
    return protocol.encodeError(error, requestId);
  }

  let internal: unknown;
  const outcome = options.store.transact((state): StoreWork<Outcome> => {
    try {
      const output = handler(state, input, { region, now, requestId });
      return { value: { ok: true, output }, keep: true, call: draft(service.name, operation, 200) };
    } catch (error) {
      const aws = error instanceof AwsError ? error : internalFailure(error);
      if (!(error instanceof AwsError)) internal = error;
      return { value: { ok: false, error: aws }, keep: false, call: draft(service.name, operation, aws.status, aws.code) };
    }
  });
  if (internal !== undefined) options.onInternalError?.(internal);
  if (!outcome.ok) return protocol.encodeError(outcome.error, requestId);
  try {
    return protocol.encodeOutput(operation, outcome.output, requestId);
  } catch (error) {
    // The call is already committed; an output the protocol cannot write is a sandbox bug.
    options.onInternalError?.(error);
    return protocol.encodeError(internalFailure(error), requestId);
  }
}

/** How an operation ended. */
type Outcome = { readonly ok: true; readonly output: object } | { readonly ok: false; readonly error: AwsError };

function internalFailure(error: unknown): AwsError {
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError('InternalFailure', `The sandbox failed: ${message}`, 500);
}

/** A short description of a request no service claims, for the call record. */
function describeUnrouted(request: SandboxHttpRequest): string {
  const target = request.headers['x-amz-target'];
  if (target !== undefined) return target;
  return `${request.method} ${request.path}`;
}

function unroutedResponse(error: AwsError, requestId: string): SandboxHttpResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>${error.faultType}</Type>` +
      `<Code>${xmlEscape(error.code)}</Code><Message>${xmlEscape(error.message)}</Message></Error>` +
      `<RequestId>${xmlEscape(requestId)}</RequestId></ErrorResponse>\n`,
  };
}
