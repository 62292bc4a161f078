import type { InputReader } from '../input-reader.js';
import { ecsErrors } from './ecs-errors.js';

/**
 * One page of an ECS List operation (`maxResults` 1–100, default `defaultMax`; `nextToken` the sandbox handed
 * out, else `InvalidParameterException`). The defaults are the API reference's: ListClusters and ListTasks
 * return up to 100 results without `maxResults`, ListServices "returns up to 10 results".
 */
export function listPage<T>(items: readonly T[], input: InputReader, defaultMax = 100): { items: T[]; nextToken?: string } {
  const max = input.optionalInteger('maxResults') ?? defaultMax;
  if (max < 1 || max > 100) throw ecsErrors.invalidParameter('maxResults must be between 1 and 100.');
  const token = input.optionalString('nextToken');
  let offset = 0;
  if (token !== undefined) {
    const match = /^sandbox-ecs:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (match === null) throw ecsErrors.invalidParameter('Invalid nextToken.');
    offset = Number(match[1]);
  }
  const end = offset + max;
  const page = items.slice(offset, end);
  return end < items.length ? { items: page, nextToken: Buffer.from(`sandbox-ecs:${end}`, 'utf8').toString('base64') } : { items: page };
}
