import type { RepoSnapshot } from '../repo/repo-snapshot.js';
import type { Listener, LoadBalancer, Rule, TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { CertificateDetail } from '@aws-sdk/client-acm';
import type { HostedZone, ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { Distribution } from '@aws-sdk/client-cloudfront';
import type { NatGateway, RouteTable, SecurityGroup, SecurityGroupRule, Subnet, VpcEndpoint } from '@aws-sdk/client-ec2';
import type { FilteredLogEvent, LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import type { ImageDetail } from '@aws-sdk/client-ecr';
import type { ResolvedStack } from '../model/stack-definition.js';

/**
 * Everything the checks look at, read once per plan by `observeStack`, layer by layer from the domain.
 * Detection is a pure function of this. A layer that could not be read is `undefined` (or empty) and has a
 * gap saying why. It may hold secrets (task definition environments): checks never copy values out of it.
 */
export interface Observation {
  /** The repository's text files (`--repo`), as read; absent when no repository was named. */
  readonly repo?: RepoSnapshot | undefined;
  readonly account: string;
  readonly region: string;
  readonly callerArn: string;
  /** When it was read: detection judges expiry against this, not the wall clock. */
  readonly observedAt: Date;
  /** The stack with everything discovery found. */
  readonly stack: ResolvedStack;

  readonly dns: DnsObservation | undefined;
  readonly distribution: DistributionObservation | undefined;
  /** The distribution's viewer certificate (ACM, us-east-1). */
  readonly viewerCertificate: CertificateDetail | undefined;
  /**
   * The us-east-1 ACM certificates whose names could cover the domain or `www.` + domain (the viewer
   * certificate among them): what the distribution could use instead. Read only when a distribution was found.
   */
  readonly edgeCertificates?: readonly CertificateDetail[] | undefined;

  readonly loadBalancer: LoadBalancer | undefined;
  readonly listeners: readonly Listener[];
  /** The rules of each listener, by listener ARN. */
  readonly rules: Readonly<Record<string, readonly Rule[]>>;
  readonly targetGroup: TargetGroup | undefined;
  /**
   * The other target groups the listeners forward to (default actions and rules), by ARN; null when AWS
   * says it does not exist. Absent when they were not read.
   */
  readonly forwardedTargetGroups?: Readonly<Record<string, TargetGroup | null>> | undefined;
  readonly targetHealth: readonly TargetHealthDescription[];
  /** Certificates of the region whose names could cover the domain, those of the listeners, and the stack's own one. */
  readonly certificates: readonly CertificateDetail[];

  readonly service: Service | undefined;
  readonly taskDefinition: TaskDefinition | undefined;
  readonly runningTasks: readonly Task[];
  /** Recently stopped tasks of the service (what ECS still remembers), newest first. */
  readonly stoppedTasks: readonly Task[];
  readonly network: NetworkObservation | undefined;
  /**
   * The internet-facing load balancer's subnets and the route tables of its VPC (the main one included):
   * whether the internet can reach its nodes. Absent when not read (an internal load balancer, or a gap).
   */
  readonly loadBalancerNetwork?: LoadBalancerNetworkObservation | undefined;

  /** Security groups of the load balancer and of the tasks, with their rules, by group id. */
  readonly securityGroups: Readonly<Record<string, SecurityGroupObservation>>;
  readonly logGroup: LogGroupObservation | undefined;
  /**
   * When a container of the task definition has no log configuration: the group an awslogs driver for it
   * would write to (the task definition's own group, else `/aws/ecs/<service>`), and whether it exists.
   * Absent when every container logs somewhere, or when it could not be read (a gap).
   */
  readonly proposedLogGroup?: ProposedLogGroupObservation | undefined;
  /**
   * What the tags of the task definition's private-ECR images point to now, by image as the task definition
   * names it (`…dkr.ecr…/repo:tag`); null when the tag no longer exists. Absent when none was read.
   */
  readonly ecrImages?: Readonly<Record<string, ImageDetail | null>> | undefined;

  readonly gaps: readonly ObservationGap[];
  /** What the user should know about how the walk read the stack (e.g. a given region the chain overrode): one line each. */
  readonly notes?: readonly string[] | undefined;
}

export interface DnsObservation {
  readonly zone: HostedZone;
  /** The A, AAAA and CNAME record sets of the apex and of `www`. */
  readonly records: readonly ResourceRecordSet[];
}

export interface DistributionObservation {
  readonly distribution: Distribution;
  readonly etag: string;
}

export interface NetworkObservation {
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
  readonly natGateways: readonly NatGateway[];
  readonly vpcEndpoints: readonly VpcEndpoint[];
}

export interface LoadBalancerNetworkObservation {
  readonly subnets: readonly Subnet[];
  readonly routeTables: readonly RouteTable[];
}

export interface ProposedLogGroupObservation {
  readonly name: string;
  readonly exists: boolean;
}

export interface SecurityGroupObservation {
  readonly group: SecurityGroup;
  readonly rules: readonly SecurityGroupRule[];
}

export interface LogGroupObservation {
  readonly name: string;
  readonly group: LogGroup | undefined;
  /** Whether the caller may read its events; undefined when it was not tried (no such group). */
  readonly readable: boolean | undefined;
  /** AWS's answer when reading was refused. */
  readonly denial?: string | undefined;
  /**
   * Its events of the last hour that look like errors (`ERROR_FILTER_PATTERN` of log-error-pattern.ts), oldest first; read with
   * the same call that proves the group readable. The app's own output: checks mask secrets before showing any.
   */
  readonly errorEvents?: readonly FilteredLogEvent[] | undefined;
}

/** The layers of the walk, for gaps and findings. */
export type Layer =
  | 'dns-zone'
  | 'dns-records'
  | 'cloudfront'
  | 'viewer-certificate'
  | 'load-balancer'
  | 'listeners'
  | 'rules'
  | 'target-group'
  | 'target-health'
  | 'certificates'
  | 'security-groups'
  | 'ecs-service'
  | 'task-definition'
  | 'tasks'
  | 'network'
  | 'load-balancer-network'
  | 'log-group'
  | 'image';

/** A layer the walk could not read: missing, or access denied. */
export interface ObservationGap {
  readonly layer: Layer;
  /** Name or ARN of what was looked for. */
  readonly resource: string;
  /** AWS's error code, or `NotFound` when the API answered with nothing. */
  readonly code: string;
  readonly message: string;
}
