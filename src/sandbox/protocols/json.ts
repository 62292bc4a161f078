import { AwsError } from '../aws-error.js';
import { mediaType, type SandboxHttpRequest, type SandboxHttpResponse } from './http-message.js';
import type { WireProtocol } from './wire-protocol.js';
import { isPlainObject } from './xml-writer.js';

/**
 * AWS JSON RPC (1.0 and 1.1: ECS, ACM, CloudWatch Logs): a POST to `/` whose `X-Amz-Target` header
 * names `<TargetPrefix>.<Operation>`, with the input and output as JSON bodies. Timestamps travel
 * as epoch seconds; errors as `{"__type": "Code", "message": "…"}` plus the `x-amzn-ErrorType` header.
 */

/** How one service speaks JSON RPC. */
export interface JsonRpcProtocolOptions {
  /** The `X-Amz-Target` prefix, e.g. `AmazonEC2ContainerServiceV20141113`, `CertificateManager`. */
  readonly targetPrefix: string;
  /** `1.1` (ECS, ACM, Logs) or `1.0`. */
  readonly jsonVersion: '1.0' | '1.1';
}

/** The JSON RPC protocol for one service. */
export function jsonRpcProtocol(options: JsonRpcProtocolOptions): WireProtocol {
  const contentType = `application/x-amz-json-${options.jsonVersion}`;
  const prefix = `${options.targetPrefix}.`;
  const headers = (requestId: string): Record<string, string> => ({
    'content-type': contentType,
    'x-amzn-RequestId': requestId,
  });
  return {
    kind: `json-${options.jsonVersion}`,
    claims(request: SandboxHttpRequest): boolean {
      return request.method === 'POST' && (request.headers['x-amz-target'] ?? '').startsWith(prefix);
    },
    operationOf(request: SandboxHttpRequest): string | undefined {
      const target = request.headers['x-amz-target'] ?? '';
      return target.startsWith(prefix) && target.length > prefix.length ? target.slice(prefix.length) : undefined;
    },
    decodeInput(request: SandboxHttpRequest): unknown {
      const type = mediaType(request);
      if (type !== '' && type !== contentType && type !== 'application/json') {
        throw new AwsError('SerializationException', `Unexpected content type ${type}; expected ${contentType}.`);
      }
      const text = request.body.toString('utf8').trim();
      if (text === '') return {};
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch (error) {
        throw new AwsError('SerializationException', `The request body is not valid JSON: ${(error as Error).message}`);
      }
      if (!isPlainObject(input)) throw new AwsError('SerializationException', 'The request body must be a JSON object.');
      return input;
    },
    encodeOutput(_operation: string, output: object, requestId: string): SandboxHttpResponse {
      return { status: 200, headers: headers(requestId), body: JSON.stringify(toJsonWire(output) ?? {}) };
    },
    encodeError(error: AwsError, requestId: string): SandboxHttpResponse {
      return {
        status: error.status,
        headers: { ...headers(requestId), 'x-amzn-ErrorType': error.code },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
    },
    unknownOperation(operation: string | undefined): AwsError {
      return new AwsError(
        'UnknownOperationException',
        operation === undefined ? 'The request names no operation.' : `Unknown operation ${operation}.`,
      );
    },
  };
}

/** A value as it travels in a JSON RPC body. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * `value` as JSON RPC sends it: `Date` → epoch seconds (a number, with milliseconds as a fraction),
 * `undefined` members dropped.
 */
export function toJsonWire(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as JSON`);
    return value;
  }
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map((item: unknown) => toJsonWire(item) ?? null);
  if (isPlainObject(value)) {
    const out: Record<string, JsonValue> = {};
    for (const [key, member] of Object.entries(value)) {
      const wire = toJsonWire(member);
      if (wire !== undefined) out[key] = wire;
    }
    return out;
  }
  throw new TypeError(`cannot write a ${typeof value} as JSON`);
}
