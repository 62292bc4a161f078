/**
 * Fargate's task sizes: the memory (MiB) each CPU size allows
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */
const SIZES: readonly { readonly cpu: number; readonly memory: readonly number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: steps(1024, 4096, 1024) },
  { cpu: 1024, memory: steps(2048, 8192, 1024) },
  { cpu: 2048, memory: steps(4096, 16384, 1024) },
  { cpu: 4096, memory: steps(8192, 30720, 1024) },
  { cpu: 8192, memory: steps(16384, 61440, 4096) },
  { cpu: 16384, memory: steps(32768, 122880, 8192) },
];

/** A Fargate task size. */
export interface FargateSize {
  readonly cpu: number;
  readonly memory: number;
}

/**
 * The smallest valid Fargate size with at least `memory` MiB, keeping `cpu` when it allows that much, else
 * the smallest larger CPU that does. Undefined when no size has that much memory.
 */
export function fargateSizeWithMemory(cpu: number, memory: number): FargateSize | undefined {
  for (const size of SIZES) {
    if (size.cpu < cpu) continue;
    const fits = size.memory.find((m) => m >= memory);
    if (fits !== undefined) return { cpu: size.cpu, memory: fits };
  }
  return undefined;
}

/** Whether Fargate has a size with that CPU and memory. */
export function isFargateSize(size: FargateSize): boolean {
  return SIZES.some((s) => s.cpu === size.cpu && s.memory.includes(size.memory));
}

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let value = from; value <= to; value += step) out.push(value);
  return out;
}
