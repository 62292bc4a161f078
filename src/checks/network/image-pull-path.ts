import type { JsonObject } from '../../model/json-value.js';
import type { Severity } from '../../model/plan.js';
import { defineCheck } from '../check.js';
import { failuresOf, newestStops } from '../support/ecs-stopped-tasks.js';
import { egressEvidence, hasInterfaceEndpoint, subnetEgress, type InterfaceEndpoint } from '../support/network-egress.js';
import { egressRules, ruleAllowsTcpPort } from '../../fixes/security-group-rules.js';
import type { Observation } from '../../observe/observation.js';
import { groupName } from '../support/security-group-requirements.js';

/** A private Amazon ECR image of a region: `123456789012.dkr.ecr.me-central-1.amazonaws.com/app:tag`. */
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//;

/** Whether every image is in the private Amazon ECR of `region` (what VPC endpoints can serve); false without images. */
export function allPrivateEcr(images: readonly string[], region: string): boolean {
  return images.length > 0 && images.every((i) => PRIVATE_ECR.exec(i)?.[1] === region);
}

/**
 * `network.image-pull-path`: the service's tasks can reach their image registry (and CloudWatch Logs) from
 * their subnets: a 0.0.0.0/0 route to an available NAT gateway, or to an internet gateway with a public IP;
 * or, for private ECR images, the `ecr.api` and `ecr.dkr` interface endpoints and an S3 gateway endpoint.
 * Found from pull timeouts in stopped tasks, or from the network itself when no subnet has a path. No change:
 * a route to the internet is not something to add blindly; the next step says exactly what to create.
 */
