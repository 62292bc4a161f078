import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { AwsError } from '../aws-error.js';
import { isMutatingOperation, type CallDraft } from '../call-record.js';
import { actionDenial, deniedError } from '../faults/access-denial.js';
import { credentialError } from '../faults/credential-check.js';
import type { FaultDecision, FaultEngine } from '../faults/fault-engine.js';
import { protocolFamily, serverError, throttlingError } from '../faults/fault-errors.js';
import type { RecordedFault } from '../faults/fault-options.js';
import type { SandboxHttpRequest, SandboxHttpResponse } from '../protocols/http-message.js';
import { credentialScope } from '../protocols/sigv4-scope.js';
import { xmlEscape } from '../protocols/xml-writer.js';
import { InputReader } from '../services/input-reader.js';
import { operationHandler, type ServiceModule } from '../services/service-module.js';
import type { SandboxStore, StoreWork, TransactOptions } from '../store/sandbox-store.js';
import type { FaultHook } from './faults.js';
import { advanceSimulation, settleSimulation } from '../simulation/simulated-time.js';
import { iamAction } from './iam-action.js';
import type { SandboxCaller } from '../accounts/account-credentials.js';
import type { AccountDirectory } from '../accounts/sandbox-accounts.js';

/** What the pipeline needs besides the request. */
export interface PipelineOptions {
  readonly store: SandboxStore;
  readonly services: readonly ServiceModule[];
  readonly clock: () => Date;
  /** The time scale of AWS's convergence delays (see `simulation/convergence.ts`); 0 or absent: at once. */
  readonly timeScale?: number | undefined;
  /** The configured faults (rates, rules, latency, consistency lag); none when absent. */
  readonly faults?: FaultEngine | undefined;
  /** A custom hook asked before the configured faults (see {@link FaultHook}). */
  readonly faultHook?: FaultHook | undefined;
  /** Aborts the delays of latency faults (the server is closing). */
  readonly signal?: AbortSignal | undefined;
  /** Told about every unexpected error (a bug or a broken store), after the 500 has been recorded. */
  readonly onInternalError?: ((error: unknown) => void) | undefined;
  /** Who signed the request, when its credentials name another account or a role session (see `accounts/`). */
  readonly caller?: SandboxCaller | undefined;
  /** The accounts served (for AssumeRole); absent: the one account of `store`. */
  readonly accounts?: AccountDirectory | undefined;
  /** The request's key names an account the sandbox does not serve: answered as a key AWS does not know. */
  readonly unknownAccount?: boolean | undefined;
}

/** What the server does with the connection: answer, or drop it without an answer (a connection reset). */
export type PipelineResult = { readonly kind: 'respond'; readonly response: SandboxHttpResponse } | { readonly kind: 'reset' };

/** The region of requests that carry no SigV4 credential scope. */
export const DEFAULT_REGION = 'us-east-1';

/** The decision for requests when no faults are configured. */
const NO_FAULT: FaultDecision = { fault: undefined, errorStatus: 500, latencyMs: 0, latencyRuleHit: false, consistencyLagMs: 0 };

/**
 * Handles one AWS request: route it to the service whose protocol claims it, decide its faults (the custom hook,
 * then the configured rules and rates), then in ONE store transaction check the access denials, decode the input,
 * run the operation on the state, keep the changes if it succeeded, and record the call (with its IAM action and
 * its fault); only then encode the response, wait out any latency, and answer (or drop the connection for a
 * `reset-after`: the call is committed and recorded, the client sees a reset).
 *
 * With a consistency lag, a successful write also keeps the state as it was before it, and a read within the lag
 * after a write of its region (of any region, for the global CloudFront and Route53) is served from that older
 * state (and saves nothing).
 */
