import type {
  CreateListenerCommandInput,
  Listener,
  LoadBalancer,
  ModifyListenerCommandInput,
  ModifyTargetGroupCommandInput,
  Rule,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  Failure,
  RegisterTaskDefinitionCommandInput,
  Service,
  Tag,
  Task,
  TaskDefinition,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm';
import type { Change as DnsChange, ChangeInfo, HostedZone, ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Distribution, DistributionConfig, DistributionSummary } from '@aws-sdk/client-cloudfront';
import type { IpPermission, NatGateway, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { FilteredLogEvent, LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { ImageDetail } from '@aws-sdk/client-ecr';

/**
 * The narrow AWS surface remediate uses. Checks and executors depend on these ports, never on SDK clients;
 * `sdkPorts()` implements them with the SDK. Every method throws `AwsCallError` on failure.
 */
export interface AwsPorts {
  readonly elbv2: Elbv2Port;
  readonly ecs: EcsPort;
  readonly acm: AcmPort;
  readonly sts: StsPort;
  readonly route53: Route53Port;
  readonly cloudfront: CloudFrontPort;
  readonly ec2: Ec2Port;
  readonly logs: LogsPort;
  readonly ecr: EcrPort;
}

export interface Elbv2Port {
  /** By names or ARNs; with neither, every load balancer of the region. */
  describeLoadBalancers(by: { names?: string[]; arns?: string[] }): Promise<LoadBalancer[]>;
  describeListeners(loadBalancerArn: string): Promise<Listener[]>;
  describeRules(listenerArn: string): Promise<Rule[]>;
  describeTargetGroups(by: { names?: string[]; arns?: string[]; loadBalancerArn?: string }): Promise<TargetGroup[]>;
  describeTargetHealth(targetGroupArn: string): Promise<TargetHealthDescription[]>;
  createListener(input: CreateListenerCommandInput): Promise<Listener>;
  modifyListener(input: ModifyListenerCommandInput): Promise<Listener>;
  deleteListener(listenerArn: string): Promise<void>;
  modifyTargetGroup(input: ModifyTargetGroupCommandInput): Promise<TargetGroup>;
}

export interface EcsPort {
  describeServices(cluster: string, services: string[]): Promise<{ services: Service[]; failures: Failure[] }>;
  updateService(input: UpdateServiceCommandInput): Promise<Service>;
  listClusters(): Promise<string[]>;
  listServices(cluster: string): Promise<string[]>;
  /** One page (100, the API's maximum) of a cluster's service ARNs, from `nextToken`. */
  listServicePage(cluster: string, nextToken?: string): Promise<{ arns: string[]; nextToken?: string | undefined }>;
  describeTaskDefinition(taskDefinition: string): Promise<TaskDefinition>;
  /** The revision with its tags (what a copy of it must carry over). */
  describeTaskDefinitionWithTags(taskDefinition: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<TaskDefinition>;
  /** Task ARNs of a service with that desired status. */
  listTasks(cluster: string, serviceName: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]>;
  /** One page (100, the API's maximum) of the ARNs of a cluster's running tasks, from `nextToken`. */
  listRunningTaskPage(cluster: string, nextToken?: string): Promise<{ arns: string[]; nextToken?: string | undefined }>;
  describeTasks(cluster: string, taskArns: string[]): Promise<Task[]>;
}

export interface AcmPort {
  /** Every certificate of the region, all statuses. */
  listCertificates(): Promise<CertificateSummary[]>;
  describeCertificate(certificateArn: string): Promise<CertificateDetail>;
}

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export interface Route53Port {
  /** Hosted zones whose name is at or after `dnsName`, as ListHostedZonesByName orders them. */
  listHostedZonesByName(dnsName: string): Promise<HostedZone[]>;
  /**
   * Every record set of a zone with exactly this name (and this type, when given), however large the zone: read
   * from `StartRecordName`/`StartRecordType`, following `IsTruncated` until Route53's order passes them.
   */
  recordSetsAt(hostedZoneId: string, name: string, type?: string): Promise<ResourceRecordSet[]>;
  /** Every hosted zone of the account (ListHostedZones, following `IsTruncated`/`NextMarker`): what `domains: all` lists. */
  listHostedZones(): Promise<HostedZone[]>;
  changeResourceRecordSets(hostedZoneId: string, changes: DnsChange[], comment?: string): Promise<ChangeInfo>;
}

export interface CloudFrontPort {
  listDistributions(): Promise<DistributionSummary[]>;
  /** One page (100, the API's maximum) of the distribution summaries, from `marker`. */
  listDistributionPage(marker?: string): Promise<{ items: DistributionSummary[]; nextMarker?: string | undefined }>;
  getDistribution(id: string): Promise<{ distribution: Distribution; etag: string }>;
  updateDistribution(id: string, config: DistributionConfig, ifMatch: string): Promise<{ distribution: Distribution; etag: string }>;
}

export interface Ec2Port {
  describeSecurityGroups(groupIds: string[]): Promise<SecurityGroup[]>;
  describeSecurityGroupRules(groupId: string): Promise<SecurityGroupRule[]>;
  authorizeSecurityGroupIngress(groupId: string, permissions: IpPermission[]): Promise<SecurityGroupRule[]>;
  revokeSecurityGroupIngress(groupId: string, ruleIds: string[]): Promise<void>;
  authorizeSecurityGroupEgress(groupId: string, permissions: IpPermission[]): Promise<SecurityGroupRule[]>;
  revokeSecurityGroupEgress(groupId: string, ruleIds: string[]): Promise<void>;
  describeSubnets(subnetIds: string[]): Promise<Subnet[]>;
  /** Route tables of a VPC (the main one included). */
  describeRouteTables(vpcId: string): Promise<RouteTable[]>;
  describeVpcEndpoints(vpcId: string): Promise<VpcEndpoint[]>;
  describeNatGateways(vpcId: string): Promise<NatGateway[]>;
}

export interface EcrPort {
  /** The images of a repository that `imageIds` name (by tag or digest). */
  describeImages(
    registryId: string,
    repositoryName: string,
    imageIds: readonly { imageTag?: string; imageDigest?: string }[],
  ): Promise<ImageDetail[]>;
}

export interface LogsPort {
  describeLogGroups(namePrefix: string): Promise<LogGroup[]>;
  /** The group's events since `startTime` (epoch ms) that match a filter pattern, at most `limit`, oldest first. */
  filterLogEvents(logGroupName: string, query: { startTime: number; filterPattern: string; limit: number }): Promise<FilteredLogEvent[]>;
}

export interface StsPort {
  getCallerIdentity(): Promise<CallerIdentity>;
}

/** An IAM action, `service:Operation`. */
export type IamAction = `${string}:${string}`;

/**
 * The IAM action each port method needs, declared once: a port method without an entry here (or an entry for no
 * method) does not compile, and `test/port-actions.test.ts` holds the SDK ports to it. The IAM policies follow from
 * it: the walk's reads from the port methods the walkers declare (`src/observe/port-reads.ts`).
 */
export const portActions = {
  elbv2: {
    describeLoadBalancers: 'elasticloadbalancing:DescribeLoadBalancers',
    describeListeners: 'elasticloadbalancing:DescribeListeners',
    describeRules: 'elasticloadbalancing:DescribeRules',
    describeTargetGroups: 'elasticloadbalancing:DescribeTargetGroups',
    describeTargetHealth: 'elasticloadbalancing:DescribeTargetHealth',
    createListener: 'elasticloadbalancing:CreateListener',
    modifyListener: 'elasticloadbalancing:ModifyListener',
    deleteListener: 'elasticloadbalancing:DeleteListener',
    modifyTargetGroup: 'elasticloadbalancing:ModifyTargetGroup',
  },
  ecs: {
    describeServices: 'ecs:DescribeServices',
    updateService: 'ecs:UpdateService',
    listClusters: 'ecs:ListClusters',
    listServices: 'ecs:ListServices',
    listServicePage: 'ecs:ListServices',
    describeTaskDefinition: 'ecs:DescribeTaskDefinition',
    describeTaskDefinitionWithTags: 'ecs:DescribeTaskDefinition',
    registerTaskDefinition: 'ecs:RegisterTaskDefinition',
    listTasks: 'ecs:ListTasks',
    listRunningTaskPage: 'ecs:ListTasks',
    describeTasks: 'ecs:DescribeTasks',
  },
  acm: {
    listCertificates: 'acm:ListCertificates',
    describeCertificate: 'acm:DescribeCertificate',
  },
  sts: {
    getCallerIdentity: 'sts:GetCallerIdentity',
  },
  route53: {
    listHostedZonesByName: 'route53:ListHostedZonesByName',
    recordSetsAt: 'route53:ListResourceRecordSets',
    listHostedZones: 'route53:ListHostedZones',
    changeResourceRecordSets: 'route53:ChangeResourceRecordSets',
  },
  cloudfront: {
    listDistributions: 'cloudfront:ListDistributions',
    listDistributionPage: 'cloudfront:ListDistributions',
    getDistribution: 'cloudfront:GetDistribution',
    updateDistribution: 'cloudfront:UpdateDistribution',
  },
  ec2: {
    describeSecurityGroups: 'ec2:DescribeSecurityGroups',
    describeSecurityGroupRules: 'ec2:DescribeSecurityGroupRules',
    authorizeSecurityGroupIngress: 'ec2:AuthorizeSecurityGroupIngress',
    revokeSecurityGroupIngress: 'ec2:RevokeSecurityGroupIngress',
    authorizeSecurityGroupEgress: 'ec2:AuthorizeSecurityGroupEgress',
    revokeSecurityGroupEgress: 'ec2:RevokeSecurityGroupEgress',
    describeSubnets: 'ec2:DescribeSubnets',
    describeRouteTables: 'ec2:DescribeRouteTables',
    describeVpcEndpoints: 'ec2:DescribeVpcEndpoints',
    describeNatGateways: 'ec2:DescribeNatGateways',
  },
  ecr: {
    describeImages: 'ecr:DescribeImages',
  },
  logs: {
    describeLogGroups: 'logs:DescribeLogGroups',
    filterLogEvents: 'logs:FilterLogEvents',
  },
} as const satisfies { readonly [P in keyof AwsPorts]: { readonly [M in keyof AwsPorts[P]]-?: IamAction } };
