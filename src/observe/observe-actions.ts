import { actionsOf } from './port-reads.js';
import { identityReads } from './observe-stack.js';
import { dnsReads } from './walk-dns.js';
import { cloudFrontReads } from './walk-cloudfront.js';
import { loadBalancerReads } from './walk-load-balancer.js';
import { ecsReads } from './walk-ecs.js';
import { networkReads } from './walk-network.js';
import { securityGroupReads } from './walk-security-groups.js';
import { logsReads } from './walk-logs.js';

/**
 * The IAM actions `observeStack` calls: what `plan` and `verify` need. Derived from the port methods each walker
 * declares (a walker is typed with only those, so it cannot call another) through the action each port method
 * declares (`portActions`, src/aws/ports.ts). Checked by a test against the actions the sandbox sees for every
 * scenario, both ways.
 */
export const observeReadActions: readonly string[] = Object.freeze(
  actionsOf([identityReads, dnsReads, cloudFrontReads, loadBalancerReads, ecsReads, networkReads, securityGroupReads, logsReads]),
);
