/**
 * How ECS reads a task's size (`256` or `0.25 vCPU`; `512`, `0.5GB` or `1 GB`). Which sizes Fargate allows
 * is an AWS fact shared with the checks (`src/aws/facts/fargate-sizes.ts`).
 */

/** CPU units from `256` or `0.25 vCPU`; undefined when unreadable. */
export function parseCpuUnits(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  return match[2] === undefined ? amount : Math.round(amount * 1024);
}

/** MiB from `512`, `0.5GB` or `1 GB`; undefined when unreadable. */
export function parseMemoryMiB(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb)?\s*$/i.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  return match[2] === undefined ? amount : Math.round(amount * 1024);
}
