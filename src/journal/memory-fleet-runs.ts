import type { FleetMember, FleetRunFilter, FleetRunRecord } from './fleet-records.js';
import { checkLimit } from './journal-records.js';
import { badFleetRun, noSuchFleetRun } from './journal-errors.js';
import type { Journal } from './journal.js';

type FleetMethods = Pick<Journal, 'saveFleetRun' | 'updateFleetMember' | 'getFleetRun' | 'listFleetRuns'>;

/** The fleet-run methods of the memory journal: records copied through JSON in and out, as SQLite stores them. */
export function memoryFleetRuns(location: string, open: () => void): FleetMethods {
  const runs = new Map<string, FleetRunRecord>();
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  return {
    async saveFleetRun(record) {
      open();
      if (runs.has(record.id)) throw badFleetRun(location, `already has a fleet run ${record.id}`);
      checkMemberKeys(location, record);
      if (record.of !== null && !runs.has(record.of)) throw noSuchFleetRun(location, record.of);
      runs.set(record.id, copy(record));
    },
    async updateFleetMember(fleetRunId: string, member: FleetMember) {
      open();
      const run = runs.get(fleetRunId);
      if (run === undefined) throw noSuchFleetRun(location, fleetRunId);
      const index = run.members.findIndex((m) => m.key === member.key);
      if (index < 0) throw noSuchFleetRun(location, fleetRunId, member.key);
      runs.set(fleetRunId, { ...run, members: run.members.map((m, i) => (i === index ? copy(member) : m)) });
    },
    async getFleetRun(id) {
      open();
      const run = runs.get(id);
      return run === undefined ? undefined : copy(run);
    },
    async listFleetRuns(filter: FleetRunFilter = {}) {
      open();
      checkLimit(filter.limit);
      return [...runs.values()]
        .filter((r) => (filter.fleet === undefined || r.fleet === filter.fleet) && (filter.kind === undefined || r.kind === filter.kind))
        .filter((r) => filter.of === undefined || r.of === filter.of)
        .sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1))
        .slice(0, filter.limit)
        .map(copy);
    },
  };
}

/** Two members of one key are refused (E_JOURNAL): `updateFleetMember` finds a member by its key. */
export function checkMemberKeys(location: string, record: FleetRunRecord): void {
  const keys = new Set<string>();
  for (const m of record.members) {
    if (keys.has(m.key)) throw badFleetRun(location, `fleet run ${record.id} has two members ${m.key}`);
    keys.add(m.key);
  }
}
