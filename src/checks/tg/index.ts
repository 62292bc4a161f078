import type { LayerChecks } from '../check.js';
import { portProtocolCheck } from './port-protocol.js';
import { healthCheckPathCheck } from './health-check-path.js';
import { healthCheckSettingsCheck } from './health-check-settings.js';
import { healthyTargetsCheck } from './healthy-targets.js';
import { unusedTargetsCheck } from './unused-targets.js';
import { drainingTargetsCheck } from './draining-targets.js';

export { portProtocolCheck, healthCheckPathCheck, healthCheckSettingsCheck, healthyTargetsCheck, unusedTargetsCheck, drainingTargetsCheck };

/** The `tg.*` checks (the target group), one file each in this folder. */
export const tgChecks = Object.freeze([
  portProtocolCheck,
  healthCheckPathCheck,
  healthCheckSettingsCheck,
  healthyTargetsCheck,
  unusedTargetsCheck,
  drainingTargetsCheck,
] as const) satisfies LayerChecks<'tg'>;
