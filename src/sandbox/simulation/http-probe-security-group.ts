import { regionState, type SandboxState } from '../sandbox-state.js';
import type { SecurityGroupState } from '../services/ec2/ec2-state.js';
import type { LoadBalancerState } from '../services/elbv2/elbv2-state.js';

/** The sources that stand for "anyone on the internet". */
const ANYWHERE = new Set(['0.0.0.0/0', '::/0']);

/**
 * Whether the load balancer's security groups let the internet (`0.0.0.0/0` or `::/0`) in on TCP
 * `port`: some ingress rule of one of its groups, for TCP or all protocols, whose port range holds
 * `port`. CloudFront reaches an origin from the internet too, so the same answer holds for it.
 *
 * When the sandbox holds none of the load balancer's groups (a state saved before EC2 security
 * groups were simulated, or a scenario that does not build them), the port is taken as open.
 */
export function albAcceptsPort(state: SandboxState, region: string, lb: LoadBalancerState, port: number): boolean {
  // States saved before security groups were simulated have no list.
  const known: readonly SecurityGroupState[] = regionState(state, region).ec2.securityGroups ?? [];
  const groups = known.filter((group) => lb.securityGroups.includes(group.groupId));
  if (groups.length === 0) return true;
  return groups.some((group) =>
    group.rules.some(
      (rule) =>
        !rule.isEgress &&
        (rule.ipProtocol === 'tcp' || rule.ipProtocol === '6' || rule.ipProtocol === '-1') &&
        (rule.ipProtocol === '-1' || rule.fromPort === -1 || (rule.fromPort <= port && port <= rule.toPort)) &&
        (ANYWHERE.has(rule.cidrIpv4 ?? '') || ANYWHERE.has(rule.cidrIpv6 ?? '')),
    ),
  );
}
