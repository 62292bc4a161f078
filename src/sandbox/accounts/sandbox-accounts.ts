import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { resourceDenial } from '../faults/access-denial.js';
import { memorySandboxStore } from '../store/memory-store.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { openSandboxStore } from '../store/sqlite-store.js';
import { ACCOUNT_ID, buildAccountState, type AccountSeed } from './account-seed.js';

/**
 * The accounts a sandbox serves besides its default one: account id → a store of its own. The store of each
 * account is an ordinary {@link SandboxStore} (a memory store, or a SQLite file `ACCOUNT.db` in the directory
 * `<default state file>.accounts/`), so nothing of the store changes: a request is served from the store of the
 * account its credentials name (see `account-credentials.ts`), its call recorded there.
 */
export interface SandboxAccounts {
  /** The store of `account`, when the sandbox serves it; undefined otherwise (the default account included). */
  store(account: string): SandboxStore | undefined;
  /** The accounts served besides the default one, sorted. */
  accounts(): string[];
  /** Creates the account, or starts it over, from `seed` (`SandboxError` for a bad account id or scenario). */
  seed(account: string, seed: AccountSeed, now?: Date): SandboxStore;
  close(): void;
}

/** What AssumeRole needs to know of the accounts: whether one is served and whether a role trusts the caller. */
export interface AccountDirectory {
  serves(account: string): boolean;
  /** Whether `sts:AssumeRole` on `roleArn` is denied in its account. */
  deniesRole(account: string, roleArn: string): boolean;
}

/** Accounts kept in this process's memory. */
export function memorySandboxAccounts(): SandboxAccounts {
  const stores = new Map<string, SandboxStore>();
  return {
    store: (account) => stores.get(account),
    accounts: () => [...stores.keys()].sort(),
    seed(account, seed, now = new Date()) {
      const state = buildAccountState(account, seed, now);
      const store = stores.get(account) ?? memorySandboxStore(seed.scenarios[0]);
      store.reset(seed.scenarios[0] ?? 'empty');
      store.update((s) => Object.assign(s, state));
      stores.set(account, store);
      return store;
    },
    close() {
      for (const store of stores.values()) store.close();
      stores.clear();
    },
  };
}

/** The directory of the account stores of the sandbox state file `statePath`. */
export function accountsDirectory(statePath: string): string {
  return `${statePath}.accounts`;
}

/**
 * Accounts kept as SQLite files beside the default state file `statePath` (`<statePath>.accounts/ACCOUNT.db`),
 * shared by every process that opens them, as the default state is. Each file is opened on first use.
 */
export function fileSandboxAccounts(statePath: string): SandboxAccounts {
  const dir = accountsDirectory(statePath);
  const stores = new Map<string, SandboxStore>();
  const onDisk = (): string[] =>
    existsSync(dir)
      ? readdirSync(dir)
          .map((f) => /^(\d{12})\.db$/.exec(f)?.[1])
          .filter((a): a is string => a !== undefined)
      : [];
  const open = (account: string): SandboxStore => {
    let store = stores.get(account);
    if (store === undefined) {
      store = openSandboxStore(join(dir, `${account}.db`));
      stores.set(account, store);
    }
    return store;
  };
  return {
    store: (account) => (ACCOUNT_ID.test(account) && (stores.has(account) || onDisk().includes(account)) ? open(account) : undefined),
    accounts: () => [...new Set([...onDisk(), ...stores.keys()])].sort(),
    seed(account, seed, now = new Date()) {
      const state = buildAccountState(account, seed, now);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const store = open(account);
      store.reset(seed.scenarios[0] ?? 'empty');
      store.update((s) => Object.assign(s, state));
      return store;
    },
    close() {
      for (const store of stores.values()) store.close();
      stores.clear();
    },
  };
}

/** The directory AssumeRole consults: the default store's account and the accounts served besides it. */
export function accountDirectory(defaultStore: SandboxStore, accounts: SandboxAccounts): AccountDirectory {
  const storeOf = (account: string): SandboxStore | undefined =>
    accounts.store(account) ?? (defaultStore.read().account === account ? defaultStore : undefined);
  return {
    serves: (account) => storeOf(account) !== undefined,
    deniesRole(account, roleArn) {
      const store = storeOf(account);
      return store === undefined || resourceDenial(store.read(), 'sts:AssumeRole', roleArn) !== undefined;
    },
  };
}
