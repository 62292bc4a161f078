import type { Check } from '../check.js';
import { unreachableCheck } from './unreachable.js';

export { unreachableCheck };

/** The `stack.*` checks (the stack as a whole), one file each in this folder. */
export const stackChecks: readonly Check[] = Object.freeze([unreachableCheck]);
