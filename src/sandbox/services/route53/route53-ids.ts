import { freshSeed, hexId } from '../../resource-ids.js';
import type { SandboxState } from '../../sandbox-state.js';

/** Identifiers of Route53 resources, in AWS's formats, derived from seeds (reproducible). */

/** A hosted zone id: `Z` and 13 upper-case letters and digits (the bare id; `/hostedzone/ID` on the wire). */
export function hostedZoneId(seed: string): string {
  return `Z${hexId(`${seed}:hosted-zone`, 13).toUpperCase()}`;
}

/** A change id never handed out before in this sandbox: `C` and 13 upper-case letters and digits. */
export function freshChangeId(state: SandboxState): string {
  return `C${hexId(freshSeed(state, 'route53-change'), 13).toUpperCase()}`;
}

/** The four name servers of a delegation set, one per awsdns top-level domain, as Route53 assigns them. */
export function delegationNameServers(seed: string): string[] {
  const number = (i: number): number => parseInt(hexId(`${seed}:ns:${i}`, 4), 16);
  return [
    `ns-${number(0) % 512}.awsdns-${String(number(1) % 64).padStart(2, '0')}.com`,
    `ns-${512 + (number(2) % 512)}.awsdns-${String(number(3) % 64).padStart(2, '0')}.net`,
    `ns-${1024 + (number(4) % 512)}.awsdns-${String(number(5) % 64).padStart(2, '0')}.org`,
    `ns-${1536 + (number(6) % 512)}.awsdns-${String(number(7) % 64).padStart(2, '0')}.co.uk`,
  ];
}
