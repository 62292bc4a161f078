import type { GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type {
  ChangeResourceRecordSetsCommandOutput,
  ListHostedZonesByNameCommandOutput,
  ListResourceRecordSetsCommandOutput,
} from '@aws-sdk/client-route-53';
import type { DescribeImagesCommandOutput } from '@aws-sdk/client-ecr';
import type {
  GetDistributionCommandOutput,
  GetDistributionConfigCommandOutput,
  ListDistributionsCommandOutput,
  UpdateDistributionCommandOutput,
} from '@aws-sdk/client-cloudfront';
import type { DescribeCertificateCommandOutput, ListCertificatesCommandOutput } from '@aws-sdk/client-acm';
import type {
  CreateListenerCommandOutput,
  DescribeListenersCommandOutput,
  DescribeLoadBalancersCommandOutput,
  DescribeRulesCommandOutput,
  DescribeTargetGroupsCommandOutput,
  DescribeTargetHealthCommandOutput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  DescribeServicesCommandOutput,
  DescribeTaskDefinitionCommandOutput,
  DescribeTasksCommandOutput,
  ListClustersCommandOutput,
  ListServicesCommandOutput,
  ListTasksCommandOutput,
  RegisterTaskDefinitionCommandOutput,
} from '@aws-sdk/client-ecs';
import type {
  AuthorizeSecurityGroupEgressCommandOutput,
  AuthorizeSecurityGroupIngressCommandOutput,
  DescribeNatGatewaysCommandOutput,
  DescribeRouteTablesCommandOutput,
  DescribeSecurityGroupRulesCommandOutput,
  DescribeSecurityGroupsCommandOutput,
  DescribeSubnetsCommandOutput,
  DescribeVpcEndpointsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { DescribeLogGroupsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import { iamPolicy, policyActions } from '../src/engine/iam-policy.js';
import { awsCli, hasAwsCli } from './support/aws-cli.js';
import { useSandbox } from './support/sandbox-fixture.js';

/**
 * The official aws CLI drives the sandbox for every operation remediate uses: each action of the plan,
 * verify, apply and rollback policies is one `aws … --endpoint-url` call here, against the `arquantix`
 * scenario, and the writes are read back with the CLI too. A new operation in the code without a line here
 * fails the last test.
 */
const region = 'me-central-1';
const sandbox = useSandbox({ scenario: 'arquantix', per: 'file' });
/** The CLI's JSON output, in the shape of the SDK's output of the same operation (dates aside). */
const aws = <T>(...args: string[]) => awsCli(sandbox.server.url, region, ...args) as Promise<T>;
const global = <T>(...args: string[]) => awsCli(sandbox.server.url, 'us-east-1', ...args) as Promise<T>;
const first = <T>(items: readonly T[] | undefined): T => {
  const item = items?.[0];
  if (item === undefined) throw new Error('the CLI returned an empty list');
  return item;
};
const covered = new Set<string>();

/** Permissions AWS checks without a call of their own: no CLI command to run. */
const implied = new Set(['iam:PassRole', 'ecs:TagResource']);

// Dozens of aws CLI starts (Python, ~0.7 s of CPU each): 27.5 s on a quiet machine, 168 s under a load average of 16.
describe.runIf(hasAwsCli)('the aws CLI drives the sandbox for every operation remediate uses', { timeout: 600_000 }, () => {
  it('reads: STS, Route53, CloudFront, ACM, ELBv2, ECS, EC2, CloudWatch Logs', async () => {
    expect((await aws<GetCallerIdentityCommandOutput>('sts', 'get-caller-identity')).Account).toBe('411714852748');
    covered.add('sts:GetCallerIdentity');

    const zone = first(
      (await global<ListHostedZonesByNameCommandOutput>('route53', 'list-hosted-zones-by-name', '--dns-name', 'arquantix.com')).HostedZones,
    );
    covered.add('route53:ListHostedZonesByName');
    const records = await global<ListResourceRecordSetsCommandOutput>(
      'route53',
      'list-resource-record-sets',
      '--hosted-zone-id',
      zone.Id ?? '',
    );
    expect(records.ResourceRecordSets?.length).toBeGreaterThan(2);
    covered.add('route53:ListResourceRecordSets');

    const dist = first((await global<ListDistributionsCommandOutput>('cloudfront', 'list-distributions')).DistributionList?.Items);
    expect(dist.Id).toBe('EPJ3WQCO04UWW');
    covered.add('cloudfront:ListDistributions');
    expect((await global<GetDistributionCommandOutput>('cloudfront', 'get-distribution', '--id', 'EPJ3WQCO04UWW')).ETag).toBeTruthy();
    covered.add('cloudfront:GetDistribution');
    const config = await global<GetDistributionConfigCommandOutput>('cloudfront', 'get-distribution-config', '--id', 'EPJ3WQCO04UWW');
    expect(config.DistributionConfig?.Origins?.Quantity).toBe(1);
    covered.add('cloudfront:GetDistributionConfig');

    const cert = first(
      (await aws<ListCertificatesCommandOutput>('acm', 'list-certificates', '--includes', 'keyTypes=RSA_2048,EC_prime256v1'))
        .CertificateSummaryList,
    );
    covered.add('acm:ListCertificates');
    const described = await aws<DescribeCertificateCommandOutput>(
      'acm',
      'describe-certificate',
      '--certificate-arn',
      cert.CertificateArn ?? '',
    );
    expect(described.Certificate?.CertificateArn).toBe(cert.CertificateArn);
    covered.add('acm:DescribeCertificate');

    const lb = first(
      (await aws<DescribeLoadBalancersCommandOutput>('elbv2', 'describe-load-balancers', '--names', 'arquantix-prod-alb')).LoadBalancers,
    );
    covered.add('elasticloadbalancing:DescribeLoadBalancers');
    const listener = first(
      (await aws<DescribeListenersCommandOutput>('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn ?? '')).Listeners,
    );
    covered.add('elasticloadbalancing:DescribeListeners');
    const rule = first(
      (await aws<DescribeRulesCommandOutput>('elbv2', 'describe-rules', '--listener-arn', listener.ListenerArn ?? '')).Rules,
    );
    expect(rule.IsDefault).toBe(true);
    covered.add('elasticloadbalancing:DescribeRules');
    const tg = first(
      (await aws<DescribeTargetGroupsCommandOutput>('elbv2', 'describe-target-groups', '--names', 'arquantix-prod-tg')).TargetGroups,
    );
    covered.add('elasticloadbalancing:DescribeTargetGroups');
    const health = first(
      (await aws<DescribeTargetHealthCommandOutput>('elbv2', 'describe-target-health', '--target-group-arn', tg.TargetGroupArn ?? ''))
        .TargetHealthDescriptions,
    );
    expect(health.TargetHealth?.Reason).toBe('Target.FailedHealthChecks');
    covered.add('elasticloadbalancing:DescribeTargetHealth');

    const cluster = first((await aws<ListClustersCommandOutput>('ecs', 'list-clusters')).clusterArns);
    covered.add('ecs:ListClusters');
    const serviceArn = first((await aws<ListServicesCommandOutput>('ecs', 'list-services', '--cluster', cluster)).serviceArns);
    covered.add('ecs:ListServices');
    const service = first(
      (await aws<DescribeServicesCommandOutput>('ecs', 'describe-services', '--cluster', cluster, '--services', serviceArn)).services,
    );
    covered.add('ecs:DescribeServices');
    const td = await aws<DescribeTaskDefinitionCommandOutput>(
      'ecs',
      'describe-task-definition',
      '--task-definition',
      service.taskDefinition ?? '',
    );
    expect(td.taskDefinition?.family).toBe('arquantix-coming-soon');
    covered.add('ecs:DescribeTaskDefinition');
    const stopped = first(
      (
        await aws<ListTasksCommandOutput>(
          'ecs',
          'list-tasks',
          '--cluster',
          cluster,
          '--service-name',
          service.serviceName ?? '',
          '--desired-status',
          'STOPPED',
        )
      ).taskArns,
    );
    covered.add('ecs:ListTasks');
    const task = first((await aws<DescribeTasksCommandOutput>('ecs', 'describe-tasks', '--cluster', cluster, '--tasks', stopped)).tasks);
    expect(task.stoppedReason).toBeTruthy();
    covered.add('ecs:DescribeTasks');
    const image = first(
      (
        await aws<DescribeImagesCommandOutput>(
          'ecr',
          'describe-images',
          '--repository-name',
          'arquantix-coming-soon',
          '--image-ids',
          'imageTag=latest',
        )
      ).imageDetails,
    );
    expect(image.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    covered.add('ecr:DescribeImages');

    const group = first(
      (await aws<DescribeSecurityGroupsCommandOutput>('ec2', 'describe-security-groups', '--group-ids', ...(lb.SecurityGroups ?? [])))
        .SecurityGroups,
    );
    covered.add('ec2:DescribeSecurityGroups');
    const rules = await aws<DescribeSecurityGroupRulesCommandOutput>(
      'ec2',
      'describe-security-group-rules',
      '--filters',
      `Name=group-id,Values=${group.GroupId ?? ''}`,
    );
    expect(rules.SecurityGroupRules?.length).toBeGreaterThan(0);
    covered.add('ec2:DescribeSecurityGroupRules');
    const subnet = first(
      (
        await aws<DescribeSubnetsCommandOutput>(
          'ec2',
          'describe-subnets',
          '--subnet-ids',
          ...(service.networkConfiguration?.awsvpcConfiguration?.subnets ?? []),
        )
      ).Subnets,
    );
    covered.add('ec2:DescribeSubnets');
    const vpc = `Name=vpc-id,Values=${subnet.VpcId ?? ''}`;
    expect(
      (await aws<DescribeRouteTablesCommandOutput>('ec2', 'describe-route-tables', '--filters', vpc)).RouteTables?.length,
    ).toBeGreaterThan(0);
    covered.add('ec2:DescribeRouteTables');
    expect((await aws<DescribeNatGatewaysCommandOutput>('ec2', 'describe-nat-gateways', '--filter', vpc)).NatGateways).toEqual([]);
    covered.add('ec2:DescribeNatGateways');
    expect((await aws<DescribeVpcEndpointsCommandOutput>('ec2', 'describe-vpc-endpoints', '--filters', vpc)).VpcEndpoints).toEqual([]);
    covered.add('ec2:DescribeVpcEndpoints');

    const logs = await aws<DescribeLogGroupsCommandOutput>(
      'logs',
      'describe-log-groups',
      '--log-group-name-prefix',
      '/aws/ecs/arquantix-coming-soon',
    );
    expect(logs.logGroups?.length).toBe(1);
    covered.add('logs:DescribeLogGroups');
  });

  it('FilterLogEvents: the CLI meets the scenario’s access denial as AWS words it', async () => {
    await expect(aws('logs', 'filter-log-events', '--log-group-name', '/aws/ecs/arquantix-coming-soon', '--limit', '1')).rejects.toThrow(
      /AccessDeniedException/,
    );
    covered.add('logs:FilterLogEvents');
  });

  it('writes, each read back with the CLI', async () => {
    const lb = first(
      (await aws<DescribeLoadBalancersCommandOutput>('elbv2', 'describe-load-balancers', '--names', 'arquantix-prod-alb')).LoadBalancers,
    );
    const tg = first(
      (await aws<DescribeTargetGroupsCommandOutput>('elbv2', 'describe-target-groups', '--names', 'arquantix-prod-tg')).TargetGroups,
    );
    const cert = first(
      (await aws<ListCertificatesCommandOutput>('acm', 'list-certificates', '--certificate-statuses', 'ISSUED')).CertificateSummaryList,
    );

    const created = first(
      (
        await aws<CreateListenerCommandOutput>(
          'elbv2',
          'create-listener',
          '--load-balancer-arn',
          lb.LoadBalancerArn ?? '',
          '--protocol',
          'HTTPS',
          '--port',
          '443',
          '--ssl-policy',
          'ELBSecurityPolicy-TLS13-1-2-2021-06',
          '--certificates',
          `CertificateArn=${cert.CertificateArn ?? ''}`,
          '--default-actions',
          `Type=forward,TargetGroupArn=${tg.TargetGroupArn ?? ''}`,
        )
      ).Listeners,
    );
    covered.add('elasticloadbalancing:CreateListener');
    await aws(
      'elbv2',
      'modify-listener',
      '--listener-arn',
      created.ListenerArn ?? '',
      '--ssl-policy',
      'ELBSecurityPolicy-TLS13-1-3-2021-06',
    );
    covered.add('elasticloadbalancing:ModifyListener');
    const modified = first(
      (await aws<DescribeListenersCommandOutput>('elbv2', 'describe-listeners', '--listener-arns', created.ListenerArn ?? '')).Listeners,
    );
    expect(modified.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    await aws('elbv2', 'delete-listener', '--listener-arn', created.ListenerArn ?? '');
    covered.add('elasticloadbalancing:DeleteListener');
    const left = await aws<DescribeListenersCommandOutput>('elbv2', 'describe-listeners', '--load-balancer-arn', lb.LoadBalancerArn ?? '');
    expect(left.Listeners?.map((l) => l.Port)).toEqual([80]);

    await aws('elbv2', 'modify-target-group', '--target-group-arn', tg.TargetGroupArn ?? '', '--healthy-threshold-count', '2');
    covered.add('elasticloadbalancing:ModifyTargetGroup');
    expect(
      first((await aws<DescribeTargetGroupsCommandOutput>('elbv2', 'describe-target-groups', '--names', 'arquantix-prod-tg')).TargetGroups)
        .HealthyThresholdCount,
    ).toBe(2);

    const groupId = first(lb.SecurityGroups);
    const added = first(
      (
        await aws<AuthorizeSecurityGroupIngressCommandOutput>(
          'ec2',
          'authorize-security-group-ingress',
          '--group-id',
          groupId,
          '--ip-permissions',
          'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]',
        )
      ).SecurityGroupRules,
    );
    covered.add('ec2:AuthorizeSecurityGroupIngress');
    await aws('ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--security-group-rule-ids', added.SecurityGroupRuleId ?? '');
    covered.add('ec2:RevokeSecurityGroupIngress');
    const rules = await aws<DescribeSecurityGroupRulesCommandOutput>(
      'ec2',
      'describe-security-group-rules',
      '--filters',
      `Name=group-id,Values=${groupId}`,
    );
    expect(rules.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).not.toContain(added.SecurityGroupRuleId);
    const out = first(
      (
        await aws<AuthorizeSecurityGroupEgressCommandOutput>(
          'ec2',
          'authorize-security-group-egress',
          '--group-id',
          groupId,
          '--ip-permissions',
          'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]',
        )
      ).SecurityGroupRules,
    );
    expect(out.IsEgress).toBe(true);
    covered.add('ec2:AuthorizeSecurityGroupEgress');
    const withOut = await aws<DescribeSecurityGroupRulesCommandOutput>(
      'ec2',
      'describe-security-group-rules',
      '--filters',
      `Name=group-id,Values=${groupId}`,
    );
    expect(withOut.SecurityGroupRules?.find((r) => r.SecurityGroupRuleId === out.SecurityGroupRuleId)).toMatchObject({
      IsEgress: true,
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
      CidrIpv4: '0.0.0.0/0',
    });
    await aws('ec2', 'revoke-security-group-egress', '--group-id', groupId, '--security-group-rule-ids', out.SecurityGroupRuleId ?? '');
    covered.add('ec2:RevokeSecurityGroupEgress');
    const withoutOut = await aws<DescribeSecurityGroupRulesCommandOutput>(
      'ec2',
      'describe-security-group-rules',
      '--filters',
      `Name=group-id,Values=${groupId}`,
    );
    expect(withoutOut.SecurityGroupRules?.map((r) => r.SecurityGroupRuleId)).not.toContain(out.SecurityGroupRuleId);

    const cluster = first((await aws<ListClustersCommandOutput>('ecs', 'list-clusters')).clusterArns);
    const service = first(
      (await aws<DescribeServicesCommandOutput>('ecs', 'describe-services', '--cluster', cluster, '--services', 'arquantix-coming-soon'))
        .services,
    );
    await aws(
      'ecs',
      'update-service',
      '--cluster',
      cluster,
      '--service',
      service.serviceName ?? '',
      '--health-check-grace-period-seconds',
      '180',
    );
    covered.add('ecs:UpdateService');
    const updated = first(
      (await aws<DescribeServicesCommandOutput>('ecs', 'describe-services', '--cluster', cluster, '--services', service.serviceName ?? ''))
        .services,
    );
    expect(updated.healthCheckGracePeriodSeconds).toBe(180);
    const td = (
      await aws<DescribeTaskDefinitionCommandOutput>('ecs', 'describe-task-definition', '--task-definition', service.taskDefinition ?? '')
    ).taskDefinition;
    const registered = await aws<RegisterTaskDefinitionCommandOutput>(
      'ecs',
      'register-task-definition',
      '--family',
      td?.family ?? '',
      '--requires-compatibilities',
      'FARGATE',
      '--network-mode',
      'awsvpc',
      '--cpu',
      td?.cpu ?? '',
      '--memory',
      td?.memory ?? '',
      '--execution-role-arn',
      td?.executionRoleArn ?? '',
      '--container-definitions',
      JSON.stringify(td?.containerDefinitions ?? []),
    );
    covered.add('ecs:RegisterTaskDefinition');
    expect(registered.taskDefinition?.revision).toBeGreaterThan(td?.revision ?? 0);

    const zone = first(
      (await global<ListHostedZonesByNameCommandOutput>('route53', 'list-hosted-zones-by-name', '--dns-name', 'arquantix.com')).HostedZones,
    );
    const batch = {
      Changes: [
        {
          Action: 'UPSERT',
          ResourceRecordSet: { Name: 'probe.arquantix.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"remediate"' }] },
        },
      ],
    };
    const change = await global<ChangeResourceRecordSetsCommandOutput>(
      'route53',
      'change-resource-record-sets',
      '--hosted-zone-id',
      zone.Id ?? '',
      '--change-batch',
      JSON.stringify(batch),
    );
    expect(change.ChangeInfo?.Status).toBeTruthy();
    covered.add('route53:ChangeResourceRecordSets');
    const records = await global<ListResourceRecordSetsCommandOutput>(
      'route53',
      'list-resource-record-sets',
      '--hosted-zone-id',
      zone.Id ?? '',
    );
    expect(records.ResourceRecordSets?.some((r) => r.Name === 'probe.arquantix.com.' && r.Type === 'TXT')).toBe(true);

    const current = await global<GetDistributionConfigCommandOutput>('cloudfront', 'get-distribution-config', '--id', 'EPJ3WQCO04UWW');
    const config = { ...current.DistributionConfig, Comment: 'updated by the aws CLI' };
    const after = await global<UpdateDistributionCommandOutput>(
      'cloudfront',
      'update-distribution',
      '--id',
      'EPJ3WQCO04UWW',
      '--if-match',
      current.ETag ?? '',
      '--distribution-config',
      JSON.stringify(config),
    );
    covered.add('cloudfront:UpdateDistribution');
    expect(after.ETag).not.toBe(current.ETag);
    const reread = await global<GetDistributionConfigCommandOutput>('cloudfront', 'get-distribution-config', '--id', 'EPJ3WQCO04UWW');
    expect(reread.DistributionConfig?.Comment).toBe('updated by the aws CLI');
  });

  it('covers every action of the plan, verify, apply and rollback policies', () => {
    const all = new Set((['plan', 'verify', 'apply', 'rollback'] as const).flatMap((c) => policyActions(iamPolicy(c))));
    const missing = [...all].filter((a) => !implied.has(a) && !covered.has(a)).sort();
    expect(missing).toEqual([]);
  });
});
