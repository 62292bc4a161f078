// The classes of @aws-sdk/client-ec2 that remediate uses, and nothing else: in the bundle (dist/bundle) esbuild keeps only
// these and what they reach of the SDK (src/aws/sdk/sdk-surfaces.ts says when this module is loaded).
export {
  EC2Client,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  paginateDescribeNatGateways,
  paginateDescribeRouteTables,
  paginateDescribeSecurityGroupRules,
  paginateDescribeVpcEndpoints,
} from '@aws-sdk/client-ec2';
