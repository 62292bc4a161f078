import { AwsError } from '../../aws-error.js';

/** The errors ELBv2 answers with, with AWS's codes (the SDK names them `<Code>Exception`, except `ValidationError`). */
export const elbv2Errors = {
  validation: (message: string): AwsError => new AwsError('ValidationError', message),
  loadBalancerNotFound: (what: string): AwsError => new AwsError('LoadBalancerNotFound', `Load balancers '${what}' not found`),
  listenerNotFound: (): AwsError => new AwsError('ListenerNotFound', 'One or more listeners not found'),
  ruleNotFound: (): AwsError => new AwsError('RuleNotFound', 'One or more rules not found'),
  targetGroupNotFound: (what: string): AwsError => new AwsError('TargetGroupNotFound', `Target groups '${what}' not found`),
  certificateNotFound: (arn: string): AwsError => new AwsError('CertificateNotFound', `Certificate '${arn}' not found`),
  duplicateListener: (loadBalancerArn: string): AwsError =>
    new AwsError('DuplicateListener', `A listener already exists on this port for this load balancer '${loadBalancerArn}'`),
  sslPolicyNotFound: (name: string): AwsError => new AwsError('SSLPolicyNotFound', `SSL policy '${name}' not found`),
  tooManyCertificates: (): AwsError =>
    new AwsError('TooManyCertificates', 'You can specify only one certificate (the default certificate) when creating a listener'),
  subnetNotFound: (id: string): AwsError => new AwsError('SubnetNotFound', `The subnet ID '${id}' is not valid`),
  invalidConfiguration: (message: string): AwsError => new AwsError('InvalidConfigurationRequest', message),
  invalidSecurityGroup: (ids: readonly string[]): AwsError =>
    new AwsError('InvalidSecurityGroup', `One or more security groups are invalid: ${ids.join(', ')}`),
  invalidSubnet: (message: string): AwsError => new AwsError('InvalidSubnet', message),
  duplicateLoadBalancerName: (name: string): AwsError =>
    new AwsError('DuplicateLoadBalancerName', `A load balancer with the same name '${name}' exists, but with different settings`),
  duplicateTargetGroupName: (): AwsError =>
    new AwsError('DuplicateTargetGroupName', 'A target group with the same name exists, but with different settings'),
  invalidTarget: (message: string): AwsError => new AwsError('InvalidTarget', message),
} as const;