export const imagePullPathCheck = defineCheck({
  id: 'network.image-pull-path',
  title: 'ECS tasks can reach their image registry from their subnets (NAT, public IP or VPC endpoints)',
  /** The service with its awsvpc configuration and (at least one) subnets, and the network read for them. */
  subject: (o) => {
    const vpc = o.service?.networkConfiguration?.awsvpcConfiguration;
    const subnets = vpc?.subnets ?? [];
    return o.service === undefined || vpc === undefined || o.network === undefined || subnets.length === 0
      ? undefined
      : { service: o.service, vpc, subnets, network: o.network };
  },
  detect({ service, vpc, subnets, network }, observation) {
    if (service.serviceArn === undefined) return [];
    const region = observation.region;
    const publicIp = vpc.assignPublicIp === 'ENABLED';
    const egress = subnetEgress(network, region, subnets, publicIp);
    const containers = observation.taskDefinition?.containerDefinitions ?? [];
    const images = containers.map((c) => c.image ?? '').filter((i) => i !== '');
    const privateEcr = allPrivateEcr(images, region);
    const needsLogs = containers.some((c) => c.logConfiguration?.logDriver === 'awslogs');
    const needsSecrets = containers.some((c) => (c.secrets ?? []).length > 0);
    const endpoints: Record<InterfaceEndpoint, boolean> = {
      'ecr.api': hasInterfaceEndpoint(network, region, 'ecr.api'),
      'ecr.dkr': hasInterfaceEndpoint(network, region, 'ecr.dkr'),
      logs: hasInterfaceEndpoint(network, region, 'logs'),
      secretsmanager: hasInterfaceEndpoint(network, region, 'secretsmanager'),
      ssm: hasInterfaceEndpoint(network, region, 'ssm'),
    };
    const canPull = egress.map((e) => e.internet !== false || (privateEcr && endpoints['ecr.api'] && endpoints['ecr.dkr'] && e.s3Gateway));
    const blocked = egress.filter((_, i) => canPull[i] === false);
    const timeouts = failuresOf(observation, ['network-timeout']);
    if (timeouts.length === 0 && blocked.length === 0) return [];

    const routeTables = [...new Set(blocked.map((e) => e.routeTableId).filter((t): t is string => t !== null))];
    const vpcId = network.subnets[0]?.VpcId ?? 'the VPC';
    const groups = vpc.securityGroups ?? [];
    const evidence: JsonObject = {
      assignPublicIp: vpc.assignPublicIp ?? 'DISABLED',
      subnets: egress.map(egressEvidence),
      vpcEndpoints: {
        'ecr.api': endpoints['ecr.api'],
        'ecr.dkr': endpoints['ecr.dkr'],
        s3: egress.length > 0 && egress.every((e) => e.s3Gateway),
        logs: endpoints.logs,
        ...(needsSecrets ? { secretsmanager: endpoints.secretsmanager, ssm: endpoints.ssm } : {}),
      },
      images,
      registry: privateEcr ? 'Amazon ECR (private)' : 'a public registry (needs the internet)',
      pullTimeouts: timeouts.length,
      newest: newestStops(timeouts, 3),
      securityGroupEgress443: httpsEgressRules(observation, groups),
    };
    const running = service.runningCount ?? 0;
    const severity: Severity =
      running === 0 && (service.desiredCount ?? 0) > 0
        ? 'critical'
        : timeouts.length > 0 || blocked.length === egress.length
          ? 'high'
          : 'medium';
    const where = blocked.length > 0 ? blocked : egress;
    const igwWithoutIp =
      where.some((e) => e.defaultRouteTarget?.startsWith('igw-') === true && e.defaultRouteState !== 'blackhole') && !publicIp;
    const steps: string[] = [];
    if (igwWithoutIp) {
      steps.push(
        `subnets ${where.map((e) => e.subnetId).join(', ')} route to an internet gateway but the tasks get no public IP: set assignPublicIp=ENABLED in the service's network configuration (or move the tasks to private subnets with a NAT route)`,
      );
    }
    steps.push(
      `give subnets ${where.map((e) => e.subnetId).join(', ')} a route to the internet: a NAT gateway in a public subnet of ${vpcId} and a 0.0.0.0/0 route to it in route table(s) ${(routeTables.length > 0 ? routeTables : ['(their route table)']).join(', ')}`,
    );
    if (privateEcr) {
      const missing = [
        ...(['ecr.api', 'ecr.dkr'] as const).filter((s) => !endpoints[s]).map((s) => `interface com.amazonaws.${region}.${s}`),
        ...(where.some((e) => !e.s3Gateway)
          ? [`gateway com.amazonaws.${region}.s3 on route table(s) ${routeTables.join(', ') || '(theirs)'}`]
          : []),
        ...(needsLogs && !endpoints.logs ? [`interface com.amazonaws.${region}.logs`] : []),
        ...(needsSecrets && !endpoints.secretsmanager ? [`interface com.amazonaws.${region}.secretsmanager`] : []),
      ];
      if (missing.length > 0) {
        steps.push(
          `or, without internet access, create these VPC endpoints in ${vpcId}: ${missing.join('; ')} (interface endpoints with private DNS, in subnets ${subnets.join(', ')}, with a security group allowing TCP 443 from ${groups.join(', ') || "the tasks' security group"})`,
        );
      }
    } else {
      steps.push(
        'VPC endpoints cannot reach a public registry: the internet route is needed (or copy the image to Amazon ECR in this region and use the ECR endpoints)',
      );
    }
    const title =
      timeouts.length > 0
        ? `${timeouts.length} task(s) of ${service.serviceName ?? 'the service'} timed out reaching the image registry: ${blocked.length > 0 ? `${blocked.length} of ${egress.length} subnet(s) have no path to it` : 'check the path from its subnets'}`
        : `${blocked.length} of ${egress.length} subnet(s) of ${service.serviceName ?? 'the service'} have no path to the image registry: new tasks there cannot pull their image`;
    return [{ finding: { severity, resource: service.serviceArn, title, evidence, nextStep: steps.join('; ') } }];
  },
});

/**
 * The outbound rules of the tasks' groups that let 443 out (to anywhere or not: see
 * `ecs.task-security-group-egress`), in words; null when a group's rules were not read.
 */
function httpsEgressRules(observation: Observation, groupIds: readonly string[]): string[] | null {
  if (groupIds.some((id) => observation.securityGroups[id] === undefined)) return null;
  return groupIds.flatMap((id) =>
    (observation.securityGroups[id]?.rules ?? [])
      .filter((r) => r.IsEgress === true)
      .map(egressRules.of)
      .filter((r) => ruleAllowsTcpPort(r, 443))
      .map((r) => `${groupName(observation, id)}: ${egressRules.describe(r)}`),
  );
}
