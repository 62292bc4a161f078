import type { LayerChecks } from '../check.js';
import { logConfigurationCheck } from './log-configuration.js';
import { logGroupCheck } from './log-group.js';
import { logErrorLinesCheck } from './error-lines.js';

export { logConfigurationCheck, logGroupCheck, logErrorLinesCheck };

/** The `logs.*` checks (the service's logs), one file each in this folder. */
export const logsChecks = Object.freeze([logConfigurationCheck, logGroupCheck, logErrorLinesCheck] as const) satisfies LayerChecks<'logs'>;
