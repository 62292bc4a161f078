import { checkLayers, type CheckLayer } from '../model/check-id.js';
import type { Check, LayerChecks } from './check.js';
import { stackChecks } from './stack/index.js';
import { dnsChecks } from './dns/index.js';
import { cloudfrontChecks } from './cloudfront/index.js';
import { albChecks } from './alb/index.js';
import { tgChecks } from './tg/index.js';
import { ecsChecks } from './ecs/index.js';
import { networkChecks } from './network/index.js';
import { logsChecks } from './logs/index.js';
import { repoChecks } from './repo/index.js';

/**
 * Every layer's checks, as its index lists them. The compiler holds this to `checkLayers` (a layer missing here, or
 * an index listing a check of another layer, does not compile), and `test/checks-registered.test.ts` holds every
 * check file to its index, so a new check is registered by its layer's index alone.
 */
const checksByLayer = {
  stack: stackChecks,
  dns: dnsChecks,
  cloudfront: cloudfrontChecks,
  alb: albChecks,
  tg: tgChecks,
  ecs: ecsChecks,
  network: networkChecks,
  logs: logsChecks,
  repo: repoChecks,
} as const satisfies { readonly [L in CheckLayer]: LayerChecks<L> };

/** The id of a check that exists: the union of the ids the layer indexes list. */
export type CheckId = (typeof checksByLayer)[CheckLayer][number]['id'];

/**
 * Every check, in the order their findings are listed: by layer, top to bottom (`checkLayers`: the stack, DNS,
 * CloudFront, the load balancer, the target group, ECS, the network, the logs, the repository's files), and within a layer in its index's
 * order.
 */
export const checks: readonly Check<CheckId>[] = Object.freeze(
  checkLayers.flatMap((layer): readonly Check<CheckId>[] => checksByLayer[layer]),
);
