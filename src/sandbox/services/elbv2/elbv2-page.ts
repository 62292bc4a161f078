import type { InputReader } from '../input-reader.js';
import { elbv2Errors } from './elbv2-errors.js';

/**
 * The largest and default page of the ELBv2 Describe operations that page (DescribeLoadBalancers,
 * DescribeTargetGroups): ELBv2 API reference, `PageSize`: "The maximum number of results to return with this
 * call", valid range 1 to 400; the default is 400.
 */
export const ELBV2_MAX_PAGE_SIZE = 400;

/** One page of an ELBv2 Describe operation: `PageSize` (1–400, default 400) items from `Marker` (a marker the sandbox handed out). */
export function elbv2Page<T>(items: readonly T[], input: InputReader): { items: T[]; nextMarker?: string } {
  const size = input.optionalInteger('PageSize') ?? ELBV2_MAX_PAGE_SIZE;
  if (size < 1 || size > ELBV2_MAX_PAGE_SIZE) {
    throw elbv2Errors.validation(
      `1 validation error detected: Value '${size}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and ${ELBV2_MAX_PAGE_SIZE}`,
    );
  }
  const marker = input.optionalString('Marker');
  let offset = 0;
  if (marker !== undefined) {
    const match = /^sandbox-elbv2:(\d+)$/.exec(Buffer.from(marker, 'base64').toString('utf8'));
    if (match === null) throw elbv2Errors.validation('Invalid marker');
    offset = Number(match[1]);
  }
  const end = offset + size;
  const page = items.slice(offset, end);
  return end < items.length ? { items: page, nextMarker: Buffer.from(`sandbox-elbv2:${end}`, 'utf8').toString('base64') } : { items: page };
}
