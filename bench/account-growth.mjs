// Grows a sandbox account the way a real one grows: through the sandbox's create operations, with the real SDK
// (issue 11, goal 2). Shared by bench/account-size.mjs and test/e2e-account-size.test.ts. Loopback only.
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ChangeResourceRecordSetsCommand, ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';

/** CloudFront's managed CachingDisabled policy. */
const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
/** Requests under way at once while growing. */
const AT_ONCE = 8;
/** Record changes per ChangeResourceRecordSets (Route 53 allows 1,000 ResourceRecord elements a batch). */
const RECORDS_PER_BATCH = 500;

async function inTurn(count, run) {
  let next = 0;
  const worker = async () => {
    while (next < count) await run(next++);
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, count) }, worker));
}

/**
 * Adds `n` unrelated ECS services (one running task each, in the stack's cluster, the hardest place for discovery),
 * `n` CloudFront distributions, `n` load balancers and `n` certificates (in the stack's region), and `records` A
 * records to the domain's hosted zone, none of them part of the stack. `endpoint` is the sandbox's URL.
 */
export async function growAccount({ endpoint, region, domain, n, records = 0 }) {
  const config = (r) => ({ endpoint, region: r, credentials: { accessKeyId: 'grow', secretAccessKey: 'grow' }, maxAttempts: 1 });
  const ecs = new ECSClient(config(region));
  const elbv2 = new ElasticLoadBalancingV2Client(config(region));
  const acm = new ACMClient(config(region));
  const cloudfront = new CloudFrontClient(config('us-east-1'));
  const route53 = new Route53Client(config('us-east-1'));
  try {
    // Where the stack runs: its cluster, its service's network (the grown services run beside it).
    const cluster = (await ecs.send(new ListClustersCommand({}))).clusterArns?.[0];
    const stackService = (await ecs.send(new ListServicesCommand({ cluster, maxResults: 1 }))).serviceArns?.[0];
    const described = (await ecs.send(new DescribeServicesCommand({ cluster, services: [stackService] }))).services?.[0];
    const network = described?.networkConfiguration?.awsvpcConfiguration;
    if (cluster === undefined || network?.subnets === undefined) throw new Error('the account has no ECS service to grow beside');
    const stackLb = (await elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 1 }))).LoadBalancers?.[0];
    const lbSubnets = (stackLb?.AvailabilityZones ?? []).map((z) => z.SubnetId).filter((s) => s !== undefined);

    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'grown-web',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'web', image: 'public.ecr.aws/nginx/nginx:1.27', essential: true, portMappings: [{ containerPort: 80 }] },
        ],
      }),
    );
    await inTurn(n, (i) =>
      ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: `grown-${i}`,
          taskDefinition: 'grown-web',
          desiredCount: 1,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: network.subnets, securityGroups: network.securityGroups } },
        }),
      ),
    );
    await inTurn(n, (i) =>
      elbv2.send(new CreateLoadBalancerCommand({ Name: `grown-${i}`, Subnets: lbSubnets, SecurityGroups: stackLb?.SecurityGroups })),
    );
    await inTurn(n, (i) => acm.send(new RequestCertificateCommand({ DomainName: `grown-${i}.example.org`, ValidationMethod: 'DNS' })));
    await inTurn(n, (i) =>
      cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: `grown-${i}`,
            Origins: {
              Quantity: 1,
              Items: [
                {
                  Id: 'origin',
                  DomainName: `grown-${i}.example.org`,
                  CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' },
                },
              ],
            },
            DefaultCacheBehavior: {
              TargetOriginId: 'origin',
              ViewerProtocolPolicy: 'redirect-to-https',
              CachePolicyId: CACHING_DISABLED_POLICY_ID,
            },
            Comment: 'grown',
            Enabled: true,
          },
        }),
      ),
    );
    if (records > 0) {
      const zone = (await route53.send(new ListHostedZonesByNameCommand({ DNSName: domain, MaxItems: 1 }))).HostedZones?.[0];
      if (zone?.Id === undefined) throw new Error(`no hosted zone for ${domain}`);
      await inTurn(Math.ceil(records / RECORDS_PER_BATCH), (b) => {
        const count = Math.min(RECORDS_PER_BATCH, records - b * RECORDS_PER_BATCH);
        const Changes = Array.from({ length: count }, (_, k) => ({
          Action: 'CREATE',
          ResourceRecordSet: {
            Name: `grown-${b * RECORDS_PER_BATCH + k}.${domain}`,
            Type: 'A',
            TTL: 300,
            ResourceRecords: [
              {
                Value: `10.${(b * RECORDS_PER_BATCH + k) >> 16}.${((b * RECORDS_PER_BATCH + k) >> 8) & 255}.${(b * RECORDS_PER_BATCH + k) & 255}`,
              },
            ],
          },
        }));
        return route53.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone.Id, ChangeBatch: { Changes } }));
      });
    }
  } finally {
    for (const c of [ecs, elbv2, acm, cloudfront, route53]) c.destroy();
  }
}
