/**
 * Fargate's task sizes: the CPU units and memory (MiB) a task may have, and the way ECS reads them
 * (`256` or `0.25 vCPU`; `512`, `0.5GB` or `1 GB`).
 */

/** The memory sizes (MiB) Fargate allows for each CPU size. */
const SIZES: ReadonlyArray<{ cpu: number; memory: readonly number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let value = from; value <= to; value += step) out.push(value);
  return out;
}

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

/** Whether Fargate has a configuration with that CPU and memory. */
export function isFargateSize(cpu: number, memory: number): boolean {
  return SIZES.some((size) => size.cpu === cpu && size.memory.includes(memory));
}
