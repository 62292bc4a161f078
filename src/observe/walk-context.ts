import type { AwsPorts } from '../aws/ports.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { bareName } from '../aws/dns-names.js';
import { ErrorCode } from '../model/errors.js';
import type { StackDefinition } from '../model/stack-definition.js';
import type { Layer, ObservationGap } from './observation.js';
import type { PortsFor, PortUse } from './port-reads.js';

/** Where the global services (CloudFront, Route53, CloudFront's ACM certificates) are reached. */
export const GLOBAL_REGION = 'us-east-1';

/**
 * What every walker shares: the stack, the clock, the ports (narrowed to the methods the walker declares), and
 * the gaps of the walk, which `attempt` and `missing` record.
 */
export interface Walk<U extends PortUse> {
  readonly spec: StackDefinition;
  readonly now: Date;
  /** The stack's domain, bare (no trailing dot, lower case). */
  readonly domain: string;
  readonly awsFor: (region: string) => PortsFor<U>;
  /** The ports in {@link GLOBAL_REGION}. */
  readonly global: PortsFor<U>;
  /** The gaps so far, in the order they were found. */
  readonly gaps: readonly ObservationGap[];
  /** Runs a read; an AWS error (missing, denied) becomes a gap of `layer` and the read's value undefined. */
  attempt<T>(layer: Layer, resource: string, read: () => Promise<T>): Promise<T | undefined>;
  /** Records that the API answered with nothing where the walk expected a resource. */
  missing(layer: Layer, resource: string, message: string): void;
  /**
   * Marks a read others may await later, or never (when one of them fails first): the walk's outcome, failure
   * included, is what observeStack's final await reports; this only keeps a failure reported there from also
   * surfacing as an unhandled rejection.
   */
  track<T>(promise: Promise<T>): Promise<T>;
}

/** A walk of one stack: its gaps start empty. */
export function startWalk(awsFor: (region: string) => AwsPorts, spec: StackDefinition, now: Date): Walk<Required<PortUse>> {
  const gaps: ObservationGap[] = [];
  return {
    spec,
    now,
    domain: bareName(spec.domain),
    awsFor,
    global: awsFor(GLOBAL_REGION),
    gaps,
    attempt: async <T>(layer: Layer, resource: string, read: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await read();
      } catch (error) {
        if (error instanceof AwsCallError && error.code === ErrorCode.Aws) {
          gaps.push({ layer, resource, code: error.awsCode, message: error.message });
          return undefined;
        }
        throw error;
      }
    },
    missing: (layer, resource, message) => {
      gaps.push({ layer, resource, code: 'NotFound', message });
    },
    track: <T>(promise: Promise<T>): Promise<T> => {
      promise.catch(() => undefined);
      return promise;
    },
  };
}

/** `{ names }` or `{ arns }`, as the value is a name or an ARN. */
export function byNameOrArn(value: string): { names?: string[]; arns?: string[] } {
  return value.startsWith('arn:') ? { arns: [value] } : { names: [value] };
}

/** The region an ARN names, if any. */
export function regionOf(arn: string): string | undefined {
  const parts = arn.split(':');
  return arn.startsWith('arn:') && parts[3] !== undefined && parts[3] !== '' ? parts[3] : undefined;
}
