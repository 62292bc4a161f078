import { SandboxError, SandboxErrorCode } from '../sandbox-error.js';
import { arquantixScenario } from './arquantix.js';
import { blindSpotsScenario } from './blind-spots.js';
import { emptyScenario } from './empty.js';
import { healthyScenario } from './healthy.js';
import { incidentScenario } from './incident.js';
import { nexoraScenario } from './nexora.js';
import type { Scenario } from './scenario.js';

/** Every sandbox scenario, the default first. Add new scenarios here (and specify them in docs/scenarios.md). */
export const scenarios: readonly Scenario[] = [
  incidentScenario,
  healthyScenario,
  arquantixScenario,
  nexoraScenario,
  blindSpotsScenario,
  emptyScenario,
];

/** The scenario a new sandbox starts from. */
export const DEFAULT_SCENARIO = 'incident';

/** The scenario of that name; `SandboxError(SANDBOX_UNKNOWN_SCENARIO)` naming the choices when there is none. */
export function findScenario(name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (found === undefined) {
    throw new SandboxError(SandboxErrorCode.UnknownScenario, `unknown sandbox scenario "${name}"`, {
      hint: `choose one of: ${scenarios.map((s) => s.name).join(', ')}`,
    });
  }
  return found;
}
