import type { LayerChecks } from '../check.js';
import { apexAliasCheck } from './apex-alias.js';
import { wwwAliasCheck } from './www-alias.js';

export { apexAliasCheck, wwwAliasCheck };

/** The `dns.*` checks (Route53), one file each in this folder. */
export const dnsChecks = Object.freeze([apexAliasCheck, wwwAliasCheck] as const) satisfies LayerChecks<'dns'>;
