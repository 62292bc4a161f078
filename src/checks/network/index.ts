import type { LayerChecks } from '../check.js';
import { imagePullPathCheck } from './image-pull-path.js';

export { imagePullPathCheck };

/** The `network.*` checks (the network path of the tasks), one file each in this folder. */
export const networkChecks = Object.freeze([imagePullPathCheck] as const) satisfies LayerChecks<'network'>;
