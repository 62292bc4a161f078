import { SandboxError, SandboxErrorCode } from '../sandbox-error.js';
import type { SandboxState } from '../sandbox-state.js';
import { compareRecordPositions, recordPosition } from '../services/route53/record-names.js';

/**
 * What a scenario can be given at reset to look like a real account rather than a tidy one: a large hosted
 * zone, and a CloudFront that answers ListDistributions with minimal summaries (as some AWS-compatible
 * endpoints do). Applied to the state the scenario built, so every scenario takes them.
 */
export interface ScenarioOptions {
  /** Filler record sets added to each public hosted zone of the scenario (0 to {@link MAX_ZONE_RECORDS}). */
  readonly zoneRecords?: number | undefined;
  /** ListDistributions returns summaries without Aliases, Origins or any configuration (Id, ARN, DomainName, Status). */
  readonly minimalSummaries?: boolean | undefined;
}

/** Route53's default quota of record sets per hosted zone. */
export const MAX_ZONE_RECORDS = 10_000;

/** Checks the options; `SandboxError(SANDBOX_BAD_SCENARIO_OPTIONS)` naming the flag when one is out of range. */
export function checkScenarioOptions(options: ScenarioOptions): ScenarioOptions {
  const n = options.zoneRecords;
  if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > MAX_ZONE_RECORDS)) {
    throw new SandboxError(
      SandboxErrorCode.BadScenarioOptions,
      `--zone-records ${String(n)} is not a whole number from 0 to ${MAX_ZONE_RECORDS}`,
      {
        hint: `give how many extra record sets the scenario's hosted zone holds, e.g. --zone-records ${MAX_ZONE_RECORDS}`,
      },
    );
  }
  return options;
}

/**
 * Applies the options to a freshly built state. Filler records are `host-NNNNN.ZONE` A records (TEST-NET-1
 * addresses) and, every tenth, a TXT record: in Route53's order (labels from the right) they sit between the
 * apex's own records and `www.ZONE`, where a walk that reads a window from the apex loses `www`.
 */
export function applyScenarioOptions(state: SandboxState, options: ScenarioOptions): void {
  const { zoneRecords = 0, minimalSummaries = false } = checkScenarioOptions(options);
  if (minimalSummaries) state.global.cloudfront.summaries = 'minimal';
  if (zoneRecords === 0) return;
  for (const zone of state.global.route53.hostedZones.filter((z) => !z.privateZone)) {
    const width = String(zoneRecords).length;
    for (let i = 0; i < zoneRecords; i++) {
      const name = `host-${String(i).padStart(width, '0')}.${zone.name}`;
      zone.records.push(
        i % 10 === 9
          ? { Name: name, Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: `"filler ${i}"` }] }
          : { Name: name, Type: 'A', TTL: 300, ResourceRecords: [{ Value: `192.0.2.${(i % 254) + 1}` }] },
      );
    }
    zone.records.sort((a, b) => compareRecordPositions(recordPosition(a), recordPosition(b)));
  }
}
