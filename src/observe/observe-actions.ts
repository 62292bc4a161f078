/**
 * The IAM actions `observeStack` calls: what `plan` and `verify` need. Kept beside the walk and checked by a
 * test against the actions the sandbox sees for every scenario, so the two cannot drift apart.
 */
export const observeReadActions: readonly string[] = Object.freeze([
  'sts:GetCallerIdentity',
  'route53:ListHostedZonesByName',
  'route53:ListResourceRecordSets',
  'cloudfront:ListDistributions',
  'cloudfront:GetDistribution',
  'acm:ListCertificates',
  'acm:DescribeCertificate',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetHealth',
  'ecs:ListClusters',
  'ecs:ListServices',
  'ecs:DescribeServices',
  'ecs:DescribeTaskDefinition',
  'ecs:ListTasks',
  'ecs:DescribeTasks',
  'ecr:DescribeImages',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSecurityGroupRules',
  'ec2:DescribeSubnets',
  'ec2:DescribeRouteTables',
  'ec2:DescribeNatGateways',
  'ec2:DescribeVpcEndpoints',
  'logs:DescribeLogGroups',
  'logs:FilterLogEvents',
]);
