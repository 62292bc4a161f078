import type { ErrorInfo } from '../journal/journal.js';
import type { FleetMember } from '../journal/fleet-records.js';
import { ErrorCode, isRemediateError } from '../model/errors.js';
import type { FleetAccount, FleetFile } from '../stack/fleet-file.js';

/** How a member names its account: the role ARN, or `profile:NAME`. */
export function accountLabel(account: FleetAccount): string {
  return 'role' in account ? account.role : `profile:${account.profile}`;
}

/** The account a label names again (a fleet apply or rollback reaches each account as its plan did). */
export function accountOfLabel(label: string): FleetAccount {
  return label.startsWith('profile:') ? { profile: label.slice('profile:'.length) } : { role: label };
}

/** A member's key: `ACCOUNT|REGION|DOMAIN`, `*` for the domains of an account that could not be listed. */
export function memberKey(account: string, region: string, domain: string | null): string {
  return `${account}|${region}|${domain ?? '*'}`;
}

/** One account × region of a fleet file's targets, with its domains, or `all` to be listed. */
export interface FleetLocation {
  readonly account: FleetAccount;
  readonly region: string;
  readonly domains: readonly string[] | 'all';
}

/** Every account × region of the targets, in the file's order, each once (a later target adds its domains). */
export function fleetLocations(file: FleetFile): FleetLocation[] {
  const byKey = new Map<string, FleetLocation>();
  for (const target of file.targets) {
    for (const account of target.accounts) {
      for (const region of target.regions) {
        const key = `${accountLabel(account)}|${region}`;
        const seen = byKey.get(key);
        const domains: readonly string[] | 'all' =
          seen === undefined
            ? target.domains
            : seen.domains === 'all' || target.domains === 'all'
              ? 'all'
              : [...new Set([...seen.domains, ...target.domains])];
        byKey.set(key, { account, region, domains });
      }
    }
  }
  return [...byKey.values()];
}

/** A member not started yet. */
export function pendingMember(account: string, region: string, domain: string | null): FleetMember {
  return {
    key: memberKey(account, region, domain),
    account,
    region,
    domain,
    planId: null,
    runId: null,
    status: 'pending',
    error: null,
    summary: null,
  };
}

/** What a member's journal record keeps of an error: its code and one line. */
export function errorInfo(error: unknown): ErrorInfo {
  if (isRemediateError(error)) return { code: error.code, message: error.message };
  return { code: ErrorCode.Internal, message: error instanceof Error ? error.message : String(error) };
}
