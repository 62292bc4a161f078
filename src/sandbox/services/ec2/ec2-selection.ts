import type { AwsError } from '../../aws-error.js';

/**
 * The resources named by a Describe request's id list (`GroupId.N`, `SubnetId.N`, …), in the
 * region's order: all of them when the list is absent or empty; the id-type's not-found error for
 * the first id that names nothing.
 */
export function selectByIds<T>(
  resources: readonly T[],
  ids: readonly string[],
  idOf: (resource: T) => string,
  notFound: (id: string) => AwsError,
): T[] {
  if (ids.length === 0) return [...resources];
  const missing = ids.find((id) => !resources.some((r) => idOf(r) === id));
  if (missing !== undefined) throw notFound(missing);
  return resources.filter((r) => ids.includes(idOf(r)));
}
