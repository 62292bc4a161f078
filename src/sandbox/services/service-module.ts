import type { SandboxState } from '../sandbox-state.js';
import type { SandboxCaller } from '../accounts/account-credentials.js';
import type { AccountDirectory } from '../accounts/sandbox-accounts.js';
import type { WireProtocol } from '../protocols/wire-protocol.js';
import type { InputReader, InvalidInput } from './input-reader.js';

/** What a handler knows about the request besides its input. */
export interface RequestContext {
  /** The region of the request (from its SigV4 credential scope). */
  readonly region: string;
  /** The time of the request; use it for every timestamp the request creates. */
  readonly now: Date;
  readonly requestId: string;
  /** The time scale of AWS's convergence delays (see `simulation/convergence.ts`); 0 or absent: at once. */
  readonly timeScale?: number | undefined;
  /** Who signed the request, when its credentials name an account or a role session (absent: the account's user). */
  readonly caller?: SandboxCaller | undefined;
  /** The accounts the sandbox serves (for STS AssumeRole); absent: only the one account. */
  readonly accounts?: AccountDirectory | undefined;
}

/**
 * One AWS operation: reads and changes `state` (a working copy, committed only when the handler
 * returns), returns the output members as a plain object (`Date` values are timestamps), and throws
 * an `AwsError` to answer with an AWS error (the state is then left unchanged).
 */
export type OperationHandler = (state: SandboxState, input: InputReader, ctx: RequestContext) => object;

/**
 * A simulated AWS service: its wire protocol and its operations. Adding a service is writing one
 * of these and listing it in `services/registry.ts` (and, when it has regional resources, adding
 * its state to `RegionState`).
 */
export interface ServiceModule {
  /** The sandbox's name of the service, used in call records: `elbv2`, `ecs`, `acm`, `sts`. */
  readonly name: string;
  readonly protocol: WireProtocol;
  /** The service's validation error for malformed input. */
  readonly invalidInput: InvalidInput;
  readonly operations: Readonly<Record<string, OperationHandler>>;
}

/** The handler of `operation`, if the service has it. */
export function operationHandler(service: ServiceModule, operation: string): OperationHandler | undefined {
  return Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
}
