import type { AwsCallObserver } from '../aws-call-observer.js';
import type { DeserializeMiddleware } from './sdk-call.js';

/**
 * The middleware that reports every attempt of every call to an observer: it sits in the deserialize step, inside the
 * SDK's retry loop, so a retried call is one record per attempt. It reads only the request's endpoint and
 * `amz-sdk-request` header (attempt=N; max=M) and the response's status and request id: never another header (the
 * Authorization header holds the access key id), a body or a credential.
 */
export function observingCalls(
  service: string,
  region: string,
  observer: AwsCallObserver,
  endpointOf: (request: unknown) => string | undefined,
): DeserializeMiddleware {
  return (next, context) => async (args) => {
    const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
    const { attempt, maxAttempts } = attemptOf(args.request);
    const endpoint = endpointOf(args.request) ?? null;
    observer.started?.({ service, operation, region });
    const started = performance.now();
    const finish = (response: unknown, error: string | null, metadataStatus?: number, metadataRequestId?: string) =>
      observer.finished({
        service,
        operation,
        region,
        endpoint,
        status: statusOf(response) ?? metadataStatus ?? null,
        latencyMs: Math.round(performance.now() - started),
        attempt,
        maxAttempts,
        requestId: requestIdOf(response) ?? metadataRequestId ?? null,
        error,
      });
    try {
      const result = await next(args);
      finish(result !== null && typeof result === 'object' && 'response' in result ? result.response : undefined, null);
      return result;
    } catch (error) {
      const e = (error ?? {}) as { name?: unknown; $response?: unknown; $metadata?: { httpStatusCode?: number; requestId?: string } };
      finish(e.$response, typeof e.name === 'string' ? e.name : 'Error', e.$metadata?.httpStatusCode, e.$metadata?.requestId);
      throw error;
    }
  };
}

function headersOf(message: unknown): Record<string, unknown> {
  if (message === null || typeof message !== 'object' || !('headers' in message)) return {};
  const headers = message.headers;
  return headers !== null && typeof headers === 'object' ? (headers as Record<string, unknown>) : {};
}

/** The header, whatever its case (the SDK writes `amz-sdk-request`; Node lowercases what it reads). */
function header(message: unknown, name: string): string | undefined {
  for (const [key, value] of Object.entries(headersOf(message))) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function attemptOf(request: unknown): { attempt: number | null; maxAttempts: number | null } {
  const value = header(request, 'amz-sdk-request') ?? '';
  const attempt = /attempt=(\d+)/.exec(value)?.[1];
  const max = /max=(\d+)/.exec(value)?.[1];
  return { attempt: attempt === undefined ? null : Number(attempt), maxAttempts: max === undefined ? null : Number(max) };
}

function statusOf(response: unknown): number | undefined {
  if (response === null || typeof response !== 'object' || !('statusCode' in response)) return undefined;
  return typeof response.statusCode === 'number' ? response.statusCode : undefined;
}

function requestIdOf(response: unknown): string | undefined {
  return header(response, 'x-amzn-requestid') ?? header(response, 'x-amz-request-id');
}
