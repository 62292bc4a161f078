import { CloudFrontClient, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';

/** What discovery found, as a plan's `stack.found` records it. */
export interface Found {
  readonly hostedZoneId?: string;
  readonly distributionId?: string;
  readonly loadBalancerArn?: string;
  readonly targetGroupArn?: string;
  readonly clusterArn?: string;
  readonly serviceArn?: string;
}

/**
 * Every resource the fixes can touch, read back through the real SDK clients: the zone's records, the
 * distribution's configuration, the load balancer's listeners and rules, the target groups, the inbound and
 * outbound rules of every security group of the load balancer and the service (without their AWS-assigned rule ids),
 * and the service's deployment settings. Two snapshots are equal when the stack is exactly as it was.
 */
export async function stackSnapshot(
  endpoint: string,
  region: string,
  found: Found,
  securityGroupIds: readonly string[],
): Promise<Record<string, unknown>> {
  const config = { endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
  const global = { ...config, region: 'us-east-1' };
  const route53 = new Route53Client(global);
  const cloudfront = new CloudFrontClient(global);
  const elbv2 = new ElasticLoadBalancingV2Client(config);
  const ec2 = new EC2Client(config);
  const ecs = new ECSClient(config);
  try {
    const out: Record<string, unknown> = {};
    if (found.hostedZoneId !== undefined) {
      out['records'] = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: found.hostedZoneId }))).ResourceRecordSets;
    }
    if (found.distributionId !== undefined) {
      out['distributionConfig'] = (
        await cloudfront.send(new GetDistributionConfigCommand({ Id: found.distributionId }))
      ).DistributionConfig;
    }
    if (found.loadBalancerArn !== undefined) {
      const listeners = (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: found.loadBalancerArn }))).Listeners ?? [];
      out['listeners'] = [...listeners].sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0));
      out['rules'] = await Promise.all(
        listeners.map(async (l) => (await elbv2.send(new DescribeRulesCommand({ ListenerArn: l.ListenerArn }))).Rules),
      );
      out['targetGroups'] = (await elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: found.loadBalancerArn }))).TargetGroups;
    }
    out['securityGroupRules'] = await Promise.all(
      [...securityGroupIds].sort().map(async (id) => {
        const rules =
          (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }))).SecurityGroupRules ??
          [];
        return rules.map(({ SecurityGroupRuleId: _id, SecurityGroupRuleArn: _arn, ...rest }) => JSON.stringify(rest)).sort();
      }),
    );
    if (found.clusterArn !== undefined && found.serviceArn !== undefined) {
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: found.clusterArn, services: [found.serviceArn] })))
        .services?.[0];
      out['service'] = {
        taskDefinition: service?.taskDefinition,
        desiredCount: service?.desiredCount,
        healthCheckGracePeriodSeconds: service?.healthCheckGracePeriodSeconds,
        deploymentConfiguration: service?.deploymentConfiguration,
        loadBalancers: service?.loadBalancers,
        networkConfiguration: service?.networkConfiguration,
      };
    }
    return out;
  } finally {
    for (const client of [route53, cloudfront, elbv2, ec2, ecs]) client.destroy();
  }
}

/** The ids of every security group of the account in the region. */
export async function securityGroupIds(endpoint: string, region: string): Promise<string[]> {
  const ec2 = new EC2Client({ endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  try {
    return ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).map((g) => g.GroupId ?? '');
  } finally {
    ec2.destroy();
  }
}
