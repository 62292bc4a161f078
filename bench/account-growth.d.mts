/** Types of bench/account-growth.mjs, for the tests that grow an account with it. */
export function growAccount(options: {
  readonly endpoint: string;
  readonly region: string;
  readonly domain: string;
  readonly n: number;
  readonly records?: number;
}): Promise<void>;
