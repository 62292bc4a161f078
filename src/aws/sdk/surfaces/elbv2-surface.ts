// The classes of @aws-sdk/client-elastic-load-balancing-v2 that remediate uses, and nothing else: in the bundle (dist/bundle) esbuild keeps only
// these and what they reach of the SDK (src/aws/sdk/sdk-surfaces.ts says when this module is loaded).
export {
  ElasticLoadBalancingV2Client,
  CreateListenerCommand,
  DeleteListenerCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  paginateDescribeRules,
  paginateDescribeTargetGroups,
} from '@aws-sdk/client-elastic-load-balancing-v2';
