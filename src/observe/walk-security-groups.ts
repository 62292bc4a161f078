import type { Service } from '@aws-sdk/client-ecs';
import type { LoadBalancer } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SecurityGroupObservation } from './observation.js';
import type { PortUse } from './port-reads.js';
import type { Walk } from './walk-context.js';

/** The port methods the security-group walker calls. */
export const securityGroupReads = { ec2: ['describeSecurityGroups', 'describeSecurityGroupRules'] } as const satisfies PortUse;

/** The security groups of the load balancer and of the tasks, with their rules, by group id. */
export function walkSecurityGroups(
  walk: Walk<typeof securityGroupReads>,
  upstream: {
    readonly region: Promise<string | undefined>;
    readonly loadBalancer: Promise<{ readonly lb: LoadBalancer; readonly region: string } | undefined>;
    readonly service: Promise<Service | undefined>;
  },
): { readonly securityGroups: Promise<Record<string, SecurityGroupObservation>> } {
  const { awsFor, attempt, track } = walk;
  const { region, loadBalancer, service } = upstream;
  const securityGroups = track(
    Promise.all([loadBalancer, service]).then(async ([l, s]) => {
      const r = await region;
      const ids = [...new Set([...(l?.lb.SecurityGroups ?? []), ...(s?.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [])])];
      if (ids.length === 0 || r === undefined) return {};
      const aws = awsFor(r);
      const groups = (await attempt('security-groups', ids.join(','), () => aws.ec2.describeSecurityGroups(ids))) ?? [];
      const entries = await Promise.all(
        groups.map(async (group): Promise<[string, SecurityGroupObservation]> => {
          const rules =
            (await attempt('security-groups', group.GroupId ?? '', () => aws.ec2.describeSecurityGroupRules(group.GroupId ?? ''))) ?? [];
          return [group.GroupId ?? '', { group, rules }];
        }),
      );
      return Object.fromEntries(entries);
    }),
  );
  return { securityGroups };
}
