/**
 * How a fleet runs its stacks, as SSM Automation runs targets
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_StartAutomationExecution.html): at most
 * `concurrency` at once, in order; once more than `maxErrors` have failed no new one starts (3: the fourth error
 * stops it; 0: the first), and those already running finish, so a fleet may end with more errors than `maxErrors`
 * unless `concurrency` is 1. Also stops starting new ones once `signal` is aborted.
 */
export interface PoolLimits {
  readonly concurrency: number;
  readonly maxErrors: number;
  /** Errors already counted before the pool starts (the accounts that could not be listed). */
  readonly errorsBefore?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

export type PoolOutcome<R> =
  | { readonly status: 'done'; readonly value: R }
  | { readonly status: 'failed'; readonly error: unknown }
  | { readonly status: 'not-started' };

/**
 * Runs `work` over `items` under the limits; an item counts as an error when its work throws, or when `failed` says
 * so of what it returned. The outcomes are in the order of `items`.
 */
export async function runPool<T, R>(
  items: readonly T[],
  limits: PoolLimits,
  work: (item: T, index: number) => Promise<R>,
  failed: (value: R) => boolean = () => false,
): Promise<PoolOutcome<R>[]> {
  const outcomes: PoolOutcome<R>[] = items.map(() => ({ status: 'not-started' }));
  let errors = limits.errorsBefore ?? 0;
  let next = 0;
  const stopped = (): boolean => errors > limits.maxErrors || limits.signal?.aborted === true;
  const lane = async (): Promise<void> => {
    while (next < items.length && !stopped()) {
      const index = next++;
      const item = items[index] as T;
      try {
        const value = await work(item, index);
        if (failed(value)) errors += 1;
        outcomes[index] = { status: 'done', value };
      } catch (error) {
        errors += 1;
        outcomes[index] = { status: 'failed', error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(limits.concurrency, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return outcomes;
}
