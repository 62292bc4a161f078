import { logsErrors } from './logs-errors.js';

/**
 * The `nextToken`s of CloudWatch Logs list operations: opaque to callers, here the offset of the
 * next item. A token the sandbox did not hand out is `InvalidParameterException`.
 */

/** The token for the page starting at `offset`. */
export function pageToken(offset: number): string {
  return Buffer.from(`sandbox-page:${offset}`, 'utf8').toString('base64');
}

/** The offset a request's `nextToken` points at (0 without a token). */
export function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const match = /^sandbox-page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  if (match === null) throw logsErrors.invalidNextToken();
  return Number(match[1]);
}

/** One page of `items` from `offset`, with the token of the next page when there are more. */
export function page<T>(items: readonly T[], offset: number, limit: number): { items: T[]; nextToken?: string } {
  const slice = items.slice(offset, offset + limit);
  return offset + limit < items.length ? { items: slice, nextToken: pageToken(offset + limit) } : { items: slice };
}
