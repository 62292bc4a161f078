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
import type { Failure, Service, UpdateServiceCommandInput } from '@aws-sdk/client-ecs';
import type { CertificateDetail, CertificateSummary } from '@aws-sdk/client-acm';

/**
 * The narrow AWS surface remediate uses. Checks and executors depend on these ports, never on SDK clients;
 * `sdkPorts()` implements them with the SDK. Every method throws `AwsCallError` on failure.
 */
export interface AwsPorts {
  readonly elbv2: Elbv2Port;
  readonly ecs: EcsPort;
  readonly acm: AcmPort;
  readonly sts: StsPort;
}

export interface Elbv2Port {
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

export interface StsPort {
  getCallerIdentity(): Promise<CallerIdentity>;
}
