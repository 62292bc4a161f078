/**
 * A deep copy of a part of the state (plain JSON by contract, see `SandboxState`) for an answer to hold. A JSON
 * round trip rather than `structuredClone`, which cannot copy the copy-on-write drafts a request's work is given
 * (`store/working-copy.ts`).
 */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
