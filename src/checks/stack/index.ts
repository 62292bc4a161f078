import type { LayerChecks } from '../check.js';
import { unreachableCheck } from './unreachable.js';

export { unreachableCheck };

/** The `stack.*` checks (the stack as a whole), one file each in this folder. */
export const stackChecks = Object.freeze([unreachableCheck] as const) satisfies LayerChecks<'stack'>;