export async function handleAwsRequest(request: SandboxHttpRequest, options: PipelineOptions): Promise<PipelineResult> {
  const requestId = randomUUID();
  const now = options.clock();
  const scope = credentialScope(request);
  const region = scope?.region ?? DEFAULT_REGION;
  const service = options.services.find((s) => s.protocol.claims(request, scope));
  const record = (call: CallDraft): void => {
    options.store.transact(() => ({ value: undefined, keep: false, call }));
  };

  if (service === undefined) {
    const operation = describeUnrouted(request);
    const error = new AwsError('UnknownService', `No simulated service handles this request (${operation}).`);
    record({
      at: now.toISOString(),
      service: 'unknown',
      operation,
      region,
      mutating: isMutatingOperation(operation),
      status: error.status,
      errorCode: error.code,
    });
    return respond(unroutedResponse(error, requestId));
  }
  const protocol = service.protocol;
  const operation = protocol.operationOf(request);
  const draft = (name: string, status: number, extra: Partial<CallDraft> = {}, known = true): CallDraft => ({
    at: now.toISOString(),
    service: service.name,
    operation: name,
    ...(known ? { action: iamAction(service.name, name) } : {}),
    region,
    mutating: isMutatingOperation(name),
    status,
    ...extra,
  });
  const handler = operation === undefined ? undefined : operationHandler(service, operation);
  if (operation === undefined || handler === undefined) {
    // An operation the service does not have needs no IAM action: the call record has none.
    const error = protocol.unknownOperation(operation);
    record(draft(operation ?? '(none)', error.status, { errorCode: error.code }, false));
    return respond(protocol.encodeError(error, requestId));
  }
  const failed = (error: AwsError, extra: Partial<CallDraft> = {}): CallDraft =>
    draft(operation, error.status, { errorCode: error.code, ...extra });

  const hooked =
    options.faultHook === undefined ? undefined : await options.faultHook({ service: service.name, operation, region, requestId });
  if (hooked !== undefined) {
    record(failed(hooked));
    return respond(protocol.encodeError(hooked, requestId));
  }

  const family = protocolFamily(service.name, protocol.kind);
  const rejected = options.unknownAccount === true ? credentialError(family, 'INVALID') : credentialError(family, scope?.accessKeyId);
  if (rejected !== undefined) {
    record(failed(rejected));
    return respond(protocol.encodeError(rejected, requestId));
  }

  // The account a rate limit counts the request against: the caller's, else the store's own (read only then).
  const account = (): string => options.caller?.account ?? options.store.read().account;
  const decision = options.faults?.decide({ service: service.name, operation, region, account }) ?? NO_FAULT;
  // The latency is counted from here, the request's handling included, as a service's own time is part of the wait
  // a client sees: the answer leaves no sooner than `latencyMs` from now, and no later unless the handling itself
  // took longer. (Added after the handling, the sandbox's own work, done one request at a time on its one thread,
  // would lengthen every answer of a burst of concurrent requests by the work of the others, the more so the larger
  // the state: a cost of the sandbox a benchmark would have counted as the client's.)
  const answerAt = performance.now() + decision.latencyMs;
  const wait = (): Promise<void> => {
    const left = answerAt - performance.now();
    return decision.latencyMs > 0 && left > 0 ? sleep(left, undefined, { signal: options.signal }) : Promise.resolve();
  };
  if (decision.fault === 'reset-before') {
    record(draft(operation, 0, { fault: 'reset-before' }));
    await wait();
    return { kind: 'reset' };
  }
  if (decision.fault === 'throttle' || decision.fault === 'error') {
    const error =
      decision.fault === 'throttle' ? throttlingError(family, decision.throttleCode) : serverError(family, decision.errorStatus);
    record(failed(error, { fault: decision.fault }));
    await wait();
    return respond(protocol.encodeError(error, requestId));
  }

  // What the call record says of the fault of a call that reaches the state (`denied` is decided below).
  const recorded: RecordedFault | undefined = decision.fault ?? (decision.latencyRuleHit ? 'latency' : undefined);
  const action = iamAction(service.name, operation);
  const mutating = isMutatingOperation(operation);
  let internal: unknown;
  const outcome = options.store.transact(
    (state, view): StoreWork<Outcome> => {
      const stale = view === 'stale' ? { stale: true } : {};
      if (decision.fault === 'denied' || actionDenial(state, action) !== undefined) {
        const error = deniedError(state, family, action);
        return {
          value: { ok: false, error },
          keep: false,
          call: failed(error, { fault: recorded === 'reset-after' || recorded === 'error-after' ? recorded : 'denied', ...stale }),
        };
      }
      const fault = recorded === undefined ? {} : { fault: recorded };
      try {
        const input = new InputReader(protocol.decodeInput(request, operation), service.invalidInput);
        const timeScale = options.timeScale ?? 0;
        advanceSimulation(state, now, timeScale);
        const output = handler(state, input, { region, now, requestId, timeScale, caller: options.caller, accounts: options.accounts });
        settleSimulation(state, now, timeScale);
        return { value: { ok: true, output }, keep: true, call: draft(operation, 200, { ...fault, ...stale }) };
      } catch (error) {
        const aws = error instanceof AwsError ? error : internalFailure(error);
        if (!(error instanceof AwsError)) internal = error;
        return { value: { ok: false, error: aws }, keep: false, call: failed(aws, { ...fault, ...stale }) };
      }
    },
    consistency(decision.consistencyLagMs, mutating, consistencyScope(service.name, region), now),
  );
  if (internal !== undefined) options.onInternalError?.(internal);

  if (decision.fault === 'reset-after') {
    await wait();
    return { kind: 'reset' };
  }
  if (decision.fault === 'error-after') {
    // Committed (or refused) above; the answer is lost behind a server error.
    await wait();
    return respond(protocol.encodeError(serverError(family, decision.errorStatus), requestId));
  }
  let response: SandboxHttpResponse;
  if (!outcome.ok) {
    response = protocol.encodeError(outcome.error, requestId);
  } else {
    try {
      response = protocol.encodeOutput(operation, outcome.output, requestId);
    } catch (error) {
      // The call is already committed; an output the protocol cannot write is a sandbox bug.
      options.onInternalError?.(error);
      response = protocol.encodeError(internalFailure(error), requestId);
    }
  }
  await wait();
  return respond(response);
}

/** How an operation ended. */
type Outcome = { readonly ok: true; readonly output: object } | { readonly ok: false; readonly error: AwsError };

function respond(response: SandboxHttpResponse): PipelineResult {
  return { kind: 'respond', response };
}

/**
 * The services whose resources are global (kept in `SandboxState.global`): their consistency windows are shared by
 * every region, whichever region a client signs with.
 */
const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['cloudfront', 'route53']);

/** The key of the consistency windows a request takes part in: its region, or `global` for a global service. */
function consistencyScope(service: string, region: string): string {
  return GLOBAL_SERVICES.has(service) ? 'global' : region;
}

/** The transaction's part in eventual consistency: none without a lag; a write keeps a snapshot, a read may be stale. */
function consistency(lagMs: number, mutating: boolean, region: string, now: Date): TransactOptions {
  if (lagMs <= 0) return {};
  const atMs = now.getTime();
  return mutating ? { snapshot: { region, atMs, pruneBeforeMs: atMs - lagMs } } : { staleRead: { region, sinceMs: atMs - lagMs } };
}

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
